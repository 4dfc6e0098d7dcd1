"""Bikeep simulator: OAuth2 client-credentials grant, bearer checks, token expiry."""

from __future__ import annotations

import base64

import aiohttp
import pytest

from simulator.bikeep import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    SECOND_CLIENT_ID,
    SECOND_CLIENT_SECRET,
)
from simulator.bikeep.scenario import (
    LOCKER_1,
    PUBLIC_AREA_ID,
    SECOND_OPERATOR_LOCATION_ID,
    WHITELIST_EMPLOYEES,
)
from simulator.server import RunningSimulator

from .bikeep_helpers import Api, bk, fetch_token

FORM = {
    "grant_type": "client_credentials",
    "client_id": DEFAULT_CLIENT_ID,
    "client_secret": DEFAULT_CLIENT_SECRET,
}


async def test_token_grant_returns_bearer_token_for_one_hour(
    bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    async with http_session.post(f"{bikeep_sim.url}/oauth2/token", data=FORM) as resp:
        assert resp.status == 200
        body = await resp.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["access_token"]
    second = await fetch_token(http_session, bikeep_sim.url)
    assert second != body["access_token"]
    assert bk(bikeep_sim).tokens.issued == 2


@pytest.mark.parametrize(
    ("changes", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "nobody"}, 401, "invalid_client"),
        ({"client_secret": None}, 401, "invalid_client"),
        ({"client_id": SECOND_CLIENT_ID}, 401, "invalid_client"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": "authorization_code"}, 400, "unsupported_grant_type"),
        ({"grant_type": None}, 400, "invalid_request"),
    ],
)
async def test_token_grant_failures(
    bikeep_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    changes: dict[str, str | None],
    status: int,
    error: str,
) -> None:
    form = {k: v for k, v in {**FORM, **changes}.items() if v is not None}
    async with http_session.post(f"{bikeep_sim.url}/oauth2/token", data=form) as resp:
        assert resp.status == status
        body = await resp.json()
    assert body["error"] == error
    assert "access_token" not in body
    assert bk(bikeep_sim).tokens.issued == 0


async def test_token_grant_rejects_json_body(
    bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    async with http_session.post(f"{bikeep_sim.url}/oauth2/token", json=FORM) as resp:
        assert resp.status == 400
        assert (await resp.json())["error"] == "invalid_request"


async def test_token_grant_accepts_http_basic_client_auth(
    bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    basic = base64.b64encode(f"{SECOND_CLIENT_ID}:{SECOND_CLIENT_SECRET}".encode())
    async with http_session.post(
        f"{bikeep_sim.url}/oauth2/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic.decode()}"},
    ) as resp:
        assert resp.status == 200
        token = (await resp.json())["access_token"]
    api = Api(http_session, bikeep_sim, token)
    reply = await api.get("/location/v1/locations")
    assert [loc["id"] for loc in reply.body["data"]] == [SECOND_OPERATOR_LOCATION_ID]


@pytest.mark.parametrize(
    "path",
    [
        "/location/v1/locations",
        f"/device/v1/devices/{LOCKER_1}",
        f"/whitelist/v1/whitelists/{WHITELIST_EMPLOYEES}/entities",
    ],
)
@pytest.mark.parametrize(
    "authorization", [None, "Bearer not-a-token", "Basic abc", "Bearer "]
)
async def test_services_need_a_valid_bearer(
    bikeep_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    path: str,
    authorization: str | None,
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    async with http_session.get(f"{bikeep_sim.url}{path}", headers=headers) as resp:
        assert resp.status == 401
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")
        assert (await resp.json())["error"] == "unauthorized"


async def test_command_post_needs_a_bearer(
    bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = Api(http_session, bikeep_sim, "forged")
    reply = await api.post(
        f"/device/v1/devices/{LOCKER_1}/commands", {"command": "lock"}
    )
    assert reply.status == 401
    assert bk(bikeep_sim).state.commands == {}


async def test_token_expires_after_3600_seconds_of_simulated_time(
    bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = Api(http_session, bikeep_sim, await fetch_token(http_session, bikeep_sim.url))
    bikeep_sim.sim.clock.advance(3590)
    assert (await api.get("/location/v1/locations")).status == 200
    bikeep_sim.sim.clock.advance(11)
    reply = await api.get("/location/v1/locations")
    assert reply.status == 401
    assert reply.body["message"] == "access token expired"
    api.token = await fetch_token(http_session, bikeep_sim.url)
    assert (await api.get("/location/v1/locations")).status == 200


async def test_expire_tokens_trigger_revokes_every_token(
    bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = Api(http_session, bikeep_sim, await fetch_token(http_session, bikeep_sim.url))
    reply = await api.trigger("expire_tokens")
    assert reply.body == {"revoked": 1}
    assert (await api.get("/location/v1/locations")).status == 401


async def test_public_area_listing_needs_no_token(
    bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = Api(http_session, bikeep_sim, "")
    reply = await api.get(
        f"/location/v1/public-areas/{PUBLIC_AREA_ID}/locations", auth=False
    )
    assert reply.status == 200
    assert len(reply.body["data"]) == 2


async def test_operators_see_only_their_own_objects(
    bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    token = await fetch_token(
        http_session, bikeep_sim.url, SECOND_CLIENT_ID, SECOND_CLIENT_SECRET
    )
    other = Api(http_session, bikeep_sim, token)
    assert (await other.get(f"/device/v1/devices/{LOCKER_1}")).status == 404
    assert (
        await other.post(f"/device/v1/devices/{LOCKER_1}/commands", {"command": "book"})
    ).status == 404
    assert (
        await other.get(f"/whitelist/v1/whitelists/{WHITELIST_EMPLOYEES}/entities")
    ).status == 404
    main = Api(
        http_session, bikeep_sim, await fetch_token(http_session, bikeep_sim.url)
    )
    command = await main.command(LOCKER_1, "book")
    assert (await other.get(command["uri"])).status == 404
    devices = await other.get(
        f"/device/v1/locations/{SECOND_OPERATOR_LOCATION_ID}/devices"
    )
    assert devices.status == 200
    assert (
        await main.get(f"/device/v1/locations/{SECOND_OPERATOR_LOCATION_ID}/devices")
    ).status == 404


@pytest.mark.parametrize("header", ["Basic !!!not-base64", "Basic " + "bm9jb2xvbg=="])
async def test_token_grant_with_broken_basic_auth(
    bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession, header: str
) -> None:
    async with http_session.post(
        f"{bikeep_sim.url}/oauth2/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": header},
    ) as resp:
        assert resp.status == 401
        assert (await resp.json())["error"] == "invalid_client"
