"""In-memory state of the simulated Bikeep cloud and its scenario (de)serialisation.

Scenario times are ISO 8601 strings; a few fields also accept seconds relative to the
simulator clock at load time (``offline_for``, ``state_timeout_in``) so a scenario file
stays valid whatever day it is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import const
from .timeutil import after, dump, parse, parse_optional


def _str(raw: dict[str, Any], key: str, default: str | None = None) -> str:
    value = raw.get(key, default)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key!r} must be a non-empty string (got {value!r})")
    return value


def _opt_str(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string or null")
    return value


def _opt_float(raw: dict[str, Any], key: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{key!r} must be a non-negative number or null")
    return float(value)


@dataclass
class Settings:
    """Timing and limits (seconds)."""

    latency: float = 1.0
    delivery_timeout: float = 3.0
    locking_window: float = 30.0
    secure_delay: float | None = 1.0
    unlock_window: float = 10.0
    unlock_duration: float = 0.5
    booking_duration: float = 3600.0
    token_lifetime: float = float(const.TOKEN_LIFETIME)
    rate_limit_requests: int | None = None
    rate_limit_window: float = 60.0

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Settings:
        """Build from a scenario ``settings`` object (unknown keys rejected)."""
        settings = cls()
        for key, value in raw.items():
            if key == "rate_limit":
                settings.set_rate_limit(value)
                continue
            if key not in settings.__dataclass_fields__ or key.startswith("rate_limit"):
                raise ValueError(f"unknown setting {key!r}")
            number = _opt_float(raw, key)
            if number is None and key != "secure_delay":
                raise ValueError(f"setting {key!r} must be a number")
            setattr(settings, key, number)
        return settings

    def set_rate_limit(self, value: object) -> None:
        """Set ``{"requests": N, "per_seconds": S}`` or ``None`` (off)."""
        if value is None:
            self.rate_limit_requests = None
            return
        if not isinstance(value, dict):
            raise ValueError(  # noqa: TRY004
                "rate_limit must be null or {requests, per_seconds}"
            )
        requests = value.get("requests")
        window = value.get("per_seconds", 60)
        if not isinstance(requests, int) or isinstance(requests, bool) or requests < 1:
            raise ValueError("rate_limit.requests must be a positive integer")
        if not isinstance(window, int | float) or window <= 0:
            raise ValueError("rate_limit.per_seconds must be a positive number")
        self.rate_limit_requests = requests
        self.rate_limit_window = float(window)

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario form."""
        return {
            "latency": self.latency,
            "delivery_timeout": self.delivery_timeout,
            "locking_window": self.locking_window,
            "secure_delay": self.secure_delay,
            "unlock_window": self.unlock_window,
            "unlock_duration": self.unlock_duration,
            "booking_duration": self.booking_duration,
            "token_lifetime": self.token_lifetime,
            "rate_limit": None
            if self.rate_limit_requests is None
            else {
                "requests": self.rate_limit_requests,
                "per_seconds": self.rate_limit_window,
            },
        }


@dataclass
class Operator:
    """An operator account with its S2S client credentials."""

    id: str
    name: str
    client_id: str
    client_secret: str

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Operator:
        """Build from scenario data."""
        return cls(
            id=_str(raw, "id"),
            name=_str(raw, "name", raw.get("id")),
            client_id=_str(raw, "client_id"),
            client_secret=_str(raw, "client_secret"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario form."""
        return {
            "id": self.id,
            "name": self.name,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }


@dataclass
class PublicArea:
    """A public area grouping locations for unauthenticated displays."""

    id: str
    name: str
    location_ids: list[str]

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> PublicArea:
        """Build from scenario data."""
        ids = raw.get("location_ids", [])
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ValueError("public area location_ids must be a list of strings")
        return cls(
            id=_str(raw, "id"), name=_str(raw, "name", raw.get("id")), location_ids=ids
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario form."""
        return {
            "id": self.id,
            "name": self.name,
            "location_ids": list(self.location_ids),
        }


@dataclass
class Link:
    """Connectivity of a device or a whole location: up, or down since a moment."""

    connected: bool = True
    offline_since: datetime | None = None

    @classmethod
    def from_dict(cls, raw: dict[str, Any], now: datetime) -> Link:
        """Read ``connected`` plus ``offline_since`` (ISO) or ``offline_for`` (seconds)."""
        connected = raw.get("connected", True)
        if not isinstance(connected, bool):
            raise ValueError("'connected' must be true or false")  # noqa: TRY004
        if connected:
            return cls()
        since = parse_optional(raw.get("offline_since"), "offline_since")
        offline_for = _opt_float(raw, "offline_for")
        if since is None:
            since = after(now, -(offline_for or 0.0))
        return cls(connected=False, offline_since=since)

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario form."""
        return {"connected": self.connected, "offline_since": dump(self.offline_since)}


@dataclass
class Location:
    """A station: BIKE_LOCKERS or BIKE_DOCKS."""

    id: str
    operator_id: str
    type: str
    label: str
    name: str
    status: str
    address: str
    link: Link = field(default_factory=Link)

    @classmethod
    def from_dict(cls, raw: dict[str, Any], now: datetime) -> Location:
        """Build from scenario data (devices are read separately)."""
        kind = _str(raw, "type")
        if kind not in const.LOCATION_TYPES:
            raise ValueError(f"location type must be one of {const.LOCATION_TYPES}")
        return cls(
            id=_str(raw, "id"),
            operator_id=_str(raw, "operator_id", const.DEFAULT_OPERATOR_ID),
            type=kind,
            label=_str(raw, "label"),
            name=_str(raw, "name"),
            status=_str(raw, "status", "LAUNCHED"),
            address=raw.get("address") or "",
            link=Link.from_dict(raw, now),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario form (without devices)."""
        return {
            "id": self.id,
            "operator_id": self.operator_id,
            "type": self.type,
            "label": self.label,
            "name": self.name,
            "status": self.status,
            "address": self.address,
            **self.link.to_dict(),
        }


@dataclass
class Device:
    """A GUARD gateway, a LOCKER or a BIKE_DOCK."""

    id: str
    location_id: str
    type: str
    alias: str
    code: str
    state: str
    changed_at: datetime
    timeout_at: datetime | None = None
    hardware_state: str = const.HARDWARE_NORMAL
    guard_id: str | None = None
    link: Link = field(default_factory=Link)
    latency: float | None = None
    fail_next: str | None = None
    active_command_id: str | None = None

    @classmethod
    def from_dict(cls, raw: dict[str, Any], location_id: str, now: datetime) -> Device:
        """Build from scenario data."""
        kind = _str(raw, "type")
        if kind not in const.DEVICE_TYPES:
            raise ValueError(f"device type must be one of {const.DEVICE_TYPES}")
        state = _str(
            raw, "state", const.LOCKED if kind == const.GUARD else const.UNLOCKED
        )
        if state not in const.DEVICE_STATES:
            raise ValueError(f"device state must be one of {const.DEVICE_STATES}")
        timeout_at = parse_optional(raw.get("timeout_at"), "timeout_at")
        timeout_in = _opt_float(raw, "state_timeout_in")
        if timeout_at is None and timeout_in is not None:
            timeout_at = after(now, timeout_in)
        changed_at = parse_optional(raw.get("changed_at"), "changed_at") or now
        return cls(
            id=_str(raw, "id"),
            location_id=location_id,
            type=kind,
            alias=_str(raw, "alias", raw.get("id")),
            code=str(raw.get("code", "")),
            state=state,
            changed_at=changed_at,
            timeout_at=timeout_at,
            hardware_state=_str(raw, "hardware_state", const.HARDWARE_NORMAL),
            guard_id=_opt_str(raw, "guard_id"),
            link=Link.from_dict(raw, now),
            latency=_opt_float(raw, "latency"),
            fail_next=_opt_str(raw, "fail_next"),
            active_command_id=_opt_str(raw, "active_command_id"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario form."""
        return {
            "id": self.id,
            "type": self.type,
            "alias": self.alias,
            "code": self.code,
            "state": self.state,
            "changed_at": dump(self.changed_at),
            "timeout_at": dump(self.timeout_at),
            "hardware_state": self.hardware_state,
            "guard_id": self.guard_id,
            **self.link.to_dict(),
            "latency": self.latency,
            "fail_next": self.fail_next,
            "active_command_id": self.active_command_id,
        }


@dataclass
class CommandEvent:
    """One step in a command's life."""

    name: str
    timestamp: datetime
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the dump form."""
        return {
            "name": self.name,
            "timestamp": dump(self.timestamp),
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> CommandEvent:
        """Build from dump data."""
        return cls(
            name=_str(raw, "name"),
            timestamp=parse(raw.get("timestamp"), "timestamp"),
            message=_opt_str(raw, "message"),
        )


# Phases of a command inside the device (not exposed; the API shows SENT/SUCCESS/ERROR).
PHASE_PENDING = "PENDING"
PHASE_LOCKING = "LOCKING"
PHASE_UNLOCKING = "UNLOCKING"
PHASE_DONE = "DONE"


@dataclass
class Command:
    """An asynchronous device command and the bookkeeping to advance it lazily."""

    id: str
    device_id: str
    name: str
    state: str
    timeout_at: datetime | None
    created_at: datetime
    events: list[CommandEvent] = field(default_factory=list)
    phase: str = PHASE_PENDING
    deliver_at: datetime | None = None
    phase_done_at: datetime | None = None
    booking_until: datetime | None = None
    restore_state: str | None = None
    restore_timeout_at: datetime | None = None
    restore_changed_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the dump form (every internal field, so a dump reloads)."""
        return {
            "id": self.id,
            "device_id": self.device_id,
            "name": self.name,
            "state": self.state,
            "timeout_at": dump(self.timeout_at),
            "created_at": dump(self.created_at),
            "events": [event.to_dict() for event in self.events],
            "phase": self.phase,
            "deliver_at": dump(self.deliver_at),
            "phase_done_at": dump(self.phase_done_at),
            "booking_until": dump(self.booking_until),
            "restore_state": self.restore_state,
            "restore_timeout_at": dump(self.restore_timeout_at),
            "restore_changed_at": dump(self.restore_changed_at),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Command:
        """Build from dump data."""
        events = raw.get("events", [])
        if not isinstance(events, list):
            raise ValueError("command events must be a list")  # noqa: TRY004
        return cls(
            id=_str(raw, "id"),
            device_id=_str(raw, "device_id"),
            name=_str(raw, "name"),
            state=_str(raw, "state"),
            timeout_at=parse_optional(raw.get("timeout_at"), "timeout_at"),
            created_at=parse(raw.get("created_at"), "created_at"),
            events=[CommandEvent.from_dict(event) for event in events],
            phase=_str(raw, "phase", PHASE_PENDING),
            deliver_at=parse_optional(raw.get("deliver_at"), "deliver_at"),
            phase_done_at=parse_optional(raw.get("phase_done_at"), "phase_done_at"),
            booking_until=parse_optional(raw.get("booking_until"), "booking_until"),
            restore_state=_opt_str(raw, "restore_state"),
            restore_timeout_at=parse_optional(
                raw.get("restore_timeout_at"), "restore_timeout_at"
            ),
            restore_changed_at=parse_optional(
                raw.get("restore_changed_at"), "restore_changed_at"
            ),
        )


@dataclass
class Entity:
    """An RFID card on a whitelist."""

    id: str
    id_type: str
    status: str
    expires_at: datetime | None
    comment: str | None
    created_at: datetime
    updated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """Return the dump form."""
        return {
            "id": self.id,
            "id_type": self.id_type,
            "status": self.status,
            "expires_at": dump(self.expires_at),
            "comment": self.comment,
            "created_at": dump(self.created_at),
            "updated_at": dump(self.updated_at),
        }


@dataclass
class Target:
    """A device or location that accepts a whitelist's cards."""

    type: str
    id: str

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario form."""
        return {"type": self.type, "id": self.id}


@dataclass
class Whitelist:
    """An allowlist of RFID cards with its targets."""

    id: str
    location_id: str
    name: str
    targets: list[Target] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario form."""
        return {
            "id": self.id,
            "location_id": self.location_id,
            "name": self.name,
            "targets": [target.to_dict() for target in self.targets],
            "entities": [entity.to_dict() for entity in self.entities.values()],
        }


@dataclass
class BikeepState:
    """Everything the simulated cloud knows."""

    settings: Settings = field(default_factory=Settings)
    operators: dict[str, Operator] = field(default_factory=dict)
    public_areas: dict[str, PublicArea] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    whitelists: dict[str, Whitelist] = field(default_factory=dict)
    commands: dict[str, Command] = field(default_factory=dict)
    by_location: dict[str, list[Device]] = field(default_factory=dict)

    def add_device(self, device: Device) -> None:
        """Register a device (and index it by location)."""
        if device.id in self.devices:
            raise ValueError(f"duplicate device id {device.id!r}")
        self.devices[device.id] = device
        self.by_location.setdefault(device.location_id, []).append(device)

    def location_devices(self, location_id: str) -> list[Device]:
        """Devices of a location, in scenario order."""
        return self.by_location.get(location_id, [])

    def operator_by_client(self, client_id: str) -> Operator | None:
        """Find the operator that owns ``client_id``."""
        for operator in self.operators.values():
            if operator.client_id == client_id:
                return operator
        return None
