"""The data of calendar-driven guest access: bookings, targets, guests, actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
import hashlib
import re

# A guest a link manages is known by (booking reference, IANA time zone): one
# RemoteLock guest per booking and time zone, since a guest's starts_at/ends_at are
# wall-clock times that every lock reads in its own zone.
type GuestKey = tuple[str, str]
# (accessible type, accessible id), e.g. ("lock", "…"), ("door_group", "…").
type TargetRef = tuple[str, str]

# Check-in and check-out for all-day bookings when the location sets no default
# guest times (RemoteLock's default_guest_start_time / default_guest_end_time).
DEFAULT_CHECK_IN = time(15, 0)
DEFAULT_CHECK_OUT = time(11, 0)


def booking_uid(
    uid: str | None, recurrence_id: str | None, summary: str, start: date | datetime
) -> str:
    """Return the identity of a calendar event, the ``uid`` a :class:`Booking` takes.

    * ``uid`` alone for a single event;
    * ``uid + "/" + recurrence_id`` for one instance of a recurring event (all its
      instances share the uid);
    * no uid at all (some calendars give none; an empty one counts as none): the
      fallback ``"nouid:" + summary + "/" + start.isoformat()``. It is stable while
      the event stays as it is, but such a booking that moves or is renamed is seen
      as cancelled (its guest deactivated) and new (a new guest created).
    """
    if not uid:
        return f"nouid:{summary}/{start.isoformat()}"
    if recurrence_id:
        return f"{uid}/{recurrence_id}"
    return uid


def booking_ref(uid: str) -> str:
    """Return the short, stable reference of a calendar event's uid."""
    return hashlib.sha256(uid.encode()).hexdigest()[:12]


def marked_name(name: str, link_tag: str, ref: str) -> str:
    """Return a guest's name with the link's marker: ``Ann Smith [k3f9-1a2b3c4d5e6f]``.

    RemoteLock guests have no free-text field but the name (the API takes name,
    e-mail, PIN or card and the two times), so the marker is a short suffix of it:
    the link's tag and the booking reference. It is how a lost mapping is rebuilt
    and how the link tells its guests from everyone else's.
    """
    if not _TAG.fullmatch(link_tag):
        raise ValueError("a link tag is 4 characters of 0-9 and a-z")
    return f"{name} [{link_tag}-{ref}]"


_TAG = re.compile(r"[0-9a-z]{4}")
_MARKER = re.compile(
    r"^(?P<name>.*?)\s*\[(?P<tag>[0-9a-z]{4})-(?P<ref>[0-9a-f]{12})\]$", re.DOTALL
)


def split_marked_name(name: str | None, link_tag: str) -> tuple[str, str] | None:
    """Return (name without marker, booking reference) for a guest of ``link_tag``."""
    if not name:
        return None
    match = _MARKER.match(name.strip())
    if match is None or match["tag"] != link_tag:
        return None
    return match["name"], match["ref"]


@dataclass(frozen=True, slots=True)
class Booking:
    """A calendar event: timed (aware datetimes) or all-day (dates, end exclusive).

    ``uid`` identifies the event (see :func:`booking_uid`); ``location`` is the
    event's location text.
    """

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date | None = None
    description: str = ""
    location: str = ""


@dataclass(frozen=True, slots=True)
class Target:
    """A lock, ACS door, door group or location, with its location's settings."""

    type: str
    id: str
    time_zone: str
    default_start: time | None = None
    default_end: time | None = None

    @property
    def ref(self) -> TargetRef:
        """Return (type, id)."""
        return self.type, self.id


@dataclass(frozen=True, slots=True)
class Rules:
    """A link's options that shape the guests."""

    check_in_buffer: timedelta = timedelta(0)
    check_out_buffer: timedelta = timedelta(0)
    look_ahead: timedelta = timedelta(days=14)
    check_in: time = DEFAULT_CHECK_IN
    check_out: time = DEFAULT_CHECK_OUT
    hands_off: bool = False
    # The access schedule every door the link grants is under (None: at any time
    # between the guest's starts_at and ends_at). Set on grant only: a change does
    # not move the doors already granted.
    access_schedule_id: str | None = None


@dataclass(frozen=True, slots=True)
class GuestState:
    """What a guest is: name, local times and targets (compared field by field)."""

    name: str
    starts_at: datetime
    ends_at: datetime
    targets: tuple[TargetRef, ...]

    def differences(self, other: GuestState) -> tuple[str, ...]:
        """Return the names of the fields that differ from ``other``."""
        return tuple(
            name
            for name in ("name", "starts_at", "ends_at", "targets")
            if getattr(self, name) != getattr(other, name)
        )


@dataclass(frozen=True, slots=True)
class DesiredGuest:
    """A guest a booking wants, in one time zone."""

    key: GuestKey
    uid: str
    state: GuestState
    # A PIN found in the event (None: RemoteLock generates one).
    pin: str | None = field(default=None, repr=False)
    # An e-mail address found in the event (None: the guest has none). Sent when the
    # guest is created only; RemoteLock's instructions e-mail needs one.
    email: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class ManagedGuest:
    """A guest at RemoteLock that carries this link's marker."""

    guest_id: str
    key: GuestKey
    state: GuestState
    status: str | None = None  # current / upcoming / expired / deactivated

    @property
    def active(self) -> bool:
        """Return whether the guest is not deactivated."""
        return self.status != "deactivated"


@dataclass(frozen=True, slots=True)
class Applied:
    """What the link last wrote for a key (kept in storage)."""

    guest_id: str
    state: GuestState


class ActionKind(StrEnum):
    """What the reconciler asks for."""

    CREATE = "create"
    UPDATE = "update"
    DEACTIVATE = "deactivate"
    REPORT = "report"  # hands off: drift the user chose to be told about
    FORGET = "forget"  # no request: the guest ended or is gone


class Reason(StrEnum):
    """Why an action is asked for."""

    NEW = "new"
    RESTORE = "restore"  # deleted or deactivated in the portal
    BOOKING_CHANGED = "booking_changed"
    PORTAL_CHANGED = "portal_changed"
    CANCELLED = "cancelled"
    DUPLICATE = "duplicate"
    ENDED = "ended"
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class Action:
    """One step for the link to take; ``fields`` are what an update changes."""

    kind: ActionKind
    reason: Reason
    key: GuestKey
    guest_id: str | None = None
    desired: DesiredGuest | None = None
    fields: tuple[str, ...] = ()


def strip_marker(name: str) -> str:
    """Return a guest's name without a guest link's marker (any link's), trimmed."""
    match = _MARKER.match(name.strip())
    return match["name"] if match else name.strip()
