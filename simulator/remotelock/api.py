"""Request context and route registration for the API host paths.

Every API route is registered with and without the ``/v1`` prefix and wrapped so it
checks the bearer token, counts the request against the account's rate limit, adds
the ``X-RateLimit-*`` headers and turns :class:`ApiError` into the documented bodies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
import json
from typing import Any

from aiohttp import web
from multidict import MultiMapping

from .const import API_PREFIXES
from .errors import ApiError, GeneralError, NotFoundError, resource_error
from .oauth import Token
from .query import apply_filters, apply_sort, paginate
from .responses import rate_limited_response, refusal_response, unauthorized_response
from .state import RemoteLockState
from .store import Collection, Record


@dataclass
class Ctx:
    """One authenticated API request."""

    sim: RemoteLockState
    request: web.Request
    token: Token
    _body: dict[str, Any] | None = None

    @property
    def query(self) -> MultiMapping[str]:
        """Return the query string."""
        return self.request.query

    def param(self, name: str) -> str:
        """Return a path parameter."""
        return self.request.match_info[name]

    async def body(self) -> dict[str, Any]:
        """Return the JSON body (``{}`` when empty); 400 when it is not a JSON object."""
        if self._body is not None:
            return self._body
        raw = await self.request.text() if self.request.body_exists else ""
        if not raw.strip():
            return {}
        try:
            body = json.loads(raw)
        except json.JSONDecodeError as err:
            raise GeneralError(
                400, f"Request body is not valid JSON: {err}", "invalid_json"
            ) from err
        if not isinstance(body, dict):
            raise GeneralError(
                400, "Request body must be a JSON object", "invalid_json"
            )
        return body

    async def attributes(self) -> dict[str, Any]:
        """Return ``body["attributes"]`` (a resource error when it is not an object)."""
        body = await self.body()
        attributes = body.get("attributes", {})
        if not isinstance(attributes, dict):
            raise resource_error({}, "attributes", "must be an object")
        return attributes

    def get(
        self, collection: Collection, rid: str, what: str, types: Sequence[str] = ()
    ) -> Record:
        """Return ``collection[rid]`` (of one of ``types``) or raise 404."""
        record = collection.get(rid)
        if record is None or (types and record["type"] not in types):
            raise NotFoundError(what)
        return record

    def one(self, record: Record, status: int = 200) -> web.Response:
        """Render one resource."""
        return web.json_response({"data": self.sim.render(record)}, status=status)

    def many(
        self,
        records: Sequence[Record],
        *,
        sortable: Sequence[str] = ("created_at",),
        default_sort: Sequence[str] = ("created_at",),
        typed: bool = False,
        skip_attributes: Sequence[str] = (),
        filtered: bool = True,
        sort_value: Callable[[Record, str], Any] | None = None,
    ) -> web.Response:
        """Filter, sort, paginate and render a collection."""
        items = (
            apply_filters(
                records, self.query, typed=typed, skip_attributes=skip_attributes
            )
            if filtered
            else list(records)
        )
        items = apply_sort(items, self.query, sortable, default_sort, sort_value)
        page, meta = paginate(items, self.query)
        return web.json_response(
            {"data": [self.sim.render(record) for record in page], "meta": meta}
        )

    @staticmethod
    def empty(status: int = 204) -> web.Response:
        """Answer without a body (204 for deletions, 200 for notify actions)."""
        return web.Response(status=status)


type ApiHandler = Callable[[Ctx], Awaitable[web.StreamResponse]]


class Api:
    """The API route table of one simulator.

    Route modules add to it; :func:`.app.add_routes` registers it on the aiohttp app.
    """

    def __init__(self, sim: RemoteLockState) -> None:
        """Bind to ``sim``."""
        self.sim = sim
        self.routes: list[tuple[str, str, ApiHandler]] = []

    def add(self, method: str, path: str, handler: ApiHandler) -> None:
        """Register ``method path`` (documented ``:id`` style becomes ``{id}``)."""
        self.routes.append((method, path, handler))

    def register(self, app: web.Application) -> None:
        """Add every route to ``app`` under each prefix."""
        for prefix in API_PREFIXES:
            for method, path, handler in self.routes:
                aiohttp_path = "/".join(
                    f"{{{part[1:]}}}" if part.startswith(":") else part
                    for part in path.split("/")
                )
                app.router.add_route(method, prefix + aiohttp_path, self._wrap(handler))

    def _wrap(
        self, handler: ApiHandler
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        sim = self.sim

        async def wrapped(request: web.Request) -> web.StreamResponse:
            token = sim.oauth.validate_bearer(request.headers.get("Authorization"))
            if token is None:
                return unauthorized_response(sim)
            refusal = sim.auth_behaviour.refusal(request.path)
            if refusal is not None:
                return refusal_response(refusal)
            sim.base_url = f"{request.scheme}://{request.host}"
            limit = sim.rate_limit.hit(token.account_id, sim.clock.now().timestamp())
            headers = {
                "X-RateLimit-Limit": str(limit.limit),
                "X-RateLimit-Remaining": str(limit.remaining),
                "X-RateLimit-Reset": str(limit.reset),
            }
            if not limit.allowed:
                response: web.StreamResponse = rate_limited_response(sim)
            else:
                sim.settle()
                try:
                    response = await handler(Ctx(sim, request, token))
                except ApiError as err:
                    response = err.response()
            response.headers.update(headers)
            return response

        return wrapped
