"""Fixtures for the Bikeep client tests: a client wired to the simulator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import aiohttp
import pytest

from custom_components.smart_access.api.auth import ClientCredentialsTokenSource
from custom_components.smart_access.api.bikeep import TOKEN_PATH, BikeepClient
from simulator.bikeep import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, BikeepSimulator
from simulator.server import RunningSimulator

POLL = 0.01


@pytest.fixture
def sim(bikeep_sim: RunningSimulator) -> BikeepSimulator:
    """The simulator object of the running Bikeep simulator."""
    assert isinstance(bikeep_sim.sim, BikeepSimulator)
    return bikeep_sim.sim


@pytest.fixture
def sim_epoch(sim: BikeepSimulator) -> Callable[[], float]:
    """Epoch seconds by the simulator clock (for the token source)."""
    return lambda: sim.clock.now().timestamp()


@pytest.fixture
def tokens(
    bikeep_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    sim_epoch: Callable[[], float],
) -> ClientCredentialsTokenSource:
    """Client-credentials token source against the simulator's auth path."""
    return ClientCredentialsTokenSource(
        http_session,
        bikeep_sim.url + TOKEN_PATH,
        DEFAULT_CLIENT_ID,
        DEFAULT_CLIENT_SECRET,
        clock=sim_epoch,
    )


@pytest.fixture
def client(
    bikeep_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    tokens: ClientCredentialsTokenSource,
    sim: BikeepSimulator,
) -> BikeepClient:
    """A Bikeep client on the simulator, on the simulator's clock."""
    clock: Callable[[], datetime] = sim.clock.now
    return BikeepClient(
        http_session, tokens, api_url=bikeep_sim.url, request_timeout=2.0, clock=clock
    )
