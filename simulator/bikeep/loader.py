"""Turn a scenario dict into :class:`BikeepState` and back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import const
from .model import (
    BikeepState,
    Command,
    Device,
    Entity,
    Location,
    Operator,
    PublicArea,
    Settings,
    Target,
    Whitelist,
)
from .timeutil import dump, parse_optional
from .whitelists import ItemError, validate_entity


def _list(raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = raw.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError(f"scenario {key!r} must be a list of objects")
    return items


def load_state(raw: dict[str, Any], now: datetime) -> BikeepState:
    """Validate ``raw`` and build the state; raise ``ValueError`` on bad data."""
    if not isinstance(raw, dict):
        raise ValueError("a scenario is a JSON object")  # noqa: TRY004
    settings_raw = raw.get("settings", {})
    if not isinstance(settings_raw, dict):
        raise ValueError("scenario 'settings' must be an object")  # noqa: TRY004
    state = BikeepState(settings=Settings.from_dict(settings_raw))
    for item in _list(raw, "operators"):
        operator = Operator.from_dict(item)
        if state.operator_by_client(operator.client_id) is not None:
            raise ValueError(f"duplicate client_id {operator.client_id!r}")
        state.operators[operator.id] = operator
    for item in _list(raw, "locations"):
        location = Location.from_dict(item, now)
        if location.operator_id not in state.operators:
            raise ValueError(f"location {location.id!r}: unknown operator")
        if location.id in state.locations:
            raise ValueError(f"duplicate location id {location.id!r}")
        state.locations[location.id] = location
        for device_raw in _list(item, "devices"):
            state.add_device(Device.from_dict(device_raw, location.id, now))
    for device in state.devices.values():
        if device.guard_id is not None:
            guard = state.devices.get(device.guard_id)
            if guard is None or guard.type != const.GUARD:
                raise ValueError(f"device {device.id!r}: guard_id is not a GUARD")
    for item in _list(raw, "public_areas"):
        area = PublicArea.from_dict(item)
        state.public_areas[area.id] = area
    for item in _list(raw, "whitelists"):
        whitelist = _whitelist(item, state, now)
        state.whitelists[whitelist.id] = whitelist
    for item in _list(raw, "commands"):
        command = Command.from_dict(item)
        if command.device_id not in state.devices:
            raise ValueError(f"command {command.id!r}: unknown device")
        state.commands[command.id] = command
    return state


def _whitelist(raw: dict[str, Any], state: BikeepState, now: datetime) -> Whitelist:
    whitelist_id = raw.get("id")
    location_id = raw.get("location_id")
    if not isinstance(whitelist_id, str) or not isinstance(location_id, str):
        raise ValueError("a whitelist needs an id and a location_id")  # noqa: TRY004
    if location_id not in state.locations:
        raise ValueError(f"whitelist {whitelist_id!r}: unknown location")
    whitelist = Whitelist(
        id=whitelist_id,
        location_id=location_id,
        name=str(raw.get("name", whitelist_id)),
    )
    for target in _list(raw, "targets"):
        kind, target_id = target.get("type"), target.get("id")
        known = state.devices if kind == "device" else state.locations
        if kind not in const.TARGET_TYPES or target_id not in known:
            raise ValueError(f"whitelist {whitelist_id!r}: bad target {target!r}")
        whitelist.targets.append(Target(type=str(kind), id=str(target_id)))
    for entity_raw in _list(raw, "entities"):
        fields = validate_entity(entity_raw, now)
        if isinstance(fields, ItemError):
            raise ValueError(f"whitelist {whitelist_id!r}: {fields.message}")  # noqa: TRY004
        entity = Entity(
            **fields,
            created_at=parse_optional(entity_raw.get("created_at"), "created_at")
            or now,
            updated_at=parse_optional(entity_raw.get("updated_at"), "updated_at")
            or now,
        )
        whitelist.entities[entity.id] = entity
    return whitelist


def dump_state_dict(state: BikeepState, now: datetime) -> dict[str, Any]:
    """Return the whole state in scenario form (reloadable with :func:`load_state`)."""
    return {
        "now": dump(now),
        "settings": state.settings.to_dict(),
        "operators": [operator.to_dict() for operator in state.operators.values()],
        "public_areas": [area.to_dict() for area in state.public_areas.values()],
        "locations": [
            {
                **location.to_dict(),
                "devices": [
                    device.to_dict() for device in state.location_devices(location.id)
                ],
            }
            for location in state.locations.values()
        ],
        "whitelists": [whitelist.to_dict() for whitelist in state.whitelists.values()],
        "commands": [command.to_dict() for command in state.commands.values()],
    }
