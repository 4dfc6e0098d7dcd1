"""JSON bodies in the shapes of the Bikeep guide."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import const
from .heartbeat import deprecated_health, health, is_online, last_heartbeat
from .machine import settle_device
from .model import BikeepState, Command, Device, Location, Whitelist
from .timeutil import fmt


def device_body(state: BikeepState, device: Device, now: datetime) -> dict[str, Any]:
    """One device (list item and detail share the shape)."""
    settle_device(state, device, now)
    value, dead_since = health(state, device, now)
    last_seen = last_heartbeat(state, device) or now
    return {
        "id": device.id,
        "type": device.type,
        "alias": device.alias,
        "code": device.code,
        "location_id": device.location_id,
        "state": {
            "value": device.state,
            "changed_at": fmt(device.changed_at),
            "timeout_at": fmt(device.timeout_at),
        },
        "hardware_state": device.hardware_state,
        "heartbeat_v2": {"health": value, "dead_since": fmt(dead_since)},
        "heartbeat_health": deprecated_health(value),
        "heartbeat": {
            "health": deprecated_health(value),
            "last_received_at": fmt(last_seen),
        },
    }


def location_body(
    state: BikeepState, location: Location, now: datetime
) -> dict[str, Any]:
    """One location with its computed connection and device counts."""
    total = available = online = 0
    guards_online = guards = 0
    for device in state.location_devices(location.id):
        settle_device(state, device, now)
        device_online = is_online(state, device, now)
        if device.type == const.GUARD:
            guards += 1
            guards_online += device_online
            continue
        total += 1
        online += device_online
        available += (
            device_online
            and device.state == const.UNLOCKED
            and device.hardware_state == const.HARDWARE_NORMAL
        )
    connected = guards_online > 0 if guards else online > 0
    return {
        "id": location.id,
        "type": location.type,
        "label": location.label,
        "name": location.name,
        "status": location.status,
        "connection": "online" if connected else "offline",
        "address": location.address,
        "devices": {"total": total, "available": available, "online": online},
    }


def command_body(command: Command) -> dict[str, Any]:
    """One command, as the guide's POST and GET answers show it."""
    events = []
    for event in command.events:
        item: dict[str, Any] = {"name": event.name, "timestamp": fmt(event.timestamp)}
        if event.message is not None:
            item["message"] = event.message
        events.append(item)
    return {
        "uri": f"/device/v1/commands/{command.id}",
        "id": command.id,
        "name": command.name,
        "device": {
            "id": command.device_id,
            "uri": f"/device/v1/devices/{command.device_id}",
        },
        "state": {"value": command.state, "timeout_at": fmt(command.timeout_at)},
        "events": events,
    }


def whitelist_body(whitelist: Whitelist) -> dict[str, Any]:
    """One whitelist in the location's list."""
    return {
        "id": whitelist.id,
        "name": whitelist.name,
        "location_id": whitelist.location_id,
        "entities_count": len(whitelist.entities),
        "targets_count": len(whitelist.targets),
    }


def entity_body(entity_dict: dict[str, Any]) -> dict[str, Any]:
    """Re-format an entity's dump form with API timestamps."""
    return {
        key: fmt(datetime.fromisoformat(value))
        if key in ("expires_at", "created_at", "updated_at") and value
        else value
        for key, value in entity_dict.items()
    }
