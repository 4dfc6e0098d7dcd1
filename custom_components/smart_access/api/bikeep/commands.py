"""Asynchronous device commands: names, states and the command resource."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from custom_components.smart_access.api.errors import (
    CommandEvent,
    MalformedResponseError,
)

from .models import DeviceState
from .parsing import as_object, enum_or_str, opt_datetime, opt_str, req_str


class CommandName(StrEnum):
    """Commands a locker or bike dock accepts."""

    BOOK = "book"
    CANCEL_BOOKING = "cancel-booking"
    LOCK = "lock"
    UNLOCK = "unlock"
    FORCE_LOCK = "force-lock"
    FORCE_UNLOCK = "force-unlock"
    FORCE_CANCEL_BOOKING = "force-cancel-booking"


class CommandStateValue(StrEnum):
    """States of a command (unknown states are kept as plain text)."""

    SENT = "SENT"
    LOCKING = "LOCKING"
    UNLOCKING = "UNLOCKING"
    SUCCESS = "SUCCESS"
    ERROR = "ERROR"


TERMINAL_STATES = frozenset({CommandStateValue.SUCCESS, CommandStateValue.ERROR})


@dataclass(frozen=True, slots=True)
class CommandState:
    """The current state of a command; each state has its own deadline."""

    value: CommandStateValue | str
    timeout_at: datetime | None = None


def _parse_event(value: object) -> CommandEvent:
    data = as_object(value, "command event")
    return CommandEvent(
        name=req_str(data, "name", "command event"),
        timestamp=opt_datetime(data, "timestamp", "command event"),
    )


def _last_message(raw_events: list[object]) -> str | None:
    for event in reversed(raw_events):
        if isinstance(event, dict) and isinstance(event.get("message"), str):
            return str(event["message"])
    return None


@dataclass(frozen=True, slots=True)
class Command:
    """A command sent to a device, as returned by POST and GET."""

    id: str
    name: CommandName | str
    device_id: str | None
    state: CommandState
    events: tuple[CommandEvent, ...] = ()
    uri: str | None = None
    message: str | None = None
    """The text of the latest event that carries one (e.g. why it was rejected)."""
    device_state: DeviceState | None = field(default=None, compare=False)
    """The device's state when this version was seen (set by the command follower,
    ``None`` from a plain GET): LOCKING/UNLOCKING while the user acts."""

    @classmethod
    def from_json(cls, value: object) -> Command:
        """Parse a command resource."""
        data = as_object(value, "command")
        state = as_object(data.get("state"), "command state")
        device = data.get("device")
        device_id = None
        if isinstance(device, dict):
            device_id = opt_str(device, "id")
        elif isinstance(device, str):
            device_id = device
        raw_events = data.get("events")
        if raw_events is None:
            raw_events = []
        if not isinstance(raw_events, list):
            raise MalformedResponseError("command events is not an array")
        return cls(
            id=req_str(data, "id", "command"),
            name=enum_or_str(CommandName, opt_str(data, "name") or ""),
            device_id=device_id,
            state=CommandState(
                value=enum_or_str(
                    CommandStateValue, req_str(state, "value", "command state")
                ),
                timeout_at=opt_datetime(state, "timeout_at", "command state"),
            ),
            events=tuple(_parse_event(event) for event in raw_events),
            uri=opt_str(data, "uri"),
            message=_last_message(raw_events),
        )

    @property
    def is_terminal(self) -> bool:
        """Return whether the command reached SUCCESS or ERROR."""
        return self.state.value in TERMINAL_STATES

    @property
    def succeeded(self) -> bool:
        """Return whether the command reached SUCCESS."""
        return self.state.value == CommandStateValue.SUCCESS

    @property
    def failed(self) -> bool:
        """Return whether the command reached ERROR."""
        return self.state.value == CommandStateValue.ERROR

    @property
    def phase(self) -> str:
        """Return what to show: the device state when known, else the command state."""
        if self.device_state is not None and not self.is_terminal:
            return str(self.device_state.value)
        return str(self.state.value)

    @property
    def last_event(self) -> CommandEvent | None:
        """Return the most recent event, if any."""
        return self.events[-1] if self.events else None
