"""What every action shares: resolving targets to loaded entries, translating errors."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr

from ..api.errors import NotFoundError, SmartAccessApiError, ValidationError
from ..const import CONF_VENDOR, DOMAIN, Vendor
from ..coordinator import (
    BikeepCoordinator,
    RemoteLockCoordinator,
    SmartAccessConfigEntry,
)
from ..helpers import command_error

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_DEVICE_ID = "device_id"


def _vendor_name(vendor: Vendor) -> str:
    return "RemoteLock" if vendor is Vendor.REMOTELOCK else "Bikeep"


def loaded_entry(
    hass: HomeAssistant, entry_id: str, vendor: Vendor
) -> SmartAccessConfigEntry:
    """Return the loaded Smart Access entry ``entry_id`` of ``vendor``.

    Raises a translated ServiceValidationError when the entry is unknown, belongs to
    the other vendor or is not loaded.
    """
    entry: SmartAccessConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_config_entry",
            translation_placeholders={"entry_id": entry_id},
        )
    if entry.data.get(CONF_VENDOR) != vendor:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="wrong_vendor_entry",
            translation_placeholders={
                "title": entry.title,
                "vendor": _vendor_name(vendor),
            },
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"title": entry.title},
        )
    return entry


def device_target(
    hass: HomeAssistant, device_id: str, vendor: Vendor
) -> tuple[SmartAccessConfigEntry, str, dr.DeviceEntry]:
    """Resolve a Home Assistant device id to its entry and the vendor's device id."""
    device = dr.async_get(hass).async_get(device_id)
    vendor_ids = (
        [ident for domain, ident in device.identifiers if domain == DOMAIN]
        if device
        else []
    )
    if device is None or not vendor_ids:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_device",
            translation_placeholders={"device_id": device_id},
        )
    name = device.name_by_user or device.name or device_id
    for entry_id in device.config_entries:
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            continue
        if entry.data.get(CONF_VENDOR) != vendor:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="wrong_vendor_device",
                translation_placeholders={
                    "device": name,
                    "vendor": _vendor_name(vendor),
                },
            )
        return loaded_entry(hass, entry_id, vendor), vendor_ids[0], device
    raise ServiceValidationError(  # pragma: no cover - identifiers imply an entry
        translation_domain=DOMAIN,
        translation_key="unknown_device",
        translation_placeholders={"device_id": device_id},
    )


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


def field_messages(err: ValidationError) -> str:
    """Return the per-attribute messages of a validation error as one line."""
    parts = []
    for field_error in err.field_errors:
        text = ", ".join(field_error.messages)
        parts.append(
            f"{field_error.attribute}: {text}" if field_error.attribute else text
        )
    return "; ".join(parts) or str(err)


def action_error(err: SmartAccessApiError, action: str) -> HomeAssistantError:
    """Translate a client error raised while running ``action``.

    The service's validation errors name the fields they are about and reach the
    user as ServiceValidationError; a missing resource says so; everything else is
    the same translated error the entities raise for their commands.
    """
    if isinstance(err, ValidationError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="action_invalid",
            translation_placeholders={"action": action, "fields": field_messages(err)},
        )
    if isinstance(err, NotFoundError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="action_not_found",
            translation_placeholders={"action": action},
        )
    return command_error(err, action)


def device_name(device: dr.DeviceEntry) -> str:
    """Return the name the user sees for a registry device."""
    return device.name_by_user or device.name or device.id
