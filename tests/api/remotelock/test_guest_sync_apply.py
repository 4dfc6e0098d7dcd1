"""Calendar guest access against the simulator: read, reconcile, apply, read again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.smart_access.api.remotelock import RemoteLockClient
from custom_components.smart_access.guest_sync.apply import (
    Actual,
    Result,
    apply_actions,
    cost,
    read_actual,
)
from custom_components.smart_access.guest_sync.desired import desired_guests
from custom_components.smart_access.guest_sync.model import (
    ActionKind,
    Applied,
    Booking,
    GuestKey,
    Reason,
    Rules,
    Target,
    booking_ref,
)
from custom_components.smart_access.guest_sync.reconcile import Outcome, reconcile
from custom_components.smart_access.guest_sync.sync import (
    LinkState,
    SyncResult,
    sync_once,
)
from simulator.remotelock import RemoteLockSimulator
from simulator.remotelock.scenario import (
    ACCESS_SCHEDULE_ID,
    BACK_DOOR_ID,
    CANAL_DOOR_ID,
    FRONT_DOOR_ID,
)

DENVER, AMSTERDAM = "America/Denver", "Europe/Amsterdam"
TARGETS = [
    Target("lock", FRONT_DOOR_ID, DENVER),
    Target("lock", CANAL_DOOR_ID, AMSTERDAM),
]
ZONES = {target.ref: target.time_zone for target in TARGETS}
TAG = "k3f9"


class Link:
    """One link: its state and a sync against the module's TARGETS."""

    def __init__(
        self, client: RemoteLockClient, rules: Rules | None = None, **options: Any
    ) -> None:
        self.client = client
        self.state = LinkState()
        self.rules = rules or Rules()
        self.options = options
        self.last: SyncResult | None = None

    @property
    def applied(self) -> dict[GuestKey, Applied]:
        return self.state.applied

    @property
    def pin_rejected(self) -> set[GuestKey]:
        return self.state.pin_rejected

    async def sync(
        self, bookings: list[Booking], now: datetime, **options: Any
    ) -> tuple[Outcome, list[Result]]:
        self.last = done = await sync_once(
            self.client,
            TAG,
            bookings,
            TARGETS,
            self.rules,
            now,
            self.state,
            pin_digits=4,
            **(self.options | options),
        )
        return done.outcome, done.results


def booking(now: datetime, days: int = 2, nights: int = 3, **kw: str) -> Booking:
    start = (now + timedelta(days=days)).astimezone(ZoneInfo(DENVER))
    start = start.replace(hour=15, minute=0, second=0, microsecond=0)
    return Booking(
        kw.get("uid", "stay-1"),
        kw.get("summary", "Ann Smith"),
        start,
        start + timedelta(days=nights, hours=-4),
        kw.get("description", ""),
        kw.get("location", ""),
    )


async def test_a_booking_becomes_guests_and_follows_its_changes(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """Created per zone, steady, moved, cancelled: each shows at RemoteLock."""
    now = datetime.now(UTC)
    link = Link(client)
    stay = booking(now)
    outcome, results = await link.sync([stay], now)
    assert [a.kind for a in outcome.actions] == [ActionKind.CREATE] * 2
    assert all(result.ok and result.pin for result in results)
    guests = {
        person["id"]: person["attributes"]
        for person in sim.state.access_persons.values()
        if person["type"] == "access_guest"
        and person["attributes"]["name"].startswith("Ann Smith [k3f9-")
    }
    assert len(guests) == 2
    denver = link.applied[(booking_ref("stay-1"), DENVER)]
    assert guests[denver.guest_id]["starts_at"].startswith(
        denver.state.starts_at.isoformat()[:16]
    )

    # Steady state: nothing to do, the names, times and doors read back equal.
    outcome, _ = await link.sync([stay], now)
    assert outcome.actions == []

    moved = booking(now, days=3, nights=3)
    outcome, results = await link.sync([moved], now)
    assert [(a.kind, a.fields) for a in outcome.actions] == [
        (ActionKind.UPDATE, ("starts_at", "ends_at"))
    ] * 2
    assert all(result.ok for result in results)
    assert (await link.sync([moved], now))[0].actions == []

    outcome, results = await link.sync([], now)
    assert [(a.kind, a.reason) for a in outcome.actions] == [
        (ActionKind.DEACTIVATE, Reason.CANCELLED)
    ] * 2
    assert all(result.ok for result in results)
    assert (await link.sync([], now))[0].actions == []


async def test_a_refused_pin_is_replaced_and_a_deleted_guest_restored(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """Duplicate PIN: told, then generated; a guest deleted in the portal returns."""
    now = datetime.now(UTC)
    link = Link(client)
    denver, amsterdam = (
        (booking_ref("stay-1"), DENVER),
        (booking_ref("stay-1"), AMSTERDAM),
    )
    # The default scenario's access user holds PIN 1234. Only the first zone's
    # guest (Denver) takes the event's PIN; Amsterdam's is generated at once.
    stay = booking(now, description="Guest phone +1 303 555 1234")
    _, results = await link.sync([stay], now)
    by_key = {result.action.key: result for result in results}
    assert by_key[denver].pin_refused and not by_key[denver].ok
    assert by_key[amsterdam].ok and by_key[amsterdam].pin not in (None, "1234")
    assert link.pin_rejected == {denver}
    _, results = await link.sync([stay], now)
    assert [(r.action.key, r.ok) for r in results] == [(denver, True)]
    assert results[0].pin and results[0].pin != "1234"

    gone = link.applied[(booking_ref("stay-1"), DENVER)].guest_id
    del sim.state.access_persons[gone]
    outcome, results = await link.sync([stay], now)
    assert [(a.kind, a.reason) for a in outcome.actions] == [
        (ActionKind.CREATE, Reason.RESTORE)
    ]
    assert results[0].ok


async def test_doors_follow_the_link_and_failures_are_itemised(
    client: RemoteLockClient, sim: RemoteLockSimulator, monkeypatch
) -> None:
    """A door added or removed is granted or revoked; a refused one is reported."""
    now = datetime.now(UTC)
    link = Link(client)
    stay = booking(now)
    await link.sync([stay], now)
    key = (booking_ref("stay-1"), DENVER)
    guest_id = link.applied[key].guest_id

    back = Target("lock", BACK_DOOR_ID, DENVER)
    monkeypatch.setattr(f"{__name__}.TARGETS", [*TARGETS, back])
    outcome, results = await link.sync([stay], now)
    assert [(a.kind, a.fields) for a in outcome.actions] == [
        (ActionKind.UPDATE, ("targets",))
    ]
    assert results[0].ok
    accesses = await client.async_list_accesses(guest_id)
    assert {a.accessible_id for a in accesses} == {FRONT_DOOR_ID, BACK_DOOR_ID}

    # A door that does not exist: the grant is refused and said, item by item.
    ghost = Target("lock", "no-such-lock", DENVER)
    monkeypatch.setattr(f"{__name__}.TARGETS", [TARGETS[1], ghost])
    outcome, results = await link.sync([stay], now)
    (result,) = results
    assert not result.ok
    assert any("grant lock no-such-lock" in error for error in result.errors)
    # The other doors were still revoked (front and back): only the ghost is left
    # to grant, so the guest keeps no Denver door until it exists.
    assert {a.accessible_id for a in await client.async_list_accesses(guest_id)} == (
        set()
    )

    sim.faults.add("server_error", path=f"/access_persons/{guest_id}/deactivate")
    _, results = await link.sync([], now)
    failed = [result for result in results if not result.ok]
    assert len(failed) == 1
    assert failed[0].guest_id == guest_id


async def test_many_guests_are_read_per_door_and_paced(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """More guests than doors: doors read per lock; a budget defers the rest."""
    now = datetime.now(UTC)
    link = Link(client)
    stays = [booking(now, days=1 + n, uid=f"stay-{n}") for n in range(4)]
    wanted = desired_guests(stays, TARGETS, Rules(), now)
    actual = await read_actual(client, TAG, ZONES.get, {}, ZONES)
    outcome = reconcile(wanted, actual.guests, {}, now)
    # 8 creates of 2 requests each; a budget of 5 allows two, the rest waits.
    results = await apply_actions(client, outcome.actions, TAG, actual, budget=5)
    assert [r.ok for r in results[:2]] == [True, True]
    assert all(r.deferred for r in results[2:])
    for _ in range(3):
        await link.sync(stays, now)
    sim.requests.clear()
    outcome, _ = await link.sync(stays, now)
    assert outcome.actions == []
    paths = sorted(f"{e.method} {e.path}" for e in sim.requests.entries)
    assert [p for p in paths if not p.endswith("/token")] == sorted(
        [
            "GET /access_persons",
            f"GET /devices/{CANAL_DOOR_ID}/access_person_accesses",
            f"GET /devices/{FRONT_DOOR_ID}/access_person_accesses",
        ]
    )


async def test_a_door_removed_from_the_link_is_revoked_when_read_per_door(
    client: RemoteLockClient, sim: RemoteLockSimulator, monkeypatch
) -> None:
    """Many guests (read per lock): a lock the link no longer has is revoked."""
    now = datetime.now(UTC)
    link = Link(client)
    back = Target("lock", BACK_DOOR_ID, DENVER)
    monkeypatch.setattr(f"{__name__}.TARGETS", [*TARGETS, back])
    stays = [booking(now, days=1 + n, uid=f"stay-{n}") for n in range(4)]
    await link.sync(stays, now)
    monkeypatch.setattr(f"{__name__}.TARGETS", TARGETS[:2])
    outcome, results = await link.sync(stays, now)
    assert [(a.kind, a.fields) for a in outcome.actions] == [
        (ActionKind.UPDATE, ("targets",))
    ] * 4
    assert all(result.ok for result in results)
    for result in results:
        doors = {
            a.accessible_id for a in await client.async_list_accesses(result.guest_id)
        }
        assert doors == {FRONT_DOOR_ID}
    assert (await link.sync(stays, now))[0].actions == []


async def test_a_half_done_create_is_finished_and_the_zone_kept(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """A refused door leaves a guest without it; the next sync grants it."""
    now = datetime.now(UTC)
    link = Link(client)
    stay = booking(now)
    sim.faults.add("server_error", count=1, path="/access_persons/", method="POST")
    _, results = await link.sync([stay], now)
    failed = [result for result in results if not result.ok]
    assert len(failed) == 1
    assert failed[0].written is not None
    assert failed[0].written.targets == ()
    outcome, results = await link.sync([stay], now)
    assert [(a.kind, a.reason, a.fields) for a in outcome.actions] == [
        (ActionKind.UPDATE, Reason.BOOKING_CHANGED, ("targets",))
    ]
    assert results[0].ok
    # The guest's zone is the stored one even if a door of the other zone is added
    # to it in the portal.
    key = (booking_ref("stay-1"), DENVER)
    guest_id = link.applied[key].guest_id
    await client.async_grant_access(
        guest_id, accessible_type="lock", accessible_id=CANAL_DOOR_ID
    )
    outcome, _ = await link.sync([stay], now)
    assert [(a.kind, a.key, a.fields) for a in outcome.actions] == [
        (ActionKind.UPDATE, key, ("targets",))
    ]


async def test_an_action_larger_than_the_budget_goes_alone(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """A create of 2 requests with a budget of 1: it goes first, the rest waits."""
    now = datetime.now(UTC)
    stays = [booking(now, days=1 + n, uid=f"stay-{n}") for n in range(2)]
    wanted = desired_guests(stays, TARGETS, Rules(), now)
    actual = await read_actual(client, TAG, ZONES.get, {}, ZONES)
    outcome = reconcile(wanted, actual.guests, {}, now)
    results = await apply_actions(client, outcome.actions, TAG, actual, budget=1)
    assert results[0].ok
    assert [r.deferred for r in results[1:]] == [True] * (len(results) - 1)


def _denver_amsterdam(results: list[Result]) -> tuple[Result, Result]:
    by_key = {result.action.key: result for result in results}
    ref = booking_ref("stay-1")
    return by_key[(ref, DENVER)], by_key[(ref, AMSTERDAM)]


async def test_a_booking_over_two_zones_takes_the_events_pin_once(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """A PIN is unique in the account: one zone's guest has it, the other's is new."""
    now = datetime.now(UTC)
    link = Link(client)
    stay = booking(now, description="Guest phone +1 303 555 5678")
    _, results = await link.sync([stay], now)
    denver, amsterdam = _denver_amsterdam(results)
    assert denver.ok and denver.pin == "5678"
    assert amsterdam.ok and amsterdam.pin and amsterdam.pin != "5678"
    assert link.pin_rejected == set()
    assert (await link.sync([stay], now))[0].actions == []


def _notify_requests(sim: RemoteLockSimulator) -> list[str]:
    return [
        entry.path
        for entry in sim.requests.entries
        if entry.method == "POST" and entry.path.endswith("/email/notify")
    ]


async def test_guests_get_the_events_email_and_their_instructions(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """An e-mail in the event: set on the guest, and the instructions sent once."""
    now = datetime.now(UTC)
    link = Link(client, email_from_event=True, send_instructions=True)
    stay = booking(now, description="Booked via ann.smith@example.com, thanks.")
    _, results = await link.sync([stay], now)
    assert all(result.ok and result.emailed for result in results)
    for result in results:
        assert result.guest_id is not None
        person = sim.state.access_persons[result.guest_id]
        assert person["attributes"]["email"] == "ann.smith@example.com"
    assert sorted(e["access_person_id"] for e in sim.emails) == sorted(
        result.guest_id for result in results
    )
    # Steady: no second e-mail.
    sim.requests.clear()
    assert (await link.sync([stay], now))[0].actions == []
    assert _notify_requests(sim) == []

    # No e-mail in the event (location and summary tried too): no request.
    other = booking(now, uid="stay-2", location="Canal house", summary="Bob")
    _, results = await link.sync([stay, other], now)
    assert [r.emailed for r in results] == [False, False]
    assert all(r.ok for r in results)
    assert _notify_requests(sim) == []


async def test_instructions_are_off_by_default(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """The e-mail is set, the instructions are not asked for."""
    now = datetime.now(UTC)
    link = Link(client, email_from_event=True)
    stay = booking(now, location="ann@example.com")
    _, results = await link.sync([stay], now)
    assert all(result.ok and not result.emailed for result in results)
    assert _notify_requests(sim) == []
    assert sim.emails == []
    assert {
        sim.state.access_persons[r.guest_id]["attributes"]["email"]
        for r in results
        if r.guest_id
    } == {"ann@example.com"}


async def test_a_refused_instructions_email_is_itemised_and_the_guest_kept(
    client: RemoteLockClient, sim: RemoteLockSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notify fails: an error of that create; the guest and its doors stay."""
    now = datetime.now(UTC)
    link = Link(client, email_from_event=True, send_instructions=True)
    notify = client.async_notify_access_person
    refused: list[str] = []

    async def failing_once(person_id: str, **kw: Any) -> None:
        if not refused:
            refused.append(person_id)
            sim.faults.add(
                "server_error", path=f"/access_persons/{person_id}/email", method="POST"
            )
        await notify(person_id, **kw)

    monkeypatch.setattr(client, "async_notify_access_person", failing_once)
    stay = booking(now, description="ann@example.com")
    _, results = await link.sync([stay], now)
    failed = [r for r in results if not r.ok]
    assert [r.guest_id for r in failed] == refused
    (result,) = failed
    assert not result.emailed
    assert [e for e in result.errors if e.startswith("instructions e-mail:")]
    assert len(result.errors) == 1
    assert not result.rate_limited
    # Created, with its doors, and stored as such: nothing to redo next time.
    assert result.written is not None
    assert result.action.desired is not None
    assert result.written.targets == result.action.desired.state.targets
    assert link.applied[result.action.key].guest_id == result.guest_id
    assert [r.emailed for r in results if r.ok] == [True]
    assert (await link.sync([stay], now))[0].actions == []


async def test_the_instructions_email_is_counted_in_the_budget(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """A create with an e-mail and instructions costs one request more."""
    now = datetime.now(UTC)
    stay = booking(now, description="ann@example.com")
    wanted = desired_guests([stay], TARGETS, Rules(), now, email_from_event=True)
    actual = await read_actual(client, TAG, ZONES.get, {}, ZONES)
    outcome = reconcile(wanted, actual.guests, {}, now)
    action = outcome.actions[0]
    assert cost(action, Actual()) == 2
    assert cost(action, Actual(), send_instructions=True) == 3
    plain = desired_guests([stay], TARGETS, Rules(), now)
    no_email = reconcile(plain, [], {}, now).actions[0]
    assert cost(no_email, Actual(), send_instructions=True) == 2
    # The cost is what is spent: a budget of 5 lets one create through, not two.
    sim.requests.clear()
    results = await apply_actions(
        client, outcome.actions, TAG, actual, budget=5, send_instructions=True
    )
    assert [(r.ok, r.emailed, r.deferred) for r in results] == [
        (True, True, False),
        (False, False, True),
    ]
    assert len([e for e in sim.requests.entries if not e.path.endswith("/token")]) == 3


async def test_every_door_is_granted_under_the_links_access_schedule(
    client: RemoteLockClient, sim: RemoteLockSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rules.access_schedule_id: on the doors of a create and of an update."""
    now = datetime.now(UTC)
    link = Link(client, Rules(access_schedule_id=ACCESS_SCHEDULE_ID))
    stay = booking(now)
    _, results = await link.sync([stay], now)
    assert all(result.ok for result in results)
    back = Target("lock", BACK_DOOR_ID, DENVER)
    monkeypatch.setattr(f"{__name__}.TARGETS", [*TARGETS, back])
    _, results = await link.sync([stay], now)
    assert [r.ok for r in results] == [True]
    assert (await link.sync([stay], now))[0].actions == []
    doors = {}
    for applied in link.applied.values():
        for access in await client.async_list_accesses(applied.guest_id):
            doors[access.accessible_id] = access.access_schedule_id
    assert doors == dict.fromkeys(
        (FRONT_DOOR_ID, CANAL_DOOR_ID, BACK_DOOR_ID), ACCESS_SCHEDULE_ID
    )


async def test_a_refused_update_keeps_the_old_times_and_is_retried(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """The PUT fails: written holds RemoteLock's times; next sync: booking_changed."""
    now = datetime.now(UTC)
    link = Link(client)
    stay = booking(now)
    await link.sync([stay], now)
    key = (booking_ref("stay-1"), DENVER)
    before = link.applied[key]
    moved = booking(now, days=3, nights=3, summary="Ann B. Smith")
    sim.faults.add(
        "server_error", path=f"/access_persons/{before.guest_id}", method="PUT"
    )
    _, results = await link.sync([moved], now)
    denver, amsterdam = _denver_amsterdam(results)
    assert not denver.ok and amsterdam.ok
    assert denver.written == before.state
    assert link.applied[key].state == before.state
    person = sim.state.access_persons[before.guest_id]["attributes"]
    assert person["starts_at"].startswith(before.state.starts_at.isoformat()[:16])

    outcome, results = await link.sync([moved], now)
    assert [(a.kind, a.reason, a.key, a.fields) for a in outcome.actions] == [
        (
            ActionKind.UPDATE,
            Reason.BOOKING_CHANGED,
            key,
            ("name", "starts_at", "ends_at"),
        )
    ]
    assert results[0].ok
    assert (await link.sync([moved], now))[0].actions == []


async def test_a_shared_guest_list_is_used_instead_of_reading_it(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """persons=: no GET /access_persons; SyncResult.persons is the list to share."""
    now = datetime.now(UTC)
    link = Link(client)
    stay = booking(now)
    await link.sync([stay], now)
    assert link.last is not None
    # Read before the creates: none of ours in it yet; the next sync's has them.
    ours = {applied.guest_id for applied in link.applied.values()}
    assert not ours & {person.id for person in link.last.persons}
    await link.sync([stay], now)
    assert ours <= {person.id for person in link.last.persons}

    # Read once (users and guests alike), shared by this link and another one.
    shared = await client.async_list_access_persons()
    sim.requests.clear()
    outcome, _ = await link.sync([stay], now, persons=shared)
    assert outcome.actions == []
    assert link.last.persons is shared
    other = Link(client)
    done = await sync_once(
        client, "zz99", [], TARGETS, Rules(), now, other.state, persons=iter(shared)
    )
    assert done.outcome.actions == []
    assert list(done.persons) == list(shared)
    assert not [e for e in sim.requests.entries if e.path == "/access_persons"]


async def test_a_refused_email_is_left_out_next_time(
    client: RemoteLockClient, sim: RemoteLockSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An address RemoteLock refuses fails the create once; then no e-mail is sent."""
    import re

    from simulator.remotelock import validate

    monkeypatch.setattr(validate, "_EMAIL", re.compile(r"^[^@\s]+@(?!blocked\.)\S+$"))
    now = datetime.now(UTC)
    link = Link(client, email_from_event=True, send_instructions=True)
    stay = booking(now, description="Write to guest@blocked.example")
    _, results = await link.sync([stay], now)
    assert results
    assert all(not r.ok and r.email_refused for r in results)
    assert link.state.email_rejected == {r.action.key for r in results}
    _, results = await link.sync([stay], now)
    assert results
    assert all(r.ok and not r.emailed for r in results)
    for result in results:
        assert result.guest_id is not None
        assert sim.state.access_persons[result.guest_id]["attributes"]["email"] is None
    assert _notify_requests(sim) == []
