"""Token sources for the vendor clients.

A client asks its token source for a bearer token before every request and tells it
when the service refused the token (401, or 403: RemoteLock answers 403 for an
expired token), so the source can renew once and the request can be retried once.
A token the source has just obtained is not renewed again: if the service refuses
it too, the credentials work but lack access (:class:`ForbiddenError`).

A 403 is ambiguous (an expired token, or a resource the account may not use): when a
renewal did not cure a 403 for a resource, :class:`RefusedResources` remembers it and
403s for it renew nothing for :data:`REFUSAL_COOLDOWN` seconds, so a permanently
refused resource costs one request per poll, not a token rotation each time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import logging
import math
import time
from typing import Any, Protocol

import aiohttp

from .errors import (
    AuthenticationError,
    ForbiddenError,
    MalformedResponseError,
    RateLimitError,
)
from .http import HttpResult, request_json

_LOGGER = logging.getLogger(__name__)


# The statuses with which a service refuses a bearer token.
TOKEN_REFUSED = frozenset({401, 403})
# How long a token counts as just obtained when the service has not accepted it yet.
# Past this a refusal renews again: the service may have revoked it since.
FRESH_FOR = 60.0
# How long a 403 that a renewal did not cure stops renewing for that resource.
REFUSAL_COOLDOWN = 900.0
# At most this many refused resources are remembered (the oldest is forgotten).
REFUSAL_MEMORY = 256


class TokenSource(Protocol):
    """Something that hands out bearer tokens."""

    async def async_get_access_token(self) -> str:
        """Return a valid access token, renewing it first when needed."""

    async def async_invalidate(self, token: str) -> bool:
        """Forget a refused ``token``; return whether a retry may succeed.

        Renews at most once for concurrent callers holding the same token. Raises
        :class:`AuthenticationError` when a renewal it runs is refused.
        """

    def is_fresh(self, token: str) -> bool:
        """Return whether ``token`` was just obtained and not yet accepted."""

    def accepted(self, token: str) -> None:
        """Note that the service accepted ``token``."""


class RefusedResources:
    """The resources for which a new token did not cure a 403, for a while.

    Keys are whatever names a resource for the caller (e.g. ``"GET /devices"``).
    """

    def __init__(
        self,
        *,
        cooldown: float = REFUSAL_COOLDOWN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Remember nothing yet."""
        self._cooldown = cooldown
        self._clock = clock
        self._until: dict[str, float] = {}

    def __contains__(self, key: object) -> bool:
        """Return whether a 403 for ``key`` should renew nothing now."""
        until = self._until.get(key) if isinstance(key, str) else None
        return until is not None and self._clock() < until

    def refused(self, key: str) -> None:
        """Note that ``key`` was refused with a token just obtained."""
        now = self._clock()
        self._until = {k: u for k, u in self._until.items() if u > now and k != key}
        while len(self._until) >= REFUSAL_MEMORY:
            del self._until[next(iter(self._until))]
        self._until[key] = now + self._cooldown

    def served(self, key: str) -> None:
        """Forget ``key``: the service answered it."""
        self._until.pop(key, None)


async def send_authorized(
    tokens: TokenSource,
    send: Callable[[str], Awaitable[HttpResult]],
    *,
    refused: RefusedResources | None = None,
    key: str = "",
) -> HttpResult:
    """Send with a bearer token; after a refusal renew once and send once more.

    ``send`` makes one request with the token it is given. A 401 or 403 for a token
    that was not just obtained renews it (when ``tokens`` can) and retries once; the
    second answer is returned whatever it is. A 401 for a token just obtained (or for
    the renewed one) raises :class:`ForbiddenError`: the credentials were accepted
    by the token endpoint, so signing in again would not help. A 403 is returned for
    the caller to map (it may be about the resource, e.g. a restricted action).

    With ``refused``, a 403 for ``key`` that survives a renewal is remembered there,
    and while it is, a 403 for ``key`` is returned without renewing.
    """
    token = await tokens.async_get_access_token()
    result = await send(token)
    fresh = tokens.is_fresh(token)
    known_refusal = result.status == 403 and refused is not None and key in refused
    if (
        result.status in TOKEN_REFUSED
        and not fresh
        and not known_refusal
        and await tokens.async_invalidate(token)
    ):
        _LOGGER.debug("token refused (%s), retrying once with a new one", result.status)
        token = await tokens.async_get_access_token()
        result = await send(token)
        fresh = True
        if result.status == 403 and refused is not None:
            refused.refused(key)
    if result.status not in TOKEN_REFUSED:
        tokens.accepted(token)
        if refused is not None:
            refused.served(key)
    elif result.status == 401 and fresh:
        raise ForbiddenError(
            "the service refuses a token it has just issued: "
            "the credentials lack API access"
        )
    return result


async def async_token_endpoint_post(
    session: aiohttp.ClientSession,
    url: str,
    form: dict[str, str],
    timeout: float,
) -> dict[str, Any]:
    """POST ``form`` to an OAuth2 endpoint and return the JSON object it answers.

    400/401/403 raise :class:`AuthenticationError` (with the OAuth ``error`` code),
    429 :class:`RateLimitError`, 5xx :class:`ApiServerError`, any other non-2xx
    (404 included) :class:`MalformedResponseError`. A 2xx body that is not an
    object comes back as ``{}``.
    """
    result = await request_json(session, "POST", url, data=form, timeout=timeout)
    body = result.body if isinstance(result.body, dict) else {}
    if result.status in (400, 401, 403):
        error = body.get("error")
        code = error if isinstance(error, str) else str(result.status)
        raise AuthenticationError(f"OAuth request rejected ({code})")
    if result.status == 429:
        raise RateLimitError("OAuth request rate limited")
    result.raise_for_common_status()
    if not 200 <= result.status < 300:
        raise MalformedResponseError(f"OAuth endpoint answered {result.status}")
    return dict(body)


def parse_token_answer(
    body: dict[str, Any],
    clock: Callable[[], float],
    *,
    default_expires_in: float,
) -> dict[str, Any]:
    """Check a token answer and add ``expires_at`` (epoch seconds).

    ``expires_in`` defaults to ``default_expires_in`` when absent; a value that is
    not a finite number (a string, a boolean, NaN, infinity) raises
    :class:`MalformedResponseError`, as do a missing ``access_token`` and a
    ``refresh_token`` that is not a string.
    """
    if not isinstance(body.get("access_token"), str):
        raise MalformedResponseError("token response has no access_token")
    expires_in = body.get("expires_in", default_expires_in)
    if (
        not isinstance(expires_in, int | float)
        or isinstance(expires_in, bool)
        or not math.isfinite(expires_in)
    ):
        raise MalformedResponseError("token response has a bad expires_in")
    refresh = body.get("refresh_token")
    if refresh is not None and not isinstance(refresh, str):
        raise MalformedResponseError("token response has a bad refresh_token")
    return {**body, "expires_in": expires_in, "expires_at": clock() + float(expires_in)}


class CallbackTokenSource:
    """Token source backed by the caller, e.g. Home Assistant's OAuth2 session.

    The callback must return a valid access token (refreshing and persisting a rotated
    refresh token itself). A 401 is not retried: the caller's session already did what
    it could, so the error goes up and the caller starts re-authentication.
    """

    def __init__(
        self,
        get_token: Callable[[], Awaitable[str]],
        force_renew: Callable[[str], Awaitable[str]] | None = None,
    ) -> None:
        """Wrap the callbacks.

        ``force_renew(refused)`` renews the caller's token if it is still ``refused``
        (e.g. a refresh through Home Assistant's OAuth session), or else keeps the
        newer one, and returns the current token; without it a refused token is not
        retried.
        """
        self._get_token = get_token
        self._force_renew = force_renew
        self._lock = asyncio.Lock()
        self._fresh: str | None = None
        self._fresh_until = 0.0
        self._last_accepted: str | None = None

    async def async_get_access_token(self) -> str:
        """Return the caller's token."""
        return await self._get_token()

    def is_fresh(self, token: str) -> bool:
        """Return whether ``token`` is the one a forced renewal just gave."""
        return token == self._fresh and time.monotonic() < self._fresh_until

    def accepted(self, token: str) -> None:
        """Stop treating ``token`` as fresh once the service accepted it."""
        self._last_accepted = token
        if token == self._fresh:
            self._fresh = None

    async def async_invalidate(self, token: str) -> bool:
        """Renew through the caller unless the token was already replaced.

        Concurrent callers holding the same refused token wait for one renewal: the
        caller's ``force_renew`` sees that the token is no longer current and keeps
        the one the first renewal gave.
        """
        if self._force_renew is None:
            return False
        async with self._lock:
            current = await self._force_renew(token)
            if current not in (token, self._fresh, self._last_accepted):
                self._fresh = current
                self._fresh_until = time.monotonic() + FRESH_FOR
        return True


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
        # The token the last renewal gave, until the service accepts it once (or
        # FRESH_FOR seconds pass).
        self._fresh: str | None = None
        self._fresh_until = 0.0

    def is_fresh(self, token: str) -> bool:
        """Return whether ``token`` was just obtained and not yet accepted."""
        return token == self._fresh and self._clock() < self._fresh_until

    def accepted(self, token: str) -> None:
        """Once accepted, a later refusal of the token may be fixed by renewing."""
        if token == self._fresh:
            self._fresh = None

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
                    self._fresh = self._cached()[0]
                    self._fresh_until = self._clock() + FRESH_FOR
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
        default_expires_in: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Store the credentials; no request is made until a token is needed.

        ``default_expires_in`` is assumed when the answer has no ``expires_in``
        (Bikeep's tokens live 3600 s).
        """
        super().__init__(renew_margin=renew_margin, clock=clock)
        self._session = session
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._request_timeout = request_timeout
        self._default_expires_in = default_expires_in
        self._token: str | None = None
        self._expires_at = 0.0

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
        form = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        body = await async_token_endpoint_post(
            self._session, self._token_url, form, self._request_timeout
        )
        answer = parse_token_answer(
            body, self._clock, default_expires_in=self._default_expires_in
        )
        self._token = answer["access_token"]
        self._expires_at = answer["expires_at"]
