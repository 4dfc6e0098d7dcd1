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
from datetime import datetime

from ..api.remotelock import RemoteLockClient
from ..api.remotelock.models import AccessGuest, AccessUser
from .apply import Result, apply_actions, read_actual
from .desired import desired_guests
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
)
from .reconcile import Outcome, reconcile


@dataclass(slots=True)
class LinkState:
    """What a link remembers between syncs."""

    applied: dict[GuestKey, Applied] = field(default_factory=dict)
    pin_rejected: set[GuestKey] = field(default_factory=set)
    email_rejected: set[GuestKey] = field(default_factory=set)
    # Cancellations seen once: deactivated only when the next sync sees them too
    # (a calendar feed that comes back empty or short for one read is not a wave of
    # cancellations). In memory: a restart asks again.
    cancel_pending: set[GuestKey] = field(default_factory=set)

    def record(self, result: Result) -> None:
        """Keep what RemoteLock holds after one action."""
        action = result.action
        if result.pin_refused:
            self.pin_rejected.add(action.key)
        if result.email_refused:
            self.email_rejected.add(action.key)
        if result.deferred or action.reason is Reason.DUPLICATE:
            # Not tried, or about another guest of the same key (the kept one stays).
            return
        if action.kind is ActionKind.FORGET or (
            action.kind is ActionKind.DEACTIVATE and result.ok
        ):
            self.applied.pop(action.key, None)
        elif result.guest_id and result.written is not None:
            self.applied[action.key] = Applied(result.guest_id, result.written)


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
    confirm_cancellations: bool = False,
) -> SyncResult:
    """Bring RemoteLock in line with the bookings once; update ``state``.

    ``pin_digits`` and ``email_from_event``: see ``desired.desired_guests``;
    ``send_instructions`` and ``rules.access_schedule_id``: see
    ``apply.apply_actions``; ``persons``: the access guests already read (see
    ``apply.read_actual``). ``hold``: keys left exactly as they are (e.g. a door
    of theirs cannot be placed in a time zone right now): no create, change,
    deactivation or forget. ``confirm_cancellations``: a cancellation is carried
    out only when the previous sync asked for it too (the first time it comes back
    as deferred); bookings already applied stay wanted past the look-ahead.
    """
    targets = list(targets)
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
    actions = [action for action in outcome.actions if action.key not in held]
    waiting: list[Result] = []
    if confirm_cancellations:
        actions, waiting = _confirm(actions, state)
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
    # Home Assistant stopped before saving it) is adopted as it is at RemoteLock.
    found = {guest.guest_id: guest for guest in actual.guests}
    for key, guest_id in outcome.mapping.items():
        if key not in state.applied and key not in held and guest_id in found:
            state.applied[key] = Applied(guest_id, found[guest_id].state)
    return SyncResult(outcome, results, actual.persons, wanted)


def _confirm(
    actions: list[Action], state: LinkState
) -> tuple[list[Action], list[Result]]:
    """Split off the cancellations not seen by the previous sync (deferred now)."""
    cancels = {
        action.key
        for action in actions
        if action.kind is ActionKind.DEACTIVATE and action.reason is Reason.CANCELLED
    }
    confirmed = cancels & state.cancel_pending
    state.cancel_pending = cancels
    go: list[Action] = []
    waiting: list[Result] = []
    for action in actions:
        if action.key in cancels and action.key not in confirmed:
            waiting.append(Result(action, False, action.guest_id, deferred=True))
        else:
            go.append(action)
    return go, waiting
