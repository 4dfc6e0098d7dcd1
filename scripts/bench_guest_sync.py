"""Requests a calendar guest-access reconcile costs (issue #14), for scripts/benchmark.

50 bookings over 14 days, one link to 3 locks of the simulator's default scenario
(two in Denver, one in Amsterdam: 2 guests per booking, one per zone), through the
plain-Python pieces (desired → read → reconcile → apply) against a simulator on
127.0.0.1 over real HTTP, under the simulator's real limit of 120 requests a
minute, with what a Home Assistant link passes: at most ``BUDGET`` (the link's
``SYNC_MAX_REQUESTS``, 40) requests on changes per reconcile, and cancellations
carried out when two reconciles in a row agree (``Confirmation``; a link also waits
10 minutes). What
does not fit waits for the next reconcile a minute later (the simulator's clock is
moved on). Printed: the
requests of the first sync, a steady-state one, one after a booking moved, and one
after a booking was cancelled, and how many reconciles each took.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import re
from zoneinfo import ZoneInfo

import aiohttp

from custom_components.smart_access.api.auth import ClientCredentialsTokenSource
from custom_components.smart_access.api.remotelock import TOKEN_PATH, RemoteLockClient
from custom_components.smart_access.guest_sync.model import Booking, Rules, Target
from custom_components.smart_access.guest_sync.sync import (
    Confirmation,
    LinkState,
    sync_once,
)
from simulator.remotelock import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    RemoteLockSimulator,
)
from simulator.remotelock.scenario import BACK_DOOR_ID, CANAL_DOOR_ID, FRONT_DOOR_ID
from simulator.server import start_simulator

BOOKINGS = 50
# guest_link.SYNC_MAX_REQUESTS (not imported: this phase stays plain Python).
BUDGET = 40
TARGETS = [
    Target("lock", FRONT_DOOR_ID, "America/Denver"),
    Target("lock", BACK_DOOR_ID, "America/Denver"),
    Target("lock", CANAL_DOOR_ID, "Europe/Amsterdam"),
]


@dataclass
class SyncRun:
    """One reconcile: what it did and what it cost."""

    label: str
    reconciles: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    requests: Counter[str] = field(default_factory=Counter)
    failed: int = 0

    @property
    def total(self) -> int:
        """Return the API requests (token requests left out)."""
        return sum(self.requests.values())


def _fold(path: str) -> str:
    return re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27,}", "/{id}", path)


def bookings(now: datetime, moved: int | None = None) -> list[Booking]:
    """Return 50 stays of 1-3 nights spread over the next 14 days."""
    zone = ZoneInfo("America/Denver")
    stays = []
    for number in range(BOOKINGS):
        day = (now + timedelta(hours=6 * number)).astimezone(zone)
        start = day.replace(hour=15, minute=0, second=0, microsecond=0)
        if number == moved:
            start += timedelta(days=1)
        nights = 1 + number % 3
        stays.append(
            Booking(
                f"stay-{number}@ical",
                f"Guest {number}",
                start,
                start + timedelta(days=nights, hours=-4),
            )
        )
    return stays


async def bench_guest_sync() -> list[SyncRun]:
    """Run the four reconciles; return their figures."""
    sim = RemoteLockSimulator()
    sim.load_scenario(sim.default_scenario())
    server = await start_simulator(sim)
    runs: list[SyncRun] = []
    try:
        async with aiohttp.ClientSession() as session:
            tokens = ClientCredentialsTokenSource(
                session,
                server.url + TOKEN_PATH,
                DEFAULT_CLIENT_ID,
                DEFAULT_CLIENT_SECRET,
            )
            client = RemoteLockClient(session, tokens, api_url=server.url)
            state = LinkState()
            now = datetime.now(UTC)
            plan = [
                ("first run", bookings(now)),
                ("steady state", bookings(now)),
                ("one booking moved", bookings(now, moved=7)),
                ("one booking cancelled", bookings(now, moved=7)[1:]),
            ]
            for label, stays in plan:
                sim.requests.clear()
                run = SyncRun(label)
                while True:
                    run.reconciles += 1
                    done = await sync_once(
                        client,
                        "bnch",
                        stays,
                        TARGETS,
                        Rules(),
                        now,
                        state,
                        budget=BUDGET,
                        # The link waits 10 minutes; here the clock stands still,
                        # so the second reconcile confirms (same requests).
                        confirm=Confirmation(after=timedelta(0)),
                    )
                    for result in done.results:
                        if not result.deferred and not result.held:
                            run.actions[result.action.kind.value] += 1
                            run.failed += not result.ok
                    waiting = done.deferred or done.confirm_at is not None
                    if not waiting or run.reconciles >= 20:
                        break
                    sim.clock.advance(61)
                for entry in sim.requests.entries:
                    if not entry.path.endswith("/token"):
                        run.requests[f"{entry.method} {_fold(entry.path)}"] += 1
                runs.append(run)
    finally:
        await server.stop()
    return runs


def print_guest_sync(runs: list[SyncRun]) -> None:
    """Print one line per reconcile, then the requests by path."""
    print(
        f"Calendar guest access (issue #14): {BOOKINGS} bookings x {len(TARGETS)} locks "
        f"in 2 time zones (2 guests per booking); at most {BUDGET} requests of "
        "changes per reconcile, a minute apart"
    )
    for run in runs:
        actions = ", ".join(
            f"{kind} {count}" for kind, count in sorted(run.actions.items())
        )
        print(
            f"  {run.label:<22} {run.total:>4} requests in {run.reconciles} "
            f"reconcile(s)  ({actions or 'nothing to do'}; {run.failed} failed)"
        )
        for path, count in sorted(run.requests.items()):
            print(f"      {path} x{count}")
    print()
