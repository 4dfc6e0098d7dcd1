"""Binary sensors: connectivity and occupancy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.bikeep.models import Device as BikeepDevice, Location as BikeepLocation
from .api.remotelock.models import AcsDoor, ConnectedDevice, Device, PowerPlug
from .coordinator import SmartAccessConfigEntry
from .entity import (
    BikeepDeviceEntity,
    BikeepStationEntity,
    RemoteLockEntity,
    async_add_dynamic_entities,
    remotelock_online,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class RemoteLockBinarySensorDescription(BinarySensorEntityDescription):
    """A RemoteLock binary sensor: which devices have it and how to read it."""

    device_type: type[Device]
    value_fn: Callable[[Device], bool | None]


@dataclass(frozen=True, kw_only=True)
class BikeepDeviceBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor of a Bikeep device."""

    exists_fn: Callable[[BikeepDevice], bool]
    value_fn: Callable[[BikeepDevice], bool | None]


@dataclass(frozen=True, kw_only=True)
class BikeepStationBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor of a Bikeep station."""

    value_fn: Callable[[BikeepLocation], bool | None]


REMOTELOCK_BINARY_SENSORS: tuple[RemoteLockBinarySensorDescription, ...] = (
    *(
        RemoteLockBinarySensorDescription(
            key=key,
            device_type=device_type,
            device_class=BinarySensorDeviceClass.CONNECTIVITY,
            entity_category=EntityCategory.DIAGNOSTIC,
            value_fn=remotelock_online,
        )
        for key, device_type in (
            ("connectivity", ConnectedDevice),
            ("door_connectivity", AcsDoor),
        )
    ),
    RemoteLockBinarySensorDescription(
        key="occupancy",
        device_class=BinarySensorDeviceClass.OCCUPANCY,
        device_type=PowerPlug,
        value_fn=lambda device: getattr(device, "occupied", None),
    ),
)

BIKEEP_DEVICE_BINARY_SENSORS: tuple[BikeepDeviceBinarySensorDescription, ...] = (
    BikeepDeviceBinarySensorDescription(
        key="connectivity",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        exists_fn=lambda device: True,
        value_fn=lambda device: device.is_online,
    ),
)

BIKEEP_STATION_BINARY_SENSORS: tuple[BikeepStationBinarySensorDescription, ...] = (
    BikeepStationBinarySensorDescription(
        key="connection",
        translation_key="connection",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda location: location.is_online,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add binary sensors now and whenever new devices appear."""
    async_add_dynamic_entities(
        entry,
        async_add_entities,
        remotelock=lambda coordinator, device: (
            RemoteLockBinarySensor(coordinator, device.id, description)
            for description in REMOTELOCK_BINARY_SENSORS
            if isinstance(device, description.device_type)
        ),
        bikeep_station=lambda coordinator, location: (
            BikeepStationBinarySensor(coordinator, location.id, description)
            for description in BIKEEP_STATION_BINARY_SENSORS
        ),
        bikeep_device=lambda coordinator, device: (
            BikeepDeviceBinarySensor(coordinator, device.id, description)
            for description in BIKEEP_DEVICE_BINARY_SENSORS
            if description.exists_fn(device)
        ),
    )


class RemoteLockBinarySensor(RemoteLockEntity, BinarySensorEntity):
    """A binary sensor of a RemoteLock device."""

    entity_description: RemoteLockBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """Return the value."""
        return self.entity_description.value_fn(self.device)


class BikeepDeviceBinarySensor(BikeepDeviceEntity, BinarySensorEntity):
    """A binary sensor of a Bikeep device."""

    entity_description: BikeepDeviceBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """Return the value."""
        return self.entity_description.value_fn(self.device)


class BikeepStationBinarySensor(BikeepStationEntity, BinarySensorEntity):
    """A binary sensor of a Bikeep station."""

    entity_description: BikeepStationBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """Return the value."""
        return self.entity_description.value_fn(self.location)
