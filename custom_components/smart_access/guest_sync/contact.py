"""A guest's e-mail address taken from a calendar event, by one documented rule.

The rule: the first e-mail address in the event's description, else in its
location, else in its summary. An address is a local part of letters, digits and
``. _ % + -`` (not starting with a dot), an ``@``, and a domain of dot-separated
labels (letters, digits, inner ``-``) ending in a top-level domain of at least two
letters; the text around it may be anything (``mailto:``, ``<…>``, a full stop
after it). Nothing matches: no e-mail (the guest is created without one, and gets
no instructions e-mail).
"""

from __future__ import annotations

import re

_EMAIL = re.compile(
    r"[A-Za-z0-9_%+\-][A-Za-z0-9._%+\-]*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
)


def email_from_text(text: str | None) -> str | None:
    """Return the first e-mail address in ``text``, or None."""
    if not text:
        return None
    match = _EMAIL.search(text)
    return None if match is None else match.group()


def email_from_event(description: str, location: str, summary: str) -> str | None:
    """Return the first e-mail address of the description, location, then summary."""
    for text in (description, location, summary):
        if (found := email_from_text(text)) is not None:
            return found
    return None


__all__ = ["email_from_event", "email_from_text"]
