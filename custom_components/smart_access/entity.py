"""Base entities: device info, availability and unique ids for both vendors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import (
    AddConfigEntryEntitiesCallback,
    async_get_current_platform,
)
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api.bikeep.models import (
    Device as BikeepDevice,
    Location as BikeepLocation,
)
from .api.remotelock import RemoteLockClient
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
    SmartAccessCoordinator,
)
from .helpers import run_command
from .naming import bikeep_device_name, bikeep_type_name, remotelock_device_name

REMOTELOCK_MANUFACTURER = "RemoteLock"
BIKEEP_MANUFACTURER = "Bikeep"

_REMOTELOCK_TYPE_NAMES = {
    "lock": "Wi-Fi lock",
    "thermostat": "Thermostat",
    "power_plug": "Power plug",
    "resort_lock": "Resort lock",
    "acs_door": "ACS door",
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


class SmartAccessEntity[CoordinatorT: SmartAccessCoordinator[Any]](
    CoordinatorEntity[CoordinatorT]
):
    """What every entity shares: named after its device, one unique id per key."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: CoordinatorT,
        owner_id: str,
        key: str,
        context: str | None = None,
    ) -> None:
        """Give the entity the unique id ``<owner_id>_<key>``.

        With a ``context`` (the vendor id of its device or station) the entity is
        only notified of updates that changed that object.
        """
        super().__init__(coordinator, context)
        self._attr_unique_id = f"{owner_id}_{key}"
        # What the entity economy knows it by: its key and its device or station.
        self.economy_key = key
        self.economy_object: str | None = owner_id

    def plan_enabled_default(self, platform: str) -> None:
        """Enable the entity by default if the entry's entity plan says so."""
        self._attr_entity_registry_enabled_default = (
            self.coordinator.entity_plan.enabled(
                platform, self.economy_key, self.economy_object
            )
        )

    def command_label(self, action: str | None = None) -> str:
        """Name the entity (and what was asked of it) as the user reads it."""
        state = self.hass.states.get(self.entity_id)
        name = state.name if state is not None else self.entity_id
        return f"{name} {action}" if action else name


class SnapshotEntity[CoordinatorT: SmartAccessCoordinator[Any], ObjectT](
    SmartAccessEntity[CoordinatorT]
):
    """An entity of one device or station in the coordinator's snapshot.

    It writes its state only when an update changed its object (see
    ``coordinator.base``), unless ``follows_every_update`` (a value that changes
    with the time or with data beyond its object).
    """

    follows_every_update = False

    def __init__(
        self,
        coordinator: CoordinatorT,
        object_id: str,
        description: EntityDescription,
    ) -> None:
        """Describe the entity and its device."""
        super().__init__(
            coordinator,
            object_id,
            description.key,
            None if self.follows_every_update else object_id,
        )
        self.entity_description = description
        self.object_id = object_id
        self._attr_device_info = self._device_info()

    def _objects(self) -> Mapping[str, ObjectT]:
        """Return the snapshot's objects of the entity's kind, by id."""
        raise NotImplementedError

    def _device_info(self) -> DeviceInfo:
        """Describe the entity's device from the snapshot."""
        raise NotImplementedError

    @property
    def snapshot_object(self) -> ObjectT:
        """Return the object's latest data (the entity is unavailable when it is gone)."""
        return self._objects()[self.object_id]

    @property
    def available(self) -> bool:
        """Available while polling works and the snapshot still has the object."""
        return super().available and self.object_id in self._objects()


class RemoteLockEntity(SnapshotEntity[RemoteLockCoordinator, RemoteLockDevice]):
    """An entity of one RemoteLock device."""

    # Controls cannot reach an offline device; readings keep their last value.
    unavailable_when_offline = False

    def _objects(self) -> Mapping[str, RemoteLockDevice]:
        return self.coordinator.data.devices

    def _device_info(self) -> DeviceInfo:
        data = self.coordinator.data
        device = self.device
        model = data.models.get(device.model_id or "")
        location = data.locations.get(device.location_id or "")
        return DeviceInfo(
            identifiers={(DOMAIN, self.device_id)},
            manufacturer=REMOTELOCK_MANUFACTURER,
            model=(model.number if model and model.number else None)
            or _REMOTELOCK_TYPE_NAMES.get(device.type, device.type),
            model_id=model.number if model else None,
            name=remotelock_device_name(device),
            serial_number=device.serial_number,
            suggested_area=location.name if location else None,
        )

    @property
    def device_id(self) -> str:
        """Return the RemoteLock id of the device."""
        return self.object_id

    @property
    def device(self) -> RemoteLockDevice:
        """Return the device's latest data."""
        return self.snapshot_object

    @property
    def available(self) -> bool:
        """Also unavailable while an offline device cannot take commands."""
        return super().available and not (
            self.unavailable_when_offline and remotelock_online(self.device) is False
        )

    async def async_device_command(
        self,
        action: str | None,
        call: Callable[[RemoteLockClient, str], Awaitable[RemoteLockDevice]],
    ) -> None:
        """Run a command on the device; show the device it answers with at once."""
        client = self.coordinator.client
        device = await run_command(
            self.command_label(action),
            lambda: call(client, self.device_id),
            self.hass,
            self.coordinator.config_entry,
        )
        self.coordinator.async_apply_device(device)


class RemoteLockAccountEntity(SmartAccessEntity[RemoteLockCoordinator]):
    """An entity of the RemoteLock account itself (a service device)."""

    def __init__(self, coordinator: RemoteLockCoordinator, key: str) -> None:
        """Describe the entity and the account's device."""
        super().__init__(coordinator, coordinator.account_device_id, key)
        self.economy_object = None
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, coordinator.account_device_id)},
            entry_type=DeviceEntryType.SERVICE,
            manufacturer=REMOTELOCK_MANUFACTURER,
            model="API account",
            name=coordinator.config_entry.title,
        )


def bikeep_station_device_info(location: BikeepLocation) -> DeviceInfo:
    """Describe the device of a Bikeep station."""
    return DeviceInfo(
        identifiers={(DOMAIN, location.id)},
        manufacturer=BIKEEP_MANUFACTURER,
        model="Bike locker station"
        if location.type == "BIKE_LOCKERS"
        else "Bike dock station",
        name=location.display_name,
        suggested_area=location.name,
    )


class BikeepStationEntity(SnapshotEntity[BikeepCoordinator, BikeepLocation]):
    """An entity of one Bikeep location (station)."""

    def _objects(self) -> Mapping[str, BikeepLocation]:
        return self.coordinator.data.locations

    def _device_info(self) -> DeviceInfo:
        return bikeep_station_device_info(self.location)

    @property
    def location_id(self) -> str:
        """Return the Bikeep id of the station."""
        return self.object_id

    @property
    def location(self) -> BikeepLocation:
        """Return the station's latest data."""
        return self.snapshot_object


class BikeepDeviceEntity(SnapshotEntity[BikeepCoordinator, BikeepDevice]):
    """An entity of one Bikeep device (GUARD gateway, locker or dock)."""

    def _objects(self) -> Mapping[str, BikeepDevice]:
        return self.coordinator.data.devices

    def _device_info(self) -> DeviceInfo:
        """Describe the device, linked to its station."""
        device = self.device
        location_id = self.coordinator.data.device_location[self.device_id]
        location = self.coordinator.data.locations[location_id]
        return DeviceInfo(
            identifiers={(DOMAIN, self.device_id)},
            manufacturer=BIKEEP_MANUFACTURER,
            model=bikeep_type_name(device),
            name=bikeep_device_name(device, location),
            serial_number=device.code,
            via_device_id=self._station_device_id(location),
        )

    def _station_device_id(self, location: BikeepLocation) -> str:
        """Return the registry id of the device's station, registering it if new.

        Platforms add their entities in any order, so a locker's entities may come
        before any entity of its station has created the station's device.
        """
        registry = dr.async_get(self.coordinator.hass)
        entry_id = self.coordinator.config_entry.entry_id
        station = registry.async_get_device_by_identifier(
            (DOMAIN, location.id), entry_id
        )
        if station is None:
            station = registry.async_get_or_create(
                config_entry_id=entry_id, **bikeep_station_device_info(location)
            )
        return station.id

    @property
    def device_id(self) -> str:
        """Return the Bikeep id of the device."""
        return self.object_id

    @property
    def device(self) -> BikeepDevice:
        """Return the device's latest data."""
        return self.snapshot_object


type Factory[CoordinatorT, ObjectT] = Callable[
    [CoordinatorT, ObjectT], Iterable[Entity]
]


def async_add_dynamic_entities(
    entry: SmartAccessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    *,
    remotelock: Factory[RemoteLockCoordinator, RemoteLockDevice] | None = None,
    bikeep_station: Factory[BikeepCoordinator, BikeepLocation] | None = None,
    bikeep_device: Factory[BikeepCoordinator, BikeepDevice] | None = None,
) -> None:
    """Add entities for the current devices now and for new devices as they appear.

    Each factory makes the entities of one object of the snapshot: a RemoteLock
    device, a Bikeep station or a Bikeep device. A platform without a factory for
    the entry's vendor adds nothing.
    """
    coordinator = entry.runtime_data.coordinator
    if isinstance(coordinator, RemoteLockCoordinator):
        if remotelock is None:
            return
    elif bikeep_station is None and bikeep_device is None:
        return

    def make(object_id: str) -> Iterable[Entity]:
        if isinstance(coordinator, RemoteLockCoordinator):
            assert remotelock is not None
            return remotelock(coordinator, coordinator.data.devices[object_id])
        location = coordinator.data.locations.get(object_id)
        if location is not None:
            return bikeep_station(coordinator, location) if bikeep_station else ()
        device = coordinator.data.devices[object_id]
        return bikeep_device(coordinator, device) if bikeep_device else ()

    # New devices' entities are added later, outside the platform's set-up.
    platform = async_get_current_platform().domain

    @callback
    def add(ids: set[str]) -> None:
        entities = [entity for object_id in ids for entity in make(object_id)]
        for entity in entities:
            if isinstance(entity, SmartAccessEntity):
                entity.plan_enabled_default(platform)
        async_add_entities(entities)

    add(coordinator.current_device_ids())
    coordinator.new_device_callbacks.append(add)
    entry.async_on_unload(lambda: coordinator.new_device_callbacks.remove(add))
