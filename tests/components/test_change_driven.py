"""Change-driven updates: a poll writes the state of what changed, nothing else.

Each state write of an entity shows on the bus: ``state_changed`` when its state or
attributes differ, ``state_reported`` when they are the same. So the entities that
fire either during a poll are the ones that wrote their state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator.bikeep import scenario as bikeep_scenario
from simulator.server import RunningSimulator

from .conftest import setup_entry
from .helpers import poll, registry_device, state_of


@contextmanager
def written(hass: HomeAssistant) -> Iterator[set[str]]:
    """Collect the entity ids that write their state inside the block."""
    found: set[str] = set()

    @callback
    def collect(event: Event) -> None:
        found.add(event.data["entity_id"])

    @callback
    def every(event_data: object) -> bool:
        return True

    removers = [
        hass.bus.async_listen(EVENT_STATE_CHANGED, collect),
        hass.bus.async_listen(EVENT_STATE_REPORTED, collect, event_filter=every),
    ]
    try:
        yield found
    finally:
        for remove in removers:
            remove()


def entities_of(hass: HomeAssistant, vendor_id: str) -> set[str]:
    """Return the enabled entities of one vendor device or station."""
    device = registry_device(hass, vendor_id)
    assert device is not None
    return {
        entity.entity_id
        for entity in er.async_entries_for_device(er.async_get(hass), device.id)
        if entity.disabled_by is None
    }


def following_every_update(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    """Return the entities not tied to one device's data.

    The account's *API requests left* sensor and the resort locks' *Current
    guests* (a count that changes with the time) follow every update.
    """
    return {
        entity.entity_id
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if entity.unique_id.endswith(("_rate_limit_remaining", "_current_guests"))
    }


def remotelock_lock_id(sim: RunningSimulator) -> str:
    """Return the id of the first Wi-Fi lock of the RemoteLock simulator."""
    return next(
        key for key, value in sim.sim.state.devices.items() if value["type"] == "lock"
    )


async def test_a_quiet_remotelock_poll_writes_no_device_state(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """Nothing changed at RemoteLock: no device's entities write their state."""
    await setup_entry(hass, remotelock_entry)
    await poll(hass, remotelock_entry)
    with written(hass) as found:
        await poll(hass, remotelock_entry)
    assert found <= following_every_update(hass, remotelock_entry)
    assert any(entity.startswith("sensor.") for entity in found)


async def test_a_changed_remotelock_device_writes_exactly_its_entities(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """One lock's battery drops: that lock's entities write, no other device's."""
    await setup_entry(hass, remotelock_entry)
    lock_id = remotelock_lock_id(remotelock_sim)
    remotelock_sim.sim.state.devices[lock_id]["attributes"]["power_level"] = 12
    with written(hass) as found:
        await poll(hass, remotelock_entry)
    assert found - following_every_update(hass, remotelock_entry) == entities_of(
        hass, lock_id
    )
    assert state_of(hass, "sensor", f"{lock_id}_battery").state == "12"


async def test_a_pushed_event_writes_only_its_device(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """A keypad unlock delivered by push updates that lock's entities alone."""
    await setup_entry(hass, remotelock_entry)
    lock_id = remotelock_lock_id(remotelock_sim)
    with written(hass) as found:
        await remotelock_sim.sim.control_trigger(
            "keypad_unlock", {"device_id": lock_id}
        )
        await remotelock_sim.sim.webhooks.flush()
        await hass.async_block_till_done(wait_background_tasks=True)
    assert state_of(hass, "lock", f"{lock_id}_lock").state == "unlocked"
    assert found - following_every_update(hass, remotelock_entry) <= entities_of(
        hass, lock_id
    )


async def test_a_failed_poll_and_its_recovery_write_every_entity(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """Availability is everyone's: a failure and the poll after it reach all.

    All but the account's *Guests* calendar: it shows its own reads of the guest
    list, which a failed device poll does not touch.
    """
    await setup_entry(hass, remotelock_entry)
    lock_id = remotelock_lock_id(remotelock_sim)
    everything = {
        entity.entity_id
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), remotelock_entry.entry_id
        )
        if entity.disabled_by is None
        and not entity.unique_id.endswith("_access_guests")
    }
    remotelock_sim.sim.faults.add("server_error", path="/devices", method="GET")
    with written(hass) as failed:
        await poll(hass, remotelock_entry)
    assert everything <= failed
    assert state_of(hass, "lock", f"{lock_id}_lock").state == "unavailable"
    with written(hass) as recovered:
        await poll(hass, remotelock_entry)
    assert everything <= recovered
    assert state_of(hass, "lock", f"{lock_id}_lock").state != "unavailable"


async def test_a_quiet_bikeep_poll_writes_no_state(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """Nothing changed at Bikeep: no station or device writes its state."""
    with written(hass) as found:
        await poll(hass, bikeep_entry)
    assert found == set()


async def test_a_changed_bikeep_locker_writes_its_own_and_its_stations_entities(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """A free locker is taken: the locker and its station's counts write, no more."""
    locker = bikeep_scenario.LOCKER_1
    station = bikeep_scenario.LOCKERS_LOCATION_ID
    await bikeep_loaded.sim.control_trigger(
        "set_state", {"device_id": locker, "state": "LOCKED"}
    )
    with written(hass) as found:
        await poll(hass, bikeep_entry)
    assert found <= entities_of(hass, locker) | entities_of(hass, station)
    assert state_of(hass, "lock", f"{locker}_lock").state == "locked"
    assert state_of(hass, "sensor", f"{station}_available_devices").entity_id in found
    registry = er.async_get(hass)
    mine = {
        device.id
        for key in (locker, station)
        if (device := registry_device(hass, key)) is not None
    }
    others = {
        entity.entity_id
        for entity in er.async_entries_for_config_entry(registry, bikeep_entry.entry_id)
        if entity.device_id not in mine
    }
    assert others
    assert not found & others
