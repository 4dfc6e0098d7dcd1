"""What removing a guest-access link does to the guests it made.

* ``ALL``: every guest not yet checked out is deactivated (the remove step, asked);
* ``UPCOMING``: those not yet checked in; a stay in progress keeps its access until
  check-out (the UI's Delete, and a removal finished at the next set-up);
* ``KEEP``: none; they keep their access until check-out.

One request per guest. A deactivation RemoteLock refuses is listed in a
persistent notification (the link and its issues are gone, so nothing would try
again); it names guests and doors, never a PIN.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from enum import StrEnum

from homeassistant.core import HomeAssistant

from .api.errors import SmartAccessApiError
from .api.remotelock import RemoteLockClient
from .const import DOMAIN, LOGGER
from .guest_link_issues import lines
from .guest_link_notify import async_message, tell_host_in_ui
from .guest_link_report import GuestItem, aware_window
from .guest_sync.model import ActionKind, Applied, GuestKey, TargetRef


class Removal(StrEnum):
    """What removing a link does to its guests."""

    ALL = "all"
    UPCOMING = "upcoming"
    KEEP = "keep"


async def async_deactivate(
    client: RemoteLockClient,
    applied: dict[GuestKey, Applied],
    removal: Removal,
    now: datetime,
    label: Callable[[TargetRef], str],
) -> list[GuestItem]:
    """Deactivate the guests ``removal`` names; one item each (with any error)."""
    done: list[GuestItem] = []
    if removal is Removal.KEEP:
        return done
    for (_, zone), last in sorted(applied.items()):
        check_in, check_out = aware_window(last.state, zone)
        if check_out <= now or (removal is Removal.UPCOMING and check_in <= now):
            continue
        error = None
        try:
            await client.async_deactivate_access_person(last.guest_id)
        except SmartAccessApiError as err:
            error = str(err)
            LOGGER.warning("Guest access: could not deactivate a guest: %s", err)
        done.append(
            GuestItem(
                str(ActionKind.DEACTIVATE),
                "link_removed",
                last.state.name,
                last.guest_id,
                check_in,
                check_out,
                tuple(label(ref) for ref in last.state.targets),
                error=error,
            )
        )
    return done


async def async_tell_failures(
    hass: HomeAssistant, subentry_id: str, title: str, done: Iterable[GuestItem]
) -> None:
    """List the deactivations RemoteLock refused in a persistent notification."""
    failed = [item for item in done if item.error]
    if not failed:
        return
    heading = await async_message(hass, "guest_notify_title", {"link": title})
    text = await async_message(
        hass,
        "guest_removal_failed",
        {"items": lines(f"{item.guest} ({', '.join(item.doors)})" for item in failed)},
    )
    tell_host_in_ui(hass, f"{DOMAIN}_removed_{subentry_id}", heading, text)
