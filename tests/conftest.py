"""Fixtures shared by every test: the simulated clouds on 127.0.0.1 and an HTTP session."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from simulator.bikeep import BikeepSimulator
from simulator.remotelock import RemoteLockSimulator
from simulator.server import RunningSimulator, start_simulator


@pytest.fixture
async def remotelock_sim(socket_enabled: None) -> AsyncIterator[RunningSimulator]:
    """RemoteLock simulator with its default scenario, on a free port of 127.0.0.1."""
    sim = RemoteLockSimulator()
    sim.load_scenario(sim.default_scenario())
    running = await start_simulator(sim)
    yield running
    await running.stop()


@pytest.fixture
async def bikeep_sim(socket_enabled: None) -> AsyncIterator[RunningSimulator]:
    """Bikeep simulator with its default scenario, on a free port of 127.0.0.1."""
    sim = BikeepSimulator()
    sim.load_scenario(sim.default_scenario())
    running = await start_simulator(sim)
    yield running
    await running.stop()


@pytest.fixture
async def http_session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session, as Home Assistant would inject one."""
    async with aiohttp.ClientSession() as session:
        yield session
