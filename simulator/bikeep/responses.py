"""HTTP answers of the Bikeep simulator that are not a route's own body."""

from __future__ import annotations

from aiohttp import web

from .auth import rate_limited, unauthorized
from .errors import BikeepApiError


def error_response(err: BikeepApiError) -> web.Response:
    """Return the JSON error answer ``{"error", "message", ...}`` of ``err``."""
    return web.json_response(err.body(), status=err.status, headers=err.headers)


def unauthorized_response() -> web.Response:
    """The services host's 401."""
    return error_response(unauthorized("invalid or expired access token"))


def rate_limited_response(retry_after: int) -> web.Response:
    """The 429 with ``Retry-After`` seconds."""
    return error_response(rate_limited(retry_after))
