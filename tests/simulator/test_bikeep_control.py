"""Bikeep simulator: control routes, triggers, faults, request log, rate limit, fleet."""

from __future__ import annotations

import asyncio
import copy
import time
from typing import Any

import aiohttp
import pytest

from simulator.bikeep import BikeepSimulator
from simulator.bikeep.scenario import LOCKER_1, LOCKER_4, LOCKERS_LOCATION_ID
from simulator.common import Clock
from simulator.server import RunningSimulator

from .bikeep_helpers import Api, bk, event_names, fetch_token, make_api

LOCATIONS = "/location/v1/locations"


@pytest.fixture
async def api(bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession) -> Api:
    return await make_api(http_session, bikeep_sim)


async def ctl(api: Api, method: str, path: str, body: Any = None) -> Any:
    reply = await api.call(method, f"/_sim{path}", body, auth=False)
    assert reply.status == 200, reply.body
    return reply.body


def test_constructor_takes_a_clock() -> None:
    clock = Clock()
    sim = BikeepSimulator(clock)
    assert sim.clock is clock
    assert BikeepSimulator().clock is not clock
    assert sim.state.devices == {}


async def test_unknown_trigger_is_404_and_bad_params_400(api: Api) -> None:
    assert (await api.trigger("explode")).status == 404
    assert (await api.trigger("device_offline")).status == 400
    assert (await api.trigger("device_offline", device_id="nope")).status == 404
    assert (await api.trigger("location_offline", location_id="nope")).status == 404
    assert (await api.trigger("guard_offline", device_id=LOCKER_1)).status == 400
    assert (await api.trigger("set_latency", seconds=-1)).status == 400
    assert (await api.trigger("set_latency", seconds="fast")).status == 400
    assert (await api.trigger("set_timing", speed=3)).status == 400
    assert (
        await api.trigger("fail_next_command", device_id=LOCKER_1, reason=3)
    ).status == 400
    assert (await api.trigger("set_rate_limit", requests=0)).status == 400


async def test_triggers_from_python(bikeep_sim: RunningSimulator) -> None:
    sim = bikeep_sim.sim
    assert isinstance(sim, BikeepSimulator)
    result = await sim.control_trigger("device_offline", {"device_id": LOCKER_4})
    assert result["id"] == LOCKER_4
    assert not sim.state.devices[LOCKER_4].link.connected
    with pytest.raises(KeyError):
        await sim.control_trigger("nope", {})
    with pytest.raises(ValueError, match="device_id"):
        await sim.control_trigger("secure_item", {})
    timing = await sim.control_trigger("set_timing", {"locking_window": 5})
    assert timing["locking_window"] == 5


async def test_state_dump_and_scenario_reload_round_trip(
    api: Api, bikeep_sim: RunningSimulator
) -> None:
    command = await api.command(LOCKER_1, "lock")
    state = await ctl(api, "GET", "/state")
    assert {"settings", "operators", "public_areas", "locations", "whitelists"} <= set(
        state
    )
    locker = next(d for d in state["locations"][0]["devices"] if d["id"] == LOCKER_1)
    assert locker["state"] == "ALLOCATED"
    assert state["commands"][0]["id"] == command["id"]
    await ctl(api, "POST", "/scenario", state)
    await api.renew()  # a scenario load forgets tokens
    bikeep_sim.sim.clock.advance(2.0)
    command = await api.poll(command)
    assert command["state"]["value"] == "SUCCESS"
    assert event_names(command)[-1] == "RESPONSE_DEVICE_LOCKED"


async def test_scenario_load_replaces_everything(api: Api) -> None:
    scenario = copy.deepcopy(BikeepSimulator().default_scenario())
    scenario["locations"] = scenario["locations"][:1]
    scenario["locations"][0]["devices"] = scenario["locations"][0]["devices"][:3]
    scenario["public_areas"] = []
    scenario["whitelists"] = []
    await ctl(api, "POST", "/scenario", scenario)
    assert (await api.get(LOCATIONS)).status == 401
    await api.renew()
    (location,) = (await api.get(LOCATIONS)).body["data"]
    assert location["devices"] == {"total": 1, "available": 1, "online": 1}


@pytest.mark.parametrize(
    "mutate",
    [
        lambda s: s["locations"][0].update(type="PARKING"),
        lambda s: s["locations"][0]["devices"][2].update(state="OPEN"),
        lambda s: s["locations"][0]["devices"][2].update(guard_id="nope"),
        lambda s: s["locations"][0].update(operator_id="nope"),
        lambda s: s["whitelists"][0]["entities"].append({"id": "XYZ"}),
        lambda s: s["whitelists"][0]["targets"].append({"type": "device", "id": "no"}),
        lambda s: s["settings"].update(speed=1),
        lambda s: s["operators"].append(dict(s["operators"][0], id="dup")),
    ],
)
def test_bad_scenarios_are_rejected(mutate: Any) -> None:
    sim = BikeepSimulator()
    scenario = sim.default_scenario()
    mutate(scenario)
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        sim.load_scenario(scenario)


async def test_clock_advance_route(api: Api) -> None:
    await api.trigger("device_offline", device_id=LOCKER_4)
    await ctl(api, "POST", "/clock/advance", {"seconds": 40})
    assert (await api.device(LOCKER_4))["heartbeat_v2"]["health"] == "DEAD"


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_error_fault_via_http(api: Api, status: int) -> None:
    fault = await ctl(
        api,
        "POST",
        "/faults",
        {"kind": "server_error", "status": status, "path": LOCATIONS},
    )
    assert fault["kind"] == "server_error"
    assert (await api.get(f"/device/v1/devices/{LOCKER_1}")).status == 200
    assert (await api.get(LOCATIONS)).status == status
    assert (await api.get(LOCATIONS)).status == 200


async def test_timeout_fault_delays_the_answer(api: Api) -> None:
    await ctl(api, "POST", "/faults", {"kind": "timeout", "delay": 0.3, "count": 2})
    with pytest.raises(asyncio.TimeoutError):
        async with api.session.get(
            f"{api.url}{LOCATIONS}",
            headers={"Authorization": f"Bearer {api.token}"},
            timeout=aiohttp.ClientTimeout(total=0.1),
        ):
            pass
    started = time.monotonic()
    reply = await api.get(LOCATIONS)
    assert reply.status == 200
    assert time.monotonic() - started >= 0.3


async def test_malformed_fault(api: Api, http_session: aiohttp.ClientSession) -> None:
    await ctl(api, "POST", "/faults", {"kind": "malformed"})
    async with http_session.get(
        f"{api.url}{LOCATIONS}", headers={"Authorization": f"Bearer {api.token}"}
    ) as resp:
        assert resp.status == 200
        with pytest.raises(ValueError):  # noqa: PT011 - json.JSONDecodeError
            await resp.json()


async def test_unauthorized_fault_uses_the_vendor_body(api: Api) -> None:
    await ctl(api, "POST", "/faults", {"kind": "unauthorized", "method": "POST"})
    assert (await api.get(LOCATIONS)).status == 200
    reply = await api.post(
        f"/device/v1/devices/{LOCKER_1}/commands", {"command": "book"}
    )
    assert reply.status == 401
    assert reply.body["error"] == "unauthorized"
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")


async def test_rate_limit_fault_has_retry_after(
    api: Api, bikeep_sim: RunningSimulator
) -> None:
    await ctl(api, "POST", "/faults", {"kind": "rate_limit", "path": "/oauth2"})
    async with api.session.post(
        f"{api.url}/oauth2/token", data={"grant_type": "client_credentials"}
    ) as resp:
        assert resp.status == 429
        assert resp.headers["Retry-After"] == "1"
        assert (await resp.json())["error"] == "rate_limited"
    bk(bikeep_sim).fault_retry_after = 30
    bikeep_sim.sim.faults.add("rate_limit")
    reply = await api.get(LOCATIONS)
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "30"


async def test_faults_from_python_and_clearing(
    api: Api, bikeep_sim: RunningSimulator
) -> None:
    bikeep_sim.sim.faults.add("server_error", count=2)
    assert (await api.get(LOCATIONS)).status == 500
    assert (await api.get(LOCATIONS)).status == 500
    assert (await api.get(LOCATIONS)).status == 200
    bikeep_sim.sim.faults.add("server_error", count=5)
    await ctl(api, "DELETE", "/faults")
    assert (await api.get(LOCATIONS)).status == 200
    bad = await api.call("POST", "/_sim/faults", {"kind": "meteor"}, auth=False)
    assert bad.status == 400


async def test_request_log(api: Api, bikeep_sim: RunningSimulator) -> None:
    await ctl(api, "DELETE", "/requests")
    bikeep_sim.sim.faults.add("server_error", path=LOCATIONS)
    await api.get(LOCATIONS)
    await api.get(LOCATIONS)
    await api.post(f"/device/v1/devices/{LOCKER_1}/commands", {"command": "book"})
    await api.get("/whitelist/v1/whitelists/x/targets", params={"type": "device"})
    log = await ctl(api, "GET", "/requests")
    assert [(e["method"], e["path"], e["status"], e["fault"]) for e in log] == [
        ("GET", LOCATIONS, 500, "server_error"),
        ("GET", LOCATIONS, 200, None),
        ("POST", f"/device/v1/devices/{LOCKER_1}/commands", 200, None),
        ("GET", "/whitelist/v1/whitelists/x/targets", 404, None),
    ]
    assert log[3]["query"] == "type=device"
    assert bikeep_sim.sim.requests.count("GET", "/location") == 2
    assert bikeep_sim.sim.requests.count(path="/device") == 1
    await ctl(api, "DELETE", "/requests")
    assert await ctl(api, "GET", "/requests") == []


async def test_rate_limit_is_off_by_default(api: Api) -> None:
    for _ in range(30):
        assert (await api.get(LOCATIONS)).status == 200


async def test_rate_limit_answers_429_with_retry_after(
    api: Api, bikeep_sim: RunningSimulator
) -> None:
    settings = (await api.trigger("set_rate_limit", requests=3, per_seconds=10)).body
    assert settings["rate_limit"] == {"requests": 3, "per_seconds": 10.0}
    for _ in range(3):
        assert (await api.get(LOCATIONS)).status == 200
    reply = await api.get(LOCATIONS)
    assert reply.status == 429
    assert reply.body["error"] == "rate_limited"
    assert 1 <= int(reply.headers["Retry-After"]) <= 10
    public = await api.get(
        "/location/v1/public-areas/x/locations", auth=False
    )  # unauthenticated routes count too
    assert public.status == 429
    bikeep_sim.sim.clock.advance(10)
    assert (await api.get(LOCATIONS)).status == 200
    await api.trigger("set_rate_limit")
    for _ in range(5):
        assert (await api.get(LOCATIONS)).status == 200


async def test_rate_limit_from_scenario_settings(
    bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    scenario = bikeep_sim.sim.default_scenario()
    scenario["settings"]["rate_limit"] = {"requests": 1, "per_seconds": 60}
    bikeep_sim.sim.load_scenario(scenario)
    token = await fetch_token(http_session, bikeep_sim.url)
    async with http_session.post(
        f"{bikeep_sim.url}/oauth2/token", data={"grant_type": "client_credentials"}
    ) as resp:
        assert resp.status == 429
        assert int(resp.headers["Retry-After"]) == 60
    assert token


async def test_fleet_generation(api: Api, bikeep_sim: RunningSimulator) -> None:
    result = await ctl(
        api, "POST", "/fleet", {"locations": 4, "devices_per_location": 5}
    )
    assert result["locations_added"] == 4
    assert result["devices_added"] == 4 * 6  # one GUARD each
    locations = (await api.get(LOCATIONS)).body["data"]
    assert len(locations) == 6
    fleet = [loc for loc in locations if loc["id"].startswith("fleet-")]
    assert {loc["type"] for loc in fleet} == {"BIKE_LOCKERS", "BIKE_DOCKS"}
    for location in fleet:
        assert location["devices"]["total"] == 5
        assert location["devices"]["online"] == 5
        assert location["connection"] == "online"
        devices = await api.get(f"/device/v1/locations/{location['id']}/devices")
        assert len(devices.body["data"]) == 6
    sim = bikeep_sim.sim
    assert isinstance(sim, BikeepSimulator)
    again = sim.generate_fleet({"locations": 2, "devices_per_location": 1})
    assert again["locations"] == 3 + 6
    with pytest.raises(ValueError):  # noqa: PT011
        sim.generate_fleet({"locations": -1})
    with pytest.raises(KeyError):
        sim.generate_fleet({"locations": 1, "operator_id": "nope"})


async def test_large_fleet_stays_fast(api: Api, bikeep_sim: RunningSimulator) -> None:
    sim = bikeep_sim.sim
    assert isinstance(sim, BikeepSimulator)
    sim.generate_fleet({"locations": 200, "devices_per_location": 20})
    started = time.monotonic()
    reply = await api.get(LOCATIONS)
    assert len(reply.body["data"]) == 202
    assert time.monotonic() - started < 2.0
    assert (await api.location(LOCKERS_LOCATION_ID))["devices"]["total"] == 6


@pytest.mark.parametrize(
    ("kind", "status", "json_ok"),
    [
        ("server_error", 500, True),
        ("timeout", 200, True),
        ("malformed", 200, False),
        ("unauthorized", 401, True),
        ("rate_limit", 429, True),
    ],
)
async def test_every_fault_kind_from_python(
    api: Api, bikeep_sim: RunningSimulator, kind: str, status: int, json_ok: bool
) -> None:
    bk(bikeep_sim).faults.add(kind, delay=0.05, path="/device/v1/devices/")
    assert (await api.get(LOCATIONS)).status == 200  # path does not match
    reply = await api.get(f"/device/v1/devices/{LOCKER_1}")
    assert reply.status == status
    assert (reply.body is not None) is json_ok
    assert bk(bikeep_sim).requests.entries[-1].fault == kind
    assert (await api.get(f"/device/v1/devices/{LOCKER_1}")).status == 200
