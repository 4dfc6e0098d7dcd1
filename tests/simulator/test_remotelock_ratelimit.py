"""RemoteLock simulator: X-RateLimit-* headers, 429 and the reset of the window."""

from __future__ import annotations

import aiohttp

from simulator.remotelock.const import RATE_LIMIT_MESSAGE
from simulator.server import RunningSimulator

from .remotelock_helpers import make_api


async def test_headers_on_every_api_response(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    now = remotelock_sim.sim.clock.now().timestamp()
    first = await api.get("/account")
    second = await api.get("/devices/unknown")
    assert second.status == 404
    assert first.headers["X-RateLimit-Limit"] == "120"
    assert (
        int(first.headers["X-RateLimit-Remaining"])
        == int(second.headers["X-RateLimit-Remaining"]) + 1
    )
    reset = int(first.headers["X-RateLimit-Reset"])
    assert now < reset <= now + 60


async def test_429_when_exhausted_then_reset(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    sim = remotelock_sim.sim
    sim.rate_limit.limit = 5
    api = await make_api(http_session, remotelock_sim)
    remaining = [
        int((await api.get("/account")).headers["X-RateLimit-Remaining"])
        for _ in range(5)
    ]
    assert remaining == [4, 3, 2, 1, 0]
    limited = await api.get("/account")
    assert limited.status == 429
    assert limited.body == {"message": RATE_LIMIT_MESSAGE}
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    reset = int(limited.headers["X-RateLimit-Reset"])
    # Another token of the same account shares the budget.
    other = await make_api(http_session, remotelock_sim)
    assert (await other.get("/account")).status == 429
    sim.clock.advance(reset - sim.clock.now().timestamp() + 0.01)
    again = await api.get("/account")
    assert again.status == 200
    assert again.headers["X-RateLimit-Remaining"] == "4"
    assert int(again.headers["X-RateLimit-Reset"]) == reset + 60


async def test_default_limit_is_120_per_minute(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    sim = remotelock_sim.sim
    api = await make_api(http_session, remotelock_sim)
    window_end = sim.rate_limit.peek(
        sim.account["id"], sim.clock.now().timestamp()
    ).reset
    if window_end - sim.clock.now().timestamp() < 10:
        sim.clock.advance(11)  # keep all requests in one window
    statuses = [(await api.get("/user")).status for _ in range(121)]
    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429


async def test_limit_from_scenario(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    sim = remotelock_sim.sim
    sim.load_scenario(
        {
            **sim.default_scenario(),
            "settings": {"rate_limit": 2, "rate_limit_window": 3600},
        }
    )
    api = await make_api(http_session, remotelock_sim)
    assert [(await api.get("/user")).status for _ in range(3)] == [200, 200, 429]
    assert sim.dump_state()["settings"]["rate_limit"] == 2


async def test_oauth_paths_are_not_counted(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    sim = remotelock_sim.sim
    sim.rate_limit.limit = 1
    for _ in range(3):
        await make_api(http_session, remotelock_sim)
    api = await make_api(http_session, remotelock_sim)
    assert (await api.get("/user")).status == 200
