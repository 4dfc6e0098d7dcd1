"""RemoteLock simulator: device-side triggers in Python and via POST /_sim/trigger."""

from __future__ import annotations

import aiohttp
import pytest

from simulator.remotelock import scenario as sc
from simulator.remotelock.const import EVENT_TYPES
from simulator.server import RunningSimulator

from .remotelock_helpers import make_api


async def _trigger(
    session: aiohttp.ClientSession, url: str, action: str, body: dict
) -> tuple[int, object]:
    async with session.post(f"{url}/_sim/trigger/{action}", json=body) as resp:
        return resp.status, (
            await resp.json()
            if resp.content_type == "application/json"
            else await resp.text()
        )


async def test_keypad_unlock_with_pin_over_http(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    status, result = await _trigger(
        http_session,
        remotelock_sim.url,
        "keypad_unlock",
        {"device_id": sc.FRONT_DOOR_ID, "pin": "1234"},
    )
    assert status == 200
    assert isinstance(result, dict)
    assert result["state"] == "unlocked"
    api = await make_api(http_session, remotelock_sim)
    event = (await api.get(f"/events/{result['event_id']}")).body["data"]
    assert event["type"] == "unlocked_event"
    assert (event["attributes"]["method"], event["attributes"]["pin"]) == (
        "keypad",
        "1234",
    )
    assert event["attributes"]["associated_resource_id"] == sc.USER_ANN_ID
    assert event["attributes"]["associated_resource_type"] == "access_user"
    used = (await api.get("/events", params={"type": "access_person_used"})).body[
        "data"
    ][0]
    assert used["attributes"]["publisher_id"] == sc.USER_ANN_ID
    assert used["attributes"]["associated_resource_id"] == sc.FRONT_DOOR_ID


async def test_keypad_unknown_pin_is_denied(remotelock_sim: RunningSimulator) -> None:
    sim = remotelock_sim.sim
    result = await sim.control_trigger(
        "keypad_unlock", {"device_id": sc.FRONT_DOOR_ID, "pin": "0000"}
    )
    event = sim.events[result["event_id"]]
    assert event["type"] == "access_denied_event"
    assert event["attributes"]["status"] == "failed"
    assert sim.devices[sc.FRONT_DOOR_ID]["attributes"]["state"] == "locked"


async def test_keypad_lock_by_person(remotelock_sim: RunningSimulator) -> None:
    sim = remotelock_sim.sim
    sim.devices[sc.BACK_DOOR_ID]["attributes"]["state"] = "unlocked"
    result = await sim.control_trigger(
        "keypad_lock",
        {"device_id": sc.BACK_DOOR_ID, "access_person_id": sc.GUEST_CURRENT_ID},
    )
    event = sim.events[result["event_id"]]
    assert event["type"] == "locked_event"
    assert event["attributes"]["associated_resource_type"] == "access_guest"
    assert event["attributes"]["pin"] == "1129"
    assert sim.devices[sc.BACK_DOOR_ID]["attributes"]["state"] == "locked"


async def test_offline_and_online(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    sim = remotelock_sim.sim
    status, _ = await _trigger(
        http_session,
        remotelock_sim.url,
        "device_offline",
        {"device_id": sc.THERMOSTAT_ID},
    )
    assert status == 200
    attrs = sim.devices[sc.THERMOSTAT_ID]["attributes"]
    assert (attrs["connected"], attrs["alive"]) == (False, False)
    sim.clock.advance(300)
    result = await sim.control_trigger("device_online", {"device_id": sc.THERMOSTAT_ID})
    assert (attrs["connected"], attrs["alive"]) == (True, True)
    assert attrs["connected_at"] == sim.now_iso()
    assert sim.events[result["event_id"]]["type"] == "connectivity_event"
    assert (
        sim.events[result["event_id"]]["attributes"]["connected_at"]
        == attrs["connected_at"]
    )
    result = await sim.control_trigger("device_offline", {"device_id": sc.ACS_DOOR_ID})
    assert sim.devices[sc.ACS_DOOR_ID]["attributes"]["connected"] is False


async def test_battery(remotelock_sim: RunningSimulator) -> None:
    sim = remotelock_sim.sim
    result = await sim.control_trigger(
        "battery", {"device_id": sc.FRONT_DOOR_ID, "power_level": 50}
    )
    assert result["event_id"] is None
    assert sim.devices[sc.FRONT_DOOR_ID]["attributes"]["power_level"] == 50
    result = await sim.control_trigger(
        "battery", {"device_id": sc.FRONT_DOOR_ID, "power_level": 10}
    )
    assert sim.events[result["event_id"]]["type"] == "power_level_low_event"
    assert sim.events[result["event_id"]]["attributes"]["power_level"] == 10
    result = await sim.control_trigger(
        "battery", {"device_id": sc.FRONT_DOOR_ID, "power_level": 100, "replaced": True}
    )
    assert sim.events[result["event_id"]]["type"] == "battery_replaced_event"
    with pytest.raises(ValueError, match="power_level"):
        await sim.control_trigger(
            "battery", {"device_id": sc.FRONT_DOOR_ID, "power_level": 101}
        )


async def test_thermostat_and_power_readings(remotelock_sim: RunningSimulator) -> None:
    sim = remotelock_sim.sim
    result = await sim.control_trigger(
        "thermostat_reading",
        {"device_id": sc.THERMOSTAT_ID, "temperature": 68.5, "humidity": 40},
    )
    assert [sim.events[e]["type"] for e in result["event_ids"]] == [
        "temperature_changed_event",
        "humidity_changed_event",
    ]
    assert (
        sim.devices[sc.THERMOSTAT_ID]["attributes"]["temperature"],
        sim.devices[sc.THERMOSTAT_ID]["attributes"]["humidity"],
    ) == (68.5, 40)
    await sim.control_trigger(
        "power_reading",
        {
            "device_id": sc.POWER_PLUG_ID,
            "power": 60.0,
            "current": 0.5,
            "occupied": False,
        },
    )
    attrs = sim.devices[sc.POWER_PLUG_ID]["attributes"]
    assert (attrs["power"], attrs["current"], attrs["occupied"]) == (60.0, 0.5, False)
    with pytest.raises(ValueError, match="temperature or humidity"):
        await sim.control_trigger("thermostat_reading", {"device_id": sc.THERMOSTAT_ID})
    with pytest.raises(ValueError, match="not a thermostat"):
        await sim.control_trigger(
            "thermostat_reading", {"device_id": sc.POWER_PLUG_ID, "temperature": 1}
        )


@pytest.mark.parametrize(
    "event_type", [t for t in EVENT_TYPES if t != "access_person_used"]
)
async def test_emit_every_event_type(
    remotelock_sim: RunningSimulator, event_type: str
) -> None:
    sim = remotelock_sim.sim
    result = await sim.control_trigger(
        "emit_event",
        {
            "device_id": sc.FRONT_DOOR_ID,
            "event_type": event_type,
            "attributes": {"status_info": "timeout"},
        },
    )
    event = sim.events[result["event_id"]]
    assert event["type"] == f"{event_type}_event"
    assert event["attributes"]["publisher_id"] == sc.FRONT_DOOR_ID


async def test_emit_access_person_used(remotelock_sim: RunningSimulator) -> None:
    sim = remotelock_sim.sim
    result = await sim.control_trigger(
        "emit_event",
        {
            "device_id": sc.FRONT_DOOR_ID,
            "event_type": "access_person_used",
            "associated_resource_id": sc.USER_ANN_ID,
        },
    )
    event = sim.events[result["event_id"]]
    assert (
        event["attributes"]["publisher_id"],
        event["attributes"]["associated_resource_id"],
    ) == (sc.USER_ANN_ID, sc.FRONT_DOOR_ID)
    with pytest.raises(ValueError, match="access person"):
        await sim.control_trigger(
            "emit_event",
            {"device_id": sc.FRONT_DOOR_ID, "event_type": "access_person_used"},
        )


async def test_trigger_errors_over_http(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    url = remotelock_sim.url
    assert (
        await _trigger(http_session, url, "keypad_unlock", {"device_id": "missing"})
    )[0] == 404
    assert (await _trigger(http_session, url, "explode", {}))[0] == 404
    assert (await _trigger(http_session, url, "keypad_unlock", {}))[0] == 400
    assert (
        await _trigger(
            http_session,
            url,
            "battery",
            {"device_id": sc.FRONT_DOOR_ID, "power_level": "full"},
        )
    )[0] == 400
    assert (
        await _trigger(
            http_session,
            url,
            "emit_event",
            {"device_id": sc.FRONT_DOOR_ID, "event_type": "exploded"},
        )
    )[0] == 400
    assert (
        await _trigger(
            http_session, url, "device_offline", {"device_id": sc.RESORT_LOCK_ID}
        )
    )[0] == 400
