"""Follow an asynchronous command to SUCCESS, ERROR or its deadline by polling.

The guide: poll ``GET /device/v1/commands/{id}`` every 1-2 s; every command state has
its own ``timeout_at`` (delivery deadline while SENT, the time the user has to secure
the item once the device is LOCKING/UNLOCKING). A deadline that passes without progress
ends the wait with ``CommandFailedError(timed_out=True)``; so does an ERROR whose last
event is a timeout (e.g. ``REQUEST_TIMEOUT`` for an offline device).

The command keeps the value SENT while the device moves through ALLOCATED, LOCKING or
UNLOCKING, so with ``fetch_device`` the follower reads the device once per change of
the command and attaches its state (``Command.device_state`` / ``Command.phase``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
import inspect
import logging

from custom_components.smart_access.api.errors import (
    ApiConnectionError,
    CommandFailedError,
    SmartAccessApiError,
)

from .commands import Command
from .models import Device

_LOGGER = logging.getLogger(__name__)

type ProgressCallback = Callable[[Command], Awaitable[None] | None]
type CommandFetcher = Callable[[str], Awaitable[Command]]
type DeviceFetcher = Callable[[str], Awaitable[Device]]

DEFAULT_POLL_INTERVAL = 1.5
DEFAULT_TIMEOUT_GRACE = 5.0
"""Seconds past a state's ``timeout_at`` before the client gives up on its own
(the service normally reports ERROR itself; the grace absorbs clock skew)."""
DEFAULT_FALLBACK_TIMEOUT = 120.0
"""Seconds without progress tolerated for a non-terminal state with no ``timeout_at``."""
DEFAULT_MAX_POLL_ERRORS = 3
"""Consecutive connection failures tolerated while polling before giving up."""


def _key(command: Command) -> tuple[str, datetime | None, int]:
    return (str(command.state.value), command.state.timeout_at, len(command.events))


def _deadline(
    command: Command, now: datetime, grace: float, fallback: float
) -> datetime:
    if command.state.timeout_at is not None:
        return command.state.timeout_at + timedelta(seconds=grace)
    return now + timedelta(seconds=fallback)


def command_failed(command: Command) -> CommandFailedError:
    """Return the error for a command that reached ERROR."""
    event = command.last_event
    reason = event.name if event else "no reason given"
    detail = f" ({command.message})" if command.message else ""
    return CommandFailedError(
        f"{command.name} command failed: {reason}{detail}",
        command_id=command.id,
        command_name=str(command.name),
        events=command.events,
        timed_out=event is not None and event.name.upper().endswith("TIMEOUT"),
    )


def command_timed_out(command: Command) -> CommandFailedError:
    """Return the error for a command whose state ran out of time."""
    state = command.state
    until = f" (deadline {state.timeout_at.isoformat()})" if state.timeout_at else ""
    return CommandFailedError(
        f"{command.name} command made no progress from {command.phase}{until}",
        command_id=command.id,
        command_name=str(command.name),
        events=command.events,
        timed_out=True,
    )


async def _with_device(command: Command, fetch_device: DeviceFetcher | None) -> Command:
    """Attach the device's current state (best effort: a failed read is skipped)."""
    if fetch_device is None or command.device_id is None:
        return command
    try:
        device = await fetch_device(command.device_id)
    except SmartAccessApiError as err:
        _LOGGER.debug("Reading device %s failed: %s", command.device_id, err)
        return command
    return replace(command, device_state=device.state)


async def iter_command(
    fetch: CommandFetcher,
    command: Command,
    *,
    now: Callable[[], datetime],
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    fetch_device: DeviceFetcher | None = None,
    timeout_grace: float = DEFAULT_TIMEOUT_GRACE,
    fallback_timeout: float = DEFAULT_FALLBACK_TIMEOUT,
    max_poll_errors: int = DEFAULT_MAX_POLL_ERRORS,
) -> AsyncGenerator[Command]:
    """Yield the command, then every changed version of it, until SUCCESS.

    The first item is ``command`` itself; a SUCCESS version is the last item. ERROR
    raises CommandFailedError (with the events), a passed deadline raises it with
    ``timed_out=True``. Cancellation propagates unchanged.
    """
    current = command
    if current.failed:
        raise command_failed(current)
    shown = await _with_device(current, fetch_device)
    yield shown
    deadline = _deadline(current, now(), timeout_grace, fallback_timeout)
    failures = 0
    while not current.succeeded:
        await asyncio.sleep(poll_interval)
        try:
            latest = await fetch(current.id)
        except ApiConnectionError as err:
            failures += 1
            if failures > max_poll_errors:
                raise
            _LOGGER.debug("Polling command %s failed (%s), retrying", current.id, err)
        else:
            failures = 0
            if latest.failed:
                raise command_failed(latest)
            if (latest.state.value, latest.state.timeout_at) != (
                current.state.value,
                current.state.timeout_at,
            ):
                deadline = _deadline(latest, now(), timeout_grace, fallback_timeout)
            changed = _key(latest) != _key(current)
            current = latest
            if changed:
                shown = await _with_device(latest, fetch_device)
                yield shown
                continue
        if now() >= deadline:
            raise command_timed_out(shown)


async def follow_command(
    fetch: CommandFetcher,
    command: Command,
    *,
    now: Callable[[], datetime],
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    on_progress: ProgressCallback | None = None,
    fetch_device: DeviceFetcher | None = None,
    timeout_grace: float = DEFAULT_TIMEOUT_GRACE,
    fallback_timeout: float = DEFAULT_FALLBACK_TIMEOUT,
    max_poll_errors: int = DEFAULT_MAX_POLL_ERRORS,
) -> Command:
    """Wait for SUCCESS and return the final command; report each change first."""
    final = command
    updates = iter_command(
        fetch,
        command,
        now=now,
        poll_interval=poll_interval,
        fetch_device=fetch_device,
        timeout_grace=timeout_grace,
        fallback_timeout=fallback_timeout,
        max_poll_errors=max_poll_errors,
    )
    try:
        async for update in updates:
            final = update
            if on_progress is not None:
                result = on_progress(update)
                if inspect.isawaitable(result):
                    await result
    finally:
        await updates.aclose()
    return final
