"""The device / command state machine, advanced lazily from the simulator clock.

Nothing runs in the background: before a device is read or changed,
:func:`settle_device` replays every transition that became due since the last look
(delivery after the round-trip latency, delivery deadline, LOCKING window, user
securing the item, UNLOCKING confirmation, booking expiry) in time order.

Command life (API states SENT -> SUCCESS | ERROR):

* the cloud checks the request when it is posted; a non-force command for a device
  in the wrong state, or one that is busy with another command, ends ERROR at once
  with a ``REQUEST_REJECTED`` event (message says why);
* ``lock`` moves the device to ALLOCATED at once (state timeout = delivery deadline);
* delivery happens ``latency`` seconds later if the device is reachable (else the
  command waits; on reconnection it is delivered ``latency`` after that) and before
  the command's ``timeout_at`` (``delivery_timeout`` after posting), else ERROR with
  ``REQUEST_TIMEOUT`` and the device returns to its previous state;
* ``lock``: ALLOCATED -> LOCKING (timeout = ``locking_window``) -> LOCKED when the user
  secures the item (``secure_delay`` or the ``secure_item`` trigger), else ERROR with
  ``LOCKING_TIMEOUT`` and the previous state; ``unlock``: LOCKED -> UNLOCKING (timeout =
  ``unlock_window``) -> UNLOCKED after ``unlock_duration``; ``book``: UNLOCKED -> BOOKED
  until the requested ``timeout_at`` (default ``booking_duration``); ``cancel-booking``:
  BOOKED -> UNLOCKED; the force commands skip every check and cancel a command in
  progress (which ends ERROR with ``REQUEST_SUPERSEDED``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
import uuid

from . import const
from .heartbeat import reachable
from .model import (
    PHASE_DONE,
    PHASE_LOCKING,
    PHASE_PENDING,
    PHASE_UNLOCKING,
    BikeepState,
    Command,
    CommandEvent,
    Device,
)
from .timeutil import after

_REQUIRED_STATE = {
    const.CMD_LOCK: (const.UNLOCKED, const.BOOKED),
    const.CMD_UNLOCK: (const.LOCKED,),
    const.CMD_BOOK: (const.UNLOCKED,),
    const.CMD_CANCEL_BOOKING: (const.BOOKED,),
}


def active_command(state: BikeepState, device: Device) -> Command | None:
    """Return the device's command in progress, if any."""
    if device.active_command_id is None:
        return None
    command = state.commands.get(device.active_command_id)
    if command is None or command.phase == PHASE_DONE:
        device.active_command_id = None
        return None
    return command


def device_latency(state: BikeepState, device: Device) -> float:
    """Round-trip latency for this device (its own, else the global setting)."""
    return state.settings.latency if device.latency is None else device.latency


def set_device_state(
    device: Device, value: str, at: datetime, timeout_at: datetime | None = None
) -> None:
    """Change the device state (``changed_at`` moves only when the value changes)."""
    if value != device.state:
        device.changed_at = at
    device.state = value
    device.timeout_at = timeout_at


def _remember(command: Command, device: Device) -> None:
    command.restore_state = device.state
    command.restore_timeout_at = device.timeout_at
    command.restore_changed_at = device.changed_at


def _restore(command: Command, device: Device, at: datetime) -> None:
    if command.restore_state is not None:
        set_device_state(device, command.restore_state, at, command.restore_timeout_at)
        command.restore_state = None


def finish(
    command: Command,
    device: Device,
    at: datetime,
    event: str,
    *,
    ok: bool,
    message: str | None = None,
    restore: bool = True,
) -> None:
    """End ``command`` with SUCCESS or ERROR (ERROR restores the previous state)."""
    command.state = const.SUCCESS if ok else const.ERROR
    command.timeout_at = None
    command.phase = PHASE_DONE
    command.deliver_at = None
    command.phase_done_at = None
    command.events.append(CommandEvent(event, at, message))
    if not ok and restore:
        _restore(command, device, at)
    if device.active_command_id == command.id:
        device.active_command_id = None


def _rejection(state: BikeepState, device: Device, name: str) -> str | None:
    if active_command(state, device) is not None:
        return "the device is busy with another command"
    required = _REQUIRED_STATE[name]
    if device.state not in required:
        return f"{name} needs the device {' or '.join(required)}; it is {device.state}"
    return None


def submit(
    state: BikeepState,
    device: Device,
    name: str,
    booking_until: datetime | None,
    now: datetime,
) -> Command:
    """Create a command for ``device`` (already checked to be a LOCKER/BIKE_DOCK)."""
    settle_device(state, device, now)
    command = Command(
        id=str(uuid.uuid4()),
        device_id=device.id,
        name=name,
        state=const.SENT,
        timeout_at=after(now, state.settings.delivery_timeout),
        created_at=now,
        events=[CommandEvent(const.EV_REQUEST_INITIATED, now)],
    )
    state.commands[command.id] = command
    if name in const.FORCE_COMMANDS:
        current = active_command(state, device)
        if current is not None:
            finish(
                current,
                device,
                now,
                const.EV_SUPERSEDED,
                ok=False,
                message=f"superseded by {name}",
            )
    else:
        reason = _rejection(state, device, name)
        if reason is not None:
            finish(
                command,
                device,
                now,
                const.EV_REQUEST_REJECTED,
                ok=False,
                message=reason,
            )
            return command
    if name == const.CMD_LOCK:
        _remember(command, device)
        set_device_state(device, const.ALLOCATED, now, command.timeout_at)
    if name == const.CMD_BOOK:
        command.booking_until = booking_until or after(
            now, state.settings.booking_duration
        )
    device.active_command_id = command.id
    if reachable(state, device):
        command.deliver_at = after(now, device_latency(state, device))
    settle_device(state, device, now)
    return command


def _deliver(
    state: BikeepState, device: Device, command: Command, at: datetime
) -> None:
    command.events.append(CommandEvent(const.EV_REQUEST_SENT, at))
    command.deliver_at = None
    if device.fail_next is not None:
        reason, device.fail_next = device.fail_next, None
        finish(command, device, at, const.EV_DEVICE_ERROR, ok=False, message=reason)
        return
    settings = state.settings
    name = command.name
    expected = {
        const.CMD_LOCK: const.ALLOCATED,
        const.CMD_UNLOCK: const.LOCKED,
        const.CMD_BOOK: const.UNLOCKED,
        const.CMD_CANCEL_BOOKING: const.BOOKED,
    }.get(name)
    if expected is not None and device.state != expected:
        finish(
            command,
            device,
            at,
            const.EV_DEVICE_ERROR,
            ok=False,
            message=f"device is {device.state}, cannot {name}",
        )
        return
    if name == const.CMD_LOCK:
        set_device_state(device, const.LOCKING, at, after(at, settings.locking_window))
        command.timeout_at = device.timeout_at
        command.phase = PHASE_LOCKING
        command.phase_done_at = (
            None if settings.secure_delay is None else after(at, settings.secure_delay)
        )
    elif name == const.CMD_UNLOCK:
        _remember(command, device)
        set_device_state(device, const.UNLOCKING, at, after(at, settings.unlock_window))
        command.timeout_at = device.timeout_at
        command.phase = PHASE_UNLOCKING
        command.phase_done_at = after(
            at, min(settings.unlock_duration, settings.unlock_window)
        )
    elif name == const.CMD_BOOK:
        set_device_state(device, const.BOOKED, at, command.booking_until)
        finish(command, device, at, const.EV_DEVICE_BOOKED, ok=True)
    elif name in (const.CMD_CANCEL_BOOKING, const.CMD_FORCE_CANCEL_BOOKING):
        if device.state in (const.BOOKED, const.ALLOCATED):
            set_device_state(device, const.UNLOCKED, at)
        finish(command, device, at, const.EV_BOOKING_CANCELLED, ok=True)
    elif name == const.CMD_FORCE_LOCK:
        set_device_state(device, const.LOCKED, at)
        finish(command, device, at, const.EV_DEVICE_LOCKED, ok=True)
    else:  # force-unlock
        set_device_state(device, const.UNLOCKED, at)
        finish(command, device, at, const.EV_DEVICE_UNLOCKED, ok=True)


def secure_item(device: Device, command: Command, at: datetime) -> None:
    """The user secured the item: LOCKING -> LOCKED, the lock command succeeds."""
    set_device_state(device, const.LOCKED, at)
    command.restore_state = None
    finish(command, device, at, const.EV_DEVICE_LOCKED, ok=True)


type _Step = tuple[datetime, Callable[[datetime], None]]


def _next_step(state: BikeepState, device: Device) -> _Step | None:
    steps: list[_Step] = []
    command = active_command(state, device)
    if command is not None:
        steps.append(_command_step(state, device, command))
    if device.state == const.BOOKED and device.timeout_at is not None:
        moment = max(device.timeout_at, device.changed_at)
        steps.append((moment, lambda at: set_device_state(device, const.UNLOCKED, at)))
    return min(steps, key=lambda step: step[0]) if steps else None


def _command_step(state: BikeepState, device: Device, command: Command) -> _Step:
    if command.phase == PHASE_PENDING:
        deadline = command.timeout_at or command.created_at
        if command.deliver_at is not None and command.deliver_at <= deadline:
            return command.deliver_at, lambda at: _deliver(state, device, command, at)
        return deadline, lambda at: finish(
            command,
            device,
            at,
            const.EV_REQUEST_TIMEOUT,
            ok=False,
            message="the device did not take the command before timeout_at",
        )
    if command.phase == PHASE_LOCKING:
        deadline = device.timeout_at or command.timeout_at or command.created_at
        done = command.phase_done_at
        if done is not None and done <= deadline:
            return done, lambda at: secure_item(device, command, at)
        return deadline, lambda at: finish(
            command,
            device,
            at,
            const.EV_LOCKING_TIMEOUT,
            ok=False,
            message="the item was not secured before timeout_at",
        )
    done = command.phase_done_at or command.created_at

    def unlocked(at: datetime) -> None:
        set_device_state(device, const.UNLOCKED, at)
        command.restore_state = None
        finish(command, device, at, const.EV_DEVICE_UNLOCKED, ok=True)

    return done, unlocked


def settle_device(state: BikeepState, device: Device, now: datetime) -> None:
    """Apply every transition of ``device`` that is due at ``now``."""
    if device.type == const.GUARD:
        return
    while (step := _next_step(state, device)) is not None and step[0] <= now:
        step[1](step[0])


def settle_all(state: BikeepState, now: datetime) -> None:
    """Settle every device."""
    for device in state.devices.values():
        settle_device(state, device, now)


def refresh_delivery(state: BikeepState, device: Device, now: datetime) -> None:
    """After a connectivity change: drop or (re)schedule delivery of a pending command."""
    command = active_command(state, device)
    if command is None or command.phase != PHASE_PENDING:
        return
    if not reachable(state, device):
        command.deliver_at = None
    elif command.deliver_at is None:
        command.deliver_at = after(now, device_latency(state, device))
