"""One sync of a link: desired → read → reconcile → apply → remember.

What the link keeps between syncs (in Home Assistant storage, later) is a
:class:`LinkState`: what it last wrote per key, and the keys whose PIN RemoteLock
refused. :func:`sync_once` updates it from each action's result.

Requests: those of ``apply`` (its module docstring). The access-guest list is read
once per sync, or not at all when the caller passes one (``persons``) it shares
between several links (each link sees only the guests carrying its own marker);
:attr:`SyncResult.persons` is the list used, to share it on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..api.remotelock import RemoteLockClient
from ..api.remotelock.models import AccessGuest, AccessUser
from .apply import Result, apply_actions, read_actual
from .desired import desired_guests, ended
from .model import (
    Action,
    ActionKind,
    Applied,
    Booking,
    DesiredGuest,
    GuestKey,
    Reason,
    Rules,
    Target,
    TargetRef,
    booking_ref,
)
from .reconcile import Outcome, reconcile


@dataclass(slots=True)
class LinkState:
    """What a link remembers between syncs."""

    applied: dict[GuestKey, Applied] = field(default_factory=dict)
    pin_rejected: set[GuestKey] = field(default_factory=set)
    email_rejected: set[GuestKey] = field(default_factory=set)
    # Cancellations seen, with when they were first seen: carried out once they
    # have held for Confirmation.after (a calendar feed that comes back empty or
    # short for a while is not a wave of cancellations). In memory: a restart
    # starts the wait again.
    # key -> (first seen, how many syncs saw it)
    cancel_pending: dict[GuestKey, tuple[datetime, int]] = field(default_factory=dict)
    # Cancellations held as a mass cancellation, and those the host allowed.
    mass_held: set[GuestKey] = field(default_factory=set)
    mass_allowed: set[GuestKey] = field(default_factory=set)

    def record(self, result: Result) -> None:
        """Keep what RemoteLock holds after one action."""
        action = result.action
        if result.pin_refused:
            self.pin_rejected.add(action.key)
        if result.email_refused:
            self.email_rejected.add(action.key)
        if result.deferred or result.held or action.reason is Reason.DUPLICATE:
            # Not tried, or about another guest of the same key (the kept one stays).
            return
        if action.kind is ActionKind.FORGET or (
            action.kind is ActionKind.DEACTIVATE and result.ok
        ):
            self.applied.pop(action.key, None)
        elif result.guest_id and result.written is not None:
            self.applied[action.key] = Applied(result.guest_id, result.written)


@dataclass(frozen=True, slots=True)
class Confirmation:
    """When a cancellation (a booking gone from the calendar) is carried out.

    ``after``: it must have been seen for this long, at two syncs at least.
    ``allow_mass``: when every one of the link's current and upcoming guests (of
    two bookings or more) is cancelled at once, they are held until the host allows it
    (an iCal feed that comes back empty looks exactly like that).
    """

    after: timedelta = timedelta(minutes=10)
    allow_mass: bool = False


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What one sync decided and how each action went.

    ``persons``: the access guests read (or given) before this sync's changes: the
    guests it created or deactivated are not in it as they are now.
    """

    outcome: Outcome
    results: list[Result]
    persons: Sequence[AccessUser | AccessGuest] = ()
    # The guests the bookings wanted (e.g. to tell which are late for check-in).
    desired: Mapping[GuestKey, DesiredGuest] = field(default_factory=dict)
    # Cancellations waiting: when the first of them may go through, and whether
    # they are held as a mass cancellation (every guest at once).
    confirm_at: datetime | None = None
    mass_cancel: bool = False
    # Locks and doors that answered 404 when their accesses were read.
    gone: frozenset[TargetRef] = frozenset()

    @property
    def deferred(self) -> bool:
        """Return whether actions were left for the next sync (budget, 429)."""
        return any(result.deferred for result in self.results)


async def sync_once(
    client: RemoteLockClient,
    link_tag: str,
    bookings: Iterable[Booking],
    targets: Iterable[Target],
    rules: Rules,
    now: datetime,
    state: LinkState,
    *,
    pin_digits: int | None = None,
    budget: int | None = None,
    email_from_event: bool = False,
    send_instructions: bool = False,
    persons: Iterable[AccessUser | AccessGuest] | None = None,
    hold: Iterable[GuestKey] = (),
    confirm: Confirmation | None = None,
) -> SyncResult:
    """Bring RemoteLock in line with the bookings once; update ``state``.

    ``pin_digits`` and ``email_from_event``: see ``desired.desired_guests``;
    ``send_instructions`` and ``rules.access_schedule_id``: see
    ``apply.apply_actions``; ``persons``: the access guests already read (see
    ``apply.read_actual``). ``hold``: keys not created or changed (e.g. a door of
    theirs cannot be placed in a time zone right now); such a guest is still
    deactivated when its booking is gone from the calendar altogether, and
    forgotten once ended. ``confirm``: cancellations wait (see
    :class:`Confirmation`; the waiting ones come back as ``held``). Bookings already
    applied stay wanted past the look-ahead.
    """
    targets = list(targets)
    bookings = list(bookings)
    booked = {booking_ref(booking.uid) for booking in bookings}
    zones = {target.ref: target.time_zone for target in targets}
    wanted = desired_guests(
        bookings,
        targets,
        rules,
        now,
        pin_digits=pin_digits,
        pin_rejected=state.pin_rejected,
        email_from_event=email_from_event,
        email_rejected=state.email_rejected,
        keep=state.applied,
    )
    actual = await read_actual(
        client, link_tag, zones.get, state.applied, zones, persons
    )
    outcome = reconcile(
        wanted, actual.guests, state.applied, now, hands_off=rules.hands_off
    )
    held = set(hold)
    # Only a gone lock the link still targets holds guests: one removed from the
    # link is revoked already (its accesses went with it), so updates go on.
    gone = actual.gone & set(zones)
    if gone:
        # A lock deleted at RemoteLock (its access list answered 404) before the
        # account's devices say so: its guests wait, like those of a door gone.
        held |= {
            key for key, last in state.applied.items() if gone & set(last.state.targets)
        }
        held |= {
            key for key, guest in wanted.items() if gone & set(guest.state.targets)
        }
    actions = [a for a in outcome.actions if not _held_back(a, held, booked)]
    waiting: list[Result] = []
    confirm_at: datetime | None = None
    mass = False
    if confirm is not None:
        active = {
            guest.key
            for guest in actual.guests
            if guest.active and not ended(guest.key, guest.state.ends_at, now)
        }
        actions, waiting, confirm_at, mass = _confirm(
            actions, state, now, confirm, active
        )
    results = await apply_actions(
        client,
        actions,
        link_tag,
        actual,
        budget=budget,
        send_instructions=send_instructions,
        access_schedule_id=rules.access_schedule_id,
    )
    results += waiting
    for result in results:
        state.record(result)
    # A guest found by its marker that the mapping lacks (the file was lost, or
    # Home Assistant stopped before saving it) is adopted as it is at RemoteLock;
    # one that is exactly as its booking wants is remembered so (e.g. a door that
    # went with a deleted lock is no longer listed, nor read again).
    found = {guest.guest_id: guest for guest in actual.guests}
    for key, guest_id in outcome.mapping.items():
        if key in held or guest_id not in found:
            continue
        now_held = found[guest_id].state
        last = state.applied.get(key)
        matches = key in wanted and not wanted[key].state.differences(now_held)
        if last is None or (matches and last.state != now_held):
            state.applied[key] = Applied(guest_id, now_held)
    return SyncResult(
        outcome,
        results,
        actual.persons,
        wanted,
        confirm_at,
        mass,
        frozenset(gone),
    )


def _held_back(action: Action, held: set[GuestKey], booked: set[str]) -> bool:
    """Return whether a held key's action waits (creates, changes, reports do)."""
    if action.key not in held or action.kind is ActionKind.FORGET:
        return False
    if action.kind is ActionKind.DEACTIVATE:
        # A duplicate goes; a cancellation goes when the booking itself is gone.
        return action.reason is Reason.CANCELLED and action.key[0] in booked
    return True


def _confirm(
    actions: list[Action],
    state: LinkState,
    now: datetime,
    confirm: Confirmation,
    active: set[GuestKey],
) -> tuple[list[Action], list[Result], datetime | None, bool]:
    """Split off the cancellations not yet confirmed (they come back held).

    A mass cancellation is sticky: its keys stay held (``state.mass_held``) until
    the host allows them (``allow_mass``: they then go at once, and stay allowed
    until done, whatever the budget) or their bookings come back; guests checking
    out meanwhile do not lift it for the others.
    """
    cancels = {
        action.key
        for action in actions
        if action.kind is ActionKind.DEACTIVATE and action.reason is Reason.CANCELLED
    }
    # A booking that came back is no longer pending, held or allowed.
    state.cancel_pending = {
        key: (seen, count + 1)
        for key in cancels
        for seen, count in [state.cancel_pending.get(key, (now, 0))]
    }
    state.mass_held &= cancels
    state.mass_allowed &= cancels
    if confirm.allow_mass:
        state.mass_allowed |= state.mass_held
        state.mass_held = set()
    rest = cancels - state.mass_allowed
    # Two bookings or more (one booking over two zones is two keys, one booking).
    if (
        not state.mass_held
        and len({key[0] for key in rest}) >= 2
        and rest >= active - state.mass_allowed
    ):
        state.mass_held = set(rest)
    confirmed = state.mass_allowed | {
        key
        for key, (seen, count) in state.cancel_pending.items()
        if count >= 2 and now - seen >= confirm.after and key not in state.mass_held
    }
    go: list[Action] = []
    waiting: list[Result] = []
    for action in actions:
        if action.key in cancels and action.key not in confirmed:
            waiting.append(Result(action, False, action.guest_id, held=True))
        else:
            go.append(action)
    later = [
        seen + confirm.after
        for key, (seen, _) in state.cancel_pending.items()
        if key not in confirmed and key not in state.mass_held
    ]
    confirm_at = max(min(later), now) if later else None
    return go, waiting, confirm_at, bool(state.mass_held)
