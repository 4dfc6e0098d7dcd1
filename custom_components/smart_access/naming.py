"""The names devices get in Home Assistant (used for device info and renames)."""

from __future__ import annotations

from .api.bikeep.models import (
    Device as BikeepDevice,
    DeviceType,
    Location as BikeepLocation,
)
from .api.remotelock.models import Device as RemoteLockDevice

BIKEEP_TYPE_NAMES: dict[str, str] = {
    DeviceType.GUARD: "Gateway (GUARD)",
    DeviceType.LOCKER: "Bike locker",
    DeviceType.BIKE_DOCK: "Bike dock",
}
_BIKEEP_SHORT_NAMES: dict[str, str] = {
    DeviceType.GUARD: "gateway",
    DeviceType.LOCKER: "locker",
    DeviceType.BIKE_DOCK: "dock",
}


def bikeep_type_name(device: BikeepDevice) -> str:
    """Return the model name of a Bikeep device type."""
    return BIKEEP_TYPE_NAMES.get(str(device.type), str(device.type).title())


def remotelock_device_name(device: RemoteLockDevice) -> str:
    """Return a RemoteLock device's name: its own, else its serial number or id."""
    return device.name or device.serial_number or device.id


def bikeep_device_name(device: BikeepDevice, station: BikeepLocation) -> str:
    """Return "<station> <kind> <alias>", e.g. "Office Building A locker 1"."""
    kind = _BIKEEP_SHORT_NAMES.get(str(device.type), bikeep_type_name(device))
    return f"{station.display_name} {kind} {device.display_name}"
