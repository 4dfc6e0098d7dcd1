"""A guest-access link's settings: what its config subentry holds, parsed once.

A *link* (a config subentry of a RemoteLock entry, type ``guest_access``) joins one
Home Assistant calendar to targets of that account. Its data is flat (the form's
sections are flattened when saved); :class:`LinkConfig` reads it with defaults, so
a link saved by an earlier version keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
import hashlib
from typing import Any, Final

from .const import ACCESSIBLE_DOOR_GROUP
from .guest_sync.model import Rules, TargetRef

SUBENTRY_GUEST_ACCESS: Final = "guest_access"

CONF_CALENDAR: Final = "calendar"
CONF_TARGETS: Final = "targets"
CONF_CHECK_IN_BUFFER: Final = "check_in_buffer"
CONF_CHECK_OUT_BUFFER: Final = "check_out_buffer"
CONF_LOOK_AHEAD: Final = "look_ahead"
CONF_NAME_TEMPLATE: Final = "name_template"
CONF_PIN_SOURCE: Final = "pin_source"
CONF_PIN_DIGITS: Final = "pin_digits"
CONF_ACCESS_SCHEDULE: Final = "access_schedule"
CONF_SEND_INSTRUCTIONS: Final = "send_instructions"
CONF_NOTIFY: Final = "notify"
CONF_HANDS_OFF: Final = "hands_off"

# The form's sections (flattened into the subentry's data when saved).
SECTION_TIMES: Final = "times"
SECTION_GUESTS: Final = "guests"
SECTION_HOST: Final = "host"

DEFAULT_NAME_TEMPLATE: Final = "{{ summary }}"
DEFAULT_LOOK_AHEAD_DAYS: Final = 14
DEFAULT_PIN_DIGITS: Final = 4


class PinSource(StrEnum):
    """Where a guest's PIN comes from."""

    GENERATED = "generated"  # RemoteLock generates it (the default)
    EVENT = "event"  # the last digits of the last phone number in the event


def link_tag(subentry_id: str) -> str:
    """Return the 4-character tag (0-9, a-z) a link marks its guests' names with.

    Derived from the subentry id, so it needs no storage and survives everything
    but removing the link; a new link gets a new tag and never adopts the guests of
    an old one.
    """
    number = int(hashlib.sha256(subentry_id.encode()).hexdigest(), 16)
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    chars = []
    for _ in range(4):
        number, index = divmod(number, 36)
        chars.append(alphabet[index])
    return "".join(chars)


def encode_target(ref: TargetRef) -> str:
    """Return ``type:id``, how a target is kept in the subentry."""
    return f"{ref[0]}:{ref[1]}"


def decode_target(value: str) -> TargetRef:
    """Return (type, id) of a kept ``type:id``."""
    kind, _, ident = value.partition(":")
    return kind, ident


@dataclass(frozen=True, slots=True)
class LinkConfig:
    """A link's settings."""

    calendar: str
    targets: tuple[TargetRef, ...]
    check_in_buffer: timedelta
    check_out_buffer: timedelta
    look_ahead: timedelta
    name_template: str
    pin_source: PinSource
    pin_digits: int
    access_schedule: str | None
    send_instructions: bool
    notify: str | None
    hands_off: bool

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> LinkConfig:
        """Read a subentry's data."""
        return cls(
            calendar=str(data[CONF_CALENDAR]),
            targets=tuple(decode_target(str(item)) for item in data[CONF_TARGETS]),
            check_in_buffer=timedelta(minutes=int(data.get(CONF_CHECK_IN_BUFFER, 0))),
            check_out_buffer=timedelta(minutes=int(data.get(CONF_CHECK_OUT_BUFFER, 0))),
            look_ahead=timedelta(
                days=int(data.get(CONF_LOOK_AHEAD, DEFAULT_LOOK_AHEAD_DAYS))
            ),
            name_template=str(data.get(CONF_NAME_TEMPLATE) or DEFAULT_NAME_TEMPLATE),
            pin_source=PinSource(data.get(CONF_PIN_SOURCE, PinSource.GENERATED)),
            pin_digits=int(data.get(CONF_PIN_DIGITS, DEFAULT_PIN_DIGITS)),
            access_schedule=data.get(CONF_ACCESS_SCHEDULE) or None,
            send_instructions=bool(data.get(CONF_SEND_INSTRUCTIONS, False)),
            notify=data.get(CONF_NOTIFY) or None,
            hands_off=bool(data.get(CONF_HANDS_OFF, False)),
        )

    def rules(self) -> Rules:
        """Return the reconciler's rules."""
        return Rules(
            check_in_buffer=self.check_in_buffer,
            check_out_buffer=self.check_out_buffer,
            look_ahead=self.look_ahead,
            hands_off=self.hands_off,
            access_schedule_id=self.access_schedule,
        )

    @property
    def door_groups(self) -> list[str]:
        """Return the ids of the door groups among the targets."""
        return [ident for kind, ident in self.targets if kind == ACCESSIBLE_DOOR_GROUP]

    @property
    def pin_from_event(self) -> int | None:
        """Return the digits taken from the event, or None (RemoteLock generates)."""
        return self.pin_digits if self.pin_source is PinSource.EVENT else None
