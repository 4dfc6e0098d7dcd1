"""Typed request inputs: device settings changes and body helpers.

Fields left ``None`` are not sent, so the API keeps their current values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, time
from typing import Any

from ..errors import ValidationError


def to_json_value(value: Any) -> Any:
    """Convert datetimes and times into the ISO 8601 strings the API expects."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValidationError(
                "local times are sent without a zone; convert with aware_to_local_naive"
            )
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, tuple | list):
        return [to_json_value(item) for item in value]
    return value


def attributes(values: Mapping[str, Any]) -> dict[str, Any]:
    """Drop ``None`` values and convert the rest to JSON."""
    return {
        key: to_json_value(value) for key, value in values.items() if value is not None
    }


def body(values: Mapping[str, Any], resource_type: str | None = None) -> dict[str, Any]:
    """Return the documented request form ``{"type": ..., "attributes": {...}}``."""
    result: dict[str, Any] = {"attributes": attributes(values)}
    if resource_type is not None:
        result = {"type": resource_type, **result}
    return result


@dataclass(frozen=True, slots=True, kw_only=True)
class _Update:
    def to_attributes(self) -> dict[str, Any]:
        """Return the attributes to send (``None`` fields are left out)."""
        return attributes({f.name: getattr(self, f.name) for f in fields(self)})


@dataclass(frozen=True, slots=True, kw_only=True)
class LockUpdate(_Update):
    """Settings of a lock (``PUT /devices/:id``); ``programming_code`` is a secret.

    ``wake_wifi``: ``user_action`` or ``heartbeat_interval`` (LS-5i also
    ``user_action_except_manual``). ``power_source``: ``hardwire``,
    ``alkaline_battery`` or ``lithium_battery``. ``local_pins`` is a set operation
    that can only remove PINs.
    """

    name: str | None = None
    serial_number: str | None = None
    programming_code: str | None = field(default=None, repr=False)
    heartbeat_interval: int | None = None
    wake_wifi: str | None = None
    muted: bool | None = None
    auto_lock: bool | None = None
    auto_lock_timeout: int | None = None
    auto_lock_schedule_id: str | None = None
    lock_action_schedule_id: str | None = None
    location_id: str | None = None
    default_guest_start_time: time | None = None
    default_guest_end_time: time | None = None
    power_source: str | None = None
    local_pins: Sequence[str] | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class ThermostatUpdate(_Update):
    """Settings of a thermostat.

    ``target_mode``: heat, cool, auto, off; ``fan_mode``: auto, auto_circulate, on, off.
    """

    name: str | None = None
    location_id: str | None = None
    heartbeat_interval: int | None = None
    thermostat_schedule_id: str | None = None
    target_temperature: float | None = None
    target_mode: str | None = None
    fan_mode: str | None = None
    hold: bool | None = None
    energy_saver: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PowerPlugUpdate(_Update):
    """Settings of a power plug."""

    name: str | None = None
    location_id: str | None = None
    heartbeat_interval: int | None = None
    power_plug_schedule_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResortLockUpdate(_Update):
    """Settings of a resort lock."""

    name: str | None = None
    location_id: str | None = None
    serial_number: str | None = None
    default_guest_start_time: time | None = None
    default_guest_end_time: time | None = None


type DeviceUpdate = LockUpdate | ThermostatUpdate | PowerPlugUpdate | ResortLockUpdate
