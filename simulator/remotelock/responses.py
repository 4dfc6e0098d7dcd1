"""How the simulated RemoteLock API refuses a request: 401/403, 402/403 and 429 bodies."""

from __future__ import annotations

from aiohttp import web

from .const import RATE_LIMIT_MESSAGE
from .state import RemoteLockState


def refusal_response(status: int) -> web.Response:
    """402 (API access or subscription lapsed) or 403 (no permission)."""
    if status == 402:
        return web.json_response(
            {
                "message": "API access is not enabled for this account",
                "type": "payment_required",
            },
            status=402,
        )
    return web.json_response(
        {
            "message": "The application is not allowed to access this resource",
            "type": "forbidden",
        },
        status=403,
    )


def unauthorized_response(sim: RemoteLockState) -> web.Response:
    """401 (or 403, see auth_behaviour) for a missing, expired or revoked token."""
    if sim.auth_behaviour.expired_token_status == 403:
        return web.json_response(
            {"message": "The access token expired", "type": "forbidden"},
            status=403,
        )
    return web.json_response(
        {
            "message": "The access token is missing, expired or revoked",
            "type": "unauthorized",
        },
        status=401,
        headers={
            "WWW-Authenticate": 'Bearer realm="RemoteLock", error="invalid_token"'
        },
    )


def rate_limited_response(sim: RemoteLockState) -> web.Response:
    """429 with the documented body."""
    peek = sim.rate_limit.peek(
        sim.state.account.get("id", ""), sim.clock.now().timestamp()
    )
    return web.json_response(
        {"message": RATE_LIMIT_MESSAGE},
        status=429,
        headers={
            "X-RateLimit-Limit": str(peek.limit),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(peek.reset),
        },
    )
