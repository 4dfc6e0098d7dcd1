"""Cancellations wait: two syncs and 10 minutes; a mass cancellation waits for the host."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.smart_access.guest_sync.model import (
    Action,
    ActionKind,
    GuestKey,
    Reason,
)
from custom_components.smart_access.guest_sync.sync import (
    Confirmation,
    LinkState,
    _confirm,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CONFIRM = Confirmation()
ALLOW = Confirmation(allow_mass=True)


def key(ref: str) -> GuestKey:
    return (ref, "America/Denver")


def cancel(ref: str) -> Action:
    return Action(ActionKind.DEACTIVATE, Reason.CANCELLED, key(ref), guest_id=ref)


def going(
    state: LinkState,
    refs: list[str],
    at: datetime,
    active: list[str],
    confirm: Confirmation = CONFIRM,
) -> tuple[set[str], bool]:
    """Run one sync's confirmation; return the refs that go, and whether mass."""
    go, _, _, mass = _confirm(
        [cancel(ref) for ref in refs], state, at, confirm, {key(r) for r in active}
    )
    return {action.key[0] for action in go}, mass


def test_one_cancellation_goes_after_ten_minutes_and_two_syncs() -> None:
    state = LinkState()
    assert going(state, ["a"], T0, ["a", "b"]) == (set(), False)
    assert going(state, ["a"], T0 + timedelta(minutes=5), ["a", "b"]) == (set(), False)
    assert going(state, ["a"], T0 + timedelta(minutes=10), ["a", "b"]) == ({"a"}, False)


def test_a_booking_that_comes_back_starts_over() -> None:
    state = LinkState()
    going(state, ["a"], T0, ["a", "b"])
    going(state, [], T0 + timedelta(minutes=5), ["a", "b"])
    assert going(state, ["a"], T0 + timedelta(minutes=11), ["a", "b"]) == (set(), False)


def test_all_at_once_is_held_until_the_host_allows_even_within_ten_minutes() -> None:
    state = LinkState()
    assert going(state, ["a", "b"], T0, ["a", "b"]) == (set(), True)
    assert going(state, ["a", "b"], T0 + timedelta(hours=1), ["a", "b"]) == (
        set(),
        True,
    )
    state = LinkState()
    going(state, ["a", "b"], T0, ["a", "b"])
    assert going(state, ["a", "b"], T0 + timedelta(minutes=2), ["a", "b"], ALLOW) == (
        {"a", "b"},
        False,
    )


def test_guests_checking_out_do_not_lift_the_hold() -> None:
    """A checks out (no longer active nor cancelled): B stays held."""
    state = LinkState()
    going(state, ["a", "b"], T0, ["a", "b"])
    assert going(state, ["b"], T0 + timedelta(hours=2), ["b"]) == (set(), True)


def test_a_feed_partly_back_keeps_the_rest_held() -> None:
    state = LinkState()
    going(state, ["a", "b", "c"], T0, ["a", "b", "c"])
    assert going(state, ["b", "c"], T0 + timedelta(minutes=30), ["a", "b", "c"]) == (
        set(),
        True,
    )


def test_allowed_guests_stay_allowed_until_done() -> None:
    """A confirm cut short by the budget: the rest go at the next sync, not re-held."""
    state = LinkState()
    going(state, ["a", "b", "c"], T0, ["a", "b", "c"])
    going(state, ["a", "b", "c"], T0 + timedelta(minutes=1), ["a", "b", "c"], ALLOW)
    # Only "a" was deactivated (budget): b and c are still active and cancelled.
    assert going(state, ["b", "c"], T0 + timedelta(minutes=2), ["b", "c"]) == (
        {"b", "c"},
        False,
    )


def test_one_booking_over_two_zones_is_not_a_mass_cancellation() -> None:
    state = LinkState()
    two_zones = [
        cancel("a"),
        Action(
            ActionKind.DEACTIVATE, Reason.CANCELLED, ("a", "Europe/Amsterdam"), "a2"
        ),
    ]
    _, _, _, mass = _confirm(
        two_zones, state, T0, CONFIRM, {key("a"), ("a", "Europe/Amsterdam")}
    )
    assert not mass
