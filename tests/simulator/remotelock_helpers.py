"""Helpers for the RemoteLock simulator tests: tokens and API calls over real HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from simulator.remotelock import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from simulator.server import RunningSimulator

CLIENT = {"client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}


@dataclass
class Reply:
    """Status, headers and decoded body of one answer."""

    status: int
    headers: CIMultiDictProxy[str]
    body: Any


async def client_token(session: aiohttp.ClientSession, url: str) -> str:
    """Return an access token from the client-credentials grant."""
    async with session.post(
        f"{url}/oauth/token", data={**CLIENT, "grant_type": "client_credentials"}
    ) as resp:
        assert resp.status == 200
        body = await resp.json()
    return str(body["access_token"])


class Api:
    """Calls the simulated API with a bearer token."""

    def __init__(
        self, session: aiohttp.ClientSession, running: RunningSimulator, token: str
    ) -> None:
        self.session = session
        self.url = running.url
        self.token = token

    async def call(
        self,
        method: str,
        path: str,
        json: Any = None,
        *,
        params: Any = None,
        token: str | None = None,
    ) -> Reply:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        async with self.session.request(
            method, f"{self.url}{path}", json=json, params=params, headers=headers
        ) as resp:
            text = await resp.text()
            body: Any = None
            if text and resp.content_type == "application/json":
                body = await resp.json()
            elif text:
                body = text
            return Reply(resp.status, resp.headers, body)

    async def get(self, path: str, **kwargs: Any) -> Reply:
        return await self.call("GET", path, **kwargs)

    async def post(self, path: str, json: Any = None, **kwargs: Any) -> Reply:
        return await self.call("POST", path, json, **kwargs)

    async def put(self, path: str, json: Any = None, **kwargs: Any) -> Reply:
        return await self.call("PUT", path, json, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> Reply:
        return await self.call("DELETE", path, **kwargs)

    async def post_attrs(
        self, path: str, attributes: Any, *, kind: str | None = None
    ) -> Reply:
        """POST the documented body ``{"type": kind, "attributes": attributes}``."""
        return await self.post(path, _document(attributes, kind))

    async def put_attrs(self, path: str, attributes: Any) -> Reply:
        """PUT the documented body ``{"attributes": attributes}``."""
        return await self.put(path, _document(attributes, None))

    async def items(self, path: str, **kwargs: Any) -> list[dict[str, Any]]:
        """GET a collection, check its envelope and return its items."""
        return assert_collection((await self.get(path, **kwargs)).body)


def _document(attributes: Any, kind: str | None) -> dict[str, Any]:
    if kind is None:
        return {"attributes": attributes}
    return {"type": kind, "attributes": attributes}


async def make_api(session: aiohttp.ClientSession, running: RunningSimulator) -> Api:
    """Return an :class:`Api` with a fresh client-credentials token."""
    return Api(session, running, await client_token(session, running.url))


def assert_resource(data: dict[str, Any], kind: str, keys: set[str]) -> None:
    """Check the documented resource envelope and the attribute names."""
    assert set(data) >= {"type", "id", "attributes", "links"}
    assert data["type"] == kind
    assert data["links"]["self"].endswith(data["id"]) or kind in ("account", "user")
    missing = keys - set(data["attributes"])
    assert not missing, f"{kind} misses {missing}"


def assert_collection(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Check the collection envelope; return the items."""
    assert set(body) == {"data", "meta"}
    assert set(body["meta"]) == {"page", "per_page", "total_pages", "total_count"}
    assert isinstance(body["data"], list)
    return list(body["data"])


def assert_resource_error(reply: Reply, attribute: str | None) -> None:
    """Check a 422 resource error that names ``attribute``."""
    assert reply.status == 422, reply.body
    assert set(reply.body) == {"attributes", "errors"}
    names = [e["attribute"] for e in reply.body["errors"]]
    assert attribute in names, reply.body
    for error in reply.body["errors"]:
        assert set(error) == {"attribute", "messages", "full_messages"}
        assert error["messages"]
        assert len(error["messages"]) == len(error["full_messages"])


def assert_general_error(reply: Reply, status: int) -> None:
    """Check a general error ``{"message", "type"}`` with ``status``."""
    assert reply.status == status, reply.body
    assert set(reply.body) == {"message", "type"}
