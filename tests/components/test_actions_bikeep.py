"""Bikeep actions against the simulator: bookings, force commands and RFID cards."""

from __future__ import annotations

from datetime import datetime, timedelta
import logging
from pathlib import Path
from typing import Any

from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN, LockState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.smart_access.const import DOMAIN
from simulator.bikeep import scenario as sc
from simulator.server import RunningSimulator

from .actions import Actions, ha_device
from .conftest import setup_entry
from .helpers import state_of

SECRET_CARDS = ("04a2b3c4d5e6f7", "04b3c4d5e6f7a8", "0a0b0c0d", "deadbeef01")


@pytest.fixture
def loaded(bikeep_loaded: RunningSimulator) -> RunningSimulator:
    """The Bikeep entry, set up (conftest's ``bikeep_loaded``)."""
    return bikeep_loaded


@pytest.fixture
def act(hass: HomeAssistant) -> Actions:
    """The actions (they name their device)."""
    return Actions(hass)


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
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Book a free locker: SUCCESS, the device is BOOKED for the service's hour."""
    before = dt_util.utcnow()
    result = await act("book", device_id=ha_device(hass, sc.LOCKER_1))
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


async def test_book_until(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """A local ``until`` (as the UI sends it) is the booking's end."""
    until = dt_util.now().replace(microsecond=0, tzinfo=None) + timedelta(hours=3)
    result = await act(
        "book", device_id=ha_device(hass, sc.DOCK_1), until=until.isoformat()
    )
    assert result is not None
    assert result["device_state"] == "BOOKED"
    assert datetime.fromisoformat(result["device_state_until"]) == dt_util.as_utc(
        until.replace(tzinfo=dt_util.get_default_time_zone())
    )
    assert device_state(hass, sc.DOCK_1) == "booked"


async def test_book_in_the_past(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """A past ``until`` is refused before anything is sent."""
    loaded.sim.requests.clear()
    past = dt_util.utcnow() - timedelta(minutes=5)
    err = await act.refused(
        "book", device_id=ha_device(hass, sc.LOCKER_1), until=past.isoformat()
    )
    assert err.translation_key == "bikeep_time_in_past"
    assert err.translation_placeholders["field"] == "until"
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
    act: Actions,
    service: str,
    vendor_id: str,
    device_after: str,
    lock_after: LockState,
) -> None:
    """Each command ends SUCCESS; the response and the entities show the new state."""
    result = await act(service, device_id=ha_device(hass, vendor_id))
    assert result is not None
    assert result["command"] == service.replace("_", "-")
    assert result["command_state"] == "SUCCESS"
    assert result["device_state"] == device_after
    assert result["device_state_until"] is None
    assert device_state(hass, vendor_id) == device_after.lower()
    assert state_of(hass, LOCK_DOMAIN, f"{vendor_id}_lock").state == lock_after


async def test_command_without_response(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Without a response the action still waits for SUCCESS."""
    locker = ha_device(hass, sc.LOCKER_4)
    assert await act("force_lock", response=False, device_id=locker) is None
    assert device_state(hass, sc.LOCKER_4) == "locked"


async def test_command_rejected(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Booking a locker in use fails with the service's reason."""
    err = await act.refused(
        "book", error=HomeAssistantError, device_id=ha_device(hass, sc.LOCKER_2)
    )
    assert err.translation_key == "bikeep_command_failed"
    placeholders = err.translation_placeholders
    assert placeholders["action"] == "book"
    assert "REQUEST_REJECTED" in placeholders["error"]
    assert device_state(hass, sc.LOCKER_2) == "locked"


async def test_command_device_error(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """The device answers ERROR: the reason reaches the user; the state is restored."""
    await loaded.sim.control_trigger(
        "fail_next_command", {"device_id": sc.LOCKER_1, "reason": "latch jammed"}
    )
    err = await act.refused(
        "force_lock", error=HomeAssistantError, device_id=ha_device(hass, sc.LOCKER_1)
    )
    assert err.translation_key == "bikeep_command_failed"
    assert "latch jammed" in err.translation_placeholders["error"]
    assert "RESPONSE_DEVICE_ERROR" in err.translation_placeholders["error"]
    assert device_state(hass, sc.LOCKER_1) == "unlocked"
    lock = state_of(hass, LOCK_DOMAIN, f"{sc.LOCKER_1}_lock")
    assert lock.state == LockState.UNLOCKED


async def test_command_timeout(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """An unreachable device: the command runs out of time."""
    await loaded.sim.control_trigger("set_timing", {"delivery_timeout": 0.2})
    await loaded.sim.control_trigger("device_offline", {"device_id": sc.LOCKER_1})
    err = await act.refused(
        "force_lock", error=HomeAssistantError, device_id=ha_device(hass, sc.LOCKER_1)
    )
    assert err.translation_key == "bikeep_command_timed_out"
    assert "REQUEST_TIMEOUT" in err.translation_placeholders["error"]
    assert device_state(hass, sc.LOCKER_1) == "unlocked"


@pytest.mark.parametrize(
    ("fault", "options", "key"),
    [
        ("server_error", {"status": 503}, "command_cannot_connect"),
        ("unauthorized", {"count": 2}, "command_forbidden"),
    ],
)
async def test_command_vendor_errors(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    fault: str,
    options: dict[str, Any],
    key: str,
) -> None:
    """5xx and a token refused even after renewal become translated errors."""
    loaded.sim.faults.add(fault, path="/device/v1/devices/", method="POST", **options)
    err = await act.refused(
        "book", error=HomeAssistantError, device_id=ha_device(hass, sc.LOCKER_1)
    )
    assert err.translation_key == key
    assert err.translation_placeholders["name"] == "book"
    assert device_state(hass, sc.LOCKER_1) == "unlocked"


@pytest.mark.parametrize("vendor_id", [sc.LOCKERS_LOCATION_ID, sc.GUARD_C1])
async def test_command_needs_locker_or_dock(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions, vendor_id: str
) -> None:
    """A station or gateway cannot be booked."""
    loaded.sim.requests.clear()
    err = await act.refused("force_unlock", device_id=ha_device(hass, vendor_id))
    assert err.translation_key == "bikeep_not_lockable"
    assert loaded.sim.requests.count("POST") == 0


async def test_unknown_and_wrong_vendor_device(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
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
        for device_id, key in (
            ("nope", "unknown_device"),
            (remotelock_device.id, "wrong_vendor_device"),
        ):
            err = await act.refused(service, device_id=device_id, **data)
            assert err.translation_key == key


# -- RFID cards -------------------------------------------------------------------


async def test_add_cards_single_whitelist(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """A station with one whitelist needs no ``whitelist``; ids are normalised."""
    station = ha_device(hass, sc.DOCKS_LOCATION_ID)
    assert card_count(hass, sc.DOCKS_LOCATION_ID, sc.WHITELIST_COMMUTERS) == "0"
    result = await act(
        "add_rfid_cards", device_id=station, cards=["0A:0B:0C:0D", "deadbeef01"]
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
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Status, expiry and comment reach the whitelist; list shows them back."""
    expires = dt_util.utcnow().replace(microsecond=0) + timedelta(days=30)
    station = ha_device(hass, sc.LOCKERS_LOCATION_ID)
    added = await act(
        "add_rfid_cards",
        response=False,
        device_id=station,
        whitelist="contractors",
        cards=["0a0b0c0d"],
        status="INACTIVE",
        expires_at=expires.isoformat(),
        comment="Visitor badge",
    )
    assert added is None
    listed = await act(
        "list_rfid_cards", device_id=station, whitelist=sc.WHITELIST_CONTRACTORS
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
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """An expiry in the past is refused before anything is sent."""
    loaded.sim.requests.clear()
    err = await act.refused(
        "add_rfid_cards",
        device_id=ha_device(hass, sc.DOCKS_LOCATION_ID),
        cards=["0a0b0c0d"],
        expires_at="2020-01-01T00:00:00+00:00",
    )
    assert err.translation_key == "bikeep_time_in_past"
    assert err.translation_placeholders["field"] == "expires_at"
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
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions, card: str, reason: str
) -> None:
    """One bad id stops the whole action; the reason is named per id."""
    loaded.sim.requests.clear()
    station = ha_device(hass, sc.DOCKS_LOCATION_ID)
    for service in ("add_rfid_cards", "remove_rfid_cards"):
        err = await act.refused(service, device_id=station, cards=["0a0b0c0d", card])
        assert err.translation_key == "bikeep_invalid_rfid"
        placeholders = err.translation_placeholders
        assert placeholders["count"] == "1"
        assert f"{card!r}: " in placeholders["problems"]
        assert reason in placeholders["problems"]
    assert loaded.sim.requests.count("POST") == 0
    assert not sim_cards(loaded, sc.WHITELIST_COMMUTERS)


async def test_invalid_card_ids_all_named(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Every bad id is listed, not only the first."""
    err = await act.refused(
        "add_rfid_cards",
        device_id=ha_device(hass, sc.DOCKS_LOCATION_ID),
        cards=["04a", "xx", "0a0b"],
    )
    placeholders = err.translation_placeholders
    assert placeholders["count"] == "2"
    assert "'04a': odd length" in placeholders["problems"]
    assert "'xx': non-hex" in placeholders["problems"]


async def test_several_whitelists_need_a_choice(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """#1234 has Employees and Contractors: the error lists them."""
    err = await act.refused(
        "add_rfid_cards",
        device_id=ha_device(hass, sc.LOCKERS_LOCATION_ID),
        cards=["0a0b"],
    )
    assert err.translation_key == "bikeep_whitelist_required"
    whitelists = err.translation_placeholders["whitelists"]
    assert f"Employees ({sc.WHITELIST_EMPLOYEES})" in whitelists
    assert f"Contractors ({sc.WHITELIST_CONTRACTORS})" in whitelists
    assert str(err) == (
        "The station #1234 Office Building A has several whitelists; choose one in "
        f"the whitelist field: Employees ({sc.WHITELIST_EMPLOYEES}), "
        f"Contractors ({sc.WHITELIST_CONTRACTORS})"
    )


async def test_unknown_whitelist(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """A whitelist that is neither an id nor a name of the station's lists."""
    err = await act.refused(
        "list_rfid_cards",
        device_id=ha_device(hass, sc.LOCKERS_LOCATION_ID),
        whitelist=sc.WHITELIST_COMMUTERS,
    )
    assert err.translation_key == "bikeep_unknown_whitelist"
    assert "Employees" in err.translation_placeholders["whitelists"]


async def test_rfid_needs_a_station(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """RFID actions target the station device, not a locker."""
    err = await act.refused("list_rfid_cards", device_id=ha_device(hass, sc.LOCKER_1))
    assert err.translation_key == "bikeep_not_station"


async def test_station_without_whitelists(
    hass: HomeAssistant,
    bikeep_sim: RunningSimulator,
    bikeep_entry: MockConfigEntry,
    act: Actions,
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
    err = await act.refused(
        "list_rfid_cards", device_id=ha_device(hass, sc.DOCKS_LOCATION_ID)
    )
    assert err.translation_key == "bikeep_no_whitelists"


async def test_remove_cards(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Remove John's badge from Employees (picked by name)."""
    station = ha_device(hass, sc.LOCKERS_LOCATION_ID)
    assert card_count(hass, sc.LOCKERS_LOCATION_ID, sc.WHITELIST_EMPLOYEES) == "1"
    result = await act(
        "remove_rfid_cards",
        device_id=station,
        whitelist="Employees",
        cards=[sc.RFID_JOHN],
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
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """With a response, the removed and the failed ids (with reasons) are listed."""
    result = await act(
        "remove_rfid_cards",
        device_id=ha_device(hass, sc.LOCKERS_LOCATION_ID),
        whitelist=sc.WHITELIST_EMPLOYEES,
        cards=[sc.RFID_JOHN.upper(), "0a0b0c0d"],
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
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Without a response, the error names the failed id; the other was applied."""
    err = await act.refused(
        "remove_rfid_cards",
        error=HomeAssistantError,
        response=False,
        device_id=ha_device(hass, sc.LOCKERS_LOCATION_ID),
        whitelist=sc.WHITELIST_EMPLOYEES,
        cards=[sc.RFID_JOHN, "0a0b0c0d"],
    )
    assert err.translation_key == "bikeep_rfid_remove_failed"
    assert err.translation_placeholders == {
        "whitelist": "Employees",
        "failed_count": "1",
        "total": "2",
        "failures": "0a0b0c0d: entity is not in this whitelist",
        "applied_count": "1",
    }
    assert str(err) == (
        "Could not remove 1 of 2 RFID cards from Employees: 0a0b0c0d: entity is not "
        "in this whitelist. The other 1 were removed"
    )
    assert not sim_cards(loaded, sc.WHITELIST_EMPLOYEES)
    assert card_count(hass, sc.LOCKERS_LOCATION_ID, sc.WHITELIST_EMPLOYEES) == "0"


async def test_add_rejected_by_service(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Items the service refuses are reported; without a response it raises."""
    data = {
        "device_id": ha_device(hass, sc.DOCKS_LOCATION_ID),
        "cards": ["0a0b0c0d"],
        "comment": "x" * 300,
    }
    result = await act("add_rfid_cards", **data)
    assert result is not None
    assert result["added"] == []
    assert [item["id"] for item in result["failed"]] == ["0a0b0c0d"]
    assert result["failed"][0]["code"] == "INVALID_COMMENT"
    err = await act.refused(
        "add_rfid_cards", error=HomeAssistantError, response=False, **data
    )
    assert err.translation_key == "bikeep_rfid_add_failed"
    assert err.translation_placeholders["applied_count"] == "0"
    assert "0a0b0c0d" in err.translation_placeholders["failures"]
    assert not sim_cards(loaded, sc.WHITELIST_COMMUTERS)


async def test_list_all_whitelists(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Without ``whitelist``, every whitelist of the station is listed."""
    result = await act(
        "list_rfid_cards", device_id=ha_device(hass, sc.LOCKERS_LOCATION_ID)
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
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """5xx while changing or listing becomes a translated error."""
    station = ha_device(hass, sc.DOCKS_LOCATION_ID)
    loaded.sim.faults.add("server_error", status=502, path="/whitelist/", method="POST")
    err = await act.refused(
        "add_rfid_cards", error=HomeAssistantError, device_id=station, cards=["0a0b"]
    )
    assert err.translation_key == "command_cannot_connect"
    # Refused again after a renewed token: a permission problem, not a sign-in one.
    loaded.sim.faults.add("unauthorized", count=2, path="/whitelist/", method="GET")
    err = await act.refused(
        "list_rfid_cards", error=HomeAssistantError, device_id=station
    )
    assert err.translation_key == "command_forbidden"


async def test_recount_failure_is_not_an_action_failure(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """The cards were added; a failed recount only leaves the sensor for the next poll."""
    loaded.sim.faults.add("server_error", path="/whitelist/", method="GET")
    result = await act(
        "add_rfid_cards",
        device_id=ha_device(hass, sc.DOCKS_LOCATION_ID),
        cards=["0a0b"],
    )
    assert result is not None
    assert result["added"] == ["0a0b"]
    assert card_count(hass, sc.DOCKS_LOCATION_ID, sc.WHITELIST_COMMUTERS) == "0"


async def test_card_ids_never_logged(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Card ids show up in responses and errors, never in the log."""
    caplog.set_level(logging.DEBUG)
    station = ha_device(hass, sc.LOCKERS_LOCATION_ID)
    await act(
        "add_rfid_cards", device_id=station, whitelist="Employees", cards=["0A0B0C0D"]
    )
    await act("list_rfid_cards", device_id=station)
    await act.refused(
        "remove_rfid_cards",
        error=HomeAssistantError,
        response=False,
        device_id=station,
        whitelist="Contractors",
        cards=[sc.RFID_JANE, "deadbeef01"],
    )
    await act.refused("add_rfid_cards", device_id=station, cards=["04b3c4d5e6f7a"])
    loaded.sim.faults.add("server_error", path="/whitelist/", method="GET")
    await act(
        "remove_rfid_cards",
        device_id=station,
        whitelist="Employees",
        cards=[sc.RFID_JOHN],
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
