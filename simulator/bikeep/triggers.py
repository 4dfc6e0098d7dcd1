"""Control triggers: device-side changes a test or developer can cause on demand.

``change_devices`` (``count``, optional ``offset`` and ``operator_id``) checks bikes in
and out at many stations at once, for benchmarks of large accounts: ``count`` lockers
or docks that are online, idle (no command), NORMAL and UNLOCKED or LOCKED go
UNLOCKED <-> LOCKED, which moves their station's ``available`` count as a real
check-in or check-out does. They are taken one per station in turn (the first such
device of every station of the operator, or of every operator, then the second, ...),
so up to one per station while ``count`` does not exceed the stations; ``offset``
shifts the choice by ``offset * count`` places (calling it twice with the same
offset puts every state back). No webhook is sent. It answers
``{"count": n, "changed": [{"device_id", "location_id", "state"}, ...]}``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from . import const
from .cloud import BikeepCloud
from .heartbeat import is_online
from .machine import (
    active_command,
    finish,
    refresh_delivery,
    secure_item,
    set_device_state,
    settle_device,
)
from .model import PHASE_LOCKING, Device, Link, Location
from .timeutil import after, parse_optional
from .views import device_body, location_body
from .webhooks import WEBHOOK_TYPES, Delivery, event_body

type Trigger = Callable[[BikeepCloud, dict[str, Any]], Awaitable[dict[str, Any]]]


def _param(params: dict[str, Any], key: str) -> str:
    value = params.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"parameter {key!r} (string) is required")
    return value


def _device(sim: BikeepCloud, params: dict[str, Any]) -> Device:
    device_id = _param(params, "device_id")
    device = sim.state.devices.get(device_id)
    if device is None:
        raise KeyError(f"device {device_id}")
    return device


def _location(sim: BikeepCloud, params: dict[str, Any]) -> Location:
    location_id = _param(params, "location_id")
    location = sim.state.locations.get(location_id)
    if location is None:
        raise KeyError(f"location {location_id}")
    return location


def _number(params: dict[str, Any], key: str) -> float:
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"parameter {key!r} must be a non-negative number")
    return float(value)


def _relink(
    sim: BikeepCloud,
    location: Location,
    link: Link,
    up: bool,
    since: datetime | None = None,
) -> None:
    """Settle the location's devices, change one link, then re-plan deliveries.

    A link taken down is offline from ``since`` (default now); one already down
    keeps the earlier of the two.
    """
    now = sim.clock.now()
    devices = sim.state.location_devices(location.id)
    for device in devices:
        settle_device(sim.state, device, now)
    if up:
        link.connected, link.offline_since = True, None
    else:
        start = since or now
        if link.connected or link.offline_since is None:
            link.connected, link.offline_since = False, start
        else:
            link.offline_since = min(link.offline_since, start)
    for device in devices:
        refresh_delivery(sim.state, device, now)


def _non_guard(device: Device) -> Device:
    if device.type == const.GUARD:
        raise ValueError("GUARD devices take no commands and have no meaningful state")
    return device


async def _device_link(
    sim: BikeepCloud, params: dict[str, Any], up: bool
) -> dict[str, Any]:
    device = _device(sim, params)
    location = sim.state.locations[device.location_id]
    _relink(sim, location, device.link, up)
    now = sim.clock.now()
    await sim.webhooks.send(
        event_body("connection", now, location, device, connection=_connection(up)),
        now,
    )
    return device_body(sim.state, device, now)


def _connection(up: bool) -> str:
    return "online" if up else "offline"


async def device_offline(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """The device stops heartbeating (health ages by the clock)."""
    return await _device_link(sim, params, up=False)


async def device_online(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """The device is back; a waiting command is delivered after the latency."""
    return await _device_link(sim, params, up=True)


async def guard_offline(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """A GUARD gateway goes offline, and with it the devices wired to it."""
    if _device(sim, params).type != const.GUARD:
        raise ValueError("device_id is not a GUARD")
    return await _device_link(sim, params, up=False)


async def guard_online(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """A GUARD gateway is back."""
    if _device(sim, params).type != const.GUARD:
        raise ValueError("device_id is not a GUARD")
    return await _device_link(sim, params, up=True)


async def _location_link(
    sim: BikeepCloud, params: dict[str, Any], up: bool
) -> dict[str, Any]:
    location = _location(sim, params)
    _relink(sim, location, location.link, up)
    now = sim.clock.now()
    await sim.webhooks.send(
        event_body("connection", now, location, connection=_connection(up)), now
    )
    return location_body(sim.state, location, now)


async def location_offline(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """The whole location loses its uplink."""
    return await _location_link(sim, params, up=False)


async def location_online(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """The location's uplink is back."""
    return await _location_link(sim, params, up=True)


async def secure_item_trigger(
    sim: BikeepCloud, params: dict[str, Any]
) -> dict[str, Any]:
    """The user secures the item: a LOCKING device becomes LOCKED now."""
    device = _device(sim, params)
    now = sim.clock.now()
    settle_device(sim.state, device, now)
    command = active_command(sim.state, device)
    if command is None or command.phase != PHASE_LOCKING:
        raise ValueError(f"device is {device.state}, not LOCKING")
    secure_item(device, command, now)
    return device_body(sim.state, device, now)


async def fail_next_command(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """The device answers its next delivered command with an error."""
    device = _non_guard(_device(sim, params))
    reason = params.get("reason", "the hardware could not execute the command")
    if not isinstance(reason, str):
        raise ValueError("reason must be a string")  # noqa: TRY004
    device.fail_next = reason
    return {"device_id": device.id, "fail_next": reason}


async def set_latency(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """Device round-trip seconds: for one device (``device_id``) or all."""
    seconds = _number(params, "seconds")
    if "device_id" in params:
        device = _device(sim, params)
        device.latency = seconds
        return {"device_id": device.id, "latency": seconds}
    sim.state.settings.latency = seconds
    return {"latency": seconds}


async def set_state(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """Force a device state; a command in progress ends ERROR (superseded)."""
    device = _non_guard(_device(sim, params))
    value = _param(params, "state")
    if value not in const.DEVICE_STATES:
        raise ValueError(f"state must be one of {', '.join(const.DEVICE_STATES)}")
    now = sim.clock.now()
    timeout_at: datetime | None = parse_optional(params.get("timeout_at"), "timeout_at")
    if timeout_at is None and "timeout_in" in params:
        timeout_at = after(now, _number(params, "timeout_in"))
    if timeout_at is None and value == const.BOOKED:
        timeout_at = after(now, sim.state.settings.booking_duration)
    settle_device(sim.state, device, now)
    command = active_command(sim.state, device)
    if command is not None:
        finish(
            command,
            device,
            now,
            const.EV_SUPERSEDED,
            ok=False,
            message="device state was set by the operator",
            restore=False,
        )
    set_device_state(device, value, now, timeout_at)
    device.changed_at = now
    return device_body(sim.state, device, now)


def _count(params: dict[str, Any], key: str, default: int | None = None) -> int:
    value = params.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"parameter {key!r} must be a non-negative integer")
    return value


def _changeable(sim: BikeepCloud, device: Device, now: datetime) -> bool:
    settle_device(sim.state, device, now)
    return (
        device.type != const.GUARD
        and device.state in (const.UNLOCKED, const.LOCKED)
        and device.hardware_state == const.HARDWARE_NORMAL
        and active_command(sim.state, device) is None
        and is_online(sim.state, device, now)
    )


async def change_devices(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """Check bikes in or out: ``count`` devices, one per station in turn (see above)."""
    count = _count(params, "count")
    offset = _count(params, "offset", 0)
    operator_id = params.get("operator_id")
    if operator_id is not None and operator_id not in sim.state.operators:
        raise KeyError(f"operator {operator_id}")
    now = sim.clock.now()
    stations = [
        [
            device
            for device in sim.state.location_devices(location.id)
            if _changeable(sim, device, now)
        ]
        for location in sim.state.locations.values()
        if operator_id is None or location.operator_id == operator_id
    ]
    rounds = max((len(devices) for devices in stations), default=0)
    order = [
        devices[index]
        for index in range(rounds)
        for devices in stations
        if index < len(devices)
    ]
    if count > len(order):
        raise ValueError(
            f"count must be at most {len(order)} (devices that can change)"
        )
    changed = []
    for index in range(count):
        device = order[(offset * count + index) % len(order)]
        new = const.LOCKED if device.state == const.UNLOCKED else const.UNLOCKED
        set_device_state(device, new, now)
        changed.append(
            {"device_id": device.id, "location_id": device.location_id, "state": new}
        )
    return {"count": count, "changed": changed}


async def set_timing(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """Change timing settings (``locking_window``, ``secure_delay`` (null = manual), ...)."""
    settings = sim.state.settings
    allowed = (
        "latency",
        "delivery_timeout",
        "locking_window",
        "secure_delay",
        "unlock_window",
        "unlock_duration",
        "booking_duration",
        "token_lifetime",
    )
    for key in params:
        if key not in allowed:
            raise ValueError(f"unknown timing {key!r}; known: {', '.join(allowed)}")
    for key, value in params.items():
        if key == "secure_delay" and value is None:
            settings.secure_delay = None
        else:
            setattr(settings, key, _number(params, key))
    return settings.to_dict()


async def set_rate_limit(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """``{"requests": N, "per_seconds": S}`` turns the limit on, ``{}`` turns it off."""
    sim.state.settings.set_rate_limit(params or None)
    sim.limiter.reset()
    return sim.state.settings.to_dict()


async def expire_tokens(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """Revoke every issued access token (the next API call answers 401)."""
    count = len(sim.tokens.tokens)
    sim.tokens.clear()
    return {"revoked": count}


async def auth_behaviour(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """Set how tokens and resources are refused (see ``AuthBehaviour``)."""
    return sim.auth_behaviour.update(params)


# -- webhooks ("registered by Bikeep staff") --------------------------------------
def _deliveries(sent: list[Delivery]) -> dict[str, Any]:
    return {
        "deliveries": [
            {"url": item.url, "status": item.status, "error": item.error}
            for item in sent
        ]
    }


def _target(sim: BikeepCloud, params: dict[str, Any]) -> tuple[Location, Device | None]:
    """The location (``location_id``) or device (``device_id``) an event is about."""
    if "device_id" in params:
        device = _device(sim, params)
        return sim.state.locations[device.location_id], device
    return _location(sim, params), None


def _message(params: dict[str, Any], default: str) -> str:
    value = params.get("message", default)
    if not isinstance(value, str):
        raise ValueError("message must be a string")  # noqa: TRY004
    return value


async def register_webhook(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """Register ``url`` for ``types`` (default all four); ``aggregate`` queues events."""
    types = params.get("types", list(WEBHOOK_TYPES))
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise ValueError("types must be a list of webhook types")
    aggregate = params.get("aggregate", False)
    if not isinstance(aggregate, bool):
        raise ValueError("aggregate must be true or false")  # noqa: TRY004
    sim.webhooks.register(_param(params, "url"), tuple(types), aggregate)
    return {"endpoints": [endpoint.to_dict() for endpoint in sim.webhooks.endpoints]}


async def unregister_webhook(
    sim: BikeepCloud, params: dict[str, Any]
) -> dict[str, Any]:
    """Remove the endpoint of ``url``, or every endpoint without ``url``."""
    url = params.get("url")
    if url is not None and not isinstance(url, str):
        raise ValueError("url must be a string")
    return {"removed": sim.webhooks.unregister(url)}


async def send_webhook(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """Send one event of ``type`` about ``location_id`` or ``device_id``.

    With ``body`` (any JSON) or ``raw`` (text, with ``content_type``) that body is
    POSTed as it is to every endpoint, whatever its types.
    """
    now = sim.clock.now()
    if "raw" in params or "body" in params:
        raw = params.get("raw")
        if raw is not None and not isinstance(raw, str):
            raise ValueError("raw must be a string")
        content_type = params.get(
            "content_type", "text/plain" if raw is not None else "application/json"
        )
        if not isinstance(content_type, str):
            raise ValueError("content_type must be a string")
        sent = [
            await sim.webhooks.post(
                endpoint.url,
                params.get("body"),
                [],
                now,
                raw=raw,
                content_type=content_type,
            )
            for endpoint in sim.webhooks.endpoints
        ]
        return _deliveries(sent)
    kind = _param(params, "type")
    if kind not in WEBHOOK_TYPES:
        raise ValueError(f"type must be one of {', '.join(WEBHOOK_TYPES)}")
    location, device = _target(sim, params)
    message = params.get("message")
    if message is not None:
        message = _message(params, "")
    return _deliveries(
        await sim.webhooks.send(
            event_body(kind, now, location, device, message=message), now
        )
    )


async def hardware_alarm(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """A hardware alarm (``message``, default: case opened) at a device or location."""
    location, device = _target(sim, params)
    now = sim.clock.now()
    event = event_body(
        "alarm", now, location, device, message=_message(params, "case opened")
    )
    return _deliveries(await sim.webhooks.send(event, now))


async def report_status(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """An anomalous device state persisted (``message``, default: door left open)."""
    device = _non_guard(_device(sim, params))
    now = sim.clock.now()
    message = _message(params, "door left open for 5 minutes")
    event = event_body(
        "status", now, sim.state.locations[device.location_id], device, message=message
    )
    return _deliveries(await sim.webhooks.send(event, now))


async def confirm_outage(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """The location has been offline ``offline_for`` s (default 2 h): confirmed.

    Its uplink goes down as of then (unless already down earlier), and the
    ``connection_confirmed`` webhook is sent.
    """
    location = _location(sim, params)
    seconds = _number(params, "offline_for") if "offline_for" in params else 7200.0
    now = sim.clock.now()
    _relink(sim, location, location.link, up=False, since=after(now, -seconds))
    event = event_body(
        "connection_confirmed", now, location, connection=_connection(False)
    )
    sent = await sim.webhooks.send(event, now)
    return location_body(sim.state, location, now) | _deliveries(sent)


async def flush_webhooks(sim: BikeepCloud, params: dict[str, Any]) -> dict[str, Any]:
    """Deliver what aggregating endpoints queued, one JSON list each."""
    return _deliveries(await sim.webhooks.flush(sim.clock.now()))


TRIGGERS: dict[str, Trigger] = {
    "auth_behaviour": auth_behaviour,
    "device_offline": device_offline,
    "device_online": device_online,
    "guard_offline": guard_offline,
    "guard_online": guard_online,
    "location_offline": location_offline,
    "location_online": location_online,
    "secure_item": secure_item_trigger,
    "fail_next_command": fail_next_command,
    "set_latency": set_latency,
    "set_state": set_state,
    "change_devices": change_devices,
    "set_timing": set_timing,
    "set_rate_limit": set_rate_limit,
    "expire_tokens": expire_tokens,
    "register_webhook": register_webhook,
    "unregister_webhook": unregister_webhook,
    "send_webhook": send_webhook,
    "hardware_alarm": hardware_alarm,
    "report_status": report_status,
    "confirm_outage": confirm_outage,
    "flush_webhooks": flush_webhooks,
}
