"""RemoteLock actions: resort lock guests and access instructions e-mails.

Resort lock guest times are wall-clock times of the lock's location and the service
keeps whole hours only (it would zero the minutes, cutting a stay short). We round
the start down and the end up, so the guest's window always covers the requested
one, and say so in the response.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.util import dt as dt_util
import probatio

from ..api.errors import SmartAccessApiError
from ..api.remotelock.models import ResortLock, ResortLockGuest
from ..const import LOGGER, Vendor
from ..coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .common import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DEVICE_ID,
    ATTR_EMAIL,
    ATTR_ENDS_AT,
    ATTR_NAME,
    ATTR_SEND_INSTRUCTIONS,
    ATTR_STARTS_AT,
    DAYS_BEFORE,
    GUEST_WINDOW_FIELDS,
    SEND_INSTRUCTIONS_FIELD,
    device_name,
    device_target,
    failed,
    failure_reason,
    invalid,
    loaded_entry,
    register_actions,
    remotelock_coordinator,
    translated,
)
from .remotelock_persons import ATTR_ACCESS_PERSON_ID as ATTR_PERSON_ID
from .remotelock_times import as_aware, ceil_hour, floor_hour, local_iso, to_local

SERVICE_CREATE_GUEST = "create_resort_lock_guest"
SERVICE_DELETE_GUEST = "delete_resort_lock_guest"
SERVICE_SEND_INSTRUCTIONS = "send_access_instructions"

ATTR_ONE_TIME_ACCESS = "one_time_access"
ATTR_GUEST_ID = "resort_lock_guest_id"
ATTR_DAYS_BEFORE = "days_before"

CREATE_GUEST_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Required(ATTR_NAME): cv.string,
        **GUEST_WINDOW_FIELDS,
        probatio.Optional(ATTR_EMAIL): cv.string,
        probatio.Optional(ATTR_ONE_TIME_ACCESS, default=False): cv.boolean,
        **SEND_INSTRUCTIONS_FIELD,
    }
)
DELETE_GUEST_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required(ATTR_GUEST_ID): cv.string,
        probatio.Optional(ATTR_DEVICE_ID): cv.string,
    }
)
SEND_INSTRUCTIONS_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Optional(ATTR_PERSON_ID): cv.string,
        probatio.Optional(ATTR_GUEST_ID): cv.string,
        probatio.Optional(ATTR_DAYS_BEFORE): DAYS_BEFORE,
    }
)


def _resort_lock(
    coordinator: RemoteLockCoordinator, lock_id: str, device: dr.DeviceEntry
) -> ResortLock:
    """Return the resort lock behind ``device`` or say it is something else."""
    lock = coordinator.data.devices.get(lock_id)
    if not isinstance(lock, ResortLock):
        raise invalid("resort_not_resort_lock", device=device_name(device))
    return lock


async def _async_time_zone(
    coordinator: RemoteLockCoordinator, lock: ResortLock, device: dr.DeviceEntry
) -> str:
    """Return the (valid) IANA time zone of the lock's location.

    Locations are polled every 30 minutes; one the snapshot does not know yet (the
    lock was just moved there) is fetched.
    """
    location = coordinator.data.locations.get(lock.location_id or "")
    if location is None and lock.location_id:
        location = await coordinator.client.async_get_location(lock.location_id)
    time_zone = location.time_zone if location else None
    if not time_zone or dt_util.get_time_zone(time_zone) is None:
        raise failed("resort_no_time_zone", device=device_name(device))
    return time_zone


def _check_window(starts: datetime, ends: datetime) -> None:
    if ends <= starts:
        raise invalid(
            "resort_end_before_start",
            starts_at=starts.isoformat(),
            ends_at=ends.isoformat(),
        )
    if ends <= dt_util.utcnow():
        raise invalid("resort_ends_in_past", ends_at=ends.isoformat())


@translated
async def _async_create_guest(call: ServiceCall) -> ServiceResponse:
    entry, lock_id, device = device_target(
        call.hass, call.data[ATTR_DEVICE_ID], Vendor.REMOTELOCK
    )
    coordinator = remotelock_coordinator(entry)
    lock = _resort_lock(coordinator, lock_id, device)
    email: str | None = call.data.get(ATTR_EMAIL) or None
    send_instructions: bool = call.data[ATTR_SEND_INSTRUCTIONS]
    if send_instructions and email is None:
        raise invalid("resort_instructions_need_email")
    starts = as_aware(call.data[ATTR_STARTS_AT])
    ends = as_aware(call.data[ATTR_ENDS_AT])
    _check_window(starts, ends)
    time_zone = await _async_time_zone(coordinator, lock, device)
    zone = ZoneInfo(time_zone)
    local_starts = to_local(starts, time_zone)
    local_ends = to_local(ends, time_zone)
    guest = await coordinator.client.async_create_resort_lock_guest(
        resort_lock_id=lock_id,
        name=call.data[ATTR_NAME],
        starts_at=floor_hour(local_starts),
        ends_at=ceil_hour(local_ends),
        email=email,
        one_time_access=call.data[ATTR_ONE_TIME_ACCESS],
    )
    LOGGER.debug("Created resort lock guest %s on %s", guest.id, lock_id)
    coordinator.async_apply_resort_guest(guest)
    effective_starts = guest.starts_at or floor_hour(local_starts)
    effective_ends = guest.ends_at or ceil_hour(local_ends)
    response: dict[str, Any] = {
        "guest_id": guest.id,
        "name": guest.name,
        "pin": guest.pin,
        "resort_lock_id": lock_id,
        "time_zone": time_zone,
        "starts_at": local_iso(effective_starts, time_zone),
        "ends_at": local_iso(effective_ends, time_zone),
        "one_time_access": bool(guest.one_time_access),
        "rounded": (effective_starts, effective_ends) != (local_starts, local_ends),
        "requested_starts_at": starts.astimezone(zone).isoformat(),
        "requested_ends_at": ends.astimezone(zone).isoformat(),
    }
    if send_instructions:
        response.update(await _async_send_after_create(call, coordinator, guest))
    return response if call.return_response else None


async def _async_send_after_create(
    call: ServiceCall, coordinator: RemoteLockCoordinator, guest: ResortLockGuest
) -> dict[str, Any]:
    """Send the new guest's e-mail; a failure must not hide the guest created."""
    try:
        await coordinator.client.async_notify_resort_lock_guest(guest.id)
    except SmartAccessApiError as err:
        if not call.return_response:
            raise failed(
                "resort_created_instructions_failed",
                name=guest.name or guest.id,
                guest_id=guest.id,
                error=failure_reason(err),
            ) from err
        return {"instructions_sent": False, "instructions_error": failure_reason(err)}
    return {"instructions_sent": True}


async def _async_check_guest_on_lock(
    call: ServiceCall,
    entry: SmartAccessConfigEntry,
    coordinator: RemoteLockCoordinator,
    guest_id: str,
) -> None:
    """Refuse to delete a guest of another resort lock than the one named."""
    device_entry, lock_id, device = device_target(
        call.hass, call.data[ATTR_DEVICE_ID], Vendor.REMOTELOCK
    )
    if device_entry.entry_id != entry.entry_id:
        raise invalid(
            "resort_device_other_entry", device=device_name(device), title=entry.title
        )
    _resort_lock(coordinator, lock_id, device)
    guest = await coordinator.client.async_get_resort_lock_guest(guest_id)
    if guest.resort_lock_id != lock_id:
        raise invalid(
            "resort_guest_other_lock", guest_id=guest_id, device=device_name(device)
        )


@translated
async def _async_delete_guest(call: ServiceCall) -> ServiceResponse:
    entry = loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID], Vendor.REMOTELOCK)
    coordinator = remotelock_coordinator(entry)
    guest_id: str = call.data[ATTR_GUEST_ID]
    if ATTR_DEVICE_ID in call.data:
        await _async_check_guest_on_lock(call, entry, coordinator, guest_id)
    await coordinator.client.async_delete_resort_lock_guest(guest_id)
    LOGGER.debug("Deleted resort lock guest %s", guest_id)
    coordinator.async_remove_resort_guest(guest_id)
    return None


@translated
async def _async_send_instructions(call: ServiceCall) -> ServiceResponse:
    entry = loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID], Vendor.REMOTELOCK)
    person_id: str | None = call.data.get(ATTR_PERSON_ID) or None
    guest_id: str | None = call.data.get(ATTR_GUEST_ID) or None
    days_before: int | None = call.data.get(ATTR_DAYS_BEFORE)
    if (person_id is None) == (guest_id is None):
        raise invalid("instructions_one_recipient")
    if guest_id is not None and days_before is not None:
        raise invalid("instructions_days_before_resort_guest")
    client = remotelock_coordinator(entry).client
    if person_id is not None:
        await client.async_notify_access_person(person_id, days_before=days_before)
    elif guest_id is not None:
        await client.async_notify_resort_lock_guest(guest_id)
    return None


@callback
def async_register(hass: HomeAssistant) -> None:
    """Register the resort lock guest and access instructions actions."""
    register_actions(
        hass,
        (
            (
                SERVICE_CREATE_GUEST,
                _async_create_guest,
                CREATE_GUEST_SCHEMA,
                SupportsResponse.OPTIONAL,
            ),
            (
                SERVICE_DELETE_GUEST,
                _async_delete_guest,
                DELETE_GUEST_SCHEMA,
                SupportsResponse.NONE,
            ),
            (
                SERVICE_SEND_INSTRUCTIONS,
                _async_send_instructions,
                SEND_INSTRUCTIONS_SCHEMA,
                SupportsResponse.NONE,
            ),
        ),
    )
