"""Device models: lock, thermostat, power plug, resort lock, ACS door, unknown."""

from __future__ import annotations

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


def _device_fields(res: Resource) -> dict[str, Any]:
    a = res.attrs
    return {
        **base_fields(res),
        "name": a.opt_str("name"),
        "location_id": a.opt_str("location_id"),
        "model_id": a.opt_str("model_id"),
        "serial_number": a.opt_str("serial_number"),
    }


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


def _connected_fields(res: Resource) -> dict[str, Any]:
    a = res.attrs
    return {
        **_device_fields(res),
        "heartbeat_interval": a.opt_int("heartbeat_interval"),
        "wifi_level": a.opt_int("wifi_level"),
        "signal_quality": a.opt_int("signal_quality"),
        "connected": a.opt_bool("connected"),
        "alive": a.opt_bool("alive"),
        "power_source": a.opt_str("power_source"),
        "connected_at": a.opt_datetime("connected_at"),
    }


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


def _lock(res: Resource) -> Lock:
    a = res.attrs
    return Lock(
        **_connected_fields(res),
        state=a.opt_str("state"),
        power_level=a.opt_int("power_level"),
        wake_wifi=a.opt_str("wake_wifi"),
        muted=a.opt_bool("muted"),
        auto_lock=a.opt_bool("auto_lock"),
        auto_lock_timeout=a.opt_int("auto_lock_timeout"),
        programming_code=a.opt_str("programming_code"),
        local_pins=a.str_tuple("local_pins"),
        default_guest_start_time=a.opt_time("default_guest_start_time"),
        default_guest_end_time=a.opt_time("default_guest_end_time"),
        lock_action_schedule_id=a.opt_str("lock_action_schedule_id"),
        auto_lock_schedule_id=a.opt_str("auto_lock_schedule_id"),
    )


def _thermostat(res: Resource) -> Thermostat:
    a = res.attrs
    return Thermostat(
        **_connected_fields(res),
        power_level=a.opt_int("power_level"),
        current_mode=a.opt_str("current_mode"),
        target_mode=a.opt_str("target_mode"),
        fan_mode=a.opt_str("fan_mode"),
        hold=a.opt_bool("hold"),
        temperature=a.opt_float("temperature"),
        target_temperature=a.opt_float("target_temperature"),
        unit=a.opt_str("unit"),
        humidity=a.opt_float("humidity"),
        energy_saver=a.opt_bool("energy_saver"),
        scheduled_target_temperature=a.opt_float("scheduled_target_temperature"),
        desired_target_temperature=a.opt_float("desired_target_temperature"),
        cool_set_point=a.opt_float("cool_set_point"),
        heat_set_point=a.opt_float("heat_set_point"),
        thermostat_schedule_id=a.opt_str("thermostat_schedule_id"),
    )


def _power_plug(res: Resource) -> PowerPlug:
    a = res.attrs
    return PowerPlug(
        **_connected_fields(res),
        on=a.opt_bool("on"),
        voltage=a.opt_float("voltage"),
        power=a.opt_float("power"),
        power_factor=a.opt_float("power_factor"),
        current=a.opt_float("current"),
        frequency=a.opt_float("frequency"),
        total_power=a.opt_float("total_power"),
        occupied=a.opt_bool("occupied"),
        power_plug_schedule_id=a.opt_str("power_plug_schedule_id"),
    )


def _resort_lock(res: Resource) -> ResortLock:
    a = res.attrs
    return ResortLock(
        **_device_fields(res),
        default_guest_start_time=a.opt_time("default_guest_start_time"),
        default_guest_end_time=a.opt_time("default_guest_end_time"),
    )


def _acs_door(res: Resource) -> AcsDoor:
    a: Attrs = res.attrs
    return AcsDoor(
        **_device_fields(res),
        state=a.opt_str("state"),
        connected=a.opt_bool("connected"),
        lock_action_schedule_id=a.opt_str("lock_action_schedule_id"),
    )


def parse_device(value: Any) -> AnyDevice:
    """Build the device model matching the resource's ``type``."""
    res = read_resource(value)
    if res.type == LOCK:
        return _lock(res)
    if res.type == THERMOSTAT:
        return _thermostat(res)
    if res.type == POWER_PLUG:
        return _power_plug(res)
    if res.type == RESORT_LOCK:
        return _resort_lock(res)
    if res.type == ACS_DOOR:
        return _acs_door(res)
    return UnknownDevice(**_device_fields(res))


def parse_acs_door(value: Any) -> AcsDoor:
    """Build an :class:`AcsDoor` (any type label is accepted from ``/acs/doors``)."""
    return _acs_door(read_resource(value))
