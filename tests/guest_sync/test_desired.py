"""Bookings become desired guests: windows, all-day defaults, buffers, zones, DST.

Also the rules that read an event: PIN, e-mail and identity (``booking_uid``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.smart_access.guest_sync.contact import (
    email_from_event,
    email_from_text,
)
from custom_components.smart_access.guest_sync.desired import desired_guests
from custom_components.smart_access.guest_sync.model import (
    Booking,
    DesiredGuest,
    GuestKey,
    Rules,
    Target,
    booking_ref,
    booking_uid,
    marked_name,
    split_marked_name,
)
from custom_components.smart_access.guest_sync.pin_rule import pin_from_text

DENVER = "America/Denver"
AMSTERDAM = "Europe/Amsterdam"
LOCK = Target("lock", "front", DENVER)
DOOR = Target("acs_door", "lobby", DENVER, time(16, 0), time(10, 0))
CANAL = Target("lock", "canal", AMSTERDAM)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def local(*args: int) -> datetime:
    """Return a naive local (wall-clock) time, as guests carry them."""
    return datetime(*args, tzinfo=UTC).replace(tzinfo=None)  # type: ignore[misc]


def at(zone: str, *args: int) -> datetime:
    """Return an aware local time."""
    return datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


def key(uid: str, zone: str = DENVER) -> GuestKey:
    return booking_ref(uid), zone


def one(
    bookings: list[Booking], targets: list[Target], rules: Rules | None = None
) -> DesiredGuest:
    wanted = desired_guests(bookings, targets, rules or Rules(), NOW)
    assert len(wanted) == 1
    return next(iter(wanted.values()))


@pytest.mark.parametrize(
    ("booking", "rules", "starts", "ends"),
    [
        pytest.param(
            Booking("a", "Ann", at(DENVER, 2026, 3, 5, 15), at(DENVER, 2026, 3, 8, 11)),
            Rules(),
            local(2026, 3, 5, 15),
            local(2026, 3, 8, 11),
            id="timed",
        ),
        pytest.param(
            Booking("a", "Ann", at(DENVER, 2026, 3, 5, 15), at(DENVER, 2026, 3, 8, 11)),
            Rules(
                check_in_buffer=timedelta(minutes=30),
                check_out_buffer=timedelta(hours=1),
            ),
            local(2026, 3, 5, 14, 30),
            local(2026, 3, 8, 12),
            id="buffers",
        ),
        pytest.param(
            Booking("a", "Ann", date(2026, 3, 5), date(2026, 3, 8)),
            Rules(),
            local(2026, 3, 5, 15),
            local(2026, 3, 8, 11),
            id="all-day, documented defaults",
        ),
        pytest.param(
            Booking("a", "Ann", date(2026, 3, 5), date(2026, 3, 8)),
            Rules(check_in=time(14), check_out=time(10, 30)),
            local(2026, 3, 5, 14),
            local(2026, 3, 8, 10, 30),
            id="all-day, link's times",
        ),
        pytest.param(
            Booking("a", "Ann", at(DENVER, 2026, 3, 5, 15), None),
            Rules(),
            local(2026, 3, 5, 15),
            local(2026, 3, 6, 11),
            id="no end: one night",
        ),
        pytest.param(
            Booking("a", "Ann", date(2026, 3, 5), None),
            Rules(),
            local(2026, 3, 5, 15),
            local(2026, 3, 6, 11),
            id="all-day without end",
        ),
        pytest.param(
            Booking(
                "a",
                "Ann",
                at(DENVER, 2026, 3, 5, 15, 0, 30),
                at(DENVER, 2026, 3, 8, 10, 59, 1),
            ),
            Rules(),
            local(2026, 3, 5, 15),
            local(2026, 3, 8, 11),
            id="rounded outward to the minute",
        ),
    ],
)
def test_local_times(
    booking: Booking, rules: Rules, starts: datetime, ends: datetime
) -> None:
    """Each kind of event gets the documented local check-in and check-out."""
    guest = one([booking], [LOCK], rules)
    assert guest.key == key("a")
    assert (guest.state.starts_at, guest.state.ends_at) == (starts, ends)
    assert guest.state.name == "Ann"
    assert guest.state.targets == (("lock", "front"),)


def test_all_day_uses_the_locations_default_guest_times() -> None:
    """default_guest_start_time / default_guest_end_time of the location win."""
    guest = one([Booking("a", "Ann", date(2026, 3, 5), date(2026, 3, 8))], [DOOR])
    assert guest.state.starts_at == local(2026, 3, 5, 16)
    assert guest.state.ends_at == local(2026, 3, 8, 10)


def test_one_guest_per_zone_with_each_zones_times() -> None:
    """A booking over Denver and Amsterdam locks: two guests, same instants."""
    booking = Booking(
        "a", "Ann", at(DENVER, 2026, 3, 5, 15), at(DENVER, 2026, 3, 8, 11)
    )
    wanted = desired_guests([booking], [LOCK, CANAL, DOOR], Rules(), NOW)
    assert set(wanted) == {key("a"), key("a", AMSTERDAM)}
    denver, amsterdam = wanted[key("a")], wanted[key("a", AMSTERDAM)]
    assert denver.state.targets == (("acs_door", "lobby"), ("lock", "front"))
    assert amsterdam.state.targets == (("lock", "canal"),)
    assert amsterdam.state.starts_at == local(2026, 3, 5, 23)
    # Denver's clocks went forward on 8 March: 11:00 MDT is 18:00 in Amsterdam.
    assert amsterdam.state.ends_at == local(2026, 3, 8, 18)


@pytest.mark.parametrize(
    ("start", "end", "denver", "amsterdam"),
    [
        pytest.param(
            # US clocks go forward on 8 March 2026, EU on 29 March.
            at(DENVER, 2026, 3, 7, 15),
            at(DENVER, 2026, 3, 9, 11),
            (local(2026, 3, 7, 15), local(2026, 3, 9, 11)),
            (local(2026, 3, 7, 23), local(2026, 3, 9, 18)),
            id="spring forward (US)",
        ),
        pytest.param(
            # EU clocks go back on 25 October, US on 1 November.
            at(AMSTERDAM, 2026, 10, 24, 15),
            at(AMSTERDAM, 2026, 10, 26, 11),
            (local(2026, 10, 24, 7), local(2026, 10, 26, 4)),
            (local(2026, 10, 24, 15), local(2026, 10, 26, 11)),
            id="fall back (EU)",
        ),
    ],
)
def test_two_zones_across_dst(
    start: datetime,
    end: datetime,
    denver: tuple[datetime, datetime],
    amsterdam: tuple[datetime, datetime],
) -> None:
    """Wall-clock times per zone stay right when one zone changes its clocks."""
    now = start - timedelta(days=2)
    wanted = desired_guests(
        [Booking("a", "Ann", start, end)], [LOCK, CANAL], Rules(), now
    )
    got_denver = wanted[key("a")].state
    got_amsterdam = wanted[key("a", AMSTERDAM)].state
    assert (got_denver.starts_at, got_denver.ends_at) == denver
    assert (got_amsterdam.starts_at, got_amsterdam.ends_at) == amsterdam


def test_all_day_check_in_on_a_spring_forward_night_keeps_its_wall_time() -> None:
    """All-day check-in at 15:00 local on the day clocks change is still 15:00."""
    now = datetime(2026, 3, 1, tzinfo=UTC)
    wanted = desired_guests(
        [Booking("a", "Ann", date(2026, 3, 8), date(2026, 3, 9))],
        [LOCK],
        Rules(check_in_buffer=timedelta(hours=14)),
        now,
    )
    # 15:00 MDT minus 14 h is 00:00 MST: the buffer spans the change (23 h day).
    assert wanted[key("a")].state.starts_at == local(2026, 3, 8, 0)


@pytest.mark.parametrize(
    ("start", "end", "wanted"),
    [
        pytest.param(
            at(DENVER, 2026, 2, 20, 15), at(DENVER, 2026, 2, 25, 11), False, id="ended"
        ),
        pytest.param(
            at(DENVER, 2026, 2, 27, 15), at(DENVER, 2026, 3, 3, 11), True, id="current"
        ),
        pytest.param(
            at(DENVER, 2026, 3, 14, 15),
            at(DENVER, 2026, 3, 16, 11),
            True,
            id="in window",
        ),
        pytest.param(
            at(DENVER, 2026, 3, 20, 15),
            at(DENVER, 2026, 3, 22, 11),
            False,
            id="beyond look-ahead",
        ),
    ],
)
def test_the_window(start: datetime, end: datetime, wanted: bool) -> None:
    """Wanted while the end is ahead and the start within the look-ahead (14 days)."""
    result = desired_guests([Booking("a", "Ann", start, end)], [LOCK], Rules(), NOW)
    assert bool(result) is wanted


def test_overlapping_and_back_to_back_bookings_are_separate_guests() -> None:
    """Two bookings at once, and one ending as the next begins: three guests."""
    bookings = [
        Booking("a", "Ann", at(DENVER, 2026, 3, 5, 15), at(DENVER, 2026, 3, 8, 11)),
        Booking("b", "Bob", at(DENVER, 2026, 3, 5, 15), at(DENVER, 2026, 3, 7, 11)),
        Booking("c", "Cy", at(DENVER, 2026, 3, 8, 11), at(DENVER, 2026, 3, 9, 11)),
    ]
    wanted = desired_guests(bookings, [LOCK], Rules(), NOW)
    assert {guest.state.name for guest in wanted.values()} == {"Ann", "Bob", "Cy"}
    assert wanted[key("a")].state.ends_at == wanted[key("c")].state.starts_at


def test_naive_times_are_refused() -> None:
    """A naive event time or now is a caller's bug, said at once."""
    with pytest.raises(ValueError, match="naive start"):
        desired_guests(
            [Booking("a", "A", local(2026, 3, 5), None)], [LOCK], Rules(), NOW
        )
    with pytest.raises(ValueError, match="naive end"):
        desired_guests(
            [Booking("a", "A", at(DENVER, 2026, 3, 5), local(2026, 3, 6))],
            [LOCK],
            Rules(),
            NOW,
        )
    with pytest.raises(ValueError, match="aware"):
        desired_guests([], [LOCK], Rules(), local(2026, 3, 1))


def test_names_default_and_pins_follow_the_rule() -> None:
    """Blank summary: "Guest"; the PIN comes from the description unless refused."""
    booking = Booking(
        "a",
        "  ",
        at(DENVER, 2026, 3, 5, 15),
        at(DENVER, 2026, 3, 6, 11),
        description="Phone: +1 (303) 555-0123",
    )
    wanted = desired_guests([booking], [LOCK], Rules(), NOW, pin_digits=4)
    assert wanted[key("a")].state.name == "Guest"
    assert wanted[key("a")].pin == "0123"
    refused = desired_guests(
        [booking], [LOCK], Rules(), NOW, pin_digits=4, pin_rejected=[key("a")]
    )
    assert refused[key("a")].pin is None
    assert desired_guests([booking], [LOCK], Rules(), NOW)[key("a")].pin is None


@pytest.mark.parametrize(
    ("text", "digits", "pin"),
    [
        ("Call +31 6 1234 5678 or 020-555 0101", 4, "0101"),
        ("Guest phone 303.555.0199", 6, "550199"),
        ("Booking 12, 3 guests", 4, None),
        ("", 4, None),
        (None, 4, None),
        ("Phone 555-0123, booking 99", 4, "0123"),
    ],
)
def test_pin_rule(text: str | None, digits: int, pin: str | None) -> None:
    """The last phone-like number with enough digits gives its last digits."""
    assert pin_from_text(text, digits) == pin


def test_pin_rule_digits_are_bounded() -> None:
    """RemoteLock PINs are 4 to 8 digits."""
    with pytest.raises(ValueError, match="4-8"):
        pin_from_text("123456789", 9)


def test_marked_names_round_trip_and_ignore_others() -> None:
    """The marker names the link and the booking; other links' guests are not ours."""
    ref = booking_ref("uid-1@airbnb.com")
    name = marked_name("Ann Smith", "k3f9", ref)
    assert name == f"Ann Smith [k3f9-{ref}]"
    assert split_marked_name(name, "k3f9") == ("Ann Smith", ref)
    assert split_marked_name(name, "zzzz") is None
    assert split_marked_name(None, "k3f9") is None
    assert split_marked_name("Ann Smith", "k3f9") is None
    assert split_marked_name("Ann [k3f9-short]", "k3f9") is None


def test_an_end_in_the_repeated_hour_is_not_read_an_hour_early() -> None:
    """Check-out at the second 01:30 (fall back): written so it never ends early."""
    # 1 November 2026, 01:30 MST (the second 01:30) is 08:30 UTC.
    end = datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    now = datetime(2026, 10, 25, tzinfo=UTC)
    wanted = desired_guests(
        [Booking("a", "Ann", at(DENVER, 2026, 10, 30, 15), end)], [LOCK], Rules(), now
    )
    assert wanted[key("a")].state.ends_at == local(2026, 11, 1, 2, 30)
    # The first 01:30 (MDT) needs no move.
    first = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    wanted = desired_guests(
        [Booking("a", "Ann", at(DENVER, 2026, 10, 30, 15), first)], [LOCK], Rules(), now
    )
    assert wanted[key("a")].state.ends_at == local(2026, 11, 1, 1, 30)


def test_only_the_first_zones_guest_takes_the_events_pin() -> None:
    """RemoteLock refuses a PIN another person has: one zone's guest takes it."""
    booking = Booking(
        "a",
        "Ann",
        at(DENVER, 2026, 3, 5, 15),
        at(DENVER, 2026, 3, 8, 11),
        description="Phone: +1 (303) 555-0123",
    )
    wanted = desired_guests([booking], [LOCK, CANAL, DOOR], Rules(), NOW, pin_digits=4)
    # Zones sorted by name: America/Denver before Europe/Amsterdam.
    assert wanted[key("a")].pin == "0123"
    assert wanted[key("a", AMSTERDAM)].pin is None
    # The first zone's PIN refused: it is taken, so no zone's guest gets it.
    refused = desired_guests(
        [booking],
        [LOCK, CANAL],
        Rules(),
        NOW,
        pin_digits=4,
        pin_rejected=[key("a")],
    )
    assert [guest.pin for guest in refused.values()] == [None, None]
    # A link with the Amsterdam lock only: its one guest takes the PIN.
    alone = desired_guests([booking], [CANAL], Rules(), NOW, pin_digits=4)
    assert alone[key("a", AMSTERDAM)].pin == "0123"


@pytest.mark.parametrize(
    ("description", "location", "summary", "email"),
    [
        pytest.param(
            "Reach me at Ann.Smith+stay@example.co.uk.",
            "bob@example.com",
            "carl@example.com",
            "Ann.Smith+stay@example.co.uk",
            id="description first, sentence dot left out",
        ),
        pytest.param(
            "Phone +1 303 555 0123",
            "<mailto:bob@ex-ample.com>",
            "carl@example.com",
            "bob@ex-ample.com",
            id="then the location",
        ),
        pytest.param(
            "",
            "Canal house",
            "Carl (carl@example.com)",
            "carl@example.com",
            id="summary",
        ),
        pytest.param(
            "first a@example.com, then b@example.com",
            "",
            "",
            "a@example.com",
            id="the first address",
        ),
        pytest.param(
            "ann@localhost, @example.com, ann@-bad.com, ann@example.c",
            "",
            "Ann",
            None,
            id="not addresses",
        ),
    ],
)
def test_email_rule(
    description: str, location: str, summary: str, email: str | None
) -> None:
    """The first e-mail address of the description, location, then summary."""
    booking = Booking(
        "a",
        summary,
        at(DENVER, 2026, 3, 5, 15),
        at(DENVER, 2026, 3, 6, 11),
        description,
        location,
    )
    assert email_from_event(description, location, summary) == email
    wanted = desired_guests(
        [booking], [LOCK, CANAL], Rules(), NOW, email_from_event=True
    )
    assert {guest.email for guest in wanted.values()} == {email}
    # Off by default; a secret, not in the repr.
    assert desired_guests([booking], [LOCK], Rules(), NOW)[key("a")].email is None
    assert "email" not in repr(wanted[key("a")])


def test_email_from_text_edges() -> None:
    """Nothing to read: no e-mail."""
    assert email_from_text(None) is None
    assert email_from_text("") is None
    assert email_from_text("x ...ann@example.org") == "ann@example.org"


@pytest.mark.parametrize(
    ("uid", "recurrence_id", "summary", "start", "expected"),
    [
        pytest.param("u1", None, "Ann", date(2026, 3, 5), "u1", id="single event"),
        pytest.param("u1", "", "Ann", date(2026, 3, 5), "u1", id="empty recurrence"),
        pytest.param(
            "u1",
            "20260305T150000Z",
            "Ann",
            date(2026, 3, 5),
            "u1/20260305T150000Z",
            id="instance of a recurring event",
        ),
        pytest.param(
            None,
            None,
            "Ann",
            date(2026, 3, 5),
            "nouid:Ann/2026-03-05",
            id="no uid, all-day",
        ),
        pytest.param(
            "",
            "20260305",
            "Ann",
            datetime(2026, 3, 5, 15, tzinfo=ZoneInfo(DENVER)),
            "nouid:Ann/2026-03-05T15:00:00-07:00",
            id="empty uid, timed",
        ),
    ],
)
def test_booking_uid(
    uid: str | None,
    recurrence_id: str | None,
    summary: str,
    start: date | datetime,
    expected: str,
) -> None:
    """uid, uid/recurrence-id, or the documented fallback without a uid."""
    assert booking_uid(uid, recurrence_id, summary, start) == expected


def test_a_booking_without_uid_that_moves_is_cancelled_and_new() -> None:
    """The fallback names the start: a moved event is another booking."""
    first = booking_uid(None, None, "Ann", date(2026, 3, 5))
    moved = booking_uid(None, None, "Ann", date(2026, 3, 6))
    assert first != moved
    assert first == booking_uid(None, None, "Ann", date(2026, 3, 5))


def test_a_made_guest_stays_wanted_past_the_look_ahead() -> None:
    """A booking beyond the look-ahead whose guest exists is still wanted (keep)."""
    far = Booking("a", "Ann", at(DENVER, 2026, 3, 20, 15), at(DENVER, 2026, 3, 22, 11))
    assert desired_guests([far], [LOCK], Rules(), NOW) == {}
    kept = desired_guests([far], [LOCK], Rules(), NOW, keep=[key("a")])
    assert list(kept) == [key("a")]
