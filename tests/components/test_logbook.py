"""The Logbook page: what a user reads about a door's access events.

The recorder (in memory) and the logbook run for real. The simulator pushes a keypad
unlock by a named person, a refused unknown PIN and a keypad lock over HTTP to Home
Assistant's webhook handler; the rows are then read back the way the frontend reads
them: over the websocket with ``logbook/get_events`` and ``logbook/event_stream`` (the
Logbook page's call), and with ``GET /api/logbook/<start>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import json
import re
from typing import Any

from homeassistant.components.recorder import Recorder
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    RecorderInstanceContextManager,
    WebSocketGenerator,
)

from simulator.server import RunningSimulator

from .conftest import setup_entry
from .helpers import entity_id
from .test_push import _delivered, _device, _person, _sim

UNKNOWN_PIN = "000999"


@pytest.fixture
async def mock_recorder_before_hass(
    async_test_recorder: RecorderInstanceContextManager,
) -> None:
    """Prepare the recorder's database before ``hass`` (as core's logbook tests do).

    The autouse ``ha_webhook_url`` fixture asks for ``hass`` before any test
    argument, so ``recorder_mock`` alone would come too late.
    """


@dataclass(frozen=True)
class DoorLogbook:
    """What the logbook returns after the three access events at one door."""

    door: str
    person: str
    pin: str
    event_entity: str
    lock_entity: str
    rows: list[dict[str, Any]]
    stream_rows: list[dict[str, Any]]
    rest_rows: list[dict[str, Any]]


@pytest.fixture
async def door_logbook(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_client: ClientSessionGenerator,
) -> DoorLogbook:
    """Unlock by a person, refuse an unknown PIN, lock; read the logbook back."""
    # The logbook depends on the frontend only to register its panel; the
    # frontend's files (home-assistant-frontend) are not installed with the oldest
    # supported Home Assistant, and the logbook's rows do not depend on them.
    hass.config.components.add("frontend")
    assert await async_setup_component(hass, "logbook", {})
    await setup_entry(hass, remotelock_entry)
    await async_wait_recording_done(hass)
    start = dt_util.utcnow()

    lock = _device(remotelock_sim, "lock")
    person = _person(remotelock_sim)
    sim = _sim(remotelock_sim)
    await sim.control_trigger(
        "keypad_unlock", {"device_id": lock["id"], "access_person_id": person["id"]}
    )
    await sim.control_trigger(
        "keypad_unlock", {"device_id": lock["id"], "pin": UNKNOWN_PIN}
    )
    await sim.control_trigger("keypad_lock", {"device_id": lock["id"]})
    await _delivered(hass, remotelock_sim)
    await async_wait_recording_done(hass)
    end = dt_util.utcnow()

    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "logbook/get_events", "start_time": start.isoformat()}
    )
    response = await client.receive_json()
    assert response["success"], response
    rows = response["result"]

    # The Logbook page: a stream over a past range is one batch, then nothing.
    await client.send_json_auto_id(
        {
            "type": "logbook/event_stream",
            "start_time": start.isoformat(),
            "end_time": end.isoformat(),
        }
    )
    response = await client.receive_json()
    assert response["success"], response
    response = await client.receive_json()
    assert response["type"] == "event", response
    stream_rows = response["event"]["events"]

    http = await hass_client()
    rest = await http.get(f"/api/logbook/{start.isoformat()}")
    assert rest.status == 200
    rest_rows = await rest.json()

    return DoorLogbook(
        door=lock["attributes"]["name"],
        person=person["attributes"]["name"],
        pin=person["attributes"]["pin"],
        event_entity=entity_id(hass, "event", f"{lock['id']}_access"),
        lock_entity=entity_id(hass, "lock", f"{lock['id']}_lock"),
        rows=rows,
        stream_rows=stream_rows,
        rest_rows=rest_rows,
    )


def _lines(rows: Iterable[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """The described rows as (name, message, entity_id)."""
    return [
        (row["name"], row["message"], row["entity_id"])
        for row in rows
        if "message" in row
    ]


def _seen(rows: Iterable[dict[str, Any]], *entity_ids: str) -> list[tuple[Any, ...]]:
    """Every row of ``entity_ids``: described ones as above, state rows as state."""
    return [
        (row["name"], row["message"], row["entity_id"])
        if "message" in row
        else (row["entity_id"], row["state"], row.get("attributes"))
        for row in rows
        if row.get("entity_id") in entity_ids
    ]


async def test_logbook_says_who_did_what_and_never_a_pin(
    door_logbook: DoorLogbook,
) -> None:
    """One described line per access event, on the door's event entity."""
    book = door_logbook
    expected = [
        (book.door, f"unlocked by {book.person} with the keypad", book.event_entity),
        (book.door, "refused access with the keypad", book.event_entity),
        (book.door, "locked with the keypad", book.event_entity),
    ]
    assert _lines(book.rows) == expected
    assert all(row["domain"] == "smart_access" for row in book.rows if "message" in row)
    assert _lines(book.stream_rows) == expected
    assert _lines(book.rest_rows) == expected
    # The lock's own state changes are logged as for any lock.
    assert [
        row["state"] for row in book.rows if row["entity_id"] == book.lock_entity
    ] == ["unlocked", "locked"]
    # No PIN anywhere: not the person's, not the refused one.
    for rows in (book.rows, book.stream_rows, book.rest_rows):
        text = json.dumps(rows)
        for pin in (book.pin, UNKNOWN_PIN):
            assert not re.search(rf"(?<!\d){re.escape(pin)}(?!\d)", text), pin


async def test_each_described_line_comes_with_the_event_entity_row(
    door_logbook: DoorLogbook,
) -> None:
    """The page as it is: per access, the line that says who, then the event row.

    Home Assistant logs every event entity's state change (the frontend shows it as
    the event type, "Front Door Access: Unlocked"); the integration's own line adds
    who and how. The lock's state changes follow as for any lock.
    """
    book = door_logbook
    access = book.event_entity
    page = [
        # An event entity's state is the time it fired: show its event type.
        (row[0], "fired", row[2]["event_type"]) if row[0] == access else row
        for row in _seen(book.rows, access, book.lock_entity)
    ]
    assert page == [
        (book.door, f"unlocked by {book.person} with the keypad", access),
        (access, "fired", "unlocked"),
        (book.lock_entity, "unlocked", None),
        (book.door, "refused access with the keypad", access),
        (access, "fired", "access_denied"),
        (book.door, "locked with the keypad", access),
        (access, "fired", "locked"),
        (book.lock_entity, "locked", None),
    ]
