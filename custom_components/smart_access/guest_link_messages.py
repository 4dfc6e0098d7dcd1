"""What a link tells the host after a sync, through its notify target.

* a guest created (or re-created after a portal deletion): name, PIN, doors and
  validity, in the doors' local time;
* the booking's PIN was in use, so RemoteLock generated another: the new PIN (with
  no notify target: a persistent notification without the PIN);
* a stay moved: the new validity (the PIN stays);
* a booking cancelled: the access was deactivated.

A message with a PIN that cannot be sent leaves a persistent notification saying
so (without the PIN).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from .guest_link_notify import async_message, async_tell_host, tell_host_in_ui
from .guest_link_report import SyncReport
from .guest_sync.model import ActionKind, Reason
from .guest_sync.sync import SyncResult

if TYPE_CHECKING:
    from .guest_link import GuestLink


def when(moment: datetime | None, zone: str) -> str:
    """Return a local time as a host reads it: ``Fri 5 Dec 2026 15:00``."""
    if moment is None:
        return "?"
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)).strftime("%a %-d %b %Y %H:%M")


async def async_tell_about(
    link: GuestLink, result: SyncResult, report: SyncReport
) -> None:
    """Send one message per guest the host should hear about."""
    hass = link.hass
    target = link.config.notify
    title = await async_message(hass, "guest_notify_title", {"link": link.title})
    items = {item.guest_id: item for item in report.items if item.guest_id}
    for res in result.results:
        action = res.action
        item = items.get(res.guest_id or action.guest_id or "")
        if item is None or res.deferred or res.held:
            continue
        # A create that left doors or the e-mail undone still made the guest and
        # its PIN: the host hears of it (with the doors granted so far).
        created = action.kind is ActionKind.CREATE and bool(res.guest_id and res.pin)
        if item.error and not created:
            continue
        if created and res.written is not None:
            item = replace(
                item, doors=tuple(link.label(r) for r in res.written.targets)
            )
        zone = action.key[1]
        values = {
            "guest": item.guest,
            "doors": ", ".join(item.doors),
            "check_in": when(item.check_in, zone),
            "check_out": when(item.check_out, zone),
            "pin": res.pin or "?",
        }
        key: str | None = None
        if action.kind is ActionKind.CREATE:
            if (
                action.reason is Reason.NEW
                and action.key in link.state.pin_rejected
                and link.config.pin_from_event
            ):
                key = "guest_notify_new_pin"
                if not target:
                    text = await async_message(hass, "guest_notify_new_pin_ui", values)
                    tell_host_in_ui(
                        hass, f"{link.subentry_id}_{res.guest_id}", title, text
                    )
                    continue
            elif action.reason is Reason.RESTORE:
                key = "guest_notify_restored"
            else:
                key = "guest_notify_created"
        elif action.kind is ActionKind.UPDATE and {"starts_at", "ends_at"} & set(
            action.fields
        ):
            key = "guest_notify_moved"
        elif action.kind is ActionKind.DEACTIVATE and action.reason is Reason.CANCELLED:
            key = "guest_notify_cancelled"
        if key is None or not target:
            continue
        sent = await async_tell_host(
            hass, target, title, await async_message(hass, key, values)
        )
        if not sent and res.pin:
            # The host would never learn this PIN: say so where they will see it
            # (without the PIN).
            text = await async_message(
                hass,
                "guest_notify_failed_ui",
                {"guest": item.guest, "target": target},
            )
            tell_host_in_ui(hass, f"{link.subentry_id}_{res.guest_id}", title, text)
