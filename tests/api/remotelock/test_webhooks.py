"""Webhook payloads (JSON and the default form encoding) parse like ``/events``."""

from __future__ import annotations

from collections.abc import AsyncIterator
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
import pytest

from custom_components.smart_access.api.errors import MalformedResponseError
from custom_components.smart_access.api.remotelock import (
    AccessEventDetails,
    RemoteLockClient,
    parse_event,
    parse_webhook_payload,
)
from custom_components.smart_access.api.remotelock.models.events import decode_form
from simulator.remotelock import RemoteLockSimulator
from simulator.remotelock.webhooks import form_encode
from simulator.server import serve_app

FORM = "application/x-www-form-urlencoded"
EVENTS = json.loads((Path(__file__).parent / "fixtures" / "events.json").read_text())[
    "data"
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e["type"])
def test_form_encoded_documented_events(event: dict[str, Any]) -> None:
    body = urlencode(form_encode({"data": event}))
    from_form = parse_webhook_payload(body, FORM)
    assert from_form == parse_event(event)
    assert from_form == parse_webhook_payload(body.encode(), FORM + "; charset=utf-8")


def test_form_pairs_and_arrays() -> None:
    decoded = decode_form({"data[id]": "e1", "data[type]": "unlocked_event"})
    assert decoded == {"data": {"id": "e1", "type": "unlocked_event"}}
    assert decode_form("a[b][]=1&a[b][]=2&c=") == {"a": {"b": ["1", "2"]}, "c": ""}
    event = parse_webhook_payload(
        "data[id]=e&data[type]=power_level_low_event&data[attributes][power_level]=7"
        "&data[attributes][occurred_at]=2018-08-28T11:18:22Z",
        FORM,
    )
    assert event.details is not None
    assert getattr(event.details, "power_level", None) == 7
    # an empty value is a null
    blank = "data[id]=e&data[type]=locked_event&data[attributes][status]="
    assert parse_webhook_payload(blank, FORM).status is None


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe",
        "data[attributes][]=x&data[attributes][y]=1",
        "data[a][]=1&data[a][b]=2",
        "data[a][][b]=1",
    ],
)
def test_bad_form_bodies(body: str | bytes) -> None:
    with pytest.raises(MalformedResponseError):
        parse_webhook_payload(body, FORM)


@pytest.mark.parametrize(
    ("name", "value"),
    [("power_level", "lots"), ("connected", "maybe")],
)
def test_form_values_of_the_wrong_kind(name: str, value: str) -> None:
    body = urlencode(
        {
            "data[id]": "e",
            "data[type]": "unlocked_event",
            f"data[attributes][{name}]": value,
        }
    )
    kind = "power_level_low_event" if name == "power_level" else "x_event"
    body = body.replace("unlocked_event", kind)
    if name == "connected":
        # unknown kinds keep their fields raw: nothing to convert, nothing to fail
        assert parse_webhook_payload(body, FORM).raw["connected"] == "maybe"
        return
    with pytest.raises(MalformedResponseError):
        parse_webhook_payload(body, FORM)


@pytest.fixture
async def receiver(
    socket_enabled: None,
) -> AsyncIterator[tuple[str, list[tuple[str, str, bytes]]]]:
    """A webhook endpoint on 127.0.0.1 that records what it receives."""
    received: list[tuple[str, str, bytes]] = []

    async def handle(request: web.Request) -> web.Response:
        received.append(
            (
                request.headers.get("X-Secret", ""),
                request.content_type,
                await request.read(),
            )
        )
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner, url = await serve_app(app, access_log=None)
    yield f"{url}/hook", received
    await runner.cleanup()


@pytest.mark.parametrize("content_type", ["json", "form"])
async def test_delivered_webhook_matches_events_endpoint(
    client: RemoteLockClient,
    sim: RemoteLockSimulator,
    receiver: tuple[str, list[tuple[str, str, bytes]]],
    content_type: str,
) -> None:
    url, received = receiver
    account = await client.async_get_account()
    hook = await client.async_create_webhook_subscriber(
        name="HA", url=url, content_type=content_type, secret="s3cr3t"
    )
    await client.async_create_notification_subscription(
        events=["unlocked", "access_person_used"],
        publisher_type="account",
        publisher_id=account.id,
        subscriber_type=hook.type,
        subscriber_id=hook.id,
    )
    person = next(
        p
        for p in sim.access_persons.values()
        if p["attributes"].get("pin") and sim.person_status(p) == "current"
    )
    lock_id = next(d["id"] for d in sim.devices.values() if d["type"] == "lock")
    await sim.control_trigger(
        "keypad_unlock", {"device_id": lock_id, "pin": person["attributes"]["pin"]}
    )
    await sim.webhooks.flush()
    assert received
    parsed = []
    for secret, mime, body in received:
        assert secret == "s3cr3t"
        parsed.append(parse_webhook_payload(body, mime))
    kinds = {event.kind for event in parsed}
    assert kinds == {"unlocked", "access_person_used"}
    for event in parsed:
        assert event == await client.async_get_event(event.id)
        assert isinstance(event.details, AccessEventDetails)
        assert event.details.pin == person["attributes"]["pin"]


def test_form_value_conversion() -> None:
    from custom_components.smart_access.api.remotelock.models.fields import Attrs

    attrs = Attrs(
        {"on": "true", "off": "false", "n": "12", "f": "0.5", "s": "", "bad": "x"},
        "t",
        form=True,
    )
    assert attrs.opt_bool("on") is True
    assert attrs.opt_bool("off") is False
    assert attrs.opt_int("n") == 12
    assert attrs.opt_float("f") == 0.5
    assert attrs.opt_str("s") is None
    with pytest.raises(MalformedResponseError):
        attrs.opt_bool("bad")
    with pytest.raises(MalformedResponseError):
        attrs.opt_float("bad")
