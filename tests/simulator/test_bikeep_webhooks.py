"""Bikeep simulator webhooks: endpoints registered "by Bikeep staff", and what is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
import json
from typing import Any

from aiohttp import web
import pytest

from simulator.bikeep import BikeepSimulator
from simulator.bikeep.scenario import (
    DOCK_1,
    DOCKS_LOCATION_ID,
    GUARD_C1,
    LOCKER_1,
    LOCKERS_LOCATION_ID,
)
from simulator.server import RunningSimulator, serve_app

from .bikeep_helpers import bk


class Receiver:
    """An HTTP endpoint on 127.0.0.1 that records what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, bytes]] = []
        self.status = 200
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((request.content_type, await request.read()))
        return web.Response(status=self.status)

    def bodies(self) -> list[Any]:
        return [json.loads(body) for _, body in self.received]


@pytest.fixture
async def receiver(socket_enabled: None) -> AsyncIterator[Receiver]:
    found = Receiver()
    app = web.Application()
    app.router.add_post("/hook", found.handle)
    runner, url = await serve_app(app)
    found.url = f"{url}/hook"
    yield found
    await runner.cleanup()


@pytest.fixture
async def sim(bikeep_sim: RunningSimulator, receiver: Receiver) -> BikeepSimulator:
    simulator = bk(bikeep_sim)
    await simulator.control_trigger("register_webhook", {"url": receiver.url})
    return simulator


async def test_alarm_status_and_confirmed_outage_are_sent(
    sim: BikeepSimulator, receiver: Receiver
) -> None:
    result = await sim.control_trigger("hardware_alarm", {"device_id": LOCKER_1})
    assert result == {
        "deliveries": [{"url": receiver.url, "status": 200, "error": None}]
    }
    await sim.control_trigger(
        "report_status", {"device_id": DOCK_1, "message": "arm stuck"}
    )
    outage = await sim.control_trigger(
        "confirm_outage", {"location_id": DOCKS_LOCATION_ID}
    )
    assert outage["connection"] == "offline"
    alarm, status, confirmed = receiver.bodies()
    assert alarm["type"] == "alarm"
    assert alarm["location"]["id"] == LOCKERS_LOCATION_ID
    assert alarm["device"]["id"] == LOCKER_1
    assert alarm["device"]["uri"] == f"/device/v1/devices/{LOCKER_1}"
    assert alarm["message"] == "case opened"
    assert (status["type"], status["message"]) == ("status", "arm stuck")
    assert confirmed["type"] == "connection_confirmed"
    assert confirmed["location"]["id"] == DOCKS_LOCATION_ID
    assert "device" not in confirmed
    # Offline for two hours by now: no device behind the uplink is online.
    assert outage["devices"]["online"] == 0
    docks = next(
        loc for loc in sim.dump_state()["locations"] if loc["id"] == DOCKS_LOCATION_ID
    )
    assert docks["connected"] is False
    assert all(content == "application/json" for content, _ in receiver.received)


async def test_link_triggers_send_connection_events(
    sim: BikeepSimulator, receiver: Receiver
) -> None:
    await sim.control_trigger("device_offline", {"device_id": LOCKER_1})
    await sim.control_trigger("guard_online", {"device_id": GUARD_C1})
    await sim.control_trigger("location_offline", {"location_id": DOCKS_LOCATION_ID})
    bodies = receiver.bodies()
    assert [(b["type"], b["connection"]) for b in bodies] == [
        ("connection", "offline"),
        ("connection", "online"),
        ("connection", "offline"),
    ]
    assert bodies[0]["device"]["id"] == LOCKER_1
    assert bodies[1]["device"]["id"] == GUARD_C1
    assert "device" not in bodies[2]


async def test_endpoints_get_only_their_types(
    bikeep_sim: RunningSimulator, receiver: Receiver
) -> None:
    sim = bk(bikeep_sim)
    result = await sim.control_trigger(
        "register_webhook", {"url": receiver.url, "types": ["alarm"]}
    )
    assert result["endpoints"] == [
        {"url": receiver.url, "types": ["alarm"], "aggregate": False, "pending": 0}
    ]
    await sim.control_trigger("device_offline", {"device_id": LOCKER_1})
    await sim.control_trigger("hardware_alarm", {"location_id": DOCKS_LOCATION_ID})
    assert [body["type"] for body in receiver.bodies()] == ["alarm"]


async def test_aggregating_endpoint_sends_a_list_on_flush(
    bikeep_sim: RunningSimulator, receiver: Receiver
) -> None:
    sim = bk(bikeep_sim)
    await sim.control_trigger(
        "register_webhook", {"url": receiver.url, "aggregate": True}
    )
    await sim.control_trigger("hardware_alarm", {"device_id": LOCKER_1})
    await sim.control_trigger("send_webhook", {"type": "status", "device_id": DOCK_1})
    assert receiver.received == []
    assert (await sim.control_trigger("flush_webhooks", {}))["deliveries"][0][
        "status"
    ] == 200
    (batch,) = receiver.bodies()
    assert [event["type"] for event in batch] == ["alarm", "status"]
    assert (await sim.control_trigger("flush_webhooks", {})) == {"deliveries": []}
    assert sim.webhooks.log()[0]["types"] == ["alarm", "status"]


async def test_any_body_can_be_sent_as_is(
    sim: BikeepSimulator, receiver: Receiver
) -> None:
    await sim.control_trigger("send_webhook", {"body": {"whatever": [1, 2]}})
    await sim.control_trigger(
        "send_webhook",
        {"raw": "a=b", "content_type": "application/x-www-form-urlencoded"},
    )
    await sim.control_trigger("send_webhook", {"raw": "plain"})
    assert receiver.received == [
        ("application/json", b'{"whatever": [1, 2]}'),
        ("application/x-www-form-urlencoded", b"a=b"),
        ("text/plain", b"plain"),
    ]


async def test_failed_deliveries_are_logged_not_retried(
    sim: BikeepSimulator, receiver: Receiver
) -> None:
    receiver.status = 500
    await sim.control_trigger("hardware_alarm", {"device_id": LOCKER_1})
    await sim.control_trigger("register_webhook", {"url": "http://127.0.0.1:9/none"})
    await sim.control_trigger("unregister_webhook", {"url": receiver.url})
    result = await sim.control_trigger("hardware_alarm", {"device_id": LOCKER_1})
    (delivery,) = result["deliveries"]
    assert delivery["status"] is None
    assert delivery["error"]
    log = sim.webhooks.log()
    assert [(item["status"], item["ok"]) for item in log] == [
        (500, False),
        (None, False),
    ]
    assert len(receiver.received) == 1
    assert (await sim.control_trigger("unregister_webhook", {})) == {"removed": 1}
    assert (await sim.control_trigger("hardware_alarm", {"device_id": LOCKER_1})) == {
        "deliveries": []
    }


async def test_endpoints_survive_a_scenario_load(
    sim: BikeepSimulator, receiver: Receiver
) -> None:
    sim.load_scenario(sim.default_scenario())
    await sim.control_trigger("hardware_alarm", {"device_id": LOCKER_1})
    assert len(receiver.received) == 1


@pytest.mark.parametrize(
    ("action", "params", "error"),
    [
        ("register_webhook", {}, ValueError),
        ("register_webhook", {"url": "http://x", "types": ["sms"]}, ValueError),
        ("register_webhook", {"url": "http://x", "types": []}, ValueError),
        ("register_webhook", {"url": "http://x", "types": "alarm"}, ValueError),
        ("register_webhook", {"url": "http://x", "aggregate": "yes"}, ValueError),
        ("unregister_webhook", {"url": 3}, ValueError),
        ("send_webhook", {"type": "sms", "location_id": DOCKS_LOCATION_ID}, ValueError),
        ("send_webhook", {"type": "alarm"}, ValueError),
        ("send_webhook", {"type": "alarm", "device_id": "nope"}, KeyError),
        ("send_webhook", {"raw": 3}, ValueError),
        ("send_webhook", {"raw": "x", "content_type": 3}, ValueError),
        (
            "send_webhook",
            {"type": "alarm", "device_id": DOCK_1, "message": 1},
            ValueError,
        ),
        ("report_status", {"device_id": GUARD_C1}, ValueError),
        ("confirm_outage", {"location_id": "nope"}, KeyError),
        (
            "confirm_outage",
            {"location_id": DOCKS_LOCATION_ID, "offline_for": -1},
            ValueError,
        ),
    ],
)
async def test_bad_webhook_triggers_are_refused(
    bikeep_sim: RunningSimulator,
    action: str,
    params: dict[str, Any],
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        await bk(bikeep_sim).control_trigger(action, params)


async def test_send_webhook_with_a_message(
    sim: BikeepSimulator, receiver: Receiver
) -> None:
    await sim.control_trigger(
        "send_webhook",
        {"type": "alarm", "location_id": LOCKERS_LOCATION_ID, "message": "smoke"},
    )
    (body,) = receiver.bodies()
    assert (body["type"], body["message"]) == ("alarm", "smoke")
