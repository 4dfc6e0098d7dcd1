"""Which entities are enabled by default: what a site needs first, within a budget.

Home Assistant enables at most 10,000 entities per config entry
(``MAX_ENABLED_ENTITIES_PER_CONFIG_ENTRY``): past it, new entities are not added at
all. Every entity here has a tier, in the order a property manager or station
operator needs them:

1. **control** - the lock, thermostat, plug switch; a resort lock's current
   guests, a station's available and online counts; the account's API budget
   and its guests calendar;
2. **health** - connectivity, battery, gateway heartbeat, station connection;
3. **access** - the access event entity and *Last access*;
4. **readings** - thermostat temperature, plug power and energy, Bikeep device
   state, station totals, RFID card counts, a gateway's dead-since time.

Everything else (device settings, Wi-Fi signal, last connection, humidity, electrical
details, plug occupancy) is disabled by default, one click away. An entry enables
by default every tier that fits, for all its devices, into ``ENABLED_BUDGET``
entities (a tenth of Home Assistant's cap stays free for devices added later and
for entities you enable yourself). When not even every control fits, the controls
of the first devices (by vendor id) that fit are enabled and a repair issue says
so.

Only new entities are concerned: what is in the entity registry keeps the choice
made there (yours or this plan's). Devices added later are planned within what is
left: the budget less the entry's entities enabled in the registry now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

from .api.bikeep.models import Device as BikeepDevice
from .api.remotelock.models import (
    AcsDoor,
    Device as RemoteLockDevice,
    Lock,
    PowerPlug,
    ResortLock,
    Thermostat,
)

# Home Assistant's cap is 10,000 enabled entities per config entry.
HA_ENABLED_CAP = 10_000
ENABLED_BUDGET = 9_000


class Tier(IntEnum):
    """How soon a site needs an entity (lower first)."""

    CONTROL = 1
    HEALTH = 2
    ACCESS = 3
    READINGS = 4


# (platform, entity key) -> tier; an entity not listed is disabled by default.
TIERS: Mapping[tuple[str, str], Tier] = {
    ("lock", "lock"): Tier.CONTROL,
    ("climate", "climate"): Tier.CONTROL,
    ("switch", "power"): Tier.CONTROL,
    ("sensor", "current_guests"): Tier.CONTROL,
    ("sensor", "available_devices"): Tier.CONTROL,
    ("sensor", "online_devices"): Tier.CONTROL,
    ("sensor", "rate_limit_remaining"): Tier.CONTROL,
    ("calendar", "access_guests"): Tier.CONTROL,
    ("binary_sensor", "connectivity"): Tier.HEALTH,
    ("binary_sensor", "door_connectivity"): Tier.HEALTH,
    ("binary_sensor", "connection"): Tier.HEALTH,
    ("sensor", "battery"): Tier.HEALTH,
    ("sensor", "heartbeat_health"): Tier.HEALTH,
    ("event", "access"): Tier.ACCESS,
    ("sensor", "last_access"): Tier.ACCESS,
    ("sensor", "temperature"): Tier.READINGS,
    ("sensor", "power"): Tier.READINGS,
    ("sensor", "energy"): Tier.READINGS,
    ("sensor", "device_state"): Tier.READINGS,
    ("sensor", "total_devices"): Tier.READINGS,
    ("sensor", "rfid_cards"): Tier.READINGS,
    ("sensor", "dead_since"): Tier.READINGS,
}

# The tiered entities each kind of object gets (for counting before they exist).
_ACCESS = (("event", "access"), ("sensor", "last_access"))
_REMOTELOCK_KINDS: tuple[
    tuple[type[RemoteLockDevice], tuple[tuple[str, str], ...]], ...
] = (
    (
        Lock,
        (
            ("lock", "lock"),
            ("binary_sensor", "connectivity"),
            ("sensor", "battery"),
            *_ACCESS,
        ),
    ),
    (AcsDoor, (("lock", "lock"), ("binary_sensor", "door_connectivity"), *_ACCESS)),
    (ResortLock, (("sensor", "current_guests"), *_ACCESS)),
    (
        Thermostat,
        (
            ("climate", "climate"),
            ("binary_sensor", "connectivity"),
            ("sensor", "temperature"),
        ),
    ),
    (
        PowerPlug,
        (
            ("switch", "power"),
            ("binary_sensor", "connectivity"),
            ("sensor", "power"),
            ("sensor", "energy"),
        ),
    ),
)
_STATION = (
    ("sensor", "available_devices"),
    ("sensor", "online_devices"),
    ("binary_sensor", "connection"),
    ("sensor", "total_devices"),
)
_LOCKABLE = (
    ("lock", "lock"),
    ("binary_sensor", "connectivity"),
    ("sensor", "device_state"),
)
_GATEWAY = (
    ("binary_sensor", "connectivity"),
    ("sensor", "heartbeat_health"),
    ("sensor", "dead_since"),
)
_OTHER_BIKEEP = (("binary_sensor", "connectivity"),)


def remotelock_entities(device: RemoteLockDevice) -> tuple[tuple[str, str], ...]:
    """Return the tiered entities a RemoteLock device gets."""
    for kind, entities in _REMOTELOCK_KINDS:
        if isinstance(device, kind):
            return entities
    return ()


def bikeep_device_entities(device: BikeepDevice) -> tuple[tuple[str, str], ...]:
    """Return the tiered entities a Bikeep device gets."""
    if device.is_lockable:
        return _LOCKABLE
    if device.is_gateway:
        return _GATEWAY
    return _OTHER_BIKEEP


def bikeep_station_entities(whitelists: int) -> tuple[tuple[str, str], ...]:
    """Return the tiered entities of a station with ``whitelists`` whitelists."""
    return _STATION + (("sensor", "rfid_cards"),) * whitelists


@dataclass(frozen=True, slots=True)
class Plan:
    """What an entry enables by default for new entities.

    ``tier``: every entity up to this tier; ``controls_for``: when set, only
    these objects' control entities (not even the controls of all fit).
    """

    tier: Tier
    planned: int
    objects: int
    controls_for: frozenset[str] | None = None
    # Objects with controls that get none enabled (only when controls_for is set).
    left_out: int = 0

    def enabled(self, platform: str, key: str, object_id: str | None) -> bool:
        """Return whether a new entity is enabled by default."""
        tier = TIERS.get((platform, key))
        if tier is None or tier > self.tier:
            return False
        if self.controls_for is None or object_id is None:
            return True
        return object_id in self.controls_for


EVERYTHING = Plan(tier=Tier.READINGS, planned=0, objects=0)


def controls(entities: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return the control entities among ``entities``."""
    return [entity for entity in entities if TIERS[entity] is Tier.CONTROL]


def plan(
    objects: Mapping[str, Iterable[tuple[str, str]]],
    *,
    account_entities: int = 0,
    enabled_now: int = 0,
    budget: int | None = None,
) -> Plan:
    """Choose the largest tier whose entities, for every object, fit the room left.

    ``objects`` maps each new device's or station's vendor id to the tiered
    entities it gets; ``account_entities`` are the entry's own new ones (always
    enabled); ``enabled_now`` are the entry's entities enabled in the registry.
    The room is ``budget`` (``ENABLED_BUDGET``) less ``enabled_now``.
    """
    counts = dict.fromkeys(Tier, 0)
    control_counts: dict[str, int] = {}
    for object_id, entities in objects.items():
        for platform, key in entities:
            tier = TIERS[(platform, key)]
            counts[tier] += 1
            if tier is Tier.CONTROL:
                control_counts[object_id] = control_counts.get(object_id, 0) + 1
    room = (
        (ENABLED_BUDGET if budget is None else budget) - enabled_now - account_entities
    )
    total = 0
    chosen: Tier | None = None
    for tier in Tier:
        total += counts[tier]
        if total > room:
            break
        chosen = tier
    if chosen is not None:
        planned = sum(counts[tier] for tier in Tier if tier <= chosen)
        return Plan(
            tier=chosen,
            planned=enabled_now + account_entities + planned,
            objects=len(objects),
        )
    allowed: list[str] = []
    used = 0
    for object_id in sorted(control_counts):
        need = control_counts[object_id]
        if used + need > room:
            break
        used += need
        allowed.append(object_id)
    return Plan(
        tier=Tier.CONTROL,
        planned=enabled_now + account_entities + used,
        objects=len(objects),
        controls_for=frozenset(allowed),
        left_out=len(control_counts) - len(allowed),
    )
