"""Bikeep simulator: the asynchronous command and device state machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from simulator.bikeep.scenario import (
    DOCK_1,
    GUARD_C1,
    LOCKER_1,
    LOCKER_2,
    LOCKER_3,
    LOCKER_4,
    LOCKER_5,
)
from simulator.server import RunningSimulator

from .bikeep_helpers import Api, bk, event_names, freeze, make_api, ts


@pytest.fixture
async def api(bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession) -> Api:
    freeze(bikeep_sim)  # time moves only by clock.advance: exact boundaries
    return await make_api(http_session, bikeep_sim)


@pytest.fixture
def advance(bikeep_sim: RunningSimulator) -> Any:
    return bikeep_sim.sim.clock.advance


def initiated(command: dict[str, Any]) -> datetime:
    return ts(command["events"][0]["timestamp"])


async def test_lock_cycle_matches_the_guide(api: Api, advance: Any) -> None:
    command = await api.command(LOCKER_1, "lock")
    assert set(command) == {"uri", "id", "name", "device", "state", "events"}
    assert command["uri"] == f"/device/v1/commands/{command['id']}"
    assert command["name"] == "lock"
    assert command["device"] == {
        "id": LOCKER_1,
        "uri": f"/device/v1/devices/{LOCKER_1}",
    }
    assert command["state"]["value"] == "SENT"
    start = initiated(command)
    assert ts(command["state"]["timeout_at"]) == start + timedelta(seconds=3)
    assert event_names(command) == ["REQUEST_INITIATED"]
    device = await api.device(LOCKER_1)
    assert device["state"]["value"] == "ALLOCATED"
    assert device["state"]["timeout_at"] == command["state"]["timeout_at"]

    advance(1.0)
    command = await api.poll(command)
    assert command["state"]["value"] == "SENT"
    assert event_names(command) == ["REQUEST_INITIATED", "REQUEST_SENT"]
    sent = ts(command["events"][1]["timestamp"])
    assert sent == start + timedelta(seconds=1)
    device = await api.device(LOCKER_1)
    assert device["state"]["value"] == "LOCKING"
    assert ts(device["state"]["timeout_at"]) == sent + timedelta(seconds=30)
    assert command["state"]["timeout_at"] == device["state"]["timeout_at"]

    advance(1.0)
    command = await api.poll(command)
    assert command["state"] == {"value": "SUCCESS", "timeout_at": None}
    assert event_names(command) == [
        "REQUEST_INITIATED",
        "REQUEST_SENT",
        "RESPONSE_DEVICE_LOCKED",
    ]
    device = await api.device(LOCKER_1)
    assert device["state"]["value"] == "LOCKED"
    assert device["state"]["timeout_at"] is None
    assert ts(device["state"]["changed_at"]) == start + timedelta(seconds=2)


async def test_bike_dock_uses_the_same_commands(api: Api, advance: Any) -> None:
    command = await api.command(DOCK_1, "lock")
    advance(2.0)
    assert (await api.poll(command))["state"]["value"] == "SUCCESS"
    assert (await api.device(DOCK_1))["state"]["value"] == "LOCKED"


async def test_unlock_cycle(api: Api, advance: Any) -> None:
    command = await api.command(LOCKER_2, "unlock")
    assert command["state"]["value"] == "SENT"
    assert (await api.device(LOCKER_2))["state"]["value"] == "LOCKED"
    advance(1.0)
    device = await api.device(LOCKER_2)
    assert device["state"]["value"] == "UNLOCKING"
    sent = ts((await api.poll(command))["events"][1]["timestamp"])
    assert ts(device["state"]["timeout_at"]) == sent + timedelta(seconds=10)
    advance(0.5)
    command = await api.poll(command)
    assert command["state"] == {"value": "SUCCESS", "timeout_at": None}
    assert event_names(command)[-1] == "RESPONSE_DEVICE_UNLOCKED"
    device = await api.device(LOCKER_2)
    assert device["state"] == {
        "value": "UNLOCKED",
        "changed_at": device["state"]["changed_at"],
        "timeout_at": None,
    }


async def test_book_defaults_to_one_hour_then_expires(api: Api, advance: Any) -> None:
    command = await api.command(LOCKER_1, "book")
    advance(1.0)
    command = await api.poll(command)
    assert command["state"] == {"value": "SUCCESS", "timeout_at": None}
    assert event_names(command)[-1] == "RESPONSE_DEVICE_BOOKED"
    device = await api.device(LOCKER_1)
    assert device["state"]["value"] == "BOOKED"
    assert ts(device["state"]["timeout_at"]) == initiated(command) + timedelta(hours=1)
    advance(3590)
    await api.renew()
    assert (await api.device(LOCKER_1))["state"]["value"] == "BOOKED"
    advance(15)
    device = await api.device(LOCKER_1)
    assert device["state"]["value"] == "UNLOCKED"
    assert device["state"]["timeout_at"] is None


async def test_book_with_explicit_timeout(api: Api, advance: Any) -> None:
    until = datetime.now(UTC) + timedelta(minutes=10)
    text = until.strftime("%Y-%m-%dT%H:%M:%SZ")
    command = await api.command(LOCKER_1, "book", timeout_at=text)
    advance(1.0)
    assert (await api.poll(command))["state"]["value"] == "SUCCESS"
    device = await api.device(LOCKER_1)
    assert ts(device["state"]["timeout_at"]) == ts(text)
    advance(600)
    assert (await api.device(LOCKER_1))["state"]["value"] == "UNLOCKED"


@pytest.mark.parametrize(
    "timeout_at", ["2020-01-01T00:00:00Z", "tomorrow", 12345, "2030-01-01T00:00:00"]
)
async def test_book_rejects_bad_timeout(
    api: Api, bikeep_sim: RunningSimulator, timeout_at: object
) -> None:
    reply = await api.post(
        f"/device/v1/devices/{LOCKER_1}/commands",
        {"command": "book", "timeout_at": timeout_at},
    )
    assert reply.status == 400
    assert reply.body["error"] == "validation_error"
    assert bk(bikeep_sim).state.commands == {}


async def test_cancel_booking(api: Api, advance: Any) -> None:
    command = await api.command(LOCKER_3, "cancel-booking")
    assert (await api.device(LOCKER_3))["state"]["value"] == "BOOKED"
    advance(1.0)
    command = await api.poll(command)
    assert command["state"]["value"] == "SUCCESS"
    assert event_names(command)[-1] == "RESPONSE_DEVICE_BOOKING_CANCELLED"
    assert (await api.device(LOCKER_3))["state"]["value"] == "UNLOCKED"


async def test_lock_a_booked_device(api: Api, advance: Any) -> None:
    await api.command(LOCKER_3, "lock")
    assert (await api.device(LOCKER_3))["state"]["value"] == "ALLOCATED"
    advance(2.0)
    assert (await api.device(LOCKER_3))["state"]["value"] == "LOCKED"


@pytest.mark.parametrize(
    ("device_id", "name", "state"),
    [
        (LOCKER_2, "lock", "LOCKED"),
        (LOCKER_3, "book", "BOOKED"),
        (LOCKER_2, "book", "LOCKED"),
        (LOCKER_1, "unlock", "UNLOCKED"),
        (LOCKER_3, "unlock", "BOOKED"),
        (LOCKER_1, "cancel-booking", "UNLOCKED"),
        (LOCKER_2, "cancel-booking", "LOCKED"),
    ],
)
async def test_invalid_transitions_end_in_error(
    api: Api, advance: Any, device_id: str, name: str, state: str
) -> None:
    command = await api.command(device_id, name)
    assert command["state"] == {"value": "ERROR", "timeout_at": None}
    assert event_names(command) == ["REQUEST_INITIATED", "REQUEST_REJECTED"]
    assert state in command["events"][1]["message"]
    advance(5)
    assert (await api.poll(command))["state"]["value"] == "ERROR"
    assert (await api.device(device_id))["state"]["value"] == state


async def test_a_busy_device_rejects_another_command(api: Api, advance: Any) -> None:
    first = await api.command(LOCKER_2, "unlock")
    second = await api.command(LOCKER_2, "unlock")
    assert second["state"]["value"] == "ERROR"
    assert "busy" in second["events"][-1]["message"]
    advance(2)
    assert (await api.poll(first))["state"]["value"] == "SUCCESS"


@pytest.mark.parametrize(
    ("device_id", "name", "before", "after", "event"),
    [
        (LOCKER_1, "force-lock", "UNLOCKED", "LOCKED", "RESPONSE_DEVICE_LOCKED"),
        (LOCKER_3, "force-lock", "BOOKED", "LOCKED", "RESPONSE_DEVICE_LOCKED"),
        (LOCKER_2, "force-unlock", "LOCKED", "UNLOCKED", "RESPONSE_DEVICE_UNLOCKED"),
        (LOCKER_1, "force-unlock", "UNLOCKED", "UNLOCKED", "RESPONSE_DEVICE_UNLOCKED"),
        (
            LOCKER_3,
            "force-cancel-booking",
            "BOOKED",
            "UNLOCKED",
            "RESPONSE_DEVICE_BOOKING_CANCELLED",
        ),
        (
            LOCKER_2,
            "force-cancel-booking",
            "LOCKED",
            "LOCKED",
            "RESPONSE_DEVICE_BOOKING_CANCELLED",
        ),
    ],
)
async def test_force_commands_bypass_state_checks(
    api: Api,
    advance: Any,
    device_id: str,
    name: str,
    before: str,
    after: str,
    event: str,
) -> None:
    assert (await api.device(device_id))["state"]["value"] == before
    command = await api.command(device_id, name)
    assert command["state"]["value"] == "SENT"
    advance(1.0)
    command = await api.poll(command)
    assert command["state"] == {"value": "SUCCESS", "timeout_at": None}
    assert event_names(command) == ["REQUEST_INITIATED", "REQUEST_SENT", event]
    assert (await api.device(device_id))["state"]["value"] == after


async def test_force_command_supersedes_a_command_in_progress(
    api: Api, advance: Any
) -> None:
    lock = await api.command(LOCKER_1, "lock")
    force = await api.command(LOCKER_1, "force-unlock")
    lock = await api.poll(lock)
    assert lock["state"]["value"] == "ERROR"
    assert event_names(lock)[-1] == "REQUEST_SUPERSEDED"
    assert (await api.device(LOCKER_1))["state"]["value"] == "UNLOCKED"
    advance(1.0)
    assert (await api.poll(force))["state"]["value"] == "SUCCESS"


async def test_locking_window_expiry_returns_to_unlocked(
    api: Api, advance: Any
) -> None:
    await api.trigger("set_timing", secure_delay=None)
    command = await api.command(LOCKER_1, "lock")
    advance(1.0)
    assert (await api.device(LOCKER_1))["state"]["value"] == "LOCKING"
    advance(29.5)
    assert (await api.poll(command))["state"]["value"] == "SENT"
    advance(1.0)
    command = await api.poll(command)
    assert command["state"] == {"value": "ERROR", "timeout_at": None}
    assert event_names(command)[-1] == "LOCKING_TIMEOUT"
    assert command["events"][-1]["message"]
    assert (await api.device(LOCKER_1))["state"]["value"] == "UNLOCKED"


async def test_locking_window_expiry_returns_to_booked(api: Api, advance: Any) -> None:
    before = await api.device(LOCKER_3)
    await api.trigger("set_timing", secure_delay=None, locking_window=10)
    command = await api.command(LOCKER_3, "lock")
    advance(11.5)
    assert (await api.poll(command))["state"]["value"] == "ERROR"
    device = await api.device(LOCKER_3)
    assert device["state"]["value"] == "BOOKED"
    assert device["state"]["timeout_at"] == before["state"]["timeout_at"]


async def test_secure_item_trigger_confirms_locking(
    api: Api, bikeep_sim: RunningSimulator, advance: Any
) -> None:
    await api.trigger("set_timing", secure_delay=None)
    command = await api.command(LOCKER_1, "lock")
    early = await api.trigger("secure_item", device_id=LOCKER_1)
    assert early.status == 400  # still ALLOCATED
    advance(1.0)
    reply = await api.trigger("secure_item", device_id=LOCKER_1)
    assert reply.status == 200
    assert reply.body["state"]["value"] == "LOCKED"
    command = await api.poll(command)
    assert command["state"]["value"] == "SUCCESS"
    assert event_names(command)[-1] == "RESPONSE_DEVICE_LOCKED"
    assert (await api.trigger("secure_item", device_id="nope")).status == 404


@pytest.mark.parametrize("device_id", [LOCKER_4, LOCKER_5])
async def test_offline_device_leaves_command_sent_until_timeout(
    api: Api, advance: Any, device_id: str
) -> None:
    if device_id == LOCKER_4:
        await api.trigger("device_offline", device_id=device_id)
    command = await api.command(device_id, "lock")
    assert (await api.device(device_id))["state"]["value"] == "ALLOCATED"
    advance(2.9)
    command = await api.poll(command)
    assert command["state"]["value"] == "SENT"
    assert event_names(command) == ["REQUEST_INITIATED"]
    advance(0.2)
    command = await api.poll(command)
    assert command["state"] == {"value": "ERROR", "timeout_at": None}
    assert event_names(command) == ["REQUEST_INITIATED", "REQUEST_TIMEOUT"]
    assert ts(command["events"][-1]["timestamp"]) == initiated(command) + timedelta(
        seconds=3
    )
    assert (await api.device(device_id))["state"]["value"] == "UNLOCKED"


async def test_command_is_delivered_when_the_device_reconnects(
    api: Api, advance: Any
) -> None:
    await api.trigger("device_offline", device_id=LOCKER_4)
    command = await api.command(LOCKER_4, "lock")
    advance(1.0)
    await api.trigger("device_online", device_id=LOCKER_4)
    advance(1.0)
    command = await api.poll(command)
    assert event_names(command) == ["REQUEST_INITIATED", "REQUEST_SENT"]
    assert (await api.device(LOCKER_4))["state"]["value"] == "LOCKING"


async def test_going_offline_before_delivery_loses_the_command(
    api: Api, advance: Any
) -> None:
    command = await api.command(LOCKER_4, "book")
    await api.trigger("device_offline", device_id=LOCKER_4)
    advance(3.5)
    command = await api.poll(command)
    assert command["state"]["value"] == "ERROR"
    assert event_names(command)[-1] == "REQUEST_TIMEOUT"


async def test_zero_latency_applies_at_once(api: Api) -> None:
    await api.trigger("set_latency", seconds=0)
    command = await api.command(LOCKER_1, "lock")
    assert event_names(command) == ["REQUEST_INITIATED", "REQUEST_SENT"]
    assert (await api.device(LOCKER_1))["state"]["value"] == "LOCKING"
    await api.trigger("set_timing", secure_delay=0)
    command = await api.command(LOCKER_4, "lock")
    assert command["state"] == {"value": "SUCCESS", "timeout_at": None}


async def test_latency_beyond_the_delivery_deadline_times_out(
    api: Api, advance: Any
) -> None:
    reply = await api.trigger("set_latency", seconds=5, device_id=LOCKER_1)
    assert reply.body == {"device_id": LOCKER_1, "latency": 5.0}
    command = await api.command(LOCKER_1, "book")
    advance(3.5)
    assert event_names(await api.poll(command)) == [
        "REQUEST_INITIATED",
        "REQUEST_TIMEOUT",
    ]
    other = await api.command(LOCKER_4, "book")  # global latency still 1 s
    advance(1.0)
    assert (await api.poll(other))["state"]["value"] == "SUCCESS"


async def test_fail_next_command_answers_error_once(api: Api, advance: Any) -> None:
    reply = await api.trigger(
        "fail_next_command", device_id=LOCKER_1, reason="latch jammed"
    )
    assert reply.status == 200
    command = await api.command(LOCKER_1, "lock")
    advance(1.0)
    command = await api.poll(command)
    assert command["state"] == {"value": "ERROR", "timeout_at": None}
    assert event_names(command) == [
        "REQUEST_INITIATED",
        "REQUEST_SENT",
        "RESPONSE_DEVICE_ERROR",
    ]
    assert command["events"][-1]["message"] == "latch jammed"
    assert (await api.device(LOCKER_1))["state"]["value"] == "UNLOCKED"
    command = await api.command(LOCKER_1, "lock")
    advance(2.0)
    assert (await api.poll(command))["state"]["value"] == "SUCCESS"


async def test_set_state_trigger(api: Api, advance: Any) -> None:
    lock = await api.command(LOCKER_1, "lock")
    reply = await api.trigger("set_state", device_id=LOCKER_1, state="BOOKED")
    assert reply.status == 200
    assert reply.body["state"]["value"] == "BOOKED"
    assert reply.body["state"]["timeout_at"] is not None
    assert (await api.poll(lock))["state"]["value"] == "ERROR"
    reply = await api.trigger(
        "set_state", device_id=LOCKER_1, state="UNLOCKING", timeout_in=5
    )
    assert reply.body["state"]["value"] == "UNLOCKING"
    assert ts(reply.body["state"]["timeout_at"]) == ts(
        reply.body["state"]["changed_at"]
    ) + timedelta(seconds=5)
    assert (
        await api.trigger("set_state", device_id=LOCKER_1, state="OPEN")
    ).status == 400
    assert (
        await api.trigger("set_state", device_id=GUARD_C1, state="LOCKED")
    ).status == 400
    assert (
        await api.trigger("set_state", device_id="nope", state="LOCKED")
    ).status == 404
    assert (await api.trigger("set_state", state="LOCKED")).status == 400


@pytest.mark.parametrize(
    ("device_id", "body", "status", "error"),
    [
        (GUARD_C1, {"command": "lock"}, 400, "invalid_command"),
        (LOCKER_1, {"command": "open"}, 400, "invalid_command"),
        (LOCKER_1, {}, 400, "invalid_command"),
        (LOCKER_1, ["lock"], 400, "invalid_request"),
        ("nope", {"command": "lock"}, 404, "not_found"),
    ],
)
async def test_bad_command_requests(
    api: Api,
    bikeep_sim: RunningSimulator,
    device_id: str,
    body: Any,
    status: int,
    error: str,
) -> None:
    reply = await api.post(f"/device/v1/devices/{device_id}/commands", body)
    assert reply.status == status
    assert reply.body["error"] == error
    assert bk(bikeep_sim).state.commands == {}


async def test_non_json_command_body(
    api: Api, http_session: aiohttp.ClientSession
) -> None:
    async with http_session.post(
        f"{api.url}/device/v1/devices/{LOCKER_1}/commands",
        data="command=lock",
        headers={"Authorization": f"Bearer {api.token}"},
    ) as resp:
        assert resp.status == 400
        assert (await resp.json())["error"] == "invalid_request"


async def test_unknown_command_id(api: Api) -> None:
    reply = await api.get("/device/v1/commands/nope")
    assert reply.status == 404
    assert reply.body["error"] == "not_found"


async def test_device_rechecks_its_state_at_delivery(api: Api, advance: Any) -> None:
    await api.trigger("set_state", device_id=LOCKER_1, state="BOOKED", timeout_in=0.5)
    command = await api.command(LOCKER_1, "cancel-booking")
    assert command["state"]["value"] == "SENT"
    advance(1.0)  # the booking expired at +0.5 s, before delivery at +1 s
    command = await api.poll(command)
    assert command["state"]["value"] == "ERROR"
    assert event_names(command) == [
        "REQUEST_INITIATED",
        "REQUEST_SENT",
        "RESPONSE_DEVICE_ERROR",
    ]
    assert "UNLOCKED" in command["events"][-1]["message"]
    assert (await api.device(LOCKER_1))["state"]["value"] == "UNLOCKED"
