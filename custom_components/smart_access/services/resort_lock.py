"""RemoteLock actions: resort lock guests and access instructions e-mails.

Resort lock guest times are wall-clock times of the lock's location and the service
keeps whole hours only (it would zero the minutes, cutting a stay short). We round
the start down and the end up, so the guest's window always covers the requested
one, and say so in the response.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.util import dt as dt_util
import voluptuous as vol

from ..api.errors import SmartAccessApiError, ValidationError
from ..api.remotelock.models import ResortLock, ResortLockGuest
from ..api.remotelock.timezones import aware_to_local_naive
from ..const import DOMAIN, LOGGER, Vendor
from ..coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .common import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DEVICE_ID,
    action_error,
    device_target,
    field_messages,
    loaded_entry,
    remotelock_coordinator,
)
from .remotelock_times import as_aware, local_iso

SERVICE_CREATE_GUEST = "create_resort_lock_guest"
SERVICE_DELETE_GUEST = "delete_resort_lock_guest"
SERVICE_SEND_INSTRUCTIONS = "send_access_instructions"

ATTR_NAME = "name"
ATTR_STARTS_AT = "starts_at"
ATTR_ENDS_AT = "ends_at"
ATTR_EMAIL = "email"
ATTR_ONE_TIME_ACCESS = "one_time_access"
ATTR_SEND_INSTRUCTIONS = "send_instructions"
ATTR_GUEST_ID = "resort_lock_guest_id"
ATTR_PERSON_ID = "access_person_id"
ATTR_DAYS_BEFORE = "days_before"

CREATE_GUEST_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_NAME): cv.string,
        vol.Required(ATTR_STARTS_AT): cv.datetime,
        vol.Required(ATTR_ENDS_AT): cv.datetime,
        vol.Optional(ATTR_EMAIL): cv.string,
        vol.Optional(ATTR_ONE_TIME_ACCESS, default=False): cv.boolean,
        vol.Optional(ATTR_SEND_INSTRUCTIONS, default=False): cv.boolean,
    }
)
DELETE_GUEST_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Required(ATTR_GUEST_ID): cv.string,
        vol.Optional(ATTR_DEVICE_ID): cv.string,
    }
)
SEND_INSTRUCTIONS_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        vol.Optional(ATTR_PERSON_ID): cv.string,
        vol.Optional(ATTR_GUEST_ID): cv.string,
        vol.Optional(ATTR_DAYS_BEFORE): vol.All(
            vol.Coerce(int), vol.Range(min=0, max=365)
        ),
    }
)


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def _device_name(device: dr.DeviceEntry) -> str:
    return device.name_by_user or device.name or device.id


def _error_text(err: SmartAccessApiError) -> str:
    return field_messages(err) if isinstance(err, ValidationError) else str(err)


def _resort_lock(
    coordinator: RemoteLockCoordinator, lock_id: str, device: dr.DeviceEntry
) -> ResortLock:
    """Return the resort lock behind ``device`` or say it is something else."""
    lock = coordinator.data.devices.get(lock_id)
    if not isinstance(lock, ResortLock):
        raise _invalid("resort_not_resort_lock", device=_device_name(device))
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
        try:
            location = await coordinator.client.async_get_location(lock.location_id)
        except SmartAccessApiError as err:
            raise action_error(err, SERVICE_CREATE_GUEST) from err
    time_zone = location.time_zone if location else None
    if not time_zone or dt_util.get_time_zone(time_zone) is None:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="resort_no_time_zone",
            translation_placeholders={"device": _device_name(device)},
        )
    return time_zone


def _floor_hour(value: datetime) -> datetime:
    return value.replace(minute=0, second=0, microsecond=0)


def _ceil_hour(value: datetime) -> datetime:
    floor = _floor_hour(value)
    return floor if floor == value else floor + timedelta(hours=1)


def _check_window(starts: datetime, ends: datetime) -> None:
    if ends <= starts:
        raise _invalid(
            "resort_end_before_start",
            starts_at=starts.isoformat(),
            ends_at=ends.isoformat(),
        )
    if ends <= dt_util.utcnow():
        raise _invalid("resort_ends_in_past", ends_at=ends.isoformat())


async def _async_create_guest(call: ServiceCall) -> ServiceResponse:
    entry, lock_id, device = device_target(
        call.hass, call.data[ATTR_DEVICE_ID], Vendor.REMOTELOCK
    )
    coordinator = remotelock_coordinator(entry)
    lock = _resort_lock(coordinator, lock_id, device)
    email: str | None = call.data.get(ATTR_EMAIL) or None
    send_instructions: bool = call.data[ATTR_SEND_INSTRUCTIONS]
    if send_instructions and email is None:
        raise _invalid("resort_instructions_need_email")
    starts = as_aware(call.data[ATTR_STARTS_AT])
    ends = as_aware(call.data[ATTR_ENDS_AT])
    _check_window(starts, ends)
    time_zone = await _async_time_zone(coordinator, lock, device)
    zone = ZoneInfo(time_zone)
    local_starts = aware_to_local_naive(starts, time_zone)
    local_ends = aware_to_local_naive(ends, time_zone)
    try:
        guest = await coordinator.client.async_create_resort_lock_guest(
            resort_lock_id=lock_id,
            name=call.data[ATTR_NAME],
            starts_at=_floor_hour(local_starts),
            ends_at=_ceil_hour(local_ends),
            email=email,
            one_time_access=call.data[ATTR_ONE_TIME_ACCESS],
        )
    except SmartAccessApiError as err:
        raise action_error(err, SERVICE_CREATE_GUEST) from err
    LOGGER.debug("Created resort lock guest %s on %s", guest.id, lock_id)
    coordinator.async_apply_resort_guest(guest)
    effective_starts = guest.starts_at or _floor_hour(local_starts)
    effective_ends = guest.ends_at or _ceil_hour(local_ends)
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
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="resort_created_instructions_failed",
                translation_placeholders={
                    "name": guest.name or guest.id,
                    "guest_id": guest.id,
                    "error": _error_text(err),
                },
            ) from err
        return {"instructions_sent": False, "instructions_error": _error_text(err)}
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
        raise _invalid(
            "resort_device_other_entry", device=_device_name(device), title=entry.title
        )
    _resort_lock(coordinator, lock_id, device)
    guest = await coordinator.client.async_get_resort_lock_guest(guest_id)
    if guest.resort_lock_id != lock_id:
        raise _invalid(
            "resort_guest_other_lock", guest_id=guest_id, device=_device_name(device)
        )


async def _async_delete_guest(call: ServiceCall) -> None:
    entry = loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID], Vendor.REMOTELOCK)
    coordinator = remotelock_coordinator(entry)
    guest_id: str = call.data[ATTR_GUEST_ID]
    try:
        if ATTR_DEVICE_ID in call.data:
            await _async_check_guest_on_lock(call, entry, coordinator, guest_id)
        await coordinator.client.async_delete_resort_lock_guest(guest_id)
    except SmartAccessApiError as err:
        raise action_error(err, SERVICE_DELETE_GUEST) from err
    LOGGER.debug("Deleted resort lock guest %s", guest_id)
    coordinator.async_remove_resort_guest(guest_id)


async def _async_send_instructions(call: ServiceCall) -> None:
    entry = loaded_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID], Vendor.REMOTELOCK)
    person_id: str | None = call.data.get(ATTR_PERSON_ID) or None
    guest_id: str | None = call.data.get(ATTR_GUEST_ID) or None
    days_before: int | None = call.data.get(ATTR_DAYS_BEFORE)
    if (person_id is None) == (guest_id is None):
        raise _invalid("instructions_one_recipient")
    if guest_id is not None and days_before is not None:
        raise _invalid("instructions_days_before_resort_guest")
    client = remotelock_coordinator(entry).client
    try:
        if person_id is not None:
            await client.async_notify_access_person(person_id, days_before=days_before)
        elif guest_id is not None:
            await client.async_notify_resort_lock_guest(guest_id)
    except SmartAccessApiError as err:
        raise action_error(err, SERVICE_SEND_INSTRUCTIONS) from err


@callback
def async_register(hass: HomeAssistant) -> None:
    """Register the resort lock guest and access instructions actions."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_CREATE_GUEST,
        _async_create_guest,
        schema=CREATE_GUEST_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_DELETE_GUEST,
        _async_delete_guest,
        schema=DELETE_GUEST_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_INSTRUCTIONS,
        _async_send_instructions,
        schema=SEND_INSTRUCTIONS_SCHEMA,
    )
