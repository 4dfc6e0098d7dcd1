"""Reading Bikeep webhook deliveries without a documented format."""

from __future__ import annotations

import json
from typing import Any

import pytest

from custom_components.smart_access.api.bikeep import (
    MalformedWebhookError,
    WebhookKind,
    parse_webhook,
)

LOCATION = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"
DEVICE = "f1e2d3c4-b5a6-7890-abcd-ef1234567890"


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("alarm", WebhookKind.ALARM),
        ("ALARM", WebhookKind.ALARM),
        ("connection-confirmed", WebhookKind.CONNECTION_CONFIRMED),
        ("Connection Confirmed", WebhookKind.CONNECTION_CONFIRMED),
        ("location.connection_confirmed", WebhookKind.CONNECTION_CONFIRMED),
        ("device/status", WebhookKind.STATUS),
        (" connection ", WebhookKind.CONNECTION),
    ],
)
def test_kind_is_recognised_whatever_its_spelling(
    value: str, kind: WebhookKind
) -> None:
    (event,) = parse_webhook(_json({"type": value}))
    assert event.kinds == {kind}


@pytest.mark.parametrize("key", ["type", "event", "event_type", "eventType", "kind"])
def test_kind_is_read_from_the_usual_keys(key: str) -> None:
    (event,) = parse_webhook(_json({key: "alarm"}))
    assert event.kinds == {WebhookKind.ALARM}


def test_other_types_and_keys_are_not_kinds() -> None:
    (event,) = parse_webhook(
        _json(
            {
                "type": "BIKE_LOCKERS",
                "name": "alarm",
                "device": {"type": "LOCKER"},
                "event": {"id": 7},
                "kind": 3,
            }
        )
    )
    assert event.kinds == frozenset()


def test_ids_are_found_anywhere_even_in_uris() -> None:
    body = {
        "type": "status",
        "data": {"device": {"uri": f"/device/v1/devices/{DEVICE}"}},
        "where": [{"location_id": LOCATION}],
    }
    (event,) = parse_webhook(_json(body))
    assert event.matching({LOCATION, DEVICE, "other"}) == {LOCATION, DEVICE}


def test_a_list_is_split_into_its_events() -> None:
    body = [
        {"type": "alarm", "location": {"id": LOCATION}},
        {"type": "connection", "device_id": DEVICE},
    ]
    alarm, connection = parse_webhook(_json(body))
    assert alarm.kinds == {WebhookKind.ALARM}
    assert alarm.matching({LOCATION, DEVICE}) == {LOCATION}
    assert connection.matching({LOCATION, DEVICE}) == {DEVICE}


def test_events_inside_a_batch_see_its_own_ids() -> None:
    body = {
        "location_id": LOCATION,
        "events": [{"event": "alarm", "device": DEVICE}, {"event": "status"}],
    }
    alarm, status = parse_webhook(_json(body))
    assert alarm.matching({LOCATION, DEVICE}) == {LOCATION, DEVICE}
    assert status.matching({LOCATION, DEVICE}) == {LOCATION}


def test_form_bodies_are_read_too() -> None:
    body = f"data[type]=alarm&data[location][id]={LOCATION}&ids[]=a&ids[]=b"
    (event,) = parse_webhook(body.encode())
    assert event.kinds == {WebhookKind.ALARM}
    assert event.matching({LOCATION, "a", "b"}) == {LOCATION, "a", "b"}


@pytest.mark.parametrize("body", [b"", b"  \n", b"[]"])
def test_empty_deliveries_have_no_events(body: bytes) -> None:
    assert parse_webhook(body) == []


def test_an_object_without_a_kind_is_one_event() -> None:
    (event,) = parse_webhook(_json({"hello": "world", "n": 3}))
    assert event.kinds == frozenset()
    assert event.matching({"world", "3"}) == {"world"}


def test_event_values_are_not_in_its_repr() -> None:
    (event,) = parse_webhook(_json({"type": "alarm", "card": "04a2b3c4d5e6f7"}))
    assert "04a2b3c4d5e6f7" not in repr(event)


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe", b"hello", b"{broken", b'"text"', b"42", b"null", b"[1, {}]"],
)
def test_malformed_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(MalformedWebhookError):
        parse_webhook(body)
