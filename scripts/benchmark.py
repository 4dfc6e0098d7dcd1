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
from collections.abc import (
    AsyncIterator,
    Callable,
    Coroutine,
    Iterable,
    Iterator,
    Sequence,
)
import contextlib
import ctypes
from dataclasses import asdict, dataclass, field
from datetime import timedelta
import functools
import gc
import importlib
import io
import json
import logging
import math
import multiprocessing
from multiprocessing.connection import Connection
import os
from pathlib import Path
import pkgutil
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from types import ModuleType
from typing import Any, Self, cast
from unittest.mock import patch

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from homeassistant import loader  # noqa: E402
from homeassistant.components import webhook  # noqa: E402
from homeassistant.components.http import HomeAssistantHTTP  # noqa: E402
from homeassistant.config_entries import ConfigEntry, ConfigEntryState  # noqa: E402
from homeassistant.const import (  # noqa: E402
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    EVENT_HOMEASSISTANT_FINAL_WRITE,
)
from homeassistant.core import (  # noqa: E402
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import (  # noqa: E402
    device_registry as dr,
    entity_platform,
    entity_registry as er,
    frame,
)
from homeassistant.helpers.entity import Entity  # noqa: E402
from homeassistant.helpers.event import async_track_state_change_event  # noqa: E402
from homeassistant.helpers.network import NoURLAvailableError  # noqa: E402
from homeassistant.util import dt as dt_util  # noqa: E402
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]  # noqa: E402
    MockConfigEntry,
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
from scripts.bench_guest_sync import (  # noqa: E402
    SyncRun,
    bench_guest_sync,
    print_guest_sync,
)
from simulator.bikeep import DEFAULT_OPERATOR_ID, BikeepSimulator  # noqa: E402
from simulator.bikeep.heartbeat import is_online  # noqa: E402
from simulator.bikeep.scenario import LOCKER_1  # noqa: E402
from simulator.common import CONTROL_PREFIX, SimulatorBase  # noqa: E402
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
    BIKEEP_CLIENT_ID,
    BIKEEP_CLIENT_SECRET,
    REMOTELOCK_CLIENT_ID,
    REMOTELOCK_CLIENT_SECRET,
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
    result = count_requests(
        (entry.method, entry.path, entry.status) for entry in sim.requests.entries
    )
    sim.requests.clear()
    return result


def count_requests(entries: Iterable[tuple[str, str, int]]) -> Requests:
    """Count (method, path, status) of logged requests; token requests apart."""
    result = Requests()
    for method, path, status in entries:
        if path.endswith("/token"):
            result.token += 1
            continue
        result.api += 1
        if status == 429:
            result.rate_limited += 1
        result.paths[f"{method} {_fold_ids(path)}"] += 1
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
# Large accounts (issue #15): a poll costs what changed, not the size of the fleet

# The code before #15, measured side by side with the work tree (--baseline).
LARGE_ACCOUNTS_BASELINE = "f4c17f2a8bee3f2171e80c68fd41e0ff5d779368"
LARGE_REMOTELOCK_SIZES = (500, 2_000, 10_000)
LARGE_BIKEEP_STATIONS = (20, 100)
# Share of the vendor devices changed at the simulator before each measured poll.
LARGE_CHANGE_SHARES = (0.0, 0.01)
LARGE_POLLS = 3  # timed polls per share (the median is reported), + 1 monitored
LARGE_SUMMARY_DEVICES = 10_000
LAG_MONITOR_STEP = 0.001
CODE_VERSIONS = ("new", "old", "old-capped")
# Home Assistant's cap of enabled entities per config entry (2026.9 on).
HA_ENTITY_CAP = 10_000


@dataclass
class LargePoll:
    """One measured poll of a large account."""

    loop_ms: float  # main-thread CPU (time.thread_time), paced waits left out
    process_ms: float  # CPU of every thread of the process, paced waits left out
    wall_s: float
    writes: int  # Entity._async_write_ha_state calls
    api: int
    token: int
    waits: int
    ok: bool


@dataclass
class LargeShare:
    """The polls of one large account with one share of its devices changed."""

    share: float
    changed: int = 0  # devices changed at the simulator before each poll
    polls: list[LargePoll] = field(default_factory=list)
    block_ms: float = 0.0  # longest event-loop stall during the monitored poll
    monitored_loop_ms: float = 0.0
    detail: str = ""  # the requests of the last timed poll

    def median(self, name: str) -> float:
        """Return the median of one figure over the timed polls."""
        values = sorted(float(getattr(poll, name)) for poll in self.polls)
        if not values:
            return 0.0
        middle = len(values) // 2
        if len(values) % 2:
            return values[middle]
        return (values[middle - 1] + values[middle]) / 2

    @property
    def requests_vary(self) -> bool:
        """Return whether the timed polls did not all cost the same requests."""
        return len({poll.api for poll in self.polls}) > 1


@dataclass
class LargeAccountResult:
    """Set-up and steady-state polls of one large account under one code version."""

    vendor: str  # "remotelock" or "bikeep"
    size: int  # RemoteLock devices or Bikeep stations asked for
    # "new" (work tree), "old" (the baseline revision with Home Assistant's cap of
    # 10,000 enabled entities per entry lifted: all the work the old code asks for,
    # the "today") or "old-capped" (the baseline under the cap, which turns
    # most of a large account's entities away).
    code: str
    code_file: str = ""  # custom_components.smart_access.__file__ in the child
    foreign_modules: int = 0  # custom_components modules loaded from elsewhere
    vendor_devices: int = 0  # devices in the coordinator's snapshot
    ha_devices: int = 0
    setup_seconds: float = 0.0
    setup_api: int = 0
    setup_waits: int = 0
    setup_writes: int = 0
    rss_delta_mib: float = 0.0
    entities: int = 0  # registry entries of the entry
    enabled: int = 0  # of which disabled_by is None
    not_added: int = 0  # entities aborted before registration (the 10,000 cap)
    warmup_ms: float = 0.0
    # The registries' first save after set-up (Home Assistant writes them 10 s after
    # a change, serialising in a worker thread that holds the GIL): the longest
    # event-loop stall while it runs, and its wall time.
    save_block_ms: float = 0.0
    save_s: float = 0.0
    shares: list[LargeShare] = field(default_factory=list)
    error: str = ""

    @property
    def label(self) -> str:
        """Return e.g. ``RemoteLock 10,000 devices``."""
        if self.vendor == "remotelock":
            return f"RemoteLock {self.size:,} devices"
        return f"Bikeep {self.size} stations"

    @property
    def enabled_per_device(self) -> float:
        """Default-enabled entities per vendor device."""
        return self.enabled / self.vendor_devices if self.vendor_devices else 0.0

    def share(self, share: float) -> LargeShare | None:
        """Return the polls with ``share`` of the devices changed."""
        return next((s for s in self.shares if s.share == share), None)


class WriteCounter:
    """Counts state writes, and entities that were never added to the registry.

    ``Entity._async_write_ha_state`` calls; ``Entity.add_to_platform_abort`` calls
    for entities without a registry entry (what Home Assistant's cap of 10,000
    enabled entities per config entry turns away).
    """

    def __init__(self) -> None:
        """Start at zero."""
        self.writes = 0
        self.aborted = 0

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """Wrap both methods of ``Entity`` with the counters for the block."""
        write = Entity._async_write_ha_state  # noqa: SLF001 - what is counted
        abort = Entity.add_to_platform_abort

        def counted_write(entity: Entity) -> None:
            self.writes += 1
            write(entity)

        def counted_abort(entity: Entity) -> None:
            # Disabled entities are aborted too, after they were registered; the
            # cap aborts before the registry entry exists.
            if entity.registry_entry is None:
                self.aborted += 1
            abort(entity)

        with (
            patch.object(Entity, "_async_write_ha_state", counted_write),
            patch.object(Entity, "add_to_platform_abort", counted_abort),
        ):
            yield


class LagMonitor:
    """Sleeps 1 ms in a loop and records the largest overshoot: the longest stall.

    Leaving the block lets the sleep in progress end first, so that a stall just
    before the end (the coordinator's listeners run last) is counted too.
    """

    def __init__(self) -> None:
        """Not running yet."""
        self.longest = 0.0
        self._stop = False
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        """Start sleeping in a task of its own."""
        self._task = asyncio.create_task(self._run())
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop after the current sleep."""
        assert self._task is not None
        self._stop = True
        await self._task

    async def _run(self) -> None:
        while not self._stop:
            start = time.perf_counter()
            await asyncio.sleep(LAG_MONITOR_STEP)
            late = time.perf_counter() - start - LAG_MONITOR_STEP
            self.longest = max(self.longest, late)


class SimulatorControl:
    """Drives a simulator in another process over its ``/_sim`` control routes.

    ``paced_wait`` stands in for ``RemoteLockCore._sleep``: it moves the simulator's
    clock past the rate-limit window instead of sleeping, and keeps count of the
    waits and of the main-thread CPU they cost (left out of the loop figures).
    """

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        """Aim at the simulator at ``url``."""
        self._session = session
        self._url = url
        self.waits = 0
        self.wait_cpu = 0.0
        self.last_detail = ""

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        """Send one control request; return its JSON answer."""
        async with self._session.request(
            method, f"{self._url}{CONTROL_PREFIX}{path}", json=body
        ) as response:
            if response.status != 200:
                raise RuntimeError(
                    f"{method} {CONTROL_PREFIX}{path}: {response.status} "
                    f"{await response.text()}"
                )
            return await response.json()

    async def advance(self, seconds: float) -> None:
        """Move the simulator's clock forward."""
        await self.call("POST", "/clock/advance", {"seconds": seconds})

    async def paced_wait(self, seconds: float) -> None:
        """Pause a paced bulk read for the next window, on simulated time."""
        start = time.thread_time()
        await self.advance(seconds)
        self.wait_cpu += time.thread_time() - start
        self.waits += 1

    async def clear_requests(self) -> None:
        """Empty the simulator's request log."""
        await self.call("DELETE", "/requests")

    async def take_requests(self) -> Requests:
        """Count and clear the simulator's request log."""
        entries = await self.call("GET", "/requests")
        await self.clear_requests()
        return count_requests(
            (entry["method"], entry["path"], entry["status"]) for entry in entries
        )

    async def change_devices(self, vendor: str, count: int, offset: int) -> int:
        """Change ``count`` devices (trigger ``change_devices``); return how many."""
        body: dict[str, Any] = {"count": count, "offset": offset}
        if vendor == "bikeep":
            body["operator_id"] = DEFAULT_OPERATOR_ID
        answer = await self.call("POST", "/trigger/change_devices", body)
        return len(answer["changed"])


def serve_fleet(vendor: str, size: int, conn: Connection) -> None:
    """Serve one fleet on 127.0.0.1 until the parent says stop (simulator process)."""
    asyncio.run(_serve_fleet(vendor, size, conn))


async def _serve_fleet(vendor: str, size: int, conn: Connection) -> None:
    sim: SimulatorBase
    info: dict[str, Any] = {}
    if vendor == "remotelock":
        remotelock = remotelock_simulator(size)
        info["account_id"] = str(remotelock.state.account["id"])
        sim = remotelock
    else:
        sim = bikeep_simulator(size)
    server = await start_simulator(sim)
    conn.send({"url": server.url, "pid": os.getpid(), **info})
    try:
        await asyncio.get_running_loop().run_in_executor(None, _wait_for_stop, conn)
    finally:
        await server.stop()
        conn.close()


def _wait_for_stop(conn: Connection) -> None:
    with contextlib.suppress(EOFError, OSError):
        conn.recv()


@contextlib.contextmanager
def simulator_process(vendor: str, size: int) -> Iterator[dict[str, Any]]:
    """Run one fleet's simulator in a process of its own; yield its URL and ids."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context: Any = multiprocessing.get_context(method)
    ours, theirs = context.Pipe()
    process = context.Process(
        target=serve_fleet, args=(vendor, size, theirs), name=f"sim-{vendor}-{size}"
    )
    process.start()
    theirs.close()
    try:
        if not ours.poll(300):
            raise RuntimeError(f"the {vendor} simulator did not start")
        yield cast("dict[str, Any]", ours.recv())
    finally:
        with contextlib.suppress(OSError):
            ours.send("stop")
        ours.close()
        process.join(15)
        if process.is_alive():
            process.terminate()
            process.join()


def load_integration(code_root: Path, *, fresh: bool) -> ModuleType:
    """Import ``custom_components.smart_access`` from ``code_root`` (this process).

    ``fresh``: forget every ``custom_components`` module imported so far (the
    benchmark imports the work tree's at start), put ``code_root`` first on
    ``sys.path`` and make it the only directory of the ``custom_components``
    namespace package, so that Home Assistant's loader (which imports
    ``custom_components`` and resolves integrations from its ``__path__``) and every
    import load the files under ``code_root``. Every module of the integration is
    imported here, so that set-up's memory growth is data, not code.
    """
    if fresh:
        for name in [
            name
            for name in sys.modules
            if name == "custom_components" or name.startswith("custom_components.")
        ]:
            del sys.modules[name]
        sys.path.insert(0, str(code_root))
        importlib.invalidate_caches()
        namespace = importlib.import_module("custom_components")
        namespace.__path__ = [str(code_root / "custom_components")]
    integration = importlib.import_module("custom_components.smart_access")
    for info in pkgutil.walk_packages(integration.__path__, f"{integration.__name__}."):
        importlib.import_module(info.name)
    return integration


def foreign_modules(code_root: Path) -> int:
    """Count loaded ``custom_components`` modules whose file is not under code_root."""
    root = str(code_root.resolve())
    return sum(
        1
        for name, module in list(sys.modules.items())
        if name.startswith("custom_components.")
        and (file := getattr(module, "__file__", None))
        and not str(Path(file).resolve()).startswith(root)
    )


def add_large_entry(
    hass: HomeAssistant, const: ModuleType, vendor: str, sim: dict[str, Any]
) -> MockConfigEntry:
    """Add a config entry aimed at the simulator (the loaded code's constants)."""
    url = sim["url"]
    common = {
        const.CONF_API_URL: url,
        const.CONF_AUTH_URL: url,
    }
    if vendor == "remotelock":
        entry = MockConfigEntry(
            domain=const.DOMAIN,
            title="Sim Property Management",
            unique_id=f"remotelock_{sim['account_id']}",
            data={
                const.CONF_VENDOR: const.Vendor.REMOTELOCK,
                const.CONF_AUTH_TYPE: const.AuthType.CLIENT_CREDENTIALS,
                CONF_CLIENT_ID: REMOTELOCK_CLIENT_ID,
                CONF_CLIENT_SECRET: REMOTELOCK_CLIENT_SECRET,
                **common,
            },
        )
    else:
        entry = MockConfigEntry(
            domain=const.DOMAIN,
            title=f"Bikeep {BIKEEP_CLIENT_ID}",
            unique_id=f"bikeep_{BIKEEP_CLIENT_ID}",
            data={
                const.CONF_VENDOR: const.Vendor.BIKEEP,
                CONF_CLIENT_ID: BIKEEP_CLIENT_ID,
                CONF_CLIENT_SECRET: BIKEEP_CLIENT_SECRET,
                **common,
            },
        )
    entry.add_to_hass(hass)
    return entry


async def bench_large_account(
    vendor: str,
    size: int,
    code: str,
    code_root: str,
    sim: dict[str, Any],
    fresh: bool,
    lift_cap: bool = False,
) -> LargeAccountResult:
    """Set one large account up under one code version and measure its polls.

    The simulator runs in another process (``sim``: its URL); this process is
    Home Assistant and the integration alone. RemoteLock push is off
    (``webhook.async_generate_url`` raises ``NoURLAvailableError``), so every poll
    is a plain poll; paced waits move the simulator's clock over ``/_sim``.
    ``lift_cap``: Home Assistant's cap of enabled entities per entry is lifted.
    """
    result = LargeAccountResult(vendor=vendor, size=size, code=code)
    root = Path(code_root)
    integration = load_integration(root, fresh=fresh)
    result.code_file = str(integration.__file__)
    const = importlib.import_module(f"{integration.__name__}.const")
    core = importlib.import_module(f"{integration.__name__}.api.remotelock.core")
    counter = WriteCounter()
    async with aiohttp.ClientSession() as session:
        control = SimulatorControl(session, sim["url"])
        with (
            patch.object(
                core.RemoteLockCore, "_sleep", staticmethod(control.paced_wait)
            ),
            patch.object(
                webhook, "async_generate_url", side_effect=NoURLAvailableError
            ),
            patch.object(
                entity_platform,
                "MAX_ENABLED_ENTITIES_PER_CONFIG_ENTRY",
                10**9
                if lift_cap
                else entity_platform.MAX_ENABLED_ENTITIES_PER_CONFIG_ENTRY,
            ),
            counter.installed(),
        ):
            await _bench_large_account(result, control, counter, const, sim)
    result.foreign_modules = foreign_modules(root)
    return result


async def _bench_large_account(
    result: LargeAccountResult,
    control: SimulatorControl,
    counter: WriteCounter,
    const: ModuleType,
    sim: dict[str, Any],
) -> None:
    vendor = result.vendor
    await control.clear_requests()
    async with home_assistant() as hass:
        entry = add_large_entry(hass, const, vendor, sim)
        rss_before = rss_mib()
        result.setup_seconds = await setup_entry(hass, entry)
        if entry_state(entry) is not ConfigEntryState.LOADED:
            raise RuntimeError(f"set-up ended {entry.state.value}")
        result.rss_delta_mib = rss_mib() - rss_before
        setup = await control.take_requests()
        result.setup_api, result.setup_waits = setup.api, control.waits
        result.setup_writes, result.not_added = counter.writes, counter.aborted
        entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        result.entities = len(entities)
        result.enabled = sum(1 for item in entities if item.disabled_by is None)
        result.ha_devices = len(
            dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        )
        coordinator: Any = entry.runtime_data.coordinator
        result.vendor_devices = len(coordinator.data.devices)
        # The registries' delayed saves now, not during a measured poll.
        async with LagMonitor() as lag:
            start = time.perf_counter()
            hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
            await hass.async_block_till_done()
            result.save_s = time.perf_counter() - start
        result.save_block_ms = lag.longest * 1000
        # Only the measured polls run: no scheduled refresh in between.
        coordinator._async_unsub_refresh()  # noqa: SLF001
        coordinator._schedule_refresh = lambda: None  # noqa: SLF001

        offset = 0

        async def poll(share: float, *, monitor: bool) -> tuple[LargePoll, float, int]:
            nonlocal offset
            changed = 0
            if vendor == "remotelock":
                await control.advance(61)  # a fresh rate-limit window
            if share:
                count = max(1, round(share * result.vendor_devices))
                changed = await control.change_devices(vendor, count, offset)
                offset += 1
            measured, longest = await measured_poll(
                hass, coordinator, control, counter, monitor=monitor
            )
            return measured, longest, changed

        warmup, _, _ = await poll(LARGE_CHANGE_SHARES[-1], monitor=False)
        result.warmup_ms = warmup.loop_ms
        await control.take_requests()
        for share in LARGE_CHANGE_SHARES:
            figures = LargeShare(share=share)
            for _ in range(LARGE_POLLS):
                measured, _, figures.changed = await poll(share, monitor=False)
                figures.polls.append(measured)
                figures.detail = control.last_detail
            monitored, longest, _ = await poll(share, monitor=True)
            figures.block_ms = longest * 1000
            figures.monitored_loop_ms = monitored.loop_ms
            result.shares.append(figures)


async def measured_poll(
    hass: HomeAssistant,
    coordinator: Any,
    control: SimulatorControl,
    counter: WriteCounter,
    *,
    monitor: bool,
) -> tuple[LargePoll, float]:
    """Run one poll; return its figures and the longest stall (monitored polls)."""
    await control.clear_requests()
    gc.collect()
    control.waits, control.wait_cpu = 0, 0.0
    counter.writes = 0
    async with contextlib.AsyncExitStack() as stack:
        lag = await stack.enter_async_context(LagMonitor()) if monitor else None
        cpu, process, wall = (
            time.thread_time(),
            time.process_time(),
            time.perf_counter(),
        )
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        cpu = time.thread_time() - cpu
        process = time.process_time() - process
        wall = time.perf_counter() - wall
    requests = await control.take_requests()
    control.last_detail = requests.describe()
    measured = LargePoll(
        loop_ms=(cpu - control.wait_cpu) * 1000,
        process_ms=(process - control.wait_cpu) * 1000,
        wall_s=wall,
        writes=counter.writes,
        api=requests.api,
        token=requests.token,
        waits=control.waits,
        ok=bool(coordinator.last_update_success),
    )
    if not measured.ok:
        raise RuntimeError(f"poll failed: {coordinator.last_exception}")
    return measured, lag.longest if lag else 0.0


@dataclass
class LargeAccountsResults:
    """Every large account under both code versions, and the summary."""

    baseline: str = ""  # the old code's full commit id, when it was measured
    baseline_skipped: str = ""  # why it was not
    results: list[LargeAccountResult] = field(default_factory=list)
    seconds: float = 0.0

    def pairs(
        self, old: str = "old"
    ) -> list[tuple[LargeAccountResult, LargeAccountResult | None]]:
        """Return (new, ``old`` or None) per fleet, in the order they ran."""
        found: dict[tuple[str, int], dict[str, LargeAccountResult]] = {}
        for result in self.results:
            found.setdefault((result.vendor, result.size), {})[result.code] = result
        return [
            (codes["new"], codes.get(old)) for codes in found.values() if "new" in codes
        ]

    def summary_pair(
        self,
    ) -> tuple[LargeAccountResult, LargeAccountResult | None] | None:
        """Return the pair of the summary line: 10,000 RemoteLock devices (or most)."""
        remotelock = [pair for pair in self.pairs() if pair[0].vendor == "remotelock"]
        exact = [pair for pair in remotelock if pair[0].size == LARGE_SUMMARY_DEVICES]
        if exact:
            return exact[0]
        return max(remotelock, key=lambda pair: pair[0].size, default=None)


def extract_baseline(rev: str) -> tuple[Path | None, str, str]:
    """Extract ``custom_components/`` of ``rev`` into a temporary directory.

    ``git archive REV custom_components`` unpacked with ``tarfile``; neither the
    index nor the work tree is touched. Return (the directory, the full commit id,
    why not when it could not be done).
    """
    git = shutil.which("git")
    if git is None:
        return None, "", "git is not installed"
    try:
        sha = subprocess.run(
            [
                git,
                "-C",
                str(ROOT),
                "rev-parse",
                "--verify",
                "--quiet",
                f"{rev}^{{commit}}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        archive = subprocess.run(
            [git, "-C", str(ROOT), "archive", "--format=tar", sha, "custom_components"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as err:
        return None, "", f"revision {rev} not available ({err})"
    target = Path(tempfile.mkdtemp(prefix="smart-access-baseline-"))
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    if not (target / "custom_components" / "smart_access" / "__init__.py").is_file():
        shutil.rmtree(target, ignore_errors=True)
        return None, sha, f"revision {rev} has no custom_components/smart_access"
    return target, sha, ""


def run_large_accounts(args: argparse.Namespace, *, fork: bool) -> LargeAccountsResults:
    """Measure every large account under the new and the old code; print them."""
    results = LargeAccountsResults()
    fleets = [("remotelock", size) for size in args.large_remotelock]
    fleets += [("bikeep", size) for size in args.large_bikeep]
    if args.skip_large_accounts or not fleets:
        return results
    watch = Stopwatch()
    versions: list[tuple[str, Path]] = [("new", ROOT)]
    baseline_dir: Path | None = None
    if not fork:
        results.baseline_skipped = "it needs a forked process per code version"
    elif not args.baseline:
        results.baseline_skipped = "--baseline ''"
    else:
        baseline_dir, results.baseline, results.baseline_skipped = extract_baseline(
            args.baseline
        )
        if baseline_dir is not None:
            versions.append(("old", baseline_dir))
    try:
        for vendor, size in fleets:
            for code, root in versions:
                result = _run_large(vendor, size, code, root, fork=fork)
                results.results.append(result)
                # Under the cap the old code does less than it asks for (entities
                # turned away): measured too, where it matters.
                if code == "old" and result.enabled > HA_ENTITY_CAP:
                    results.results.append(
                        _run_large(vendor, size, "old-capped", root, fork=fork)
                    )
    finally:
        if baseline_dir is not None:
            shutil.rmtree(baseline_dir, ignore_errors=True)
    results.seconds = watch.seconds
    print_large_accounts(results)
    return results


def _run_large(
    vendor: str, size: int, code: str, root: Path, *, fork: bool
) -> LargeAccountResult:
    """Measure one large account under one code version, its simulator apart."""
    job = functools.partial(
        bench_large_account,
        vendor,
        size,
        code,
        str(root),
        fresh=fork,
        lift_cap=code == "old",
    )
    with simulator_process(vendor, size) as sim:
        try:
            return isolated(functools.partial(job, sim), fork=fork)
        except RuntimeError as err:
            return LargeAccountResult(vendor, size, code, error=str(err))


def ratio(new: float, old: float | None) -> float | None:
    """Return new / old, or None when there is no old figure to divide by."""
    return new / old if old else None


def large_ratios(
    new: LargeAccountResult, old: LargeAccountResult | None
) -> dict[str, float | None]:
    """Return new divided by old for one fleet (None without the old figures)."""
    figures: dict[str, float | None] = {}
    usable = old is not None and not old.error and not new.error
    for share in LARGE_CHANGE_SHARES:
        tag = f"{share:.0%}"
        mine = new.share(share)
        theirs = old.share(share) if usable and old else None
        for name, key in (
            ("loop", "loop_ms"),
            ("writes", "writes"),
            ("requests", "api"),
        ):
            figures[f"{name}_{tag}"] = (
                ratio(mine.median(key), theirs.median(key)) if mine and theirs else None
            )
        figures[f"block_{tag}"] = (
            ratio(mine.block_ms, theirs.block_ms) if mine and theirs else None
        )
    figures["memory"] = (
        ratio(new.rss_delta_mib, old.rss_delta_mib) if usable and old else None
    )
    figures["enabled"] = ratio(new.enabled, old.enabled) if usable and old else None
    return figures


def large_summary(results: LargeAccountsResults) -> dict[str, Any] | None:
    """Return the summary line's figures (new / old of the 1 % poll; E is new's)."""
    pair = results.summary_pair()
    if pair is None:
        return None
    new, old = pair
    figures = large_ratios(new, old)
    typical = f"{LARGE_CHANGE_SHARES[-1]:.0%}"
    return {
        "account": new.label,
        "devices": new.size,
        "loop_ratio": figures[f"loop_{typical}"],
        "memory_ratio": figures["memory"],
        "enabled_per_device": new.enabled_per_device if not new.error else None,
        "requests_ratio": figures[f"requests_{typical}"],
    }


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def print_large_accounts(results: LargeAccountsResults) -> None:
    """Print the set-up and poll tables, the ratios and the one summary line."""
    if results.baseline:
        baseline = (
            f"old code = {results.baseline[:7]} (its custom_components/; 'old' with "
            "Home Assistant's cap of 10,000 enabled entities per entry lifted, "
            "'old-capped' under it)"
        )
    else:
        baseline = f"old code skipped: {results.baseline_skipped}"
    print(
        "Large accounts (issue #15; new code = work tree, "
        f"{baseline}; simulator in a process of its own; RemoteLock push off)"
    )
    done = [r for r in results.results if not r.error]
    setup_rows = [
        [
            r.label,
            r.code,
            f"{r.vendor_devices:,}",
            f"{r.ha_devices:,}",
            f"{r.setup_seconds:.2f}",
            str(r.setup_api),
            str(r.setup_waits),
            f"{r.rss_delta_mib:.0f}",
            f"{r.entities:,}",
            f"{r.enabled:,}",
            f"{r.enabled_per_device:.2f}",
            f"{r.not_added:,}",
            f"{r.save_block_ms:.0f}",
        ]
        for r in done
    ]
    if setup_rows:
        print(
            table(
                [
                    "account",
                    "code",
                    "devices",
                    "HA devices",
                    "set-up s",
                    "set-up req",
                    "pauses",
                    "RSS +MiB",
                    "entities",
                    "enabled",
                    "enabled/device",
                    "not added",
                    "save block ms",
                ],
                setup_rows,
            )
        )
    poll_rows = [
        [
            r.label,
            r.code,
            f"{s.share:.0%}",
            str(s.changed),
            f"{s.median('api'):.0f}",
            f"{s.median('loop_ms'):.1f}",
            f"{s.block_ms:.1f}",
            f"{s.median('writes'):,.0f}",
            f"{s.median('process_ms'):.1f}",
            f"{s.median('wall_s'):.2f}",
            str(s.polls[-1].waits if s.polls else 0),
        ]
        for r in done
        for s in r.shares
    ]
    if poll_rows:
        print(
            f"Steady-state polls (coordinator.async_refresh(); median of {LARGE_POLLS}; "
            "loop ms = main-thread CPU, paced waits left out; block ms = longest "
            "event-loop stall, 1 ms lag monitor, one more poll)"
        )
        print(
            table(
                [
                    "account",
                    "code",
                    "changed",
                    "devices changed",
                    "req/poll",
                    "loop ms",
                    "block ms",
                    "state writes",
                    "process ms",
                    "wall s",
                    "pauses",
                ],
                poll_rows,
            )
        )
    for r in results.results:
        if r.error:
            print(f"  {r.label}, {r.code} code: FAILED: {r.error}")
            continue
        if r.not_added:
            print(
                f"  {r.label}, {r.code} code: {r.not_added:,} entities not added "
                "(Home Assistant's cap of 10,000 enabled entities per config entry)"
            )
        if r.foreign_modules:
            print(
                f"  WARNING {r.label}, {r.code} code: {r.foreign_modules} "
                "custom_components modules loaded from another directory"
            )
        for s in r.shares:
            if s.requests_vary:
                costs = ", ".join(str(poll.api) for poll in s.polls)
                print(f"  {r.label}, {r.code} code, {s.share:.0%}: requests {costs}")
    for code in CODE_VERSIONS:
        files = {r.code_file for r in done if r.code == code}
        for file in sorted(files):
            print(f"  {code} code loaded from {file}")
    for new, old in results.pairs() + [
        pair for pair in results.pairs("old-capped") if pair[1] is not None
    ]:
        figures = large_ratios(new, old)
        parts = [
            f"{name} {tag} {_fmt(figures[f'{name}_{tag}'])}"
            for tag in (f"{share:.0%}" for share in LARGE_CHANGE_SHARES)
            for name in ("loop", "block", "writes", "requests")
        ]
        old_epd = f"{old.enabled_per_device:.2f}" if old and not old.error else "n/a"
        print(
            f"  {new.label}, new/{old.code if old else 'old'}: {', '.join(parts)}, "
            f"RSS {_fmt(figures['memory'])}, "
            f"enabled {_fmt(figures['enabled'])} ({new.enabled_per_device:.2f} "
            f"per device, old {old_epd})"
        )
    print(f"  {len(results.results)} runs in {results.seconds:.1f} s")
    summary = large_summary(results)
    if summary is not None:
        if summary["devices"] != LARGE_SUMMARY_DEVICES:
            print(f"  (summary for {summary['account']}: 10,000 devices not measured)")
        print(
            f"large-accounts: loop_ratio={_fmt(summary['loop_ratio'])} "
            f"memory_ratio={_fmt(summary['memory_ratio'])} "
            f"enabled_per_device={_fmt(summary['enabled_per_device'])} "
            f"requests_ratio={_fmt(summary['requests_ratio'])}"
        )
    print()


def large_accounts_json(results: LargeAccountsResults) -> dict[str, Any]:
    """Return the large-accounts figures for ``--json``."""
    return {
        "baseline": results.baseline or None,
        "baseline_skipped": results.baseline_skipped or None,
        "seconds": results.seconds,
        "results": [
            asdict(r)
            | {
                "label": r.label,
                "enabled_per_device": r.enabled_per_device,
                "shares": [
                    asdict(s)
                    | {
                        key: s.median(key)
                        for key in ("loop_ms", "process_ms", "wall_s", "writes", "api")
                    }
                    for s in r.shares
                ],
            }
            for r in results.results
        ],
        "ratios": [
            {"account": new.label, **large_ratios(new, old)}
            for new, old in results.pairs()
        ],
        "summary": large_summary(results),
    }


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
        "--skip-guest-sync",
        action="store_true",
        help="skip the requests of a calendar guest-access reconcile (issue #14)",
    )
    parser.add_argument(
        "--skip-push",
        action="store_true",
        help="skip the RemoteLock push latency and requests/hour with and without push",
    )
    parser.add_argument(
        "--skip-large-accounts",
        action="store_true",
        help="skip the large-accounts phase (new and old code, issue #15)",
    )
    parser.add_argument(
        "--large-accounts-only",
        action="store_true",
        help="run the large-accounts phase alone",
    )
    parser.add_argument(
        "--large-remotelock",
        type=_sizes,
        default=list(LARGE_REMOTELOCK_SIZES),
        metavar="N,N,...",
        help="large-accounts RemoteLock sizes in devices (default: 500,2000,10000)",
    )
    parser.add_argument(
        "--large-bikeep",
        type=_sizes,
        default=list(LARGE_BIKEEP_STATIONS),
        metavar="N,N,...",
        help="large-accounts Bikeep sizes in stations (default: 20,100)",
    )
    parser.add_argument(
        "--baseline",
        default=LARGE_ACCOUNTS_BASELINE,
        metavar="REV",
        help="git revision whose custom_components/ is the old code of the "
        "large-accounts phase (default: the commit before issue #15; '' skips it)",
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="run every phase in this process (RSS figures then overlap)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.large_accounts_only:
        args.remotelock, args.bikeep = [], []
        args.skip_bikeep_hourly = args.skip_push = args.skip_actions = True
        args.skip_large_accounts = False
    return args


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
    guest_sync: list[SyncRun] = []
    if not args.skip_guest_sync and not args.large_accounts_only:
        guest_sync = isolated(bench_guest_sync, fork=fork)
        print_guest_sync(guest_sync)
    # Last: in one process (--in-process) it re-imports the integration.
    large = run_large_accounts(args, fork=fork)
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
        "guest_sync": [
            {"label": r.label, "requests": r.total, "actions": dict(r.actions)}
            for r in guest_sync
        ],
        "large_accounts": large_accounts_json(large),
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
