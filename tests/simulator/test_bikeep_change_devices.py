"""Bikeep simulator: the change_devices trigger (check-ins/outs at many stations)."""

from __future__ import annotations

import aiohttp
import pytest

from simulator.bikeep import DEFAULT_OPERATOR_ID, SECOND_OPERATOR_ID
from simulator.server import RunningSimulator

from .bikeep_helpers import Api, bk, make_api

LOCATIONS = "/location/v1/locations"


@pytest.fixture
async def api(bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession) -> Api:
    return await make_api(http_session, bikeep_sim)


async def _available(api: Api) -> dict[str, int]:
    reply = await api.get(LOCATIONS)
    assert reply.status == 200
    return {loc["id"]: loc["devices"]["available"] for loc in reply.body["data"]}


async def test_change_devices_moves_one_station_each(
    api: Api, bikeep_sim: RunningSimulator
) -> None:
    sim = bk(bikeep_sim)
    sim.generate_fleet({"locations": 6, "devices_per_location": 4})
    before = await _available(api)
    reply = await api.post(
        "/_sim/trigger/change_devices",
        {"count": 5, "operator_id": DEFAULT_OPERATOR_ID},
        auth=False,
    )
    assert reply.status == 200, reply.body
    changed = reply.body["changed"]
    assert reply.body["count"] == len(changed) == 5
    stations = [item["location_id"] for item in changed]
    assert len(set(stations)) == 5  # one per station
    assert all(
        sim.state.locations[key].operator_id == DEFAULT_OPERATOR_ID for key in stations
    )
    after = await _available(api)
    for item in changed:
        step = 1 if item["state"] == "UNLOCKED" else -1
        assert after[item["location_id"]] == before[item["location_id"]] + step
        assert sim.state.devices[item["device_id"]].state == item["state"]
    assert all(after[key] == before[key] for key in set(before) - set(stations))


async def test_change_devices_offset_and_flip_back(
    api: Api, bikeep_sim: RunningSimulator
) -> None:
    sim = bk(bikeep_sim)
    sim.generate_fleet({"locations": 4, "devices_per_location": 3})
    states = {key: device.state for key, device in sim.state.devices.items()}
    first = await sim.control_trigger("change_devices", {"count": 3})
    second = await sim.control_trigger("change_devices", {"count": 3, "offset": 1})
    ids = {item["device_id"] for item in first["changed"]}
    assert ids.isdisjoint(item["device_id"] for item in second["changed"])
    assert all(
        sim.state.devices[item["device_id"]].type != "GUARD"
        for item in first["changed"] + second["changed"]
    )
    await sim.control_trigger("change_devices", {"count": 3, "offset": 1})
    await sim.control_trigger("change_devices", {"count": 3})
    assert {key: device.state for key, device in sim.state.devices.items()} == states


async def test_change_devices_skips_offline_devices(
    bikeep_sim: RunningSimulator,
) -> None:
    sim = bk(bikeep_sim)
    sim.generate_fleet({"locations": 2, "devices_per_location": 2})
    location = next(key for key in sim.state.locations if key.startswith("fleet-"))
    await sim.control_trigger("location_offline", {"location_id": location})
    sim.clock.advance(60)  # DEAD: no longer online
    result = await sim.control_trigger(
        "change_devices", {"count": 2, "operator_id": DEFAULT_OPERATOR_ID}
    )
    assert location not in {item["location_id"] for item in result["changed"]}


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({}, ValueError),
        ({"count": -1}, ValueError),
        ({"count": 1.5}, ValueError),
        ({"count": 1, "offset": "x"}, ValueError),
        ({"count": 100_000}, ValueError),
        ({"count": 1, "operator_id": "nope"}, KeyError),
    ],
)
async def test_change_devices_rejects_bad_parameters(
    bikeep_sim: RunningSimulator, params: dict, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await bk(bikeep_sim).control_trigger("change_devices", params)


async def test_change_devices_of_another_operator(bikeep_sim: RunningSimulator) -> None:
    sim = bk(bikeep_sim)
    result = await sim.control_trigger(
        "change_devices", {"count": 1, "operator_id": SECOND_OPERATOR_ID}
    )
    assert [
        sim.state.locations[item["location_id"]].operator_id
        for item in result["changed"]
    ] == [SECOND_OPERATOR_ID]
