"""Bikeep entities against the simulator: counts, lock states while commands run."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN, LockState
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_LOCK, SERVICE_UNLOCK
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator.server import RunningSimulator

from .conftest import BIKEEP_CLIENT_ID, BIKEEP_CLIENT_SECRET, setup_entry
from .helpers import entity_id, state_of


@pytest.fixture
async def loaded(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> RunningSimulator:
    """The Bikeep entry, set up, with instant device round trips."""
    await bikeep_sim.sim.control_trigger(
        "set_timing", {"latency": 0, "secure_delay": 0, "unlock_duration": 0}
    )
    await setup_entry(hass, bikeep_entry)
    bikeep_entry.runtime_data.coordinator.command_poll_interval = 0.01
    return bikeep_sim


async def test_station_counts(hass: HomeAssistant, loaded: RunningSimulator) -> None:
    """Station sensors mirror the location's device counts."""
    locations = await _api_locations(hass, loaded)
    for location in locations:
        state = state_of(hass, "sensor", f"{location['id']}_available_devices")
        assert int(state.state) == location["devices"]["available"]
        connection = state_of(hass, "binary_sensor", f"{location['id']}_connection")
        assert connection.state == (
            "on" if location["connection"] == "online" else "off"
        )


async def _api_locations(
    hass: HomeAssistant, sim: RunningSimulator
) -> list[dict[str, Any]]:
    """Ask the simulator over HTTP, as a second client would."""
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{sim.url}/oauth2/token",
            data={
                "grant_type": "client_credentials",
                "client_id": BIKEEP_CLIENT_ID,
                "client_secret": BIKEEP_CLIENT_SECRET,
            },
        ) as resp:
            token = (await resp.json())["access_token"]
        async with session.get(
            f"{sim.url}/location/v1/locations",
            headers={"Authorization": f"Bearer {token}"},
        ) as resp:
            return list((await resp.json())["data"])


async def test_lock_then_unlock(hass: HomeAssistant, loaded: RunningSimulator) -> None:
    """Locking a free locker ends LOCKED; unlocking ends UNLOCKED; the sim agrees."""
    entry = hass.config_entries.async_entries("smart_access")[0]
    coordinator = entry.runtime_data.coordinator
    device_id = next(
        device.id
        for device in coordinator.data.devices.values()
        if device.is_lockable and device.is_available
    )
    lock = entity_id(hass, LOCK_DOMAIN, f"{device_id}_lock")
    assert state_of(hass, LOCK_DOMAIN, f"{device_id}_lock").state == LockState.UNLOCKED
    for service, wanted in (
        (SERVICE_LOCK, LockState.LOCKED),
        (SERVICE_UNLOCK, LockState.UNLOCKED),
    ):
        await hass.services.async_call(
            LOCK_DOMAIN, service, {ATTR_ENTITY_ID: lock}, blocking=True
        )
        for _ in range(100):
            await hass.async_block_till_done()
            if not coordinator.in_flight:
                break
            await asyncio.sleep(0.02)
        await hass.async_block_till_done()
        state = hass.states.get(lock)
        assert state is not None
        assert state.state == wanted
