"""Resort lock guest and access instructions actions against the RemoteLock simulator."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
import logging
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smart_access.const import (
    CONF_API_URL,
    CONF_AUTH_URL,
    DOMAIN,
)
from simulator.remotelock import RemoteLockSimulator
from simulator.remotelock.scenario import (
    AMSTERDAM_ID,
    FRONT_DOOR_ID,
    GUEST_UPCOMING_ID,
    RESORT_GUEST_ID,
    RESORT_LOCK_ID,
    USER_FORMER_ID,
)
from simulator.server import RunningSimulator, start_simulator

from .actions import Actions, ha_device
from .conftest import setup_entry
from .helpers import state_of

CREATE = "create_resort_lock_guest"
DELETE = "delete_resort_lock_guest"
SEND = "send_access_instructions"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def loaded(remotelock_loaded: RunningSimulator) -> RunningSimulator:
    """The RemoteLock entry, set up (conftest's ``remotelock_loaded``)."""
    return remotelock_loaded


@pytest.fixture
def act(hass: HomeAssistant) -> Actions:
    """The actions; entry-based calls name their entry."""
    return Actions(hass)


def _create_data(hass: HomeAssistant, **extra: Any) -> dict[str, Any]:
    start = dt_util.now() + timedelta(days=1)
    return {
        "device_id": ha_device(hass, RESORT_LOCK_ID),
        "name": "Ann Smith",
        "starts_at": start.replace(minute=0, second=0, microsecond=0),
        "ends_at": start.replace(minute=0, second=0, microsecond=0) + timedelta(days=2),
        **extra,
    }


def _guests(sim: RunningSimulator) -> dict[str, dict[str, Any]]:
    return {g["id"]: g for g in sim.sim.dump_state()["resort_lock_guests"]}


def _posts(sim: RunningSimulator) -> int:
    return sim.sim.requests.count("POST", "/resort_lock_guests")


async def test_create_rounds_to_location_hours_and_returns_pin(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Naive input is HA's zone; the lock's zone gets whole hours; the PIN comes back."""
    caplog.set_level(logging.DEBUG)
    assert hass.config.time_zone != "Europe/Amsterdam"
    ha_zone = ZoneInfo(hass.config.time_zone)
    starts = (dt_util.now() + timedelta(days=2)).replace(  # naive: HA's zone
        hour=10, minute=30, second=0, microsecond=0, tzinfo=None
    )
    ends = starts + timedelta(days=3, minutes=-15)
    response = await act(
        CREATE,
        device_id=ha_device(hass, RESORT_LOCK_ID),
        name="Ann Smith",
        starts_at=starts.isoformat(sep=" "),
        ends_at=ends.isoformat(sep=" "),
        email="ann.smith@example.com",
    )
    local_starts = starts.replace(tzinfo=ha_zone).astimezone(AMSTERDAM)
    local_ends = ends.replace(tzinfo=ha_zone).astimezone(AMSTERDAM)
    want_starts = local_starts.replace(minute=0)
    want_ends = local_ends.replace(minute=0) + timedelta(hours=1)
    guest = _guests(loaded)[response["guest_id"]]["attributes"]
    assert guest["starts_at"] == want_starts.replace(tzinfo=None).isoformat()
    assert guest["ends_at"] == want_ends.replace(tzinfo=None).isoformat()
    assert guest["resort_lock_id"] == RESORT_LOCK_ID
    assert response == {
        "guest_id": response["guest_id"],
        "name": "Ann Smith",
        "pin": guest["pin"],
        "resort_lock_id": RESORT_LOCK_ID,
        "time_zone": "Europe/Amsterdam",
        "starts_at": want_starts.isoformat(),
        "ends_at": want_ends.isoformat(),
        "one_time_access": False,
        "rounded": True,
        "requested_starts_at": local_starts.isoformat(),
        "requested_ends_at": local_ends.isoformat(),
    }
    assert len(guest["pin"]) == 10
    assert guest["pin"] not in caplog.text
    assert "ann.smith@example.com" not in caplog.text
    assert response["guest_id"] in caplog.text  # debug logging was on


async def test_create_aware_whole_hours_one_time(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Aware whole-hour input is not rounded; one-time access reaches the service."""
    starts = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(
        days=1
    )
    response = await act(
        CREATE,
        device_id=ha_device(hass, RESORT_LOCK_ID),
        name="Bob",
        starts_at=starts.isoformat(),
        ends_at=(starts + timedelta(hours=5)).isoformat(),
        one_time_access=True,
    )
    assert response["rounded"] is False
    assert response["one_time_access"] is True
    assert response["starts_at"] == starts.astimezone(AMSTERDAM).isoformat()
    guest = _guests(loaded)[response["guest_id"]]["attributes"]
    assert guest["one_time_access"] is True
    assert guest["email"] is None


async def test_create_without_response(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Called without asking for a response, the guest is still created."""
    assert await act(CREATE, response=False, **_create_data(hass)) is None
    assert _posts(loaded) == 1
    assert len(_guests(loaded)) == 2


async def test_create_and_delete_update_guests_sensor(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    remotelock_entry: MockConfigEntry,
) -> None:
    """The current-guests sensor follows create and delete without another poll."""
    sensor = f"{RESORT_LOCK_ID}_current_guests"
    assert state_of(hass, "sensor", sensor).state == "1"
    listed = loaded.sim.requests.count("GET", "/resort_lock_guests")
    now = dt_util.now()
    response = await act(
        CREATE, **_create_data(hass, starts_at=now, ends_at=now + timedelta(days=1))
    )
    assert state_of(hass, "sensor", sensor).state == "2"
    await act(
        DELETE,
        config_entry_id=remotelock_entry.entry_id,
        resort_lock_guest_id=response["guest_id"],
    )
    assert state_of(hass, "sensor", sensor).state == "1"
    assert response["guest_id"] not in _guests(loaded)
    assert loaded.sim.requests.count("GET", "/resort_lock_guests") == listed


@pytest.mark.parametrize(
    ("shift_start", "shift_end", "key"),
    [
        (timedelta(days=2), timedelta(days=1), "resort_end_before_start"),
        (timedelta(days=1), timedelta(days=1), "resort_end_before_start"),
        (timedelta(days=-3), timedelta(days=-1), "resort_ends_in_past"),
    ],
)
async def test_create_bad_window(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    shift_start: timedelta,
    shift_end: timedelta,
    key: str,
) -> None:
    """A window that ends before it starts, or already ended, is refused unsent."""
    now = dt_util.now()
    data = _create_data(hass, starts_at=now + shift_start, ends_at=now + shift_end)
    err = await act.refused(CREATE, **data)
    assert err.translation_key == key
    assert _posts(loaded) == 0


async def test_create_on_other_devices(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    bikeep_entry: MockConfigEntry,
) -> None:
    """Locks, other vendors' devices and unknown devices are refused with a reason."""
    await setup_entry(hass, bikeep_entry)
    registry = dr.async_get(hass)
    bikeep_device = dr.async_entries_for_config_entry(registry, bikeep_entry.entry_id)[
        0
    ]
    cases = {
        ha_device(hass, FRONT_DOOR_ID): "resort_not_resort_lock",
        bikeep_device.id: "wrong_vendor_device",
        "no-such-device": "unknown_device",
    }
    for device_id, key in cases.items():
        err = await act.refused(
            CREATE, response=False, **_create_data(hass, device_id=device_id)
        )
        assert err.translation_key == key
    assert err.translation_placeholders == {"device_id": "no-such-device"}
    assert _posts(loaded) == 0


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"email": "not-an-email"}, "email"), ({"name": "   "}, "name")],
)
async def test_create_vendor_validation_names_field(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    extra: dict[str, Any],
    field: str,
) -> None:
    """The service's 422 reaches the user as a validation error naming the field."""
    err = await act.refused(CREATE, **_create_data(hass, **extra))
    assert err.translation_key == "action_invalid"
    placeholders = err.translation_placeholders or {}
    assert placeholders["action"] == CREATE
    assert placeholders["fields"].startswith(f"{field}: ")
    assert str(err).startswith(f"The service rejected {CREATE}: {field}: ")
    assert len(_guests(loaded)) == 1


async def test_create_server_error(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """A 5xx is a runtime error, not the user's fault."""
    loaded.sim.faults.add("server_error", count=1, path="/resort_lock_guests")
    err = await act.refused(CREATE, error=HomeAssistantError, **_create_data(hass))
    assert not isinstance(err, ServiceValidationError)
    assert err.translation_key == "command_cannot_connect"


async def test_create_and_send_instructions(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The instructions e-mail goes out right after the guest is created."""
    caplog.set_level(logging.DEBUG)
    response = await act(
        CREATE,
        **_create_data(hass, email="guest@example.com", send_instructions=True),
    )
    assert response["instructions_sent"] is True
    assert [e["resort_lock_guest_id"] for e in loaded.sim.emails] == [
        response["guest_id"]
    ]
    assert response["pin"] not in caplog.text
    assert "guest@example.com" not in caplog.text


async def test_send_instructions_needs_email(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Asking for the e-mail without an address is refused before anything is sent."""
    err = await act.refused(
        CREATE, response=False, **_create_data(hass, send_instructions=True)
    )
    assert err.translation_key == "resort_instructions_need_email"
    assert _posts(loaded) == 0


async def test_instructions_failure_after_create(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """A failed e-mail never hides the guest created: response or error says both."""
    data = _create_data(hass, email="guest@example.com", send_instructions=True)
    loaded.sim.faults.add("server_error", count=2, path="/resort_lock_guests/")
    response = await act(CREATE, **data)
    assert response["instructions_sent"] is False
    assert "500" in response["instructions_error"]
    assert response["guest_id"] in _guests(loaded)
    assert response["pin"]
    err = await act.refused(CREATE, error=HomeAssistantError, response=False, **data)
    assert err.translation_key == "resort_created_instructions_failed"
    placeholders = err.translation_placeholders or {}
    assert placeholders["name"] == "Ann Smith"
    assert placeholders["guest_id"] in _guests(loaded)
    assert len(_guests(loaded)) == 3
    assert loaded.sim.emails == []


async def test_location_fetched_when_not_polled_yet(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    remotelock_entry: MockConfigEntry,
) -> None:
    """A lock moved to a location newer than the snapshot uses that location's zone."""
    sim = loaded.sim
    assert isinstance(sim, RemoteLockSimulator)
    tokyo = copy.deepcopy(sim.state.locations[AMSTERDAM_ID])
    tokyo["id"] = "loc-tokyo"
    tokyo["attributes"]["time_zone"] = "Asia/Tokyo"
    sim.state.locations["loc-tokyo"] = tokyo
    sim.state.devices[RESORT_LOCK_ID]["attributes"]["location_id"] = "loc-tokyo"
    await remotelock_entry.runtime_data.coordinator.async_refresh()
    response = await act(CREATE, **_create_data(hass))
    assert response["time_zone"] == "Asia/Tokyo"
    assert response["starts_at"].endswith("+09:00")

    for bad_zone in (None, "Mars/Olympus_Mons"):
        tokyo["attributes"]["time_zone"] = bad_zone
        err = await act.refused(CREATE, error=HomeAssistantError, **_create_data(hass))
        assert err.translation_key == "resort_no_time_zone"

    sim.state.devices[RESORT_LOCK_ID]["attributes"]["location_id"] = "loc-gone"
    await remotelock_entry.runtime_data.coordinator.async_refresh()
    err = await act.refused(CREATE, **_create_data(hass))
    assert err.translation_key == "action_not_found"
    assert _posts(loaded) == 1


async def test_delete_errors(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    remotelock_entry: MockConfigEntry,
) -> None:
    """An unknown guest is a validation error; a 5xx a runtime error."""
    entry_id = remotelock_entry.entry_id
    err = await act.refused(
        DELETE, config_entry_id=entry_id, resort_lock_guest_id="no-such-guest"
    )
    assert err.translation_key == "action_not_found"
    loaded.sim.faults.add("server_error", count=1, path="/resort_lock_guests/")
    err = await act.refused(
        DELETE,
        error=HomeAssistantError,
        config_entry_id=entry_id,
        resort_lock_guest_id=RESORT_GUEST_ID,
    )
    assert not isinstance(err, ServiceValidationError)
    assert RESORT_GUEST_ID in _guests(loaded)
    sensor = f"{RESORT_LOCK_ID}_current_guests"
    assert state_of(hass, "sensor", sensor).state == "1"


async def test_delete_scoped_to_resort_lock(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    remotelock_entry: MockConfigEntry,
) -> None:
    """With a device, only a guest of that resort lock is deleted."""
    sim = loaded.sim
    assert isinstance(sim, RemoteLockSimulator)
    second = copy.deepcopy(sim.state.devices[RESORT_LOCK_ID])
    second["id"] = "resort-lock-2"
    second["attributes"]["name"] = "Garden Gate"
    second["attributes"]["serial_number"] = "RL2SERIAL"
    sim.state.devices["resort-lock-2"] = second
    await remotelock_entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    base = {
        "config_entry_id": remotelock_entry.entry_id,
        "resort_lock_guest_id": RESORT_GUEST_ID,
    }
    err = await act.refused(DELETE, device_id=ha_device(hass, "resort-lock-2"), **base)
    assert err.translation_key == "resort_guest_other_lock"
    assert str(err) == (
        f"The resort lock guest {RESORT_GUEST_ID} is not a guest of Garden Gate; "
        "nothing was deleted"
    )
    assert err.translation_placeholders == {
        "guest_id": RESORT_GUEST_ID,
        "device": "Garden Gate",
    }
    err = await act.refused(DELETE, device_id=ha_device(hass, FRONT_DOOR_ID), **base)
    assert err.translation_key == "resort_not_resort_lock"
    assert RESORT_GUEST_ID in _guests(loaded)

    await act(DELETE, device_id=ha_device(hass, RESORT_LOCK_ID), **base)
    assert RESORT_GUEST_ID not in _guests(loaded)
    assert state_of(hass, "sensor", f"{RESORT_LOCK_ID}_current_guests").state == "0"


async def test_delete_device_of_other_account(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    remotelock_entry: MockConfigEntry,
) -> None:
    """The device must belong to the account named by the config entry."""
    other_sim = RemoteLockSimulator()
    scenario = other_sim.default_scenario()
    scenario["devices"] = [
        {**d, "id": "other-resort-lock"}
        for d in scenario["devices"]
        if d["id"] == RESORT_LOCK_ID
    ]
    scenario["resort_lock_guests"] = []
    other_sim.load_scenario(scenario)
    running = await start_simulator(other_sim)
    try:
        other = MockConfigEntry(
            domain=DOMAIN,
            title="Other account",
            unique_id="remotelock_other",
            data={
                **remotelock_entry.data,
                CONF_API_URL: running.url,
                CONF_AUTH_URL: running.url,
            },
        )
        other.add_to_hass(hass)
        await setup_entry(hass, other)
        err = await act.refused(
            DELETE,
            config_entry_id=remotelock_entry.entry_id,
            resort_lock_guest_id=RESORT_GUEST_ID,
            device_id=ha_device(hass, "other-resort-lock"),
        )
        assert err.translation_key == "resort_device_other_entry"
        assert RESORT_GUEST_ID in _guests(loaded)
        await hass.config_entries.async_unload(other.entry_id)
    finally:
        await running.stop()


async def test_send_instructions_to_access_person(
    loaded: RunningSimulator, act: Actions, remotelock_entry: MockConfigEntry
) -> None:
    """An access guest's e-mail can be scheduled days before the start."""
    await act(
        SEND,
        config_entry_id=remotelock_entry.entry_id,
        access_person_id=GUEST_UPCOMING_ID,
        days_before=2,
    )
    assert [(e["access_person_id"], e["days_before"]) for e in loaded.sim.emails] == [
        (GUEST_UPCOMING_ID, 2)
    ]


async def test_send_instructions_to_resort_guest(
    loaded: RunningSimulator, act: Actions, remotelock_entry: MockConfigEntry
) -> None:
    """A resort lock guest's e-mail goes out at once."""
    await act(
        SEND,
        config_entry_id=remotelock_entry.entry_id,
        resort_lock_guest_id=RESORT_GUEST_ID,
    )
    assert [e["resort_lock_guest_id"] for e in loaded.sim.emails] == [RESORT_GUEST_ID]


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ({}, "instructions_one_recipient"),
        (
            {"access_person_id": "", "resort_lock_guest_id": ""},
            "instructions_one_recipient",
        ),
        (
            {
                "access_person_id": GUEST_UPCOMING_ID,
                "resort_lock_guest_id": RESORT_GUEST_ID,
            },
            "instructions_one_recipient",
        ),
        (
            {"resort_lock_guest_id": RESORT_GUEST_ID, "days_before": 1},
            "instructions_days_before_resort_guest",
        ),
    ],
)
async def test_send_instructions_recipient_checks(
    loaded: RunningSimulator,
    act: Actions,
    remotelock_entry: MockConfigEntry,
    extra: dict[str, Any],
    key: str,
) -> None:
    """Exactly one recipient; days before only for access persons."""
    err = await act.refused(SEND, config_entry_id=remotelock_entry.entry_id, **extra)
    assert err.translation_key == key
    assert loaded.sim.emails == []


async def test_send_instructions_vendor_errors(
    loaded: RunningSimulator, act: Actions, remotelock_entry: MockConfigEntry
) -> None:
    """No e-mail address, unknown ids and 5xx are reported with their kind."""
    entry_id = remotelock_entry.entry_id
    err = await act.refused(
        SEND, config_entry_id=entry_id, access_person_id=USER_FORMER_ID
    )
    assert err.translation_key == "action_invalid"
    assert (err.translation_placeholders or {})["fields"].startswith("email: ")
    err = await act.refused(SEND, config_entry_id=entry_id, resort_lock_guest_id="nope")
    assert err.translation_key == "action_not_found"
    loaded.sim.faults.add("server_error", count=1, path="/access_persons/")
    err = await act.refused(
        SEND,
        error=HomeAssistantError,
        config_entry_id=entry_id,
        access_person_id=GUEST_UPCOMING_ID,
    )
    assert err.translation_key == "command_cannot_connect"
    assert loaded.sim.emails == []


async def test_actions_need_a_remotelock_entry(
    hass: HomeAssistant, act: Actions, bikeep_entry: MockConfigEntry
) -> None:
    """Entry-based actions refuse a Bikeep entry."""
    await setup_entry(hass, bikeep_entry)
    for action in (DELETE, SEND):
        err = await act.refused(
            action,
            config_entry_id=bikeep_entry.entry_id,
            resort_lock_guest_id=RESORT_GUEST_ID,
        )
        assert err.translation_key == "wrong_vendor_entry"
