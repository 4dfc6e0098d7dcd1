"""Pieces shared by both simulated clouds: clock, request log, fault injection, control API.

Every simulator keeps its state in memory and computes time-dependent changes lazily
from its :class:`Clock`, so no background task is needed to move a device from one
state to the next and tests can jump ahead with :meth:`Clock.advance` (or freeze time).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
import json
from typing import Any

from aiohttp import web

CONTROL_PREFIX = "/_sim"

FAULT_KINDS = ("server_error", "timeout", "malformed", "unauthorized", "rate_limit")


class Clock:
    """Wall clock (aware UTC) with an adjustable offset."""

    def __init__(self) -> None:
        """Start at real time."""
        self.offset = timedelta()

    def now(self) -> datetime:
        """Return the simulated current time."""
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> None:
        """Move simulated time forward."""
        self.offset += timedelta(seconds=seconds)


@dataclass
class LoggedRequest:
    """One request the simulator received."""

    method: str
    path: str
    query: str
    status: int
    at: str
    fault: str | None = None


class RequestLog:
    """Every request received, in order (control requests excluded)."""

    def __init__(self) -> None:
        """Start empty."""
        self.entries: list[LoggedRequest] = []

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """Count requests, optionally by method and by path prefix."""
        return sum(
            1
            for entry in self.entries
            if (method is None or entry.method == method)
            and (path is None or entry.path.startswith(path))
        )

    def clear(self) -> None:
        """Forget everything."""
        self.entries.clear()


@dataclass
class Fault:
    """A fault to inject into the next ``count`` matching requests.

    kind: ``server_error`` (status, default 500), ``timeout`` (answer after ``delay``
    seconds), ``malformed`` (200 with a body that is not JSON), ``unauthorized`` (401),
    ``rate_limit`` (429). ``path``/``method`` restrict which requests match (path prefix).
    """

    kind: str
    count: int = 1
    status: int = 500
    delay: float = 2.0
    path: str | None = None
    method: str | None = None

    def matches(self, request: web.Request) -> bool:
        """Return whether this fault applies to ``request``."""
        return (self.path is None or request.path.startswith(self.path)) and (
            self.method is None or request.method == self.method.upper()
        )


@dataclass
class FaultInjector:
    """Queue of pending faults, consumed request by request."""

    pending: list[Fault] = field(default_factory=list)

    def add(self, kind: str, count: int = 1, **options: Any) -> Fault:
        """Queue a fault for the next ``count`` matching requests."""
        if kind not in FAULT_KINDS:
            raise ValueError(
                f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}"
            )
        fault = Fault(kind=kind, count=count, **options)
        self.pending.append(fault)
        return fault

    def take(self, request: web.Request) -> Fault | None:
        """Return (and use up one count of) the first fault that matches ``request``."""
        for fault in self.pending:
            if fault.matches(request):
                fault.count -= 1
                if fault.count <= 0:
                    self.pending.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        """Drop every pending fault."""
        self.pending.clear()


type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class AuthBehaviour:
    """How the simulated service refuses tokens and resources (trigger ``auth_behaviour``).

    ``expired_token_status``: 401 (the usual convention) or 403 (what RemoteLock's
    public documentation uses for an expired or invalid token) for a missing,
    expired or revoked token. ``forbidden_paths``: path prefixes refused with 403
    even with a valid token (the application lacks that permission).
    ``payment_required``: every authenticated call answers 402 (API access disabled
    or subscription lapsed).
    """

    expired_token_status: int = 401
    forbidden_paths: list[str] = field(default_factory=list)
    payment_required: bool = False

    def update(self, params: dict[str, Any]) -> dict[str, Any]:
        """Change what ``params`` names; return the whole behaviour."""
        if "expired_token_status" in params:
            status = int(params["expired_token_status"])
            if status not in (401, 403):
                raise ValueError("expired_token_status must be 401 or 403")
            self.expired_token_status = status
        if "forbidden_paths" in params:
            self.forbidden_paths = [str(path) for path in params["forbidden_paths"]]
        if "payment_required" in params:
            self.payment_required = bool(params["payment_required"])
        return {
            "expired_token_status": self.expired_token_status,
            "forbidden_paths": list(self.forbidden_paths),
            "payment_required": self.payment_required,
        }

    def refusal(self, path: str) -> int | None:
        """Return the status refusing a call with a valid token to ``path``, if any."""
        if self.payment_required:
            return 402
        if any(path.startswith(prefix) for prefix in self.forbidden_paths):
            return 403
        return None


class SimulatorBase:
    """Clock, request log, faults and the ``/_sim`` control routes for one vendor.

    Subclasses implement :meth:`add_routes`, :meth:`fault_response` (how the vendor
    words a 401/429), :meth:`load_scenario` and :meth:`control_trigger`.
    """

    vendor = "base"

    def __init__(self, clock: Clock | None = None) -> None:
        """Create empty state."""
        self.clock = clock or Clock()
        self.requests = RequestLog()
        self.faults = FaultInjector()
        self.auth_behaviour = AuthBehaviour()

    # -- to implement -------------------------------------------------------------
    def add_routes(self, app: web.Application) -> None:
        """Register the vendor routes."""
        raise NotImplementedError

    def default_scenario(self) -> dict[str, Any]:
        """Return the built-in scenario: every device type of the vendor."""
        raise NotImplementedError

    def load_scenario(self, scenario: dict[str, Any]) -> None:
        """Replace the whole state with ``scenario``."""
        raise NotImplementedError

    def dump_state(self) -> dict[str, Any]:
        """Return the whole state as JSON-able data (for the control API)."""
        raise NotImplementedError

    async def control_trigger(
        self, action: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        """Perform a device-side change named ``action``; return what changed."""
        raise NotImplementedError

    def generate_fleet(self, params: dict[str, Any]) -> dict[str, Any]:
        """Add a large generated fleet; return counts."""
        raise NotImplementedError

    def unauthorized_response(self) -> web.Response:
        """How the vendor answers a request without a valid token."""
        return web.json_response({"message": "unauthorized"}, status=401)

    def rate_limited_response(self) -> web.Response:
        """How the vendor answers a request over its rate limit."""
        return web.json_response({"message": "too many requests"}, status=429)

    async def on_cleanup(self, app: web.Application) -> None:
        """Release resources (override when there are any)."""

    # -- shared machinery ---------------------------------------------------------
    def build_app(self) -> web.Application:
        """Return the aiohttp application with vendor and control routes."""
        app = web.Application(middlewares=[self._middleware])
        self._add_control_routes(app)
        self.add_routes(app)
        app.on_cleanup.append(self.on_cleanup)
        return app

    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        if request.path.startswith(CONTROL_PREFIX):
            return await handler(request)
        fault = self.faults.take(request)
        response: web.StreamResponse
        if fault is None:
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                response = exc
        else:
            response = await self._fault_response(fault, request, handler)
        self.requests.entries.append(
            LoggedRequest(
                method=request.method,
                path=request.path,
                query=request.query_string,
                status=response.status,
                at=self.clock.now().isoformat(),
                fault=fault.kind if fault else None,
            )
        )
        if isinstance(response, web.HTTPException):
            raise response
        return response

    async def _fault_response(
        self, fault: Fault, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        if fault.kind == "server_error":
            return web.json_response(
                {"message": "simulated server error"}, status=fault.status
            )
        if fault.kind == "timeout":
            await asyncio.sleep(fault.delay)
            return await handler(request)
        if fault.kind == "malformed":
            return web.Response(
                status=200,
                text='{"data": [ this is not json',
                content_type="application/json",
            )
        if fault.kind == "unauthorized":
            return self.unauthorized_response()
        return self.rate_limited_response()

    def _add_control_routes(self, app: web.Application) -> None:
        p = CONTROL_PREFIX
        app.router.add_get(f"{p}/state", self._ctl_state)
        app.router.add_post(f"{p}/scenario", self._ctl_scenario)
        app.router.add_post(f"{p}/faults", self._ctl_add_fault)
        app.router.add_delete(f"{p}/faults", self._ctl_clear_faults)
        app.router.add_get(f"{p}/requests", self._ctl_requests)
        app.router.add_delete(f"{p}/requests", self._ctl_clear_requests)
        app.router.add_post(f"{p}/clock/advance", self._ctl_advance)
        app.router.add_post(f"{p}/trigger/{{action}}", self._ctl_trigger)
        app.router.add_post(f"{p}/fleet", self._ctl_fleet)

    async def _json(self, request: web.Request) -> dict[str, Any]:
        if not request.can_read_body:
            return {}
        try:
            body = await request.json()
        except json.JSONDecodeError as err:
            raise web.HTTPBadRequest(text=f"body is not JSON: {err}") from err
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(text="body must be a JSON object")
        return body

    async def _ctl_state(self, request: web.Request) -> web.Response:
        return web.json_response(self.dump_state())

    async def _ctl_scenario(self, request: web.Request) -> web.Response:
        try:
            self.load_scenario(await self._json(request))
        except (KeyError, TypeError, ValueError) as err:
            raise web.HTTPBadRequest(text=f"bad scenario: {err!r}") from err
        return web.json_response({"loaded": True})

    async def _ctl_add_fault(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        try:
            fault = self.faults.add(**body)
        except (TypeError, ValueError) as err:
            raise web.HTTPBadRequest(text=str(err)) from err
        return web.json_response(asdict(fault))

    async def _ctl_clear_faults(self, request: web.Request) -> web.Response:
        self.faults.clear()
        return web.json_response({"cleared": True})

    async def _ctl_requests(self, request: web.Request) -> web.Response:
        return web.json_response([asdict(entry) for entry in self.requests.entries])

    async def _ctl_clear_requests(self, request: web.Request) -> web.Response:
        self.requests.clear()
        return web.json_response({"cleared": True})

    async def _ctl_advance(self, request: web.Request) -> web.Response:
        body = await self._json(request)
        self.clock.advance(float(body.get("seconds", 0)))
        return web.json_response({"now": self.clock.now().isoformat()})

    async def _ctl_trigger(self, request: web.Request) -> web.Response:
        try:
            result = await self.control_trigger(
                request.match_info["action"], await self._json(request)
            )
        except KeyError as err:
            raise web.HTTPNotFound(text=f"unknown trigger or object: {err}") from err
        except ValueError as err:
            raise web.HTTPBadRequest(text=str(err)) from err
        return web.json_response(result)

    async def _ctl_fleet(self, request: web.Request) -> web.Response:
        try:
            return web.json_response(self.generate_fleet(await self._json(request)))
        except KeyError as err:
            raise web.HTTPNotFound(text=f"unknown object: {err}") from err
        except (TypeError, ValueError) as err:
            raise web.HTTPBadRequest(text=str(err)) from err
