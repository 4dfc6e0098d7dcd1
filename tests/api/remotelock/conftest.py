"""Fixtures for the RemoteLock client tests: a client wired to the simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
import json
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.smart_access.api.auth import ClientCredentialsTokenSource
from custom_components.smart_access.api.remotelock import TOKEN_PATH, RemoteLockClient
from simulator.remotelock import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    RemoteLockSimulator,
)
from simulator.server import RunningSimulator, serve_app


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


# -- a tiny server on 127.0.0.1 that answers whatever a test queues ---------------


class ShapeServer:
    """Answers each request with the next queued (status, body, headers)."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, Any, dict[str, str]]] = []
        self.seen: list[str] = []
        self.url = ""

    def queue(
        self, status: int, body: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        self.answers.append((status, body, headers or {}))

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(f"{request.method} {request.path_qs}")
        status, body, headers = self.answers.pop(0)
        if body is None:
            return web.Response(status=status, headers=headers)
        text = body if isinstance(body, str) else json.dumps(body)
        return web.Response(
            status=status, text=text, headers=headers, content_type="application/json"
        )


@pytest.fixture
async def shapes(socket_enabled: None) -> AsyncIterator[ShapeServer]:
    server = ShapeServer()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner, server.url = await serve_app(app, access_log=None)
    yield server
    await runner.cleanup()
