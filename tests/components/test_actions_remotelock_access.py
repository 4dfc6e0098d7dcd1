"""RemoteLock access-person actions against the simulator over real HTTP."""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smart_access.const import CONF_VENDOR, DOMAIN, Vendor
from simulator.remotelock.scenario import (
    ACS_DOOR_ID,
    AMSTERDAM_ID,
    BACK_DOOR_ID,
    CANAL_DOOR_ID,
    DOOR_GROUP_ID,
    FRONT_DOOR_ID,
    GUEST_UPCOMING_ID,
    THERMOSTAT_ID,
    USER_ANN_ID,
    USER_FORMER_ID,
    USER_OWNER_ID,
)
from simulator.server import RunningSimulator

from .actions import Actions, ha_device
from .conftest import setup_entry

SECRET_PIN = "97531"
SECRET_CARD = "86420"
SECRET_EMAIL = "guest.secret@example.com"


@pytest.fixture
async def los_angeles(hass: HomeAssistant) -> None:
    """Home Assistant in Los Angeles (set before the entry is set up)."""
    await hass.config.async_set_time_zone("America/Los_Angeles")


@pytest.fixture
def loaded(los_angeles: None, remotelock_loaded: RunningSimulator) -> RunningSimulator:
    """The RemoteLock entry, set up against the simulator; HA in Los Angeles."""
    remotelock_loaded.sim.requests.clear()
    return remotelock_loaded


@pytest.fixture
def act(hass: HomeAssistant, remotelock_entry: MockConfigEntry) -> Actions:
    """The actions, called for the RemoteLock entry."""
    return Actions(hass, remotelock_entry.entry_id)


def persons(sim: RunningSimulator) -> dict[str, dict[str, Any]]:
    """Return the simulator's access persons by id."""
    return dict(sim.sim.state.access_persons)


def accesses_of(sim: RunningSimulator, person_id: str) -> dict[str, dict[str, Any]]:
    """Return a person's accesses in the simulator, by accessible id."""
    return {
        a["attributes"]["accessible_id"]: a["attributes"]
        for a in sim.sim.state.accesses.values()
        if a["attributes"]["access_person_id"] == person_id
    }


async def test_create_guest_converts_across_dst(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """HA-local naive times become Denver wall-clock times across spring forward."""
    caplog.set_level(logging.DEBUG)
    result = await act(
        "create_access_guest",
        name="Spring Guest",
        # Los Angeles: 00:30 PST (08:30Z) and 03:00 PDT (10:00Z)
        starts_at="2030-03-10 00:30:00",
        ends_at="2030-03-10 03:00:00",
        generate_pin=True,
        devices=[ha_device(hass, FRONT_DOOR_ID)],
    )
    stored = persons(loaded)[result["access_person_id"]]["attributes"]
    # Denver: 01:30 MST and 04:00 MDT (02:00-03:00 does not exist that night)
    assert stored["starts_at"] == "2030-03-10T01:30:00"
    assert stored["ends_at"] == "2030-03-10T04:00:00"
    assert result["starts_at"] == "2030-03-10T01:30:00-07:00"
    assert result["ends_at"] == "2030-03-10T04:00:00-06:00"
    assert result["time_zone"] == "America/Denver"
    assert result["type"] == "access_guest"
    assert result["pin"] == stored["pin"]
    assert len(result["pin"]) == 6
    assert result["instructions"] == "not_requested"
    assert result["accesses"] == [
        {
            "target": "Front Door",
            "accessible_type": "lock",
            "accessible_id": FRONT_DOOR_ID,
            "access_id": result["accesses"][0]["access_id"],
        }
    ]
    assert set(accesses_of(loaded, result["access_person_id"])) == {FRONT_DOOR_ID}
    assert result["pin"] not in caplog.text


async def test_create_guest_in_amsterdam_with_scheduled_email(
    loaded: RunningSimulator, act: Actions, caplog: pytest.LogCaptureFixture
) -> None:
    """Aware times land in the location's zone; the e-mail is scheduled."""
    caplog.set_level(logging.DEBUG)
    result = await act(
        "create_access_guest",
        name="Canal Guest",
        starts_at="2030-03-31T00:30:00+00:00",
        ends_at="2030-03-31T01:30:00+00:00",
        pin=SECRET_PIN,
        card_number=SECRET_CARD,
        email=SECRET_EMAIL,
        locations=["canal house", AMSTERDAM_ID],  # the same, twice
        access_schedule="Office hours",
        instructions_days_before=2,
    )
    person_id = result["access_person_id"]
    stored = persons(loaded)[person_id]["attributes"]
    assert (stored["starts_at"], stored["ends_at"]) == (
        "2030-03-31T01:30:00",
        "2030-03-31T03:30:00",
    )
    assert result["starts_at"] == "2030-03-31T01:30:00+01:00"
    assert result["ends_at"] == "2030-03-31T03:30:00+02:00"
    assert result["time_zone"] == "Europe/Amsterdam"
    assert (result["pin"], result["card_number"]) == (SECRET_PIN, SECRET_CARD)
    assert result["instructions"] == "scheduled"
    assert len(result["accesses"]) == 1
    access = accesses_of(loaded, person_id)[AMSTERDAM_ID]
    assert access["accessible_type"] == "location"
    assert access["access_schedule_id"] is not None
    assert loaded.sim.emails[-1]["access_person_id"] == person_id
    assert loaded.sim.emails[-1]["days_before"] == 2
    for secret in (SECRET_PIN, SECRET_CARD, SECRET_EMAIL):
        assert secret not in caplog.text


async def test_create_user_with_door_group_and_email(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """A user gets a door group (by name, any case) and an ACS door; e-mail now."""
    result = await act(
        "create_access_user",
        name="Night Porter",
        card_number=SECRET_CARD,
        email=SECRET_EMAIL,
        department="Security",
        door_groups=["indoor locks"],
        devices=[ha_device(hass, ACS_DOOR_ID)],
        send_instructions=True,
    )
    assert result["type"] == "access_user"
    assert "starts_at" not in result
    assert result["department"] == "Security"
    assert result["instructions"] == "sent"
    assert {a["accessible_type"] for a in result["accesses"]} == {
        "acs_door",
        "door_group",
    }
    assert set(accesses_of(loaded, result["access_person_id"])) == {
        ACS_DOOR_ID,
        DOOR_GROUP_ID,
    }
    assert loaded.sim.emails[-1]["days_before"] is None
    # users need no time zone: no door-group lookup beyond the group list
    assert loaded.sim.requests.count("GET", f"/groups/{DOOR_GROUP_ID}/doors") == 0


async def test_create_without_response(loaded: RunningSimulator, act: Actions) -> None:
    """Called without a response, creating still works."""
    before = len(persons(loaded))
    created = await act(
        "create_access_user", response=False, name="Quiet", generate_pin=True
    )
    assert created is None
    assert len(persons(loaded)) == before + 1


async def test_guest_zone_from_door_group(
    loaded: RunningSimulator, act: Actions
) -> None:
    """A door group's doors give the zone (one request for its doors)."""
    result = await act(
        "create_access_guest",
        name="Group Guest",
        starts_at="2030-06-01T12:00:00+00:00",
        ends_at="2030-06-02T12:00:00+00:00",
        generate_pin=True,
        door_groups=[DOOR_GROUP_ID],
    )
    assert result["time_zone"] == "America/Denver"
    assert result["starts_at"] == "2030-06-01T06:00:00-06:00"
    assert loaded.sim.requests.count("GET", f"/groups/{DOOR_GROUP_ID}/doors") == 1


@pytest.mark.parametrize(
    ("targets", "key"),
    [
        (
            {"devices": [FRONT_DOOR_ID, CANAL_DOOR_ID]},
            "access_mixed_time_zones",
        ),
        (
            {"door_groups": ["Indoor Locks"], "locations": ["Canal House"]},
            "access_mixed_time_zones",
        ),
        ({}, "access_time_zone_unknown"),
    ],
)
async def test_guest_time_zone_must_be_clear(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    targets: dict[str, list[str]],
    key: str,
) -> None:
    """Targets in two zones, or none in a two-zone account: refused, nothing sent."""
    if "devices" in targets:
        targets = {"devices": [ha_device(hass, d) for d in targets["devices"]]}
    err = await act.refused(
        "create_access_guest",
        name="Confused",
        starts_at="2030-06-01 12:00:00",
        ends_at="2030-06-02 12:00:00",
        generate_pin=True,
        **targets,
    )
    assert err.translation_key == key
    assert loaded.sim.requests.count("POST") == 0


async def test_guest_repeated_hour_is_refused(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Fall back: later instant, earlier wall-clock time in Denver -> refused."""
    err = await act.refused(
        "create_access_guest",
        name="Fall Guest",
        starts_at="2030-11-03T01:30:00-06:00",
        ends_at="2030-11-03T01:10:00-07:00",
        generate_pin=True,
        devices=[ha_device(hass, BACK_DOOR_ID)],
    )
    assert err.translation_key == "access_end_before_start_local"
    assert err.translation_placeholders["time_zone"] == "America/Denver"
    assert loaded.sim.requests.count("POST") == 0


CREATE_GUEST_ERRORS: list[tuple[dict[str, Any], str]] = [
    ({"pin": "12a4"}, "access_pin_not_digits"),
    ({"pin": "\uff11\uff12\uff13\uff14"}, "access_pin_not_digits"),  # full-width
    ({"pin": "1234", "generate_pin": True}, "access_pin_and_generate"),
    ({}, "access_credential_required"),
    ({"pin": "  "}, "access_credential_required"),
    ({"name": "   ", "generate_pin": True}, "access_name_required"),
    (
        {"generate_pin": True, "send_instructions": True},
        "access_instructions_need_email",
    ),
    (
        {"generate_pin": True, "instructions_days_before": 1},
        "access_instructions_need_email",
    ),
    (
        {"generate_pin": True, "ends_at": "2030-06-01 11:00:00"},
        "access_end_before_start",
    ),
    (
        {"generate_pin": True, "locations": ["Atlantis", "Canal House"]},
        "access_unknown_locations",
    ),
    (
        {"generate_pin": True, "door_groups": ["Outdoor Locks"]},
        "access_unknown_door_groups",
    ),
    (
        {"generate_pin": True, "access_schedule": "Weekends"},
        "access_unknown_schedule",
    ),
]


async def test_create_guest_validation(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Bad input is refused with a translated error before anything is created."""
    for fields, key in CREATE_GUEST_ERRORS:
        data = {
            "name": "Checked",
            "starts_at": "2030-06-01 12:00:00",
            "ends_at": "2030-06-02 12:00:00",
            "devices": [ha_device(hass, FRONT_DOOR_ID)],
            **fields,
        }
        err = await act.refused("create_access_guest", **data)
        assert err.translation_key == key, fields
    assert loaded.sim.requests.count("POST") == 0


async def test_ambiguous_name(loaded: RunningSimulator, act: Actions) -> None:
    """Two door groups with one name: the id must be used."""
    twin = {"id": "twin-group", "type": "door_group", "attributes": {"name": "Twins"}}
    loaded.sim.state.groups["twin-group"] = twin
    loaded.sim.state.groups["twin-group-2"] = {**twin, "id": "twin-group-2"}
    err = await act.refused(
        "create_access_user", name="Twin", generate_pin=True, door_groups=["Twins"]
    )
    assert err.translation_key == "access_ambiguous_name"


async def test_device_targets_are_checked(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    remotelock_entry: MockConfigEntry,
    bikeep_entry: MockConfigEntry,
) -> None:
    """Unknown devices, the other vendor's, another account's, non-locks: refused."""
    await setup_entry(hass, bikeep_entry)
    registry = dr.async_get(hass)
    bikeep_device = next(
        d for d in dr.async_entries_for_config_entry(registry, bikeep_entry.entry_id)
    )
    other_entry = MockConfigEntry(
        domain=DOMAIN, title="Other account", data={CONF_VENDOR: Vendor.REMOTELOCK}
    )
    other_entry.add_to_hass(hass)
    other_entry.mock_state(hass, ConfigEntryState.LOADED)
    other_device = registry.async_get_or_create(
        config_entry_id=other_entry.entry_id,
        identifiers={(DOMAIN, "other-lock")},
        name="Other Lock",
    )
    gone_device = registry.async_get_or_create(
        config_entry_id=remotelock_entry.entry_id,
        identifiers={(DOMAIN, "vanished-lock")},
        name="Vanished Lock",
    )
    cases = [
        ("no-such-device", "unknown_device"),
        (bikeep_device.id, "wrong_vendor_device"),
        (other_device.id, "access_device_other_account"),
        (gone_device.id, "access_device_gone"),
        (ha_device(hass, THERMOSTAT_ID), "access_device_not_accessible"),
    ]
    for device_id, key in cases:
        err = await act.refused(
            "grant_access", access_person_id=USER_ANN_ID, devices=[device_id]
        )
        assert err.translation_key == key, device_id
    assert err.translation_placeholders["type"] == "thermostat"
    err = await act.refused(
        "list_access_persons", config_entry_id=bikeep_entry.entry_id
    )
    assert err.translation_key == "wrong_vendor_entry"
    assert loaded.sim.requests.count("POST") == 0


async def test_vendor_field_error_names_the_field(
    loaded: RunningSimulator, act: Actions, caplog: pytest.LogCaptureFixture
) -> None:
    """A 422 (PIN already taken) reaches the user naming the field, not the PIN."""
    caplog.set_level(logging.DEBUG)
    err = await act.refused("create_access_user", name="Copycat", pin="1234")
    assert err.translation_key == "action_invalid"
    assert "pin: has already been taken" in err.translation_placeholders["fields"]
    assert "1234" not in str(err.translation_placeholders)
    assert "1234" not in caplog.text


async def test_vendor_server_error(loaded: RunningSimulator, act: Actions) -> None:
    """A 5xx on creation is a HomeAssistantError; nothing was created."""
    before = len(persons(loaded))
    loaded.sim.faults.add("server_error", status=503, path="/access_persons")
    err = await act.refused(
        "create_access_user",
        error=HomeAssistantError,
        name="Unlucky",
        generate_pin=True,
    )
    assert not isinstance(err, ServiceValidationError)
    assert err.translation_key == "command_cannot_connect"
    assert len(persons(loaded)) == before


async def test_create_with_failed_grant_reports_person(
    hass: HomeAssistant,
    loaded: RunningSimulator,
    act: Actions,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The person exists, one grant failed: the error names both; no e-mail."""
    caplog.set_level(logging.DEBUG)
    loaded.sim.faults.add(
        "server_error", status=500, path="/access_persons/", method="POST"
    )
    err = await act.refused(
        "create_access_user",
        error=HomeAssistantError,
        name="Half Done",
        pin=SECRET_PIN,
        email=SECRET_EMAIL,
        send_instructions=True,
        devices=[ha_device(hass, FRONT_DOOR_ID), ha_device(hass, BACK_DOOR_ID)],
    )
    assert err.translation_key == "access_create_grants_failed"
    placeholders = err.translation_placeholders
    created = next(
        pid
        for pid, p in persons(loaded).items()
        if p["attributes"]["name"] == "Half Done"
    )
    assert placeholders["person_id"] == created
    assert placeholders["failed"].startswith("Front Door: server error 500")
    assert placeholders["done"] == "Back Door"
    assert set(accesses_of(loaded, created)) == {BACK_DOOR_ID}
    assert not [e for e in loaded.sim.emails if e["access_person_id"] == created]
    assert SECRET_PIN not in caplog.text
    assert SECRET_PIN not in str(placeholders)


async def test_create_with_failed_email_reports_person(
    loaded: RunningSimulator, act: Actions
) -> None:
    """Grants worked, the e-mail did not: the error says the person exists."""
    loaded.sim.faults.add(
        "server_error", status=502, path="/access_persons/", method="POST"
    )
    err = await act.refused(
        "create_access_user",
        error=HomeAssistantError,
        name="No Mail",
        generate_pin=True,
        email=SECRET_EMAIL,
        send_instructions=True,
    )
    assert err.translation_key == "access_create_email_failed"
    assert err.translation_placeholders["person_id"] in persons(loaded)
    assert "server error 502" in err.translation_placeholders["error"]


async def test_grant_and_revoke(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Grant with a schedule; revoke again; responses list each target."""
    targets = {
        "access_person_id": USER_OWNER_ID,
        "devices": [ha_device(hass, CANAL_DOOR_ID)],
        "door_groups": ["Indoor Locks"],
    }
    granted = await act("grant_access", access_schedule="office hours", **targets)
    assert granted["access_person_id"] == USER_OWNER_ID
    assert [a["target"] for a in granted["accesses"]] == [
        "Canal House Door",
        "Indoor Locks",
    ]
    owner = accesses_of(loaded, USER_OWNER_ID)
    assert owner[CANAL_DOOR_ID]["access_schedule_id"] is not None
    assert DOOR_GROUP_ID in owner
    revoked = await act("revoke_access", **targets)
    assert {r["access_id"] for r in revoked["revoked"]} == {
        a["access_id"] for a in granted["accesses"]
    }
    assert set(accesses_of(loaded, USER_OWNER_ID)) == set(owner) - {
        CANAL_DOOR_ID,
        DOOR_GROUP_ID,
    }


async def test_grant_and_revoke_without_response(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Without a response the actions return nothing and still work."""
    data = {
        "access_person_id": USER_OWNER_ID,
        "devices": [ha_device(hass, BACK_DOOR_ID)],
    }
    assert await act("grant_access", response=False, **data) is None
    assert BACK_DOOR_ID in accesses_of(loaded, USER_OWNER_ID)
    assert await act("revoke_access", response=False, **data) is None
    assert BACK_DOOR_ID not in accesses_of(loaded, USER_OWNER_ID)


async def test_grant_partial_failure(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Ann already has the Front Door: that grant fails, the Back Door works."""
    err = await act.refused(
        "grant_access",
        error=HomeAssistantError,
        access_person_id=USER_ANN_ID,
        devices=[ha_device(hass, FRONT_DOOR_ID), ha_device(hass, BACK_DOOR_ID)],
    )
    assert err.translation_key == "access_steps_failed"
    placeholders = err.translation_placeholders
    assert placeholders["failed"] == "Front Door: accessible_id: has already been taken"
    assert placeholders["done"] == "Back Door"
    assert placeholders["action"] == "grant_access"
    assert BACK_DOOR_ID in accesses_of(loaded, USER_ANN_ID)


async def test_grant_all_fail_and_unknown_person(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Every grant failing lists them all; an unknown person is not found."""
    err = await act.refused(
        "grant_access",
        error=HomeAssistantError,
        access_person_id=USER_ANN_ID,
        devices=[ha_device(hass, FRONT_DOOR_ID)],
    )
    assert err.translation_placeholders["done"] == "-"
    err = await act.refused(
        "grant_access", access_person_id="no-such-person", locations=[AMSTERDAM_ID]
    )
    assert err.translation_key == "action_not_found"
    err = await act.refused("grant_access", access_person_id=USER_ANN_ID)
    assert err.translation_key == "access_no_targets"


async def test_revoke_checks_and_partial_failure(
    hass: HomeAssistant, loaded: RunningSimulator, act: Actions
) -> None:
    """Revoking what was not granted is refused; a failed revoke is listed."""
    err = await act.refused(
        "revoke_access",
        access_person_id=USER_ANN_ID,
        devices=[ha_device(hass, BACK_DOOR_ID)],
        locations=["LockState Headquarters"],
    )
    assert err.translation_key == "access_not_granted"
    assert (
        err.translation_placeholders["targets"] == "Back Door, LockState Headquarters"
    )
    loaded.sim.faults.add("server_error", status=500, method="DELETE")
    err = await act.refused(
        "revoke_access",
        error=HomeAssistantError,
        access_person_id=USER_ANN_ID,
        devices=[ha_device(hass, FRONT_DOOR_ID)],
        door_groups=["Indoor Locks"],
    )
    assert err.translation_key == "access_steps_failed"
    assert err.translation_placeholders["done"] == "Indoor Locks"
    assert set(accesses_of(loaded, USER_ANN_ID)) == {FRONT_DOOR_ID}


async def test_update_person(
    loaded: RunningSimulator, act: Actions, caplog: pytest.LogCaptureFixture
) -> None:
    """Name and a new generated PIN; the response carries the new PIN."""
    caplog.set_level(logging.DEBUG)
    result = await act(
        "update_access_person",
        access_person_id=USER_OWNER_ID,
        name="Property Owner",
        generate_pin=True,
    )
    stored = persons(loaded)[USER_OWNER_ID]["attributes"]
    assert stored["name"] == result["name"] == "Property Owner"
    assert result["pin"] == stored["pin"] != "2345"
    assert stored["pin"] not in caplog.text
    updated = await act(
        "update_access_person",
        response=False,
        access_person_id=USER_OWNER_ID,
        pin=SECRET_PIN,
    )
    assert updated is None
    assert persons(loaded)[USER_OWNER_ID]["attributes"]["pin"] == SECRET_PIN
    assert SECRET_PIN not in caplog.text


async def test_update_guest_times(loaded: RunningSimulator, act: Actions) -> None:
    """A guest's new times go to the zone of its accesses (Amsterdam)."""
    result = await act(
        "update_access_person",
        access_person_id=GUEST_UPCOMING_ID,
        starts_at="2030-03-31T00:30:00+00:00",
        ends_at="2030-04-02 03:00:00",
    )
    stored = persons(loaded)[GUEST_UPCOMING_ID]["attributes"]
    assert stored["starts_at"] == "2030-03-31T01:30:00"
    # 03:00 in Los Angeles (PDT) is 12:00 in Amsterdam (CEST)
    assert stored["ends_at"] == "2030-04-02T12:00:00"
    assert result["starts_at"] == "2030-03-31T01:30:00+01:00"
    assert result["ends_at"] == "2030-04-02T12:00:00+02:00"
    assert result["time_zone"] == "Europe/Amsterdam"


UPDATE_ERRORS: list[tuple[str, dict[str, Any], str]] = [
    (USER_OWNER_ID, {}, "access_nothing_to_update"),
    (USER_OWNER_ID, {"name": "  "}, "access_nothing_to_update"),
    (USER_OWNER_ID, {"pin": "12-34"}, "access_pin_not_digits"),
    (USER_OWNER_ID, {"ends_at": "2030-01-01 00:00:00"}, "access_times_for_user"),
    (
        GUEST_UPCOMING_ID,
        {"starts_at": "2030-01-02 00:00:00", "ends_at": "2030-01-01 00:00:00"},
        "access_end_before_start",
    ),
    (
        GUEST_UPCOMING_ID,
        {"ends_at": "2020-01-01 00:00:00"},
        "access_end_before_start_local",
    ),
]


async def test_update_validation(loaded: RunningSimulator, act: Actions) -> None:
    """Bad updates are refused with translated errors; nothing is sent to change."""
    for person_id, fields, key in UPDATE_ERRORS:
        err = await act.refused(
            "update_access_person", access_person_id=person_id, **fields
        )
        assert err.translation_key == key, fields
    assert loaded.sim.requests.count("PUT") == 0
    err = await act.refused(
        "update_access_person", access_person_id="no-such-person", name="Nobody"
    )
    assert err.translation_key == "action_not_found"


async def test_update_deactivated_person_is_refused(
    loaded: RunningSimulator, act: Actions
) -> None:
    """The service refuses to change a deactivated person (403)."""
    err = await act.refused(
        "update_access_person",
        error=HomeAssistantError,
        access_person_id=USER_FORMER_ID,
        name="Back Again",
    )
    assert err.translation_key == "command_forbidden"
    assert "can no longer be updated" in err.translation_placeholders["error"]


async def test_deactivate_list_delete(loaded: RunningSimulator, act: Actions) -> None:
    """Deactivated persons stay listable; deleted ones are gone."""
    owner = {"access_person_id": USER_OWNER_ID}
    assert await act("deactivate_access_person", **owner) is None
    current = await act("list_access_persons")
    ids = {p["access_person_id"] for p in current["access_persons"]}
    assert USER_OWNER_ID not in ids
    assert USER_ANN_ID in ids
    assert current["total_count"] == len(current["access_persons"])
    assert current["truncated"] is False
    assert all("pin" not in p for p in current["access_persons"])
    past = await act(
        "list_access_persons",
        statuses=["deactivated"],
        type="access_user",
        include_secrets=True,
    )
    by_id = {p["access_person_id"]: p for p in past["access_persons"]}
    assert set(by_id) == {USER_OWNER_ID, USER_FORMER_ID}
    assert by_id[USER_FORMER_ID]["pin"] == "3456"
    assert by_id[USER_OWNER_ID]["status"] == "deactivated"
    guests = await act("list_access_persons", type="access_guest")
    upcoming = next(
        p
        for p in guests["access_persons"]
        if p["access_person_id"] == GUEST_UPCOMING_ID
    )
    assert (
        upcoming["starts_at"]
        == persons(loaded)[GUEST_UPCOMING_ID]["attributes"]["starts_at"]
    )
    assert "time_zone" not in upcoming
    assert await act("delete_access_person", **owner) is None
    assert USER_OWNER_ID not in persons(loaded)
    for service in ("deactivate_access_person", "delete_access_person"):
        err = await act.refused(service, **owner)
        assert err.translation_key == "action_not_found"
