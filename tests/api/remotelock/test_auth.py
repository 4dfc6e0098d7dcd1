"""Tokens: client credentials, authorization code with rotating refresh tokens,
concurrent renewals, 401 -> invalidate -> retry once, revocation.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from custom_components.smart_access.api.auth import (
    CallbackTokenSource,
    ClientCredentialsTokenSource,
)
from custom_components.smart_access.api.errors import (
    ApiServerError,
    AuthenticationError,
    ForbiddenError,
    MalformedResponseError,
    PaymentRequiredError,
    RateLimitError,
)
from custom_components.smart_access.api.remotelock import (
    AUTHORIZE_PATH,
    DEFAULT_OAUTH_URL,
    TOKEN_PATH,
    RefreshTokenSource,
    RemoteLockClient,
    async_exchange_code,
    async_refresh_token,
    async_revoke_token,
    build_authorize_url,
)
from simulator.remotelock import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_USER_EMAIL,
    DEFAULT_USER_PASSWORD,
    RemoteLockSimulator,
)
from simulator.server import RunningSimulator

from .conftest import ShapeServer

REDIRECT = "http://127.0.0.1/oauth_callback"


async def _sign_in(session: aiohttp.ClientSession, base: str) -> str:
    """Sign in on the simulator's authorize page and return the code."""
    url = build_authorize_url(DEFAULT_CLIENT_ID, REDIRECT, oauth_url=base, state="xyz")
    async with session.get(url) as page:
        assert page.status == 200
    query = parse_qs(urlsplit(url).query)
    form = {k: v[0] for k, v in query.items()}
    form |= {"email": DEFAULT_USER_EMAIL, "password": DEFAULT_USER_PASSWORD}
    async with session.post(
        base + AUTHORIZE_PATH, data=form, allow_redirects=False
    ) as resp:
        assert resp.status == 302
        location = urlsplit(resp.headers["Location"])
    params = parse_qs(location.query)
    assert params["state"] == ["xyz"]
    return params["code"][0]


async def _exchange(
    session: aiohttp.ClientSession, base: str, sim: RemoteLockSimulator
) -> dict[str, Any]:
    code = await _sign_in(session, base)
    return await async_exchange_code(
        session,
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        code=code,
        redirect_uri=REDIRECT,
        oauth_url=base,
        clock=lambda: sim.clock.now().timestamp(),
    )


async def _refresh(
    session: aiohttp.ClientSession, base: str, refresh_token: str
) -> dict[str, Any]:
    return await async_refresh_token(
        session,
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        refresh_token=refresh_token,
        oauth_url=base,
    )


def _refresh_source(
    session: aiohttp.ClientSession, base: str, token: dict[str, Any], **kwargs: Any
) -> RefreshTokenSource:
    return RefreshTokenSource(
        session,
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        token=token,
        oauth_url=base,
        **kwargs,
    )


def test_build_authorize_url() -> None:
    url = build_authorize_url("abc", "http://your.server/oauth_callback")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == DEFAULT_OAUTH_URL
    assert parts.path == AUTHORIZE_PATH
    assert parse_qs(parts.query) == {
        "client_id": ["abc"],
        "response_type": ["code"],
        "redirect_uri": ["http://your.server/oauth_callback"],
    }


async def test_client_credentials_concurrent_requests_share_one_token(
    client: RemoteLockClient,
    token_source: ClientCredentialsTokenSource,
    sim: RemoteLockSimulator,
) -> None:
    results = await asyncio.gather(*(client.async_get_account() for _ in range(20)))
    assert {r.id for r in results} == {sim.account["id"]}
    assert token_source.token_requests == 1
    assert sim.requests.count("POST", TOKEN_PATH) == 1
    assert sim.requests.count("GET", "/account") == 20


async def test_expired_token_is_renewed_after_401(
    client: RemoteLockClient,
    token_source: ClientCredentialsTokenSource,
    sim: RemoteLockSimulator,
) -> None:
    await client.async_get_account()
    sim.clock.advance(
        7200 + 1
    )  # the simulator's token expires; our clock does not know
    sim.rate_limit.reset_counters()
    account = await client.async_get_account()
    assert account.id == sim.account["id"]
    assert token_source.token_requests == 2
    statuses = [e.status for e in sim.requests.entries if e.path == "/account"]
    assert statuses == [200, 401, 200]


async def test_refused_again_after_renewal_is_forbidden(
    client: RemoteLockClient,
    token_source: ClientCredentialsTokenSource,
    sim: RemoteLockSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await client.async_get_account()
    sim.faults.add("unauthorized", count=2, path="/account")
    with caplog.at_level(logging.DEBUG), pytest.raises(ForbiddenError) as err:
        await client.async_get_account()
    assert sim.requests.count("GET", "/account") == 3
    assert token_source.token_requests == 2
    tokens = [t.access_token for t in sim.oauth.tokens.values()]
    assert tokens
    for token in tokens:
        assert token not in str(err.value)
        assert token not in caplog.text


async def test_single_401_is_retried_once(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    await client.async_get_account()
    sim.faults.add("unauthorized", count=1, path="/devices")
    devices = await client.async_list_devices()
    assert len(devices) == len(sim.devices)
    assert [e.status for e in sim.requests.entries if e.path == "/devices"] == [
        401,
        200,
    ]


@pytest.mark.parametrize("status", [401, 403])
async def test_expired_token_renewed_for_either_status(
    client: RemoteLockClient,
    token_source: ClientCredentialsTokenSource,
    sim: RemoteLockSimulator,
    status: int,
) -> None:
    """RemoteLock's 403 "The access token expired" renews the token like a 401."""
    await client.async_get_account()
    await sim.control_trigger("auth_behaviour", {"expired_token_status": status})
    await sim.control_trigger("expire_tokens", {})
    results = await asyncio.gather(*(client.async_get_account() for _ in range(5)))
    assert {r.id for r in results} == {sim.account["id"]}
    assert token_source.token_requests == 2  # one renewal for all five
    statuses = [e.status for e in sim.requests.entries if e.path == "/account"]
    assert statuses.count(status) == 5


async def test_missing_permission_and_payment_required(
    client: RemoteLockClient,
    token_source: ClientCredentialsTokenSource,
    sim: RemoteLockSimulator,
) -> None:
    """A path refused with a fresh token is ForbiddenError; 402 PaymentRequiredError."""
    await client.async_get_account()
    await sim.control_trigger("auth_behaviour", {"forbidden_paths": ["/devices"]})
    with pytest.raises(ForbiddenError):
        await client.async_list_devices()
    assert sim.requests.count("GET", "/devices") == 2  # no loop
    assert token_source.token_requests == 2
    await sim.control_trigger(
        "auth_behaviour", {"forbidden_paths": [], "payment_required": True}
    )
    with pytest.raises(PaymentRequiredError):
        await client.async_get_account()


async def test_callback_token_source_does_not_retry(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    sim: RemoteLockSimulator,
) -> None:
    calls = 0

    async def get_token() -> str:
        nonlocal calls
        calls += 1
        return "1/not-a-valid-token"

    client = RemoteLockClient(
        http_session, CallbackTokenSource(get_token), api_url=remotelock_sim.url
    )
    with pytest.raises(AuthenticationError) as err:
        await client.async_get_account()
    assert "not-a-valid-token" not in str(err.value)
    assert calls == 1
    assert sim.requests.count("GET", "/account") == 1


async def test_bad_client_credentials(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    source = ClientCredentialsTokenSource(
        http_session, remotelock_sim.url + TOKEN_PATH, DEFAULT_CLIENT_ID, "wrong-secret"
    )
    client = RemoteLockClient(http_session, source, api_url=remotelock_sim.url)
    with pytest.raises(AuthenticationError) as err:
        await client.async_get_account()
    assert "wrong-secret" not in str(err.value)


async def test_authorization_code_and_rotation(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    sim: RemoteLockSimulator,
) -> None:
    base = remotelock_sim.url
    first = await _exchange(http_session, base, sim)
    assert first["token_type"].lower() == "bearer"
    assert first["expires_in"] == 7200
    assert isinstance(first["refresh_token"], str)
    second = await _refresh(http_session, base, first["refresh_token"])
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    # the old refresh token is single use: rejected now
    with pytest.raises(AuthenticationError) as err:
        await _refresh(http_session, base, first["refresh_token"])
    assert first["refresh_token"] not in str(err.value)
    assert "invalid_grant" in str(err.value)


async def test_code_cannot_be_used_twice(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    base = remotelock_sim.url
    code = await _sign_in(http_session, base)
    kwargs: dict[str, Any] = {
        "client_id": DEFAULT_CLIENT_ID,
        "client_secret": DEFAULT_CLIENT_SECRET,
        "code": code,
        "redirect_uri": REDIRECT,
        "oauth_url": base,
    }
    await async_exchange_code(http_session, **kwargs)
    with pytest.raises(AuthenticationError):
        await async_exchange_code(http_session, **kwargs)
    with pytest.raises(AuthenticationError):
        await async_exchange_code(http_session, **{**kwargs, "code": "bogus"})


async def test_refresh_token_source_rotates_and_reports(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    sim: RemoteLockSimulator,
) -> None:
    base = remotelock_sim.url
    token = await _exchange(http_session, base, sim)
    updates: list[dict[str, Any]] = []

    async def on_update(new: dict[str, Any]) -> None:
        updates.append(new)

    source = _refresh_source(
        http_session,
        base,
        token,
        on_update=on_update,
        clock=lambda: sim.clock.now().timestamp(),
    )
    client = RemoteLockClient(http_session, source, api_url=base)
    await client.async_get_account()
    assert source.token_requests == 0
    sim.clock.advance(7200 - 30)  # inside the renewal margin
    sim.rate_limit.reset_counters()
    sim.requests.clear()
    accounts = await asyncio.gather(*(client.async_get_account() for _ in range(15)))
    assert len(accounts) == 15
    assert source.token_requests == 1
    assert sim.requests.count("POST", TOKEN_PATH) == 1
    assert sim.requests.count("GET", "/account") == 15  # no 401 on the way
    assert len(updates) == 1
    assert updates[0]["refresh_token"] != token["refresh_token"]
    assert source.token["refresh_token"] == updates[0]["refresh_token"]
    # the caller's copy of the old refresh token is dead
    with pytest.raises(AuthenticationError):
        await _refresh(http_session, base, token["refresh_token"])


async def test_refresh_token_source_after_401_and_revocation(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    sim: RemoteLockSimulator,
) -> None:
    base = remotelock_sim.url
    token = await _exchange(http_session, base, sim)
    updates: list[dict[str, Any]] = []
    source = _refresh_source(http_session, base, token, on_update=updates.append)
    client = RemoteLockClient(http_session, source, api_url=base)
    # a 401 makes the source refresh (sync callback) and the request is retried
    sim.faults.add("unauthorized", count=1, path="/user")
    assert (await client.async_get_user()).id == sim.state.user["id"]
    assert source.token_requests == 1
    assert len(updates) == 1
    # revoking the access token also kills its refresh token: sign in again
    await async_revoke_token(
        http_session,
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        token=source.token["access_token"],
        oauth_url=base,
    )
    with pytest.raises(AuthenticationError):
        await client.async_get_user()


async def test_revoke_rejects_bad_client(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    with pytest.raises(AuthenticationError):
        await async_revoke_token(
            http_session,
            client_id=DEFAULT_CLIENT_ID,
            client_secret="nope",
            token="1/whatever",
            oauth_url=remotelock_sim.url,
        )


async def test_refresh_token_source_without_refresh_token(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    source = _refresh_source(
        http_session, remotelock_sim.url, {"access_token": "1/old", "expires_at": 0}
    )
    assert await source.async_invalidate("1/old") is False
    with pytest.raises(AuthenticationError):
        await source.async_get_access_token()


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (429, {"message": "slow"}, RateLimitError),
        (503, {"message": "down"}, ApiServerError),
        (302, None, MalformedResponseError),
        (200, {"token_type": "Bearer"}, MalformedResponseError),
        (200, {"access_token": "a", "expires_in": "soon"}, MalformedResponseError),
        (200, {"access_token": "a", "refresh_token": 5}, MalformedResponseError),
        (200, "not json", MalformedResponseError),
    ],
)
async def test_oauth_answers_that_are_wrong(
    shapes: ShapeServer,
    http_session: aiohttp.ClientSession,
    status: int,
    body: Any,
    error: type[Exception],
) -> None:
    shapes.queue(status, body)
    with pytest.raises(error):
        await async_refresh_token(
            http_session,
            client_id="c",
            client_secret="s",
            refresh_token="r",
            oauth_url=shapes.url,
        )
    assert shapes.seen == ["POST /oauth/token"]


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (429, {"message": "slow"}, RateLimitError),
        (404, {"error": "not_found"}, MalformedResponseError),
        (401, {"error": "invalid_client"}, AuthenticationError),
        (503, {"message": "down"}, ApiServerError),
        (200, '{"access_token": "a", "expires_in": NaN}', MalformedResponseError),
        (200, '{"access_token": "a", "expires_in": Infinity}', MalformedResponseError),
        (200, {"access_token": "a", "expires_in": "NaN"}, MalformedResponseError),
        (200, {"access_token": "a", "expires_in": True}, MalformedResponseError),
        (200, {"expires_in": 60}, MalformedResponseError),
    ],
)
async def test_client_credentials_answers_that_are_wrong(
    shapes: ShapeServer,
    http_session: aiohttp.ClientSession,
    status: int,
    body: Any,
    error: type[Exception],
) -> None:
    """The client-credentials grant reads the token endpoint like the OAuth helpers."""
    shapes.queue(status, body)
    source = ClientCredentialsTokenSource(
        http_session, shapes.url + TOKEN_PATH, "c", "s"
    )
    with pytest.raises(error):
        await source.async_get_access_token()
    assert shapes.seen == ["POST /oauth/token"]


async def test_client_credentials_default_lifetime(
    shapes: ShapeServer, http_session: aiohttp.ClientSession
) -> None:
    """Without ``expires_in`` the default lifetime applies; the token is then cached."""
    shapes.queue(200, {"access_token": "a"})
    source = ClientCredentialsTokenSource(
        http_session,
        shapes.url + TOKEN_PATH,
        "c",
        "s",
        default_expires_in=7200,
        clock=lambda: 1000.0,
    )
    assert await source.async_get_access_token() == "a"
    assert source._cached() == ("a", 1000.0 + 7200)
    assert await source.async_get_access_token() == "a"
    assert len(shapes.seen) == 1


async def test_refresh_without_rotation_keeps_refresh_token(
    shapes: ShapeServer, http_session: aiohttp.ClientSession
) -> None:
    """A server that does not rotate: the old refresh token is kept."""
    shapes.queue(200, {"access_token": "1/new", "expires_in": 7200})
    source = RefreshTokenSource(
        http_session,
        client_id="c",
        client_secret="s",
        token={"access_token": "1/old", "refresh_token": "r1", "expires_at": 0},
        oauth_url=shapes.url,
    )
    assert await source.async_get_access_token() == "1/new"
    assert source.token["refresh_token"] == "r1"
    assert await source.async_invalidate("1/other") is True
    assert await source.async_get_access_token() == "1/new"  # still valid: no request
    assert len(shapes.seen) == 1


def test_client_keeps_base_url(
    client: RemoteLockClient, remotelock_sim: RunningSimulator
) -> None:
    assert client.api_url == remotelock_sim.url


async def test_concurrent_401s_renew_once(
    client: RemoteLockClient,
    token_source: ClientCredentialsTokenSource,
    sim: RemoteLockSimulator,
) -> None:
    """Many requests hit an expired token at once: one renewal, each retried once."""
    await client.async_get_account()
    sim.clock.advance(7201)
    sim.rate_limit.reset_counters()
    sim.requests.clear()
    users = await asyncio.gather(*(client.async_get_user() for _ in range(12)))
    assert len(users) == 12
    assert token_source.token_requests == 2
    assert sim.requests.count("POST", TOKEN_PATH) == 1
    statuses = sorted(e.status for e in sim.requests.entries if e.path == "/user")
    assert statuses == [200] * 12 + [401] * 12
