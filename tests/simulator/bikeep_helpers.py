"""Small HTTP helpers for the Bikeep simulator tests (real HTTP on 127.0.0.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp

from simulator.bikeep import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, BikeepSimulator
from simulator.bikeep.scenario import (
    DOCK_1,
    LOCKER_1,
    LOCKER_2,
    LOCKER_3,
    LOCKERS_LOCATION_ID,
)
from simulator.common import Clock
from simulator.server import RunningSimulator

__all__ = ["DOCK_1", "LOCKERS_LOCATION_ID", "LOCKER_1", "LOCKER_2", "LOCKER_3"]


def bk(running: RunningSimulator) -> BikeepSimulator:
    """The Bikeep simulator behind a running server (typed)."""
    assert isinstance(running.sim, BikeepSimulator)
    return running.sim


class FrozenClock(Clock):
    """A clock that moves only by :meth:`advance` (exact, load-independent tests)."""

    def __init__(self) -> None:
        super().__init__()
        self.start = datetime.now(UTC)

    def now(self) -> datetime:
        return self.start + self.offset


def freeze(running: RunningSimulator) -> FrozenClock:
    """Replace the simulator's clock by a frozen one (state stays as loaded)."""
    clock = FrozenClock()
    bk(running).clock = clock
    return clock


def ts(value: str) -> datetime:
    """Parse an API timestamp."""
    return datetime.fromisoformat(value)


@dataclass
class Reply:
    """Status, JSON body (or None) and headers of one answer."""

    status: int
    body: Any
    headers: dict[str, str]


async def fetch_token(
    session: aiohttp.ClientSession,
    url: str,
    client_id: str = DEFAULT_CLIENT_ID,
    client_secret: str = DEFAULT_CLIENT_SECRET,
) -> str:
    """Run the client-credentials grant and return the access token."""
    async with session.post(
        f"{url}/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        },
    ) as resp:
        assert resp.status == 200, await resp.text()
        body = await resp.json()
    return str(body["access_token"])


class Api:
    """An authenticated caller of the simulated services host."""

    def __init__(
        self, session: aiohttp.ClientSession, running: RunningSimulator, token: str
    ) -> None:
        self.session = session
        self.url = running.url
        self.token = token

    async def renew(self) -> None:
        """Fetch a fresh token (after the clock jumped past the token lifetime)."""
        self.token = await fetch_token(self.session, self.url)

    async def call(
        self,
        method: str,
        path: str,
        json_body: Any = None,
        *,
        auth: bool = True,
        params: dict[str, str] | None = None,
    ) -> Reply:
        headers = {"Authorization": f"Bearer {self.token}"} if auth else {}
        async with self.session.request(
            method, f"{self.url}{path}", json=json_body, headers=headers, params=params
        ) as resp:
            try:
                body = await resp.json(content_type=None)
            except ValueError:
                body = None
            return Reply(resp.status, body, dict(resp.headers))

    async def get(self, path: str, **kwargs: Any) -> Reply:
        return await self.call("GET", path, **kwargs)

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> Reply:
        return await self.call("POST", path, body, **kwargs)

    async def command(self, device_id: str, name: str, **extra: Any) -> dict[str, Any]:
        """Post a command; assert 200 and return the command body."""
        reply = await self.post(
            f"/device/v1/devices/{device_id}/commands", {"command": name, **extra}
        )
        assert reply.status == 200, reply.body
        return dict(reply.body)

    async def poll(self, command: dict[str, Any]) -> dict[str, Any]:
        reply = await self.get(command["uri"])
        assert reply.status == 200, reply.body
        return dict(reply.body)

    async def device(self, device_id: str) -> dict[str, Any]:
        reply = await self.get(f"/device/v1/devices/{device_id}")
        assert reply.status == 200, reply.body
        return dict(reply.body)

    async def location(self, location_id: str) -> dict[str, Any]:
        reply = await self.get("/location/v1/locations")
        assert reply.status == 200
        return next(loc for loc in reply.body["data"] if loc["id"] == location_id)

    async def trigger(self, action: str, **params: Any) -> Reply:
        return await self.post(f"/_sim/trigger/{action}", params, auth=False)


async def make_api(session: aiohttp.ClientSession, running: RunningSimulator) -> Api:
    """Return an :class:`Api` with a fresh client-credentials token."""
    return Api(session, running, await fetch_token(session, running.url))


def event_names(command: dict[str, Any]) -> list[str]:
    """Names of a command's events, in order."""
    return [event["name"] for event in command["events"]]
