"""A link's targets: the choices offered, their names and their time zones.

Locks, ACS doors and locations are read from the coordinator's snapshot (no
request). Door groups cost one request to list and one per group to read its
doors, which say the group's time zone; a link keeps that for 30 minutes.

Time zone of a target: its location's (a lock's or ACS door's ``location_id``);
a door group's is its doors' when they share one. A target whose zone cannot be
told (no location, or a group spanning zones) is reported, not guessed.

All-day check-in/check-out: RemoteLock keeps default guest times on each lock
(``default_guest_start_time``/``default_guest_end_time``) and on the account; a
lock's own win, then the account's, then the reconciler's 15:00/11:00.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from homeassistant.helpers.selector import SelectOptionDict

from .api.remotelock import RemoteLockClient
from .api.remotelock.models import Device, Group
from .const import (
    ACCESSIBLE_ACS_DOOR,
    ACCESSIBLE_DOOR_GROUP,
    ACCESSIBLE_LOCATION,
    ACCESSIBLE_LOCK,
)
from .coordinator import RemoteLockSnapshot
from .guest_link_config import decode_target, encode_target
from .guest_sync.model import Target, TargetRef
from .naming import remotelock_device_name

LOCK, ACS_DOOR = ACCESSIBLE_LOCK, ACCESSIBLE_ACS_DOOR
DOOR_GROUP, LOCATION = ACCESSIBLE_DOOR_GROUP, ACCESSIBLE_LOCATION
GROUP_REFRESH = timedelta(minutes=30)
_KIND_ORDER = {LOCK: 0, ACS_DOOR: 1, DOOR_GROUP: 2, LOCATION: 3}
_KIND_LABEL = {
    LOCK: "Lock",
    ACS_DOOR: "ACS door",
    DOOR_GROUP: "Door group",
    LOCATION: "Location",
}


def target_options(
    snapshot: RemoteLockSnapshot, groups: Iterable[Group]
) -> list[SelectOptionDict]:
    """Return the locks, ACS doors, door groups and locations a link can target."""
    options: list[tuple[int, str, str]] = []
    for device in snapshot.devices.values():
        if device.type in (LOCK, ACS_DOOR):
            label = remotelock_device_name(device)
            options.append(
                (
                    _KIND_ORDER[device.type],
                    label,
                    encode_target((device.type, device.id)),
                )
            )
    options.extend(
        (
            _KIND_ORDER[DOOR_GROUP],
            group.name or group.id,
            encode_target((DOOR_GROUP, group.id)),
        )
        for group in groups
    )
    options.extend(
        (
            _KIND_ORDER[LOCATION],
            location.name or location.id,
            encode_target((LOCATION, location.id)),
        )
        for location in snapshot.locations.values()
    )
    return [
        SelectOptionDict(
            value=value, label=f"{label} ({_KIND_LABEL[decode_target(value)[0]]})"
        )
        for _, label, value in sorted(options)
    ]


@dataclass(slots=True)
class GroupCache:
    """Door groups' names and doors, read at most every 30 minutes."""

    names: dict[str, str] = field(default_factory=dict)
    doors: dict[str, tuple[TargetRef, ...]] = field(default_factory=dict)
    read_at: datetime | None = None

    async def async_refresh(
        self,
        client: RemoteLockClient,
        wanted: Iterable[str],
        now: datetime,
        *,
        listed: Iterable[Group] | None = None,
    ) -> None:
        """Read the wanted groups' doors when due (or when one is new).

        ``listed``: the group list, when the caller has just read it.
        """
        wanted = set(wanted)
        if not wanted:
            return
        due = self.read_at is None or now - self.read_at >= GROUP_REFRESH
        if not due and wanted <= set(self.doors):
            return
        groups = (
            list(listed) if listed is not None else await client.async_list_groups()
        )
        self.names = {group.id: group.name or group.id for group in groups}
        doors: dict[str, tuple[TargetRef, ...]] = {}
        for group_id in sorted(wanted & set(self.names)):
            doors[group_id] = tuple(
                (member.door_type or LOCK, member.door_id)
                for member in await client.async_list_group_doors(group_id)
                if member.door_id
            )
        self.doors = doors
        self.read_at = now


def target_label(
    snapshot: RemoteLockSnapshot, groups: GroupCache, ref: TargetRef
) -> str:
    """Return the name a user knows a target by."""
    kind, ident = ref
    if kind in (LOCK, ACS_DOOR) and (device := snapshot.devices.get(ident)):
        return remotelock_device_name(device)
    if kind == LOCATION and (location := snapshot.locations.get(ident)):
        return location.name or ident
    if kind == DOOR_GROUP:
        return groups.names.get(ident, ident)
    return ident


@dataclass(frozen=True, slots=True)
class Resolved:
    """A link's targets with their zones, and those that could not be placed."""

    targets: list[Target]
    missing: list[TargetRef]  # gone from the account
    unplaced: list[TargetRef]  # no time zone (no location, or a group of zones)


def _device_zone(snapshot: RemoteLockSnapshot, device: Device) -> str | None:
    location = snapshot.locations.get(device.location_id or "")
    return location.time_zone if location else None


def _defaults(
    devices: Iterable[Device], account: tuple[time | None, time | None]
) -> tuple[time | None, time | None]:
    starts = [
        start
        for device in devices
        if (start := getattr(device, "default_guest_start_time", None))
    ]
    ends = [
        end
        for device in devices
        if (end := getattr(device, "default_guest_end_time", None))
    ]
    return (min(starts) if starts else account[0]), (max(ends) if ends else account[1])


def resolve_targets(
    snapshot: RemoteLockSnapshot,
    refs: Iterable[TargetRef],
    groups: GroupCache,
    account_defaults: tuple[time | None, time | None] = (None, None),
) -> Resolved:
    """Place each target in its time zone, with its default guest times."""
    targets: list[Target] = []
    missing: list[TargetRef] = []
    unplaced: list[TargetRef] = []
    by_location: Mapping[str, list[Device]] = _devices_by_location(snapshot)
    for ref in refs:
        kind, ident = ref
        devices: list[Device] = []
        zones: set[str | None] = set()
        if kind in (LOCK, ACS_DOOR):
            device = snapshot.devices.get(ident)
            if device is None:
                missing.append(ref)
                continue
            devices = [device]
            zones = {_device_zone(snapshot, device)}
        elif kind == LOCATION:
            location = snapshot.locations.get(ident)
            if location is None:
                missing.append(ref)
                continue
            devices = by_location.get(ident, [])
            zones = {location.time_zone}
        elif kind == DOOR_GROUP:
            if ident not in groups.doors:
                missing.append(ref)
                continue
            devices = [
                device
                for _, door_id in groups.doors[ident]
                if (device := snapshot.devices.get(door_id))
            ]
            zones = {_device_zone(snapshot, device) for device in devices}
        else:
            missing.append(ref)
            continue
        if len(zones) != 1 or None in zones:
            unplaced.append(ref)
            continue
        [zone] = zones
        assert zone is not None
        start, end = _defaults(devices, account_defaults)
        targets.append(Target(kind, ident, zone, start, end))
    return Resolved(targets, missing, unplaced)


def _devices_by_location(snapshot: RemoteLockSnapshot) -> dict[str, list[Device]]:
    grouped: dict[str, list[Device]] = {}
    for device in snapshot.devices.values():
        if device.location_id and device.type in (LOCK, ACS_DOOR):
            grouped.setdefault(device.location_id, []).append(device)
    return grouped
