"""Compare the guests a link wants with those it has at RemoteLock; return actions.

Input: the desired guests (``desired.desired_guests``), the guests at RemoteLock
that carry this link's marker (the *actual* set, read each time, so a lost mapping
is rebuilt from it), and what the link last wrote per key (*applied*, kept in
storage). Output: the actions (deactivations first, then creates and updates
soonest check-in first, then reports and forgets), and the mapping key → guest id
after them (creates add theirs once done).

* wanted, none at RemoteLock → **create** (``new``; ``restore`` when the link had
  made one that was deleted or deactivated in the portal, or **report** with
  ``hands_off``);
* wanted, one there that differs → **update** the fields that differ
  (``booking_changed``). When the booking is as last written and the guest is not,
  the portal changed it: **update** back (``portal_changed``), or **report** with
  ``hands_off``;
* more than one with the same key (a create that was retried after a restart) →
  keep the one in the mapping (else the lowest id), **deactivate** the others
  (``duplicate``);
* not wanted any more → **deactivate** (``cancelled``) while its end is ahead, or
  **forget** it once ended (RemoteLock expires it by itself: no request);
* in the mapping, not wanted and no longer at RemoteLock → **forget** (``gone``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .desired import ended
from .model import (
    Action,
    ActionKind,
    Applied,
    DesiredGuest,
    GuestKey,
    ManagedGuest,
    Reason,
)


@dataclass(slots=True)
class Outcome:
    """The actions of one reconcile and the mapping they leave."""

    actions: list[Action] = field(default_factory=list)
    mapping: dict[GuestKey, str] = field(default_factory=dict)


def _primary(
    candidates: list[ManagedGuest], applied: Applied | None
) -> tuple[ManagedGuest, list[ManagedGuest]]:
    ordered = sorted(candidates, key=lambda guest: guest.guest_id)
    if applied is not None:
        for guest in ordered:
            if guest.guest_id == applied.guest_id:
                ordered.remove(guest)
                return guest, ordered
    return ordered[0], ordered[1:]


def reconcile(
    desired: Mapping[GuestKey, DesiredGuest],
    actual: Iterable[ManagedGuest],
    applied: Mapping[GuestKey, Applied],
    now: datetime,
    *,
    hands_off: bool = False,
) -> Outcome:
    """Return what to do so that RemoteLock holds the desired guests."""
    active: dict[GuestKey, list[ManagedGuest]] = {}
    for guest in actual:
        if guest.active:
            active.setdefault(guest.key, []).append(guest)
    outcome = Outcome()
    changes: list[Action] = []
    removals: list[Action] = []
    for key, wanted in desired.items():
        last = applied.get(key)
        candidates = active.get(key, [])
        if not candidates:
            if last is None:
                changes.append(
                    Action(ActionKind.CREATE, Reason.NEW, key, desired=wanted)
                )
            elif hands_off:
                removals.append(
                    Action(
                        ActionKind.REPORT,
                        Reason.RESTORE,
                        key,
                        guest_id=last.guest_id,
                        desired=wanted,
                    )
                )
            else:
                changes.append(
                    Action(ActionKind.CREATE, Reason.RESTORE, key, desired=wanted)
                )
            continue
        guest, duplicates = _primary(candidates, last)
        outcome.mapping[key] = guest.guest_id
        removals.extend(
            Action(
                ActionKind.DEACTIVATE, Reason.DUPLICATE, key, guest_id=other.guest_id
            )
            for other in duplicates
        )
        fields = wanted.state.differences(guest.state)
        if not fields:
            continue
        drift = last is not None and last.state == wanted.state
        if drift and hands_off:
            removals.append(
                Action(
                    ActionKind.REPORT,
                    Reason.PORTAL_CHANGED,
                    key,
                    guest_id=guest.guest_id,
                    desired=wanted,
                    fields=fields,
                )
            )
            continue
        changes.append(
            Action(
                ActionKind.UPDATE,
                Reason.PORTAL_CHANGED if drift else Reason.BOOKING_CHANGED,
                key,
                guest_id=guest.guest_id,
                desired=wanted,
                fields=fields,
            )
        )
    for key, candidates in active.items():
        if key in desired:
            continue
        for guest in sorted(candidates, key=lambda item: item.guest_id):
            if ended(key, guest.state.ends_at, now):
                kind, reason = ActionKind.FORGET, Reason.ENDED
            else:
                kind, reason = ActionKind.DEACTIVATE, Reason.CANCELLED
            removals.append(Action(kind, reason, key, guest_id=guest.guest_id))
    for key, last in applied.items():
        if key not in desired and key not in active:
            removals.append(
                Action(ActionKind.FORGET, Reason.GONE, key, guest_id=last.guest_id)
            )
    changes.sort(key=lambda action: (_start(action), action.key))
    # Access that must end goes first: a tight budget defers the creates instead.
    first = [a for a in removals if a.kind is ActionKind.DEACTIVATE]
    rest = [a for a in removals if a.kind is not ActionKind.DEACTIVATE]
    outcome.actions = first + changes + rest
    return outcome


def _start(action: Action) -> datetime:
    assert action.desired is not None
    return action.desired.state.starts_at
