"""Bikeep entities against the simulator: counts, lock states while commands run."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN, LockState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_LOCK,
    SERVICE_UNLOCK,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
)

from simulator.server import RunningSimulator

from ..simulator.bikeep_helpers import make_api
from .helpers import coordinator, entity_id, poll, state_of, wait_idle


def _free_locker(hass: HomeAssistant) -> str:
    """Return the id of a locker or dock that is free and online."""
    return next(
        device.id
        for device in coordinator(hass).data.devices.values()
        if device.is_lockable and device.is_available
    )


async def _lock(hass: HomeAssistant, device_id: str) -> None:
    await hass.services.async_call(
        LOCK_DOMAIN,
        SERVICE_LOCK,
        {ATTR_ENTITY_ID: entity_id(hass, LOCK_DOMAIN, f"{device_id}_lock")},
        blocking=True,
    )


async def test_station_counts(
    hass: HomeAssistant,
    bikeep_loaded: RunningSimulator,
    http_session: aiohttp.ClientSession,
) -> None:
    """Station sensors mirror the location's device counts."""
    locations = await _api_locations(http_session, bikeep_loaded)
    for location in locations:
        state = state_of(hass, "sensor", f"{location['id']}_available_devices")
        assert int(state.state) == location["devices"]["available"]
        connection = state_of(hass, "binary_sensor", f"{location['id']}_connection")
        assert connection.state == (
            "on" if location["connection"] == "online" else "off"
        )


async def _api_locations(
    session: aiohttp.ClientSession, sim: RunningSimulator
) -> list[dict[str, Any]]:
    """Ask the simulator over HTTP, as a second client would."""
    api = await make_api(session, sim)
    reply = await api.get("/location/v1/locations")
    return list(reply.body["data"])


async def test_lock_then_unlock(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """Locking a free locker ends LOCKED; unlocking ends UNLOCKED; the sim agrees."""
    device_id = _free_locker(hass)
    lock = entity_id(hass, LOCK_DOMAIN, f"{device_id}_lock")
    assert state_of(hass, LOCK_DOMAIN, f"{device_id}_lock").state == LockState.UNLOCKED
    for service, wanted in (
        (SERVICE_LOCK, LockState.LOCKED),
        (SERVICE_UNLOCK, LockState.UNLOCKED),
    ):
        await hass.services.async_call(
            LOCK_DOMAIN, service, {ATTR_ENTITY_ID: lock}, blocking=True
        )
        await wait_idle(hass, coordinator(hass))
        state = hass.states.get(lock)
        assert state is not None
        assert state.state == wanted


def _first(sim: RunningSimulator, device_type: str) -> Any:
    return next(
        device
        for device in sim.sim.state.devices.values()
        if device.type == device_type
    )


async def test_command_failing_after_return_is_logged_and_state_restored(
    hass: HomeAssistant,
    bikeep_loaded: RunningSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The lock call returns at once; a device ERROR later is logged, state restored."""
    coord = coordinator(hass)
    device_id = _free_locker(hass)
    await bikeep_loaded.sim.control_trigger(
        "fail_next_command", {"device_id": device_id, "reason": "latch jammed"}
    )
    lock = entity_id(hass, LOCK_DOMAIN, f"{device_id}_lock")
    await hass.services.async_call(
        LOCK_DOMAIN, SERVICE_LOCK, {ATTR_ENTITY_ID: lock}, blocking=True
    )
    await wait_idle(hass, coord)
    assert state_of(hass, LOCK_DOMAIN, f"{device_id}_lock").state == LockState.UNLOCKED
    assert "did not succeed" in caplog.text
    assert "Traceback" not in caplog.text


async def test_rejected_command_raises_translated_error(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """The service refusing the command (device offline) is a translated error."""
    locker = _first(bikeep_loaded, "LOCKER")
    bikeep_loaded.sim.faults.add(
        "server_error",
        count=3,
        path=f"/device/v1/devices/{locker.id}/commands",
        method="POST",
    )
    lock = entity_id(hass, LOCK_DOMAIN, f"{locker.id}_lock")
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            LOCK_DOMAIN, SERVICE_LOCK, {ATTR_ENTITY_ID: lock}, blocking=True
        )
    assert err.value.translation_key == "command_cannot_connect"
    assert not coordinator(hass).in_flight


@pytest.mark.parametrize("kind", ["server_error", "malformed", "timeout", "rate_limit"])
async def test_poll_fault_makes_unavailable_and_recovers(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, kind: str
) -> None:
    """A failed poll makes every entity unavailable; the next good one restores them."""
    locker = _first(bikeep_loaded, "LOCKER")
    unique = f"{locker.id}_lock"
    before = state_of(hass, LOCK_DOMAIN, unique).state
    client = coordinator(hass).client
    normal = client._timeout
    client._timeout = 0.1
    bikeep_loaded.sim.faults.add(
        kind, count=1, path="/location/v1/locations", delay=0.3
    )
    await poll(hass)
    assert state_of(hass, LOCK_DOMAIN, unique).state == STATE_UNAVAILABLE
    station = state_of(hass, "sensor", f"{locker.location_id}_available_devices")
    assert station.state == STATE_UNAVAILABLE
    client._timeout = normal  # the good poll is not held to 0.1 s
    await poll(hass)
    assert state_of(hass, LOCK_DOMAIN, unique).state == before


async def test_unauthorized_poll_starts_reauth(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """Credentials the service stops accepting lead to a reauth prompt."""
    bikeep_loaded.sim.faults.add("unauthorized", count=10)
    await poll(hass)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_expired_token_is_renewed_silently(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """A revoked access token is replaced with a new one; no reauth, no outage."""
    locker = _first(bikeep_loaded, "LOCKER")
    await bikeep_loaded.sim.control_trigger("expire_tokens", {})
    await poll(hass)
    assert state_of(hass, LOCK_DOMAIN, f"{locker.id}_lock").state != STATE_UNAVAILABLE
    assert not hass.config_entries.flow.async_progress()


async def test_device_offline_and_back(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """An offline locker is unavailable with connectivity off; it recovers."""
    locker = _first(bikeep_loaded, "LOCKER")
    await bikeep_loaded.sim.control_trigger("device_offline", {"device_id": locker.id})
    bikeep_loaded.sim.clock.advance(3600)
    await poll(hass)
    assert state_of(hass, LOCK_DOMAIN, f"{locker.id}_lock").state == STATE_UNAVAILABLE
    assert state_of(hass, "binary_sensor", f"{locker.id}_connectivity").state == "off"
    await bikeep_loaded.sim.control_trigger("device_online", {"device_id": locker.id})
    await poll(hass)
    assert state_of(hass, LOCK_DOMAIN, f"{locker.id}_lock").state != STATE_UNAVAILABLE
    assert state_of(hass, "binary_sensor", f"{locker.id}_connectivity").state == "on"


async def test_gateway_and_station_offline(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """A GUARD going offline shows in its health; a station's uplink in its sensor."""
    guard = _first(bikeep_loaded, "GUARD")
    await bikeep_loaded.sim.control_trigger("guard_offline", {"device_id": guard.id})
    await bikeep_loaded.sim.control_trigger(
        "location_offline", {"location_id": guard.location_id}
    )
    bikeep_loaded.sim.clock.advance(3600)
    await poll(hass)
    assert state_of(hass, "binary_sensor", f"{guard.id}_connectivity").state == "off"
    health = state_of(hass, "sensor", f"{guard.id}_heartbeat_health")
    assert health.state not in ("healthy", STATE_UNAVAILABLE)
    dead_since = state_of(hass, "sensor", f"{guard.id}_dead_since")
    assert dead_since.state not in ("unknown", STATE_UNAVAILABLE)
    connection = state_of(hass, "binary_sensor", f"{guard.location_id}_connection")
    assert connection.state == "off"
    await bikeep_loaded.sim.control_trigger("guard_online", {"device_id": guard.id})
    await bikeep_loaded.sim.control_trigger(
        "location_online", {"location_id": guard.location_id}
    )
    await poll(hass)
    assert state_of(hass, "binary_sensor", f"{guard.id}_connectivity").state == "on"
    assert state_of(hass, "sensor", f"{guard.id}_heartbeat_health").state == "healthy"
    connection = state_of(hass, "binary_sensor", f"{guard.location_id}_connection")
    assert connection.state == "on"


async def test_polls_every_five_minutes(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """Bikeep is polled on the guide's 5-minute cadence, by the coordinator itself."""
    bikeep_loaded.sim.requests.clear()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=4))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert bikeep_loaded.sim.requests.entries == []
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=5, seconds=1))
    await hass.async_block_till_done(wait_background_tasks=True)
    paths = [entry.path for entry in bikeep_loaded.sim.requests.entries]
    assert "/location/v1/locations" in paths


async def test_poll_cost_and_whitelist_refresh(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, freezer: FrozenDateTimeFactory
) -> None:
    """A quiet poll reads the location list only; 30 minutes on, everything.

    Device lists are read again when a station's counts change (see
    test_bikeep_polling.py) and at the latest every 30 minutes; the whitelists only
    every 30 minutes.
    """
    coord = coordinator(hass)
    stations = len(coord.data.locations)
    bikeep_loaded.sim.requests.clear()
    await poll(hass)
    paths = [entry.path for entry in bikeep_loaded.sim.requests.entries]
    assert paths == ["/location/v1/locations"]

    freezer.tick(timedelta(minutes=31))
    bikeep_loaded.sim.requests.clear()
    await poll(hass)
    paths = [entry.path for entry in bikeep_loaded.sim.requests.entries]
    whitelists = sum(len(lists) for lists in coord.data.whitelists.values())
    assert len(paths) == 1 + 2 * stations + whitelists


async def test_device_read_failing_after_a_command_clears_the_progress(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """If the device can't be read after the command, progress still clears."""
    coord = coordinator(hass)
    device_id = _free_locker(hass)
    bikeep_loaded.sim.faults.add(
        "server_error", count=50, path=f"/device/v1/devices/{device_id}", method="GET"
    )
    await _lock(hass, device_id)
    await wait_idle(hass, coord)
    state = state_of(hass, LOCK_DOMAIN, f"{device_id}_lock").state
    assert state not in (LockState.LOCKING, LockState.UNLOCKING)


async def test_one_station_failing_fails_the_poll(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """A station's device list failing mid-poll fails the whole poll, cleanly."""
    locker = _first(bikeep_loaded, "LOCKER")
    # Its counts change, so the next poll reads the station's device list.
    await bikeep_loaded.sim.control_trigger(
        "set_state", {"device_id": locker.id, "state": "LOCKED"}
    )
    bikeep_loaded.sim.faults.add(
        "server_error", count=1, path=f"/device/v1/locations/{locker.location_id}"
    )
    await poll(hass)
    assert state_of(hass, LOCK_DOMAIN, f"{locker.id}_lock").state == STATE_UNAVAILABLE
    await poll(hass)
    # The failed read is made again: the lock shows the new state.
    assert state_of(hass, LOCK_DOMAIN, f"{locker.id}_lock").state == LockState.LOCKED


async def test_finished_command_costs_no_extra_device_read(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """The device state read with the SUCCESS is shown; it is not read once more."""
    coord = coordinator(hass)
    device_id = _free_locker(hass)
    bikeep_loaded.sim.requests.clear()
    await _lock(hass, device_id)
    await wait_idle(hass, coord)
    assert state_of(hass, LOCK_DOMAIN, f"{device_id}_lock").state == LockState.LOCKED
    reads = bikeep_loaded.sim.requests.count("GET", f"/device/v1/devices/{device_id}")
    changes = bikeep_loaded.sim.requests.count("GET", "/device/v1/commands/")
    # One device read when the command is sent and one per change the poll saw.
    assert reads == 1 + changes


async def test_state_sensor_follows_the_device_while_a_command_runs(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator
) -> None:
    """While a lock runs, the State sensor shows the device's live phase."""
    coord = coordinator(hass)
    await bikeep_loaded.sim.control_trigger(
        "set_timing", {"latency": 0, "secure_delay": 30, "unlock_duration": 0}
    )
    device_id = _free_locker(hass)
    await _lock(hass, device_id)
    seen: set[str] = set()
    for _ in range(100):
        await hass.async_block_till_done()
        seen.add(state_of(hass, "sensor", f"{device_id}_device_state").state)
        if "locking" in seen:
            break
        await asyncio.sleep(0.02)
    assert "locking" in seen
    assert state_of(hass, LOCK_DOMAIN, f"{device_id}_lock").state == LockState.LOCKING
    await bikeep_loaded.sim.control_trigger("secure_item", {"device_id": device_id})
    await wait_idle(hass, coord)
    assert state_of(hass, "sensor", f"{device_id}_device_state").state == "locked"
