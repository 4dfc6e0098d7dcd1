"""Coordinators: each vendor account polled (and pushed) into a typed snapshot."""

from __future__ import annotations

from .base import SmartAccessConfigEntry, SmartAccessCoordinator, SmartAccessData
from .bikeep import (
    BIKEEP_DEVICE_REFRESH,
    BIKEEP_INTERVAL,
    BIKEEP_POKE_COOLDOWN,
    BIKEEP_WHITELIST_REFRESH,
    BikeepCoordinator,
    BikeepSnapshot,
    CommandProgress,
)
from .remotelock import (
    REMOTELOCK_MIN_INTERVAL,
    REMOTELOCK_POLL_BUDGET_PER_MINUTE,
    RemoteLockCoordinator,
    RemoteLockSnapshot,
    group_resort_guests,
    remotelock_interval,
)

__all__ = [
    "BIKEEP_DEVICE_REFRESH",
    "BIKEEP_INTERVAL",
    "BIKEEP_POKE_COOLDOWN",
    "BIKEEP_WHITELIST_REFRESH",
    "REMOTELOCK_MIN_INTERVAL",
    "REMOTELOCK_POLL_BUDGET_PER_MINUTE",
    "BikeepCoordinator",
    "BikeepSnapshot",
    "CommandProgress",
    "RemoteLockCoordinator",
    "RemoteLockSnapshot",
    "SmartAccessConfigEntry",
    "SmartAccessCoordinator",
    "SmartAccessData",
    "group_resort_guests",
    "remotelock_interval",
]
