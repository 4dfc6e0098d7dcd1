"""Calendar guest access against the simulator: read, reconcile, apply, read again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from custom_components.smart_access.api.remotelock import RemoteLockClient
from custom_components.smart_access.guest_sync.apply import (
    Result,
    apply_actions,
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
from custom_components.smart_access.guest_sync.sync import LinkState, sync_once
from simulator.remotelock import RemoteLockSimulator
from simulator.remotelock.scenario import BACK_DOOR_ID, CANAL_DOOR_ID, FRONT_DOOR_ID

DENVER, AMSTERDAM = "America/Denver", "Europe/Amsterdam"
TARGETS = [
    Target("lock", FRONT_DOOR_ID, DENVER),
    Target("lock", CANAL_DOOR_ID, AMSTERDAM),
]
ZONES = {target.ref: target.time_zone for target in TARGETS}
TAG = "k3f9"


class Link:
    """One link: its state and a sync against the module's TARGETS."""

    def __init__(self, client: RemoteLockClient) -> None:
        self.client = client
        self.state = LinkState()

    @property
    def applied(self) -> dict[GuestKey, Applied]:
        return self.state.applied

    @property
    def pin_rejected(self) -> set[GuestKey]:
        return self.state.pin_rejected

    async def sync(
        self, bookings: list[Booking], now: datetime
    ) -> tuple[Outcome, list[Result]]:
        done = await sync_once(
            self.client, TAG, bookings, TARGETS, Rules(), now, self.state, pin_digits=4
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
    # The default scenario's access user holds PIN 1234.
    stay = booking(now, description="Guest phone +1 303 555 1234")
    _, results = await link.sync([stay], now)
    assert all(result.pin_refused and not result.ok for result in results)
    assert link.pin_rejected == {
        (booking_ref("stay-1"), DENVER),
        (booking_ref("stay-1"), AMSTERDAM),
    }
    _, results = await link.sync([stay], now)
    assert all(result.ok and result.pin and result.pin != "1234" for result in results)

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
