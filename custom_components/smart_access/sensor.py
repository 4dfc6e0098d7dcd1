"""Sensors: battery, signal, climate readings, energy, availability counts, states."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfFrequency,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api.bikeep.models import (
    Device as BikeepDevice,
    DeviceStateValue,
    HeartbeatHealth,
    Location as BikeepLocation,
)
from .api.remotelock.models import Device, Lock, PowerPlug, ResortLock, Thermostat
from .api.remotelock.timezones import aware_to_local_naive
from .coordinator import (
    BikeepCoordinator,
    RemoteLockCoordinator,
    SmartAccessConfigEntry,
)
from .entity import (
    BikeepDeviceEntity,
    BikeepStationEntity,
    RemoteLockAccountEntity,
    RemoteLockEntity,
    async_add_dynamic_entities,
)
from .guest_link_entity import async_add_link_entities
from .guest_link_sensors import link_sensors
from .last_access import LAST_ACCESS, LastAccessSensor
from .remotelock_events import is_access_device

PARALLEL_UPDATES = 0

type StateValue = str | int | float | datetime | None


@dataclass(frozen=True, kw_only=True)
class RemoteLockSensorDescription(SensorEntityDescription):
    """A RemoteLock sensor: which devices have it and how to read it."""

    device_type: type[Device]
    value_fn: Callable[[Device], StateValue]
    unit_fn: Callable[[Device], str | None] | None = None


def _attr(name: str) -> Callable[[Device], StateValue]:
    def value(device: Device) -> StateValue:
        result: StateValue = getattr(device, name, None)
        return result

    return value


def _temperature_unit(device: Device) -> str | None:
    unit = getattr(device, "unit", None)
    return UnitOfTemperature.CELSIUS if unit == "C" else UnitOfTemperature.FAHRENHEIT


def _measurement(
    key: str,
    device_type: type[Device],
    device_class: SensorDeviceClass,
    unit: str | None = None,
    *,
    entity_registry_enabled_default: bool = True,
) -> RemoteLockSensorDescription:
    """Describe a measurement read from the device attribute named ``key``."""
    return RemoteLockSensorDescription(
        key=key,
        device_type=device_type,
        device_class=device_class,
        native_unit_of_measurement=unit,
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=entity_registry_enabled_default,
        value_fn=_attr(key),
    )


REMOTELOCK_SENSORS: tuple[RemoteLockSensorDescription, ...] = (
    RemoteLockSensorDescription(
        key="battery",
        device_type=Lock,
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_attr("power_level"),
    ),
    *(
        RemoteLockSensorDescription(
            key="signal_quality",
            translation_key="signal_quality",
            device_type=device_type,
            state_class=SensorStateClass.MEASUREMENT,
            entity_category=EntityCategory.DIAGNOSTIC,
            value_fn=_attr("signal_quality"),
        )
        for device_type in (Lock, Thermostat, PowerPlug)
    ),
    *(
        RemoteLockSensorDescription(
            key="last_connected",
            translation_key="last_connected",
            device_type=device_type,
            device_class=SensorDeviceClass.TIMESTAMP,
            entity_category=EntityCategory.DIAGNOSTIC,
            entity_registry_enabled_default=False,
            value_fn=_attr("connected_at"),
        )
        for device_type in (Lock, Thermostat, PowerPlug)
    ),
    RemoteLockSensorDescription(
        key="temperature",
        device_type=Thermostat,
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_attr("temperature"),
        unit_fn=_temperature_unit,
    ),
    _measurement("humidity", Thermostat, SensorDeviceClass.HUMIDITY, PERCENTAGE),
    _measurement(
        "voltage",
        PowerPlug,
        SensorDeviceClass.VOLTAGE,
        UnitOfElectricPotential.VOLT,
    ),
    _measurement("power", PowerPlug, SensorDeviceClass.POWER, UnitOfPower.WATT),
    _measurement(
        "current",
        PowerPlug,
        SensorDeviceClass.CURRENT,
        UnitOfElectricCurrent.AMPERE,
    ),
    _measurement(
        "frequency",
        PowerPlug,
        SensorDeviceClass.FREQUENCY,
        UnitOfFrequency.HERTZ,
        entity_registry_enabled_default=False,
    ),
    _measurement(
        "power_factor",
        PowerPlug,
        SensorDeviceClass.POWER_FACTOR,
        entity_registry_enabled_default=False,
    ),
    RemoteLockSensorDescription(
        key="energy",
        device_type=PowerPlug,
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=_attr("total_power"),
    ),
)


CURRENT_GUESTS = SensorEntityDescription(
    key="current_guests",
    translation_key="current_guests",
    state_class=SensorStateClass.MEASUREMENT,
)


@dataclass(frozen=True, kw_only=True)
class BikeepStationSensorDescription(SensorEntityDescription):
    """A sensor of a Bikeep station."""

    value_fn: Callable[[BikeepLocation], StateValue]


BIKEEP_STATION_SENSORS: tuple[BikeepStationSensorDescription, ...] = (
    BikeepStationSensorDescription(
        key="available_devices",
        translation_key="available_devices",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda location: location.devices.available,
    ),
    BikeepStationSensorDescription(
        key="online_devices",
        translation_key="online_devices",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda location: location.devices.online,
    ),
    BikeepStationSensorDescription(
        key="total_devices",
        translation_key="total_devices",
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda location: location.devices.total,
    ),
)

DEVICE_STATES = [state.lower() for state in DeviceStateValue]
HEALTH_STATES = [health.lower() for health in HeartbeatHealth]


def _lower_or_none(value: object, options: list[str]) -> str | None:
    text = str(value).lower() if value is not None else None
    return text if text in options else None


@dataclass(frozen=True, kw_only=True)
class BikeepDeviceSensorDescription(SensorEntityDescription):
    """A sensor of a Bikeep device."""

    exists_fn: Callable[[BikeepDevice], bool]
    value_fn: Callable[[BikeepDevice], StateValue]
    # While a command runs, show the device state the command follower last read.
    shows_command_progress: bool = False


BIKEEP_DEVICE_SENSORS: tuple[BikeepDeviceSensorDescription, ...] = (
    BikeepDeviceSensorDescription(
        key="device_state",
        translation_key="device_state",
        device_class=SensorDeviceClass.ENUM,
        options=DEVICE_STATES,
        exists_fn=lambda device: device.is_lockable,
        value_fn=lambda device: _lower_or_none(device.state_value, DEVICE_STATES),
        shows_command_progress=True,
    ),
    BikeepDeviceSensorDescription(
        key="heartbeat_health",
        translation_key="heartbeat_health",
        device_class=SensorDeviceClass.ENUM,
        options=HEALTH_STATES,
        entity_category=EntityCategory.DIAGNOSTIC,
        exists_fn=lambda device: device.is_gateway,
        value_fn=lambda device: _lower_or_none(device.health, HEALTH_STATES),
    ),
    BikeepDeviceSensorDescription(
        key="dead_since",
        translation_key="dead_since",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        exists_fn=lambda device: device.is_gateway,
        value_fn=lambda device: (
            device.heartbeat_v2.dead_since if device.heartbeat_v2 else None
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors now and whenever new devices appear."""
    async_add_dynamic_entities(
        entry,
        async_add_entities,
        remotelock=_remotelock_sensors,
        bikeep_station=_station_sensors,
        bikeep_device=lambda coordinator, device: (
            BikeepDeviceSensor(coordinator, device.id, description)
            for description in BIKEEP_DEVICE_SENSORS
            if description.exists_fn(device)
        ),
    )
    coordinator = entry.runtime_data.coordinator
    if isinstance(coordinator, RemoteLockCoordinator):
        rate_limit = RateLimitSensor(coordinator)
        rate_limit.plan_enabled_default("sensor")
        async_add_entities([rate_limit])
        async_add_link_entities(entry, async_add_entities, link_sensors)
    else:
        _async_track_whitelists(entry, coordinator, async_add_entities)


def _async_track_whitelists(
    entry: SmartAccessConfigEntry,
    coordinator: BikeepCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an RFID card sensor for every whitelist, also for ones added later."""
    known: set[str] = set()

    @callback
    def add_new() -> None:
        new: list[SensorEntity] = []
        for location_id, whitelists in coordinator.data.whitelists.items():
            for whitelist in whitelists:
                if whitelist.id not in known:
                    known.add(whitelist.id)
                    sensor = BikeepWhitelistSensor(
                        coordinator, location_id, whitelist.id, whitelist.name
                    )
                    sensor.plan_enabled_default("sensor")
                    new.append(sensor)
        if new:
            async_add_entities(new)

    add_new()
    entry.async_on_unload(coordinator.async_add_listener(add_new))


def _remotelock_sensors(
    coordinator: RemoteLockCoordinator, device: Device
) -> list[SensorEntity]:
    entities: list[SensorEntity] = [
        RemoteLockSensor(coordinator, device.id, description)
        for description in REMOTELOCK_SENSORS
        if isinstance(device, description.device_type)
    ]
    if isinstance(device, ResortLock):
        entities.append(ResortLockGuestsSensor(coordinator, device.id, CURRENT_GUESTS))
    if is_access_device(device):
        entities.append(LastAccessSensor(coordinator, device.id, LAST_ACCESS))
    return entities


def _station_sensors(
    coordinator: BikeepCoordinator, location: BikeepLocation
) -> list[SensorEntity]:
    return [
        BikeepStationSensor(coordinator, location.id, description)
        for description in BIKEEP_STATION_SENSORS
    ]


class RemoteLockSensor(RemoteLockEntity, SensorEntity):
    """A sensor of a RemoteLock device."""

    entity_description: RemoteLockSensorDescription

    @property
    def native_value(self) -> StateValue:
        """Return the value."""
        return self.entity_description.value_fn(self.device)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """Return the unit (thermostats report °F or °C)."""
        if self.entity_description.unit_fn is not None:
            return self.entity_description.unit_fn(self.device)
        return self.entity_description.native_unit_of_measurement


class ResortLockGuestsSensor(RemoteLockEntity, SensorEntity):
    """How many resort-lock guests have access right now."""

    # The count changes with the time and with the guest list, not the device.
    follows_every_update = True

    @property
    def native_value(self) -> int:
        """Count guests whose local start/end window contains the current time."""
        device = self.device
        location = self.coordinator.data.locations.get(device.location_id or "")
        time_zone = (location.time_zone if location else None) or "UTC"
        now = aware_to_local_naive(dt_util.utcnow(), time_zone)
        return sum(
            1
            for guest in self.coordinator.data.resort_guests.get(self.device_id, ())
            if guest.starts_at is not None
            and guest.ends_at is not None
            and guest.starts_at <= now < guest.ends_at
        )


class BikeepStationSensor(BikeepStationEntity, SensorEntity):
    """A sensor of a Bikeep station."""

    entity_description: BikeepStationSensorDescription

    @property
    def native_value(self) -> StateValue:
        """Return the value."""
        return self.entity_description.value_fn(self.location)


class BikeepWhitelistSensor(BikeepStationEntity, SensorEntity):
    """Number of RFID cards on one whitelist of a station."""

    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_translation_key = "rfid_cards"

    def __init__(
        self,
        coordinator: BikeepCoordinator,
        location_id: str,
        whitelist_id: str,
        whitelist_name: str | None,
    ) -> None:
        """Describe the sensor of ``whitelist_id``."""
        super().__init__(
            coordinator,
            location_id,
            SensorEntityDescription(key=f"rfid_cards_{whitelist_id}"),
        )
        self.whitelist_id = whitelist_id
        self.economy_key = "rfid_cards"
        self._attr_translation_placeholders = {
            "whitelist": whitelist_name or whitelist_id
        }

    @property
    def available(self) -> bool:
        """Unavailable once the whitelist is no longer on the station."""
        return super().available and any(
            whitelist.id == self.whitelist_id
            for whitelist in self.coordinator.data.whitelists.get(self.location_id, ())
        )

    @property
    def native_value(self) -> int | None:
        """Return the number of cards."""
        return self.coordinator.data.whitelist_card_counts.get(self.whitelist_id)


class BikeepDeviceSensor(BikeepDeviceEntity, SensorEntity):
    """A sensor of a Bikeep device."""

    entity_description: BikeepDeviceSensorDescription

    @property
    def native_value(self) -> StateValue:
        """Return the value (the live device state while a command runs)."""
        progress = self.coordinator.in_flight.get(self.device_id)
        if self.entity_description.shows_command_progress and progress is not None:
            phase = _lower_or_none(progress.state, DEVICE_STATES)
            if phase is not None:
                return phase
        return self.entity_description.value_fn(self.device)


class RateLimitSensor(RemoteLockAccountEntity, SensorEntity):
    """Requests left in the account's current rate-limit window (120 a minute).

    Polling, commands and actions share the budget; the client reads it from the
    ``X-RateLimit-*`` headers of every answer. Once the window has reset, the whole
    budget is available again.
    """

    _attr_translation_key = "rate_limit_remaining"
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(self, coordinator: RemoteLockCoordinator) -> None:
        """Describe the sensor of the account."""
        super().__init__(coordinator, "rate_limit_remaining")

    @property
    def available(self) -> bool:
        """Stay available when a poll fails: a 429 is when the budget matters most."""
        return self.coordinator.client.rate_limit is not None

    @property
    def native_value(self) -> int | None:
        """Return the requests left until the window resets."""
        rate_limit = self.coordinator.client.rate_limit
        if rate_limit is None:
            return None
        if rate_limit.reset_at <= dt_util.utcnow():
            return rate_limit.limit
        return rate_limit.remaining
