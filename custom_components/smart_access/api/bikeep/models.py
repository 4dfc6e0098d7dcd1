"""Locations and devices as the Bikeep service describes them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from .parsing import (
    as_object,
    enum_or_str,
    opt_datetime,
    opt_int,
    opt_str,
    req_str,
)


class LocationType(StrEnum):
    """Kinds of location (unknown kinds are kept as plain text)."""

    BIKE_LOCKERS = "BIKE_LOCKERS"
    BIKE_DOCKS = "BIKE_DOCKS"


class DeviceType(StrEnum):
    """Kinds of device (unknown kinds are kept as plain text)."""

    GUARD = "GUARD"
    LOCKER = "LOCKER"
    BIKE_DOCK = "BIKE_DOCK"


class DeviceStateValue(StrEnum):
    """API-level device states (unknown states are kept as plain text)."""

    UNLOCKED = "UNLOCKED"
    BOOKED = "BOOKED"
    ALLOCATED = "ALLOCATED"
    LOCKING = "LOCKING"
    LOCKED = "LOCKED"
    UNLOCKING = "UNLOCKING"


class HeartbeatHealth(StrEnum):
    """Device connectivity from ``heartbeat_v2.health``."""

    HEALTHY = "HEALTHY"
    UNHEALTHY = "UNHEALTHY"
    DEAD = "DEAD"
    LONG_DEAD = "LONG_DEAD"


ONLINE_HEALTH = frozenset({HeartbeatHealth.HEALTHY, HeartbeatHealth.UNHEALTHY})
"""UNHEALTHY (~15 s without heartbeat) is still reachable; DEAD and LONG_DEAD are not."""


@dataclass(frozen=True, slots=True)
class DeviceCounts:
    """Aggregated device counts of a location (``None`` when the service omits one)."""

    total: int | None = None
    available: int | None = None
    online: int | None = None

    @classmethod
    def from_json(cls, value: object) -> DeviceCounts:
        """Parse the ``devices`` object of a location (missing means unknown)."""
        if not isinstance(value, Mapping):
            return cls()
        return cls(
            total=opt_int(value, "total"),
            available=opt_int(value, "available"),
            online=opt_int(value, "online"),
        )


@dataclass(frozen=True, slots=True)
class Location:
    """A station: lockers (BIKE_LOCKERS) or bike docks (BIKE_DOCKS)."""

    id: str
    type: LocationType | str
    label: str | None
    name: str | None
    status: str | None
    connection: str | None
    address: str | None
    devices: DeviceCounts

    @classmethod
    def from_json(cls, value: object) -> Location:
        """Parse one location object."""
        data = as_object(value, "location")
        type_text = opt_str(data, "type") or ""
        return cls(
            id=req_str(data, "id", "location"),
            type=enum_or_str(LocationType, type_text),
            label=opt_str(data, "label"),
            name=opt_str(data, "name"),
            status=opt_str(data, "status"),
            connection=opt_str(data, "connection"),
            address=opt_str(data, "address"),
            devices=DeviceCounts.from_json(data.get("devices")),
        )

    @property
    def is_online(self) -> bool | None:
        """Return whether the location is connected (``None`` when not reported)."""
        if self.connection is None:
            return None
        return self.connection.lower() == "online"

    @property
    def display_name(self) -> str:
        """Return the best human name: name, label, then id."""
        return self.name or self.label or self.id


@dataclass(frozen=True, slots=True)
class DeviceState:
    """The API-level state of a device and its deadline."""

    value: DeviceStateValue | str
    changed_at: datetime | None = None
    timeout_at: datetime | None = None

    @classmethod
    def from_json(cls, value: object) -> DeviceState | None:
        """Parse a ``state`` object (``None`` when absent)."""
        if value is None:
            return None
        data = as_object(value, "device state")
        return cls(
            value=enum_or_str(DeviceStateValue, req_str(data, "value", "device state")),
            changed_at=opt_datetime(data, "changed_at", "device state"),
            timeout_at=opt_datetime(data, "timeout_at", "device state"),
        )


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """Connectivity of a device from ``heartbeat_v2``."""

    health: HeartbeatHealth | str | None
    dead_since: datetime | None = None

    @classmethod
    def from_json(cls, value: object) -> Heartbeat | None:
        """Parse a ``heartbeat_v2`` object (``None`` when absent or not an object)."""
        if not isinstance(value, Mapping):
            return None
        health = opt_str(value, "health")
        return cls(
            health=enum_or_str(HeartbeatHealth, health) if health else None,
            dead_since=opt_datetime(value, "dead_since", "heartbeat"),
        )


@dataclass(frozen=True, slots=True)
class Device:
    """A gateway (GUARD), locker (LOCKER) or bike dock (BIKE_DOCK)."""

    id: str
    type: DeviceType | str
    alias: str | None = None
    code: str | None = None
    state: DeviceState | None = None
    hardware_state: str | None = None
    heartbeat_v2: Heartbeat | None = None
    heartbeat_health: HeartbeatHealth | str | None = None
    """Deprecated by the service; only used when ``heartbeat_v2`` is missing."""
    location_id: str | None = None

    @classmethod
    def from_json(cls, value: object) -> Device:
        """Parse one device object; deprecated heartbeat fields are tolerated."""
        data: Mapping[str, Any] = as_object(value, "device")
        legacy = opt_str(data, "heartbeat_health")
        heartbeat = Heartbeat.from_json(data.get("heartbeat_v2"))
        if heartbeat is None:
            # Deprecated ``heartbeat`` object: read it only as a fallback.
            heartbeat = Heartbeat.from_json(data.get("heartbeat"))
        return cls(
            id=req_str(data, "id", "device"),
            type=enum_or_str(DeviceType, opt_str(data, "type") or ""),
            alias=opt_str(data, "alias"),
            code=opt_str(data, "code"),
            state=DeviceState.from_json(data.get("state")),
            hardware_state=opt_str(data, "hardware_state"),
            heartbeat_v2=heartbeat,
            heartbeat_health=enum_or_str(HeartbeatHealth, legacy) if legacy else None,
            location_id=opt_str(data, "location_id"),
        )

    @property
    def is_gateway(self) -> bool:
        """Return whether this is a GUARD (the location's IoT gateway)."""
        return self.type == DeviceType.GUARD

    @property
    def is_lockable(self) -> bool:
        """Return whether this device takes lock/unlock/book commands."""
        return self.type in (DeviceType.LOCKER, DeviceType.BIKE_DOCK)

    @property
    def health(self) -> HeartbeatHealth | str | None:
        """Return ``heartbeat_v2.health``, or the deprecated ``heartbeat_health``."""
        if self.heartbeat_v2 is not None and self.heartbeat_v2.health is not None:
            return self.heartbeat_v2.health
        return self.heartbeat_health

    @property
    def is_online(self) -> bool | None:
        """Return whether the device talks to the cloud (``None`` when unknown)."""
        health = self.health
        if health is None or health not in HeartbeatHealth.__members__:
            return None
        return health in ONLINE_HEALTH

    @property
    def state_value(self) -> DeviceStateValue | str | None:
        """Return ``state.value`` (``None`` when the device has no state)."""
        return self.state.value if self.state else None

    @property
    def is_available(self) -> bool:
        """Return whether a locker/dock is free (UNLOCKED) and online."""
        return (
            self.is_lockable
            and self.state_value == DeviceStateValue.UNLOCKED
            and self.is_online is True
        )

    @property
    def display_name(self) -> str:
        """Return the alias, then the code, then the id."""
        return self.alias or self.code or self.id


def gateways(devices: Iterable[Device]) -> list[Device]:
    """Return the GUARD devices of a list (a location may have several)."""
    return [device for device in devices if device.is_gateway]


def lockables(devices: Iterable[Device]) -> list[Device]:
    """Return the lockers and bike docks of a list."""
    return [device for device in devices if device.is_lockable]
