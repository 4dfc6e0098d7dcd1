"""Device models: lock, thermostat, power plug, resort lock, ACS door, unknown."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from .base import RemoteLockResource, base_fields
from .fields import Attrs, Resource, read_resource

LOCK = "lock"
THERMOSTAT = "thermostat"
POWER_PLUG = "power_plug"
RESORT_LOCK = "resort_lock"
ACS_DOOR = "acs_door"


@dataclass(frozen=True, slots=True, kw_only=True)
class Device(RemoteLockResource):
    """Fields shared by every device type."""

    name: str | None = None
    location_id: str | None = None
    model_id: str | None = None
    serial_number: str | None = None


type _Readers = Mapping[str, Callable[[Attrs, str], Any]]

_DEVICE_ATTRS: _Readers = {
    "name": Attrs.opt_str,
    "location_id": Attrs.opt_str,
    "model_id": Attrs.opt_str,
    "serial_number": Attrs.opt_str,
}


def _read(res: Resource, readers: _Readers) -> dict[str, Any]:
    """Read every attribute named in ``readers`` with its reader, in order."""
    return {name: read(res.attrs, name) for name, read in readers.items()}


def _device_fields(res: Resource) -> dict[str, Any]:
    return {**base_fields(res), **_read(res, _DEVICE_ATTRS)}


@dataclass(frozen=True, slots=True, kw_only=True)
class ConnectedDevice(Device):
    """Fields of Wi-Fi devices (lock, thermostat, power plug).

    ``wifi_level`` is deprecated by the vendor in favour of ``signal_quality`` (0-4).
    """

    heartbeat_interval: int | None = None
    wifi_level: int | None = None
    signal_quality: int | None = None
    connected: bool | None = None
    alive: bool | None = None
    power_source: str | None = None
    connected_at: datetime | None = None


_CONNECTED_ATTRS: _Readers = {
    "heartbeat_interval": Attrs.opt_int,
    "wifi_level": Attrs.opt_int,
    "signal_quality": Attrs.opt_int,
    "connected": Attrs.opt_bool,
    "alive": Attrs.opt_bool,
    "power_source": Attrs.opt_str,
    "connected_at": Attrs.opt_datetime,
}


def _connected_fields(res: Resource) -> dict[str, Any]:
    return {**_device_fields(res), **_read(res, _CONNECTED_ATTRS)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Lock(ConnectedDevice):
    """A Wi-Fi lock. ``programming_code`` and ``local_pins`` are secrets (no repr)."""

    state: str | None = None
    power_level: int | None = None
    wake_wifi: str | None = None
    muted: bool | None = None
    auto_lock: bool | None = None
    auto_lock_timeout: int | None = None
    programming_code: str | None = field(default=None, repr=False)
    local_pins: tuple[str, ...] | None = field(default=None, repr=False)
    default_guest_start_time: time | None = None
    default_guest_end_time: time | None = None
    lock_action_schedule_id: str | None = None
    auto_lock_schedule_id: str | None = None

    @property
    def is_locked(self) -> bool | None:
        """Return whether the lock reports ``locked`` (None when unknown)."""
        return None if self.state is None else self.state == "locked"


@dataclass(frozen=True, slots=True, kw_only=True)
class Thermostat(ConnectedDevice):
    """A Wi-Fi thermostat; temperatures are in ``unit`` (``F`` or ``C``).

    ``cool_set_point``/``heat_set_point`` are not in the v1 document; they are read
    when present (the document's thermostat schedules use ``cool``/``heat``).
    """

    power_level: int | None = None
    current_mode: str | None = None
    target_mode: str | None = None
    fan_mode: str | None = None
    hold: bool | None = None
    temperature: float | None = None
    target_temperature: float | None = None
    unit: str | None = None
    humidity: float | None = None
    energy_saver: bool | None = None
    scheduled_target_temperature: float | None = None
    desired_target_temperature: float | None = None
    cool_set_point: float | None = None
    heat_set_point: float | None = None
    thermostat_schedule_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PowerPlug(ConnectedDevice):
    """A Wi-Fi power plug with its measurements."""

    on: bool | None = None
    voltage: float | None = None
    power: float | None = None
    power_factor: float | None = None
    current: float | None = None
    frequency: float | None = None
    total_power: float | None = None
    occupied: bool | None = None
    power_plug_schedule_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResortLock(Device):
    """An offline resort lock (PINs are generated per guest)."""

    default_guest_start_time: time | None = None
    default_guest_end_time: time | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AcsDoor(Device):
    """A door of an access control system."""

    state: str | None = None
    connected: bool | None = None
    lock_action_schedule_id: str | None = None

    @property
    def is_locked(self) -> bool | None:
        """Return whether the door reports ``locked`` (None when unknown)."""
        return None if self.state is None else self.state == "locked"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownDevice(Device):
    """A device type this client does not know; see ``raw`` for its attributes."""


type AnyDevice = Lock | Thermostat | PowerPlug | ResortLock | AcsDoor | UnknownDevice

# What each type reads on top of _device_fields/_connected_fields: attribute name
# (which is also the model's field name) and its reader, in the models' field order.
_GUEST_TIMES: _Readers = {
    "default_guest_start_time": Attrs.opt_time,
    "default_guest_end_time": Attrs.opt_time,
}
_LOCK_ATTRS: _Readers = {
    "state": Attrs.opt_str,
    "power_level": Attrs.opt_int,
    "wake_wifi": Attrs.opt_str,
    "muted": Attrs.opt_bool,
    "auto_lock": Attrs.opt_bool,
    "auto_lock_timeout": Attrs.opt_int,
    "programming_code": Attrs.opt_str,
    "local_pins": Attrs.str_tuple,
    **_GUEST_TIMES,
    "lock_action_schedule_id": Attrs.opt_str,
    "auto_lock_schedule_id": Attrs.opt_str,
}
_THERMOSTAT_ATTRS: _Readers = {
    "power_level": Attrs.opt_int,
    "current_mode": Attrs.opt_str,
    "target_mode": Attrs.opt_str,
    "fan_mode": Attrs.opt_str,
    "hold": Attrs.opt_bool,
    "temperature": Attrs.opt_float,
    "target_temperature": Attrs.opt_float,
    "unit": Attrs.opt_str,
    "humidity": Attrs.opt_float,
    "energy_saver": Attrs.opt_bool,
    "scheduled_target_temperature": Attrs.opt_float,
    "desired_target_temperature": Attrs.opt_float,
    "cool_set_point": Attrs.opt_float,
    "heat_set_point": Attrs.opt_float,
    "thermostat_schedule_id": Attrs.opt_str,
}
_POWER_PLUG_ATTRS: _Readers = {
    "on": Attrs.opt_bool,
    "voltage": Attrs.opt_float,
    "power": Attrs.opt_float,
    "power_factor": Attrs.opt_float,
    "current": Attrs.opt_float,
    "frequency": Attrs.opt_float,
    "total_power": Attrs.opt_float,
    "occupied": Attrs.opt_bool,
    "power_plug_schedule_id": Attrs.opt_str,
}
_ACS_DOOR_ATTRS: _Readers = {
    "state": Attrs.opt_str,
    "connected": Attrs.opt_bool,
    "lock_action_schedule_id": Attrs.opt_str,
}


def _acs_door(res: Resource) -> AcsDoor:
    return AcsDoor(**_device_fields(res), **_read(res, _ACS_DOOR_ATTRS))


def parse_device(value: Any) -> AnyDevice:
    """Build the device model matching the resource's ``type``."""
    res = read_resource(value)
    if res.type == LOCK:
        return Lock(**_connected_fields(res), **_read(res, _LOCK_ATTRS))
    if res.type == THERMOSTAT:
        return Thermostat(**_connected_fields(res), **_read(res, _THERMOSTAT_ATTRS))
    if res.type == POWER_PLUG:
        return PowerPlug(**_connected_fields(res), **_read(res, _POWER_PLUG_ATTRS))
    if res.type == RESORT_LOCK:
        return ResortLock(**_device_fields(res), **_read(res, _GUEST_TIMES))
    if res.type == ACS_DOOR:
        return _acs_door(res)
    return UnknownDevice(**_device_fields(res))


def parse_acs_door(value: Any) -> AcsDoor:
    """Build an :class:`AcsDoor` (any type label is accepted from ``/acs/doors``)."""
    return _acs_door(read_resource(value))
