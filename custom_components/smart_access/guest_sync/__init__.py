"""Calendar-driven guest access (issue #14): plain Python, no Home Assistant import.

``model`` holds the data, ``desired`` turns calendar bookings into the guests each
link wants (times local to each lock's zone), ``pin_rule`` finds a PIN in an event,
and ``reconcile`` compares what is wanted with the guests a link created at
RemoteLock and returns the actions. The Home Assistant side (config subentries,
storage, pacing, entities) builds on these.
"""
