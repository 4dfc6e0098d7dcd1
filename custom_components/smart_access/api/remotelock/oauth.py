"""Authorization-code helpers: authorize URL, code exchange, refresh, revoke.

Inside Home Assistant the integration's OAuth2 session does all of this; these
helpers serve the tests and callers that use the client outside Home Assistant.
RemoteLock refresh tokens are single use: every refresh answers with a new pair and the old
refresh token stops working, so callers must keep the newest pair.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp

from ..auth import (
    RenewingTokenSource,
    async_token_endpoint_post,
    parse_token_answer,
)
from ..errors import AuthenticationError
from .const import AUTHORIZE_PATH, DEFAULT_OAUTH_URL, REVOKE_PATH, TOKEN_PATH


def build_authorize_url(
    client_id: str,
    redirect_uri: str,
    *,
    oauth_url: str = DEFAULT_OAUTH_URL,
    state: str | None = None,
) -> str:
    """Return the sign-in page URL that redirects back with ``?code=...``."""
    query = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
    }
    if state is not None:
        query["state"] = state
    return f"{oauth_url.rstrip('/')}{AUTHORIZE_PATH}?{urlencode(query)}"


# RemoteLock's tokens live two hours when the answer does not say.
_DEFAULT_EXPIRES_IN = 7200


async def _token_post(
    session: aiohttp.ClientSession,
    oauth_url: str,
    form: dict[str, str],
    timeout: float,
    clock: Callable[[], float],
) -> dict[str, Any]:
    url = oauth_url.rstrip("/") + TOKEN_PATH
    body = await async_token_endpoint_post(session, url, form, timeout)
    return parse_token_answer(body, clock, default_expires_in=_DEFAULT_EXPIRES_IN)


async def async_exchange_code(
    session: aiohttp.ClientSession,
    *,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str,
    oauth_url: str = DEFAULT_OAUTH_URL,
    request_timeout: float = 30.0,
    clock: Callable[[], float] = time.time,
) -> dict[str, Any]:
    """Exchange an authorization code for tokens (``POST /oauth/token``).

    Returns the token dict (``access_token``, ``refresh_token``, ``expires_in``,
    ``token_type``) plus ``expires_at`` (epoch seconds). A rejected code raises
    :class:`AuthenticationError`.
    """
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": client_id,
        "client_secret": client_secret,
        "redirect_uri": redirect_uri,
    }
    return await _token_post(session, oauth_url, form, request_timeout, clock)


async def async_refresh_token(
    session: aiohttp.ClientSession,
    *,
    client_id: str,
    client_secret: str,
    refresh_token: str,
    oauth_url: str = DEFAULT_OAUTH_URL,
    request_timeout: float = 30.0,
    clock: Callable[[], float] = time.time,
) -> dict[str, Any]:
    """Trade a refresh token for a new token pair (the old refresh token dies).

    A rejected (used, revoked or unknown) refresh token raises
    :class:`AuthenticationError`.
    """
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": client_id,
        "client_secret": client_secret,
    }
    return await _token_post(session, oauth_url, form, request_timeout, clock)


async def async_revoke_token(
    session: aiohttp.ClientSession,
    *,
    client_id: str,
    client_secret: str,
    token: str,
    oauth_url: str = DEFAULT_OAUTH_URL,
    request_timeout: float = 30.0,
) -> None:
    """Revoke an access or refresh token at once (``POST /oauth/revoke``)."""
    form = {"client_id": client_id, "client_secret": client_secret, "token": token}
    url = oauth_url.rstrip("/") + REVOKE_PATH
    await async_token_endpoint_post(session, url, form, request_timeout)


type TokenCallback = Callable[[dict[str, Any]], Awaitable[None] | None]


class RefreshTokenSource(RenewingTokenSource):
    """Token source for the authorization-code grant outside Home Assistant.

    Holds the current pair, refreshes it ``renew_margin`` seconds before expiry (one
    refresh at a time: concurrent callers wait and share it), and hands every new
    pair to ``on_update`` so the caller can persist the rotated refresh token.
    After a 401 the access token is dropped and the next call refreshes.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        client_id: str,
        client_secret: str,
        token: Mapping[str, Any],
        oauth_url: str = DEFAULT_OAUTH_URL,
        on_update: TokenCallback | None = None,
        renew_margin: float = 60.0,
        request_timeout: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Start from ``token`` (``access_token``, ``refresh_token``, ``expires_at``)."""
        super().__init__(renew_margin=renew_margin, clock=clock)
        self._session = session
        self._client_id = client_id
        self._client_secret = client_secret
        self._oauth_url = oauth_url
        self._on_update = on_update
        self._timeout = request_timeout
        self._token: dict[str, Any] = dict(token)

    @property
    def token(self) -> dict[str, Any]:
        """Return a copy of the current token dict (secrets: do not log)."""
        return dict(self._token)

    def _cached(self) -> tuple[str | None, float | None]:
        access = self._token.get("access_token")
        expires_at = self._token.get("expires_at")
        return (
            access if isinstance(access, str) else None,
            expires_at if isinstance(expires_at, int | float) else None,
        )

    async def async_invalidate(self, token: str) -> bool:
        """Drop ``token`` after a 401 so the next call refreshes; a retry may help."""
        async with self._lock:
            if self._token.get("access_token") == token:
                self._token["expires_at"] = 0.0
        return isinstance(self._token.get("refresh_token"), str)

    async def _async_renew(self) -> None:
        refresh = self._token.get("refresh_token")
        if not isinstance(refresh, str):
            raise AuthenticationError("no refresh token: sign in again")
        self.token_requests += 1
        new = await async_refresh_token(
            self._session,
            client_id=self._client_id,
            client_secret=self._client_secret,
            refresh_token=refresh,
            oauth_url=self._oauth_url,
            request_timeout=self._timeout,
            clock=self._clock,
        )
        if "refresh_token" not in new:
            new["refresh_token"] = refresh
        self._token = new
        if self._on_update is not None:
            outcome = self._on_update(dict(new))
            if outcome is not None:
                await outcome
