"""Repair issues of a guest-access link: nothing fails silently.

Each issue id ends in ``_<entry_id>_<subentry_id>``, so removing the link or the
account removes its issues. Each clears itself at the first sync that no longer
finds the problem.

* ``guest_sync_failed``: a create, change or deactivation RemoteLock refused, item
  by item (booking, doors, RemoteLock's reason);
* ``guest_late``: a booking whose access should have begun (check-in less the
  buffer) has no guest at RemoteLock yet;
* ``guest_calendar_unavailable``: the calendar could not be read three times in a
  row (nothing is changed at RemoteLock meanwhile: no bookings read is not "no
  bookings");
* ``guest_targets``: a target is gone from the account or its time zone is unknown;
* ``guest_drift``: with "hands off", guests changed or deleted in the RemoteLock
  portal (the link leaves them as they are);
* ``guest_mass_cancel`` (fixable): every current and upcoming guest's booking is
  gone from the calendar at once; they keep their access until the host confirms
  (the fix flow) or the bookings come back.
"""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN

SYNC_FAILED = "guest_sync_failed"
LATE = "guest_late"
CALENDAR = "guest_calendar_unavailable"
TARGETS = "guest_targets"
DRIFT = "guest_drift"
MASS_CANCEL = "guest_mass_cancel"
ALL = (SYNC_FAILED, LATE, CALENDAR, TARGETS, DRIFT, MASS_CANCEL)
# At most this many lines in an issue; the rest is counted.
MAX_LINES = 10


def issue_id(kind: str, entry_id: str, subentry_id: str) -> str:
    """Return the id of a link's issue."""
    return f"{kind}_{entry_id}_{subentry_id}"


def lines(items: Iterable[str]) -> str:
    """Return a bulleted list, cut at MAX_LINES."""
    items = list(items)
    shown = [f"- {item}" for item in items[:MAX_LINES]]
    if len(items) > MAX_LINES:
        shown.append(f"- … (+{len(items) - MAX_LINES})")
    return "\n".join(shown)


def set_issue(
    hass: HomeAssistant,
    kind: str,
    entry_id: str,
    subentry_id: str,
    placeholders: dict[str, str] | None,
    *,
    fix_data: dict[str, str | int | float | None] | None = None,
) -> None:
    """Raise the issue with these placeholders, or clear it (None).

    With ``fix_data`` the issue is fixable: the repairs flow gets that data.
    """
    ident = issue_id(kind, entry_id, subentry_id)
    if placeholders is None:
        ir.async_delete_issue(hass, DOMAIN, ident)
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        ident,
        is_fixable=fix_data is not None,
        is_persistent=False,
        data=fix_data,
        severity=ir.IssueSeverity.ERROR
        if kind in (SYNC_FAILED, LATE, CALENDAR)
        else ir.IssueSeverity.WARNING,
        translation_key=kind,
        translation_placeholders=placeholders,
    )


def clear_all(hass: HomeAssistant, entry_id: str, subentry_id: str) -> None:
    """Clear every issue of a link (it was removed)."""
    for kind in ALL:
        ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry_id, subentry_id))
