"""RemoteLock simulator: commands change state and produce events; auto-relock."""

from __future__ import annotations

import aiohttp

from simulator.remotelock import scenario as sc
from simulator.server import RunningSimulator

from .remotelock_helpers import make_api


async def _latest(api, **params) -> dict:  # type: ignore[no-untyped-def]
    body = (await api.get("/events", params={"per_page": 1, **params})).body
    return body["data"][0]


async def test_unlock_and_lock_produce_events(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    before = len(remotelock_sim.sim.events)
    await api.put(f"/devices/{sc.FRONT_DOOR_ID}/unlock")
    event = await _latest(api)
    assert event["type"] == "unlocked_event"
    attrs = event["attributes"]
    assert (attrs["method"], attrs["source"], attrs["status"]) == (
        "api",
        "user",
        "succeeded",
    )
    assert (attrs["publisher_id"], attrs["publisher_type"]) == (
        sc.FRONT_DOOR_ID,
        "lock",
    )
    assert attrs["time_zone"] == "America/Denver"
    assert (await api.get(f"/devices/{sc.FRONT_DOOR_ID}")).body["data"]["attributes"][
        "state"
    ] == "unlocked"
    await api.put(f"/devices/{sc.CANAL_DOOR_ID}/lock")
    event = await _latest(api)
    assert event["type"] == "locked_event"
    assert event["attributes"]["time_zone"] == "Europe/Amsterdam"
    assert len(remotelock_sim.sim.events) == before + 2


async def test_auto_lock_relocks_after_timeout(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    sim = remotelock_sim.sim
    api = await make_api(http_session, remotelock_sim)
    await api.put(
        f"/devices/{sc.FRONT_DOOR_ID}", {"attributes": {"auto_lock_timeout": 20}}
    )
    await api.put(f"/devices/{sc.FRONT_DOOR_ID}/unlock")
    # The simulated clock runs with real time: leave a margin for a loaded machine.
    sim.clock.advance(10)
    assert (await api.get(f"/devices/{sc.FRONT_DOOR_ID}")).body["data"]["attributes"][
        "state"
    ] == "unlocked"
    sim.clock.advance(15)
    assert (await api.get(f"/devices/{sc.FRONT_DOOR_ID}")).body["data"]["attributes"][
        "state"
    ] == "locked"
    event = await _latest(api, type="locked_event")
    assert event["attributes"]["method"] == "auto_lock"
    assert event["attributes"]["source"] == "device"
    # The Back Door has auto-lock off: it stays unlocked.
    await api.put(f"/devices/{sc.BACK_DOOR_ID}/unlock")
    sim.clock.advance(3600)
    assert (await api.get(f"/devices/{sc.BACK_DOOR_ID}")).body["data"]["attributes"][
        "state"
    ] == "unlocked"


async def test_acs_door_commands(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    sim = remotelock_sim.sim
    api = await make_api(http_session, remotelock_sim)
    await api.put(f"/acs/doors/{sc.ACS_DOOR_ID}/unlock")
    event = await _latest(api)
    assert (event["type"], event["attributes"]["publisher_type"]) == (
        "unlocked_event",
        "acs_door",
    )
    assert event["links"]["publisher"].endswith(f"/acs/doors/{sc.ACS_DOOR_ID}")
    sim.clock.advance(600)
    assert (await api.get(f"/acs/doors/{sc.ACS_DOOR_ID}")).body["data"]["attributes"][
        "state"
    ] == "unlocked"
    await api.put(f"/acs/doors/{sc.ACS_DOOR_ID}/temporary_unlock")
    sim.clock.advance(6)
    assert (await api.get(f"/acs/doors/{sc.ACS_DOOR_ID}")).body["data"]["attributes"][
        "state"
    ] == "locked"
    await api.put(f"/acs/doors/{sc.ACS_DOOR_ID}/unlock")
    await api.put(f"/acs/doors/{sc.ACS_DOOR_ID}/lock")
    assert (await _latest(api))["type"] == "locked_event"


async def test_power_plug_commands(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    await api.put(f"/devices/{sc.POWER_PLUG_ID}/power_off")
    assert (await _latest(api))["type"] == "relay_disabled_event"
    assert remotelock_sim.sim.devices[sc.POWER_PLUG_ID]["attributes"]["on"] is False
    await api.put(f"/devices/{sc.POWER_PLUG_ID}/power_on")
    assert (await _latest(api))["type"] == "relay_enabled_event"
    assert remotelock_sim.sim.devices[sc.POWER_PLUG_ID]["attributes"]["on"] is True
