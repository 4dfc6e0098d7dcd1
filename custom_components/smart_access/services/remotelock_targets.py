"""Resolve what RemoteLock access actions grant: locks, ACS doors, groups, locations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import config_validation as cv
import probatio

from ..api.remotelock.models import AccessSchedule
from ..const import (
    ACCESSIBLE_ACS_DOOR,
    ACCESSIBLE_DOOR_GROUP,
    ACCESSIBLE_LOCATION,
    ACCESSIBLE_LOCK,
    Vendor,
)
from ..coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .common import (
    ATTR_CONFIG_ENTRY_ID,
    device_name,
    device_target,
    invalid,
    loaded_entry,
    remotelock_coordinator,
)

ATTR_DEVICES = "devices"
ATTR_DOOR_GROUPS = "door_groups"
ATTR_LOCATIONS = "locations"
ATTR_ACCESS_SCHEDULE = "access_schedule"

LOCK = ACCESSIBLE_LOCK
ACS_DOOR = ACCESSIBLE_ACS_DOOR
DOOR_GROUP = ACCESSIBLE_DOOR_GROUP
LOCATION = ACCESSIBLE_LOCATION
ACCESSIBLE_DEVICE_TYPES = (LOCK, ACS_DOOR)

_TEXT_LIST = probatio.All(cv.ensure_list, [cv.string])
TARGET_FIELDS: dict[probatio.Marker, Any] = {
    probatio.Optional(ATTR_DEVICES): _TEXT_LIST,
    probatio.Optional(ATTR_DOOR_GROUPS): _TEXT_LIST,
    probatio.Optional(ATTR_LOCATIONS): _TEXT_LIST,
}


@dataclass(frozen=True, slots=True)
class Account:
    """The loaded RemoteLock entry an action works on."""

    entry: SmartAccessConfigEntry
    coordinator: RemoteLockCoordinator


def account(hass: HomeAssistant, call: ServiceCall) -> Account:
    """Return the loaded RemoteLock entry named by ``config_entry_id``."""
    entry = loaded_entry(hass, call.data[ATTR_CONFIG_ENTRY_ID], Vendor.REMOTELOCK)
    return Account(entry, remotelock_coordinator(entry))


def text(data: Mapping[str, Any], key: str) -> str | None:
    """Return a text field stripped, or None when missing or blank."""
    value = data.get(key)
    if value is None:
        return None
    stripped = str(value).strip()
    return stripped or None


def values(data: Mapping[str, Any], key: str) -> list[str]:
    """Return the non-blank entries of a list field, without duplicates."""
    items = (str(item).strip() for item in data.get(key, []))
    return list(dict.fromkeys(item for item in items if item))


@dataclass(frozen=True, slots=True)
class AccessTarget:
    """Something an access person can be given access to."""

    accessible_type: str
    accessible_id: str
    label: str


def _device_targets(
    hass: HomeAssistant, acct: Account, device_ids: Iterable[str]
) -> list[AccessTarget]:
    targets = []
    for device_id in device_ids:
        entry, vendor_id, device = device_target(hass, device_id, Vendor.REMOTELOCK)
        label = device_name(device, vendor_id)
        if entry.entry_id != acct.entry.entry_id:
            raise invalid(
                "access_device_other_account", device=label, title=acct.entry.title
            )
        remote = acct.coordinator.data.devices.get(vendor_id)
        if remote is None:
            raise invalid("access_device_gone", device=label)
        if remote.type not in ACCESSIBLE_DEVICE_TYPES:
            raise invalid(
                "access_device_not_accessible", device=label, type=remote.type
            )
        targets.append(AccessTarget(remote.type, vendor_id, label))
    return targets


def _match(
    wanted: Iterable[str], known: Iterable[tuple[str, str | None]], unknown_key: str
) -> list[tuple[str, str]]:
    """Match names (case-insensitive) or ids to ``(id, name)``; raise for the rest."""
    items = list(known)
    found: list[tuple[str, str]] = []
    missing: list[str] = []
    ambiguous: list[str] = []
    for value in wanted:
        by_id = [(ident, name) for ident, name in items if ident == value]
        by_name = [
            (ident, name)
            for ident, name in items
            if name is not None and name.casefold() == value.casefold()
        ]
        hits = by_id or by_name
        if len(hits) > 1:
            ambiguous.append(value)
        elif hits:
            ident, name = hits[0]
            found.append((ident, name or ident))
        else:
            missing.append(value)
    if missing:
        raise invalid(unknown_key, names=", ".join(missing))
    if ambiguous:
        raise invalid("access_ambiguous_name", names=", ".join(ambiguous))
    return found


def _location_targets(acct: Account, wanted: list[str]) -> list[AccessTarget]:
    locations = acct.coordinator.data.locations.values()
    matches = _match(
        wanted, ((loc.id, loc.name) for loc in locations), "access_unknown_locations"
    )
    return [AccessTarget(LOCATION, ident, name) for ident, name in matches]


async def _door_group_targets(acct: Account, wanted: list[str]) -> list[AccessTarget]:
    if not wanted:
        return []
    groups = await acct.coordinator.client.async_list_groups()
    matches = _match(
        wanted, ((g.id, g.name) for g in groups), "access_unknown_door_groups"
    )
    return [AccessTarget(DOOR_GROUP, ident, name) for ident, name in matches]


async def async_targets(
    hass: HomeAssistant, acct: Account, data: Mapping[str, Any]
) -> list[AccessTarget]:
    """Resolve every target field, each target once.

    Devices and locations are checked first (no request); door groups cost one
    list request.
    """
    targets = [
        *_device_targets(hass, acct, values(data, ATTR_DEVICES)),
        *_location_targets(acct, values(data, ATTR_LOCATIONS)),
    ]
    targets.extend(await _door_group_targets(acct, values(data, ATTR_DOOR_GROUPS)))
    unique: dict[tuple[str, str], AccessTarget] = {}
    for target in targets:
        unique.setdefault((target.accessible_type, target.accessible_id), target)
    return list(unique.values())


async def async_schedule_id(acct: Account, data: Mapping[str, Any]) -> str | None:
    """Resolve the optional access schedule (name or id) with one list request."""
    wanted = text(data, ATTR_ACCESS_SCHEDULE)
    if wanted is None:
        return None
    schedules = await acct.coordinator.client.async_list_schedules(
        types="access_schedule"
    )
    known = ((s.id, s.name) for s in schedules if isinstance(s, AccessSchedule))
    [(ident, _)] = _match([wanted], known, "access_unknown_schedule")
    return ident


def require_targets(targets: list[AccessTarget]) -> None:
    """Raise when an action that needs targets got none."""
    if not targets:
        raise invalid("access_no_targets")
