"""Pagination: every page at 50, boundaries 0/1/50/51, and the 10,000 cap."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

import aiohttp
import pytest

from custom_components.smart_access.api.auth import CallbackTokenSource
from custom_components.smart_access.api.errors import ValidationError
from custom_components.smart_access.api.remotelock import Lock, RemoteLockClient
from simulator.remotelock import RemoteLockSimulator

from .conftest import ShapeServer


async def _token() -> str:
    return "1/token"


def _fleet(sim: RemoteLockSimulator, locks: int) -> None:
    sim.devices.clear()
    sim.rate_limit.limit = 100_000
    if locks:
        sim.generate_fleet({"locks": locks})
    sim.requests.clear()


def _device_queries(sim: RemoteLockSimulator) -> list[dict[str, list[str]]]:
    return [
        parse_qs(entry.query)
        for entry in sim.requests.entries
        if entry.method == "GET" and entry.path == "/devices"
    ]


@pytest.mark.parametrize(
    ("count", "pages"), [(0, 1), (1, 1), (50, 1), (51, 2), (100, 2), (101, 3)]
)
async def test_boundaries(
    client: RemoteLockClient, sim: RemoteLockSimulator, count: int, pages: int
) -> None:
    _fleet(sim, count)
    devices = await client.async_list_devices()
    assert len(devices) == count
    assert devices.total_count == count
    assert devices.truncated is False
    assert len({d.id for d in devices}) == count
    assert {d.id for d in devices} == set(sim.devices)
    assert all(isinstance(d, Lock) for d in devices)
    queries = _device_queries(sim)
    assert len(queries) == pages
    assert [q["page"] for q in queries] == [[str(n)] for n in range(1, pages + 1)]
    assert all(q["per_page"] == ["50"] for q in queries)


async def test_single_page(client: RemoteLockClient, sim: RemoteLockSimulator) -> None:
    _fleet(sim, 51)
    first = await client.async_list_devices_page(1, 50)
    second = await client.async_list_devices_page(2, 50)
    assert (len(first.items), len(second.items)) == (50, 1)
    assert first.has_next
    assert not second.has_next
    assert (first.meta.total_pages, first.meta.total_count, first.meta.per_page) == (
        2,
        51,
        50,
    )
    assert not {d.id for d in first.items} & {d.id for d in second.items}
    assert len(_device_queries(sim)) == 2


@pytest.mark.parametrize(
    ("page", "per_page"), [(0, 50), (1, 0), (1, 51), (201, 50), (101, 100)]
)
async def test_page_arguments_checked_before_sending(
    client: RemoteLockClient, sim: RemoteLockSimulator, page: int, per_page: int
) -> None:
    sim.requests.clear()
    with pytest.raises(ValidationError):
        await client.async_list_devices_page(page, per_page)
    assert sim.requests.count(path="/devices") == 0


async def test_ten_thousand_cap(
    client: RemoteLockClient, sim: RemoteLockSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """10,050 devices: stop after page 200, flag the truncation and log a warning."""
    _fleet(sim, 10_050)
    with caplog.at_level(logging.WARNING):
        devices = await client.async_list_devices()
    assert len(devices) == 10_000
    assert devices.truncated is True
    assert devices.total_count == 10_050
    assert len({d.id for d in devices}) == 10_000
    queries = _device_queries(sim)
    assert len(queries) == 200
    assert queries[-1]["page"] == ["200"]
    assert "10050" in caplog.text
    # the last page the cap allows can still be read directly
    last = await client.async_list_devices_page(200, 50)
    assert len(last.items) == 50
    assert last.has_next


@pytest.mark.parametrize(("total", "truncated"), [(10_000, False), (10_001, True)])
async def test_cap_boundary(
    shapes: ShapeServer,
    http_session: aiohttp.ClientSession,
    total: int,
    truncated: bool,
) -> None:
    """Exactly 10,000 is complete; one more is truncated (a fast fake server)."""
    pages = -(-total // 50)
    for page in range(1, 201):
        items = [{"type": "lock", "id": f"{page}-{n}"} for n in range(50)]
        meta = {
            "page": page,
            "per_page": 50,
            "total_pages": pages,
            "total_count": total,
        }
        shapes.queue(200, {"data": items, "meta": meta})
    client = RemoteLockClient(
        http_session, CallbackTokenSource(_token), api_url=shapes.url
    )
    devices = await client.async_list_devices()
    assert len(devices) == 10_000
    assert devices.truncated is truncated
    assert devices.total_count == total
    assert len(shapes.seen) == 200
    assert shapes.seen[-1].endswith("page=200&per_page=50")


async def test_resource_list_is_a_sequence(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    _fleet(sim, 3)
    devices = await client.async_list_devices(sort="name")
    assert devices[0].name == min(d.name or "" for d in devices)
    assert list(devices[1:]) == list(devices.items[1:])
    assert [d.id for d in devices] == [d.id for d in devices.items]


async def test_pages_pause_at_the_reserve_instead_of_running_into_429(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """With a reserve, a long read waits for the window to reset; no 429, no loss."""
    _fleet(sim, 250)  # 5 pages
    sim.rate_limit.limit = 4
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)
        sim.clock.advance(seconds)  # the simulated window resets

    client._sleep = fake_sleep
    client.page_reserve = 2
    devices = await client.async_list_devices()
    assert len(devices) == 250
    assert len(_device_queries(sim)) == 5
    assert all(entry.status == 200 for entry in sim.requests.entries)
    assert len(waits) == 2
    assert all(0 < wait <= 61 for wait in waits)


async def test_without_a_reserve_pages_pause_only_when_nothing_is_left(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """The default reserve (0) spends the whole window, then waits for the reset."""
    _fleet(sim, 250)
    sim.rate_limit.limit = 4
    remaining_at_wait: list[int] = []

    async def fake_sleep(seconds: float) -> None:
        assert client.rate_limit is not None
        remaining_at_wait.append(client.rate_limit.remaining)
        sim.clock.advance(seconds)

    client._sleep = fake_sleep
    devices = await client.async_list_devices()
    assert len(devices) == 250
    assert remaining_at_wait == [0]
    assert all(entry.status == 200 for entry in sim.requests.entries)
