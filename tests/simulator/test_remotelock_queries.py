"""RemoteLock simulator: filters, sorting, pagination boundaries and the 10,000 cap."""

from __future__ import annotations

import aiohttp
import pytest

from simulator.remotelock import scenario as sc
from simulator.server import RunningSimulator

from .remotelock_helpers import assert_collection, assert_general_error, make_api


async def test_type_filters(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    locks = assert_collection((await api.get("/devices", params={"type": "lock"})).body)
    assert {d["type"] for d in locks} == {"lock"}
    assert len(locks) == 3
    mixed = assert_collection(
        (await api.get("/devices?type[]=power_plug&type[]=thermostat")).body
    )
    assert {d["type"] for d in mixed} == {"power_plug", "thermostat"}
    aliases = assert_collection(
        (await api.get("/devices?type[]=PowerPlug&type[]=ACS::Door")).body
    )
    assert {d["type"] for d in aliases} == {"power_plug", "acs_door"}


async def test_id_and_attribute_filters(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    two = assert_collection(
        (
            await api.get(f"/devices?id[]={sc.FRONT_DOOR_ID}&id[]={sc.POWER_PLUG_ID}")
        ).body
    )
    assert {d["id"] for d in two} == {sc.FRONT_DOOR_ID, sc.POWER_PLUG_ID}
    amsterdam = assert_collection(
        (
            await api.get(
                "/devices", params={"attributes[location_id]": sc.AMSTERDAM_ID}
            )
        ).body
    )
    assert {d["id"] for d in amsterdam} == {
        sc.CANAL_DOOR_ID,
        sc.CANAL_THERMOSTAT_ID,
        sc.RESORT_LOCK_ID,
    }
    both = assert_collection(
        (
            await api.get(
                f"/devices?attributes[location_id]={sc.AMSTERDAM_ID}&type=lock"
            )
        ).body
    )
    assert [d["id"] for d in both] == [sc.CANAL_DOOR_ID]


async def test_sorting(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    names = [
        d["attributes"]["name"]
        for d in assert_collection(
            (await api.get("/devices", params={"sort": "name"})).body
        )
    ]
    assert names == sorted(names, key=str.lower)
    desc = [
        d["attributes"]["name"]
        for d in assert_collection(
            (await api.get("/devices", params={"sort": "-name"})).body
        )
    ]
    assert desc == list(reversed(names))
    await api.put(f"/devices/{sc.POWER_PLUG_ID}", {"attributes": {"name": "Zebra"}})
    remotelock_sim.sim.devices[sc.POWER_PLUG_ID]["attributes"]["created_at"] = (
        "2000-01-01T00:00:00Z"
    )
    multi = assert_collection(
        (await api.get("/devices?sort[]=created_at&sort[]=-name")).body
    )
    assert multi[0]["id"] == sc.POWER_PLUG_ID
    rest = [d["attributes"]["name"] for d in multi[1:]]
    assert rest == sorted(rest, key=str.lower, reverse=True)
    assert_general_error(
        await api.get("/devices", params={"sort": "serial_number"}), 400
    )
    # Default for locations is name ascending.
    locations = [
        loc["attributes"]["name"]
        for loc in assert_collection((await api.get("/locations")).body)
    ]
    assert locations == sorted(locations)


async def test_pagination_defaults_and_pages(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    remotelock_sim.sim.generate_fleet({"locks": 120})
    api = await make_api(http_session, remotelock_sim)
    body = (await api.get("/devices")).body
    assert body["meta"] == {
        "page": 1,
        "per_page": 25,
        "total_pages": 6,
        "total_count": 128,
    }
    assert len(body["data"]) == 25
    pages = []
    for page in (1, 2, 3):
        reply = await api.get("/devices", params={"per_page": 50, "page": page})
        pages.extend(d["id"] for d in reply.body["data"])
        assert reply.body["meta"]["page"] == page
    assert len(pages) == 128
    assert len(set(pages)) == 128
    assert list(remotelock_sim.sim.devices) == pages  # created_at, then insertion order


@pytest.mark.parametrize(
    ("params", "page", "per_page", "count"),
    [
        ({"per_page": 0}, 1, 1, 1),
        ({"per_page": 51}, 1, 50, 8),
        ({"per_page": -3}, 1, 1, 1),
        ({"page": 0}, 1, 25, 8),
        ({"page": 99}, 1, 25, 8),
        ({"page": 3, "per_page": 3}, 3, 3, 2),
        ({"page": 4, "per_page": 3}, 3, 3, 2),
    ],
)
async def test_pagination_clamps_out_of_range(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    params: dict[str, int],
    page: int,
    per_page: int,
    count: int,
) -> None:
    api = await make_api(http_session, remotelock_sim)
    body = (await api.get("/devices", params=params)).body
    assert (body["meta"]["page"], body["meta"]["per_page"], len(body["data"])) == (
        page,
        per_page,
        count,
    )
    assert body["meta"]["total_count"] == 8


async def test_pagination_cap_and_bad_values(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    assert (
        await api.get("/devices", params={"page": 200, "per_page": 50})
    ).status == 200
    reply = await api.get("/devices", params={"page": 201, "per_page": 50})
    assert_general_error(reply, 400)
    assert reply.body["type"] == "pagination_limit_exceeded"
    assert_general_error(await api.get("/devices", params={"page": 10001}), 400)
    assert (
        await api.get("/devices", params={"page": 10000, "per_page": 1})
    ).status == 200
    assert_general_error(await api.get("/devices", params={"page": "two"}), 400)


async def test_empty_collection(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    body = (await api.get("/notifications")).body
    assert body == {
        "data": [],
        "meta": {"page": 1, "per_page": 25, "total_pages": 0, "total_count": 0},
    }


async def test_v1_prefix_is_the_same_api(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    plain = (await api.get("/devices")).body
    prefixed = (await api.get("/v1/devices")).body
    assert plain == prefixed
    reply = await api.put(f"/v1/devices/{sc.FRONT_DOOR_ID}/unlock")
    assert reply.body["data"]["attributes"]["state"] == "unlocked"
