"""RemoteLock simulator: webhook deliveries (JSON and form) with X-Secret, retries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from simulator.remotelock import scenario as sc
from simulator.server import RunningSimulator, serve_app

from .remotelock_helpers import Api, make_api


@dataclass
class Receiver:
    """A webhook endpoint on 127.0.0.1 that records what it gets."""

    url: str = ""
    status: int = 200
    received: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
async def receiver(socket_enabled: None) -> AsyncIterator[Receiver]:
    rec = Receiver()

    async def handle(request: web.Request) -> web.Response:
        rec.received.append(
            {
                "secret": request.headers.get("X-Secret"),
                "content_type": request.content_type,
                "json": await request.json()
                if request.content_type == "application/json"
                else None,
                "form": dict(await request.post())
                if request.content_type != "application/json"
                else None,
            }
        )
        return web.Response(status=rec.status)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner, url = await serve_app(app)
    rec.url = f"{url}/hook"
    yield rec
    await runner.cleanup()


async def _subscribe(
    api: Api,
    url: str,
    content_type: str,
    publisher_type: str,
    publisher_id: str,
    events: tuple[str, ...] = ("unlocked", "locked"),
) -> str:
    """Add a webhook subscriber for ``url`` and subscribe it to the publisher."""
    attributes = {
        "name": "HA",
        "url": url,
        "content_type": content_type,
        "secret": "s3cr3t",
    }
    reply = await api.post_attrs(
        "/notification_subscribers", attributes, kind="webhook_notification_subscriber"
    )
    assert reply.status == 201
    subscriber = reply.body["data"]["id"]
    reply = await api.post_attrs(
        "/notification_subscriptions",
        {
            "events": [{"event_type": e} for e in events],
            "publisher_type": publisher_type,
            "publisher_id": publisher_id,
            "subscriber_type": "webhook_notification_subscriber",
            "subscriber_id": subscriber,
        },
    )
    assert reply.status == 201, reply.body
    return str(subscriber)


async def test_json_delivery_with_secret(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    receiver: Receiver,
) -> None:
    api = await make_api(http_session, remotelock_sim)
    account_id = remotelock_sim.sim.account["id"]
    subscriber = await _subscribe(api, receiver.url, "json", "account", account_id)
    await api.put(f"/devices/{sc.FRONT_DOOR_ID}/unlock")
    await remotelock_sim.sim.async_flush_webhooks()
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got["secret"] == "s3cr3t"
    assert got["content_type"] == "application/json"
    event = got["json"]["data"]
    assert event["type"] == "unlocked_event"
    same = (await api.get(f"/events/{event['id']}")).body["data"]
    assert event == same
    attempt = remotelock_sim.sim.webhooks.attempts[-1]
    assert (attempt.subscriber_id, attempt.status, attempt.ok) == (
        subscriber,
        200,
        True,
    )
    # Events the subscription does not list are not delivered.
    await api.put(f"/devices/{sc.POWER_PLUG_ID}/power_off")
    await remotelock_sim.sim.async_flush_webhooks()
    assert len(receiver.received) == 1


async def test_form_delivery(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    receiver: Receiver,
) -> None:
    api = await make_api(http_session, remotelock_sim)
    await _subscribe(api, receiver.url, "form", "lock", sc.CANAL_DOOR_ID)
    await api.put(f"/devices/{sc.FRONT_DOOR_ID}/lock")  # another lock: not delivered
    await api.put(f"/devices/{sc.CANAL_DOOR_ID}/lock")
    await remotelock_sim.sim.async_flush_webhooks()
    assert len(receiver.received) == 1
    form = receiver.received[0]["form"]
    assert receiver.received[0]["content_type"] == "application/x-www-form-urlencoded"
    assert receiver.received[0]["secret"] == "s3cr3t"
    assert form["data[type]"] == "locked_event"
    assert form["data[attributes][publisher_id]"] == sc.CANAL_DOOR_ID
    assert form["data[attributes][method]"] == "api"
    assert form["data[attributes][pin]"] == ""
    assert form["data[links][self]"].endswith(form["data[id]"])


async def test_location_subscription_and_trigger_events(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    receiver: Receiver,
) -> None:
    api = await make_api(http_session, remotelock_sim)
    await _subscribe(
        api,
        receiver.url,
        "json",
        "location",
        sc.AMSTERDAM_ID,
        ("temperature_changed", "connectivity"),
    )
    await remotelock_sim.sim.control_trigger(
        "thermostat_reading", {"device_id": sc.CANAL_THERMOSTAT_ID, "temperature": 19.0}
    )
    await remotelock_sim.sim.control_trigger(
        "thermostat_reading", {"device_id": sc.THERMOSTAT_ID, "temperature": 70.0}
    )
    await remotelock_sim.sim.control_trigger(
        "device_offline", {"device_id": sc.CANAL_DOOR_ID}
    )
    await remotelock_sim.sim.async_flush_webhooks()
    assert [r["json"]["data"]["type"] for r in receiver.received] == [
        "temperature_changed_event",
        "connectivity_event",
    ]
    assert receiver.received[0]["json"]["data"]["attributes"]["temperature"] == 19.0


async def test_failed_delivery_is_retried_hourly(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    receiver: Receiver,
) -> None:
    sim = remotelock_sim.sim
    api = await make_api(http_session, remotelock_sim)
    await _subscribe(api, receiver.url, "json", "account", sim.account["id"])
    receiver.status = 500
    await api.put(f"/devices/{sc.BACK_DOOR_ID}/unlock")  # no auto-lock: one event only
    await sim.async_flush_webhooks()
    assert [a.status for a in sim.webhooks.attempts] == [500]
    sim.clock.advance(1800)
    await sim.control_trigger("settle", {})
    await sim.async_flush_webhooks()
    assert len(sim.webhooks.attempts) == 1
    receiver.status = 204
    sim.clock.advance(1801)
    await sim.control_trigger("settle", {})
    await sim.async_flush_webhooks()
    assert [(a.status, a.attempt) for a in sim.webhooks.attempts] == [
        (500, 1),
        (204, 2),
    ]
    assert sim.webhooks.retries == []
    assert len(receiver.received) == 2


async def test_webhook_deactivated_after_72_hours(
    remotelock_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    receiver: Receiver,
) -> None:
    sim = remotelock_sim.sim
    api = await make_api(http_session, remotelock_sim)
    subscriber = await _subscribe(
        api, receiver.url, "json", "account", sim.account["id"]
    )
    receiver.status = 503
    await api.put(f"/devices/{sc.FRONT_DOOR_ID}/lock")
    await sim.async_flush_webhooks()
    for _ in range(73):
        sim.clock.advance(3600)
        await sim.control_trigger("settle", {})
        await sim.async_flush_webhooks()
    assert 70 <= len(sim.webhooks.attempts) <= 74
    assert sim.notification_subscribers[subscriber]["attributes"]["active"] is False
    count = len(sim.webhooks.attempts)
    await sim.control_trigger("keypad_unlock", {"device_id": sc.FRONT_DOOR_ID})
    await sim.async_flush_webhooks()
    assert len(sim.webhooks.attempts) == count


async def test_unreachable_receiver_is_recorded(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    sim = remotelock_sim.sim
    api = await make_api(http_session, remotelock_sim)
    await _subscribe(
        api, "http://127.0.0.1:9/closed", "json", "account", sim.account["id"]
    )
    await api.put(f"/devices/{sc.FRONT_DOOR_ID}/unlock")
    await sim.async_flush_webhooks()
    attempt = sim.webhooks.attempts[-1]
    assert attempt.status is None
    assert attempt.error
    assert len(sim.webhooks.retries) == 1


async def test_inactive_default_webhook_is_not_called(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    await api.put(f"/devices/{sc.FRONT_DOOR_ID}/unlock")
    await remotelock_sim.sim.async_flush_webhooks()
    assert remotelock_sim.sim.webhooks.attempts == []
