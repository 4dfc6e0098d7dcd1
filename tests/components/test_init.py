"""Set-up, unload and the set-up failures of both vendors."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smart_access.const import DOMAIN
from simulator.server import RunningSimulator

from .conftest import setup_entry


async def test_setup_and_unload_remotelock(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """Every device of the account (and the account) becomes a device; unload frees."""
    await setup_entry(hass, remotelock_entry)
    assert remotelock_entry.state is ConfigEntryState.LOADED
    registry = dr.async_get(hass)
    devices = dr.async_entries_for_config_entry(registry, remotelock_entry.entry_id)
    supported = {"lock", "thermostat", "power_plug", "resort_lock", "acs_door"}
    sim_ids = {
        device["id"]
        for device in remotelock_sim.sim.dump_state()["devices"]
        if device["type"] in supported
    }
    account = remotelock_entry.runtime_data.coordinator.account_device_id
    assert {next(iter(d.identifiers))[1] for d in devices} == sim_ids | {account}
    assert all(d.manufacturer == "RemoteLock" for d in devices)
    assert await hass.config_entries.async_unload(remotelock_entry.entry_id)
    assert remotelock_entry.state is ConfigEntryState.NOT_LOADED


async def test_setup_bikeep(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """Stations and their devices appear; devices hang off their station."""
    await setup_entry(hass, bikeep_entry)
    assert bikeep_entry.state is ConfigEntryState.LOADED
    registry = dr.async_get(hass)
    devices = dr.async_entries_for_config_entry(registry, bikeep_entry.entry_id)
    stations = [d for d in devices if d.via_device_id is None]
    lockers = [d for d in devices if d.via_device_id is not None]
    assert stations
    assert lockers
    assert {d.via_device_id for d in lockers} <= {d.id for d in stations}


async def test_not_ready_on_server_error(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """A 5xx during set-up retries later."""
    bikeep_sim.sim.faults.add("server_error", count=5)
    await setup_entry(hass, bikeep_entry)
    assert bikeep_entry.state is ConfigEntryState.SETUP_RETRY


async def test_auth_failed_starts_reauth(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """Rejected credentials lead to a reauth prompt, not a dead entry."""
    hass.config_entries.async_update_entry(
        remotelock_entry, data={**remotelock_entry.data, "client_secret": "revoked"}
    )
    await setup_entry(hass, remotelock_entry)
    assert remotelock_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert flows[0]["handler"] == DOMAIN
