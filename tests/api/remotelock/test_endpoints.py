"""Every documented endpoint, exercised against the simulator over HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from custom_components.smart_access.api.remotelock import RemoteLockClient
from simulator.remotelock import RemoteLockSimulator

from .flows import ALL_FLOWS, DOCUMENTED_ROUTES, route_of

type Flow = Callable[[RemoteLockClient, RemoteLockSimulator], Awaitable[None]]


def test_documented_route_table_has_77_pairs() -> None:
    assert len(DOCUMENTED_ROUTES) == 77


@pytest.mark.parametrize("flow", ALL_FLOWS, ids=lambda f: f.__name__)
async def test_flow(
    flow: Flow, client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    await flow(client, sim)
    # every request the flow made is a documented route and succeeded
    for entry in sim.requests.entries:
        if entry.path.startswith("/oauth"):
            continue
        assert route_of(entry.method, entry.path), (entry.method, entry.path)
        assert entry.status < 500


async def test_client_covers_all_77_routes(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """Run every flow on one simulator; its request log must hit all 77 routes."""
    sim.rate_limit.limit = 100_000
    for flow in ALL_FLOWS:
        await flow(client, sim)
    hit = {
        route
        for entry in sim.requests.entries
        if 200 <= entry.status < 300
        and (route := route_of(entry.method, entry.path)) is not None
    }
    assert sorted(DOCUMENTED_ROUTES - hit) == []
    assert hit == DOCUMENTED_ROUTES
    # and every request carried the documented Accept header (checked by the sim log
    # only for paths; the header itself is asserted in test_transport)
