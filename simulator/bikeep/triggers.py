"""Control triggers: device-side changes a test or developer can cause on demand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import const
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

if TYPE_CHECKING:
    from .simulator import BikeepSimulator

type Trigger = Callable[["BikeepSimulator", dict[str, Any]], Awaitable[dict[str, Any]]]


def _param(params: dict[str, Any], key: str) -> str:
    value = params.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"parameter {key!r} (string) is required")
    return value


def _device(sim: BikeepSimulator, params: dict[str, Any]) -> Device:
    device_id = _param(params, "device_id")
    device = sim.state.devices.get(device_id)
    if device is None:
        raise KeyError(f"device {device_id}")
    return device


def _location(sim: BikeepSimulator, params: dict[str, Any]) -> Location:
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


def _relink(sim: BikeepSimulator, location: Location, link: Link, up: bool) -> None:
    """Settle the location's devices, change one link, then re-plan deliveries."""
    now = sim.clock.now()
    devices = sim.state.location_devices(location.id)
    for device in devices:
        settle_device(sim.state, device, now)
    if up:
        link.connected, link.offline_since = True, None
    elif link.connected:
        link.connected, link.offline_since = False, now
    for device in devices:
        refresh_delivery(sim.state, device, now)


def _non_guard(device: Device) -> Device:
    if device.type == const.GUARD:
        raise ValueError("GUARD devices take no commands and have no meaningful state")
    return device


async def _device_link(
    sim: BikeepSimulator, params: dict[str, Any], up: bool
) -> dict[str, Any]:
    device = _device(sim, params)
    _relink(sim, sim.state.locations[device.location_id], device.link, up)
    return device_body(sim.state, device, sim.clock.now())


async def device_offline(
    sim: BikeepSimulator, params: dict[str, Any]
) -> dict[str, Any]:
    """The device stops heartbeating (health ages by the clock)."""
    return await _device_link(sim, params, up=False)


async def device_online(sim: BikeepSimulator, params: dict[str, Any]) -> dict[str, Any]:
    """The device is back; a waiting command is delivered after the latency."""
    return await _device_link(sim, params, up=True)


async def guard_offline(sim: BikeepSimulator, params: dict[str, Any]) -> dict[str, Any]:
    """A GUARD gateway goes offline, and with it the devices wired to it."""
    if _device(sim, params).type != const.GUARD:
        raise ValueError("device_id is not a GUARD")
    return await _device_link(sim, params, up=False)


async def guard_online(sim: BikeepSimulator, params: dict[str, Any]) -> dict[str, Any]:
    """A GUARD gateway is back."""
    if _device(sim, params).type != const.GUARD:
        raise ValueError("device_id is not a GUARD")
    return await _device_link(sim, params, up=True)


async def _location_link(
    sim: BikeepSimulator, params: dict[str, Any], up: bool
) -> dict[str, Any]:
    location = _location(sim, params)
    _relink(sim, location, location.link, up)
    return location_body(sim.state, location, sim.clock.now())


async def location_offline(
    sim: BikeepSimulator, params: dict[str, Any]
) -> dict[str, Any]:
    """The whole location loses its uplink."""
    return await _location_link(sim, params, up=False)


async def location_online(
    sim: BikeepSimulator, params: dict[str, Any]
) -> dict[str, Any]:
    """The location's uplink is back."""
    return await _location_link(sim, params, up=True)


async def secure_item_trigger(
    sim: BikeepSimulator, params: dict[str, Any]
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


async def fail_next_command(
    sim: BikeepSimulator, params: dict[str, Any]
) -> dict[str, Any]:
    """The device answers its next delivered command with an error."""
    device = _non_guard(_device(sim, params))
    reason = params.get("reason", "the hardware could not execute the command")
    if not isinstance(reason, str):
        raise ValueError("reason must be a string")  # noqa: TRY004
    device.fail_next = reason
    return {"device_id": device.id, "fail_next": reason}


async def set_latency(sim: BikeepSimulator, params: dict[str, Any]) -> dict[str, Any]:
    """Device round-trip seconds: for one device (``device_id``) or all."""
    seconds = _number(params, "seconds")
    if "device_id" in params:
        device = _device(sim, params)
        device.latency = seconds
        return {"device_id": device.id, "latency": seconds}
    sim.state.settings.latency = seconds
    return {"latency": seconds}


async def set_state(sim: BikeepSimulator, params: dict[str, Any]) -> dict[str, Any]:
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


async def set_timing(sim: BikeepSimulator, params: dict[str, Any]) -> dict[str, Any]:
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


async def set_rate_limit(
    sim: BikeepSimulator, params: dict[str, Any]
) -> dict[str, Any]:
    """``{"requests": N, "per_seconds": S}`` turns the limit on, ``{}`` turns it off."""
    sim.state.settings.set_rate_limit(params or None)
    sim.limiter.reset()
    return sim.state.settings.to_dict()


async def expire_tokens(sim: BikeepSimulator, params: dict[str, Any]) -> dict[str, Any]:
    """Revoke every issued access token (the next API call answers 401)."""
    count = len(sim.tokens.tokens)
    sim.tokens.clear()
    return {"revoked": count}


async def auth_behaviour(
    sim: BikeepSimulator, params: dict[str, Any]
) -> dict[str, Any]:
    """Set how tokens and resources are refused (see ``AuthBehaviour``)."""
    return sim.auth_behaviour.update(params)


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
    "set_timing": set_timing,
    "set_rate_limit": set_rate_limit,
    "expire_tokens": expire_tokens,
}
