"""Device-side changes for tests: someone at the keypad, outages, readings, events.

Reachable as ``await sim.control_trigger(action, params)`` and as
``POST /_sim/trigger/{action}`` with a JSON body. An unknown action or device raises
KeyError (404 over HTTP), bad parameters raise ValueError (400).

``change_devices`` (``count``, optional ``offset``) changes many devices at once, for
benchmarks of large accounts: ``count`` devices of the types with a live reading
(locks, ACS doors, thermostats, power plugs, in the order the account lists them),
evenly spaced over that list and shifted by ``offset``, each change one value that
``GET /devices`` shows: a lock's or ACS door's ``state`` flips between ``locked`` and
``unlocked``, a thermostat's ``temperature`` moves 0.5 up or down, a power plug's
``power`` 1 W up or down (calling it twice with the same offset puts every value
back). ``updated_at`` moves; no event is recorded and no webhook sent. It answers
``{"count": n, "changed": [{"device_id", "type", "field", "value"}, ...]}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .const import EVENT_TYPES, LOW_BATTERY_LEVEL
from .state import RemoteLockState
from .store import Record, iso

type Trigger = Callable[[RemoteLockState, dict[str, Any]], dict[str, Any]]


def _device(sim: RemoteLockState, params: dict[str, Any], *types: str) -> Record:
    device_id = params.get("device_id")
    if not device_id:
        raise ValueError("device_id is required")
    device = sim.state.devices.get(str(device_id))
    if device is None:
        raise KeyError(f"device {device_id}")
    if types and device["type"] not in types:
        raise ValueError(
            f"device {device_id} is a {device['type']}, not a {' or '.join(types)}"
        )
    return device


def _number(
    params: dict[str, Any],
    name: str,
    low: float | None = None,
    high: float | None = None,
) -> float:
    value = params.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number")  # noqa: TRY004
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be between {low} and {high}")
    return float(value)


def _result(event: Record | None, device: Record, **extra: Any) -> dict[str, Any]:
    return {
        "device_id": device["id"],
        "event_id": event["id"] if event else None,
        "event_type": event["type"] if event else None,
        **extra,
    }


def _keypad(
    sim: RemoteLockState, params: dict[str, Any], new_state: str
) -> dict[str, Any]:
    device = _device(sim, params, "lock", "acs_door")
    person = None
    if params.get("access_person_id"):
        person = sim.state.access_persons.get(str(params["access_person_id"]))
        if person is None:
            raise KeyError(f"access person {params['access_person_id']}")
    pin = params.get("pin") or (person["attributes"].get("pin") if person else None)
    if pin is not None and person is None:
        person = next(
            (
                p
                for p in sim.state.access_persons.values()
                if p["attributes"].get("pin") == str(pin)
                and sim.person_status(p) == "current"
            ),
            None,
        )
        if person is None and new_state == "unlocked":
            event = sim.add_event(
                "access_denied",
                device,
                source="user",
                status="failed",
                details={"method": params.get("method", "keypad"), "pin": str(pin)},
            )
            return _result(event, device, state=device["attributes"]["state"])
    device["attributes"]["state"] = new_state
    sim.touch(device)
    device.pop("_relock_at", None)
    details = {"method": params.get("method", "keypad"), "pin": pin}
    event = sim.add_event(
        new_state if new_state == "locked" else "unlocked",
        device,
        source="user",
        associated=person,
        details=details,
    )
    if person is not None and new_state == "unlocked":
        sim.add_event(
            "access_person_used",
            person,
            source="user",
            associated=device,
            details=details,
            device=device,
        )
    attrs = device["attributes"]
    if (
        new_state == "unlocked"
        and attrs.get("auto_lock")
        and sim.settings.get("auto_relock")
    ):
        sim.schedule_relock(device, float(attrs.get("auto_lock_timeout") or 0) or 20)
    return _result(event, device, state=new_state)


def keypad_unlock(sim: RemoteLockState, params: dict[str, Any]) -> dict[str, Any]:
    """Someone unlocks at the keypad (``device_id``, optional ``pin``/``access_person_id``).

    A PIN that belongs to no current access person gives an ``access_denied_event``.
    """
    return _keypad(sim, params, "unlocked")


def keypad_lock(sim: RemoteLockState, params: dict[str, Any]) -> dict[str, Any]:
    """Someone locks at the keypad (``device_id``)."""
    return _keypad(sim, params, "locked")


def _connectivity(
    sim: RemoteLockState, params: dict[str, Any], online: bool
) -> dict[str, Any]:
    device = _device(sim, params)
    if device["type"] == "resort_lock":
        raise ValueError("resort locks are never connected")
    attrs = device["attributes"]
    attrs["connected"] = online
    if "alive" in attrs:
        attrs["alive"] = online
    if online and "connected_at" in attrs:
        attrs["connected_at"] = sim.now_iso()
    sim.touch(device)
    if device["type"] == "acs_door":
        return _result(None, device, connected=online)
    event = sim.add_event(
        "connectivity",
        device,
        details={"connected_at": attrs.get("connected_at")},
    )
    return _result(event, device, connected=online)


def device_offline(sim: RemoteLockState, params: dict[str, Any]) -> dict[str, Any]:
    """The device stops heartbeating: connected and alive become false."""
    return _connectivity(sim, params, False)


def device_online(sim: RemoteLockState, params: dict[str, Any]) -> dict[str, Any]:
    """The device is back: connected/alive true, connected_at now."""
    return _connectivity(sim, params, True)


def battery(sim: RemoteLockState, params: dict[str, Any]) -> dict[str, Any]:
    """Set ``power_level`` (0-100); low levels and ``replaced: true`` emit events."""
    device = _device(sim, params, "lock", "thermostat")
    level = int(_number(params, "power_level", 0, 100))
    device["attributes"]["power_level"] = level
    sim.touch(device)
    event = None
    if params.get("replaced"):
        event = sim.add_event(
            "battery_replaced", device, details={"power_level": level}
        )
    elif level <= LOW_BATTERY_LEVEL:
        event = sim.add_event("power_level_low", device, details={"power_level": level})
    return _result(event, device, power_level=level)


def thermostat_reading(sim: RemoteLockState, params: dict[str, Any]) -> dict[str, Any]:
    """New ``temperature`` and/or ``humidity`` readings (events for each change)."""
    device = _device(sim, params, "thermostat")
    if "temperature" not in params and "humidity" not in params:
        raise ValueError("temperature or humidity is required")
    events = []
    if "temperature" in params:
        value = _number(params, "temperature", -50, 150)
        device["attributes"]["temperature"] = value
        events.append(
            sim.add_event("temperature_changed", device, details={"temperature": value})
        )
    if "humidity" in params:
        humidity = int(_number(params, "humidity", 0, 100))
        device["attributes"]["humidity"] = humidity
        events.append(
            sim.add_event("humidity_changed", device, details={"humidity": humidity})
        )
    sim.touch(device)
    return {"device_id": device["id"], "event_ids": [e["id"] for e in events]}


POWER_FIELDS = (
    "voltage",
    "power",
    "power_factor",
    "current",
    "frequency",
    "total_power",
)


def power_reading(sim: RemoteLockState, params: dict[str, Any]) -> dict[str, Any]:
    """New power plug measurements (any of voltage, power, current, ... occupied)."""
    device = _device(sim, params, "power_plug")
    changed = {}
    for name in POWER_FIELDS:
        if name in params:
            changed[name] = _number(params, name, 0)
    if "occupied" in params:
        if not isinstance(params["occupied"], bool):
            raise ValueError("occupied must be true or false")
        changed["occupied"] = params["occupied"]
    if not changed:
        raise ValueError(f"give at least one of {', '.join(POWER_FIELDS)}, occupied")
    device["attributes"].update(changed)
    sim.touch(device)
    return {"device_id": device["id"], "changed": changed}


CHANGEABLE_TYPES = ("lock", "acs_door", "thermostat", "power_plug")


def _count(params: dict[str, Any], name: str, default: int | None = None) -> int:
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer")
    return value


def _change_one(sim: RemoteLockState, device: Record) -> dict[str, Any]:
    """Change the one value of ``device`` that ``change_devices`` moves."""
    attrs = device["attributes"]
    kind = device["type"]
    if kind in ("lock", "acs_door"):
        name = "state"
        value: Any = "unlocked" if attrs.get("state") == "locked" else "locked"
    elif kind == "thermostat":
        name = "temperature"
        current = float(attrs.get("temperature") or 0)
        value = current + 0.5 if round(current * 2) % 2 == 0 else current - 0.5
    else:
        name = "power"
        current = float(attrs.get("power") or 0)
        value = round(current + 1 if int(current) % 2 == 0 else current - 1, 2)
    attrs[name] = value
    sim.touch(device)
    return {"device_id": device["id"], "type": kind, "field": name, "value": value}


def change_devices(sim: RemoteLockState, params: dict[str, Any]) -> dict[str, Any]:
    """Change one live value of ``count`` devices, evenly spread (see the docstring)."""
    count = _count(params, "count")
    offset = _count(params, "offset", 0)
    changeable = [
        device
        for device in sim.state.devices.values()
        if device["type"] in CHANGEABLE_TYPES
    ]
    total = len(changeable)
    if count > total:
        raise ValueError(f"count must be at most {total} (devices that can change)")
    picked = [
        changeable[(offset + index * total // count) % total] for index in range(count)
    ]
    return {"count": count, "changed": [_change_one(sim, device) for device in picked]}


def emit_event(sim: RemoteLockState, params: dict[str, Any]) -> dict[str, Any]:
    """Record any documented event type for a device (``event_type``, ``attributes``)."""
    device = _device(sim, params)
    event_type = str(params.get("event_type", "")).removesuffix("_event")
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event_type; known: {', '.join(EVENT_TYPES)}")
    details = params.get("attributes") or {}
    if not isinstance(details, dict):
        raise ValueError("attributes must be an object")  # noqa: TRY004
    associated = None
    if params.get("associated_resource_id"):
        rid = str(params["associated_resource_id"])
        associated = sim.state.access_persons.get(rid) or sim.state.devices.get(rid)
        if associated is None:
            raise KeyError(f"associated resource {rid}")
    if event_type == "access_person_used":
        if associated is None or associated["type"] not in (
            "access_user",
            "access_guest",
        ):
            raise ValueError(
                "access_person_used needs associated_resource_id of an access person"
            )
        event = sim.add_event(
            event_type,
            associated,
            source=str(params.get("source", "user")),
            status=str(params.get("status", "succeeded")),
            associated=device,
            details=details,
            device=device,
        )
    else:
        event = sim.add_event(
            event_type,
            device,
            source=str(params.get("source", "device")),
            status=str(params.get("status", "succeeded")),
            associated=associated,
            details=details,
        )
    return _result(event, device)


def deliver_due_webhooks(
    sim: RemoteLockState, params: dict[str, Any]
) -> dict[str, Any]:
    """Apply due time-based changes now (auto-relock, hourly webhook retries)."""
    before = len(sim.webhooks.attempts)
    sim.settle()
    return {
        "retries_started": len(sim.webhooks.tasks),
        "attempts_before": before,
        "now": iso(sim.clock.now()),
    }


def expire_tokens(sim: RemoteLockState, params: dict[str, Any]) -> dict[str, Any]:
    """The service stops accepting every access token (refresh tokens stay valid)."""
    live = [token for token in sim.oauth.tokens.values() if not token.revoked]
    for token in live:
        token.revoked = True
    return {"revoked": len(live)}


def auth_behaviour(sim: RemoteLockState, params: dict[str, Any]) -> dict[str, Any]:
    """Set how tokens and resources are refused (see ``AuthBehaviour``)."""
    return sim.auth_behaviour.update(params)


TRIGGERS: dict[str, Trigger] = {
    "expire_tokens": expire_tokens,
    "auth_behaviour": auth_behaviour,
    "keypad_unlock": keypad_unlock,
    "keypad_lock": keypad_lock,
    "device_offline": device_offline,
    "device_online": device_online,
    "battery": battery,
    "thermostat_reading": thermostat_reading,
    "power_reading": power_reading,
    "emit_event": emit_event,
    "change_devices": change_devices,
    "settle": deliver_due_webhooks,
}


def run(sim: RemoteLockState, action: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run trigger ``action``; KeyError when unknown."""
    if action not in TRIGGERS:
        raise KeyError(f"trigger {action}")
    return TRIGGERS[action](sim, params)
