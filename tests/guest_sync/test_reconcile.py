"""The reconciler: desired guests against the link's guests at RemoteLock."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from custom_components.smart_access import guest_sync
from custom_components.smart_access.guest_sync.desired import desired_guests
from custom_components.smart_access.guest_sync.model import (
    Action,
    ActionKind,
    Applied,
    Booking,
    DesiredGuest,
    GuestState,
    ManagedGuest,
    Reason,
    Rules,
    Target,
    booking_ref,
)
from custom_components.smart_access.guest_sync.reconcile import reconcile

DENVER = "America/Denver"
LOCK = Target("lock", "front", DENVER)
BACK = Target("lock", "back", DENVER)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def local(*args: int) -> datetime:
    """Return a naive local (wall-clock) time, as guests carry them."""
    return datetime(*args, tzinfo=UTC).replace(tzinfo=None)  # type: ignore[misc]


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(DENVER))  # type: ignore[misc]


ANN = Booking("ann", "Ann", at(2026, 3, 5, 15), at(2026, 3, 8, 11))
BOB = Booking("bob", "Bob", at(2026, 3, 3, 15), at(2026, 3, 4, 11))


def want(*bookings: Booking, targets: tuple[Target, ...] = (LOCK,)) -> dict:
    return desired_guests(bookings, targets, Rules(), NOW)


def guest(desired: DesiredGuest, guest_id: str, **changes: object) -> ManagedGuest:
    """The guest at RemoteLock as the link made it (``changes`` applied)."""
    return ManagedGuest(
        guest_id, desired.key, replace(desired.state, **changes), "upcoming"
    )


def applied(desired: DesiredGuest, guest_id: str) -> Applied:
    return Applied(guest_id, desired.state)


def kinds(actions: list[Action]) -> list[tuple[ActionKind, Reason, str | None]]:
    return [(action.kind, action.reason, action.guest_id) for action in actions]


KEY = (booking_ref("ann"), DENVER)


def test_a_new_booking_is_created_soonest_first() -> None:
    """Nothing at RemoteLock yet: one create per booking, earliest check-in first."""
    outcome = reconcile(want(ANN, BOB), [], {}, NOW)
    assert [action.desired.state.name for action in outcome.actions] == ["Bob", "Ann"]
    assert {action.kind for action in outcome.actions} == {ActionKind.CREATE}
    assert {action.reason for action in outcome.actions} == {Reason.NEW}
    assert outcome.mapping == {}


def test_in_step_means_nothing_to_do() -> None:
    """What is wanted is what RemoteLock holds: no action, the mapping holds."""
    wanted = want(ANN)
    outcome = reconcile(wanted, [guest(wanted[KEY], "g1")], {}, NOW)
    assert outcome.actions == []
    assert outcome.mapping == {KEY: "g1"}


@pytest.mark.parametrize(
    ("booking", "fields"),
    [
        pytest.param(
            replace(ANN, start=at(2026, 3, 6, 15), end=at(2026, 3, 9, 11)),
            ("starts_at", "ends_at"),
            id="moved",
        ),
        pytest.param(
            replace(ANN, end=at(2026, 3, 7, 11)), ("ends_at",), id="shortened"
        ),
        pytest.param(
            replace(ANN, end=at(2026, 3, 10, 11)), ("ends_at",), id="extended"
        ),
        pytest.param(replace(ANN, summary="Ann Smith"), ("name",), id="renamed"),
    ],
)
def test_a_changed_booking_updates_what_changed(
    booking: Booking, fields: tuple[str, ...]
) -> None:
    """The booking moved or changed since it was written: update those fields."""
    before = want(ANN)[KEY]
    outcome = reconcile(
        want(booking), [guest(before, "g1")], {KEY: applied(before, "g1")}, NOW
    )
    (action,) = outcome.actions
    assert (action.kind, action.reason, action.guest_id) == (
        ActionKind.UPDATE,
        Reason.BOOKING_CHANGED,
        "g1",
    )
    assert action.fields == fields


def test_new_targets_update_the_guests_doors() -> None:
    """A link given one more lock: the guest's targets change."""
    before = want(ANN)[KEY]
    outcome = reconcile(
        want(ANN, targets=(LOCK, BACK)),
        [guest(before, "g1")],
        {KEY: applied(before, "g1")},
        NOW,
    )
    (action,) = outcome.actions
    assert action.fields == ("targets",)
    assert action.desired.state.targets == (("lock", "back"), ("lock", "front"))


def test_a_cancelled_booking_is_deactivated_and_an_ended_one_forgotten() -> None:
    """Gone from the calendar: deactivate while ahead; once over, no request."""
    ann = want(ANN)[KEY]
    past = ManagedGuest(
        "g0",
        (booking_ref("old"), DENVER),
        GuestState("Old", local(2026, 2, 20, 15), local(2026, 2, 25, 11), ()),
        "expired",
    )
    outcome = reconcile({}, [guest(ann, "g1"), past], {KEY: applied(ann, "g1")}, NOW)
    assert kinds(outcome.actions) == [
        (ActionKind.DEACTIVATE, Reason.CANCELLED, "g1"),
        (ActionKind.FORGET, Reason.ENDED, "g0"),
    ]


def test_a_portal_deletion_is_restored_or_reported() -> None:
    """The link made it, it is gone or deactivated: create again, or report."""
    wanted = want(ANN)
    state = {KEY: applied(wanted[KEY], "g1")}
    deactivated = replace(guest(wanted[KEY], "g1"), status="deactivated")
    for actual in ([], [deactivated]):
        outcome = reconcile(wanted, actual, state, NOW)
        assert kinds(outcome.actions) == [(ActionKind.CREATE, Reason.RESTORE, None)]
        hands_off = reconcile(wanted, actual, state, NOW, hands_off=True)
        assert kinds(hands_off.actions) == [(ActionKind.REPORT, Reason.RESTORE, "g1")]


def test_a_portal_change_is_undone_or_reported() -> None:
    """The booking is as written, the guest is not: the portal changed it."""
    wanted = want(ANN)
    state = {KEY: applied(wanted[KEY], "g1")}
    edited = guest(wanted[KEY], "g1", ends_at=local(2026, 3, 20, 11))
    outcome = reconcile(wanted, [edited], state, NOW)
    assert kinds(outcome.actions) == [(ActionKind.UPDATE, Reason.PORTAL_CHANGED, "g1")]
    hands_off = reconcile(wanted, [edited], state, NOW, hands_off=True)
    assert kinds(hands_off.actions) == [
        (ActionKind.REPORT, Reason.PORTAL_CHANGED, "g1")
    ]
    assert hands_off.actions[0].fields == ("ends_at",)
    # Hands off does not hold back a change of the booking itself.
    moved = want(replace(ANN, end=at(2026, 3, 9, 11)))
    assert kinds(reconcile(moved, [edited], state, NOW, hands_off=True).actions) == [
        (ActionKind.UPDATE, Reason.BOOKING_CHANGED, "g1")
    ]


def test_a_lost_mapping_is_rebuilt_from_the_markers() -> None:
    """Storage lost: the guests' markers give the mapping back, nothing is created."""
    wanted = want(ANN, BOB)
    actual = [guest(item, f"g-{item.state.name}") for item in wanted.values()]
    outcome = reconcile(wanted, actual, {}, NOW)
    assert outcome.actions == []
    assert outcome.mapping == {
        KEY: "g-Ann",
        (booking_ref("bob"), DENVER): "g-Bob",
    }


def test_duplicates_keep_the_mapped_one() -> None:
    """A create retried after a restart: the mapped guest stays, the others go."""
    wanted = want(ANN)
    actual = [guest(wanted[KEY], gid) for gid in ("g2", "g1", "g3")]
    outcome = reconcile(wanted, actual, {KEY: applied(wanted[KEY], "g3")}, NOW)
    assert outcome.mapping == {KEY: "g3"}
    assert kinds(outcome.actions) == [
        (ActionKind.DEACTIVATE, Reason.DUPLICATE, "g1"),
        (ActionKind.DEACTIVATE, Reason.DUPLICATE, "g2"),
    ]
    # Without a mapping the lowest id stays.
    assert reconcile(wanted, actual, {}, NOW).mapping == {KEY: "g1"}


def test_a_vanished_guest_of_a_cancelled_booking_is_forgotten() -> None:
    """In storage, not wanted, not at RemoteLock: only the mapping entry goes."""
    ann = want(ANN)[KEY]
    outcome = reconcile({}, [], {KEY: applied(ann, "g1")}, NOW)
    assert kinds(outcome.actions) == [(ActionKind.FORGET, Reason.GONE, "g1")]


def test_a_refused_pin_is_generated_next_time() -> None:
    """A duplicate PIN: the next desired set asks RemoteLock to generate one."""
    booking = replace(ANN, description="phone 303 555 0123")
    first = desired_guests([booking], [LOCK], Rules(), NOW, pin_digits=4)
    assert first[KEY].pin == "0123"
    outcome = reconcile(first, [], {}, NOW)
    assert outcome.actions[0].desired.pin == "0123"
    again = desired_guests(
        [booking], [LOCK], Rules(), NOW, pin_digits=4, pin_rejected=[KEY]
    )
    (action,) = reconcile(again, [], {}, NOW).actions
    assert action.kind is ActionKind.CREATE
    assert action.desired.pin is None


def test_the_package_imports_no_home_assistant() -> None:
    """Plain Python: nothing under guest_sync imports homeassistant."""
    for path in Path(guest_sync.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.startswith("homeassistant") for name in names), path


def test_cancellations_go_before_creates() -> None:
    """Ending access comes first, so a tight budget defers the creates instead."""
    ann = want(ANN)[KEY]
    outcome = reconcile(want(BOB), [guest(ann, "g1")], {KEY: applied(ann, "g1")}, NOW)
    assert [action.kind for action in outcome.actions] == [
        ActionKind.DEACTIVATE,
        ActionKind.CREATE,
    ]


def test_names_are_one_line_so_their_marker_reads_back() -> None:
    """A summary over several lines becomes one line; the marker still parses."""
    from custom_components.smart_access.guest_sync.model import (
        marked_name,
        split_marked_name,
    )

    wanted = want(replace(ANN, summary="Ann\nSmith \t (2 guests)"))
    name = wanted[KEY].state.name
    assert name == "Ann Smith (2 guests)"
    assert split_marked_name(marked_name(name, "k3f9", KEY[0]), "k3f9") == (
        name,
        KEY[0],
    )
    assert split_marked_name(f"Ann\nSmith [k3f9-{KEY[0]}]", "k3f9") == (
        "Ann\nSmith",
        KEY[0],
    )
    with pytest.raises(ValueError, match="link tag"):
        marked_name(name, "K3F9!", KEY[0])
