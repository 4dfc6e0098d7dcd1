"""Every error family: resource, general, 401, 403, 404, 429, 5xx, timeout,
connection refused, malformed JSON and unexpected shapes; plus rate-limit headers,
the request headers and body form, and secrets kept out of errors and logs.
"""

# ruff: noqa: DTZ001  (naive local times are what the API speaks)

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import json
import logging
import socket
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest

from custom_components.smart_access.api.auth import (
    CallbackTokenSource,
    ClientCredentialsTokenSource,
)
from custom_components.smart_access.api.errors import (
    ApiConnectionError,
    ApiResponseError,
    ApiServerError,
    ApiTimeoutError,
    ForbiddenError,
    MalformedResponseError,
    NotFoundError,
    RateLimitError,
    SmartAccessApiError,
    ValidationError,
)
from custom_components.smart_access.api.remotelock import (
    LockUpdate,
    RateLimit,
    RemoteLockClient,
    Week,
)
from simulator.remotelock import RemoteLockSimulator
from simulator.server import RunningSimulator

from .conftest import ShapeServer


def _latest(client: RemoteLockClient) -> RateLimit:
    """Return the client's latest rate limit (a function: no stale narrowing)."""
    assert client.rate_limit is not None
    return client.rate_limit


async def _token() -> str:
    return "1/shape-token"


@pytest.fixture
def shape_client(
    shapes: ShapeServer, http_session: aiohttp.ClientSession
) -> RemoteLockClient:
    return RemoteLockClient(
        http_session, CallbackTokenSource(_token), api_url=shapes.url + "/"
    )


# -- documented error families against the simulator -------------------------------


async def test_resource_error(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    taken = next(
        p["attributes"]["pin"]
        for p in sim.access_persons.values()
        if p["attributes"].get("pin")
    )
    with pytest.raises(ValidationError) as err:
        await client.async_create_access_user(name="Dup", pin=taken)
    fields = {e.attribute: e for e in err.value.field_errors}
    assert "pin" in fields
    assert fields["pin"].messages == ("has already been taken",)
    assert fields["pin"].full_messages == ("pin has already been taken",)
    assert taken not in str(err.value)


async def test_resource_error_several_fields(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    lock_id = next(d["id"] for d in sim.devices.values() if d["type"] == "lock")
    with pytest.raises(ValidationError) as err:
        await client.async_update_device(
            lock_id, LockUpdate(wake_wifi="never", power_source="nuclear")
        )
    assert {e.attribute for e in err.value.field_errors} >= {
        "wake_wifi",
        "power_source",
    }


async def test_missing_credential_checked_before_sending(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    sim.requests.clear()
    with pytest.raises(ValidationError) as err:
        await client.async_create_access_user(name="No PIN")
    assert err.value.field_errors[0].attribute == "pin"
    with pytest.raises(ValidationError):
        await client.async_create_access_guest(
            name="Backwards",
            pin="5555",
            starts_at=datetime(2030, 1, 2),
            ends_at=datetime(2030, 1, 1),
        )
    with pytest.raises(ValidationError):  # aware times are refused, not guessed
        await client.async_create_access_guest(
            name="Aware",
            pin="5555",
            starts_at=datetime(2030, 1, 1, tzinfo=UTC),
            ends_at=datetime(2030, 1, 2, tzinfo=UTC),
        )
    assert sim.requests.count(path="/access_persons") == 0


async def test_general_error(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    thermostat_id = next(
        d["id"] for d in sim.devices.values() if d["type"] == "thermostat"
    )
    with pytest.raises(ApiResponseError) as err:
        await client.async_lock_device(thermostat_id)
    assert err.value.status == 400
    assert err.value.error_type == "unsupported_action"
    assert "not supported" in err.value.message


async def test_forbidden(client: RemoteLockClient, sim: RemoteLockSimulator) -> None:
    user = await client.async_create_access_user(name="Temp", pin="424242")
    await client.async_deactivate_access_person(user.id)
    with pytest.raises(ForbiddenError) as err:
        await client.async_update_access_person(user.id, name="Again")
    assert "424242" not in str(err.value)


async def test_not_found(client: RemoteLockClient) -> None:
    with pytest.raises(NotFoundError):
        await client.async_get_device("00000000-0000-0000-0000-000000000000")
    with pytest.raises(NotFoundError):
        await client.async_unlock_acs_door("nope")


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_error(
    client: RemoteLockClient, sim: RemoteLockSimulator, status: int
) -> None:
    sim.faults.add("server_error", status=status, path="/devices")
    with pytest.raises(ApiServerError) as err:
        await client.async_list_devices()
    assert err.value.status == status
    assert isinstance(err.value, ApiConnectionError)
    # the next request works again
    assert len(await client.async_list_devices()) == len(sim.devices)


async def test_timeout(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    token_source: ClientCredentialsTokenSource,
    sim: RemoteLockSimulator,
) -> None:
    client = RemoteLockClient(
        http_session, token_source, api_url=remotelock_sim.url, request_timeout=0.3
    )
    sim.faults.add("timeout", delay=0.8, path="/account")
    with pytest.raises(ApiTimeoutError):
        await client.async_get_account()
    await asyncio.sleep(0.8)  # let the simulator finish its slow answer


async def test_connection_refused(
    http_session: aiohttp.ClientSession, socket_enabled: None
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = RemoteLockClient(
        http_session, CallbackTokenSource(_token), api_url=f"http://127.0.0.1:{port}"
    )
    with pytest.raises(ApiConnectionError) as err:
        await client.async_get_account()
    assert not isinstance(err.value, ApiTimeoutError | ApiServerError)


async def test_malformed_json(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    sim.faults.add("malformed", path="/devices")
    with pytest.raises(MalformedResponseError):
        await client.async_list_devices()


async def test_wrong_types_in_simulator_state(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    lock = next(d for d in sim.devices.values() if d["type"] == "lock")
    lock["attributes"]["power_level"] = "full"
    with pytest.raises(MalformedResponseError) as err:
        await client.async_get_device(lock["id"])
    assert "power_level" in str(err.value)


# -- rate limit --------------------------------------------------------------------


async def test_rate_limit_headers_and_429(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    assert client.rate_limit is None
    sim.rate_limit.limit = 3
    sim.rate_limit.reset_counters()
    before = datetime.now(UTC)
    await client.async_get_account()
    first = _latest(client)
    assert (first.limit, first.remaining) == (3, 2)
    assert first.reset_at > before - timedelta(seconds=1)
    assert first.reset_at.tzinfo is not None
    assert first.observed_at >= before
    await client.async_get_account()
    await client.async_get_account()
    assert _latest(client).remaining == 0
    with pytest.raises(RateLimitError) as err:
        await client.async_get_account()
    assert err.value.reset_at == first.reset_at
    assert _latest(client).remaining == 0


async def test_rate_limit_fault(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    sim.faults.add("rate_limit", path="/events")
    with pytest.raises(RateLimitError) as err:
        await client.async_list_events()
    assert err.value.reset_at is not None


# -- unexpected shapes (a server that answers anything) --------------------------------


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, {"nothing": "here"}),
        (200, None),
        (200, []),
        (200, {"data": {"id": "x"}}),
        (200, {"data": {"type": "account", "id": "x", "attributes": "oops"}}),
        (200, {"data": "text"}),
    ],
)
async def test_unexpected_single_shapes(
    shapes: ShapeServer, shape_client: RemoteLockClient, status: int, body: Any
) -> None:
    shapes.queue(status, body)
    with pytest.raises(MalformedResponseError):
        await shape_client.async_get_account()


@pytest.mark.parametrize(
    "body",
    [
        {"data": {"type": "lock", "id": "x"}},
        {"data": []},
        {"data": [], "meta": {"page": 1}},
        {
            "data": [42],
            "meta": {"page": 1, "per_page": 50, "total_pages": 1, "total_count": 1},
        },
    ],
)
async def test_unexpected_collection_shapes(
    shapes: ShapeServer, shape_client: RemoteLockClient, body: Any
) -> None:
    shapes.queue(200, body)
    with pytest.raises(MalformedResponseError):
        await shape_client.async_list_devices()


async def test_command_answering_another_type(
    shapes: ShapeServer, shape_client: RemoteLockClient
) -> None:
    shapes.queue(200, {"data": {"type": "thermostat", "id": "t"}})
    with pytest.raises(MalformedResponseError):
        await shape_client.async_lock_device("t")
    shapes.queue(200, {"data": {"type": "lock", "id": "l"}})
    with pytest.raises(MalformedResponseError):
        await shape_client.async_power_on("l")
    shapes.queue(200, {"data": {"type": "access_schedule", "id": "s"}})
    with pytest.raises(MalformedResponseError):
        await shape_client.async_create_thermostat_schedule(
            name="x",
            week=Week(),
        )


async def test_other_statuses(
    shapes: ShapeServer, shape_client: RemoteLockClient
) -> None:
    shapes.queue(418)
    with pytest.raises(ApiResponseError) as err:
        await shape_client.async_get_account()
    assert err.value.status == 418
    shapes.queue(
        409,
        {
            "message": "Please create a subscription",
            "type": "billing_subscription_required",
        },
    )
    with pytest.raises(ApiResponseError) as err:
        await shape_client.async_get_account()
    assert err.value.error_type == "billing_subscription_required"
    assert err.value.message == "Please create a subscription"
    shapes.queue(403)
    with pytest.raises(ForbiddenError):
        await shape_client.async_get_account()
    shapes.queue(500, "<html>oops</html>")
    with pytest.raises(ApiServerError):
        await shape_client.async_get_account()


async def test_resource_error_without_attribute(
    shapes: ShapeServer, shape_client: RemoteLockClient
) -> None:
    shapes.queue(
        422,
        {
            "attributes": {"name": "", "pin": "8642"},
            "errors": [
                {
                    "attribute": None,
                    "messages": [
                        "Subuser creation limit reached, please upgrade your account."
                    ],
                    "full_messages": [
                        "Subuser creation limit reached, please upgrade your account."
                    ],
                },
                "junk",
                {"attribute": "name", "messages": ["is empty"]},
            ],
        },
    )
    with pytest.raises(ValidationError) as err:
        await shape_client.async_create_access_user(name="x", pin="8642")
    errors = err.value.field_errors
    assert errors[0].attribute is None
    assert "limit reached" in str(err.value)
    assert errors[1].attribute == "name"
    assert errors[1].full_messages == ()
    assert "is empty" in str(err.value)
    assert "8642" not in str(err.value)


def _rate_headers(remaining: str, reset: str) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": "120",
        "X-RateLimit-Remaining": remaining,
        "X-RateLimit-Reset": reset,
    }


async def test_rate_limit_headers_missing_or_garbage(
    shapes: ShapeServer, shape_client: RemoteLockClient
) -> None:
    account = {"data": {"type": "account", "id": "a"}}
    shapes.queue(200, account, _rate_headers("x", "1"))
    await shape_client.async_get_account()
    assert shape_client.rate_limit is None
    shapes.queue(200, account, _rate_headers("5", "1e20"))
    await shape_client.async_get_account()
    assert shape_client.rate_limit is None
    shapes.queue(200, account, _rate_headers("5", "1452626187"))
    await shape_client.async_get_account()
    assert _latest(shape_client).reset_at == datetime(
        2016, 1, 12, 19, 16, 27, tzinfo=UTC
    )
    shapes.queue(429, {"message": "slow down"})
    with pytest.raises(RateLimitError) as err:
        await shape_client.async_get_account()
    assert err.value.reset_at is None


async def test_listing_stops_on_empty_page(
    shapes: ShapeServer, shape_client: RemoteLockClient
) -> None:
    """A server claiming more pages than it serves cannot make the client loop."""
    meta = {"page": 1, "per_page": 50, "total_pages": 9, "total_count": 400}
    shapes.queue(200, {"data": [{"type": "lock", "id": "a"}], "meta": meta})
    shapes.queue(200, {"data": [], "meta": {**meta, "page": 2}})
    devices = await shape_client.async_list_devices()
    assert [d.id for d in devices] == ["a"]
    assert len(shapes.seen) == 2


# -- what goes over the wire ---------------------------------------------------------------


async def test_request_headers_and_body_form(
    remotelock_sim: RunningSimulator,
    token_source: ClientCredentialsTokenSource,
    sim: RemoteLockSimulator,
    socket_enabled: None,
) -> None:
    seen: list[tuple[str, str, dict[str, str]]] = []

    async def on_headers(
        session: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        params: aiohttp.TraceRequestHeadersSentParams,
    ) -> None:
        seen.append((params.method, params.url.path, dict(params.headers)))

    trace = aiohttp.TraceConfig()
    trace.on_request_headers_sent.append(on_headers)  # type: ignore[arg-type]
    bodies: list[Any] = []

    async def on_chunk(
        session: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        params: aiohttp.TraceRequestChunkSentParams,
    ) -> None:
        bodies.append(params.chunk)

    trace.on_request_chunk_sent.append(on_chunk)  # type: ignore[arg-type]
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        client = RemoteLockClient(session, token_source, api_url=remotelock_sim.url)
        await client.async_create_group(name="Warehouse doors")
    api = [s for s in seen if not s[1].startswith("/oauth")]
    assert len(api) == 1
    method, path, headers = api[0]
    assert (method, path) == ("POST", "/groups")
    assert headers["Accept"] == "application/vnd.lockstate+json; version=1"
    assert headers["Authorization"].startswith("Bearer ")
    assert headers["Content-Type"].startswith("application/json")
    sent = json.loads(b"".join(c for c in bodies if c.startswith(b'{"type"')))
    assert sent == {"type": "door_group", "attributes": {"name": "Warehouse doors"}}


async def test_secrets_stay_out_of_logs(
    client: RemoteLockClient, sim: RemoteLockSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        user = await client.async_create_access_user(
            name="Secret",
            pin="775533",
            email="hidden@example.com",
            card_number="99887766",
        )
        await client.async_get_access_person(user.id)
        sim.faults.add("unauthorized", count=1, path="/account")
        await client.async_get_account()
    text = caplog.text
    for secret in ("775533", "hidden@example.com", "99887766", "sim-remotelock-secret"):
        assert secret not in text
    for token in sim.oauth.tokens:
        assert token not in text
    assert "POST /access_persons -> 201" in text


def test_every_error_is_typed() -> None:
    for cls in (
        ApiConnectionError,
        ApiResponseError,
        ApiServerError,
        ApiTimeoutError,
        ForbiddenError,
        MalformedResponseError,
        NotFoundError,
        RateLimitError,
        ValidationError,
    ):
        assert issubclass(cls, SmartAccessApiError)
