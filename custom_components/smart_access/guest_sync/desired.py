"""Bookings → the guests a link wants: one per booking and time zone, local times.

Times:

* **Timed events** are aware: the check-in buffer is taken off the start and the
  check-out buffer added to the end on the time line, then each is converted to
  the wall-clock time of each target zone (correct across DST changes).
* **All-day events** (dates; the end date is the check-out day, exclusive as in
  iCalendar) check in at the targets' ``default_guest_start_time`` (each
  ``Target.default_start``: the Home Assistant side fills it from the lock's own
  default guest times, else the account's) and check out at their
  ``default_guest_end_time``; without them at ``Rules.check_in``/``check_out``
  (15:00 and 11:00), local to each zone; buffers apply.
* **No end** (or an end not after the start): one night, check-out at the check-out
  time of the next day.
* Starts are rounded down and ends up to the minute. An end in the hour repeated
  when clocks go back is moved past that hour (a wall-clock time reads as its
  first occurrence, which would end access an hour early).
* Targets in two zones give two guests (one per zone), each with that zone's times:
  a RemoteLock guest has one pair of wall-clock times that every lock reads in its
  own zone.

PIN and e-mail:

* With ``pin_digits``, the PIN comes from the event's description (``pin_rule``);
  a key whose PIN RemoteLock refused (``pin_rejected``) gets a generated one.
  A key whose e-mail address RemoteLock refused (``email_rejected``) is created
  without one.
* **A booking over two zones** has two guests, and RemoteLock refuses a PIN that
  another access person of the account already has, whatever their locks (the
  simulator checks every user and guest that is not deactivated, expired ones
  too, and answers ``pin: has already been taken``; the API documentation says
  nothing either way). So only the guest of the first of
  the link's zones (zones sorted by name) takes the event's PIN; the guests of the
  other zones get a generated one, instead of a create that would be refused
  every time before falling back.
* With ``email_from_event``, the first e-mail address of the description, then
  the location, then the summary (``contact``) is each guest's e-mail (an e-mail
  may be shared; it is what RemoteLock's instructions e-mail goes to).

A booking is wanted while its (buffered) end is after ``now`` and its start before
``now + look_ahead``; one whose guest is already made (``keep``) stays wanted past
the look-ahead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from ..api.remotelock.timezones import aware_to_local_naive, local_naive_to_aware
from .contact import email_from_event as find_email
from .model import (
    Booking,
    DesiredGuest,
    GuestKey,
    GuestState,
    Rules,
    Target,
    booking_ref,
)
from .pin_rule import pin_from_text

DEFAULT_NAME = "Guest"


def zones(targets: Iterable[Target]) -> dict[str, list[Target]]:
    """Group targets by time zone (zones and targets sorted)."""
    grouped: dict[str, list[Target]] = {}
    unique = {target.ref: target for target in targets}.values()
    for target in sorted(unique, key=lambda item: (item.time_zone, item.ref)):
        grouped.setdefault(target.time_zone, []).append(target)
    return grouped


def _floor_minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def _ceil_minute(value: datetime) -> datetime:
    floor = _floor_minute(value)
    return floor if floor == value else floor + timedelta(minutes=1)


def _check_times(group: list[Target], rules: Rules) -> tuple[time, time]:
    """Return the check-in and check-out times of a zone's targets.

    Targets of several locations in one zone: the earliest default start and the
    latest default end, so no door opens later or closes earlier than its own.
    """
    starts = [target.default_start for target in group if target.default_start]
    ends = [target.default_end for target in group if target.default_end]
    return (min(starts) if starts else rules.check_in), (
        max(ends) if ends else rules.check_out
    )


def _local_end(finish: datetime, zone: str) -> datetime:
    """Return the local end, never read back earlier than ``finish``.

    An end in the hour repeated when clocks go back is written as a wall-clock
    time, which reads as its first occurrence (an hour early): such an end is
    moved past the repeated hour instead.
    """
    local = _ceil_minute(aware_to_local_naive(finish, zone))
    while local_naive_to_aware(local, zone) < finish:
        local += timedelta(hours=1)
    return local


def instants(
    booking: Booking, zone: str, check_in: time, check_out: time, rules: Rules
) -> tuple[datetime, datetime]:
    """Return the booking's buffered start and end on the time line (UTC)."""
    start = booking.start
    if isinstance(start, datetime):
        if start.tzinfo is None:
            raise ValueError(f"event {booking.uid!r} has a naive start")
        begin = start.astimezone(UTC)
        start_day = aware_to_local_naive(start, zone).date()
    else:
        begin = local_naive_to_aware(datetime.combine(start, check_in), zone)
        start_day = start
    end = booking.end
    finish: datetime | None = None
    if isinstance(end, datetime):
        if end.tzinfo is None:
            raise ValueError(f"event {booking.uid!r} has a naive end")
        finish = end.astimezone(UTC)
    elif isinstance(end, date):
        finish = local_naive_to_aware(datetime.combine(end, check_out), zone)
    if finish is None or finish <= begin:
        next_day = start_day + timedelta(days=1)
        finish = local_naive_to_aware(datetime.combine(next_day, check_out), zone)
    return begin - rules.check_in_buffer, finish + rules.check_out_buffer


def desired_guests(
    bookings: Iterable[Booking],
    targets: Iterable[Target],
    rules: Rules,
    now: datetime,
    *,
    pin_digits: int | None = None,
    pin_rejected: Iterable[GuestKey] = (),
    email_from_event: bool = False,
    email_rejected: Iterable[GuestKey] = (),
    keep: Iterable[GuestKey] = (),
) -> dict[GuestKey, DesiredGuest]:
    """Return the guests the bookings want, by key.

    ``pin_digits``: take the PIN from the event's description (see ``pin_rule``)
    for the guest of the first zone only (see the module's docstring); None lets
    RemoteLock generate it. ``pin_rejected``: keys whose PIN RemoteLock refused (a
    duplicate): those get a generated one. ``email_from_event``: take the guest's
    e-mail from the event (see ``contact``).
    """
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    grouped = zones(targets)
    # The zone whose guest may carry the event's PIN: one PIN, one person.
    pin_zone = next(iter(grouped), None)
    rejected = set(pin_rejected)
    no_email = set(email_rejected)
    # Guests already made stay wanted when their booking moves past the look-ahead
    # (or the look-ahead shrinks): deactivating them would cost their PIN.
    kept = set(keep)
    horizon = now + rules.look_ahead
    wanted: dict[GuestKey, DesiredGuest] = {}
    for booking in bookings:
        ref = booking_ref(booking.uid)
        email = None
        if email_from_event:
            email = find_email(booking.description, booking.location, booking.summary)
        for zone, group in grouped.items():
            check_in, check_out = _check_times(group, rules)
            begin, finish = instants(booking, zone, check_in, check_out, rules)
            key = (ref, zone)
            if finish <= now or (begin >= horizon and key not in kept):
                continue
            pin = None
            if pin_digits is not None and zone == pin_zone and key not in rejected:
                pin = pin_from_text(booking.description, pin_digits)
            wanted[key] = DesiredGuest(
                key=key,
                uid=booking.uid,
                state=GuestState(
                    # One line: a name is what a lock's log and e-mails show.
                    name=" ".join(booking.summary.split()) or DEFAULT_NAME,
                    starts_at=_floor_minute(aware_to_local_naive(begin, zone)),
                    ends_at=_local_end(finish, zone),
                    targets=tuple(target.ref for target in group),
                ),
                pin=pin,
                # An address RemoteLock refused is not sent again: the guest is
                # created without one (and so without the instructions e-mail).
                email=None if key in no_email else email,
            )
    return wanted


def ended(key: GuestKey, ends_at: datetime, now: datetime) -> bool:
    """Return whether a guest's local end (in its key's zone) is past."""
    return local_naive_to_aware(ends_at, key[1]) <= now


__all__ = ["DEFAULT_NAME", "desired_guests", "ended", "instants", "zones"]
