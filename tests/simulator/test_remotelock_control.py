"""RemoteLock simulator: faults (HTTP and Python), request log, scenario, clock, fleet."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from simulator.remotelock import RemoteLockSimulator, scenario as sc
from simulator.remotelock.const import RATE_LIMIT_MESSAGE
from simulator.server import RunningSimulator

from .remotelock_helpers import make_api


async def _fault(session: aiohttp.ClientSession, url: str, **body: object) -> int:
    async with session.post(f"{url}/_sim/faults", json=body) as resp:
        return resp.status


async def test_server_error_fault_via_http(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    assert (
        await _fault(
            http_session,
            remotelock_sim.url,
            kind="server_error",
            count=2,
            status=503,
            path="/devices",
        )
        == 200
    )
    assert (await api.get("/account")).status == 200
    assert [(await api.get("/devices")).status for _ in range(3)] == [503, 503, 200]


async def test_timeout_fault(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    remotelock_sim.sim.faults.add("timeout", delay=0.3, method="GET")
    started = time.monotonic()
    reply = await api.get("/account")
    assert reply.status == 200
    assert time.monotonic() - started >= 0.3
    remotelock_sim.sim.faults.add("timeout", delay=0.5)
    with pytest.raises(asyncio.TimeoutError):
        async with http_session.get(
            f"{remotelock_sim.url}/account",
            headers={"Authorization": f"Bearer {api.token}"},
            timeout=aiohttp.ClientTimeout(total=0.2),
        ):
            pass
    await asyncio.sleep(0.6)  # let the simulator finish the delayed answer


async def test_malformed_fault(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    assert await _fault(http_session, remotelock_sim.url, kind="malformed") == 200
    async with http_session.get(
        f"{remotelock_sim.url}/devices",
        headers={"Authorization": f"Bearer {api.token}"},
    ) as resp:
        assert resp.status == 200
        with pytest.raises(json.JSONDecodeError):
            await resp.json()


async def test_unauthorized_fault_uses_vendor_body(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    remotelock_sim.sim.faults.add("unauthorized")
    reply = await api.get("/account")
    assert reply.status == 401
    assert reply.body["type"] == "unauthorized"
    assert (await api.get("/account")).status == 200


async def test_rate_limit_fault_uses_documented_body(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    assert await _fault(http_session, remotelock_sim.url, kind="rate_limit") == 200
    reply = await api.get("/devices")
    assert reply.status == 429
    assert reply.body == {"message": RATE_LIMIT_MESSAGE}
    assert reply.headers["X-RateLimit-Remaining"] == "0"
    assert (
        int(reply.headers["X-RateLimit-Reset"])
        > remotelock_sim.sim.clock.now().timestamp()
    )


async def test_fault_on_token_endpoint_and_clear(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    remotelock_sim.sim.faults.add("server_error", count=5, path="/oauth/token")
    async with http_session.post(f"{remotelock_sim.url}/oauth/token", data={}) as resp:
        assert resp.status == 500
    async with http_session.delete(f"{remotelock_sim.url}/_sim/faults") as resp:
        assert resp.status == 200
    await make_api(http_session, remotelock_sim)
    assert await _fault(http_session, remotelock_sim.url, kind="earthquake") == 400


async def test_request_log(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    sim = remotelock_sim.sim
    api = await make_api(http_session, remotelock_sim)
    await api.get("/devices")
    await api.get("/devices", params={"page": 2})
    await api.put(f"/devices/{sc.FRONT_DOOR_ID}/unlock")
    assert sim.requests.count("GET", "/devices") == 2
    assert sim.requests.count("PUT", "/devices") == 1
    assert sim.requests.count(path="/oauth/token") == 1
    assert sim.requests.entries[2].query == "page=2"
    async with http_session.get(f"{remotelock_sim.url}/_sim/requests") as resp:
        logged = await resp.json()
    assert [e["path"] for e in logged][-1] == f"/devices/{sc.FRONT_DOOR_ID}/unlock"
    async with http_session.delete(f"{remotelock_sim.url}/_sim/requests") as resp:
        assert resp.status == 200
    assert sim.requests.count() == 0


async def test_state_scenario_and_clock_routes(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    url = remotelock_sim.url
    async with http_session.get(f"{url}/_sim/state") as resp:
        state = await resp.json()
    assert {d["id"] for d in state["devices"]} >= {sc.FRONT_DOOR_ID, sc.ACS_DOOR_ID}
    assert state["user"]["password"] == "demo"
    state["devices"] = [d for d in state["devices"] if d["type"] != "power_plug"]
    async with http_session.post(f"{url}/_sim/scenario", json=state) as resp:
        assert resp.status == 200
    assert sc.POWER_PLUG_ID not in remotelock_sim.sim.devices
    before = remotelock_sim.sim.clock.now()
    async with http_session.post(
        f"{url}/_sim/clock/advance", json={"seconds": 7200}
    ) as resp:
        assert resp.status == 200
    assert (remotelock_sim.sim.clock.now() - before).total_seconds() >= 7200


def test_dump_and_load_round_trip() -> None:
    sim = RemoteLockSimulator()
    sim.load_scenario(sim.default_scenario())
    dumped = sim.dump_state()
    other = RemoteLockSimulator()
    other.load_scenario(dumped)
    again = other.dump_state()
    assert again == dumped
    assert len(dumped["models"]) == 15
    assert {d["type"] for d in dumped["devices"]} == {
        "lock",
        "thermostat",
        "power_plug",
        "resort_lock",
        "acs_door",
    }
    assert {s["type"] for s in dumped["schedules"]} == {
        "access_schedule",
        "auto_lock_schedule",
        "lock_action_schedule",
        "power_plug_schedule",
        "thermostat_schedule",
    }


async def test_fleet_generation(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    started = time.monotonic()
    async with http_session.post(
        f"{remotelock_sim.url}/_sim/fleet",
        json={"locks": 3000, "thermostats": 500, "power_plugs": 500, "locations": 40},
    ) as resp:
        assert resp.status == 200
        result = await resp.json()
    assert time.monotonic() - started < 5
    assert result["added"] == {
        "locks": 3000,
        "thermostats": 500,
        "power_plugs": 500,
        "locations": 40,
    }
    assert result["total_devices"] == 4008
    api = await make_api(http_session, remotelock_sim)
    body = (await api.get("/devices", params={"per_page": 50})).body
    assert body["meta"]["total_count"] == 4008
    assert body["meta"]["total_pages"] == 81
    locks = (await api.get("/devices", params={"type": "lock", "per_page": 1})).body
    assert locks["meta"]["total_count"] == 3003
    with pytest.raises(ValueError, match="locks"):
        remotelock_sim.sim.generate_fleet({"locks": -1})


FAULT_CASES = [
    ({"kind": "server_error", "status": 502}, 502),
    ({"kind": "timeout", "delay": 0.05}, 200),
    ({"kind": "malformed"}, 200),
    ({"kind": "unauthorized"}, 401),
    ({"kind": "rate_limit"}, 429),
]


@pytest.mark.parametrize(("fault", "status"), FAULT_CASES)
@pytest.mark.parametrize("via", ["http", "python"])
async def test_each_fault_kind_both_ways(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    fault: dict[str, object],
    status: int,
    via: str,
) -> None:
    sim = remotelock_sim.sim
    api = await make_api(http_session, remotelock_sim)
    if via == "http":
        assert (
            await _fault(http_session, remotelock_sim.url, **fault, path="/locations")
            == 200
        )
    else:
        options = {k: v for k, v in fault.items() if k != "kind"}
        sim.faults.add(str(fault["kind"]), path="/locations", **options)
    assert (await api.get("/account")).status == 200  # other paths unaffected
    async with http_session.get(
        f"{remotelock_sim.url}/locations",
        headers={"Authorization": f"Bearer {api.token}"},
    ) as resp:
        assert resp.status == status
        text = await resp.text()
    if fault["kind"] == "malformed":
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)
    assert sim.requests.entries[-1].fault == fault["kind"]
    assert sim.faults.pending == []
    assert (await api.get("/locations")).status == 200


def test_events_outside_the_loop_are_queued_for_delivery() -> None:
    sim = RemoteLockSimulator()
    sim.load_scenario(sim.default_scenario())
    sim.notification_subscribers[sc.WEBHOOK_SUBSCRIBER_ID]["attributes"]["active"] = (
        True
    )
    sim.add_event("reset", sim.devices[sc.FRONT_DOOR_ID])
    assert len(sim.webhooks.retries) == 1
    assert sim.webhooks.attempts == []
