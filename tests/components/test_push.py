"""RemoteLock push: the webhook subscriber, deliveries, recovery and the poll interval.

The simulator delivers events over real HTTP to Home Assistant's webhook handler
(the ``ha_webhook_url`` fixture), with its X-Secret header, JSON or form bodies,
3-second deadline, hourly retries and deactivation, as RemoteLock documents.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
import json
from typing import Any

import aiohttp
from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smart_access.const import (
    CONF_API_URL,
    CONF_SUBSCRIBER_ID,
    CONF_WEBHOOK_SECRET,
    DOMAIN,
)
from custom_components.smart_access.coordinator.remotelock import (
    REMOTELOCK_PUSH_INTERVAL,
    remotelock_interval,
)
from custom_components.smart_access.logbook import async_describe_events
from custom_components.smart_access.remotelock_events import (
    EVENT_ACCESS,
    SUBSCRIBED_EVENT_TYPES,
)
from custom_components.smart_access.remotelock_subscriber import (
    SUBSCRIBER_NAME_PREFIX,
)
from simulator.remotelock import RemoteLockSimulator
from simulator.server import RunningSimulator

from .conftest import setup_entry
from .entries import add_remotelock_entry
from .helpers import poll, state_of


def _sim(running: RunningSimulator) -> RemoteLockSimulator:
    sim = running.sim
    assert isinstance(sim, RemoteLockSimulator)
    return sim


def _webhook_subscribers(running: RunningSimulator) -> list[dict[str, Any]]:
    return [
        record
        for record in _sim(running).state.notification_subscribers.values()
        if record["type"] == "webhook_notification_subscriber"
        and record["attributes"]["name"].startswith(SUBSCRIBER_NAME_PREFIX)
    ]


def _subscriptions_of(running: RunningSimulator, subscriber_id: str) -> list[Any]:
    return [
        record
        for record in _sim(running).state.notification_subscriptions.values()
        if record["attributes"]["subscriber_id"] == subscriber_id
    ]


def _device(running: RunningSimulator, device_type: str) -> dict[str, Any]:
    return next(
        d for d in _sim(running).state.devices.values() if d["type"] == device_type
    )


def _person(running: RunningSimulator) -> dict[str, Any]:
    sim = _sim(running)
    return next(
        p
        for p in sim.state.access_persons.values()
        if p["attributes"].get("pin") and sim.person_status(p) == "current"
    )


async def _delivered(hass: HomeAssistant, running: RunningSimulator) -> None:
    """Wait until the simulator's deliveries are answered and processed."""
    await _sim(running).webhooks.flush()
    # A delivery is processed in a background task (it may read a person's name).
    await hass.async_block_till_done(wait_background_tasks=True)


def _access_events(hass: HomeAssistant) -> list[Event]:
    events: list[Event] = []

    @callback
    def record(event: Event) -> None:
        events.append(event)

    hass.bus.async_listen(EVENT_ACCESS, record)
    return events


async def test_set_up_subscribes_once_and_polls_slowly(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    ha_webhook_url: str,
) -> None:
    """One active JSON subscriber with the entry's secret; every used event type."""
    subscribers = _webhook_subscribers(remotelock_loaded)
    assert len(subscribers) == 1
    attrs = subscribers[0]["attributes"]
    assert attrs["url"] == (
        f"{ha_webhook_url}/api/webhook/{remotelock_entry.data[CONF_WEBHOOK_ID]}"
    )
    assert attrs["content_type"] == "json"
    assert attrs["active"] is True
    assert attrs["secret"] == remotelock_entry.data[CONF_WEBHOOK_SECRET]
    assert remotelock_entry.data[CONF_SUBSCRIBER_ID] == subscribers[0]["id"]
    subscriptions = _subscriptions_of(remotelock_loaded, subscribers[0]["id"])
    assert len(subscriptions) == 1
    sub = subscriptions[0]["attributes"]
    assert sub["publisher_type"] == "account"
    assert {e["event_type"] for e in sub["events"]} == set(SUBSCRIBED_EVENT_TYPES)
    coordinator = remotelock_entry.runtime_data.coordinator
    assert coordinator.push_healthy
    assert coordinator.update_interval == REMOTELOCK_PUSH_INTERVAL
    assert not ir.async_get(hass).issues


async def test_keypad_unlock_arrives_without_a_poll(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """The lock shows unlocked at once; the bus event names the person, not the PIN."""
    lock = _device(remotelock_loaded, "lock")
    person = _person(remotelock_loaded)
    events = _access_events(hass)
    _sim(remotelock_loaded).requests.clear()
    await _sim(remotelock_loaded).control_trigger(
        "keypad_lock", {"device_id": lock["id"]}
    )
    await _delivered(hass, remotelock_loaded)
    assert state_of(hass, LOCK_DOMAIN, f"{lock['id']}_lock").state == "locked"
    await _sim(remotelock_loaded).control_trigger(
        "keypad_unlock", {"device_id": lock["id"], "access_person_id": person["id"]}
    )
    await _delivered(hass, remotelock_loaded)
    assert state_of(hass, LOCK_DOMAIN, f"{lock['id']}_lock").state == "unlocked"
    # No device poll: at most the person's name was read.
    paths = {entry.path for entry in _sim(remotelock_loaded).requests.entries}
    assert paths <= {f"/access_persons/{person['id']}"}
    unlocked = [e for e in events if e.data["type"] == "unlocked"]
    assert len(unlocked) == 1
    data = unlocked[0].data
    assert data["who"] == person["attributes"]["name"]
    assert data["method"] == "keypad"
    assert data["access_person_id"] == person["id"]
    assert data["config_entry_id"] == remotelock_entry.entry_id
    assert data["device_id"] is not None
    assert person["attributes"]["pin"] not in json.dumps(data)


async def test_denied_pin_is_an_access_event(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    lock = _device(remotelock_loaded, "lock")
    events = _access_events(hass)
    await _sim(remotelock_loaded).control_trigger(
        "keypad_unlock", {"device_id": lock["id"], "pin": "000999"}
    )
    await _delivered(hass, remotelock_loaded)
    assert [e.data["type"] for e in events] == ["access_denied"]
    assert events[0].data["status"] == "failed"
    assert "000999" not in json.dumps(events[0].data)


async def test_restart_and_re_adding_adopt_the_subscriber(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """Never a second subscriber: not after a reload, not for a re-added account."""
    first = _webhook_subscribers(remotelock_loaded)[0]["id"]
    assert await hass.config_entries.async_reload(remotelock_entry.entry_id)
    await hass.async_block_till_done()
    assert [s["id"] for s in _webhook_subscribers(remotelock_loaded)] == [first]

    # The account added again as a new entry (e.g. after a failed removal): the
    # subscriber is adopted by its name and gets the new URL and secret.
    await hass.config_entries.async_unload(remotelock_entry.entry_id)
    again = add_remotelock_entry(hass, remotelock_loaded, unique_id="remotelock_again")
    await setup_entry(hass, again)
    subscribers = _webhook_subscribers(remotelock_loaded)
    assert [s["id"] for s in subscribers] == [first]
    assert subscribers[0]["attributes"]["secret"] == again.data[CONF_WEBHOOK_SECRET]
    assert again.data[CONF_WEBHOOK_ID] in subscribers[0]["attributes"]["url"]
    assert len(_subscriptions_of(remotelock_loaded, first)) == 1


async def test_removing_the_entry_deletes_the_subscriber(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    subscriber = _webhook_subscribers(remotelock_loaded)[0]["id"]
    assert await hass.config_entries.async_remove(remotelock_entry.entry_id)
    await hass.async_block_till_done()
    assert _webhook_subscribers(remotelock_loaded) == []
    assert _subscriptions_of(remotelock_loaded, subscriber) == []


@pytest.mark.parametrize(
    "headers", [{}, {"X-Secret": "wrong"}], ids=["missing", "wrong"]
)
async def test_a_call_without_the_secret_changes_nothing(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    ha_webhook_url: str,
    headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    lock = _device(remotelock_loaded, "lock")
    events = _access_events(hass)
    body = {
        "data": {
            "type": "unlocked_event",
            "id": "forged",
            "attributes": {
                "publisher_id": lock["id"],
                "publisher_type": "lock",
                "occurred_at": "2026-12-01T10:00:00Z",
                "created_at": "2026-12-01T10:00:00Z",
            },
        }
    }
    url = f"{ha_webhook_url}/api/webhook/{remotelock_entry.data[CONF_WEBHOOK_ID]}"
    before = state_of(hass, LOCK_DOMAIN, f"{lock['id']}_lock").state
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers) as response,
    ):
        assert response.status == 401
    await hass.async_block_till_done()
    assert events == []
    assert state_of(hass, LOCK_DOMAIN, f"{lock['id']}_lock").state == before
    assert "forged" not in caplog.text
    assert remotelock_entry.data[CONF_WEBHOOK_SECRET] not in caplog.text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b'{"data": "x"}', "application/json"),
        (b"data=1&data[x]=2", "application/x-www-form-urlencoded"),
    ],
)
async def test_a_malformed_body_is_refused(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    ha_webhook_url: str,
    body: bytes,
    content_type: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = _access_events(hass)
    url = f"{ha_webhook_url}/api/webhook/{remotelock_entry.data[CONF_WEBHOOK_ID]}"
    headers = {
        "X-Secret": remotelock_entry.data[CONF_WEBHOOK_SECRET],
        "Content-Type": content_type,
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        assert response.status == 400
    await hass.async_block_till_done()
    assert events == []
    assert "Traceback" not in caplog.text


async def test_form_encoded_deliveries_are_read_too(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """A subscriber switched to the documented default, form encoding, still works."""
    subscriber = _webhook_subscribers(remotelock_loaded)[0]
    subscriber["attributes"]["content_type"] = "form"
    lock = _device(remotelock_loaded, "lock")
    events = _access_events(hass)
    await _sim(remotelock_loaded).control_trigger(
        "battery", {"device_id": lock["id"], "power_level": 9}
    )
    await _delivered(hass, remotelock_loaded)
    assert [e.data["type"] for e in events] == ["power_level_low"]
    coordinator = remotelock_entry.runtime_data.coordinator
    assert coordinator.data.devices[lock["id"]].power_level == 9


async def test_missed_deliveries_are_recovered_once(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    ha_webhook_url: str,
) -> None:
    """Deliveries fail (HA unreachable); the next poll reads /events; retries dedupe."""
    sim = _sim(remotelock_loaded)
    lock = _device(remotelock_loaded, "lock")
    person = _person(remotelock_loaded)
    events = _access_events(hass)
    subscriber = _webhook_subscribers(remotelock_loaded)[0]
    good_url = subscriber["attributes"]["url"]
    subscriber["attributes"]["url"] = "http://127.0.0.1:9/api/webhook/nowhere"
    for _ in range(2):
        await sim.control_trigger(
            "keypad_unlock", {"device_id": lock["id"], "access_person_id": person["id"]}
        )
        sim.clock.advance(1)
        await sim.control_trigger("keypad_lock", {"device_id": lock["id"]})
        sim.clock.advance(1)
    await _delivered(hass, remotelock_loaded)
    assert events == []
    assert sim.webhooks.retries
    assert not any(attempt.ok for attempt in sim.webhooks.attempts[-4:])
    # The safety-net poll: the subscriber is fine, so missed events come from
    # /events, oldest first.
    subscriber["attributes"]["url"] = good_url
    await poll(hass, remotelock_entry)
    assert [e.data["type"] for e in events] == [
        "unlocked",
        "locked",
        "unlocked",
        "locked",
    ]
    assert all(e.data["recovered"] for e in events)
    # RemoteLock's hourly retry delivers them again: applied once all the same.
    sim.clock.advance(timedelta(hours=1, seconds=1).total_seconds())
    await sim.control_trigger("settle", {})
    await _delivered(hass, remotelock_loaded)
    assert len(events) == 4
    assert not sim.webhooks.retries


async def test_a_deactivated_subscriber_is_reactivated(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    subscriber = _webhook_subscribers(remotelock_loaded)[0]
    subscriber["attributes"]["active"] = False
    await poll(hass, remotelock_entry)
    assert subscriber["attributes"]["active"] is True
    assert remotelock_entry.runtime_data.coordinator.push_healthy


async def test_a_deleted_subscriber_is_created_again(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    sim = _sim(remotelock_loaded)
    old = _webhook_subscribers(remotelock_loaded)[0]["id"]
    del sim.state.notification_subscribers[old]
    for sub_id in [s["id"] for s in _subscriptions_of(remotelock_loaded, old)]:
        del sim.state.notification_subscriptions[sub_id]
    await poll(hass, remotelock_entry)
    subscribers = _webhook_subscribers(remotelock_loaded)
    assert len(subscribers) == 1
    assert subscribers[0]["id"] != old
    assert remotelock_entry.data[CONF_SUBSCRIBER_ID] == subscribers[0]["id"]
    assert len(_subscriptions_of(remotelock_loaded, subscribers[0]["id"])) == 1


async def test_without_https_it_polls_and_says_how_to_enable_push(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """RemoteLock's own API needs an HTTPS URL: a repair issue and polling until then.

    The entry is made to look like one for RemoteLock itself (no URL override) while
    its client keeps talking to the simulator.
    """
    data = {k: v for k, v in remotelock_entry.data.items() if k != CONF_API_URL}
    hass.config_entries.async_update_entry(remotelock_entry, data=data)
    _webhook_subscribers(remotelock_loaded)[0]["attributes"]["active"] = False
    await poll(hass, remotelock_entry)
    coordinator = remotelock_entry.runtime_data.coordinator
    issue_id = f"push_needs_https_{remotelock_entry.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "push_needs_https"
    assert not coordinator.push_healthy
    assert coordinator.update_interval < REMOTELOCK_PUSH_INTERVAL

    await async_process_ha_core_config(
        hass, {"external_url": "https://home.example.org"}
    )
    await poll(hass, remotelock_entry)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert coordinator.push_healthy
    subscriber = _webhook_subscribers(remotelock_loaded)[0]["attributes"]
    assert subscriber["active"] is True
    assert subscriber["url"].startswith("https://home.example.org/api/webhook/")
    assert coordinator.update_interval == REMOTELOCK_PUSH_INTERVAL
    push = remotelock_entry.runtime_data.push
    assert push is not None
    assert push.diagnostics()["url_source"] == "external"


def _event_body(
    kind: str, device_id: str, at: str, event_id: str, **attributes: Any
) -> dict[str, Any]:
    return {
        "data": {
            "type": f"{kind}_event",
            "id": event_id,
            "attributes": {
                "source": "user",
                "status": "succeeded",
                "publisher_id": device_id,
                "publisher_type": "lock",
                "occurred_at": at,
                "created_at": at,
                **attributes,
            },
        }
    }


async def _post(
    ha_webhook_url: str, entry: MockConfigEntry, body: dict[str, Any]
) -> int:
    url = f"{ha_webhook_url}/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            url, json=body, headers={"X-Secret": entry.data[CONF_WEBHOOK_SECRET]}
        ) as response,
    ):
        return response.status


async def test_a_late_older_delivery_does_not_undo_a_newer_one(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    ha_webhook_url: str,
) -> None:
    """Deliveries come one request each, in any order: the newest state stays."""
    lock = _device(remotelock_loaded, "lock")
    unique = f"{lock['id']}_lock"
    newer = _event_body("locked", lock["id"], "2030-01-01T10:00:05Z", "e-newer")
    older = _event_body("unlocked", lock["id"], "2030-01-01T10:00:01Z", "e-older")
    assert await _post(ha_webhook_url, remotelock_entry, newer) == 200
    await hass.async_block_till_done()
    assert state_of(hass, LOCK_DOMAIN, unique).state == "locked"
    assert await _post(ha_webhook_url, remotelock_entry, older) == 200
    await hass.async_block_till_done()
    assert state_of(hass, LOCK_DOMAIN, unique).state == "locked"
    # The same delivery twice is applied once.
    events = _access_events(hass)
    assert await _post(ha_webhook_url, remotelock_entry, newer) == 200
    await hass.async_block_till_done()
    assert events == []


async def test_event_entity_and_last_access_show_who(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    lock = _device(remotelock_loaded, "lock")
    person = _person(remotelock_loaded)
    await _sim(remotelock_loaded).control_trigger(
        "keypad_unlock", {"device_id": lock["id"], "access_person_id": person["id"]}
    )
    await _delivered(hass, remotelock_loaded)
    event_state = state_of(hass, "event", f"{lock['id']}_access")
    assert event_state.attributes["event_type"] == "unlocked"
    assert event_state.attributes["who"] == person["attributes"]["name"]
    assert event_state.attributes["method"] == "keypad"
    assert "pin" not in event_state.attributes
    last = state_of(hass, "sensor", f"{lock['id']}_last_access")
    assert last.state == person["attributes"]["name"]
    assert last.attributes["event_type"] == "unlocked"
    assert last.attributes["timestamp"]

    # A battery warning fires the event entity but is not an access.
    await _sim(remotelock_loaded).control_trigger(
        "battery", {"device_id": lock["id"], "power_level": 5}
    )
    await _delivered(hass, remotelock_loaded)
    assert (
        state_of(hass, "event", f"{lock['id']}_access").attributes["event_type"]
        == "power_level_low"
    )
    assert (
        state_of(hass, "sensor", f"{lock['id']}_last_access").state
        == (person["attributes"]["name"])
    )

    # The last access survives a restart of the entry.
    assert await hass.config_entries.async_reload(remotelock_entry.entry_id)
    await hass.async_block_till_done()
    assert (
        state_of(hass, "sensor", f"{lock['id']}_last_access").state
        == (person["attributes"]["name"])
    )


async def test_sync_failure_raises_a_repair_until_synced(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    sim = _sim(remotelock_loaded)
    lock = _device(remotelock_loaded, "lock")
    person = _person(remotelock_loaded)
    issue_id = f"sync_failed_{remotelock_entry.entry_id}_{person['id']}_{lock['id']}"
    await sim.control_trigger(
        "emit_event",
        {
            "device_id": lock["id"],
            "event_type": "access_person_sync_failed",
            "associated_resource_id": person["id"],
            "attributes": {"status_info": "timeout"},
        },
    )
    await _delivered(hass, remotelock_loaded)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {
        "person": person["attributes"]["name"],
        "lock": lock["attributes"]["name"],
        "reason": "timeout",
    }
    await sim.control_trigger(
        "emit_event",
        {
            "device_id": lock["id"],
            "event_type": "access_person_synced",
            "associated_resource_id": person["id"],
        },
    )
    await _delivered(hass, remotelock_loaded)
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_logbook_says_who_did_what(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """The lines the Logbook shows: the describer the logbook integration calls."""
    describers: dict[tuple[str, str], Callable[[Event], dict[str, Any]]] = {}

    def register(domain: str, event_type: str, describer: Any) -> None:
        describers[(domain, event_type)] = describer

    async_describe_events(hass, register)
    describe = describers[(DOMAIN, EVENT_ACCESS)]
    lock = _device(remotelock_loaded, "lock")
    person = _person(remotelock_loaded)
    events = _access_events(hass)
    sim = _sim(remotelock_loaded)
    await sim.control_trigger(
        "keypad_unlock", {"device_id": lock["id"], "access_person_id": person["id"]}
    )
    await sim.control_trigger(
        "keypad_unlock", {"device_id": lock["id"], "pin": "000999"}
    )
    await sim.control_trigger("keypad_lock", {"device_id": lock["id"]})
    await _delivered(hass, remotelock_loaded)
    lines = [describe(event) for event in events]
    name = lock["attributes"]["name"]
    assert [(line["name"], line["message"]) for line in lines] == [
        (name, f"unlocked by {person['attributes']['name']} with the keypad"),
        (name, "refused access with the keypad"),
        (name, "locked with the keypad"),
    ]
    event_entity = er.async_get(hass).async_get_entity_id(
        "event", DOMAIN, f"{lock['id']}_access"
    )
    assert all(line["entity_id"] == event_entity for line in lines)


async def test_a_delivery_lost_between_two_that_arrived_is_recovered(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """Recovery reads back past events already applied, not just to the newest."""
    sim = _sim(remotelock_loaded)
    lock = _device(remotelock_loaded, "lock")
    person = _person(remotelock_loaded)
    events = _access_events(hass)
    subscriber = _webhook_subscribers(remotelock_loaded)[0]["attributes"]
    good_url = subscriber["url"]
    subscriber["url"] = "http://127.0.0.1:9/api/webhook/nowhere"
    await sim.control_trigger(
        "keypad_unlock", {"device_id": lock["id"], "access_person_id": person["id"]}
    )
    await _delivered(hass, remotelock_loaded)
    subscriber["url"] = good_url
    sim.clock.advance(1)
    await sim.control_trigger("keypad_lock", {"device_id": lock["id"]})
    await _delivered(hass, remotelock_loaded)
    assert [(e.data["type"], e.data["recovered"]) for e in events] == [
        ("locked", False)
    ]
    await poll(hass, remotelock_entry)
    assert [(e.data["type"], e.data["recovered"]) for e in events] == [
        ("locked", False),
        ("unlocked", True),
    ]
    # The older unlock does not undo the newer lock; one late event is no outage.
    assert state_of(hass, LOCK_DOMAIN, f"{lock['id']}_lock").state == "locked"
    assert remotelock_entry.runtime_data.coordinator.push_healthy


async def test_deliveries_that_never_arrive_mean_polling_and_a_repair(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """An active subscriber whose deliveries fail is not push that works."""
    sim = _sim(remotelock_loaded)
    lock = _device(remotelock_loaded, "lock")
    coordinator = remotelock_entry.runtime_data.coordinator
    push = remotelock_entry.runtime_data.push
    assert push is not None
    issue_id = f"push_not_arriving_{remotelock_entry.entry_id}"
    subscriber = _webhook_subscribers(remotelock_loaded)[0]["attributes"]
    good_url = subscriber["url"]
    # E.g. an external URL whose port is not forwarded: RemoteLock cannot post.
    subscriber["url"] = "http://127.0.0.1:9/api/webhook/nowhere"

    async def two_events_two_minutes_apart() -> None:
        await sim.control_trigger("keypad_lock", {"device_id": lock["id"]})
        sim.clock.advance(120)
        await sim.control_trigger("keypad_unlock", {"device_id": lock["id"]})
        await _delivered(hass, remotelock_loaded)

    await two_events_two_minutes_apart()
    await poll(hass, remotelock_entry)
    assert not coordinator.push_healthy
    assert coordinator.update_interval < REMOTELOCK_PUSH_INTERVAL
    # One check with missed deliveries is a blip; two in a row are a repair.
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    await two_events_two_minutes_apart()
    await poll(hass, remotelock_entry)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "push_not_arriving"
    assert push.diagnostics()["missed_deliveries"] >= 2

    # The address works again: the next delivery ends it.
    subscriber["url"] = good_url
    await sim.control_trigger("keypad_lock", {"device_id": lock["id"]})
    await _delivered(hass, remotelock_loaded)
    assert coordinator.push_healthy
    assert coordinator.update_interval == REMOTELOCK_PUSH_INTERVAL
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


@pytest.mark.parametrize(
    ("devices", "extra", "seconds"),
    [(10, 0, 30), (10, 2, 30), (1_000, 0, 40), (1_000, 2, 44), (10_000, 2, 404)],
)
def test_the_safety_net_counts_towards_the_polling_budget(
    devices: int, extra: int, seconds: int
) -> None:
    """30 requests a minute for polling: device pages plus the safety net's two."""
    assert remotelock_interval(devices, extra) == timedelta(seconds=seconds)
