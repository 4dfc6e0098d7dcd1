"""Diagnostics: what was polled and how polling goes, with every secret redacted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from . import entity_economy
from .const import DOMAIN
from .coordinator import (
    BikeepCoordinator,
    RemoteLockCoordinator,
    SmartAccessConfigEntry,
)
from .guest_link_diagnostics import link_diagnostics
from .guest_link_entity import links

REDACTED = "**REDACTED**"

# Keys are split on "_" and redacted when any part names a secret or personal data:
# client secrets and tokens, PINs, programming codes, card and RFID numbers, e-mails,
# phones, addresses, postal codes and coordinates, webhook ids and cloudhook URLs.
_SECRET_PARTS = frozenset(
    {
        "address",
        "card",
        "cloudhook",
        "email",
        "latitude",
        "longitude",
        "password",
        "phone",
        "pin",
        "pins",
        "postal",
        "programming",
        "rfid",
        "secret",
        "subscriber",
        "token",
        "webhook",
        "zip",
    }
)
_SECRET_KEYS = frozenset({"client_id"})


def _is_secret(key: str, value: Any) -> bool:
    """Return whether ``key`` names a secret (flags such as ``pin_credential`` aren't)."""
    if isinstance(value, bool) or value is None:
        return False
    lowered = key.lower()
    parts = {part.rstrip("0123456789") for part in lowered.split("_")}
    return lowered in _SECRET_KEYS or not _SECRET_PARTS.isdisjoint(parts)


def to_diagnostics(value: Any) -> Any:
    """Turn models into JSON-ready data and redact every secret key on the way."""
    if is_dataclass(value) and not isinstance(value, type):
        value = {item.name: getattr(value, item.name) for item in fields(value)}
    if isinstance(value, Mapping):
        return {
            str(key): REDACTED if _is_secret(str(key), item) else to_diagnostics(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [to_diagnostics(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def _coordinator_state(
    coordinator: RemoteLockCoordinator | BikeepCoordinator,
) -> dict[str, Any]:
    return {
        "last_update_success": coordinator.last_update_success,
        "last_exception": repr(coordinator.last_exception)
        if coordinator.last_exception
        else None,
        "update_interval": coordinator.update_interval,
    }


def _remotelock(coordinator: RemoteLockCoordinator) -> dict[str, Any]:
    data = coordinator.data
    return {
        "rate_limit": coordinator.client.rate_limit,
        "devices": list(data.devices.values()),
        "locations": list(data.locations.values()),
        "models": list(data.models.values()),
        # Guests carry names, PINs and e-mails: only how many each lock has.
        "resort_lock_guest_counts": {
            lock_id: len(guests) for lock_id, guests in data.resort_guests.items()
        },
        # How push goes (never the secret, the webhook id or its URL).
        "push": push.diagnostics()
        if (push := coordinator.config_entry.runtime_data.push)
        else None,
        # The access guests' reads: how many, when, the last error (no names).
        "guests": guests.diagnostics()
        if (guests := coordinator.config_entry.runtime_data.guests)
        else None,
    }


def _bikeep(coordinator: BikeepCoordinator) -> dict[str, Any]:
    data = coordinator.data
    return {
        "locations": list(data.locations.values()),
        "devices": list(data.devices.values()),
        "device_location": data.device_location,
        # Whitelist entities are card numbers: only the lists and their sizes.
        "whitelists": {
            location_id: [
                {
                    "id": whitelist.id,
                    "name": whitelist.name,
                    "cards": data.whitelist_card_counts.get(whitelist.id),
                }
                for whitelist in lists
            ]
            for location_id, lists in data.whitelists.items()
        },
        "commands_in_flight": coordinator.in_flight,
        # When each station's device list was last read, with its aggregates then.
        "station_reads": coordinator.station_reads,
        # How Bikeep's webhook deliveries went (never their content, id or URL).
        "bikeep_deliveries": hook.diagnostics()
        if (hook := coordinator.config_entry.runtime_data.bikeep_webhook)
        else None,
    }


def _snapshot(coordinator: RemoteLockCoordinator | BikeepCoordinator) -> Any:
    if isinstance(coordinator, RemoteLockCoordinator):
        return _remotelock(coordinator)
    return _bikeep(coordinator)


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmartAccessConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for a config entry."""
    coordinator = entry.runtime_data.coordinator
    result: dict[str, Any] = to_diagnostics(
        {
            "entry": {"data": dict(entry.data)},
            "coordinator": _coordinator_state(coordinator),
            "entities": _entity_plan(hass, entry),
            "data": _snapshot(coordinator),
        }
    )
    if running := links(entry):
        # Link state: booking references, guest ids, times and doors (no names).
        result["guest_access"] = to_diagnostics(
            {sid: link_diagnostics(link) for sid, link in running.items()}
        )
    return result


def _entity_plan(hass: HomeAssistant, entry: SmartAccessConfigEntry) -> dict[str, Any]:
    """Return what the entity economy enabled by default, and what is enabled now."""
    coordinator = entry.runtime_data.coordinator
    entity_plan = coordinator.entity_plan
    return {
        "enabled": er.async_get(hass).entities.get_enabled_count_for_config_entry_id(
            entry.entry_id
        ),
        "budget": entity_economy.ENABLED_BUDGET,
        "cap": entity_economy.HA_ENABLED_CAP,
        "last_plan": {
            "tier": entity_plan.tier.name.lower(),
            "new_objects": entity_plan.objects,
            "planned": entity_plan.planned,
            "controls_only_for_some": entity_plan.controls_for is not None,
        },
        "devices_left_out": coordinator.entities_left_out,
    }


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: SmartAccessConfigEntry, device: dr.DeviceEntry
) -> dict[str, Any]:
    """Return diagnostics for one device: its latest data as polled."""
    coordinator = entry.runtime_data.coordinator
    ids = {ident for domain, ident in device.identifiers if domain == DOMAIN}
    data = coordinator.data
    polled: dict[str, Any] = {}
    for vendor_id in ids:
        if isinstance(coordinator, RemoteLockCoordinator) and (
            vendor_id == coordinator.account_device_id
        ):
            polled[vendor_id] = {"rate_limit": coordinator.client.rate_limit}
        elif vendor_id in data.devices:
            polled[vendor_id] = data.devices[vendor_id]
        elif isinstance(coordinator, BikeepCoordinator):
            polled[vendor_id] = coordinator.data.locations.get(vendor_id)
    result: dict[str, Any] = to_diagnostics(
        {"coordinator": _coordinator_state(coordinator), "devices": polled}
    )
    return result
