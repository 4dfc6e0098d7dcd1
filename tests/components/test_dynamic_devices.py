"""Devices that appear or vanish from an account show up or go without a reload."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smart_access.const import DOMAIN
from simulator.server import RunningSimulator

from .conftest import setup_entry
from .helpers import poll, registry_device


def _entities_of(
    hass: HomeAssistant, entry: MockConfigEntry, vendor_id: str
) -> list[str]:
    device = registry_device(hass, vendor_id)
    if device is None:
        return []
    return [
        entity.entity_id
        for entity in er.async_entries_for_device(er.async_get(hass), device.id)
        if entity.config_entry_id == entry.entry_id
    ]


async def test_remotelock_device_removed_then_added(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """A lock deleted from the account leaves the registry; a new one is added."""
    await setup_entry(hass, remotelock_entry)
    devices = remotelock_sim.sim.state.devices
    lock_id = next(key for key, value in devices.items() if value["type"] == "lock")
    lock = devices.pop(lock_id)
    assert _entities_of(hass, remotelock_entry, lock_id)

    await poll(hass, remotelock_entry)
    assert registry_device(hass, lock_id) is None
    assert _entities_of(hass, remotelock_entry, lock_id) == []
    account = remotelock_entry.runtime_data.coordinator.account_device_id
    assert registry_device(hass, account) is not None

    devices[lock_id] = lock
    await poll(hass, remotelock_entry)
    entities = _entities_of(hass, remotelock_entry, lock_id)
    assert any(entity.startswith("lock.") for entity in entities)
    lock_entity = next(entity for entity in entities if entity.startswith("lock."))
    state = hass.states.get(lock_entity)
    assert state is not None
    assert state.state == lock["attributes"]["state"]


async def test_bikeep_locker_removed_then_added(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """A locker gone from its station leaves the registry; when back, it reappears."""
    await setup_entry(hass, bikeep_entry)
    state = bikeep_sim.sim.state
    locker = next(
        device for device in state.devices.values() if device.type == "LOCKER"
    )
    del state.devices[locker.id]
    state.by_location[locker.location_id].remove(locker)
    assert _entities_of(hass, bikeep_entry, locker.id)

    await poll(hass, bikeep_entry)
    assert registry_device(hass, locker.id) is None
    assert registry_device(hass, locker.location_id)

    state.add_device(locker)
    await poll(hass, bikeep_entry)
    entities = _entities_of(hass, bikeep_entry, locker.id)
    assert any(entity.startswith("lock.") for entity in entities)
    device = registry_device(hass, locker.id)
    assert device is not None
    station = registry_device(hass, locker.location_id)
    assert station is not None
    assert device.via_device_id == station.id


async def test_bikeep_whitelist_added_then_removed(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """A whitelist added in the portal gets its card sensor; a removed one goes away."""
    await setup_entry(hass, bikeep_entry)
    coordinator = bikeep_entry.runtime_data.coordinator
    state = bikeep_sim.sim.state
    location_id = next(iter(state.locations))
    bikeep_sim.sim.add_whitelist(
        {
            "id": "wl-visitors",
            "location_id": location_id,
            "name": "Visitors",
            "targets": [{"type": "location", "id": location_id}],
            "entities": [{"id": "04aabbccdd"}],
        }
    )
    coordinator._whitelists_at = None  # the 30-minute refresh is due
    await poll(hass, bikeep_entry)
    unique = f"{location_id}_rfid_cards_wl-visitors"
    sensor = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, unique)
    assert sensor is not None
    assert hass.states.get(sensor).state == "1"
    assert hass.states.get(sensor).name.endswith("RFID cards Visitors")

    del state.whitelists["wl-visitors"]
    coordinator._whitelists_at = None
    await poll(hass, bikeep_entry)
    assert hass.states.get(sensor).state == "unavailable"


async def test_renamed_devices_follow_the_portal(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    bikeep_sim: RunningSimulator,
    bikeep_entry: MockConfigEntry,
) -> None:
    """A lock or station renamed at the vendor is renamed in Home Assistant too."""
    await setup_entry(hass, remotelock_entry)  # sets up both entries
    lock_id, lock = next(
        (key, value)
        for key, value in remotelock_sim.sim.state.devices.items()
        if value["type"] == "lock"
    )
    lock["attributes"]["name"] = "Garden Gate"
    station = next(iter(bikeep_sim.sim.state.locations.values()))
    station.name = "Central Station"
    await poll(hass, remotelock_entry)
    await poll(hass, bikeep_entry)
    registry = dr.async_get(hass)
    device = registry_device(hass, lock_id)
    assert device is not None
    assert device.name == "Garden Gate"
    lock_entity = next(
        e
        for e in _entities_of(hass, remotelock_entry, lock_id)
        if e.startswith("lock.")
    )
    assert hass.states.get(lock_entity).name == "Garden Gate"
    station_device = registry_device(hass, station.id)
    assert station_device is not None
    assert station_device.name == "Central Station"
    # A name the user gave in Home Assistant is left alone.
    registry.async_update_device(device.id, name_by_user="Back gate")
    lock["attributes"]["name"] = "Garden Gate 2"
    await poll(hass, remotelock_entry)
    device = registry_device(hass, lock_id)
    assert device is not None
    assert device.name_by_user == "Back gate"
