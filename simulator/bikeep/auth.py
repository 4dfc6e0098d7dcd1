"""OAuth2 client-credentials tokens and the optional request rate limit."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime
import math
import secrets

from .errors import BikeepApiError
from .model import BikeepState, Operator
from .timeutil import after


@dataclass
class TokenStore:
    """Issued access tokens: token -> (operator id, expiry by the simulator clock)."""

    tokens: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    issued: int = 0

    def issue(self, operator: Operator, now: datetime, lifetime: float) -> str:
        """Create a new opaque token for ``operator``."""
        token = "sim-bk-" + secrets.token_urlsafe(24)
        self.tokens[token] = (operator.id, after(now, lifetime))
        self.issued += 1
        return token

    def operator_id(self, authorization: str | None, now: datetime) -> str:
        """Return the operator of a valid ``Bearer`` header; raise 401 otherwise."""
        if not authorization or not authorization.startswith("Bearer "):
            raise unauthorized("missing bearer token")
        entry = self.tokens.get(authorization.removeprefix("Bearer ").strip())
        if entry is None:
            raise unauthorized("unknown access token")
        operator_id, expires_at = entry
        if now >= expires_at:
            raise unauthorized("access token expired")
        return operator_id

    def clear(self) -> None:
        """Forget every token."""
        self.tokens.clear()


def unauthorized(message: str) -> BikeepApiError:
    """The 401 the services host answers."""
    return BikeepApiError(
        401,
        "unauthorized",
        message,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """Read client id and secret from an HTTP Basic ``Authorization`` header."""
    if not header or not header.startswith("Basic "):
        return None
    try:
        decoded = base64.b64decode(
            header.removeprefix("Basic "), validate=True
        ).decode()
    except binascii.Error, UnicodeDecodeError:
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None


@dataclass
class RateLimiter:
    """Fixed-window request budget (off unless the settings give one)."""

    window_start: datetime | None = None
    count: int = 0

    def check(self, state: BikeepState, now: datetime) -> None:
        """Count one request; raise 429 with ``Retry-After`` when over budget."""
        limit = state.settings.rate_limit_requests
        if limit is None:
            return
        window = state.settings.rate_limit_window
        if self.window_start is None or now >= after(self.window_start, window):
            self.window_start, self.count = now, 0
        self.count += 1
        if self.count > limit:
            retry = math.ceil((after(self.window_start, window) - now).total_seconds())
            raise rate_limited(max(retry, 1))

    def reset(self) -> None:
        """Start a fresh window."""
        self.window_start, self.count = None, 0


def rate_limited(retry_after: int) -> BikeepApiError:
    """The 429 answer, with ``Retry-After`` in seconds."""
    return BikeepApiError(
        429,
        "rate_limited",
        "too many requests",
        headers={"Retry-After": str(retry_after)},
    )
