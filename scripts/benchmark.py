"""Request budgets and poll speed of Smart Access against the in-process simulators.

Each phase runs in its own forked process and starts a fresh test Home Assistant
(``async_test_home_assistant``) with the custom integration enabled, a fresh
simulator on 127.0.0.1 and one config entry set up through
``hass.config_entries.async_setup``: the real ``RemoteLockCoordinator`` /
``BikeepCoordinator``, the real platforms and entities, real HTTP. Requests are
counted from the simulator's request log (``sim.requests.entries``), cleared between
measurements; token requests are counted apart from API requests.

Run ``scripts/benchmark`` (or ``.venv/bin/python scripts/benchmark.py --help``).
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
import contextlib
import ctypes
from dataclasses import dataclass, field
from datetime import timedelta
import functools
import gc
import json
import logging
import math
import multiprocessing
from multiprocessing.connection import Connection
import os
from pathlib import Path
import platform
import re
import shutil
import sys
import tempfile
import time
from typing import Any, cast
from unittest.mock import patch

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402
from homeassistant import loader  # noqa: E402
from homeassistant.components import webhook  # noqa: E402
from homeassistant.components.http import HomeAssistantHTTP  # noqa: E402
from homeassistant.config_entries import ConfigEntry, ConfigEntryState  # noqa: E402
from homeassistant.core import (  # noqa: E402
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import (  # noqa: E402
    device_registry as dr,
    entity_registry as er,
    frame,
)
from homeassistant.helpers.event import async_track_state_change_event  # noqa: E402
from homeassistant.helpers.network import NoURLAvailableError  # noqa: E402
from homeassistant.util import dt as dt_util  # noqa: E402
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]  # noqa: E402
    async_test_home_assistant,
)

from custom_components.smart_access.api.remotelock.core import (  # noqa: E402
    RemoteLockCore,
)
from custom_components.smart_access.const import DOMAIN  # noqa: E402
from custom_components.smart_access.coordinator import (  # noqa: E402
    BIKEEP_DEVICE_REFRESH,
    BIKEEP_INTERVAL,
    REMOTELOCK_POLL_BUDGET_PER_MINUTE,
    BikeepCoordinator,
    RemoteLockCoordinator,
)
from custom_components.smart_access.coordinator.remotelock import (  # noqa: E402
    REMOTELOCK_PUSH_INTERVAL,
)
from custom_components.smart_access.remotelock_subscriber import (  # noqa: E402
    SUBSCRIBER_NAME_PREFIX,
)
from simulator.bikeep import DEFAULT_OPERATOR_ID, BikeepSimulator  # noqa: E402
from simulator.bikeep.heartbeat import is_online  # noqa: E402
from simulator.bikeep.scenario import LOCKER_1  # noqa: E402
from simulator.common import SimulatorBase  # noqa: E402
from simulator.remotelock import RemoteLockSimulator  # noqa: E402
from simulator.remotelock.scenario import (  # noqa: E402
    ACS_DOOR_ID,
    BACK_DOOR_ID,
    FRONT_DOOR_ID,
)
from simulator.server import (  # noqa: E402
    RunningSimulator,
    serve_app,
    start_simulator,
)
from tests.components.entries import (  # noqa: E402
    add_bikeep_entry,
    add_remotelock_entry,
)

REMOTELOCK_BUDGET_PER_MINUTE = 120
REMOTELOCK_SIZES = (10, 500, 2_000, 10_000)
BIKEEP_STATIONS = (2, 20, 100)
BIKEEP_DEVICES_PER_STATION = 20
UNLIMITED = 1_000_000_000

# --------------------------------------------------------------------------------------
# measuring


@dataclass
class Requests:
    """Requests a simulator received during one measurement."""

    api: int = 0
    token: int = 0
    rate_limited: int = 0
    paths: Counter[str] = field(default_factory=Counter)

    def describe(self) -> str:
        """Return ``METHOD path xN`` for each distinct request, ids folded."""
        return ", ".join(f"{key} x{count}" for key, count in self.paths.items())


def take_requests(sim: SimulatorBase) -> Requests:
    """Count and clear the simulator's request log."""
    result = Requests()
    for entry in sim.requests.entries:
        if entry.path.endswith("/token"):
            result.token += 1
            continue
        result.api += 1
        if entry.status == 429:
            result.rate_limited += 1
        result.paths[f"{entry.method} {_fold_ids(entry.path)}"] += 1
    sim.requests.clear()
    return result


def _fold_ids(path: str) -> str:
    """Replace path segments that are ids by ``{id}`` so that requests group."""
    parts = [
        "{id}" if any(ch.isdigit() for ch in part) and len(part) > 8 else part
        for part in path.split("/")
    ]
    return "/".join(parts)


def rss_mib() -> float:
    """Return the resident set size of this process in MiB (Linux), else 0.

    Collects garbage and hands freed heap back to the system first (glibc
    ``malloc_trim``), so that memory freed by an earlier phase is not reused
    unseen by the next one.
    """
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
    except OSError, IndexError, ValueError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Stopwatch:
    """Wall time of a block, in seconds."""

    def __init__(self) -> None:
        """Start now."""
        self.start = time.perf_counter()

    @property
    def seconds(self) -> float:
        """Return the seconds since start."""
        return time.perf_counter() - self.start


# --------------------------------------------------------------------------------------
# Home Assistant and simulators


@contextlib.asynccontextmanager
async def home_assistant() -> AsyncIterator[HomeAssistant]:
    """Yield a test Home Assistant that loads custom_components/smart_access.

    Does what the ``hass``, ``enable_custom_integrations`` and
    ``disable_http_server`` fixtures of pytest-homeassistant-custom-component do;
    runtime files go to a temporary configuration directory. The integration
    depends on ``http``: without the last one, every set-up would start Home
    Assistant's own HTTP server on 0.0.0.0:8123 (and fail while another Home
    Assistant, e.g. ``scripts/develop``, holds that port).
    """
    config_dir = tempfile.mkdtemp(prefix="smart-access-bench-")
    try:
        with (
            patch.object(HomeAssistantHTTP, "async_bind"),
            patch.object(HomeAssistantHTTP, "start"),
        ):
            async with async_test_home_assistant(config_dir=config_dir) as hass:
                frame.async_setup(hass)
                # enable_custom_integrations: let the loader import custom_components.
                hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
                try:
                    yield hass
                finally:
                    for entry in hass.config_entries.async_entries():
                        if entry.state is ConfigEntryState.LOADED:
                            await hass.config_entries.async_unload(entry.entry_id)
                    await hass.async_stop(force=True)
    finally:
        shutil.rmtree(config_dir, ignore_errors=True)


@contextlib.asynccontextmanager
async def running(sim: SimulatorBase) -> AsyncIterator[RunningSimulator]:
    """Serve ``sim`` on a free port of 127.0.0.1 for the duration of the block."""
    server = await start_simulator(sim)
    try:
        yield server
    finally:
        await server.stop()


async def setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> float:
    """Set ``entry`` up, wait until everything settled; return the seconds taken."""
    watch = Stopwatch()
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return watch.seconds


async def reload_entry(hass: HomeAssistant, entry: ConfigEntry) -> float:
    """Reload ``entry`` (e.g. out of set-up retry); return the seconds taken."""
    watch = Stopwatch()
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    return watch.seconds


async def timed_refresh(
    hass: HomeAssistant, coordinator: RemoteLockCoordinator | BikeepCoordinator
) -> tuple[float, bool]:
    """Run one poll through the coordinator (entities updated); seconds and success."""
    watch = Stopwatch()
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    return watch.seconds, coordinator.last_update_success


def entity_count(hass: HomeAssistant, entry: ConfigEntry) -> tuple[int, int]:
    """Return (entities registered, devices registered) for ``entry``."""
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    return len(entities), len(devices)


# --------------------------------------------------------------------------------------
# RemoteLock fleets


@dataclass
class RemoteLockResult:
    """Figures for one RemoteLock fleet."""

    devices: int
    setup_api: int = 0
    setup_token: int = 0
    setup_seconds: float = 0.0
    setup_note: str = ""
    setup_fits: bool = True
    poll_api: int = 0
    poll_seconds: float = 0.0
    poll_note: str = ""
    poll_fits: bool = True
    setup_waits: int = 0
    poll_waits: int = 0
    fetch_seconds: float = 0.0
    interval_seconds: float = 0.0
    entities: int = 0
    ha_devices: int = 0
    rss_delta_mib: float = 0.0
    setup_detail: str = ""
    poll_detail: str = ""

    @property
    def per_minute(self) -> float:
        """Polling requests per minute at the resulting update interval."""
        return (
            self.poll_api * 60 / self.interval_seconds if self.interval_seconds else 0
        )


def remotelock_simulator(devices: int) -> RemoteLockSimulator:
    """Return the default scenario (8 devices, all types) topped up to ``devices``."""
    sim = RemoteLockSimulator()
    sim.load_scenario(sim.default_scenario())
    extra = devices - len(sim.devices)
    if extra > 0:
        locks = extra * 6 // 10
        thermostats = extra * 2 // 10
        sim.generate_fleet(
            {
                "locks": locks,
                "thermostats": thermostats,
                "power_plugs": extra - locks - thermostats,
                "locations": devices // 100,
            }
        )
    return sim


def entry_state(entry: ConfigEntry) -> ConfigEntryState:
    """Return the entry's state (a call, so that type checkers do not narrow it)."""
    return entry.state


async def bench_remotelock(devices: int) -> RemoteLockResult:
    """Set up and poll one RemoteLock fleet of ``devices`` devices.

    Both steps run first under the simulator's real 120 requests/minute limit; when
    one fails with 429 the note says so and the step is measured again with the
    limit lifted, so that its cost is known all the same.
    """
    result = RemoteLockResult(devices=devices)
    sim = remotelock_simulator(devices)
    assert len(sim.devices) == devices
    waits: list[float] = []

    async def simulated_wait(seconds: float) -> None:
        """Pause of a paced bulk read: move the simulated clock instead of sleeping."""
        waits.append(seconds)
        sim.clock.advance(seconds)

    # The polling rule without push: Home Assistant has no URL RemoteLock could
    # call (the push figures are measured by bench_push_hourly).
    with (
        patch.object(RemoteLockCore, "_sleep", staticmethod(simulated_wait)),
        patch.object(webhook, "async_generate_url", side_effect=NoURLAvailableError),
    ):
        return await _bench_remotelock(result, sim, waits)


async def _bench_remotelock(
    result: RemoteLockResult, sim: RemoteLockSimulator, waits: list[float]
) -> RemoteLockResult:
    """Run the set-up and poll phases (paced reads wait on simulated time)."""
    async with running(sim) as server, home_assistant() as hass:
        entry: ConfigEntry = add_remotelock_entry(hass, server)
        rss_before = rss_mib()
        result.setup_seconds = await setup_entry(hass, entry)
        setup = take_requests(sim)
        if entry_state(entry) is not ConfigEntryState.LOADED:
            result.setup_fits = False
            result.setup_note = (
                f"set-up at 120/min: entry {entry.state.value} after {setup.api} "
                f"requests ({setup.rate_limited} answered 429), and so on every "
                "retry; figures measured with the limit lifted"
            )
            sim.rate_limit.limit = UNLIMITED
            sim.clock.advance(61)
            result.setup_seconds = await reload_entry(hass, entry)
            setup = take_requests(sim)
            sim.rate_limit.limit = REMOTELOCK_BUDGET_PER_MINUTE
        assert entry_state(entry) is ConfigEntryState.LOADED, entry.state
        result.setup_api, result.setup_token = setup.api, setup.token
        result.setup_waits = len(waits)
        waits.clear()
        result.setup_detail = setup.describe()
        result.rss_delta_mib = rss_mib() - rss_before
        result.entities, result.ha_devices = entity_count(hass, entry)
        coordinator = entry.runtime_data.coordinator
        assert isinstance(coordinator, RemoteLockCoordinator)

        # A regular poll, alone in a fresh rate-limit window (simulated minute).
        sim.clock.advance(61)
        seconds, ok = await timed_refresh(hass, coordinator)
        poll = take_requests(sim)
        if not ok:
            result.poll_fits = False
            result.poll_note = (
                f"poll at 120/min: fails after {poll.api} requests "
                f"({poll.rate_limited} answered 429), next try in "
                f"{interval_seconds(coordinator):.0f} s, and fails again; "
                "figures measured with the limit lifted"
            )
            sim.rate_limit.limit = UNLIMITED
            sim.clock.advance(61)
            seconds, ok = await timed_refresh(hass, coordinator)
            poll = take_requests(sim)
            assert ok, coordinator.last_exception
        result.poll_api, result.poll_seconds = poll.api, seconds
        result.poll_waits = len(waits)
        result.poll_detail = poll.describe()
        result.interval_seconds = interval_seconds(coordinator)

        # The same device pages through the client alone: HTTP, simulator and
        # parsing, without the coordinator's listeners (entity state writes).
        sim.rate_limit.limit = UNLIMITED
        sim.clock.advance(61)
        watch = Stopwatch()
        await coordinator.client.async_list_devices()
        result.fetch_seconds = watch.seconds
        take_requests(sim)
    return result


def interval_seconds(coordinator: RemoteLockCoordinator | BikeepCoordinator) -> float:
    """Return the coordinator's current update interval in seconds."""
    assert coordinator.update_interval is not None
    return coordinator.update_interval.total_seconds()


# --------------------------------------------------------------------------------------
# Bikeep fleets


@dataclass
class BikeepResult:
    """Figures for one Bikeep fleet."""

    stations: int
    devices: int = 0
    whitelists: int = 0
    setup_api: int = 0
    setup_token: int = 0
    setup_seconds: float = 0.0
    poll_api: int = 0
    poll_seconds: float = 0.0
    whitelist_poll_api: int = 0
    whitelist_poll_seconds: float = 0.0
    whitelist_poll_detail: str = ""
    entities: int = 0
    ha_devices: int = 0
    rss_delta_mib: float = 0.0


def bikeep_simulator(stations: int) -> BikeepSimulator:
    """Return the default scenario (2 stations) plus stations of 20 devices.

    Each generated station also gets one whitelist (targets the station, one card),
    so that the whitelist refresh costs what it would on a real operator.
    """
    sim = BikeepSimulator()
    sim.load_scenario(sim.default_scenario())
    extra = stations - 2
    if extra > 0:
        sim.generate_fleet(
            {"locations": extra, "devices_per_location": BIKEEP_DEVICES_PER_STATION}
        )
        for location_id in [k for k in sim.state.locations if k.startswith("fleet-")]:
            sim.add_whitelist(
                {
                    "id": f"wl-{location_id}",
                    "location_id": location_id,
                    "name": "Fleet staff",
                    "targets": [{"type": "location", "id": location_id}],
                    "entities": [{"id": "04aabbccdd"}],
                }
            )
    return sim


async def bench_bikeep(stations: int) -> BikeepResult:
    """Set up and poll one Bikeep operator with ``stations`` stations."""
    result = BikeepResult(stations=stations)
    sim = bikeep_simulator(stations)
    async with running(sim) as server, home_assistant() as hass:
        entry: ConfigEntry = add_bikeep_entry(hass, server)
        rss_before = rss_mib()
        result.setup_seconds = await setup_entry(hass, entry)
        assert entry.state is ConfigEntryState.LOADED, entry.state
        setup = take_requests(sim)
        result.setup_api, result.setup_token = setup.api, setup.token
        result.rss_delta_mib = rss_mib() - rss_before
        result.entities, result.ha_devices = entity_count(hass, entry)
        coordinator = entry.runtime_data.coordinator
        assert isinstance(coordinator, BikeepCoordinator)
        assert coordinator.data is not None
        result.devices = len(coordinator.data.devices)
        result.whitelists = sum(len(w) for w in coordinator.data.whitelists.values())

        result.poll_seconds, ok = await timed_refresh(hass, coordinator)
        assert ok
        result.poll_api = take_requests(sim).api

        # The 30-minute read: whitelists and every station's device list due.
        coordinator._whitelists_at = None  # noqa: SLF001 - make the refresh due
        coordinator._station_reads.clear()  # noqa: SLF001 - every station due
        result.whitelist_poll_seconds, ok = await timed_refresh(hass, coordinator)
        assert ok
        whitelist_poll = take_requests(sim)
        result.whitelist_poll_api = whitelist_poll.api
        result.whitelist_poll_detail = whitelist_poll.describe()
    return result


# --------------------------------------------------------------------------------------
# Bikeep requests per hour: every station every poll (before) and the guide's rule


# Share of stations whose counts change in a 5-minute interval. 25 % is the assumed
# typical day: a 20-device station with ~3 check-ins/outs an hour sees at least one
# in a quarter of its 5-minute windows. 0 % is a quiet night, 100 % the worst case.
BIKEEP_CHANGE_RATES = (0.0, 0.25, 1.0)
BIKEEP_TYPICAL_CHANGE_RATE = 0.25
BIKEEP_SIMULATED_HOURS = 2


@dataclass
class BikeepHourlyResult:
    """Requests of one Bikeep fleet over simulated hours of polling."""

    stations: int
    rule: str  # "before": every station every poll; "after": the guide's rule
    change_rate: float
    hours: int = BIKEEP_SIMULATED_HOURS
    api: int = 0
    token: int = 0
    location_lists: int = 0
    device_lists: int = 0
    whitelist_requests: int = 0
    changes: int = 0

    @property
    def per_hour(self) -> float:
        """API requests per hour of polling."""
        return self.api / self.hours


def _toggle_one_device(sim: BikeepSimulator, location_id: str) -> bool:
    """Check a bike in or out at a station: one online locker/dock changes state.

    UNLOCKED <-> LOCKED moves the station's ``available`` count, as a real check-in
    or check-out does. Return whether a device was found.
    """
    now = sim.clock.now()
    for device in sim.state.location_devices(location_id):
        if device.type != "GUARD" and device.state in ("UNLOCKED", "LOCKED"):
            if not is_online(sim.state, device, now):
                continue
            device.state = "LOCKED" if device.state == "UNLOCKED" else "UNLOCKED"
            device.changed_at = now
            return True
    return False


async def bench_bikeep_hourly(
    stations: int, rule: str, change_rate: float
) -> BikeepHourlyResult:
    """Poll one fleet every 5 simulated minutes for a few simulated hours.

    Between polls, ``change_rate`` of the stations (spread evenly: station i changes
    in interval k when (i + k) is a multiple of 1 / rate) have a check-in or -out.
    Home Assistant's and the simulator's clocks move together; ``before`` runs the
    same code with every station due at every poll (a 0-minute device refresh),
    which is the rule of the previous release.
    """
    result = BikeepHourlyResult(stations=stations, rule=rule, change_rate=change_rate)
    sim = bikeep_simulator(stations)
    # Tokens outlive the run, so renewals do not add 401s to the counts.
    await sim.control_trigger("set_timing", {"token_lifetime": 86_400 * 30})
    refresh = timedelta(0) if rule == "before" else BIKEEP_DEVICE_REFRESH
    with (
        patch.object(dt_util, "utcnow", sim.clock.now),
        patch(f"{BikeepCoordinator.__module__}.BIKEEP_DEVICE_REFRESH", refresh),
    ):
        async with running(sim) as server, home_assistant() as hass:
            entry: ConfigEntry = add_bikeep_entry(hass, server)
            await setup_entry(hass, entry)
            assert entry.state is ConfigEntryState.LOADED, entry.state
            coordinator = entry.runtime_data.coordinator
            assert isinstance(coordinator, BikeepCoordinator)
            take_requests(sim)
            # The entry's operator's stations (the scenario has another operator).
            location_ids = [
                key
                for key, location in sim.state.locations.items()
                if location.operator_id == DEFAULT_OPERATOR_ID
            ]
            period = round(1 / change_rate) if change_rate else 0
            polls = int(BIKEEP_SIMULATED_HOURS * 3600 / BIKEEP_INTERVAL.total_seconds())
            for interval in range(polls):
                sim.clock.advance(BIKEEP_INTERVAL.total_seconds())
                for index, location_id in enumerate(location_ids):
                    if period and (index + interval) % period == 0:
                        result.changes += _toggle_one_device(sim, location_id)
                _, ok = await timed_refresh(hass, coordinator)
                assert ok, coordinator.last_exception
            requests = take_requests(sim)
    result.api, result.token = requests.api, requests.token
    for key, count in requests.paths.items():
        if key == "GET /location/v1/locations":
            result.location_lists += count
        elif key.startswith("GET /device/v1/locations/"):
            result.device_lists += count
        elif "/whitelist" in key:
            result.whitelist_requests += count
    return result


def run_bikeep_hourly(
    args: argparse.Namespace, *, fork: bool
) -> list[BikeepHourlyResult]:
    """Measure before (typical change rate) and after (every rate); print the table."""
    if args.skip_bikeep_hourly or not args.bikeep:
        return []
    results = []
    for stations in args.bikeep:
        runs = [("before", BIKEEP_TYPICAL_CHANGE_RATE)]
        runs += [("after", rate) for rate in BIKEEP_CHANGE_RATES]
        results += [
            isolated(
                functools.partial(bench_bikeep_hourly, stations, rule, rate), fork=fork
            )
            for rule, rate in runs
        ]
    print_bikeep_hourly(results)
    return results


def print_bikeep_hourly(results: list[BikeepHourlyResult]) -> None:
    """Print requests per hour before and after, per fleet and change rate."""
    print(
        f"Bikeep requests per hour ({BIKEEP_SIMULATED_HOURS} simulated hours, "
        "a poll every 5 min; before = every station's devices at every poll)"
    )
    by_size: dict[int, dict[tuple[str, float], BikeepHourlyResult]] = {}
    for r in results:
        by_size.setdefault(r.stations, {})[(r.rule, r.change_rate)] = r
    headers = ["stations", "before req/h"]
    headers += [f"after {rate:.0%} req/h" for rate in BIKEEP_CHANGE_RATES]
    headers += ["device lists/h before", "device lists/h after 25%", "saved at 25%"]
    rows = []
    for stations, runs in by_size.items():
        before = runs[("before", BIKEEP_TYPICAL_CHANGE_RATE)]
        typical = runs[("after", BIKEEP_TYPICAL_CHANGE_RATE)]
        rows.append(
            [
                str(stations),
                f"{before.per_hour:.0f}",
                *(
                    f"{runs[('after', rate)].per_hour:.0f}"
                    for rate in BIKEEP_CHANGE_RATES
                ),
                f"{before.device_lists / before.hours:.0f}",
                f"{typical.device_lists / typical.hours:.0f}",
                f"{1 - typical.per_hour / before.per_hour:.0%}",
            ]
        )
    print(table(headers, rows))
    for r in results:
        print(
            f"  {r.stations} stations, {r.rule} at {r.change_rate:.0%}: "
            f"{r.location_lists} location lists, {r.device_lists} device lists, "
            f"{r.whitelist_requests} whitelist requests, {r.token} token, "
            f"{r.changes} station changes in {r.hours} h"
        )
    big = by_size[max(by_size)]
    print(
        f"Summary: for {max(by_size)} stations, "
        f"{big[('before', BIKEEP_TYPICAL_CHANGE_RATE)].per_hour:.0f} requests/hour "
        "before, "
        f"{big[('after', BIKEEP_TYPICAL_CHANGE_RATE)].per_hour:.0f} after at a "
        f"{BIKEEP_TYPICAL_CHANGE_RATE:.0%} change rate "
        f"({big[('after', 0.0)].per_hour:.0f} when nothing changes, "
        f"{big[('after', 1.0)].per_hour:.0f} when every station changes every poll)."
    )
    print()


# --------------------------------------------------------------------------------------
# RemoteLock push: webhook-to-state latency and requests per hour with and without


PUSH_EVENTS = 200
PUSH_EVENT_TIMEOUT = 5.0
PUSH_FLEET = 1_000
PUSH_SIMULATED_HOURS = 1


@contextlib.asynccontextmanager
async def webhook_endpoint(hass: HomeAssistant) -> AsyncIterator[str]:
    """Serve Home Assistant's webhook handler on 127.0.0.1; it is the internal URL.

    What the ``ha_webhook_url`` fixture of tests/components/conftest.py does:
    ``POST /api/webhook/<id>`` goes to the webhook component's own handler (Home
    Assistant's HTTP app itself is not served by the test instance).
    """

    async def deliver(request: web.Request) -> web.StreamResponse:
        return await webhook.async_handle_webhook(
            hass, request.match_info["webhook_id"], request
        )

    app = web.Application()
    app.router.add_route("*", "/api/webhook/{webhook_id}", deliver)
    runner, url = await serve_app(app, access_log=None, shutdown_timeout=1.0)
    hass.config.internal_url = url
    try:
        yield url
    finally:
        await runner.cleanup()


def active_webhook_subscribers(sim: RemoteLockSimulator) -> int:
    """Return how many active webhook subscribers of Home Assistant the account has.

    (The default scenario also holds an inactive example subscriber of its own.)
    """
    return sum(
        1
        for record in sim.state.notification_subscribers.values()
        if record["type"] == "webhook_notification_subscriber"
        and record["attributes"]["name"].startswith(SUBSCRIBER_NAME_PREFIX)
        and record["attributes"].get("active", True)
    )


def percentile(samples: Sequence[float], share: float) -> float:
    """Return the nearest-rank percentile (a sample that was measured)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


@dataclass
class _AwaitedState:
    """The lock state one event waits for, and when (and after what) it showed."""

    state: str = ""
    seen_at: float = 0.0
    deliveries: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class PushLatencyResult:
    """Webhook-to-state latency of keypad events on one lock."""

    events: int = 0
    failures: int = 0
    not_pushed: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    min_ms: float = 0.0
    first_ms: float = 0.0
    samples_ms: list[float] = field(default_factory=list)
    slowest: list[tuple[int, str, float]] = field(default_factory=list)
    subscribers: int = 0
    deliveries: int = 0
    api: int = 0
    token: int = 0
    device_polls: int = 0
    detail: str = ""
    seconds: float = 0.0


async def bench_push_latency() -> PushLatencyResult:
    """Keypad unlock/lock at the simulator until the lock entity shows it, 200 times.

    The simulator delivers each event over real HTTP to Home Assistant's webhook
    handler; time runs from just before the trigger to the state-change callback of
    the lock entity (a timeout of 5 s counts as a failure). Between events, untimed,
    the delivery's answer is awaited (``webhooks.flush()``) and Home Assistant
    settles (event entity, Last access sensor, bus event).
    """
    result = PushLatencyResult()
    sim = RemoteLockSimulator()
    sim.load_scenario(sim.default_scenario())
    async with (
        running(sim) as server,
        home_assistant() as hass,
        webhook_endpoint(hass),
    ):
        entry: ConfigEntry = add_remotelock_entry(hass, server)
        await setup_entry(hass, entry)
        assert entry.state is ConfigEntryState.LOADED, entry.state
        coordinator = entry.runtime_data.coordinator
        assert isinstance(coordinator, RemoteLockCoordinator)
        push = entry.runtime_data.push
        assert push is not None
        result.subscribers = active_webhook_subscribers(sim)
        assert result.subscribers == 1, result.subscribers
        assert coordinator.push_healthy
        assert coordinator.update_interval == REMOTELOCK_PUSH_INTERVAL
        lock_id = _entity_of_device(hass, FRONT_DOOR_ID, "lock")
        person = next(
            p
            for p in sim.state.access_persons.values()
            if p["attributes"].get("pin") and sim.person_status(p) == "current"
        )

        awaited = _AwaitedState()

        @callback
        def state_changed(event: Event[EventStateChangedData]) -> None:
            new = event.data["new_state"]
            if (
                new is not None
                and new.state == awaited.state
                and not awaited.changed.is_set()
            ):
                awaited.seen_at = time.perf_counter()
                awaited.deliveries = push.deliveries
                awaited.changed.set()

        unsubscribe = async_track_state_change_event(hass, lock_id, state_changed)
        samples: list[tuple[int, str, float]] = []
        deliveries = push.deliveries
        take_requests(sim)
        watch = Stopwatch()
        try:
            for index in range(1, PUSH_EVENTS + 1):
                current = hass.states.get(lock_id)
                unlock = current is None or current.state != "unlocked"
                action = "keypad_unlock" if unlock else "keypad_lock"
                params = {"device_id": FRONT_DOOR_ID}
                if unlock:
                    params["access_person_id"] = person["id"]
                awaited.state = "unlocked" if unlock else "locked"
                awaited.changed.clear()
                before = push.deliveries
                start = time.perf_counter()
                await sim.control_trigger(action, params)
                try:
                    async with asyncio.timeout(PUSH_EVENT_TIMEOUT):
                        await awaited.changed.wait()
                except TimeoutError:
                    result.failures += 1
                else:
                    # The state must have come with a delivery, not from a poll.
                    result.not_pushed += awaited.deliveries == before
                    ms = (awaited.seen_at - start) * 1000
                    samples.append((index, action, ms))
                # Untimed: the unlock's second delivery and the event log settle.
                await sim.webhooks.flush()
                await hass.async_block_till_done()
        finally:
            unsubscribe()
        result.seconds = watch.seconds
        requests = take_requests(sim)
        result.deliveries = push.deliveries - deliveries
    latencies = result.samples_ms = [ms for _, _, ms in samples]
    result.events = len(samples) + result.failures
    result.p50_ms = percentile(latencies, 0.50)
    result.p95_ms = percentile(latencies, 0.95)
    result.max_ms = max(latencies, default=0.0)
    result.min_ms = min(latencies, default=0.0)
    result.first_ms = samples[0][2] if samples and samples[0][0] == 1 else 0.0
    result.slowest = sorted(samples, key=lambda sample: -sample[2])[:3]
    result.api, result.token = requests.api, requests.token
    result.device_polls = requests.paths.get("GET /devices", 0)
    result.detail = requests.describe() or "none"
    return result


@dataclass
class PushHourlyResult:
    """Requests of one RemoteLock account over a simulated hour of polls."""

    devices: int
    push: bool
    hours: int = PUSH_SIMULATED_HOURS
    interval_seconds: float = 0.0
    polls: int = 0
    api: int = 0
    token: int = 0
    device_pages: int = 0
    subscriber_checks: int = 0
    event_reads: int = 0
    location_lists: int = 0
    guest_lists: int = 0
    other: int = 0
    detail: str = ""

    @property
    def per_hour(self) -> float:
        """API requests per hour of polling."""
        return self.api / self.hours

    @property
    def per_poll(self) -> float:
        """API requests per poll, averaged over the hour."""
        return self.api / self.polls if self.polls else 0.0


async def bench_push_hourly(devices: int, push: bool) -> PushHourlyResult:
    """Poll one RemoteLock account at its own interval for a simulated hour.

    ``push``: Home Assistant's webhook is reachable (internal URL on 127.0.0.1), the
    subscriber is active and the coordinator polls every 10 minutes, each poll
    running the safety net. Without: Home Assistant has no URL RemoteLock could
    call (``webhook.async_generate_url`` raises ``NoURLAvailableError``, as with
    neither an external URL nor HA Cloud), so the entry raises its repair issue and
    polls at the interval its size needs. (Clearing the internal URL is not enough:
    with the simulator's API URL override the integration accepts an internal
    ``http://`` URL, and Home Assistant falls back to its detected local IP.)
    Home Assistant's clock follows the simulator's, so the 30-minute location and
    5-minute resort guest refreshes fall due as in real life.
    """
    result = PushHourlyResult(devices=devices, push=push)
    sim = remotelock_simulator(devices)

    async def simulated_wait(seconds: float) -> None:
        sim.clock.advance(seconds)

    no_url = patch.object(
        webhook, "async_generate_url", side_effect=NoURLAvailableError
    )
    with (
        patch.object(RemoteLockCore, "_sleep", staticmethod(simulated_wait)),
        patch.object(dt_util, "utcnow", sim.clock.now),
        contextlib.nullcontext() if push else no_url,
    ):
        async with (
            running(sim) as server,
            home_assistant() as hass,
            webhook_endpoint(hass),
        ):
            if not push:
                hass.config.internal_url = None
            entry: ConfigEntry = add_remotelock_entry(hass, server)
            await setup_entry(hass, entry)
            assert entry_state(entry) is ConfigEntryState.LOADED, entry.state
            coordinator = entry.runtime_data.coordinator
            assert isinstance(coordinator, RemoteLockCoordinator)
            assert coordinator.push_healthy is push
            assert active_webhook_subscribers(sim) == (1 if push else 0)
            result.interval_seconds = interval_seconds(coordinator)
            take_requests(sim)
            result.polls = int(result.hours * 3600 / result.interval_seconds)
            for _ in range(result.polls):
                sim.clock.advance(result.interval_seconds)
                _, ok = await timed_refresh(hass, coordinator)
                assert ok, coordinator.last_exception
                assert coordinator.push_healthy is push
                assert interval_seconds(coordinator) == result.interval_seconds
            requests = take_requests(sim)
    result.api, result.token = requests.api, requests.token
    result.detail = requests.describe()
    for key, count in requests.paths.items():
        if key == "GET /devices":
            result.device_pages += count
        elif key.startswith("GET /notification_subscribers/"):
            result.subscriber_checks += count
        elif key == "GET /events":
            result.event_reads += count
        elif key == "GET /locations":
            result.location_lists += count
        elif key == "GET /resort_lock_guests":
            result.guest_lists += count
        else:
            result.other += count
    return result


@dataclass
class PushResults:
    """Both push figures."""

    latency: PushLatencyResult | None = None
    hourly: list[PushHourlyResult] = field(default_factory=list)


def run_push(args: argparse.Namespace, *, fork: bool) -> PushResults:
    """Measure the latency and both hourly runs; print them."""
    results = PushResults()
    if args.skip_push:
        return results
    results.latency = isolated(bench_push_latency, fork=fork)
    results.hourly = [
        isolated(functools.partial(bench_push_hourly, PUSH_FLEET, push), fork=fork)
        for push in (False, True)
    ]
    print_push(results)
    return results


def print_push(results: PushResults) -> None:
    """Print the latency table, the hourly table and a summary."""
    latency = results.latency
    assert latency is not None
    print(
        "RemoteLock push (keypad events on one lock, delivered over real HTTP to "
        "Home Assistant's webhook on 127.0.0.1)"
    )
    print(
        table(
            [
                "events",
                "failures",
                "p50 ms",
                "p95 ms",
                "max ms",
                "min ms",
                "deliveries",
                "req",
                "GET /devices",
            ],
            [
                [
                    str(latency.events),
                    str(latency.failures),
                    f"{latency.p50_ms:.2f}",
                    f"{latency.p95_ms:.2f}",
                    f"{latency.max_ms:.2f}",
                    f"{latency.min_ms:.2f}",
                    str(latency.deliveries),
                    str(latency.api),
                    str(latency.device_polls),
                ]
            ],
        )
    )
    slowest = ", ".join(
        f"#{index} {action} {ms:.2f} ms" for index, action, ms in latency.slowest
    )
    print(
        f"  {latency.subscribers} active webhook subscriber of Home Assistant; "
        f"{latency.not_pushed} state changes without a delivery first; requests "
        f"during the events: {latency.detail}; first event {latency.first_ms:.2f} "
        f"ms; slowest: {slowest}; {latency.seconds:.1f} s in all"
    )
    print(
        f"RemoteLock requests per hour, {PUSH_FLEET:,} devices "
        f"({PUSH_SIMULATED_HOURS} simulated hour of polls at the coordinator's "
        "interval)"
    )
    rows = [
        [
            "with push" if r.push else "without push",
            f"{r.interval_seconds:.0f}",
            str(r.polls),
            f"{r.per_poll:.2f}",
            f"{r.per_hour:,.0f}",
            str(r.device_pages),
            str(r.subscriber_checks),
            str(r.event_reads),
            str(r.location_lists),
            str(r.guest_lists),
            str(r.other),
            str(r.token),
        ]
        for r in results.hourly
    ]
    print(
        table(
            [
                "mode",
                "interval s",
                "polls/h",
                "req/poll",
                "req/h",
                "device pages",
                "subscriber",
                "events",
                "locations",
                "guests",
                "other",
                "token",
            ],
            rows,
        )
    )
    for r in results.hourly:
        print(f"  {'with' if r.push else 'without'} push: {r.detail}")
    by_mode = {r.push: r for r in results.hourly}
    without, with_push = by_mode[False], by_mode[True]
    print(
        f"Summary: a keypad event shows in Home Assistant {latency.p50_ms:.1f} ms "
        f"after the trigger (p50; p95 {latency.p95_ms:.1f} ms, max "
        f"{latency.max_ms:.1f} ms, {latency.failures} of {latency.events} missed) "
        f"with {latency.device_polls} device polls; {PUSH_FLEET:,} devices cost "
        f"{without.per_hour:,.0f} requests/hour without push and "
        f"{with_push.per_hour:,.0f} with push "
        f"({without.per_hour / with_push.per_hour:.1f}x fewer)."
    )
    print()


# --------------------------------------------------------------------------------------
# commands and actions


@dataclass
class ActionResult:
    """Cost of one command or action."""

    name: str
    api: int
    token: int
    seconds: float
    detail: str
    outcome: str


async def bench_remotelock_actions() -> list[ActionResult]:
    """RemoteLock lock command, create_access_guest, send_access_instructions."""
    results: list[ActionResult] = []
    sim = RemoteLockSimulator()
    sim.load_scenario(sim.default_scenario())
    async with running(sim) as server, home_assistant() as hass:
        entry: ConfigEntry = add_remotelock_entry(hass, server)
        await setup_entry(hass, entry)
        assert entry.state is ConfigEntryState.LOADED
        take_requests(sim)
        lock_id = _entity_of_device(hass, FRONT_DOOR_ID, "lock")
        await hass.services.async_call(  # start from unlocked (not counted)
            "lock", "unlock", {"entity_id": lock_id}, blocking=True
        )
        take_requests(sim)
        before = hass.states.get(lock_id)

        watch = Stopwatch()
        await hass.services.async_call(
            "lock", "lock", {"entity_id": lock_id}, blocking=True
        )
        seconds = watch.seconds
        req = take_requests(sim)
        state = hass.states.get(lock_id)
        results.append(
            ActionResult(
                "RemoteLock lock (lock.lock)",
                req.api,
                req.token,
                seconds,
                req.describe(),
                f"{before.state if before else '?'} -> {state.state if state else '?'}",
            )
        )

        devices = [_ha_device(hass, ident) for ident in (FRONT_DOOR_ID, BACK_DOOR_ID)]
        devices.append(_ha_device(hass, ACS_DOOR_ID))
        watch = Stopwatch()
        response = await hass.services.async_call(
            DOMAIN,
            "create_access_guest",
            {
                "config_entry_id": entry.entry_id,
                "name": "Benchmark Guest",
                "email": "benchmark.guest@example.com",
                "generate_pin": True,
                "starts_at": "2030-06-01 09:00:00",
                "ends_at": "2030-06-01 13:00:00",
                "devices": devices,
                "send_instructions": True,
            },
            blocking=True,
            return_response=True,
        )
        seconds = watch.seconds
        req = take_requests(sim)
        assert isinstance(response, dict)
        accesses = response["accesses"]
        assert isinstance(accesses, list)
        results.append(
            ActionResult(
                "RemoteLock create_access_guest (3 devices, send_instructions)",
                req.api,
                req.token,
                seconds,
                req.describe(),
                f"{len(accesses)} accesses, instructions {response['instructions']}",
            )
        )

        emails = len(sim.emails)
        watch = Stopwatch()
        await hass.services.async_call(
            DOMAIN,
            "send_access_instructions",
            {
                "config_entry_id": entry.entry_id,
                "access_person_id": response["access_person_id"],
            },
            blocking=True,
        )
        seconds = watch.seconds
        req = take_requests(sim)
        results.append(
            ActionResult(
                "RemoteLock send_access_instructions",
                req.api,
                req.token,
                seconds,
                req.describe(),
                f"simulator e-mails {emails} -> {len(sim.emails)}",
            )
        )
    return results


async def bench_bikeep_lock() -> ActionResult:
    """Bikeep lock from the lock entity, followed until the device says LOCKED."""
    sim = BikeepSimulator()
    sim.load_scenario(sim.default_scenario())
    await sim.control_trigger("set_latency", {"seconds": 0})
    async with running(sim) as server, home_assistant() as hass:
        entry: ConfigEntry = add_bikeep_entry(hass, server)
        await setup_entry(hass, entry)
        assert entry.state is ConfigEntryState.LOADED
        coordinator = entry.runtime_data.coordinator
        assert isinstance(coordinator, BikeepCoordinator)
        lock_id = _entity_of_device(hass, LOCKER_1, "lock")
        before = hass.states.get(lock_id)
        take_requests(sim)
        watch = Stopwatch()
        await hass.services.async_call(
            "lock", "lock", {"entity_id": lock_id}, blocking=True
        )
        returned = watch.seconds
        seen = await _wait_until_idle(hass, coordinator, lock_id, timeout=30)
        await hass.async_block_till_done()
        seconds = watch.seconds
        req = take_requests(sim)
        command = next(iter(sim.state.commands.values()), None)
        states = [before.state if before else "?", *seen]
        outcome = (
            f"entity {' -> '.join(states)}, command {_command_outcome(command)}; "
            f"the call returned after {returned:.2f} s; device secures after "
            f"{sim.state.settings.secure_delay} s, command polled every "
            f"{coordinator.command_poll_interval} s"
        )
    return ActionResult(
        "Bikeep lock (lock.lock) followed to SUCCESS, latency 0",
        req.api,
        req.token,
        seconds,
        req.describe(),
        outcome,
    )


async def _wait_until_idle(
    hass: HomeAssistant, coordinator: BikeepCoordinator, entity_id: str, timeout: float
) -> list[str]:
    """Wait until no command is in flight; return the entity states seen meanwhile."""
    idle = asyncio.Event()
    seen: list[str] = []

    def check() -> None:
        state = hass.states.get(entity_id)
        if state is not None and (not seen or seen[-1] != state.state):
            seen.append(state.state)
        if not coordinator.in_flight:
            idle.set()

    unsubscribe = coordinator.async_add_listener(check)
    try:
        check()
        async with asyncio.timeout(timeout):
            await idle.wait()
    finally:
        unsubscribe()
    return seen


def _command_outcome(command: Any) -> str:
    """Return ``STATE (LAST_EVENT)`` of a simulator command."""
    if command is None:
        return "?"
    last = command.events[-1].name if command.events else "-"
    return f"{command.state} ({last})"


def _ha_device(hass: HomeAssistant, vendor_id: str) -> str:
    # async_get_device(identifiers=...) is deprecated since Home Assistant 2026.10
    # (identifiers are unique per config entry only); each phase has one entry.
    found = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, vendor_id)})
    assert len(found) == 1, (vendor_id, len(found))
    return found[0].id


def _entity_of_device(hass: HomeAssistant, vendor_id: str, platform_name: str) -> str:
    device_id = _ha_device(hass, vendor_id)
    for entity in er.async_entries_for_device(er.async_get(hass), device_id):
        if entity.domain == platform_name:
            return entity.entity_id
    raise LookupError(f"no {platform_name} entity for {vendor_id}")


# --------------------------------------------------------------------------------------
# output


NUMERIC = re.compile(r"^[-+]?[\d,.]+%?$")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Return a plain-text table; numeric columns are right-aligned."""
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in rows))
        for i in range(len(headers))
    ]
    numeric = [all(NUMERIC.match(row[i]) for row in rows) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if numeric[i] else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def print_remotelock(results: list[RemoteLockResult]) -> None:
    """Print the RemoteLock table, notes and summary."""
    if not results:
        return
    print("RemoteLock (budget 120 requests/min per account; polling capped at 30/min)")
    rows = [
        [
            f"{r.devices:,}",
            str(r.setup_api),
            str(r.setup_token),
            f"{r.setup_seconds:.2f}",
            "yes" if r.setup_fits else "NO",
            str(r.setup_waits),
            str(r.poll_api),
            f"{r.poll_seconds:.2f}",
            f"{r.fetch_seconds:.2f}",
            "yes" if r.poll_fits else "NO",
            str(r.poll_waits),
            f"{r.interval_seconds:.0f}",
            f"{r.per_minute:.1f}",
            f"{r.per_minute / REMOTELOCK_BUDGET_PER_MINUTE:.0%}",
            f"{r.entities:,}",
            f"{r.rss_delta_mib:.0f}",
        ]
        for r in results
    ]
    print(
        table(
            [
                "devices",
                "setup req",
                "token",
                "setup s",
                "fits 120/min",
                "waits",
                "poll req",
                "poll s",
                "fetch s",
                "fits 120/min",
                "waits",
                "interval s",
                "poll req/min",
                "of 120",
                "entities",
                "RSS +MiB",
            ],
            rows,
        )
    )
    for r in results:
        print(f"  {r.devices:,} devices: set-up {r.setup_detail}; poll {r.poll_detail}")
        for note in (r.setup_note, r.poll_note):
            if note:
                print(f"    note: {note}")
    worst = max(results, key=lambda r: r.per_minute)
    too_big = [
        f"{r.devices:,} ({' and '.join(steps)})"
        for r in results
        if (
            steps := [
                step
                for step, fits in (("set-up", r.setup_fits), ("poll", r.poll_fits))
                if not fits
            ]
        )
    ]
    burst = (
        "but set-up and each poll are bursts of ceil(devices/50) requests, over "
        f"120 in one minute at {', '.join(too_big)} devices: 429, retried in vain"
        if too_big
        else "and set-up and every poll finish without a 429"
        + (
            ", large ones by pausing for the next window "
            f"({max(r.setup_waits for r in results)} pause(s) at most) "
            "so that 30 requests stay free for commands"
            if any(r.setup_waits or r.poll_waits for r in results)
            else ""
        )
    )
    print(
        f"Summary: averaged over the update interval, polling uses at most "
        f"{worst.per_minute:.1f} requests/min (cap "
        f"{REMOTELOCK_POLL_BUDGET_PER_MINUTE}/min, budget "
        f"{REMOTELOCK_BUDGET_PER_MINUTE}/min) for {results[0].devices:,} to "
        f"{results[-1].devices:,} devices, {burst}."
    )
    print()


def print_bikeep(results: list[BikeepResult]) -> None:
    """Print the Bikeep table and summary."""
    if not results:
        return
    print(
        "Bikeep (location list every 5 min; device lists when a station changed; "
        "everything every 30 min)"
    )
    rows = [
        [
            str(r.stations),
            str(r.devices),
            str(r.whitelists),
            str(r.setup_api),
            str(r.setup_token),
            f"{r.setup_seconds:.2f}",
            str(r.poll_api),
            f"{r.poll_seconds:.2f}",
            str(r.whitelist_poll_api),
            f"{r.whitelist_poll_seconds:.2f}",
            f"{r.entities:,}",
            f"{r.rss_delta_mib:.0f}",
        ]
        for r in results
    ]
    print(
        table(
            [
                "stations",
                "devices",
                "whitelists",
                "setup req",
                "token",
                "setup s",
                "quiet poll req",
                "poll s",
                "full poll req",
                "full poll s",
                "entities",
                "RSS +MiB",
            ],
            rows,
        )
    )
    for r in results:
        print(f"  {r.stations} stations, full poll: {r.whitelist_poll_detail}")
    big = results[-1]
    print(
        f"Summary: a poll with no station changed costs {big.poll_api} request; "
        f"the 30-minute full read of {big.stations} stations costs "
        f"{big.whitelist_poll_api} ({big.whitelist_poll_seconds:.2f} s); requests "
        "per hour in the next table."
    )
    print()


def print_actions(results: list[ActionResult]) -> None:
    """Print the command/action table and a summary."""
    print("Commands and actions (default scenarios)")
    rows = [
        [r.name, str(r.api), str(r.token), f"{r.seconds:.2f}", r.outcome]
        for r in results
    ]
    print(table(["command / action", "req", "token", "s", "outcome"], rows))
    for r in results:
        print(f"  {r.name}: {r.detail}")
    print(
        "Summary: "
        + "; ".join(f"{r.name.split(' (')[0]} {r.api} req" for r in results)
        + "."
    )
    print()


# --------------------------------------------------------------------------------------
# main


def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--remotelock",
        type=_sizes,
        default=list(REMOTELOCK_SIZES),
        metavar="N,N,...",
        help="RemoteLock fleet sizes in devices (default: 10,500,2000,10000)",
    )
    parser.add_argument(
        "--bikeep",
        type=_sizes,
        default=list(BIKEEP_STATIONS),
        metavar="N,N,...",
        help="Bikeep fleet sizes in stations of 20 devices (default: 2,20,100)",
    )
    parser.add_argument(
        "--skip-actions", action="store_true", help="skip the command/action costs"
    )
    parser.add_argument(
        "--skip-bikeep-hourly",
        action="store_true",
        help="skip the Bikeep requests/hour before/after (simulated hours of polls)",
    )
    parser.add_argument(
        "--skip-push",
        action="store_true",
        help="skip the RemoteLock push latency and requests/hour with and without push",
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="run every phase in this process (RSS figures then overlap)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    return parser.parse_args(argv)


async def bench_actions() -> list[ActionResult]:
    """Every command/action cost, RemoteLock first."""
    return [*await bench_remotelock_actions(), await bench_bikeep_lock()]


def _run_in_child[T](
    job: Callable[[], Coroutine[Any, Any, T]], conn: Connection
) -> None:
    """Child side of :func:`isolated`: run ``job`` and send its result (or error)."""
    try:
        conn.send((True, asyncio.run(job())))
    except BaseException as err:  # noqa: BLE001 - reported to the parent
        conn.send((False, f"{type(err).__name__}: {err}"))
    finally:
        conn.close()


def isolated[T](job: Callable[[], Coroutine[Any, Any, T]], *, fork: bool) -> T:
    """Run ``job`` in a forked child (own heap and event loop), or here.

    A child per phase keeps the RSS figures honest (no heap left over from a larger
    phase) and the phases independent; the parent never runs an event loop.
    """
    if not fork:
        return asyncio.run(job())
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run_in_child, args=(job, send))
    child.start()
    send.close()
    try:
        ok, value = receive.recv()
    except EOFError:
        ok, value = False, "the child died without an answer"
    child.join()
    if not ok:
        raise RuntimeError(f"benchmark phase failed: {value}")
    return cast("T", value)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run every phase; print as it goes; return the figures."""
    total = Stopwatch()
    fork = not args.in_process and "fork" in multiprocessing.get_all_start_methods()
    print(
        f"Smart Access benchmark - {time.strftime('%Y-%m-%d %H:%M %Z')} - "
        f"nproc {len(os.sched_getaffinity(0))}, Python {platform.python_version()}, "
        f"{'a forked process per phase' if fork else 'all phases in one process'}"
    )
    print()
    remotelock = [
        isolated(functools.partial(bench_remotelock, size), fork=fork)
        for size in args.remotelock
    ]
    print_remotelock(remotelock)
    bikeep = [
        isolated(functools.partial(bench_bikeep, size), fork=fork)
        for size in args.bikeep
    ]
    print_bikeep(bikeep)
    bikeep_hourly = run_bikeep_hourly(args, fork=fork)
    push = run_push(args, fork=fork)
    actions: list[ActionResult] = []
    if not args.skip_actions:
        actions = isolated(bench_actions, fork=fork)
        print_actions(actions)
    print(f"Total wall time {total.seconds:.1f} s")
    return {
        "remotelock": [vars(r) | {"per_minute": r.per_minute} for r in remotelock],
        "bikeep": [vars(r) for r in bikeep],
        "bikeep_hourly": [vars(r) | {"per_hour": r.per_hour} for r in bikeep_hourly],
        "remotelock_push": {
            "latency": vars(push.latency) if push.latency else None,
            "hourly": [
                vars(r) | {"per_hour": r.per_hour, "per_poll": r.per_poll}
                for r in push.hourly
            ],
        },
        "actions": [vars(r) for r in actions],
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    figures = run(args)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
