"""Follower rules the simulator cannot show: a state without deadline, odd answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from custom_components.smart_access.api.auth import ClientCredentialsTokenSource
from custom_components.smart_access.api.bikeep import (
    BikeepClient,
    Command,
    CommandName,
    CommandState,
)
from custom_components.smart_access.api.bikeep.follower import follow_command
from custom_components.smart_access.api.bikeep.whitelists import parse_error_result
from custom_components.smart_access.api.errors import CommandEvent, CommandFailedError
from simulator.bikeep import scenario as sc
from simulator.server import RunningSimulator

START = datetime(2026, 2, 26, 10, 0, tzinfo=UTC)


class FakeTime:
    """A clock that moves ``step`` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now_value = START
        self.step = timedelta(seconds=step)

    def __call__(self) -> datetime:
        self.now_value += self.step
        return self.now_value


def _command(
    value: str, timeout_at: datetime | None = None, events: int = 1
) -> Command:
    return Command(
        id="c1",
        name=CommandName.UNLOCK,
        device_id="d1",
        state=CommandState(value, timeout_at),
        events=tuple(CommandEvent(f"E{i}", START) for i in range(events)),
    )


async def test_state_without_deadline_uses_the_fallback() -> None:
    polls = 0

    async def fetch(command_id: str) -> Command:
        nonlocal polls
        polls += 1
        return _command("SENT")

    with pytest.raises(CommandFailedError) as caught:
        await follow_command(
            fetch,
            _command("SENT"),
            now=FakeTime(10),
            poll_interval=0,
            fallback_timeout=60,
        )
    assert caught.value.timed_out
    assert caught.value.command_name == "unlock"
    assert "no progress from SENT" in str(caught.value)
    assert 3 <= polls <= 7


async def test_progress_moves_the_deadline_and_async_callbacks_are_awaited() -> None:
    answers = [
        _command("SENT", START + timedelta(seconds=30), events=2),
        _command("SENT", START + timedelta(seconds=30), events=2),
        _command("SUCCESS", None, events=3),
    ]
    seen: list[str] = []

    async def fetch(command_id: str) -> Command:
        return answers.pop(0)

    async def progress(command: Command) -> None:
        seen.append(f"{command.state.value}/{len(command.events)}")

    final = await follow_command(
        fetch,
        _command("SENT", START + timedelta(seconds=3)),
        now=FakeTime(2),
        poll_interval=0,
        timeout_grace=0,
        on_progress=progress,
    )
    assert final.succeeded
    # Without the new deadline the second (unchanged) answer would have timed out.
    assert seen == ["SENT/1", "SENT/2", "SUCCESS/3"]


async def test_already_failed_command_raises_at_once() -> None:
    async def fetch(command_id: str) -> Command:
        raise AssertionError("must not poll")

    with pytest.raises(CommandFailedError) as caught:
        await follow_command(fetch, _command("ERROR", events=0), now=FakeTime(0))
    assert caught.value.reason is None
    assert "no reason given" in str(caught.value)


async def test_already_succeeded_command_returns_at_once() -> None:
    async def fetch(command_id: str) -> Command:
        raise AssertionError("must not poll")

    done = _command("SUCCESS")
    assert await follow_command(fetch, done, now=FakeTime(0)) is done


def test_error_result_shapes() -> None:
    nested = parse_error_result({"entity": {"id": "0a0b"}, "reason": "expired"})
    assert (nested.id, nested.reason, nested.code) == ("0a0b", "expired", None)
    bare = parse_error_result({})
    assert (bare.id, bare.reason) == ("", "rejected by the service")


async def test_default_clock_is_real_utc(
    bikeep_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    tokens: ClientCredentialsTokenSource,
) -> None:
    client = BikeepClient(http_session, tokens, api_url=bikeep_sim.url)
    command = await client.async_send_command(sc.LOCKER_1, CommandName.FORCE_LOCK)
    # The simulator's latency is 1 s of real time here: poll in real time.
    final = await client.async_follow_command(command, poll_interval=0.2)
    assert final.succeeded
