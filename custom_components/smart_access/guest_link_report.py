"""What one sync of a link did, in the words a host uses (no PIN anywhere).

A :class:`SyncReport` is what ``smart_access.sync_guest_access`` returns, what the
repair issues and notifications are made from, and (redacted) what diagnostics
show. Guests are named by their booking's name; doors by the names the user knows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .api.remotelock.timezones import local_naive_to_aware
from .guest_sync.apply import Result
from .guest_sync.model import ActionKind, GuestState, Reason, TargetRef


class SyncStatus(StrEnum):
    """How a sync ended."""

    SYNCED = "synced"
    PAUSED = "paused"
    CALENDAR_UNAVAILABLE = "calendar_unavailable"
    NO_TARGETS = "no_targets"
    RATE_LIMITED = "rate_limited"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class GuestItem:
    """One guest an action was about."""

    kind: str  # create / update / deactivate / report / forget
    reason: str
    guest: str
    guest_id: str | None
    check_in: datetime | None
    check_out: datetime | None
    doors: tuple[str, ...]
    fields: tuple[str, ...] = ()
    error: str | None = None
    deferred: bool = False
    # A cancellation waiting to be confirmed (see guest_sync.sync.Confirmation).
    held: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Return the item as an action's response shows it."""
        item: dict[str, Any] = {
            "guest": self.guest,
            "guest_id": self.guest_id,
            "reason": self.reason,
            "check_in": self.check_in.isoformat() if self.check_in else None,
            "check_out": self.check_out.isoformat() if self.check_out else None,
            "doors": list(self.doors),
        }
        if self.fields:
            item["fields"] = list(self.fields)
        if self.error:
            item["error"] = self.error
        return item


@dataclass(slots=True)
class SyncReport:
    """The outcome of one sync of one link."""

    link: str
    at: datetime
    status: SyncStatus = SyncStatus.SYNCED
    error: str | None = None
    bookings: int = 0
    items: list[GuestItem] = field(default_factory=list)

    def of(self, kind: str, *, ok: bool = True) -> list[GuestItem]:
        """Return the items of ``kind`` that went through (or, ``ok=False``, not)."""
        return [
            item
            for item in self.items
            if item.kind == kind
            and not item.deferred
            and not item.held
            and (item.error is None) == ok
        ]

    @property
    def failed(self) -> list[GuestItem]:
        """Return the items that failed (deferred ones are not failures)."""
        return [
            item
            for item in self.items
            if item.error and not item.deferred and not item.held
        ]

    @property
    def pending(self) -> list[GuestItem]:
        """Return the cancellations waiting to be confirmed."""
        return [item for item in self.items if item.held]

    @property
    def deferred(self) -> list[GuestItem]:
        """Return the items left for the next sync (request budget, 429)."""
        return [item for item in self.items if item.deferred]

    def as_dict(self) -> dict[str, Any]:
        """Return the report as ``smart_access.sync_guest_access`` answers."""
        return {
            "link": self.link,
            "status": str(self.status),
            "error": self.error,
            "bookings": self.bookings,
            "created": [i.as_dict() for i in self.of(ActionKind.CREATE)],
            "updated": [i.as_dict() for i in self.of(ActionKind.UPDATE)],
            "deactivated": [i.as_dict() for i in self.of(ActionKind.DEACTIVATE)],
            "reported": [i.as_dict() for i in self.of(ActionKind.REPORT)],
            "failed": [i.as_dict() for i in self.failed],
            "deferred": [i.as_dict() for i in self.deferred],
            "pending_cancellations": [i.as_dict() for i in self.pending],
        }

    def counts(self) -> dict[str, int]:
        """Return how many of each (diagnostics)."""
        return {
            "created": len(self.of(ActionKind.CREATE)),
            "updated": len(self.of(ActionKind.UPDATE)),
            "deactivated": len(self.of(ActionKind.DEACTIVATE)),
            "reported": len(self.of(ActionKind.REPORT)),
            "failed": len(self.failed),
            "deferred": len(self.deferred),
            "pending_cancellations": len(self.pending),
        }


def aware_window(state: GuestState, zone: str) -> tuple[datetime, datetime]:
    """Return a guest's local times on the time line."""
    return (
        local_naive_to_aware(state.starts_at, zone),
        local_naive_to_aware(state.ends_at, zone),
    )


def item_of(
    result: Result,
    known: GuestState | None,
    label: Callable[[TargetRef], str],
) -> GuestItem | None:
    """Describe one action's result; None for what a host need not hear of.

    ``known``: what the link knew of that guest before (a deactivation carries no
    desired state).
    """
    action = result.action
    if action.kind is ActionKind.FORGET:
        return None
    state = action.desired.state if action.desired else known
    zone = action.key[1]
    check_in = check_out = None
    doors: tuple[str, ...] = ()
    if state is not None:
        check_in, check_out = aware_window(state, zone)
        doors = tuple(label(ref) for ref in state.targets)
    error = "; ".join(result.errors) or None
    if not result.ok and not result.deferred and not result.held and error is None:
        error = "failed"
    return GuestItem(
        kind=str(action.kind),
        reason=str(action.reason),
        guest=state.name if state else (action.guest_id or ""),
        guest_id=result.guest_id or action.guest_id,
        check_in=check_in,
        check_out=check_out,
        doors=doors,
        fields=action.fields,
        error=error,
        deferred=result.deferred,
        held=result.held,
    )


__all__ = ["GuestItem", "Reason", "SyncReport", "SyncStatus", "aware_window", "item_of"]
