"""Fixtures for the RemoteLock client tests: a client wired to the simulator."""

from __future__ import annotations

import aiohttp
import pytest

from custom_components.smart_access.api.auth import ClientCredentialsTokenSource
from custom_components.smart_access.api.remotelock import TOKEN_PATH, RemoteLockClient
from simulator.remotelock import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    RemoteLockSimulator,
)
from simulator.server import RunningSimulator


@pytest.fixture
def sim(remotelock_sim: RunningSimulator) -> RemoteLockSimulator:
    """The simulator object, for direct control."""
    assert isinstance(remotelock_sim.sim, RemoteLockSimulator)
    return remotelock_sim.sim


@pytest.fixture
def token_source(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> ClientCredentialsTokenSource:
    """Client-credentials token source against the simulator's OAuth paths."""
    return ClientCredentialsTokenSource(
        http_session,
        remotelock_sim.url + TOKEN_PATH,
        DEFAULT_CLIENT_ID,
        DEFAULT_CLIENT_SECRET,
    )


@pytest.fixture
def client(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    token_source: ClientCredentialsTokenSource,
) -> RemoteLockClient:
    """A RemoteLock client talking to the simulator."""
    return RemoteLockClient(
        http_session, token_source, api_url=remotelock_sim.url, request_timeout=5
    )
