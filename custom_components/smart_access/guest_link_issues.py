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

from collections.abc import Callable, Iterable
from datetime import datetime

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .guest_link_report import GuestItem, SyncReport, aware_window
from .guest_sync.model import ActionKind, GuestKey, TargetRef
from .guest_sync.sync import SyncResult

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


def _named(item: GuestItem, detail: str | None = None) -> str:
    doors = ", ".join(item.doors)
    return f"{item.guest} ({doors}): {detail}" if detail else f"{item.guest} ({doors})"


def sync_issues(
    title: str,
    calendar: str,
    now: datetime,
    result: SyncResult,
    report: SyncReport,
    applied: Iterable[GuestKey],
    label: Callable[[TargetRef], str],
    target_problems: Iterable[str],
) -> dict[str, dict[str, str] | None]:
    """Return each issue a finished sync raises (placeholders) or clears (None).

    ``target_problems``: what the sync found wrong with the link's doors before
    it ran (they stand in the doors issue already; a lock that answered 404 adds
    to them).
    """
    made = set(applied)
    failed = [_named(item, item.error) for item in report.failed]
    late: list[str] = []
    for key, wanted in result.desired.items():
        check_in, _ = aware_window(wanted.state, key[1])
        if key not in made and check_in <= now:
            doors = ", ".join(label(ref) for ref in wanted.state.targets)
            local = wanted.state.starts_at.strftime("%Y-%m-%d %H:%M")
            late.append(f"{wanted.state.name} ({doors}), check-in {local}")
    drift = [_named(item, item.reason) for item in report.of(ActionKind.REPORT)]
    mass = [_named(item) for item in report.pending]

    def listed(items: list[str]) -> dict[str, str] | None:
        return {"link": title, "items": lines(items)} if items else None

    issues = {
        SYNC_FAILED: listed(failed),
        LATE: listed(late),
        DRIFT: listed(drift),
        MASS_CANCEL: {
            "link": title,
            "calendar": calendar,
            "count": str(len(mass)),
            "items": lines(mass),
        }
        if result.mass_cancel
        else None,
    }
    if result.gone:
        gone = sorted(f"{label(ref)}: deleted at RemoteLock" for ref in result.gone)
        issues[TARGETS] = {"link": title, "targets": lines([*target_problems, *gone])}
    return issues
