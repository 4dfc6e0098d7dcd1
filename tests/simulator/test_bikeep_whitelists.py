"""Bikeep simulator: whitelists, RFID entities (ADD / REMOVE / upsert) and targets."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from simulator.bikeep.scenario import (
    DOCKS_LOCATION_ID,
    LOCKER_1,
    LOCKER_2,
    LOCKERS_LOCATION_ID,
    RFID_JANE,
    RFID_JOHN,
    WHITELIST_COMMUTERS,
    WHITELIST_CONTRACTORS,
    WHITELIST_EMPLOYEES,
)
from simulator.server import RunningSimulator

from .bikeep_helpers import Api, make_api

ENTITIES = f"/whitelist/v1/whitelists/{WHITELIST_EMPLOYEES}/entities"

# The guide's ADD example, verbatim.
GUIDE_ADD = {
    "operation": "ADD",
    "entities": [
        {
            "id": "04a2b3c4d5e6f7",
            "id_type": "rfid",
            "status": "ACTIVE",
            "comment": "Employee badge - John",
        },
        {
            "id": "04b3c4d5e6f7a8",
            "id_type": "rfid",
            "status": "ACTIVE",
            "expires_at": "2026-06-30T23:59:59Z",
            "comment": "Contractor badge - Jane (temp)",
        },
    ],
}


@pytest.fixture
async def api(bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession) -> Api:
    return await make_api(http_session, bikeep_sim)


async def ids(api: Api, path: str = ENTITIES) -> list[str]:
    reply = await api.get(path)
    assert reply.status == 200
    return [entity["id"] for entity in reply.body["data"]]


async def test_location_whitelists(api: Api) -> None:
    reply = await api.get(f"/whitelist/v1/locations/{LOCKERS_LOCATION_ID}/whitelists")
    assert reply.status == 200
    assert reply.body["data"] == [
        {
            "id": WHITELIST_EMPLOYEES,
            "name": "Employees",
            "location_id": LOCKERS_LOCATION_ID,
            "entities_count": 1,
            "targets_count": 1,
        },
        {
            "id": WHITELIST_CONTRACTORS,
            "name": "Contractors",
            "location_id": LOCKERS_LOCATION_ID,
            "entities_count": 1,
            "targets_count": 3,
        },
    ]
    docks = await api.get(f"/whitelist/v1/locations/{DOCKS_LOCATION_ID}/whitelists")
    assert [w["id"] for w in docks.body["data"]] == [WHITELIST_COMMUTERS]
    assert (await api.get("/whitelist/v1/locations/nope/whitelists")).status == 404


async def test_list_entities(api: Api) -> None:
    reply = await api.get(f"/whitelist/v1/whitelists/{WHITELIST_CONTRACTORS}/entities")
    assert reply.status == 200
    (entity,) = reply.body["data"]
    assert entity["id"] == RFID_JANE
    assert entity["id_type"] == "rfid"
    assert entity["status"] == "ACTIVE"
    assert entity["expires_at"] == "2026-06-30T23:59:59.000Z"
    assert entity["comment"] == "Contractor badge - Jane (temp)"
    assert (await api.get("/whitelist/v1/whitelists/nope/entities")).status == 404


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            None,
            [
                ("device", LOCKER_1),
                ("device", LOCKER_2),
                ("location", LOCKERS_LOCATION_ID),
            ],
        ),
        ("device", [("device", LOCKER_1), ("device", LOCKER_2)]),
        ("location", [("location", LOCKERS_LOCATION_ID)]),
    ],
)
async def test_targets_with_type_filter(
    api: Api, kind: str | None, expected: list[tuple[str, str]]
) -> None:
    reply = await api.get(
        f"/whitelist/v1/whitelists/{WHITELIST_CONTRACTORS}/targets",
        params={"type": kind} if kind else None,
    )
    assert reply.status == 200
    assert [(t["type"], t["id"]) for t in reply.body["data"]] == expected


async def test_targets_reject_unknown_type(api: Api) -> None:
    reply = await api.get(
        f"/whitelist/v1/whitelists/{WHITELIST_CONTRACTORS}/targets",
        params={"type": "user"},
    )
    assert reply.status == 400


async def test_add_the_guide_example(api: Api) -> None:
    path = f"/whitelist/v1/whitelists/{WHITELIST_COMMUTERS}/entities"
    reply = await api.post(path, GUIDE_ADD)
    assert reply.status == 200
    assert [e["id"] for e in reply.body["data"]] == [RFID_JOHN, RFID_JANE]
    assert await ids(api, path) == [RFID_JOHN, RFID_JANE]
    listed = (await api.get(path)).body["data"]
    assert listed[0]["status"] == "ACTIVE"
    assert listed[0]["expires_at"] is None
    assert listed[1]["expires_at"] == "2026-06-30T23:59:59.000Z"


async def test_add_existing_id_is_an_upsert(api: Api) -> None:
    before = (await api.get(ENTITIES)).body["data"][0]
    reply = await api.post(
        ENTITIES,
        {
            "operation": "ADD",
            "entities": [
                {
                    "id": RFID_JOHN,
                    "id_type": "rfid",
                    "status": "INACTIVE",
                    "expires_at": "2027-01-01T00:00:00+00:00",
                }
            ],
        },
    )
    assert reply.status == 200
    (entity,) = (await api.get(ENTITIES)).body["data"]
    assert entity["status"] == "INACTIVE"
    assert entity["expires_at"] == "2027-01-01T00:00:00.000Z"
    assert entity["comment"] is None  # replaced, not merged
    assert entity["created_at"] == before["created_at"]


async def test_remove_the_guide_example(api: Api) -> None:
    reply = await api.post(
        ENTITIES,
        {"operation": "REMOVE", "entities": [{"id": RFID_JOHN, "id_type": "rfid"}]},
    )
    assert reply.status == 200
    assert reply.body["data"] == [{"id": RFID_JOHN, "id_type": "rfid"}]
    assert await ids(api) == []


@pytest.mark.parametrize(
    ("entity", "code"),
    [
        ({"id": "04A2B3C4", "id_type": "rfid"}, "INVALID_ID"),
        ({"id": "04:a2:b3:c4", "id_type": "rfid"}, "INVALID_ID"),
        ({"id": "04a2b", "id_type": "rfid"}, "INVALID_ID"),
        ({"id": "04a2b3c4d5e6f7a8b9c0d1", "id_type": "rfid"}, "INVALID_ID"),
        ({"id": "", "id_type": "rfid"}, "INVALID_ID"),
        ({"id_type": "rfid"}, "INVALID_ID"),
        ({"id": "04a2", "id_type": "nfc"}, "INVALID_ID_TYPE"),
        ({"id": "04a2", "status": "ENABLED"}, "INVALID_STATUS"),
        ({"id": "04a2", "expires_at": "soon"}, "INVALID_EXPIRES_AT"),
        ({"id": "04a2", "expires_at": "2026-01-01T00:00:00"}, "INVALID_EXPIRES_AT"),
        ({"id": "04a2", "comment": "x" * 256}, "INVALID_COMMENT"),
        ("04a2", "INVALID_ENTITY"),
    ],
)
async def test_add_validation(api: Api, entity: Any, code: str) -> None:
    reply = await api.post(ENTITIES, {"operation": "ADD", "entities": [entity]})
    assert reply.status == 400
    (result,) = reply.body["error_results"]
    assert result["error"] == code
    assert result["message"]
    assert result["index"] == 0
    assert await ids(api) == [RFID_JOHN]


async def test_twenty_hex_characters_is_the_maximum(api: Api) -> None:
    reply = await api.post(
        ENTITIES, {"operation": "ADD", "entities": [{"id": "0123456789abcdef0123"}]}
    )
    assert reply.status == 200
    assert reply.body["data"][0]["id_type"] == "rfid"


async def test_partial_failure_lists_only_failed_items_without_rollback(
    api: Api,
) -> None:
    reply = await api.post(
        ENTITIES,
        {
            "operation": "ADD",
            "entities": [
                {"id": "aa01", "id_type": "rfid"},
                {"id": "AA02", "id_type": "rfid"},
                {"id": "aa03", "id_type": "rfid", "comment": "ok"},
                {"id": "aa0", "id_type": "rfid"},
            ],
        },
    )
    assert reply.status == 400
    assert [(r["index"], r["id"]) for r in reply.body["error_results"]] == [
        (1, "AA02"),
        (3, "aa0"),
    ]
    assert await ids(api) == [RFID_JOHN, "aa01", "aa03"]

    reply = await api.post(
        ENTITIES,
        {
            "operation": "REMOVE",
            "entities": [
                {"id": "aa01", "id_type": "rfid"},
                {"id": "beef", "id_type": "rfid"},
                {"id": "aa03", "id_type": "rfid"},
            ],
        },
    )
    assert reply.status == 400
    (failed,) = reply.body["error_results"]
    assert failed["id"] == "beef"
    assert failed["error"] == "NOT_FOUND"
    assert await ids(api) == [RFID_JOHN]


@pytest.mark.parametrize(
    "body",
    [
        {"operation": "DELETE", "entities": [{"id": "aa01"}]},
        {"entities": [{"id": "aa01"}]},
        {"operation": "ADD", "entities": []},
        {"operation": "ADD", "entities": {"id": "aa01"}},
        {"operation": "ADD"},
        ["ADD"],
    ],
)
async def test_malformed_entity_requests(api: Api, body: Any) -> None:
    reply = await api.post(ENTITIES, body)
    assert reply.status == 400
    assert "error_results" not in reply.body
    assert await ids(api) == [RFID_JOHN]


async def test_entities_of_unknown_whitelist(api: Api) -> None:
    reply = await api.post(
        "/whitelist/v1/whitelists/nope/entities",
        {"operation": "ADD", "entities": [{"id": "aa01"}]},
    )
    assert reply.status == 404
    assert (await api.get("/whitelist/v1/whitelists/nope/targets")).status == 404
