"""Bikeep actions: booking and administrative commands on lockers and bike docks.

Each action sends one asynchronous command and follows it (through the coordinator,
so the device's entities show the progress) until SUCCESS; ERROR or a passed deadline
raises a translated error that names the reason. The RFID actions live in
``bikeep_rfid`` and are registered from here.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
import probatio

from ..api.bikeep.commands import CommandName
from ..api.errors import CommandFailedError
from ..const import Vendor
from . import bikeep_rfid
from .common import (
    ATTR_DEVICE_ID,
    bikeep_coordinator,
    device_name,
    device_target,
    failed,
    invalid,
    register_actions,
    require_future,
    translated,
)

SERVICE_BOOK = "book"
ATTR_UNTIL = "until"

COMMANDS: dict[str, CommandName] = {
    SERVICE_BOOK: CommandName.BOOK,
    "cancel_booking": CommandName.CANCEL_BOOKING,
    "force_lock": CommandName.FORCE_LOCK,
    "force_unlock": CommandName.FORCE_UNLOCK,
    "force_cancel_booking": CommandName.FORCE_CANCEL_BOOKING,
}

DEVICE_SCHEMA = probatio.Schema({probatio.Required(ATTR_DEVICE_ID): cv.string})
BOOK_SCHEMA = DEVICE_SCHEMA.extend({probatio.Optional(ATTR_UNTIL): cv.datetime})


@translated
async def _async_command(call: ServiceCall) -> ServiceResponse:
    """Run the call's command on a locker or dock and report how it ended."""
    command = COMMANDS[call.service]
    until: datetime | None = call.data.get(ATTR_UNTIL)
    if until is not None:
        until = require_future(until, ATTR_UNTIL)
    entry, device_id, device_entry = device_target(
        call.hass, call.data[ATTR_DEVICE_ID], Vendor.BIKEEP
    )
    coordinator = bikeep_coordinator(entry)
    name = device_name(device_entry)
    device = coordinator.data.devices.get(device_id)
    if device is None or not device.is_lockable:
        raise invalid("bikeep_not_lockable", device=name)
    try:
        final = await coordinator.async_run_command(
            device_id, command, timeout_at=until
        )
    except CommandFailedError as err:  # the device said no, or time ran out
        raise failed(
            "bikeep_command_timed_out" if err.timed_out else "bikeep_command_failed",
            action=call.service,
            device=name,
            error=str(err),
        ) from err
    after = coordinator.data.devices.get(device_id, device).state
    return {
        "command_id": final.id,
        "command": str(final.name),
        "command_state": str(final.state.value),
        "device_state": str(after.value) if after else None,
        "device_state_until": after.timeout_at.isoformat()
        if after and after.timeout_at
        else None,
    }


@callback
def async_register(hass: HomeAssistant) -> None:
    """Register the Bikeep actions (commands here, RFID cards in bikeep_rfid)."""
    register_actions(
        hass,
        (
            (
                service,
                _async_command,
                BOOK_SCHEMA if service == SERVICE_BOOK else DEVICE_SCHEMA,
                SupportsResponse.OPTIONAL,
            )
            for service in COMMANDS
        ),
    )
    bikeep_rfid.async_register(hass)
