"""RFID whitelists: listing, ADD (upsert), REMOVE, partial failures (Step 4)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.smart_access.api.bikeep import (
    BatchItemError,
    BikeepClient,
    EntityStatus,
    RfidEntity,
    RfidProblem,
    TargetType,
)
from custom_components.smart_access.api.errors import NotFoundError, ValidationError
from simulator.bikeep import BikeepSimulator, scenario as sc

from .helpers import load_fixture

ENTITIES = "/whitelist/v1/whitelists/"


def _cards(sim: BikeepSimulator, whitelist_id: str) -> dict[str, Any]:
    return dict(sim.state.whitelists[whitelist_id].entities)


async def test_list_whitelists(client: BikeepClient) -> None:
    whitelists = await client.async_list_whitelists(sc.LOCKERS_LOCATION_ID)
    by_id = {whitelist.id: whitelist for whitelist in whitelists}
    assert set(by_id) == {sc.WHITELIST_EMPLOYEES, sc.WHITELIST_CONTRACTORS}
    employees = by_id[sc.WHITELIST_EMPLOYEES]
    assert employees.name == "Employees"
    assert employees.location_id == sc.LOCKERS_LOCATION_ID
    assert employees.entities_count == 1
    assert by_id[sc.WHITELIST_CONTRACTORS].targets_count == 3
    with pytest.raises(NotFoundError):
        await client.async_list_whitelists(sc.SECOND_OPERATOR_LOCATION_ID)


async def test_list_entities(client: BikeepClient) -> None:
    (jane,) = await client.async_list_entities(sc.WHITELIST_CONTRACTORS)
    assert jane.id == sc.RFID_JANE
    assert jane.id_type == "rfid"
    assert jane.status is EntityStatus.ACTIVE
    assert jane.expires_at == datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC)
    assert jane.comment == "Contractor badge - Jane (temp)"
    assert jane.created_at is not None
    assert await client.async_list_entities(sc.WHITELIST_COMMUTERS) == []
    with pytest.raises(NotFoundError):
        await client.async_list_entities(sc.WHITELIST_OTHER)


async def test_list_targets_with_filter(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    targets = await client.async_list_targets(sc.WHITELIST_CONTRACTORS)
    assert [(t.type, t.id) for t in targets] == [
        (TargetType.DEVICE, sc.LOCKER_1),
        (TargetType.DEVICE, sc.LOCKER_2),
        (TargetType.LOCATION, sc.LOCKERS_LOCATION_ID),
    ]
    devices = await client.async_list_targets(
        sc.WHITELIST_CONTRACTORS, TargetType.DEVICE
    )
    assert {t.id for t in devices} == {sc.LOCKER_1, sc.LOCKER_2}
    assert sim.requests.entries[-1].query == "type=device"
    locations = await client.async_list_targets(sc.WHITELIST_CONTRACTORS, "location")
    assert [t.id for t in locations] == [sc.LOCKERS_LOCATION_ID]
    with pytest.raises(ValidationError):
        await client.async_list_targets(sc.WHITELIST_CONTRACTORS, "zone")


async def test_add_guide_example(client: BikeepClient, sim: BikeepSimulator) -> None:
    payload = load_fixture("whitelist_add.json")
    entities = [RfidEntity.from_json(item) for item in payload["entities"]]
    result = await client.async_add_entities(sc.WHITELIST_COMMUTERS, entities)
    assert result.ok
    assert result.succeeded == (sc.RFID_JOHN, sc.RFID_JANE)
    assert result.failed == ()
    assert result.normalised == {sc.RFID_JOHN: sc.RFID_JOHN, sc.RFID_JANE: sc.RFID_JANE}
    assert result.changed_inputs == {}
    listed = {e.id: e for e in await client.async_list_entities(sc.WHITELIST_COMMUTERS)}
    assert listed[sc.RFID_JANE].expires_at == entities[1].expires_at
    assert listed[sc.RFID_JOHN].comment == "Employee badge - John"


async def test_add_is_an_upsert(client: BikeepClient, sim: BikeepSimulator) -> None:
    result = await client.async_add_entities(
        sc.WHITELIST_EMPLOYEES,
        [RfidEntity(sc.RFID_JOHN, status=EntityStatus.INACTIVE, comment="Lost badge")],
    )
    assert result.succeeded == (sc.RFID_JOHN,)
    (john,) = await client.async_list_entities(sc.WHITELIST_EMPLOYEES)
    assert john.status is EntityStatus.INACTIVE
    assert john.comment == "Lost badge"


async def test_add_normalises_and_reports(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    result = await client.async_add_entities(
        sc.WHITELIST_COMMUTERS,
        [RfidEntity("04:A2:B3:C4"), RfidEntity("0a-0b")],
    )
    assert result.ok
    assert result.succeeded == ("04a2b3c4", "0a0b")
    assert result.changed_inputs == {"04:A2:B3:C4": "04a2b3c4", "0a-0b": "0a0b"}
    assert set(_cards(sim, sc.WHITELIST_COMMUTERS)) == {"04a2b3c4", "0a0b"}


async def test_mixed_valid_and_invalid_ids(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    result = await client.async_add_entities(
        sc.WHITELIST_COMMUTERS,
        [
            RfidEntity("0a0b0c"),
            RfidEntity("0a0b0"),
            RfidEntity("04g2"),
            RfidEntity(""),
            RfidEntity("ab" * 11),
        ],
    )
    assert result.succeeded == ("0a0b0c",)
    assert not result.ok
    problems = [(f.id, f.problem) for f in result.failed]
    assert problems == [
        ("0a0b0", RfidProblem.ODD_LENGTH),
        ("04g2", RfidProblem.NON_HEX),
        ("", RfidProblem.EMPTY),
        ("ab" * 11, RfidProblem.TOO_LONG),
    ]
    assert all(f.rejected_locally for f in result.failed)
    assert result.failed[1].reason == "non-hex character 'g' at position 3"
    # Nothing invalid was sent: only the valid card reached the service.
    assert set(_cards(sim, sc.WHITELIST_COMMUTERS)) == {"0a0b0c"}


async def test_nothing_valid_sends_nothing(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    result = await client.async_add_entities(
        sc.WHITELIST_COMMUTERS, [RfidEntity("zz"), RfidEntity("abc")]
    )
    assert result.succeeded == ()
    assert [f.problem for f in result.failed] == [
        RfidProblem.NON_HEX,
        RfidProblem.ODD_LENGTH,
    ]
    assert sim.requests.count("POST", ENTITIES) == 0
    empty = await client.async_remove_entities(sc.WHITELIST_COMMUTERS, [])
    assert empty.ok
    assert empty.succeeded == ()
    assert sim.requests.count("POST", ENTITIES) == 0


async def test_duplicates_are_sent_once(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    result = await client.async_add_entities(
        sc.WHITELIST_COMMUTERS,
        [RfidEntity("0A0B", comment="first"), RfidEntity("0a0b", comment="second")],
    )
    assert result.succeeded == ("0a0b",)
    assert result.normalised == {"0A0B": "0a0b", "0a0b": "0a0b"}
    (card,) = await client.async_list_entities(sc.WHITELIST_COMMUTERS)
    assert card.comment == "second"  # the last one wins, as an upsert would


async def test_remove_guide_example(client: BikeepClient, sim: BikeepSimulator) -> None:
    payload = load_fixture("whitelist_remove.json")
    ids = [item["id"] for item in payload["entities"]]
    result = await client.async_remove_entities(sc.WHITELIST_EMPLOYEES, ids)
    assert result.ok
    assert result.succeeded == (sc.RFID_JOHN,)
    assert await client.async_list_entities(sc.WHITELIST_EMPLOYEES) == []


async def test_remove_unknown_id_is_a_partial_failure(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    result = await client.async_remove_entities(
        sc.WHITELIST_CONTRACTORS, ["0badbeef", sc.RFID_JANE.upper(), "xyz"]
    )
    # Jane was removed (never rolled back); the unknown card failed at the service,
    # the malformed one never left the client.
    assert result.succeeded == (sc.RFID_JANE,)
    assert result.failed == (
        BatchItemError(
            "xyz", "non-hex character 'x' at position 1", problem=RfidProblem.NON_HEX
        ),
        BatchItemError("0badbeef", "entity is not in this whitelist", code="NOT_FOUND"),
    )
    assert not result.failed[1].rejected_locally
    assert _cards(sim, sc.WHITELIST_CONTRACTORS) == {}


async def test_service_side_item_failure_on_add(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    result = await client.async_add_entities(
        sc.WHITELIST_COMMUTERS,
        [RfidEntity("0a0b"), RfidEntity("0c0d", status="BLOCKED"), RfidEntity("0e0f")],
    )
    assert result.succeeded == ("0a0b", "0e0f")
    (failure,) = result.failed
    assert failure.id == "0c0d"
    assert failure.code == "INVALID_STATUS"
    assert "status must be one of" in failure.reason
    assert set(_cards(sim, sc.WHITELIST_COMMUTERS)) == {"0a0b", "0e0f"}


async def test_expiry_and_comment_reach_the_service(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    expires = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
    await client.async_add_entities(
        sc.WHITELIST_COMMUTERS,
        [RfidEntity("0A:0B", expires_at=expires, comment="Visitor")],
    )
    stored = sim.state.whitelists[sc.WHITELIST_COMMUTERS].entities["0a0b"]
    assert stored.expires_at == expires
    assert stored.comment == "Visitor"
    assert stored.status == "ACTIVE"
    assert stored.id_type == "rfid"


async def test_batch_400_without_error_results_is_validation_error(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    sim.faults.add("server_error", status=400, path=ENTITIES, method="POST")
    with pytest.raises(ValidationError, match="simulated server error"):
        await client.async_add_entities(sc.WHITELIST_COMMUTERS, [RfidEntity("0a0b")])


async def test_batch_on_unknown_whitelist(client: BikeepClient) -> None:
    with pytest.raises(NotFoundError):
        await client.async_add_entities("no-such-whitelist", [RfidEntity("0a0b")])
    with pytest.raises(NotFoundError):
        await client.async_remove_entities(sc.WHITELIST_OTHER, ["0badc0de"])
