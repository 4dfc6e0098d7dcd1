"""One sync of a link: desired → read → reconcile → apply → remember.

What the link keeps between syncs (in Home Assistant storage, later) is a
:class:`LinkState`: what it last wrote per key, and the keys whose PIN RemoteLock
refused. :func:`sync_once` updates it from each action's result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..api.remotelock import RemoteLockClient
from .apply import Result, apply_actions, read_actual
from .desired import desired_guests
from .model import ActionKind, Applied, Booking, GuestKey, Reason, Rules, Target
from .reconcile import Outcome, reconcile


@dataclass(slots=True)
class LinkState:
    """What a link remembers between syncs."""

    applied: dict[GuestKey, Applied] = field(default_factory=dict)
    pin_rejected: set[GuestKey] = field(default_factory=set)

    def record(self, result: Result) -> None:
        """Keep what RemoteLock holds after one action."""
        action = result.action
        if result.pin_refused:
            self.pin_rejected.add(action.key)
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
    """What one sync decided and how each action went."""

    outcome: Outcome
    results: list[Result]

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
) -> SyncResult:
    """Bring RemoteLock in line with the bookings once; update ``state``."""
    targets = list(targets)
    zones = {target.ref: target.time_zone for target in targets}
    wanted = desired_guests(
        bookings,
        targets,
        rules,
        now,
        pin_digits=pin_digits,
        pin_rejected=state.pin_rejected,
    )
    actual = await read_actual(client, link_tag, zones.get, state.applied, zones)
    outcome = reconcile(
        wanted, actual.guests, state.applied, now, hands_off=rules.hands_off
    )
    results = await apply_actions(
        client, outcome.actions, link_tag, actual, budget=budget
    )
    for result in results:
        state.record(result)
    return SyncResult(outcome, results)
