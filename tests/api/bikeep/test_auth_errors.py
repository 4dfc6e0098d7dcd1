"""Authentication, typed errors and injected faults."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
import logging
from typing import Any

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy
import pytest

from custom_components.smart_access.api.auth import (
    FRESH_FOR,
    CallbackTokenSource,
    ClientCredentialsTokenSource,
)
from custom_components.smart_access.api.bikeep import (
    TOKEN_PATH,
    BikeepClient,
    CommandName,
    RfidEntity,
)
from custom_components.smart_access.api.bikeep.responses import (
    error_message,
    field_errors,
    raise_for_status,
    retry_after,
)
from custom_components.smart_access.api.errors import (
    ApiConnectionError,
    ApiResponseError,
    ApiServerError,
    ApiTimeoutError,
    AuthenticationError,
    FieldError,
    ForbiddenError,
    MalformedResponseError,
    NotFoundError,
    PaymentRequiredError,
    RateLimitError,
    ValidationError,
)
from custom_components.smart_access.api.http import HttpResult
from simulator.bikeep import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    BikeepSimulator,
    scenario as sc,
)
from simulator.server import RunningSimulator

LOCATIONS = "/location/v1/locations"

type Call = Callable[[BikeepClient], Awaitable[Any]]

EVERY_ENDPOINT: list[tuple[str, Call]] = [
    ("/location/v1/locations", lambda c: c.async_list_locations()),
    (
        "/location/v1/public-areas/",
        lambda c: c.async_list_public_area_locations(sc.PUBLIC_AREA_ID),
    ),
    (
        "/device/v1/locations/",
        lambda c: c.async_list_devices(sc.LOCKERS_LOCATION_ID),
    ),
    ("/device/v1/devices/", lambda c: c.async_get_device(sc.LOCKER_1)),
    (
        "/device/v1/devices/",
        lambda c: c.async_send_command(sc.LOCKER_1, CommandName.LOCK),
    ),
    (
        "/whitelist/v1/locations/",
        lambda c: c.async_list_whitelists(sc.LOCKERS_LOCATION_ID),
    ),
    (
        "/whitelist/v1/whitelists/",
        lambda c: c.async_list_entities(sc.WHITELIST_EMPLOYEES),
    ),
    (
        "/whitelist/v1/whitelists/",
        lambda c: c.async_list_targets(sc.WHITELIST_EMPLOYEES),
    ),
    (
        "/whitelist/v1/whitelists/",
        lambda c: c.async_add_entities(sc.WHITELIST_COMMUTERS, [RfidEntity("0a0b")]),
    ),
]
ENDPOINT_IDS = [
    "locations",
    "public",
    "devices",
    "device",
    "command",
    "whitelists",
    "entities",
    "targets",
    "add",
]


# -- tokens -------------------------------------------------------------------
async def test_token_is_cached(
    client: BikeepClient, sim: BikeepSimulator, tokens: ClientCredentialsTokenSource
) -> None:
    for _ in range(3):
        await client.async_list_locations()
    assert tokens.token_requests == 1
    assert sim.requests.count("POST", TOKEN_PATH) == 1
    assert sim.tokens.issued == 1


async def test_token_is_renewed_before_expiry(
    client: BikeepClient, sim: BikeepSimulator, tokens: ClientCredentialsTokenSource
) -> None:
    await client.async_list_locations()
    sim.clock.advance(3000)  # 10 minutes left: still good
    await client.async_list_locations()
    assert tokens.token_requests == 1
    sim.clock.advance(570)  # 30 s left, inside the renewal margin
    await client.async_list_locations()
    assert tokens.token_requests == 2
    # No request was ever answered 401: renewal came first.
    assert all(entry.status == 200 for entry in sim.requests.entries)


async def test_rate_limited_token_request(
    client: BikeepClient, sim: BikeepSimulator, tokens: ClientCredentialsTokenSource
) -> None:
    """A 429 from the token endpoint is a rate limit, not a malformed answer."""
    sim.faults.add("rate_limit", path=TOKEN_PATH)
    with pytest.raises(RateLimitError):
        await client.async_list_locations()
    assert sim.requests.count("GET", LOCATIONS) == 0
    assert len(await client.async_list_locations()) == 2  # the next call recovers
    assert tokens.token_requests == 2


async def test_concurrent_callers_share_one_token_request(
    client: BikeepClient, sim: BikeepSimulator, tokens: ClientCredentialsTokenSource
) -> None:
    results = await asyncio.gather(*(client.async_list_locations() for _ in range(10)))
    assert all(len(result) == 2 for result in results)
    assert tokens.token_requests == 1
    assert sim.requests.count("POST", TOKEN_PATH) == 1


async def test_401_renews_the_token_and_retries_once(
    client: BikeepClient, sim: BikeepSimulator, tokens: ClientCredentialsTokenSource
) -> None:
    await client.async_list_locations()
    await sim.control_trigger("expire_tokens", {})  # the service forgets the token
    assert len(await client.async_list_locations()) == 2
    assert tokens.token_requests == 2
    assert [
        entry.status for entry in sim.requests.entries if entry.path == LOCATIONS
    ] == [
        200,
        401,
        200,
    ]


async def test_refused_again_after_renewal_is_forbidden(
    client: BikeepClient, sim: BikeepSimulator, tokens: ClientCredentialsTokenSource
) -> None:
    """The new token works at the token endpoint, not here: a permission problem."""
    await client.async_list_locations()
    sim.faults.add("unauthorized", count=2, path=LOCATIONS)
    with pytest.raises(ForbiddenError):
        await client.async_list_locations()
    assert sim.requests.count("GET", LOCATIONS) == 3  # one retry, no more
    assert tokens.token_requests == 2


async def test_a_token_just_obtained_is_not_renewed_again(
    client: BikeepClient, sim: BikeepSimulator, tokens: ClientCredentialsTokenSource
) -> None:
    """A refusal of the token the client has just fetched does not loop."""
    sim.faults.add("unauthorized", count=5, path=LOCATIONS)
    with pytest.raises(ForbiddenError):
        await client.async_list_locations()
    assert sim.requests.count("GET", LOCATIONS) == 1
    assert tokens.token_requests == 1


async def test_a_refused_fresh_token_is_renewed_once_it_is_no_longer_fresh(
    bikeep_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    sim: BikeepSimulator,
) -> None:
    """Freshness lapses: a token never accepted can still be renewed later."""
    now = [1_000_000.0]
    tokens = ClientCredentialsTokenSource(
        http_session,
        bikeep_sim.url + TOKEN_PATH,
        DEFAULT_CLIENT_ID,
        DEFAULT_CLIENT_SECRET,
        clock=lambda: now[0],
    )
    client = BikeepClient(http_session, tokens, api_url=bikeep_sim.url)
    sim.faults.add("unauthorized", count=1, path=LOCATIONS)
    with pytest.raises(ForbiddenError):
        await client.async_list_locations()
    assert tokens.token_requests == 1
    now[0] += FRESH_FOR + 1
    sim.faults.add("unauthorized", count=1, path=LOCATIONS)
    assert len(await client.async_list_locations()) == 2
    assert tokens.token_requests == 2


@pytest.mark.parametrize("status", [401, 403])
async def test_expired_token_renewed_for_either_status(
    client: BikeepClient,
    sim: BikeepSimulator,
    tokens: ClientCredentialsTokenSource,
    status: int,
) -> None:
    """Whichever status the service uses for an expired token, one renewal fixes it."""
    await client.async_list_locations()
    await sim.control_trigger("auth_behaviour", {"expired_token_status": status})
    await sim.control_trigger("expire_tokens", {})
    results = await asyncio.gather(*(client.async_list_locations() for _ in range(5)))
    assert all(len(result) == 2 for result in results)
    assert tokens.token_requests == 2  # concurrent calls shared one renewal
    statuses = [e.status for e in sim.requests.entries if e.path == LOCATIONS]
    assert statuses.count(status) == 5
    assert statuses.count(200) == 6


async def test_missing_permission_and_payment_required(
    client: BikeepClient, sim: BikeepSimulator, tokens: ClientCredentialsTokenSource
) -> None:
    """403 for a resource after renewal is ForbiddenError; 402 is PaymentRequiredError."""
    await client.async_list_locations()
    await sim.control_trigger("auth_behaviour", {"forbidden_paths": [LOCATIONS]})
    with pytest.raises(ForbiddenError):
        await client.async_list_locations()
    assert tokens.token_requests == 2
    await sim.control_trigger(
        "auth_behaviour", {"forbidden_paths": [], "payment_required": True}
    )
    with pytest.raises(PaymentRequiredError):
        await client.async_list_locations()
    assert tokens.token_requests == 2


async def test_wrong_credentials(
    bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    tokens = ClientCredentialsTokenSource(
        http_session, bikeep_sim.url + TOKEN_PATH, DEFAULT_CLIENT_ID, "wrong"
    )
    client = BikeepClient(http_session, tokens, api_url=bikeep_sim.url)
    with pytest.raises(AuthenticationError, match="invalid_client"):
        await client.async_list_locations()


async def test_callback_token_source_is_not_retried(
    bikeep_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    sim: BikeepSimulator,
) -> None:
    async def stale() -> str:
        return "stale-token"

    client = BikeepClient(
        http_session, CallbackTokenSource(stale), api_url=bikeep_sim.url
    )
    with pytest.raises(AuthenticationError, match="unknown access token"):
        await client.async_list_locations()
    assert sim.requests.count("GET", LOCATIONS) == 1


async def test_second_operator_sees_only_its_own(
    bikeep_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    from simulator.bikeep import SECOND_CLIENT_ID, SECOND_CLIENT_SECRET

    tokens = ClientCredentialsTokenSource(
        http_session,
        bikeep_sim.url + TOKEN_PATH,
        SECOND_CLIENT_ID,
        SECOND_CLIENT_SECRET,
    )
    client = BikeepClient(http_session, tokens, api_url=bikeep_sim.url)
    assert [loc.id for loc in await client.async_list_locations()] == [
        sc.SECOND_OPERATOR_LOCATION_ID
    ]


# -- status families ----------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, ValidationError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ApiResponseError),
        (422, ValidationError),
        (500, ApiServerError),
        (502, ApiServerError),
        (503, ApiServerError),
    ],
)
async def test_status_families(
    client: BikeepClient, sim: BikeepSimulator, status: int, error: type[Exception]
) -> None:
    sim.faults.add("server_error", status=status, path=LOCATIONS)
    with pytest.raises(error) as caught:
        await client.async_list_locations()
    if isinstance(caught.value, ApiServerError | ApiResponseError):
        assert caught.value.status == status
    assert sim.requests.count("GET", LOCATIONS) == 1  # nothing but 401 is retried


async def test_rate_limit_fault_has_reset_time(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    sim.faults.add("rate_limit", path=LOCATIONS)
    before = sim.clock.now()
    with pytest.raises(RateLimitError) as caught:
        await client.async_list_locations()
    assert caught.value.reset_at is not None
    assert before + timedelta(seconds=1) <= caught.value.reset_at
    assert caught.value.reset_at <= sim.clock.now() + timedelta(seconds=1)


async def test_service_rate_limit(client: BikeepClient, sim: BikeepSimulator) -> None:
    await sim.control_trigger("set_rate_limit", {"requests": 3, "per_seconds": 60})
    await client.async_list_locations()  # token + 1 request
    await client.async_list_locations()
    with pytest.raises(RateLimitError, match="too many requests") as caught:
        await client.async_list_locations()
    reset_at = caught.value.reset_at
    assert reset_at is not None
    assert timedelta(seconds=55) < reset_at - sim.clock.now() <= timedelta(seconds=61)
    sim.clock.advance(61)
    assert len(await client.async_list_locations()) == 2


@pytest.mark.parametrize(("path", "call"), EVERY_ENDPOINT, ids=ENDPOINT_IDS)
async def test_malformed_body_on_every_endpoint(
    client: BikeepClient, sim: BikeepSimulator, path: str, call: Call
) -> None:
    sim.faults.add("malformed", path=path)
    with pytest.raises(MalformedResponseError):
        await call(client)


@pytest.mark.parametrize(("path", "call"), EVERY_ENDPOINT, ids=ENDPOINT_IDS)
async def test_server_error_on_every_endpoint(
    client: BikeepClient, sim: BikeepSimulator, path: str, call: Call
) -> None:
    sim.faults.add("server_error", path=path)
    with pytest.raises(ApiServerError):
        await call(client)


async def test_command_poll_malformed(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    command = await client.async_send_command(sc.LOCKER_1, CommandName.BOOK)
    sim.faults.add("malformed", path="/device/v1/commands/")
    with pytest.raises(MalformedResponseError):
        await client.async_get_command(command.id)


async def test_timeout(
    bikeep_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    tokens: ClientCredentialsTokenSource,
    sim: BikeepSimulator,
) -> None:
    client = BikeepClient(
        http_session, tokens, api_url=bikeep_sim.url, request_timeout=0.2
    )
    sim.faults.add("timeout", delay=1.0, path=LOCATIONS)
    with pytest.raises(ApiTimeoutError):
        await client.async_list_locations()


async def test_cancellation_during_a_request_propagates(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    """Cancelling a caller mid-request cancels it; it is not a connection error."""
    sim.faults.add("timeout", delay=1.0, path=LOCATIONS)
    task = asyncio.create_task(client.async_list_locations())
    await asyncio.sleep(0.3)  # the token is fetched; the list request hangs
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_connection_refused(
    http_session: aiohttp.ClientSession, tokens: ClientCredentialsTokenSource
) -> None:
    client = BikeepClient(http_session, tokens, api_url="http://127.0.0.1:1")
    await tokens.async_get_access_token()
    with pytest.raises(ApiConnectionError):
        await client.async_list_locations()


async def test_secrets_never_reach_the_logs(
    client: BikeepClient,
    sim: BikeepSimulator,
    tokens: ClientCredentialsTokenSource,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await client.async_list_locations()
    await client.async_add_entities(
        sc.WHITELIST_COMMUTERS, [RfidEntity("0c:0d:0e:0f"), RfidEntity("zz9911")]
    )
    await client.async_remove_entities(sc.WHITELIST_EMPLOYEES, [sc.RFID_JOHN, "1234ab"])
    await client.async_list_entities(sc.WHITELIST_CONTRACTORS)
    token = await tokens.async_get_access_token()
    assert "/location/v1/locations" in caplog.text  # debug logging is on
    for secret in (
        token,
        DEFAULT_CLIENT_SECRET,
        "0c0d0e0f",
        "0c:0d:0e:0f",
        "zz9911",
        sc.RFID_JOHN,
        sc.RFID_JANE,
        "1234ab",
    ):
        assert secret not in caplog.text


# -- response helpers (pure) --------------------------------------------------
def _result(
    status: int, body: Any, headers: dict[str, str] | None = None
) -> HttpResult:
    return HttpResult(status, CIMultiDictProxy(CIMultiDict(headers or {})), body)


NOW = datetime(2026, 2, 26, 10, 0, tzinfo=UTC)


def test_retry_after_forms() -> None:
    assert retry_after(
        _result(429, None, {"Retry-After": "30"}), NOW
    ) == NOW + timedelta(seconds=30)
    assert retry_after(
        _result(429, None, {"Retry-After": "Thu, 26 Feb 2026 10:05:00 GMT"}), NOW
    ) == NOW + timedelta(minutes=5)
    assert retry_after(_result(429, None, {"Retry-After": "soon"}), NOW) is None
    assert (
        retry_after(
            _result(429, None, {"Retry-After": "Thu, 26 Feb 2026 10:05:00 -0000"}), NOW
        )
        is None
    )  # RFC 2822 "-0000" means unknown zone
    assert retry_after(_result(429, None), NOW) is None
    with pytest.raises(RateLimitError) as caught:
        raise_for_status(_result(429, {}), lambda: NOW)
    assert caught.value.reset_at is None


def test_error_bodies() -> None:
    assert error_message({"error": "x", "message": "Readable"}) == "Readable"
    assert error_message({"error_description": "client failed"}) == "client failed"
    assert error_message("plain text") == "plain text"
    assert error_message([1]) == ""
    assert field_errors({"errors": {"id": "bad", "status": ["a", "b"], "n": 3}}) == (
        FieldError("id", ("bad",)),
        FieldError("status", ("a", "b")),
    )
    assert field_errors(
        {"errors": [{"field": "id", "message": "bad"}, "whole", {"reason": "r"}, 5]}
    ) == (
        FieldError("id", ("bad",)),
        FieldError(None, ("whole",)),
        FieldError(None, ("r",)),
    )
    assert field_errors(None) == ()
    with pytest.raises(ValidationError) as caught:
        raise_for_status(
            _result(422, {"message": "invalid", "errors": {"id": ["bad"]}}), lambda: NOW
        )
    assert caught.value.field_errors == (FieldError("id", ("bad",)),)
    with pytest.raises(ApiResponseError) as response_error:
        raise_for_status(_result(418, {"code": "teapot"}), lambda: NOW)
    assert response_error.value.error_type == "teapot"
    assert response_error.value.message == "unexpected answer"
    raise_for_status(_result(204, None), lambda: NOW)
