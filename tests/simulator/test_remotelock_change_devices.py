"""RemoteLock simulator: the change_devices trigger (many devices at once, benchmarks)."""

from __future__ import annotations

import aiohttp
import pytest

from simulator.remotelock import RemoteLockSimulator
from simulator.server import RunningSimulator

from .remotelock_helpers import make_api

LIVE = {"lock": "state", "acs_door": "state", "thermostat": "temperature"}


def _sim(running: RunningSimulator) -> RemoteLockSimulator:
    assert isinstance(running.sim, RemoteLockSimulator)
    return running.sim


async def _devices(
    api_session: aiohttp.ClientSession, running: RunningSimulator
) -> dict:
    """Every device of the account, read page by page as the integration does."""
    api = await make_api(api_session, running)
    found: dict = {}
    page = pages = 1
    while page <= pages:
        body = (await api.get("/devices", params={"page": page, "per_page": 50})).body
        found.update((item["id"], item) for item in body["data"])
        pages = body["meta"]["total_pages"]
        page += 1
    return found


async def test_change_devices_over_http_shows_in_get_devices(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    sim = _sim(remotelock_sim)
    sim.generate_fleet({"locks": 60, "thermostats": 20, "power_plugs": 20})
    before = await _devices(http_session, remotelock_sim)
    events = len(sim.events)
    async with http_session.post(
        f"{remotelock_sim.url}/_sim/trigger/change_devices", json={"count": 10}
    ) as resp:
        assert resp.status == 200
        result = await resp.json()
    assert result["count"] == 10
    changed = result["changed"]
    assert len({item["device_id"] for item in changed}) == 10
    # Evenly spread over the list: every kind of the fleet is among them.
    assert {item["type"] for item in changed} >= {"lock", "thermostat", "power_plug"}
    after = await _devices(http_session, remotelock_sim)
    for item in changed:
        old = before[item["device_id"]]["attributes"]
        new = after[item["device_id"]]["attributes"]
        assert new[item["field"]] == item["value"] != old[item["field"]]
        assert new["updated_at"] >= old["updated_at"]
    untouched = set(before) - {item["device_id"] for item in changed}
    assert all(before[key] == after[key] for key in untouched)
    assert len(sim.events) == events  # no event recorded


async def test_change_devices_flips_back_and_offset_moves_the_choice(
    remotelock_sim: RunningSimulator,
) -> None:
    sim = _sim(remotelock_sim)
    sim.generate_fleet({"locks": 30, "thermostats": 10, "power_plugs": 10})
    original = {key: dict(dev["attributes"]) for key, dev in sim.state.devices.items()}
    first = await sim.control_trigger("change_devices", {"count": 5})
    shifted = await sim.control_trigger("change_devices", {"count": 5, "offset": 1})
    ids = {item["device_id"] for item in first["changed"]}
    assert ids.isdisjoint(item["device_id"] for item in shifted["changed"])
    await sim.control_trigger("change_devices", {"count": 5, "offset": 1})
    await sim.control_trigger("change_devices", {"count": 5})
    for key, attrs in original.items():
        now = sim.state.devices[key]["attributes"]
        for name in ("state", "temperature", "power"):
            assert now.get(name) == attrs.get(name), (key, name)
    assert (await sim.control_trigger("change_devices", {"count": 0}))["changed"] == []


@pytest.mark.parametrize(
    "params",
    [{}, {"count": -1}, {"count": "3"}, {"count": True}, {"count": 1, "offset": -2}],
)
async def test_change_devices_rejects_bad_counts(
    remotelock_sim: RunningSimulator, params: dict
) -> None:
    with pytest.raises(ValueError, match="non-negative integer"):
        await _sim(remotelock_sim).control_trigger("change_devices", params)


async def test_change_devices_count_is_capped_by_the_fleet(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    async with http_session.post(
        f"{remotelock_sim.url}/_sim/trigger/change_devices", json={"count": 10_000}
    ) as resp:
        assert resp.status == 400
        assert "at most" in await resp.text()
