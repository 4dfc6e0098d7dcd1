"""Parsing the guide's example payloads and tolerating what the guide leaves open."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.smart_access.api.auth import parse_token_answer
from custom_components.smart_access.api.bikeep import (
    Command,
    CommandName,
    CommandStateValue,
    Device,
    DeviceStateValue,
    DeviceType,
    EntityStatus,
    HeartbeatHealth,
    Location,
    LocationType,
    RfidEntity,
    TargetType,
    Whitelist,
    WhitelistTarget,
    gateways,
    lockables,
)
from custom_components.smart_access.api.bikeep.parsing import data_list, data_object
from custom_components.smart_access.api.errors import MalformedResponseError

from .helpers import load_fixture


def test_guide_locations() -> None:
    body = load_fixture("locations.json")
    locations = [Location.from_json(item) for item in data_list(body, "locations")]
    lockers, docks = locations
    assert lockers.id == "a1b2c3d4-e5f6-7890-abcd-ef1234567890"
    assert lockers.type is LocationType.BIKE_LOCKERS
    assert lockers.label == "#1234"
    assert lockers.name == "#1234 Office Building A"
    assert lockers.status == "LAUNCHED"
    assert lockers.is_online is True
    assert lockers.address == "123 Main Street"
    assert (
        lockers.devices.total,
        lockers.devices.available,
        lockers.devices.online,
    ) == (
        10,
        7,
        10,
    )
    assert docks.type is LocationType.BIKE_DOCKS
    assert docks.devices.available == 15
    assert docks.display_name == "#5678 Train Station B"


def test_guide_devices() -> None:
    body = load_fixture("devices.json")
    devices = [Device.from_json(item) for item in data_list(body, "devices")]
    guard, first, second = devices
    assert guard.is_gateway
    assert not guard.is_lockable
    assert gateways(devices) == [guard]
    assert lockables(devices) == [first, second]
    assert first.type is DeviceType.LOCKER
    assert first.alias == "1"
    assert first.code == "123456"
    assert first.state is not None
    assert first.state.value is DeviceStateValue.UNLOCKED
    assert first.state.changed_at == datetime(2025, 12, 15, 10, 30, tzinfo=UTC)
    assert first.state.timeout_at is None
    assert first.hardware_state == "NORMAL"
    # Only the deprecated field is in the guide's example: it is used as fallback.
    assert first.heartbeat_v2 is None
    assert first.health is HeartbeatHealth.HEALTHY
    assert first.is_online is True
    assert first.is_available is True
    assert second.state_value is DeviceStateValue.LOCKED
    assert second.is_available is False


def test_guide_commands() -> None:
    book = Command.from_json(load_fixture("command_book.json"))
    assert book.name is CommandName.BOOK
    assert book.id == "{command_id}"
    assert book.device_id == "{device_id}"
    assert book.state.value is CommandStateValue.SENT
    assert book.state.timeout_at == datetime(2026, 2, 26, 10, 0, 3, tzinfo=UTC)
    assert [e.name for e in book.events] == ["REQUEST_INITIATED"]
    assert not book.is_terminal
    assert book.phase == "SENT"

    lock = Command.from_json(load_fixture("command_lock.json"))
    assert lock.name is CommandName.LOCK
    assert lock.state.value is CommandStateValue.SENT
    assert lock.state.timeout_at == datetime(2026, 2, 26, 10, 30, 3, tzinfo=UTC)
    assert [e.name for e in lock.events] == ["REQUEST_INITIATED"]
    assert not lock.is_terminal

    done = Command.from_json(load_fixture("command_lock_success.json"))
    assert done.name is CommandName.LOCK
    assert done.succeeded
    assert done.is_terminal
    assert not done.failed
    assert done.state.timeout_at is None
    assert [e.name for e in done.events] == [
        "REQUEST_INITIATED",
        "REQUEST_SENT",
        "RESPONSE_DEVICE_LOCKED",
    ]
    assert done.events[1].timestamp == datetime(
        2026, 2, 26, 10, 30, 0, 500000, tzinfo=UTC
    )
    assert done.last_event == done.events[-1]
    assert done.uri == "/device/v1/commands/{command_id}"


def test_guide_token_response() -> None:
    answer = parse_token_answer(
        load_fixture("token_response.json"), lambda: 1000.0, default_expires_in=60
    )
    assert answer["access_token"] == "eyJhbGciOiJSUzI1NiIs..."
    assert answer["expires_at"] == 1000.0 + 3600


def test_guide_whitelist_payload_items_parse() -> None:
    items = load_fixture("whitelist_add.json")["entities"]
    john, jane = (RfidEntity.from_json(item) for item in items)
    assert john.id == "04a2b3c4d5e6f7"
    assert john.status is EntityStatus.ACTIVE
    assert john.expires_at is None
    assert jane.expires_at == datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC)
    assert jane.comment == "Contractor badge - Jane (temp)"
    assert jane.to_json(jane.id) == items[1]
    assert john.to_json(john.id) == items[0]


def test_unknown_values_are_kept_and_unknown_fields_ignored() -> None:
    location = Location.from_json(
        {"id": 7, "type": "SCOOTERS", "label": 1234, "extra": {"x": 1}}
    )
    assert location.id == "7"
    assert location.label == "1234"
    assert location.type == "SCOOTERS"
    assert location.is_online is None
    assert location.devices.total is None
    assert location.display_name == "1234"
    device = Device.from_json(
        {
            "id": "d",
            "type": "KIOSK",
            "state": {"value": "MAINTENANCE"},
            "heartbeat_v2": {"health": "ZOMBIE"},
            "new_field": True,
        }
    )
    assert device.type == "KIOSK"
    assert not device.is_gateway
    assert not device.is_lockable
    assert device.state_value == "MAINTENANCE"
    assert device.health == "ZOMBIE"
    assert device.is_online is None
    assert device.display_name == "d"
    command = Command.from_json(
        {"id": "c", "name": "teleport", "device": "d", "state": {"value": "QUEUED"}}
    )
    assert command.name == "teleport"
    assert command.device_id == "d"
    assert command.events == ()
    assert command.state.value == "QUEUED"
    target = WhitelistTarget.from_json({"id": "t", "type": "Device"})
    assert target.type is TargetType.DEVICE
    assert WhitelistTarget.from_json({"id": "t", "type": "zone"}).type == "zone"
    assert WhitelistTarget.from_json({"id": "t"}).type is None
    entity = RfidEntity.from_json({"id": "0a0b", "status": "SUSPENDED"})
    assert entity.status == "SUSPENDED"
    whitelist = Whitelist.from_json({"id": "w", "label": "L", "location": {"id": "l"}})
    assert (whitelist.name, whitelist.location_id) == ("L", "l")
    assert whitelist.entities_count is None


@pytest.mark.parametrize(
    ("health", "online"),
    [
        ("HEALTHY", True),
        ("UNHEALTHY", True),
        ("DEAD", False),
        ("LONG_DEAD", False),
    ],
)
def test_heartbeat_v2_health(health: str, online: bool) -> None:
    device = Device.from_json(
        {
            "id": "d",
            "type": "LOCKER",
            "heartbeat_v2": {"health": health, "dead_since": "2026-01-01T00:00:00"},
            "heartbeat_health": "HEALTHY",
        }
    )
    assert device.health == health
    assert device.is_online is online
    assert device.heartbeat_v2 is not None
    # A timestamp without offset is read as UTC.
    assert device.heartbeat_v2.dead_since == datetime(2026, 1, 1, tzinfo=UTC)


def test_deprecated_heartbeat_object_is_a_fallback() -> None:
    device = Device.from_json(
        {"id": "d", "type": "GUARD", "heartbeat": {"health": "DEAD"}}
    )
    assert device.health is HeartbeatHealth.DEAD
    assert device.is_online is False
    nothing = Device.from_json({"id": "d", "heartbeat": "weird"})
    assert nothing.health is None
    assert nothing.is_online is None
    assert nothing.state is None
    assert nothing.state_value is None


def test_counts_tolerate_odd_numbers() -> None:
    location = Location.from_json(
        {"id": "l", "devices": {"total": "4", "available": 2.0, "online": True}}
    )
    assert location.devices.total == 4
    assert location.devices.available == 2
    assert location.devices.online is None
    other = Location.from_json({"id": "l", "devices": {"total": "many", "online": []}})
    assert other.devices.total is None
    assert other.devices.online is None


@pytest.mark.parametrize(
    ("factory", "payload"),
    [
        (Location.from_json, []),
        (Location.from_json, {"name": "no id"}),
        (Location.from_json, {"id": ""}),
        (Location.from_json, {"id": True}),
        (Device.from_json, {"id": "d", "state": "LOCKED"}),
        (
            Device.from_json,
            {"id": "d", "state": {"changed_at": "2025-01-01T00:00:00Z"}},
        ),
        (Device.from_json, {"id": "d", "state": {"value": "LOCKED", "changed_at": 5}}),
        (Device.from_json, {"id": "d", "state": {"value": "X", "changed_at": "soon"}}),
        (Command.from_json, {"id": "c", "name": "lock"}),
        (Command.from_json, {"id": "c", "state": {"value": "SENT"}, "events": {}}),
        (Command.from_json, {"id": "c", "state": {"value": "SENT"}, "events": [1]}),
        (Command.from_json, {"id": "c", "state": {"value": "SENT"}, "events": [{}]}),
        (RfidEntity.from_json, {"status": "ACTIVE"}),
        (WhitelistTarget.from_json, "device"),
        (Whitelist.from_json, None),
    ],
)
def test_malformed_objects_raise_typed_error(factory: Any, payload: Any) -> None:
    with pytest.raises(MalformedResponseError):
        factory(payload)


def test_envelopes() -> None:
    assert data_list([1], "x") == [1]
    assert data_object({"data": {"id": "a"}}, "x") == {"id": "a"}
    assert data_object({"id": "a"}, "x") == {"id": "a"}
    with pytest.raises(MalformedResponseError):
        data_list({"data": {}}, "x")
    with pytest.raises(MalformedResponseError):
        data_list("text", "x")
    with pytest.raises(MalformedResponseError):
        data_object(None, "x")
