"""Bikeep actions against the simulator: bookings, force commands and RFID cards."""

from __future__ import annotations

from datetime import datetime, timedelta
import logging
from pathlib import Path
from typing import Any

from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN, LockState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.smart_access.const import DOMAIN
from simulator.bikeep import scenario as sc
from simulator.server import RunningSimulator

from .conftest import setup_entry
from .helpers import state_of

SECRET_CARDS = ("04a2b3c4d5e6f7", "04b3c4d5e6f7a8", "0a0b0c0d", "deadbeef01")


@pytest.fixture
async def loaded(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> RunningSimulator:
    """The Bikeep entry, set up, with instant device round trips."""
    await bikeep_sim.sim.control_trigger(
        "set_timing", {"latency": 0, "secure_delay": 0, "unlock_duration": 0}
    )
    await setup_entry(hass, bikeep_entry)
    bikeep_entry.runtime_data.coordinator.command_poll_interval = 0.01
    return bikeep_sim


def ha_device(hass: HomeAssistant, vendor_id: str) -> str:
    """Return the Home Assistant device id of a vendor object."""
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, vendor_id)})
    assert device is not None
    return device.id


async def call(
    hass: HomeAssistant,
    service: str,
    data: dict[str, Any],
    *,
    response: bool = True,
) -> dict[str, Any] | None:
    """Call a Smart Access action and return its response."""
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )


def sim_cards(sim: RunningSimulator, whitelist_id: str) -> dict[str, Any]:
    """Return the simulator's cards of a whitelist, by id."""
    return dict(sim.sim.state.whitelists[whitelist_id].entities)


def device_state(hass: HomeAssistant, vendor_id: str) -> str:
    """Return the state of the device-state sensor of a locker or dock."""
    return state_of(hass, "sensor", f"{vendor_id}_device_state").state


def card_count(hass: HomeAssistant, location_id: str, whitelist_id: str) -> str:
    """Return the RFID card count sensor of a whitelist."""
    return state_of(hass, "sensor", f"{location_id}_rfid_cards_{whitelist_id}").state


# -- booking and commands ---------------------------------------------------------


async def test_book_defaults_to_one_hour(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """Book a free locker: SUCCESS, the device is BOOKED for the service's hour."""
    before = dt_util.utcnow()
    result = await call(hass, "book", {"device_id": ha_device(hass, sc.LOCKER_1)})
    assert result is not None
    assert result["command"] == "book"
    assert result["command_state"] == "SUCCESS"
    assert result["command_id"]
    assert result["device_state"] == "BOOKED"
    until = datetime.fromisoformat(result["device_state_until"])
    assert timedelta(minutes=59) < until - before < timedelta(minutes=61)
    assert device_state(hass, sc.LOCKER_1) == "booked"
    coordinator = hass.config_entries.async_entries(DOMAIN)[0].runtime_data.coordinator
    assert not coordinator.in_flight


async def test_book_until(hass: HomeAssistant, loaded: RunningSimulator) -> None:
    """A local ``until`` (as the UI sends it) is the booking's end."""
    until = dt_util.now().replace(microsecond=0, tzinfo=None) + timedelta(hours=3)
    result = await call(
        hass,
        "book",
        {"device_id": ha_device(hass, sc.DOCK_1), "until": until.isoformat()},
    )
    assert result is not None
    assert result["device_state"] == "BOOKED"
    assert datetime.fromisoformat(result["device_state_until"]) == dt_util.as_utc(
        until.replace(tzinfo=dt_util.get_default_time_zone())
    )
    assert device_state(hass, sc.DOCK_1) == "booked"


async def test_book_in_the_past(hass: HomeAssistant, loaded: RunningSimulator) -> None:
    """A past ``until`` is refused before anything is sent."""
    loaded.sim.requests.clear()
    past = dt_util.utcnow() - timedelta(minutes=5)
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "book",
            {"device_id": ha_device(hass, sc.LOCKER_1), "until": past.isoformat()},
        )
    assert err.value.translation_key == "bikeep_time_in_past"
    assert err.value.translation_placeholders["field"] == "until"
    assert loaded.sim.requests.count("POST") == 0
    assert device_state(hass, sc.LOCKER_1) == "unlocked"


@pytest.mark.parametrize(
    ("service", "vendor_id", "device_after", "lock_after"),
    [
        ("cancel_booking", sc.LOCKER_3, "UNLOCKED", LockState.UNLOCKED),
        ("force_lock", sc.LOCKER_1, "LOCKED", LockState.LOCKED),
        ("force_unlock", sc.LOCKER_2, "UNLOCKED", LockState.UNLOCKED),
        ("force_cancel_booking", sc.LOCKER_3, "UNLOCKED", LockState.UNLOCKED),
        ("force_lock", sc.DOCK_2, "LOCKED", LockState.LOCKED),
    ],
)
async def test_commands(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    service: str,
    vendor_id: str,
    device_after: str,
    lock_after: LockState,
) -> None:
    """Each command ends SUCCESS; the response and the entities show the new state."""
    result = await call(hass, service, {"device_id": ha_device(hass, vendor_id)})
    assert result is not None
    assert result["command"] == service.replace("_", "-")
    assert result["command_state"] == "SUCCESS"
    assert result["device_state"] == device_after
    assert result["device_state_until"] is None
    assert device_state(hass, vendor_id) == device_after.lower()
    assert state_of(hass, LOCK_DOMAIN, f"{vendor_id}_lock").state == lock_after


async def test_command_without_response(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """Without a response the action still waits for SUCCESS."""
    assert (
        await call(
            hass,
            "force_lock",
            {"device_id": ha_device(hass, sc.LOCKER_4)},
            response=False,
        )
        is None
    )
    assert device_state(hass, sc.LOCKER_4) == "locked"


async def test_command_rejected(hass: HomeAssistant, loaded: RunningSimulator) -> None:
    """Booking a locker in use fails with the service's reason."""
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "book", {"device_id": ha_device(hass, sc.LOCKER_2)})
    assert err.value.translation_key == "bikeep_command_failed"
    placeholders = err.value.translation_placeholders
    assert placeholders["action"] == "book"
    assert "REQUEST_REJECTED" in placeholders["error"]
    assert device_state(hass, sc.LOCKER_2) == "locked"


async def test_command_device_error(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """The device answers ERROR: the reason reaches the user; the state is restored."""
    await loaded.sim.control_trigger(
        "fail_next_command", {"device_id": sc.LOCKER_1, "reason": "latch jammed"}
    )
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "force_lock", {"device_id": ha_device(hass, sc.LOCKER_1)})
    assert err.value.translation_key == "bikeep_command_failed"
    assert "latch jammed" in err.value.translation_placeholders["error"]
    assert "RESPONSE_DEVICE_ERROR" in err.value.translation_placeholders["error"]
    assert device_state(hass, sc.LOCKER_1) == "unlocked"
    lock = state_of(hass, LOCK_DOMAIN, f"{sc.LOCKER_1}_lock")
    assert lock.state == LockState.UNLOCKED


async def test_command_timeout(hass: HomeAssistant, loaded: RunningSimulator) -> None:
    """An unreachable device: the command runs out of time."""
    await loaded.sim.control_trigger("set_timing", {"delivery_timeout": 0.2})
    await loaded.sim.control_trigger("device_offline", {"device_id": sc.LOCKER_1})
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "force_lock", {"device_id": ha_device(hass, sc.LOCKER_1)})
    assert err.value.translation_key == "bikeep_command_timed_out"
    assert "REQUEST_TIMEOUT" in err.value.translation_placeholders["error"]
    assert device_state(hass, sc.LOCKER_1) == "unlocked"


@pytest.mark.parametrize(
    ("fault", "options", "key"),
    [
        ("server_error", {"status": 503}, "command_cannot_connect"),
        ("unauthorized", {"count": 2}, "command_auth_failed"),
    ],
)
async def test_command_vendor_errors(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    fault: str,
    options: dict[str, Any],
    key: str,
) -> None:
    """5xx and a rejected token become translated errors; nothing was booked."""
    loaded.sim.faults.add(fault, path="/device/v1/devices/", method="POST", **options)
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "book", {"device_id": ha_device(hass, sc.LOCKER_1)})
    assert err.value.translation_key == key
    assert err.value.translation_placeholders["name"] == "book"
    assert device_state(hass, sc.LOCKER_1) == "unlocked"


@pytest.mark.parametrize("vendor_id", [sc.LOCKERS_LOCATION_ID, sc.GUARD_C1])
async def test_command_needs_locker_or_dock(
    hass: HomeAssistant, loaded: RunningSimulator, vendor_id: str
) -> None:
    """A station or gateway cannot be booked."""
    loaded.sim.requests.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "force_unlock", {"device_id": ha_device(hass, vendor_id)})
    assert err.value.translation_key == "bikeep_not_lockable"
    assert loaded.sim.requests.count("POST") == 0


async def test_unknown_and_wrong_vendor_device(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """Unknown devices and RemoteLock devices are refused for every Bikeep action."""
    await setup_entry(hass, remotelock_entry)
    registry = dr.async_get(hass)
    remotelock_device = dr.async_entries_for_config_entry(
        registry, remotelock_entry.entry_id
    )[0]
    for service in ("book", "add_rfid_cards", "list_rfid_cards"):
        data: dict[str, Any] = (
            {"cards": ["04a2"]} if service == "add_rfid_cards" else {}
        )
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, service, {"device_id": "nope", **data})
        assert err.value.translation_key == "unknown_device"
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, service, {"device_id": remotelock_device.id, **data})
        assert err.value.translation_key == "wrong_vendor_device"


# -- RFID cards -------------------------------------------------------------------


async def test_add_cards_single_whitelist(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """A station with one whitelist needs no ``whitelist``; ids are normalised."""
    station = ha_device(hass, sc.DOCKS_LOCATION_ID)
    assert card_count(hass, sc.DOCKS_LOCATION_ID, sc.WHITELIST_COMMUTERS) == "0"
    result = await call(
        hass,
        "add_rfid_cards",
        {"device_id": station, "cards": ["0A:0B:0C:0D", "deadbeef01"]},
    )
    assert result == {
        "whitelist": {"id": sc.WHITELIST_COMMUTERS, "name": "Commuters"},
        "added": ["0a0b0c0d", "deadbeef01"],
        "failed": [],
        "normalised": [{"input": "0A:0B:0C:0D", "id": "0a0b0c0d"}],
    }
    cards = sim_cards(loaded, sc.WHITELIST_COMMUTERS)
    assert set(cards) == {"0a0b0c0d", "deadbeef01"}
    assert cards["0a0b0c0d"].status == "ACTIVE"
    assert card_count(hass, sc.DOCKS_LOCATION_ID, sc.WHITELIST_COMMUTERS) == "2"


async def test_add_cards_with_details(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """Status, expiry and comment reach the whitelist; list shows them back."""
    expires = dt_util.utcnow().replace(microsecond=0) + timedelta(days=30)
    assert (
        await call(
            hass,
            "add_rfid_cards",
            {
                "device_id": ha_device(hass, sc.LOCKERS_LOCATION_ID),
                "whitelist": "contractors",
                "cards": ["0a0b0c0d"],
                "status": "INACTIVE",
                "expires_at": expires.isoformat(),
                "comment": "Visitor badge",
            },
            response=False,
        )
        is None
    )
    listed = await call(
        hass,
        "list_rfid_cards",
        {
            "device_id": ha_device(hass, sc.LOCKERS_LOCATION_ID),
            "whitelist": sc.WHITELIST_CONTRACTORS,
        },
    )
    assert listed is not None
    [whitelist] = listed["whitelists"]
    assert whitelist["id"] == sc.WHITELIST_CONTRACTORS
    card = next(card for card in whitelist["cards"] if card["id"] == "0a0b0c0d")
    assert card["status"] == "INACTIVE"
    assert card["comment"] == "Visitor badge"
    assert datetime.fromisoformat(card["expires_at"]) == expires
    assert card["created_at"] is not None
    assert card_count(hass, sc.LOCKERS_LOCATION_ID, sc.WHITELIST_CONTRACTORS) == "2"


async def test_add_expiry_in_the_past(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """An expiry in the past is refused before anything is sent."""
    loaded.sim.requests.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "add_rfid_cards",
            {
                "device_id": ha_device(hass, sc.DOCKS_LOCATION_ID),
                "cards": ["0a0b0c0d"],
                "expires_at": "2020-01-01T00:00:00+00:00",
            },
        )
    assert err.value.translation_key == "bikeep_time_in_past"
    assert err.value.translation_placeholders["field"] == "expires_at"
    assert loaded.sim.requests.count("POST") == 0


@pytest.mark.parametrize(
    ("card", "reason"),
    [
        ("", "empty"),
        (" : ", "no hex digits"),
        ("04zz", "non-hex character 'z' at position 3"),
        ("04a", "odd length"),
        ("0" * 22, "too long: 22 hex digits, at most 20"),
    ],
)
async def test_invalid_card_ids(
    hass: HomeAssistant, loaded: RunningSimulator, card: str, reason: str
) -> None:
    """One bad id stops the whole action; the reason is named per id."""
    loaded.sim.requests.clear()
    for service in ("add_rfid_cards", "remove_rfid_cards"):
        with pytest.raises(ServiceValidationError) as err:
            await call(
                hass,
                service,
                {
                    "device_id": ha_device(hass, sc.DOCKS_LOCATION_ID),
                    "cards": ["0a0b0c0d", card],
                },
            )
        assert err.value.translation_key == "bikeep_invalid_rfid"
        placeholders = err.value.translation_placeholders
        assert placeholders["count"] == "1"
        assert f"{card!r}: " in placeholders["problems"]
        assert reason in placeholders["problems"]
    assert loaded.sim.requests.count("POST") == 0
    assert not sim_cards(loaded, sc.WHITELIST_COMMUTERS)


async def test_invalid_card_ids_all_named(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """Every bad id is listed, not only the first."""
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "add_rfid_cards",
            {
                "device_id": ha_device(hass, sc.DOCKS_LOCATION_ID),
                "cards": ["04a", "xx", "0a0b"],
            },
        )
    placeholders = err.value.translation_placeholders
    assert placeholders["count"] == "2"
    assert "'04a': odd length" in placeholders["problems"]
    assert "'xx': non-hex" in placeholders["problems"]


async def test_several_whitelists_need_a_choice(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """#1234 has Employees and Contractors: the error lists them."""
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "add_rfid_cards",
            {"device_id": ha_device(hass, sc.LOCKERS_LOCATION_ID), "cards": ["0a0b"]},
        )
    assert err.value.translation_key == "bikeep_whitelist_required"
    whitelists = err.value.translation_placeholders["whitelists"]
    assert f"Employees ({sc.WHITELIST_EMPLOYEES})" in whitelists
    assert f"Contractors ({sc.WHITELIST_CONTRACTORS})" in whitelists
    assert str(err.value) == (
        "The station #1234 Office Building A has several whitelists; choose one in "
        f"the whitelist field: Employees ({sc.WHITELIST_EMPLOYEES}), "
        f"Contractors ({sc.WHITELIST_CONTRACTORS})"
    )


async def test_unknown_whitelist(hass: HomeAssistant, loaded: RunningSimulator) -> None:
    """A whitelist that is neither an id nor a name of the station's lists."""
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "list_rfid_cards",
            {
                "device_id": ha_device(hass, sc.LOCKERS_LOCATION_ID),
                "whitelist": sc.WHITELIST_COMMUTERS,
            },
        )
    assert err.value.translation_key == "bikeep_unknown_whitelist"
    assert "Employees" in err.value.translation_placeholders["whitelists"]


async def test_rfid_needs_a_station(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """RFID actions target the station device, not a locker."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "list_rfid_cards", {"device_id": ha_device(hass, sc.LOCKER_1)})
    assert err.value.translation_key == "bikeep_not_station"


async def test_station_without_whitelists(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """A station Bikeep configured no whitelist for."""
    scenario = bikeep_sim.sim.default_scenario()
    scenario["whitelists"] = [
        item
        for item in scenario["whitelists"]
        if item["location_id"] != sc.DOCKS_LOCATION_ID
    ]
    bikeep_sim.sim.load_scenario(scenario)
    await setup_entry(hass, bikeep_entry)
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "list_rfid_cards",
            {"device_id": ha_device(hass, sc.DOCKS_LOCATION_ID)},
        )
    assert err.value.translation_key == "bikeep_no_whitelists"


async def test_remove_cards(hass: HomeAssistant, loaded: RunningSimulator) -> None:
    """Remove John's badge from Employees (picked by name)."""
    station = ha_device(hass, sc.LOCKERS_LOCATION_ID)
    assert card_count(hass, sc.LOCKERS_LOCATION_ID, sc.WHITELIST_EMPLOYEES) == "1"
    result = await call(
        hass,
        "remove_rfid_cards",
        {"device_id": station, "whitelist": "Employees", "cards": [sc.RFID_JOHN]},
    )
    assert result == {
        "whitelist": {"id": sc.WHITELIST_EMPLOYEES, "name": "Employees"},
        "removed": [sc.RFID_JOHN],
        "failed": [],
        "normalised": [],
    }
    assert not sim_cards(loaded, sc.WHITELIST_EMPLOYEES)
    assert card_count(hass, sc.LOCKERS_LOCATION_ID, sc.WHITELIST_EMPLOYEES) == "0"


async def test_remove_partial_failure_response(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """With a response, the removed and the failed ids (with reasons) are listed."""
    result = await call(
        hass,
        "remove_rfid_cards",
        {
            "device_id": ha_device(hass, sc.LOCKERS_LOCATION_ID),
            "whitelist": sc.WHITELIST_EMPLOYEES,
            "cards": [sc.RFID_JOHN.upper(), "0a0b0c0d"],
        },
    )
    assert result is not None
    assert result["removed"] == [sc.RFID_JOHN]
    assert result["failed"] == [
        {
            "id": "0a0b0c0d",
            "reason": "entity is not in this whitelist",
            "code": "NOT_FOUND",
        }
    ]
    assert result["normalised"] == [{"input": sc.RFID_JOHN.upper(), "id": sc.RFID_JOHN}]
    assert not sim_cards(loaded, sc.WHITELIST_EMPLOYEES)
    assert card_count(hass, sc.LOCKERS_LOCATION_ID, sc.WHITELIST_EMPLOYEES) == "0"


async def test_remove_partial_failure_raises(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """Without a response, the error names the failed id; the other was applied."""
    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass,
            "remove_rfid_cards",
            {
                "device_id": ha_device(hass, sc.LOCKERS_LOCATION_ID),
                "whitelist": sc.WHITELIST_EMPLOYEES,
                "cards": [sc.RFID_JOHN, "0a0b0c0d"],
            },
            response=False,
        )
    assert err.value.translation_key == "bikeep_rfid_remove_failed"
    assert err.value.translation_placeholders == {
        "whitelist": "Employees",
        "failed_count": "1",
        "total": "2",
        "failures": "0a0b0c0d: entity is not in this whitelist",
        "applied_count": "1",
    }
    assert str(err.value) == (
        "Could not remove 1 of 2 RFID cards from Employees: 0a0b0c0d: entity is not "
        "in this whitelist. The other 1 were removed"
    )
    assert not sim_cards(loaded, sc.WHITELIST_EMPLOYEES)
    assert card_count(hass, sc.LOCKERS_LOCATION_ID, sc.WHITELIST_EMPLOYEES) == "0"


async def test_add_rejected_by_service(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """Items the service refuses are reported; without a response it raises."""
    data = {
        "device_id": ha_device(hass, sc.DOCKS_LOCATION_ID),
        "cards": ["0a0b0c0d"],
        "comment": "x" * 300,
    }
    result = await call(hass, "add_rfid_cards", data)
    assert result is not None
    assert result["added"] == []
    assert [item["id"] for item in result["failed"]] == ["0a0b0c0d"]
    assert result["failed"][0]["code"] == "INVALID_COMMENT"
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "add_rfid_cards", data, response=False)
    assert err.value.translation_key == "bikeep_rfid_add_failed"
    assert err.value.translation_placeholders["applied_count"] == "0"
    assert "0a0b0c0d" in err.value.translation_placeholders["failures"]
    assert not sim_cards(loaded, sc.WHITELIST_COMMUTERS)


async def test_list_all_whitelists(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """Without ``whitelist``, every whitelist of the station is listed."""
    result = await call(
        hass,
        "list_rfid_cards",
        {"device_id": ha_device(hass, sc.LOCKERS_LOCATION_ID)},
    )
    assert result is not None
    by_name = {item["name"]: item for item in result["whitelists"]}
    assert set(by_name) == {"Employees", "Contractors"}
    [john] = by_name["Employees"]["cards"]
    assert john == {
        "id": sc.RFID_JOHN,
        "status": "ACTIVE",
        "expires_at": None,
        "comment": "Employee badge - John",
        "created_at": john["created_at"],
        "updated_at": john["updated_at"],
    }
    [jane] = by_name["Contractors"]["cards"]
    assert jane["expires_at"] == "2026-06-30T23:59:59+00:00"


async def test_rfid_vendor_errors(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """5xx while changing or listing becomes a translated error."""
    station = ha_device(hass, sc.DOCKS_LOCATION_ID)
    loaded.sim.faults.add("server_error", status=502, path="/whitelist/", method="POST")
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "add_rfid_cards", {"device_id": station, "cards": ["0a0b"]})
    assert err.value.translation_key == "command_cannot_connect"
    loaded.sim.faults.add("unauthorized", count=2, path="/whitelist/", method="GET")
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "list_rfid_cards", {"device_id": station})
    assert err.value.translation_key == "command_auth_failed"


async def test_recount_failure_is_not_an_action_failure(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """The cards were added; a failed recount only leaves the sensor for the next poll."""
    loaded.sim.faults.add("server_error", path="/whitelist/", method="GET")
    result = await call(
        hass,
        "add_rfid_cards",
        {"device_id": ha_device(hass, sc.DOCKS_LOCATION_ID), "cards": ["0a0b"]},
    )
    assert result is not None
    assert result["added"] == ["0a0b"]
    assert card_count(hass, sc.DOCKS_LOCATION_ID, sc.WHITELIST_COMMUTERS) == "0"


async def test_card_ids_never_logged(
    hass: HomeAssistant, loaded: RunningSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Card ids show up in responses and errors, never in the log."""
    caplog.set_level(logging.DEBUG)
    station = ha_device(hass, sc.LOCKERS_LOCATION_ID)
    await call(
        hass,
        "add_rfid_cards",
        {"device_id": station, "whitelist": "Employees", "cards": ["0A0B0C0D"]},
    )
    await call(hass, "list_rfid_cards", {"device_id": station})
    with pytest.raises(HomeAssistantError):
        await call(
            hass,
            "remove_rfid_cards",
            {
                "device_id": station,
                "whitelist": "Contractors",
                "cards": [sc.RFID_JANE, "deadbeef01"],
            },
            response=False,
        )
    with pytest.raises(ServiceValidationError):
        await call(
            hass, "add_rfid_cards", {"device_id": station, "cards": ["04b3c4d5e6f7a"]}
        )
    loaded.sim.faults.add("server_error", path="/whitelist/", method="GET")
    await call(
        hass,
        "remove_rfid_cards",
        {"device_id": station, "whitelist": "Employees", "cards": [sc.RFID_JOHN]},
    )
    text = caplog.text.lower()
    assert "whitelist" in text  # the debug lines were captured
    for card in (*SECRET_CARDS, "04b3c4d5e6f7a"):
        assert card not in text


async def test_selectors_offer_the_right_devices(
    hass: HomeAssistant, loaded: RunningSimulator
) -> None:
    """services.yaml filters by the models the devices are registered with."""
    path = Path(__file__).parents[2] / "custom_components/smart_access/services.yaml"
    services = yaml.safe_load(path.read_text())

    def models(service: str) -> set[str]:
        device = services[service]["fields"]["device_id"]["selector"]["device"]
        return {item["model"] for item in device["filter"]}

    registry = dr.async_get(hass)
    for service, vendor_ids in (
        ("book", (sc.LOCKER_1, sc.DOCK_1)),
        ("force_lock", (sc.LOCKER_1, sc.DOCK_1)),
        ("add_rfid_cards", (sc.LOCKERS_LOCATION_ID, sc.DOCKS_LOCATION_ID)),
        ("list_rfid_cards", (sc.LOCKERS_LOCATION_ID, sc.DOCKS_LOCATION_ID)),
    ):
        found = set()
        for vendor_id in vendor_ids:
            device = registry.async_get(ha_device(hass, vendor_id))
            assert device is not None
            assert device.manufacturer == "Bikeep"
            found.add(device.model)
        assert found == models(service)
