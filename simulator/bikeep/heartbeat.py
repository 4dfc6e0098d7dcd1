"""Heartbeat health, computed from when a device's link to the cloud went down.

A device reaches the cloud through its own link, its GUARD (``guard_id``) and the
location's uplink. While all are up it heartbeats continuously (HEALTHY); once one is
down its last heartbeat is the earliest ``offline_since`` of the links that are down,
and health ages by the simulator clock: UNHEALTHY after 15 s, DEAD after 30 s,
LONG_DEAD after 2 h.
"""

from __future__ import annotations

from datetime import datetime

from . import const
from .model import BikeepState, Device, Link


def _links(state: BikeepState, device: Device) -> list[Link]:
    links = [device.link, state.locations[device.location_id].link]
    if device.guard_id is not None and device.guard_id in state.devices:
        links.append(state.devices[device.guard_id].link)
    return links


def reachable(state: BikeepState, device: Device) -> bool:
    """Return whether commands can reach the device right now."""
    return all(link.connected for link in _links(state, device))


def last_heartbeat(state: BikeepState, device: Device) -> datetime | None:
    """Return when the device was last heard of, or ``None`` while it is connected."""
    down = [
        link.offline_since
        for link in _links(state, device)
        if not link.connected and link.offline_since is not None
    ]
    return min(down) if down else None


def health(
    state: BikeepState, device: Device, now: datetime
) -> tuple[str, datetime | None]:
    """Return ``(heartbeat_v2.health, dead_since)``."""
    since = last_heartbeat(state, device)
    if since is None:
        return const.HEALTHY, None
    silent = (now - since).total_seconds()
    if silent < const.UNHEALTHY_AFTER:
        return const.HEALTHY, None
    if silent < const.DEAD_AFTER:
        return const.UNHEALTHY, since
    if silent < const.LONG_DEAD_AFTER:
        return const.DEAD, since
    return const.LONG_DEAD, since


def is_online(state: BikeepState, device: Device, now: datetime) -> bool:
    """Count as online (``devices.online``) while HEALTHY or UNHEALTHY."""
    return health(state, device, now)[0] in (const.HEALTHY, const.UNHEALTHY)


def deprecated_health(value: str) -> str:
    """The deprecated ``heartbeat_health`` field knows no LONG_DEAD."""
    return const.DEAD if value == const.LONG_DEAD else value
