"""A PIN taken from a calendar event, by one documented rule.

The rule: the last phone number in the text (a run of at least ``digits`` digits,
which may be split by spaces, dots, dashes, slashes or parentheses and may start
with ``+``) gives its last ``digits`` digits. Nothing matches, or the text is
empty: no PIN, and RemoteLock generates one (the fallback).
"""

from __future__ import annotations

import re

_PHONE = re.compile(r"\+?\d(?:[\s./()\-]*\d)+")
MIN_DIGITS, MAX_DIGITS = 4, 8


def pin_from_text(text: str | None, digits: int = 4) -> str | None:
    """Return the last ``digits`` digits of the last phone number in ``text``."""
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        raise ValueError(f"digits must be {MIN_DIGITS}-{MAX_DIGITS}")
    if not text:
        return None
    found: str | None = None
    for match in _PHONE.finditer(text):
        number = re.sub(r"\D", "", match.group())
        if len(number) >= digits:
            found = number[-digits:]
    return found
