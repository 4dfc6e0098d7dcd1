"""``smart_access.sync_guest_access``: run a RemoteLock entry's guest links now.

It syncs every link of the account (or the one whose device is given), paused
ones included (an explicit call is the host's decision), and answers what each
did: guests created, updated, deactivated, reported (hands off), failed and
deferred, with names, doors and validity, never a PIN.
"""

from __future__ import annotations

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv, device_registry as dr
import probatio

from ..const import Vendor
from ..guest_link_entity import link_device_identifier, links
from .common import (
    ATTR_CONFIG_ENTRY_ID,
    invalid,
    loaded_entry,
    register_actions,
    translated,
)

SERVICE_SYNC_GUEST_ACCESS = "sync_guest_access"
ATTR_LINK = "link"

SYNC_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Optional(ATTR_LINK): cv.string,
    }
)


@translated
async def async_sync(call: ServiceCall) -> ServiceResponse:
    """Sync the entry's links (or one) and return what each did."""
    entry = loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID], Vendor.REMOTELOCK)
    running = links(entry)
    if (device_id := call.data.get(ATTR_LINK)) is not None:
        device = dr.async_get(call.hass).async_get(device_id)
        identifiers = device.identifiers if device else set()
        selected = [
            link
            for sid, link in running.items()
            if link_device_identifier(sid) in identifiers
        ]
        if not selected:
            name = (device.name_by_user or device.name) if device else None
            raise invalid(
                "unknown_guest_link", link=name or device_id, title=entry.title
            )
    else:
        selected = list(running.values())
        if not selected:
            raise invalid("no_guest_links", title=entry.title)
    reports = [await link.async_sync(forced=True) for link in selected]
    return {"links": [report.as_dict() for report in reports]}


@callback
def async_register(hass: HomeAssistant) -> None:
    """Register the guest-access action."""
    register_actions(
        hass,
        (
            (
                SERVICE_SYNC_GUEST_ACCESS,
                async_sync,
                SYNC_SCHEMA,
                SupportsResponse.OPTIONAL,
            ),
        ),
    )
