"""OAuth host of the RemoteLock simulator: every grant, rotation, expiry, revocation."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp

from simulator.remotelock import DEFAULT_USER_EMAIL, DEFAULT_USER_PASSWORD
from simulator.server import RunningSimulator

from .remotelock_helpers import CLIENT, Api

REDIRECT = "https://my.home-assistant.io/redirect/oauth"


async def _authorize(
    session: aiohttp.ClientSession,
    url: str,
    *,
    state: str = "xyz",
    password: str = DEFAULT_USER_PASSWORD,
) -> aiohttp.ClientResponse:
    params = {
        "client_id": CLIENT["client_id"],
        "response_type": "code",
        "redirect_uri": REDIRECT,
        "state": state,
    }
    return await session.post(
        f"{url}/oauth/authorize",
        params=params,
        data={"email": DEFAULT_USER_EMAIL, "password": password},
        allow_redirects=False,
    )


async def _code(session: aiohttp.ClientSession, url: str) -> str:
    async with await _authorize(session, url) as resp:
        assert resp.status == 302
        return parse_qs(urlsplit(resp.headers["Location"]).query)["code"][0]


async def _token(
    session: aiohttp.ClientSession, url: str, form: dict[str, str], **kwargs: Any
) -> tuple[int, dict]:
    """POST /oauth/token; return the status and the JSON answer."""
    async with session.post(f"{url}/oauth/token", data=form, **kwargs) as resp:
        return resp.status, await resp.json()


async def _exchange(
    session: aiohttp.ClientSession, url: str, code: str
) -> tuple[int, dict]:
    form = {
        **CLIENT,
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
    }
    return await _token(session, url, form)


async def _signed_in(session: aiohttp.ClientSession, url: str) -> dict:
    """Sign in, exchange the code and return the token pair."""
    status, tokens = await _exchange(session, url, await _code(session, url))
    assert status == 200
    return tokens


async def _refresh(
    session: aiohttp.ClientSession, url: str, refresh: str
) -> tuple[int, dict]:
    form = {**CLIENT, "grant_type": "refresh_token", "refresh_token": refresh}
    return await _token(session, url, form)


def _authorize_page(
    session: aiohttp.ClientSession, url: str, client_id: str, **params: str
) -> Any:
    """GET the sign-in page (a context manager giving the response)."""
    query = {"client_id": client_id, "response_type": "code", "redirect_uri": REDIRECT}
    return session.get(f"{url}/oauth/authorize", params={**query, **params})


async def test_authorize_page_shows_sign_in_form(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    async with _authorize_page(
        http_session, remotelock_sim.url, CLIENT["client_id"], state="s1"
    ) as resp:
        assert resp.status == 200
        assert resp.content_type == "text/html"
        page = await resp.text()
    assert '<form method="post"' in page
    assert 'name="password"' in page
    assert 'name="state" value="s1"' in page


async def test_authorize_redirects_with_code_and_state(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    async with await _authorize(
        http_session, remotelock_sim.url, state="abc123"
    ) as resp:
        assert resp.status == 302
        location = urlsplit(resp.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["abc123"]
    assert query["code"][0]


async def test_wrong_password_reshows_form_with_error(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    async with await _authorize(
        http_session, remotelock_sim.url, password="nope"
    ) as resp:
        assert resp.status == 200
        page = await resp.text()
    assert "Invalid e-mail or password" in page
    assert '<form method="post"' in page


async def test_unknown_client_or_redirect_is_error_page(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    async with _authorize_page(http_session, remotelock_sim.url, "nobody") as resp:
        assert resp.status == 400
        assert "Unknown client_id" in await resp.text()
    remotelock_sim.sim.load_scenario(
        {
            **remotelock_sim.sim.default_scenario(),
            "applications": [
                {**CLIENT, "redirect_uris": ["https://allowed.example/cb"]}
            ],
        }
    )
    async with _authorize_page(
        http_session, remotelock_sim.url, CLIENT["client_id"]
    ) as resp:
        assert resp.status == 400
        assert "redirect_uri" in await resp.text()
    async with _authorize_page(
        http_session,
        remotelock_sim.url,
        CLIENT["client_id"],
        response_type="token",
        redirect_uri="https://allowed.example/cb",
    ) as resp:
        assert resp.status == 400


async def test_code_exchange_gives_working_tokens_and_code_is_single_use(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    code = await _code(http_session, remotelock_sim.url)
    status, body = await _exchange(http_session, remotelock_sim.url, code)
    assert status == 200
    assert set(body) == {"access_token", "expires_in", "token_type", "refresh_token"}
    assert body["expires_in"] == 7200
    assert body["token_type"] == "Bearer"
    api = Api(http_session, remotelock_sim, body["access_token"])
    reply = await api.get("/user")
    assert reply.status == 200
    assert reply.body["data"]["attributes"]["email"] == DEFAULT_USER_EMAIL
    status, again = await _exchange(http_session, remotelock_sim.url, code)
    assert status == 400
    assert again["error"] == "invalid_grant"
    # Reusing a code revokes what it issued (RFC 6749 4.1.2).
    assert (await api.get("/account")).status == 401


async def test_code_expires_after_ten_minutes(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    code = await _code(http_session, remotelock_sim.url)
    remotelock_sim.sim.clock.advance(601)
    status, body = await _exchange(http_session, remotelock_sim.url, code)
    assert (status, body["error"]) == (400, "invalid_grant")


async def test_code_redirect_uri_must_match(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    code = await _code(http_session, remotelock_sim.url)
    form = {
        **CLIENT,
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": "https://other/cb",
    }
    status, body = await _token(http_session, remotelock_sim.url, form)
    assert (status, body["error"]) == (400, "invalid_grant")


async def test_refresh_rotates_and_old_refresh_token_is_refused(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    first = await _signed_in(http_session, remotelock_sim.url)
    status, second = await _refresh(
        http_session, remotelock_sim.url, first["refresh_token"]
    )
    assert status == 200
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["expires_in"] == 7200
    status, reused = await _refresh(
        http_session, remotelock_sim.url, first["refresh_token"]
    )
    assert status == 400
    assert reused["error"] == "invalid_grant"
    status, third = await _refresh(
        http_session, remotelock_sim.url, second["refresh_token"]
    )
    assert status == 200
    api = Api(http_session, remotelock_sim, third["access_token"])
    assert (await api.get("/account")).status == 200
    # The access token of a used refresh token no longer works.
    assert (await api.get("/account", token=first["access_token"])).status == 401


async def test_client_credentials_has_no_refresh_token(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    status, body = await _token(
        http_session, remotelock_sim.url, {**CLIENT, "grant_type": "client_credentials"}
    )
    assert status == 200
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert (
        remotelock_sim.sim.oauth.tokens[body["access_token"]].account_id
        == remotelock_sim.sim.account["id"]
    )


async def test_client_credentials_via_basic_auth(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    basic = base64.b64encode(
        f"{CLIENT['client_id']}:{CLIENT['client_secret']}".encode()
    ).decode()
    status, _ = await _token(
        http_session,
        remotelock_sim.url,
        {"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert status == 200


async def test_bad_client_and_bad_grant(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    wrong_secret = {**CLIENT, "client_secret": "wrong"}
    for form, status, error in [
        ({**wrong_secret, "grant_type": "client_credentials"}, 401, "invalid_client"),
        ({**CLIENT, "grant_type": "password"}, 400, "unsupported_grant_type"),
        ({**CLIENT, "grant_type": "refresh_token"}, 400, "invalid_request"),
    ]:
        reply_status, body = await _token(http_session, remotelock_sim.url, form)
        assert (reply_status, body["error"]) == (status, error)
    assert remotelock_sim.sim.oauth.token_requests == 3


async def test_token_expires_after_7200_seconds(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    tokens = await _signed_in(http_session, remotelock_sim.url)
    api = Api(http_session, remotelock_sim, tokens["access_token"])
    remotelock_sim.sim.clock.advance(7199)
    assert (await api.get("/account")).status == 200
    remotelock_sim.sim.clock.advance(2)
    reply = await api.get("/account")
    assert reply.status == 401
    assert set(reply.body) == {"message", "type"}
    # The refresh token outlives the access token.
    status, fresh = await _refresh(
        http_session, remotelock_sim.url, tokens["refresh_token"]
    )
    assert status == 200
    assert (await api.get("/account", token=fresh["access_token"])).status == 200


async def test_revoke_access_and_refresh_tokens(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    tokens = await _signed_in(http_session, remotelock_sim.url)
    api = Api(http_session, remotelock_sim, tokens["access_token"])
    assert (await api.get("/account")).status == 200
    async with http_session.post(
        f"{remotelock_sim.url}/oauth/revoke",
        data={"client_id": "x", "client_secret": "y", "token": tokens["access_token"]},
    ) as resp:
        assert resp.status == 401
    async with http_session.post(
        f"{remotelock_sim.url}/oauth/revoke",
        data={**CLIENT, "token": tokens["access_token"]},
    ) as resp:
        assert resp.status == 200
    assert (await api.get("/account")).status == 401
    status, body = await _refresh(
        http_session, remotelock_sim.url, tokens["refresh_token"]
    )
    assert (status, body["error"]) == (400, "invalid_grant")


async def test_revoke_refresh_token_revokes_its_access_token(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    tokens = await _signed_in(http_session, remotelock_sim.url)
    async with http_session.post(
        f"{remotelock_sim.url}/oauth/revoke",
        data={**CLIENT, "token": tokens["refresh_token"]},
    ) as resp:
        assert resp.status == 200
    api = Api(http_session, remotelock_sim, tokens["access_token"])
    assert (await api.get("/account")).status == 401


async def test_bearer_checks(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    async with http_session.get(f"{remotelock_sim.url}/devices") as resp:
        assert resp.status == 401
        assert "WWW-Authenticate" in resp.headers
    async with http_session.get(
        f"{remotelock_sim.url}/devices", headers={"Authorization": "Bearer nope"}
    ) as resp:
        assert resp.status == 401
    async with http_session.get(
        f"{remotelock_sim.url}/v1/devices", headers={"Authorization": "Basic abc"}
    ) as resp:
        assert resp.status == 401
        body = await resp.json()
    assert body["type"] == "unauthorized"
    assert re.match(r"^\w", body["message"])
