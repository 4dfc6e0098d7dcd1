"""Base entities: device info, availability and unique ids for both vendors."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api.bikeep.models import (
    Device as BikeepDevice,
    DeviceType,
    Location as BikeepLocation,
)
from .api.remotelock.models import (
    AcsDoor,
    ConnectedDevice,
    Device as RemoteLockDevice,
)
from .const import DOMAIN
from .coordinator import (
    BikeepCoordinator,
    RemoteLockCoordinator,
    SmartAccessConfigEntry,
)

REMOTELOCK_MANUFACTURER = "RemoteLock"
BIKEEP_MANUFACTURER = "Bikeep"

_REMOTELOCK_TYPE_NAMES = {
    "lock": "Wi-Fi lock",
    "thermostat": "Thermostat",
    "power_plug": "Power plug",
    "resort_lock": "Resort lock",
    "acs_door": "ACS door",
}
_BIKEEP_TYPE_NAMES: dict[str, str] = {
    DeviceType.GUARD: "Gateway (GUARD)",
    DeviceType.LOCKER: "Bike locker",
    DeviceType.BIKE_DOCK: "Bike dock",
}


def remotelock_online(device: RemoteLockDevice) -> bool | None:
    """Return whether a RemoteLock device talks to the cloud (None: not reported).

    Wi-Fi devices connect only now and then (``connected`` is mostly false for
    battery locks), so ``alive`` (heartbeating regularly) is what tells an offline
    device; ACS doors report ``connected`` only.
    """
    if isinstance(device, ConnectedDevice):
        return device.alive
    if isinstance(device, AcsDoor):
        return device.connected
    return None


_BIKEEP_SHORT_NAMES: dict[str, str] = {
    DeviceType.GUARD: "gateway",
    DeviceType.LOCKER: "locker",
    DeviceType.BIKE_DOCK: "dock",
}


class RemoteLockEntity(CoordinatorEntity[RemoteLockCoordinator]):
    """An entity of one RemoteLock device."""

    _attr_has_entity_name = True
    # Controls cannot reach an offline device; readings keep their last value.
    unavailable_when_offline = False

    def __init__(
        self,
        coordinator: RemoteLockCoordinator,
        device_id: str,
        description: EntityDescription,
    ) -> None:
        """Describe the entity and its device."""
        super().__init__(coordinator)
        self.entity_description = description
        self.device_id = device_id
        self._attr_unique_id = f"{device_id}_{description.key}"
        device = coordinator.data.devices[device_id]
        model = coordinator.data.models.get(device.model_id or "")
        location = coordinator.data.locations.get(device.location_id or "")
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, device_id)},
            manufacturer=REMOTELOCK_MANUFACTURER,
            model=(model.number if model and model.number else None)
            or _REMOTELOCK_TYPE_NAMES.get(device.type, device.type),
            model_id=model.number if model else None,
            name=device.name or device.serial_number or device_id,
            serial_number=device.serial_number,
            suggested_area=location.name if location else None,
        )

    @property
    def device(self) -> RemoteLockDevice:
        """Return the device's latest data (the entity is unavailable when it is gone)."""
        return self.coordinator.data.devices[self.device_id]

    @property
    def available(self) -> bool:
        """Available while polling works and the account still has the device."""
        if not super().available or self.device_id not in self.coordinator.data.devices:
            return False
        return not (
            self.unavailable_when_offline and remotelock_online(self.device) is False
        )


class RemoteLockAccountEntity(CoordinatorEntity[RemoteLockCoordinator]):
    """An entity of the RemoteLock account itself (a service device)."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: RemoteLockCoordinator, key: str) -> None:
        """Describe the entity and the account's device."""
        super().__init__(coordinator)
        self._attr_unique_id = f"{coordinator.account_device_id}_{key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, coordinator.account_device_id)},
            entry_type=DeviceEntryType.SERVICE,
            manufacturer=REMOTELOCK_MANUFACTURER,
            model="API account",
            name=coordinator.config_entry.title,
        )


class BikeepStationEntity(CoordinatorEntity[BikeepCoordinator]):
    """An entity of one Bikeep location (station)."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: BikeepCoordinator,
        location_id: str,
        description: EntityDescription,
    ) -> None:
        """Describe the entity and its station device."""
        super().__init__(coordinator)
        self.entity_description = description
        self.location_id = location_id
        self._attr_unique_id = f"{location_id}_{description.key}"
        location = coordinator.data.locations[location_id]
        self._attr_device_info = station_device_info(location)

    @property
    def location(self) -> BikeepLocation:
        """Return the station's latest data."""
        return self.coordinator.data.locations[self.location_id]

    @property
    def available(self) -> bool:
        """Available while polling works and the station still exists."""
        return super().available and self.location_id in self.coordinator.data.locations


def station_device_info(location: BikeepLocation) -> DeviceInfo:
    """Return the device info of a station."""
    return DeviceInfo(
        identifiers={(DOMAIN, location.id)},
        manufacturer=BIKEEP_MANUFACTURER,
        model="Bike locker station"
        if location.type == "BIKE_LOCKERS"
        else "Bike dock station",
        name=location.display_name,
        suggested_area=location.name,
    )


class BikeepDeviceEntity(CoordinatorEntity[BikeepCoordinator]):
    """An entity of one Bikeep device (GUARD gateway, locker or dock)."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: BikeepCoordinator,
        device_id: str,
        description: EntityDescription,
    ) -> None:
        """Describe the entity and its device (linked to its station)."""
        super().__init__(coordinator)
        self.entity_description = description
        self.device_id = device_id
        self._attr_unique_id = f"{device_id}_{description.key}"
        device = coordinator.data.devices[device_id]
        location_id = coordinator.data.device_location[device_id]
        location = coordinator.data.locations[location_id]
        type_name = _BIKEEP_TYPE_NAMES.get(str(device.type), str(device.type).title())
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, device_id)},
            manufacturer=BIKEEP_MANUFACTURER,
            model=type_name,
            name=f"{location.display_name} {_BIKEEP_SHORT_NAMES.get(str(device.type), type_name)} {device.display_name}",
            serial_number=device.code,
            via_device=(DOMAIN, location_id),
        )

    @property
    def device(self) -> BikeepDevice:
        """Return the device's latest data."""
        return self.coordinator.data.devices[self.device_id]

    @property
    def available(self) -> bool:
        """Available while polling works and the device still exists."""
        return super().available and self.device_id in self.coordinator.data.devices


def async_add_dynamic_entities(
    entry: SmartAccessConfigEntry,
    make_entities: Callable[[set[str]], Iterable[Entity]],
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add entities for the current devices now and for new devices as they appear."""
    coordinator = entry.runtime_data.coordinator

    @callback
    def add(ids: set[str]) -> None:
        async_add_entities(list(make_entities(ids)))

    add(coordinator.current_device_ids())
    coordinator.new_device_callbacks.append(add)
    entry.async_on_unload(lambda: coordinator.new_device_callbacks.remove(add))
