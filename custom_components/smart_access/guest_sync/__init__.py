"""Calendar-driven guest access (issue #14): plain Python, no Home Assistant import.

``model`` holds the data (and ``booking_uid``, a calendar event's identity),
``desired`` turns calendar bookings into the guests each link wants (times local to
each lock's zone), ``pin_rule`` finds a PIN and ``contact`` an e-mail address in an
event, ``reconcile`` compares what is wanted with the guests a link created at
RemoteLock and returns the actions, ``apply`` reads the guests and carries the
actions out, and ``sync`` does one whole round. The Home Assistant side (config
subentries, storage, pacing, entities) builds on these.
"""
