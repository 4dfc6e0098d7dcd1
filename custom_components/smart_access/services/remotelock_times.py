"""Guest times: Home Assistant datetimes to a location's naive local time and back.

Access guests' ``starts_at``/``ends_at`` are wall-clock times of the location,
without a zone. A naive value from Home Assistant (the datetime selector) is in
Home Assistant's time zone; it is placed on the time line first, then shown as the
wall-clock time of the zone of the locations the guest has access to.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from homeassistant.util import dt as dt_util

from ..api.remotelock.timezones import aware_to_local_naive, local_naive_to_aware
from .common import invalid
from .remotelock_targets import (
    ACCESSIBLE_DEVICE_TYPES,
    DOOR_GROUP,
    LOCATION,
    AccessTarget,
    Account,
)


def as_aware(value: datetime) -> datetime:
    """Return ``value`` aware: a naive value is in Home Assistant's time zone."""
    if value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt_util.get_default_time_zone())


def _show(value: datetime) -> str:
    return value.isoformat(sep=" ", timespec="minutes")


def check_order(start: datetime, end: datetime) -> None:
    """Raise unless ``end`` comes after ``start`` (both aware)."""
    if end <= start:
        raise invalid("access_end_before_start", start=_show(start), end=_show(end))


def check_local_order(start: datetime, end: datetime, zone: str) -> None:
    """Raise unless the local wall-clock ``end`` comes after ``start``.

    The service only sees wall-clock times: aware times in order can still collide
    there when the clocks go back between them (the repeated hour), and an update
    may change one end of a guest's window only.
    """
    if end <= start:
        raise invalid(
            "access_end_before_start_local",
            start=_show(start),
            end=_show(end),
            time_zone=zone,
        )


def _location_zone(acct: Account, location_id: str | None) -> str | None:
    location = acct.coordinator.data.locations.get(location_id or "")
    return location.time_zone if location else None


def _device_zone(acct: Account, device_id: str | None) -> str | None:
    device = acct.coordinator.data.devices.get(device_id or "")
    return _location_zone(acct, device.location_id) if device else None


async def async_target_zones(
    acct: Account, targets: Iterable[AccessTarget]
) -> set[str]:
    """Return the time zones the targets' devices are in.

    Devices and locations come from the coordinator's snapshot; a door group costs
    one request for its doors.
    """
    zones: set[str | None] = set()
    for target in targets:
        if target.accessible_type in ACCESSIBLE_DEVICE_TYPES:
            zones.add(_device_zone(acct, target.accessible_id))
        elif target.accessible_type == LOCATION:
            zones.add(_location_zone(acct, target.accessible_id))
        elif target.accessible_type == DOOR_GROUP:
            client = acct.coordinator.client
            doors = await client.async_list_group_doors(target.accessible_id)
            zones.update(_device_zone(acct, door.door_id) for door in doors)
    return {zone for zone in zones if zone}


def pick_zone(acct: Account, zones: set[str]) -> str:
    """Return the one zone of the targets (or of the account when they give none).

    Raises when the targets span several zones, or when there are no targets and
    the account's locations are in more than one zone: the guest's times would
    mean different moments at different doors.
    """
    if not zones:
        zones = {
            loc.time_zone
            for loc in acct.coordinator.data.locations.values()
            if loc.time_zone
        }
        if len(zones) != 1:
            raise invalid("access_time_zone_unknown")
    if len(zones) > 1:
        raise invalid("access_mixed_time_zones", time_zones=", ".join(sorted(zones)))
    return next(iter(zones))


def to_local(value: datetime, zone: str) -> datetime:
    """Return the naive wall-clock time of aware ``value`` in ``zone``."""
    return aware_to_local_naive(value, zone)


def local_iso(value: datetime, zone: str) -> str:
    """Return a naive local time of ``zone`` as ISO 8601 with its UTC offset."""
    return local_naive_to_aware(value, zone).astimezone(ZoneInfo(zone)).isoformat()


def floor_hour(value: datetime) -> datetime:
    """Return ``value`` cut to the whole hour."""
    return value.replace(minute=0, second=0, microsecond=0)


def ceil_hour(value: datetime) -> datetime:
    """Return ``value`` rounded up to the whole hour."""
    floor = floor_hour(value)
    return floor if floor == value else floor + timedelta(hours=1)
