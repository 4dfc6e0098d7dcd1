"""RemoteLock events as Home Assistant sees them: access records and device changes.

One event (pushed by the webhook or read back from ``/events``) becomes:

- an :class:`AccessEvent` for the event entity, the "Last access" sensor, the
  ``smart_access_access_event`` bus event and the logbook, when it is about a lock,
  an ACS door or a resort lock (who, how, when; never a PIN, card or e-mail);
- a changed device in the coordinator's snapshot (:func:`apply_to_device`) where the
  event carries the new value: lock state, battery, connectivity, plug relay,
  thermostat readings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Final

from .api.remotelock.models import (
    AcsDoor,
    ConnectedDevice,
    Device,
    Event,
    Lock,
    PowerPlug,
    ResortLock,
    Thermostat,
)
from .api.remotelock.models.events import (
    AccessEventDetails,
    ConnectivityEventDetails,
    HumidityEventDetails,
    PowerLevelEventDetails,
    TemperatureEventDetails,
)

# Every event type the integration subscribes to on the account. access_person_used
# is left out: RemoteLock publishes it next to the lock's own unlocked event (same
# person, same door), so it would count every entry twice.
SUBSCRIBED_EVENT_TYPES: Final = (
    "unlocked",
    "locked",
    "access_denied",
    "access_person_synced",
    "access_person_sync_failed",
    "access_guest_late_sync",
    "reset",
    "connectivity",
    "power_level_low",
    "battery_replaced",
    "acs_door_opened",
    "acs_door_closed",
    "acs_door_held_open",
    "acs_requested_to_exit",
    "temperature_changed",
    "humidity_changed",
    "relay_enabled",
    "relay_disabled",
)

# The event entity's event types, by RemoteLock event kind.
ENTITY_EVENT_TYPES: Final = {
    "unlocked": "unlocked",
    "locked": "locked",
    "access_denied": "access_denied",
    "acs_door_opened": "door_opened",
    "acs_door_closed": "door_closed",
    "acs_door_held_open": "door_held_open",
    "acs_requested_to_exit": "request_to_exit",
    "access_person_synced": "access_person_synced",
    "access_person_sync_failed": "access_person_sync_failed",
    "access_guest_late_sync": "guest_late_sync",
    "power_level_low": "power_level_low",
    "battery_replaced": "battery_replaced",
    "connectivity": "connectivity",
    "reset": "reset",
}
# The kinds that say someone (or something) used the door: "Last access".
ACCESS_KINDS: Final = frozenset({"unlocked", "locked", "access_denied"})
PERSON_TYPES: Final = frozenset({"access_user", "access_guest"})
ACCESS_DEVICE_TYPES: Final = frozenset({"lock", "acs_door", "resort_lock"})

EVENT_ACCESS: Final = "smart_access_access_event"

# Who acted when no access person is named, by the event's method.
_METHOD_ACTORS: Final = {
    "pin": "keypad",
    "keypad": "keypad",
    "card": "card",
    "smart_card": "card",
    "app": "app",
    "mobile": "app",
    "schedule": "schedule",
    "auto_lock": "schedule",
    "manual": "manual",
    "thumb_turn": "manual",
    "key": "manual",
}
_SOURCE_ACTORS: Final = {"network": "app", "device": "manual"}
# A connectivity event whose connected_at is at most this far before the event
# says the device (re)connected; an older connected_at: it went offline.
_RECONNECT_SLACK: Final = timedelta(minutes=1)


@dataclass(frozen=True, kw_only=True)
class AccessEvent:
    """One event at a lock or door, with nothing secret in it."""

    event_id: str
    kind: str
    event_type: str
    device_id: str
    occurred_at: datetime | None
    who: str | None = None
    access_person_id: str | None = None
    access_person_type: str | None = None
    method: str | None = None
    status: str | None = None
    source: str | None = None
    detail: str | None = None
    recovered: bool = False

    def attributes(self) -> dict[str, Any]:
        """Return the fields an entity, the bus event and the logbook show."""
        return {
            "who": self.who,
            "access_person_id": self.access_person_id,
            "access_person_type": self.access_person_type,
            "method": self.method,
            "status": self.status,
            "source": self.source,
            "detail": self.detail,
            "occurred_at": (
                self.occurred_at.isoformat() if self.occurred_at is not None else None
            ),
            "recovered": self.recovered,
        }


def access_device_id(event: Event) -> str | None:
    """Return the lock or door an event is about (publisher or associated)."""
    if event.publisher_type in ACCESS_DEVICE_TYPES and event.publisher_id:
        return event.publisher_id
    if event.associated_resource_type in ACCESS_DEVICE_TYPES:
        return event.associated_resource_id
    return None


def person_of(event: Event) -> tuple[str | None, str | None]:
    """Return the access person (id, type) an event names, if any."""
    if event.associated_resource_type in PERSON_TYPES:
        return event.associated_resource_id, event.associated_resource_type
    if event.publisher_type in PERSON_TYPES:
        return event.publisher_id, event.publisher_type
    return None, None


def actor(event: Event, person_name: str | None) -> str | None:
    """Say who acted: the person's name, else keypad/card/app/schedule/manual."""
    if person_name:
        return person_name
    details = event.details
    method = details.method if isinstance(details, AccessEventDetails) else None
    if method and method in _METHOD_ACTORS:
        return _METHOD_ACTORS[method]
    return _SOURCE_ACTORS.get(event.source or "")


def access_event(
    event: Event, person_name: str | None, *, recovered: bool = False
) -> AccessEvent | None:
    """Build the access record of ``event``; ``None`` when it is not about a door."""
    event_type = ENTITY_EVENT_TYPES.get(event.kind)
    device_id = access_device_id(event)
    if event_type is None or device_id is None:
        return None
    person_id, person_type = person_of(event)
    details = event.details
    method = details.method if isinstance(details, AccessEventDetails) else None
    status_info = getattr(details, "status_info", None)
    return AccessEvent(
        event_id=event.id,
        kind=event.kind,
        event_type=event_type,
        device_id=device_id,
        occurred_at=event.occurred_at or event.created_at,
        who=actor(event, person_name) if event.kind in ACCESS_KINDS else person_name,
        access_person_id=person_id,
        access_person_type=person_type,
        method=method,
        status=event.status,
        source=event.source,
        detail=status_info if isinstance(status_info, str) else None,
        recovered=recovered,
    )


# Events that set the same device value, for "an older event never wins".
_FAMILIES: Final = {
    "unlocked": "lock",
    "locked": "lock",
    "relay_enabled": "relay",
    "relay_disabled": "relay",
    "power_level_low": "battery",
    "battery_replaced": "battery",
}


def value_family(kind: str) -> str:
    """Return the device value an event kind sets (its own kind for most)."""
    return _FAMILIES.get(kind, kind)


def _connected(event: Event) -> bool | None:
    details = event.details
    if not isinstance(details, ConnectivityEventDetails):
        return None
    at = details.connected_at
    when = event.occurred_at or event.created_at
    if at is None or when is None:
        return None
    return at >= when - _RECONNECT_SLACK


def apply_to_device(device: Device, event: Event) -> Device | None:
    """Return ``device`` as ``event`` leaves it, or ``None`` if it says nothing new."""
    kind = event.kind
    details = event.details
    changes: dict[str, Any] = {}
    if kind in ("unlocked", "locked") and isinstance(device, Lock | AcsDoor):
        if event.status != "failed":
            changes["state"] = kind
    elif kind in ("power_level_low", "battery_replaced"):
        if (
            isinstance(details, PowerLevelEventDetails)
            and details.power_level is not None
        ) and isinstance(device, Lock | Thermostat):
            changes["power_level"] = details.power_level
    elif kind == "connectivity" and isinstance(device, ConnectedDevice):
        connected = _connected(event)
        if connected is not None:
            changes["connected"] = connected
            if device.alive is not None:
                changes["alive"] = connected
    elif kind in ("relay_enabled", "relay_disabled") and isinstance(device, PowerPlug):
        changes["on"] = kind == "relay_enabled"
    elif kind == "temperature_changed" and isinstance(device, Thermostat):
        if (
            isinstance(details, TemperatureEventDetails)
            and details.temperature is not None
        ):
            changes["temperature"] = details.temperature
    elif (
        kind == "humidity_changed"
        and isinstance(device, Thermostat)
        and isinstance(details, HumidityEventDetails)
        and details.humidity is not None
    ):
        changes["humidity"] = details.humidity
    if (
        kind in ACCESS_KINDS
        and isinstance(device, ConnectedDevice)
        and device.connected is False
    ):
        # A lock that reports an access is online, whatever the last poll said.
        changes["connected"] = True
    changes = {
        key: value for key, value in changes.items() if getattr(device, key) != value
    }
    if not changes:
        return None
    return replace(device, **changes)


def is_access_device(device: Device) -> bool:
    """Return whether ``device`` gets an event entity and a "Last access" sensor."""
    return isinstance(device, Lock | AcsDoor | ResortLock)
