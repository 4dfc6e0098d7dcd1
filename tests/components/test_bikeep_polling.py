"""Bikeep polling as the guide asks: the location list every 5 minutes, device lists
only for stations whose counts or connection changed, while a command runs, after a
webhook poke, for new stations, and at the latest every 30 minutes.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.lock import LockState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator.bikeep import scenario as sc
from simulator.server import RunningSimulator

from .helpers import coordinator, poll, state_of, wait_idle

LOCKERS = sc.LOCKERS_LOCATION_ID
DOCKS = sc.DOCKS_LOCATION_ID
LOCATIONS_PATH = "/location/v1/locations"


def _reads(sim: RunningSimulator) -> tuple[int, set[str]]:
    """Return (location list reads, stations whose device lists were read); clear."""
    paths = [entry.path for entry in sim.sim.requests.entries]
    sim.sim.requests.clear()
    stations = {
        path.split("/")[4] for path in paths if path.startswith("/device/v1/locations/")
    }
    return paths.count(LOCATIONS_PATH), stations


def _device_state(hass: HomeAssistant, device_id: str) -> str:
    return state_of(hass, "sensor", f"{device_id}_device_state").state


async def test_quiet_poll_reads_the_location_list_and_keeps_every_device(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """Nothing changed: one request, and every device keeps its state."""
    before = {
        state.entity_id: state.state
        for state in hass.states.async_all()
        if state.entity_id.startswith(("lock.", "sensor.", "binary_sensor."))
    }
    bikeep_loaded.sim.requests.clear()
    await poll(hass)
    assert _reads(bikeep_loaded) == (1, set())
    after = {entity_id: hass.states.get(entity_id).state for entity_id in before}
    assert after == before
    assert after[state_of(hass, "lock", f"{sc.LOCKER_2}_lock").entity_id] == "locked"


async def test_changed_counts_reread_that_station_only(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """Someone takes a free locker: its station's devices are read, not the docks'."""
    await bikeep_loaded.sim.control_trigger(
        "set_state", {"device_id": sc.LOCKER_1, "state": "LOCKED"}
    )
    bikeep_loaded.sim.requests.clear()
    await poll(hass)
    assert _reads(bikeep_loaded) == (1, {LOCKERS})
    assert state_of(hass, "lock", f"{sc.LOCKER_1}_lock").state == LockState.LOCKED
    await poll(hass)
    assert _reads(bikeep_loaded) == (1, set())


async def test_a_station_going_offline_is_reread(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """The uplink is down long enough to show: connection and counts change."""
    await bikeep_loaded.sim.control_trigger("location_offline", {"location_id": DOCKS})
    bikeep_loaded.sim.clock.advance(40)  # the devices' heartbeats are now DEAD
    bikeep_loaded.sim.requests.clear()
    await poll(hass)
    assert _reads(bikeep_loaded) == (1, {DOCKS})
    assert state_of(hass, "binary_sensor", f"{DOCKS}_connection").state == "off"
    assert state_of(hass, "lock", f"{sc.DOCK_1}_lock").state == STATE_UNAVAILABLE


async def test_a_change_the_counts_hide_shows_within_30_minutes(
    hass: HomeAssistant,
    bikeep_loaded: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """LOCKED -> BOOKED keeps the counts: seen with the 30-minute read."""
    await bikeep_loaded.sim.control_trigger(
        "set_state", {"device_id": sc.LOCKER_2, "state": "BOOKED"}
    )
    freezer.tick(timedelta(minutes=25))
    bikeep_loaded.sim.requests.clear()
    await poll(hass)
    assert _reads(bikeep_loaded) == (1, set())
    assert _device_state(hass, sc.LOCKER_2) == "locked"
    freezer.tick(timedelta(minutes=5))
    await poll(hass)
    assert _reads(bikeep_loaded)[1] == {LOCKERS, DOCKS}
    assert _device_state(hass, sc.LOCKER_2) == "booked"


async def test_a_command_in_flight_rereads_its_station_every_poll(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """While a lock waits for the user, each poll reads the device's station."""
    coord = coordinator(hass)
    await bikeep_loaded.sim.control_trigger("set_timing", {"secure_delay": None})
    await hass.services.async_call(
        "lock",
        "lock",
        {"entity_id": state_of(hass, "lock", f"{sc.LOCKER_1}_lock").entity_id},
        blocking=True,
    )
    assert coord.in_flight
    await poll(hass)  # the counts changed (the locker is no longer free)
    bikeep_loaded.sim.requests.clear()
    await poll(hass)  # the counts did not change again: the command is why
    _, stations = _reads(bikeep_loaded)
    assert stations == {LOCKERS}
    await bikeep_loaded.sim.control_trigger("secure_item", {"device_id": sc.LOCKER_1})
    await wait_idle(hass, coord)
    bikeep_loaded.sim.requests.clear()
    await poll(hass)
    assert _reads(bikeep_loaded) == (1, set())
    assert state_of(hass, "lock", f"{sc.LOCKER_1}_lock").state == LockState.LOCKED


async def test_a_new_station_is_read_and_a_removed_one_forgotten(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """A station added to the operator gets its devices at once; others are kept."""
    bikeep_loaded.sim.generate_fleet({"locations": 1, "devices_per_location": 2})
    (new,) = [key for key in bikeep_loaded.sim.state.locations if "fleet" in key]
    bikeep_loaded.sim.requests.clear()
    await poll(hass)
    locations, stations = _reads(bikeep_loaded)
    assert (locations, stations) == (1, {new})
    coord = bikeep_entry.runtime_data.coordinator
    assert {coord.data.device_location[d] for d in coord.data.devices} == {
        LOCKERS,
        DOCKS,
        new,
    }
    del bikeep_loaded.sim.state.locations[new]
    await poll(hass)
    assert new not in coord.station_reads
    assert new not in set(coord.data.device_location.values())
    assert _device_state(hass, sc.LOCKER_2) == "locked"
