"""How much a guest-access link may spend, and when it tries again.

RemoteLock allows 120 requests a minute per account, shared with polling,
commands and actions. A sync writes at most ``SYNC_MAX_REQUESTS``, and never what
the window needs for its own reads and the 30 requests kept for commands.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from .api.remotelock.core import RateLimit
from .const import ACCESSIBLE_ACS_DOOR, ACCESSIBLE_LOCK
from .coordinator.remotelock import REMOTELOCK_COMMAND_RESERVE
from .guest_sync.model import TargetRef

SYNC_MAX_REQUESTS = 40
# A sync that left work for later tries again after this when no reset is known.
RETRY_DELAY = timedelta(minutes=1)
# The access-guest list one link read serves the account's other links this long.
SHARED_READ_AGE = timedelta(minutes=1)
# How far ahead a link with guests reads its calendar: a made guest's booking moved
# up to half a year out is still seen (moved, not cancelled). No RemoteLock request.
KEEP_WINDOW = timedelta(days=180)


def write_budget(
    limit: RateLimit | None,
    now: datetime,
    targets: Iterable[TargetRef],
    guests: int,
    listed: int,
) -> int:
    """Return the writes a sync may make now (0: wait for the window's reset).

    The reads come first: the account's guest list (a page per 50 of its
    ``listed`` guests) and a door list per lock, or per guest (``guests``) when
    the link has door groups or locations.
    """
    if limit is None or limit.reset_at <= now:
        return SYNC_MAX_REQUESTS
    targets = list(targets)
    per_lock = all(
        kind in (ACCESSIBLE_LOCK, ACCESSIBLE_ACS_DOOR) for kind, _ in targets
    )
    reads = 1 + listed // 50 + (len(targets) if per_lock else guests)
    spare = limit.remaining - REMOTELOCK_COMMAND_RESERVE - reads
    return max(0, min(SYNC_MAX_REQUESTS, spare))


def reset_delay(now: datetime, reset_at: datetime | None) -> timedelta:
    """Return how long until just after the rate-limit window resets."""
    if reset_at is None or reset_at <= now:
        return RETRY_DELAY
    return reset_at - now + timedelta(seconds=1)


def failure_delay(failures: int, interval: timedelta) -> timedelta | None:
    """Return the retry after ``failures`` failed syncs in a row (1, 2, 4 minutes).

    None once the regular interval comes sooner.
    """
    delay = RETRY_DELAY * 2 ** (failures - 1)
    return delay if delay < interval else None


def read_window(look_ahead: timedelta, has_guests: bool) -> timedelta:
    """Return how far ahead to read the calendar (see ``KEEP_WINDOW``)."""
    return max(look_ahead, KEEP_WINDOW) if has_guests else look_ahead
