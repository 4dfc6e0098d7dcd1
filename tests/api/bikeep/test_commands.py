"""Sending commands and following them to SUCCESS / ERROR / timeout (Steps 5-7)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from custom_components.smart_access.api.auth import ClientCredentialsTokenSource
from custom_components.smart_access.api.bikeep import (
    BikeepClient,
    Command,
    CommandName,
    CommandStateValue,
    DeviceStateValue,
)
from custom_components.smart_access.api.errors import (
    ApiServerError,
    CommandFailedError,
    NotFoundError,
    ValidationError,
)
from simulator.bikeep import BikeepSimulator, scenario as sc
from simulator.server import RunningSimulator

from .conftest import POLL

COMMANDS = "/device/v1/commands/"


async def _wait_for_new_polls(sim: BikeepSimulator, count: int) -> None:
    """Let the follower poll ``count`` more times (bounded, for slow machines)."""
    target = sim.requests.count("GET", COMMANDS) + count
    for _ in range(500):
        if sim.requests.count("GET", COMMANDS) >= target:
            return
        await asyncio.sleep(POLL)
    raise AssertionError("the follower stopped polling")


async def _manual_securing(sim: BikeepSimulator) -> None:
    """The user secures the item only when the test says so."""
    await sim.control_trigger("set_timing", {"secure_delay": None})


async def test_send_lock_answers_sent(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    before = sim.clock.now()
    command = await client.async_send_command(sc.LOCKER_1, CommandName.LOCK)
    assert command.name is CommandName.LOCK
    assert command.device_id == sc.LOCKER_1
    assert command.state.value is CommandStateValue.SENT
    # The delivery deadline of the SENT state (the simulator's default is 3 s).
    assert command.state.timeout_at is not None
    delay = command.state.timeout_at - before
    assert timedelta(seconds=2.9) < delay <= timedelta(seconds=5)
    assert [event.name for event in command.events] == ["REQUEST_INITIATED"]
    assert command.uri == f"/device/v1/commands/{command.id}"
    fetched = await client.async_get_command(command.id)
    assert fetched == command
    # The lock command allocates the device at once.
    device = await client.async_get_device(sc.LOCKER_1)
    assert device.state_value is DeviceStateValue.ALLOCATED


async def test_follow_lock_to_success(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    seen: list[Command] = []

    def progress(command: Command) -> None:
        seen.append(command)
        sim.clock.advance(1.1)  # the world moves on between two polls

    command = await client.async_send_command(sc.LOCKER_1, "lock")
    final = await client.async_follow_command(
        command, poll_interval=POLL, on_progress=progress
    )
    assert final.succeeded
    assert [event.name for event in final.events] == [
        "REQUEST_INITIATED",
        "REQUEST_SENT",
        "RESPONSE_DEVICE_LOCKED",
    ]
    assert [c.phase for c in seen] == ["ALLOCATED", "LOCKING", "SUCCESS"]
    assert seen[-1] is final
    assert seen[-1].device_state is not None
    assert seen[-1].device_state.value is DeviceStateValue.LOCKED
    assert (await client.async_get_device(sc.LOCKER_1)).state_value == "LOCKED"


async def test_long_locking_wait_reports_locking(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    await _manual_securing(sim)
    phases: list[str] = []
    deadlines: list[datetime | None] = []

    async def progress(command: Command) -> None:
        phases.append(command.phase)
        deadlines.append(command.state.timeout_at)
        if command.phase == "ALLOCATED":
            sim.clock.advance(1.1)

    command = await client.async_send_command(sc.LOCKER_4, CommandName.LOCK)
    task = asyncio.create_task(
        client.async_follow_command(command, poll_interval=POLL, on_progress=progress)
    )
    # The user takes 25 of the 30 seconds: many polls see nothing new.
    for _ in range(5):
        await _wait_for_new_polls(sim, 2)
        sim.clock.advance(5)
    await _wait_for_new_polls(sim, 2)
    assert not task.done()
    assert phases == ["ALLOCATED", "LOCKING"]
    # While LOCKING, timeout_at is the time the user has to secure the item.
    assert deadlines[1] is not None
    assert deadlines[0] is not None
    assert deadlines[1] > deadlines[0] + timedelta(seconds=20)
    assert sim.requests.count("GET", COMMANDS) >= 12
    await sim.control_trigger("secure_item", {"device_id": sc.LOCKER_4})
    final = await asyncio.wait_for(task, 5)
    assert final.succeeded
    assert phases == ["ALLOCATED", "LOCKING", "SUCCESS"]


async def test_locking_window_runs_out(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    await _manual_securing(sim)

    def progress(command: Command) -> None:
        sim.clock.advance(1.1 if command.phase == "ALLOCATED" else 31)

    command = await client.async_send_command(sc.LOCKER_4, CommandName.LOCK)
    with pytest.raises(CommandFailedError) as caught:
        await client.async_follow_command(
            command, poll_interval=POLL, on_progress=progress
        )
    err = caught.value
    assert err.timed_out
    assert err.reason == "LOCKING_TIMEOUT"
    assert err.command_id == command.id
    assert err.command_name == "lock"
    assert [event.name for event in err.events][-1] == "LOCKING_TIMEOUT"
    # The device went back to where it was.
    assert (await client.async_get_device(sc.LOCKER_4)).state_value == "UNLOCKED"


async def test_device_error_carries_reason_and_events(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    await sim.control_trigger(
        "fail_next_command", {"device_id": sc.LOCKER_2, "reason": "latch jammed"}
    )
    command = await client.async_send_command(sc.LOCKER_2, CommandName.UNLOCK)
    with pytest.raises(CommandFailedError) as caught:
        await client.async_follow_command(
            command, poll_interval=POLL, on_progress=lambda _: sim.clock.advance(1.1)
        )
    err = caught.value
    assert not err.timed_out
    assert err.reason == "RESPONSE_DEVICE_ERROR"
    assert [event.name for event in err.events] == [
        "REQUEST_INITIATED",
        "REQUEST_SENT",
        "RESPONSE_DEVICE_ERROR",
    ]
    assert all(event.timestamp is not None for event in err.events)
    assert "latch jammed" in str(err)


async def test_rejected_command_fails_without_polling(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    command = await client.async_send_command(sc.LOCKER_2, CommandName.LOCK)  # LOCKED
    assert command.failed
    assert command.message is not None
    assert "LOCKED" in command.message
    with pytest.raises(CommandFailedError) as caught:
        await client.async_follow_command(command, poll_interval=POLL)
    assert caught.value.reason == "REQUEST_REJECTED"
    assert sim.requests.count("GET", COMMANDS) == 0


async def test_sent_times_out_for_offline_device(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    command = await client.async_send_command(sc.LOCKER_5, CommandName.BOOK)  # DEAD
    phases: list[str] = []

    def progress(update: Command) -> None:
        phases.append(update.phase)
        sim.clock.advance(4)

    with pytest.raises(CommandFailedError) as caught:
        await client.async_follow_command(
            command, poll_interval=POLL, on_progress=progress
        )
    assert caught.value.timed_out
    assert caught.value.reason == "REQUEST_TIMEOUT"
    assert phases == ["UNLOCKED"]


async def test_client_gives_up_when_the_deadline_passes_silently(
    bikeep_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    tokens: ClientCredentialsTokenSource,
    sim: BikeepSimulator,
) -> None:
    # Our clock runs an hour ahead of the service: the state's timeout_at (plus the
    # grace) has passed although the service still says SENT.
    ahead = BikeepClient(
        http_session,
        tokens,
        api_url=bikeep_sim.url,
        clock=lambda: sim.clock.now() + timedelta(hours=1),
    )
    command = await ahead.async_send_command(sc.LOCKER_5, CommandName.LOCK)
    with pytest.raises(CommandFailedError) as caught:
        await ahead.async_follow_command(command, poll_interval=POLL)
    assert caught.value.timed_out
    assert "no progress from ALLOCATED" in str(caught.value)
    assert caught.value.reason == "REQUEST_INITIATED"
    assert sim.requests.count("GET", COMMANDS) == 1


async def test_device_offline_mid_command(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    await _manual_securing(sim)

    async def progress(command: Command) -> None:
        if command.phase == "ALLOCATED":
            sim.clock.advance(1.1)
        elif command.phase == "LOCKING":
            await sim.control_trigger("device_offline", {"device_id": sc.DOCK_1})
            sim.clock.advance(31)

    command = await client.async_send_command(sc.DOCK_1, CommandName.LOCK)
    with pytest.raises(CommandFailedError) as caught:
        await client.async_follow_command(
            command, poll_interval=POLL, on_progress=progress
        )
    assert caught.value.timed_out
    assert (await client.async_get_device(sc.DOCK_1)).is_online is False


async def test_offline_device_back_in_time_gets_the_command(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    await sim.control_trigger("set_latency", {"seconds": 0.5})
    command = await client.async_send_command(sc.DOCK_2, CommandName.FORCE_LOCK)
    await sim.control_trigger("device_offline", {"device_id": sc.DOCK_2})
    sim.clock.advance(2)  # still SENT: the device is unreachable
    assert (await client.async_get_command(command.id)).state.value == "SENT"
    await sim.control_trigger("device_online", {"device_id": sc.DOCK_2})
    sim.clock.advance(0.6)
    final = await client.async_follow_command(command, poll_interval=POLL)
    assert final.succeeded
    assert (await client.async_get_device(sc.DOCK_2)).state_value == "LOCKED"


async def test_cancellation_stops_polling(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    await _manual_securing(sim)
    command = await client.async_send_command(sc.LOCKER_4, CommandName.LOCK)
    sim.clock.advance(1.1)
    task = asyncio.create_task(client.async_follow_command(command, poll_interval=POLL))
    await _wait_for_new_polls(sim, 3)
    assert not task.done()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert task.cancelled()
    await asyncio.sleep(POLL * 3)  # a request in flight when cancelled may still land
    polls = sim.requests.count("GET", COMMANDS)
    assert polls >= 3
    await asyncio.sleep(POLL * 20)
    assert sim.requests.count("GET", COMMANDS) == polls


async def test_iterator_variant(client: BikeepClient, sim: BikeepSimulator) -> None:
    await sim.control_trigger("set_timing", {"unlock_duration": 5})
    command = await client.async_send_command(sc.LOCKER_2, CommandName.UNLOCK)
    phases = []
    async for update in client.iter_command(command, poll_interval=POLL):
        phases.append(update.phase)
        sim.clock.advance(1.1 if update.phase == "LOCKED" else 5)
    assert phases == ["LOCKED", "UNLOCKING", "SUCCESS"]
    assert (await client.async_get_device(sc.LOCKER_2)).state_value == "UNLOCKED"


async def test_iterator_can_be_closed_early(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    command = await client.async_send_command(sc.LOCKER_1, CommandName.LOCK)
    updates = client.iter_command(command, poll_interval=POLL, watch_device=False)
    first = await anext(updates)
    assert first == command
    assert first.device_state is None
    await updates.aclose()
    assert sim.requests.count("GET", COMMANDS) == 0


async def test_watch_device_off_reads_no_device(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    command = await client.async_send_command(sc.LOCKER_1, CommandName.BOOK)
    sim.clock.advance(1.1)
    final = await client.async_follow_command(
        command, poll_interval=POLL, watch_device=False
    )
    assert final.succeeded
    assert final.device_state is None
    assert final.phase == "SUCCESS"
    assert sim.requests.count("GET", "/device/v1/devices/") == 0


async def test_book_with_timeout_and_cancel(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    until = (sim.clock.now() + timedelta(minutes=20)).replace(microsecond=0)
    command = await client.async_send_command(
        sc.LOCKER_4, CommandName.BOOK, timeout_at=until
    )
    sim.clock.advance(1.1)
    assert (await client.async_follow_command(command, poll_interval=POLL)).succeeded
    device = await client.async_get_device(sc.LOCKER_4)
    assert device.state is not None
    assert device.state.value is DeviceStateValue.BOOKED
    assert device.state.timeout_at == until
    cancel = await client.async_send_command(sc.LOCKER_4, CommandName.CANCEL_BOOKING)
    sim.clock.advance(1.1)
    final = await client.async_follow_command(cancel, poll_interval=POLL)
    assert final.events[-1].name == "RESPONSE_DEVICE_BOOKING_CANCELLED"
    assert (await client.async_get_device(sc.LOCKER_4)).state_value == "UNLOCKED"


async def test_booking_defaults_to_one_hour_and_expires(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    start = sim.clock.now()
    command = await client.async_send_command(sc.DOCK_3, CommandName.BOOK)
    sim.clock.advance(1.1)
    await client.async_follow_command(command, poll_interval=POLL)
    device = await client.async_get_device(sc.DOCK_3)
    assert device.state is not None
    assert device.state.timeout_at is not None
    assert abs(device.state.timeout_at - (start + timedelta(hours=1))) < timedelta(
        seconds=2
    )
    sim.clock.advance(3600)
    assert (await client.async_get_device(sc.DOCK_3)).state_value == "UNLOCKED"


@pytest.mark.parametrize(
    ("device_id", "name", "before", "after"),
    [
        (sc.LOCKER_2, CommandName.FORCE_UNLOCK, "LOCKED", "UNLOCKED"),
        (sc.LOCKER_1, CommandName.FORCE_LOCK, "UNLOCKED", "LOCKED"),
        (sc.LOCKER_3, CommandName.FORCE_CANCEL_BOOKING, "BOOKED", "UNLOCKED"),
    ],
)
async def test_force_commands(
    client: BikeepClient,
    sim: BikeepSimulator,
    device_id: str,
    name: CommandName,
    before: str,
    after: str,
) -> None:
    assert (await client.async_get_device(device_id)).state_value == before
    command = await client.async_send_command(device_id, name)
    assert command.name is name
    sim.clock.advance(1.1)
    assert (await client.async_follow_command(command, poll_interval=POLL)).succeeded
    assert (await client.async_get_device(device_id)).state_value == after


async def test_force_command_supersedes_the_running_one(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    await _manual_securing(sim)
    lock = await client.async_send_command(sc.LOCKER_4, CommandName.LOCK)
    sim.clock.advance(1.1)
    await client.async_send_command(sc.LOCKER_4, CommandName.FORCE_UNLOCK)
    with pytest.raises(CommandFailedError) as caught:
        await client.async_follow_command(lock, poll_interval=POLL)
    assert caught.value.reason == "REQUEST_SUPERSEDED"
    assert not caught.value.timed_out


async def test_transient_poll_failures_are_tolerated(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    command = await client.async_send_command(sc.LOCKER_1, CommandName.BOOK)
    sim.clock.advance(1.1)
    sim.faults.add("server_error", count=2, status=503, path=COMMANDS)
    final = await client.async_follow_command(command, poll_interval=POLL)
    assert final.succeeded
    assert sim.requests.count("GET", COMMANDS) == 3


async def test_persistent_poll_failures_raise(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    command = await client.async_send_command(sc.LOCKER_1, CommandName.BOOK)
    sim.faults.add("server_error", count=10, path=COMMANDS)
    with pytest.raises(ApiServerError):
        await client.async_follow_command(
            command, poll_interval=POLL, max_poll_errors=2
        )
    assert sim.requests.count("GET", COMMANDS) == 3


async def test_device_read_failure_does_not_stop_following(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    command = await client.async_send_command(sc.LOCKER_1, CommandName.BOOK)
    sim.faults.add("server_error", count=1, path="/device/v1/devices/")
    sim.clock.advance(1.1)
    seen: list[Command] = []
    final = await client.async_follow_command(
        command, poll_interval=POLL, on_progress=seen.append
    )
    assert final.succeeded
    assert seen[0].device_state is None  # that read failed
    assert seen[-1].device_state is not None


async def test_send_command_validation(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    with pytest.raises(ValidationError, match="unknown command"):
        await client.async_send_command(sc.LOCKER_1, "explode")
    with pytest.raises(ValidationError, match="only accepted by book"):
        await client.async_send_command(
            sc.LOCKER_1, CommandName.LOCK, timeout_at=datetime.now(UTC)
        )
    with pytest.raises(ValidationError, match="timezone-aware"):
        await client.async_send_command(
            sc.LOCKER_1,
            CommandName.BOOK,
            timeout_at=datetime(2030, 1, 1),  # noqa: DTZ001
        )
    assert sim.requests.count("POST") == 0
    # The service refuses a booking that ends in the past, and commands to a GUARD.
    with pytest.raises(ValidationError, match="future"):
        await client.async_send_command(
            sc.LOCKER_1,
            CommandName.BOOK,
            timeout_at=sim.clock.now() - timedelta(hours=1),
        )
    with pytest.raises(ValidationError, match="GUARD"):
        await client.async_send_command(sc.GUARD_C1, CommandName.LOCK)


async def test_unknown_device_and_command(client: BikeepClient) -> None:
    with pytest.raises(NotFoundError):
        await client.async_send_command("no-such-device", CommandName.LOCK)
    with pytest.raises(NotFoundError):
        await client.async_send_command(sc.OTHER_LOCKER, CommandName.LOCK)
    with pytest.raises(NotFoundError):
        await client.async_get_command("no-such-command")
