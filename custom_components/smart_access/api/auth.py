"""Token sources for the vendor clients.

A client asks its token source for a bearer token before every request and tells it
when the service answered 401, so the source can renew once and the request can be
retried once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import time
from typing import Protocol

import aiohttp

from .errors import AuthenticationError, MalformedResponseError
from .http import request_json


class TokenSource(Protocol):
    """Something that hands out bearer tokens."""

    async def async_get_access_token(self) -> str:
        """Return a valid access token, renewing it first when needed."""

    async def async_invalidate(self, token: str) -> bool:
        """Forget ``token`` after a 401; return whether a retry may succeed."""


class CallbackTokenSource:
    """Token source backed by the caller, e.g. Home Assistant's OAuth2 session.

    The callback must return a valid access token (refreshing and persisting a rotated
    refresh token itself). A 401 is not retried: the caller's session already did what
    it could, so the error goes up and the caller starts re-authentication.
    """

    def __init__(self, get_token: Callable[[], Awaitable[str]]) -> None:
        """Wrap the callback."""
        self._get_token = get_token

    async def async_get_access_token(self) -> str:
        """Return the caller's token."""
        return await self._get_token()

    async def async_invalidate(self, token: str) -> bool:
        """Nothing to renew here: the caller owns the token."""
        return False


class RenewingTokenSource:
    """Base of the token sources that cache a token and renew it before it expires.

    The token counts as expired ``renew_margin`` seconds early; at most one renewal
    runs at a time and concurrent callers wait for it and share its token.
    Subclasses say what is cached (:meth:`_cached`) and how to renew it
    (:meth:`_async_renew`, which counts ``token_requests``).
    """

    def __init__(self, *, renew_margin: float, clock: Callable[[], float]) -> None:
        """Start with nothing renewed yet."""
        self._renew_margin = renew_margin
        self._clock = clock
        self._lock = asyncio.Lock()
        self.token_requests = 0

    def _cached(self) -> tuple[str | None, float | None]:
        """Return the cached access token and its expiry (epoch s), ``None`` if unknown."""
        raise NotImplementedError

    async def _async_renew(self) -> None:
        """Fetch a new token (called under the lock)."""
        raise NotImplementedError

    def _valid(self) -> bool:
        token, expires_at = self._cached()
        return (
            token is not None
            and expires_at is not None
            and self._clock() < expires_at - self._renew_margin
        )

    async def async_get_access_token(self) -> str:
        """Return the cached token or renew it first (one renewal at a time)."""
        if not self._valid():
            async with self._lock:
                if not self._valid():
                    await self._async_renew()
        token, _ = self._cached()
        assert token is not None
        return token


class ClientCredentialsTokenSource(RenewingTokenSource):
    """OAuth2 client-credentials grant: fetch, cache and renew a token.

    The token is renewed ``renew_margin`` seconds before it expires, at most one renewal
    runs at a time (concurrent callers wait for it), and after a 401 the cached token is
    dropped so the next call fetches a new one.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        renew_margin: float = 60.0,
        request_timeout: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Store the credentials; no request is made until a token is needed."""
        super().__init__(renew_margin=renew_margin, clock=clock)
        self._session = session
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._request_timeout = request_timeout
        self._token: str | None = None
        self._expires_at = 0.0

    @property
    def expires_at(self) -> float:
        """Epoch seconds at which the cached token expires (0 when none is cached)."""
        return self._expires_at if self._token else 0.0

    def _cached(self) -> tuple[str | None, float | None]:
        return self._token, self._expires_at

    async def async_invalidate(self, token: str) -> bool:
        """Drop ``token`` if it is still the cached one; a retry will fetch a fresh one."""
        async with self._lock:
            if self._token == token:
                self._token = None
                self._expires_at = 0.0
        return True

    async def _async_renew(self) -> None:
        self.token_requests += 1
        result = await request_json(
            self._session,
            "POST",
            self._token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": self._client_id,
                "client_secret": self._client_secret,
            },
            timeout=self._request_timeout,
        )
        if result.status in (400, 401, 403):
            error = result.body.get("error") if isinstance(result.body, dict) else None
            raise AuthenticationError(
                f"token request rejected ({error or result.status})"
            )
        result.raise_for_common_status()
        body = result.body
        if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            raise MalformedResponseError("token response has no access_token")
        try:
            expires_in = float(body.get("expires_in", 3600))
        except (TypeError, ValueError) as err:
            raise MalformedResponseError("token response has a bad expires_in") from err
        self._token = body["access_token"]
        self._expires_at = self._clock() + expires_in
