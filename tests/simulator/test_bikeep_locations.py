"""Bikeep simulator: locations, public areas, devices, heartbeats and computed counts."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest

from simulator.bikeep.scenario import (
    DOCK_1,
    DOCK_5,
    DOCKS_LOCATION_ID,
    GUARD_C1,
    GUARD_C2,
    GUARD_D1,
    LOCKER_1,
    LOCKER_2,
    LOCKER_4,
    LOCKER_5,
    LOCKERS_LOCATION_ID,
    PUBLIC_AREA_ID,
)
from simulator.server import RunningSimulator

from .bikeep_helpers import Api, bk, freeze, make_api, ts


@pytest.fixture
async def api(bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession) -> Api:
    freeze(bikeep_sim)  # time moves only by clock.advance: exact boundaries
    return await make_api(http_session, bikeep_sim)


async def test_locations_list_has_the_guide_shape_and_computed_counts(api: Api) -> None:
    reply = await api.get("/location/v1/locations")
    assert reply.status == 200
    lockers, docks = reply.body["data"]
    assert lockers == {
        "id": LOCKERS_LOCATION_ID,
        "type": "BIKE_LOCKERS",
        "label": "#1234",
        "name": "#1234 Office Building A",
        "status": "LAUNCHED",
        "connection": "online",
        "address": "123 Main Street",
        # 6 lockers; locker 5 is dead; available = lockers 1 and 4 (3 is BOOKED).
        "devices": {"total": 6, "available": 2, "online": 5},
    }
    assert docks["type"] == "BIKE_DOCKS"
    assert docks["name"] == "#5678 Train Station B"
    assert docks["devices"] == {"total": 5, "available": 3, "online": 4}


async def test_available_follows_device_states(api: Api) -> None:
    await api.trigger("set_latency", seconds=0)
    await api.command(LOCKER_1, "book")
    assert (await api.location(LOCKERS_LOCATION_ID))["devices"]["available"] == 1
    await api.command(LOCKER_2, "force-unlock")
    assert (await api.location(LOCKERS_LOCATION_ID))["devices"]["available"] == 2


async def test_public_area_lists_its_locations(api: Api) -> None:
    reply = await api.get(
        f"/location/v1/public-areas/{PUBLIC_AREA_ID}/locations", auth=False
    )
    assert [loc["id"] for loc in reply.body["data"]] == [
        LOCKERS_LOCATION_ID,
        DOCKS_LOCATION_ID,
    ]
    assert reply.body["data"][0]["devices"] == {"total": 6, "available": 2, "online": 5}
    missing = await api.get("/location/v1/public-areas/nope/locations", auth=False)
    assert missing.status == 404
    assert missing.body["error"] == "not_found"


async def test_device_list_matches_the_guide(api: Api) -> None:
    reply = await api.get(f"/device/v1/locations/{LOCKERS_LOCATION_ID}/devices")
    assert reply.status == 200
    devices = reply.body["data"]
    guards = [d for d in devices if d["type"] == "GUARD"]
    assert [g["id"] for g in guards] == [GUARD_C1, GUARD_C2]
    first = next(d for d in devices if d["id"] == LOCKER_1)
    assert first["type"] == "LOCKER"
    assert first["alias"] == "1"
    assert first["code"] == "123456"
    assert first["state"] == {
        "value": "UNLOCKED",
        "changed_at": "2025-12-15T10:30:00.000Z",
        "timeout_at": None,
    }
    assert first["hardware_state"] == "NORMAL"
    assert first["heartbeat_health"] == "HEALTHY"
    assert first["heartbeat_v2"] == {"health": "HEALTHY", "dead_since": None}
    docks = await api.get(f"/device/v1/locations/{DOCKS_LOCATION_ID}/devices")
    assert {d["type"] for d in docks.body["data"]} == {"GUARD", "BIKE_DOCK"}
    assert (await api.get("/device/v1/locations/nope/devices")).status == 404


async def test_device_detail_and_deprecated_heartbeat_fields(api: Api) -> None:
    dead = await api.device(LOCKER_5)
    assert dead["heartbeat_v2"]["health"] == "DEAD"
    assert dead["heartbeat_health"] == "DEAD"
    assert dead["heartbeat"]["health"] == "DEAD"
    assert dead["heartbeat"]["last_received_at"] == dead["heartbeat_v2"]["dead_since"]
    long_dead = await api.device(DOCK_5)
    assert long_dead["heartbeat_v2"]["health"] == "LONG_DEAD"
    assert long_dead["heartbeat_health"] == "DEAD"
    booked = await api.device("locker-uuid-0000-0000-000000000003")
    assert booked["state"]["value"] == "BOOKED"
    assert booked["state"]["timeout_at"] is not None
    missing = await api.get("/device/v1/devices/nope")
    assert missing.status == 404
    assert missing.body == {"error": "not_found", "message": "device not found"}


async def test_heartbeat_ages_through_every_health_value(
    api: Api, bikeep_sim: RunningSimulator
) -> None:
    clock = bikeep_sim.sim.clock
    reply = await api.trigger("device_offline", device_id=LOCKER_4)
    assert reply.status == 200
    assert reply.body["heartbeat_v2"] == {"health": "HEALTHY", "dead_since": None}
    offline_at = bk(bikeep_sim).state.devices[LOCKER_4].link.offline_since
    assert offline_at is not None
    steps = [(14, "HEALTHY"), (2, "UNHEALTHY"), (13, "UNHEALTHY"), (2, "DEAD")]
    steps += [(7100, "DEAD"), (100, "LONG_DEAD")]
    for seconds, expected in steps:
        clock.advance(seconds)
        await api.renew()
        device = await api.device(LOCKER_4)
        assert device["heartbeat_v2"]["health"] == expected, seconds
        if expected == "HEALTHY":
            assert device["heartbeat_v2"]["dead_since"] is None
        else:
            dead_since = ts(device["heartbeat_v2"]["dead_since"])
            assert abs(dead_since - offline_at) < timedelta(milliseconds=1)
    await api.trigger("device_online", device_id=LOCKER_4)
    device = await api.device(LOCKER_4)
    assert device["heartbeat_v2"] == {"health": "HEALTHY", "dead_since": None}


async def test_online_and_available_counts_follow_heartbeats(
    api: Api, bikeep_sim: RunningSimulator
) -> None:
    await api.trigger("device_offline", device_id=LOCKER_4)
    bikeep_sim.sim.clock.advance(20)  # UNHEALTHY still counts as online
    assert (await api.location(LOCKERS_LOCATION_ID))["devices"] == {
        "total": 6,
        "available": 2,
        "online": 5,
    }
    bikeep_sim.sim.clock.advance(15)  # DEAD
    assert (await api.location(LOCKERS_LOCATION_ID))["devices"] == {
        "total": 6,
        "available": 1,
        "online": 4,
    }


async def test_guard_offline_takes_its_devices_and_location_connection(
    api: Api, bikeep_sim: RunningSimulator
) -> None:
    reply = await api.trigger("guard_offline", device_id=GUARD_D1)
    assert reply.status == 200
    bikeep_sim.sim.clock.advance(31)
    location = await api.location(DOCKS_LOCATION_ID)
    assert location["connection"] == "offline"
    assert location["devices"] == {"total": 5, "available": 0, "online": 0}
    assert (await api.device(DOCK_1))["heartbeat_v2"]["health"] == "DEAD"
    assert (await api.device(GUARD_D1))["heartbeat_v2"]["health"] == "DEAD"
    await api.trigger("guard_online", device_id=GUARD_D1)
    location = await api.location(DOCKS_LOCATION_ID)
    assert location["connection"] == "online"
    assert location["devices"]["online"] == 4


async def test_one_of_two_guards_offline_keeps_location_online(
    api: Api, bikeep_sim: RunningSimulator
) -> None:
    await api.trigger("guard_offline", device_id=GUARD_C1)
    bikeep_sim.sim.clock.advance(60)
    location = await api.location(LOCKERS_LOCATION_ID)
    assert location["connection"] == "online"
    # Guard C1 carries lockers 1-3: 1 was available.
    assert location["devices"] == {"total": 6, "available": 1, "online": 2}


async def test_location_offline_and_back(
    api: Api, bikeep_sim: RunningSimulator
) -> None:
    reply = await api.trigger("location_offline", location_id=LOCKERS_LOCATION_ID)
    assert reply.status == 200
    assert reply.body["connection"] == "online"  # not yet noticed
    bikeep_sim.sim.clock.advance(2 * 3600 + 1)
    await api.renew()
    location = await api.location(LOCKERS_LOCATION_ID)
    assert location["connection"] == "offline"
    assert location["devices"]["online"] == 0
    assert (await api.device(LOCKER_1))["heartbeat_v2"]["health"] == "LONG_DEAD"
    reply = await api.trigger("location_online", location_id=LOCKERS_LOCATION_ID)
    assert reply.body["connection"] == "online"
    # Locker 3's 30-minute booking expired meanwhile: 1, 3 and 4 are available.
    assert reply.body["devices"] == {"total": 6, "available": 3, "online": 5}
    # The separately dead locker 5 stays dead.
    assert (await api.device(LOCKER_5))["heartbeat_v2"]["health"] != "HEALTHY"
