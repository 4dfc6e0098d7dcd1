"""What the actions share: targets, translated errors, registration, schema pieces."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime
import functools
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
)
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
    UnknownUser,
)
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    service,
)
from homeassistant.util import dt as dt_util
import probatio

from ..api.errors import SmartAccessApiError, ValidationError
from ..const import CONF_VENDOR, DOMAIN, Vendor
from ..coordinator import (
    BikeepCoordinator,
    RemoteLockCoordinator,
    SmartAccessConfigEntry,
)
from ..entity import BIKEEP_MANUFACTURER, REMOTELOCK_MANUFACTURER
from ..error_mapping import action_error, field_messages

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_DEVICE_ID = "device_id"
ATTR_NAME = "name"
ATTR_EMAIL = "email"
ATTR_STARTS_AT = "starts_at"
ATTR_ENDS_AT = "ends_at"
ATTR_SEND_INSTRUCTIONS = "send_instructions"

# Schema pieces of the RemoteLock guest and instructions actions.
GUEST_WINDOW_FIELDS: dict[probatio.Marker, Any] = {
    probatio.Required(ATTR_STARTS_AT): cv.datetime,
    probatio.Required(ATTR_ENDS_AT): cv.datetime,
}
SEND_INSTRUCTIONS_FIELD: dict[probatio.Marker, Any] = {
    probatio.Optional(ATTR_SEND_INSTRUCTIONS, default=False): cv.boolean,
}
DAYS_BEFORE = probatio.All(probatio.Coerce(int), probatio.Range(min=0, max=365))


def invalid(key: str, **placeholders: str) -> ServiceValidationError:
    """Return a translated ServiceValidationError: the call cannot be carried out."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def failed(key: str, **placeholders: str) -> HomeAssistantError:
    """Return a translated HomeAssistantError: a step at the vendor failed."""
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def _vendor_name(vendor: Vendor) -> str:
    return (
        REMOTELOCK_MANUFACTURER if vendor is Vendor.REMOTELOCK else BIKEEP_MANUFACTURER
    )


def require_future(value: datetime, field: str) -> datetime:
    """Return ``value`` in UTC (naive means local time); reject a past moment."""
    moment = dt_util.as_utc(value)
    if moment <= dt_util.utcnow():
        raise invalid(
            "bikeep_time_in_past",
            field=field,
            time=dt_util.as_local(moment).isoformat(timespec="seconds"),
        )
    return moment


def loaded_entry(
    hass: HomeAssistant, entry_id: str, vendor: Vendor
) -> SmartAccessConfigEntry:
    """Return the loaded Smart Access entry ``entry_id`` of ``vendor``.

    Raises a translated ServiceValidationError when the entry is unknown, belongs to
    the other vendor or is not loaded.
    """
    entry: SmartAccessConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise invalid("unknown_config_entry", entry_id=entry_id)
    if entry.data.get(CONF_VENDOR) != vendor:
        raise invalid(
            "wrong_vendor_entry", title=entry.title, vendor=_vendor_name(vendor)
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise invalid("entry_not_loaded", title=entry.title)
    return entry


def device_target(
    hass: HomeAssistant, device_id: str, vendor: Vendor
) -> tuple[SmartAccessConfigEntry, str, dr.DeviceEntry]:
    """Resolve a Home Assistant device id to its entry and the vendor's device id."""
    device = dr.async_get(hass).async_get(device_id)
    if not isinstance(device, dr.DeviceEntry):
        raise invalid("unknown_device", device_id=device_id)
    vendor_ids = [ident for domain, ident in device.identifiers if domain == DOMAIN]
    entry = hass.config_entries.async_get_entry(device.config_entry_id)
    if not vendor_ids or entry is None or entry.domain != DOMAIN:
        raise invalid("unknown_device", device_id=device_id)
    if entry.data.get(CONF_VENDOR) != vendor:
        raise invalid(
            "wrong_vendor_device",
            device=device_name(device),
            vendor=_vendor_name(vendor),
        )
    return loaded_entry(hass, entry.entry_id, vendor), vendor_ids[0], device


def bikeep_coordinator(entry: SmartAccessConfigEntry) -> BikeepCoordinator:
    """Return the Bikeep coordinator of a loaded Bikeep entry."""
    coordinator = entry.runtime_data.coordinator
    assert isinstance(coordinator, BikeepCoordinator)
    return coordinator


def remotelock_coordinator(entry: SmartAccessConfigEntry) -> RemoteLockCoordinator:
    """Return the RemoteLock coordinator of a loaded RemoteLock entry."""
    coordinator = entry.runtime_data.coordinator
    assert isinstance(coordinator, RemoteLockCoordinator)
    return coordinator


def entry_of_call(call: ServiceCall) -> SmartAccessConfigEntry | None:
    """Return the loaded Smart Access entry an action call is about, if any."""
    hass = call.hass
    entry_id = call.data.get(ATTR_CONFIG_ENTRY_ID)
    if entry_id is None and (device_id := call.data.get("device_id")):
        device = dr.async_get(hass).async_get(str(device_id))
        if isinstance(device, dr.DeviceEntry):
            entry_id = device.config_entry_id
    entry = hass.config_entries.async_get_entry(str(entry_id)) if entry_id else None
    if (
        entry is not None
        and entry.domain == DOMAIN
        and entry.state is ConfigEntryState.LOADED
    ):
        return entry
    return None


def failure_reason(err: SmartAccessApiError) -> str:
    """Say why one step failed: the service's field messages or the error."""
    return field_messages(err) if isinstance(err, ValidationError) else str(err)


type Handler = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]


def translated(handler: Handler) -> Handler:
    """Turn client errors escaping a handler into its action's translated error."""

    @functools.wraps(handler)
    async def run(call: ServiceCall) -> ServiceResponse:
        try:
            return await handler(call)
        except SmartAccessApiError as err:
            raise action_error(
                err, call.service, call.hass, entry_of_call(call)
            ) from err

    return run


# Actions that read no credential and change no access stay open to every user; the
# others (creating, changing or revealing PINs, cards, guests, grants, bookings and
# allowlists, and forced commands) need an administrator. list_access_persons asks
# for one only when it reveals secrets (include_secrets).
OPEN_ACTIONS = frozenset({"list_access_persons"})


def register_actions(
    hass: HomeAssistant,
    actions: Iterable[tuple[str, Handler, probatio.Schema, SupportsResponse]],
) -> None:
    """Register ``(name, handler, schema, supports_response)`` actions.

    Every action outside OPEN_ACTIONS is an admin action: a call by a user who is
    not an administrator raises Unauthorized before anything is sent.
    """
    for name, handler, schema, supports_response in actions:
        if name in OPEN_ACTIONS:
            hass.services.async_register(
                DOMAIN,
                name,
                handler,
                schema=schema,
                supports_response=supports_response,
            )
        else:
            service.async_register_admin_service(
                hass, DOMAIN, name, handler, schema, supports_response
            )


async def async_require_admin(call: ServiceCall) -> None:
    """Refuse a call by a user who is not an administrator (as admin actions do)."""
    if call.context.user_id is None:
        return  # automations, scripts and Home Assistant itself
    user = await call.hass.auth.async_get_user(call.context.user_id)
    if user is None:
        raise UnknownUser(context=call.context)
    if not user.is_admin:
        raise Unauthorized(context=call.context)


def device_name(device: dr.DeviceEntry, fallback: str | None = None) -> str:
    """Return the name the user sees for a registry device."""
    return device.name_by_user or device.name or fallback or device.id
