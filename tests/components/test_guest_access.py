"""Guest access from a calendar: Home Assistant's Local Calendar → RemoteLock guests.

Everything here goes through what a user touches: the subentry flow, the calendar
(created, moved and deleted events over the websocket API the calendar panel
uses), the link's entities, the sync action, repairs and notifications, against
the RemoteLock simulator over real HTTP.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
import logging
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.smart_access.api.remotelock import RemoteLockClient
from custom_components.smart_access.const import DOMAIN
from custom_components.smart_access.guest_link_entity import links
from custom_components.smart_access.guest_link_store import LinkIndex, dump, load
from custom_components.smart_access.guest_sync.sync import LinkState
from simulator.remotelock.scenario import (
    ACCESS_SCHEDULE_ID,
    BACK_DOOR_ID,
    CANAL_DOOR_ID,
    DENVER_ID,
    DOOR_GROUP_ID,
    FRONT_DOOR_ID,
)
from simulator.server import RunningSimulator

from .conftest import setup_entry

CALENDAR = "calendar.rentals"
DENVER = ZoneInfo("America/Denver")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PHONE_PIN = "4567"


@pytest.fixture
async def rentals(hass: HomeAssistant, tmp_path: Path) -> MockConfigEntry:
    """Home Assistant's Local Calendar "Rentals" (HA in Los Angeles).

    Its .ics file goes to a temporary configuration folder.
    """
    await hass.config.async_set_time_zone("America/Los_Angeles")
    hass.config.config_dir = str(tmp_path)
    (tmp_path / ".storage").mkdir()
    entry = MockConfigEntry(domain="local_calendar", data={"calendar_name": "Rentals"})
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(CALENDAR) is not None
    return entry


@pytest.fixture
async def account(
    hass: HomeAssistant,
    rentals: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> MockConfigEntry:
    """The RemoteLock entry, loaded, with the Rentals calendar next to it."""
    await setup_entry(hass, remotelock_entry)
    return remotelock_entry


def link_form(
    targets: list[str],
    *,
    times: dict[str, Any] | None = None,
    guests: dict[str, Any] | None = None,
    host: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the link form as a user fills it in (defaults, then the changes)."""
    return {
        "calendar": CALENDAR,
        "targets": targets,
        "times": {
            "check_in_buffer": 0,
            "check_out_buffer": 0,
            "look_ahead": 14,
            **(times or {}),
        },
        "guests": {
            "name_template": "{{ summary }}",
            "pin_source": "generated",
            "pin_digits": 4,
            "send_instructions": False,
            **(guests or {}),
        },
        "host": {"hands_off": False, **(host or {})},
    }


async def start_link_flow(hass: HomeAssistant, entry: MockConfigEntry) -> Any:
    """Open "Add guest access from a calendar" on ``entry``."""
    return await hass.config_entries.subentries.async_init(
        (entry.entry_id, "guest_access"), context={"source": SOURCE_USER}
    )


async def start_reconfigure(
    hass: HomeAssistant, entry: MockConfigEntry, subentry_id: str
) -> Any:
    """Open a link's "Reconfigure" (its menu)."""
    return await hass.config_entries.subentries.async_init(
        (entry.entry_id, "guest_access"),
        context={"source": SOURCE_RECONFIGURE, "subentry_id": subentry_id},
    )


async def add_link(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    targets: list[str],
    *,
    times: dict[str, Any] | None = None,
    guests: dict[str, Any] | None = None,
    host: dict[str, Any] | None = None,
) -> str:
    """Add a link through the subentry flow; return its subentry id."""
    result = await start_link_flow(hass, entry)
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], link_form(targets, times=times, guests=guests, host=host)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    [subentry_id] = [
        sid
        for sid, sub in entry.subentries.items()
        if sub.subentry_type == "guest_access"
    ][-1:]
    return subentry_id


async def delete_event(ws: Any, uid: str) -> None:
    """Delete an event of the Rentals calendar as the calendar panel does."""
    await ws.send_json_auto_id(
        {"type": "calendar/event/delete", "entity_id": CALENDAR, "uid": uid}
    )
    assert (await ws.receive_json())["success"]


async def fix_issue(
    client: Any, issue_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Open an issue's repair and submit it; return (its form, the outcome)."""
    resp = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    flow = await resp.json()
    resp = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
    return flow, await resp.json()


def drop_device(entry: MockConfigEntry, device_id: str) -> None:
    """Take a device out of the coordinator's snapshot (gone from the account)."""
    coordinator = entry.runtime_data.coordinator
    devices = dict(coordinator.data.devices)
    del devices[device_id]
    coordinator.data = replace(coordinator.data, devices=devices)


async def sync_all(
    hass: HomeAssistant, entry: MockConfigEntry, **data: Any
) -> dict[str, Any]:
    """Run the sync action for the entry (``data``: e.g. ``link``); its answer."""
    response = await hass.services.async_call(
        DOMAIN,
        "sync_guest_access",
        {"config_entry_id": entry.entry_id, **data},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    await hass.async_block_till_done()
    return dict(response)


async def create_event(
    hass: HomeAssistant,
    summary: str,
    start: datetime,
    end: datetime,
    description: str = "",
) -> str:
    """Create an event in the Rentals calendar; return its uid."""
    await hass.services.async_call(
        "calendar",
        "create_event",
        {
            "entity_id": CALENDAR,
            "summary": summary,
            "start_date_time": start.isoformat(),
            "end_date_time": end.isoformat(),
            "description": description,
        },
        blocking=True,
    )
    entity = hass.data["calendar"].get_entity(CALENDAR)
    events = await entity.async_get_events(hass, start - timedelta(hours=1), end)
    [uid] = [event.uid for event in events if event.summary == summary]
    return str(uid)


async def sync(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """Run the sync action and return its answer for the (first) link."""
    return dict((await sync_all(hass, entry))["links"][0])


def guests(sim: RunningSimulator) -> list[dict[str, Any]]:
    """Return the simulator's guests made by a link (their names carry a marker)."""
    return [
        {"id": pid, **person["attributes"]}
        for pid, person in sim.sim.state.access_persons.items()
        if person["type"] == "access_guest"
        and "[" in (person["attributes"]["name"] or "")
    ]


def doors_of(sim: RunningSimulator, person_id: str) -> set[str]:
    """Return the ids a person has access to in the simulator."""
    return {
        a["attributes"]["accessible_id"]
        for a in sim.sim.state.accesses.values()
        if a["attributes"]["access_person_id"] == person_id
    }


async def later(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Let ``delta`` pass (the clock and Home Assistant's timers) and settle."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def tomorrow_at(hour: int, zone: ZoneInfo = DENVER, days: int = 1) -> datetime:
    """Return a moment ``days`` from now at ``hour`` o'clock in ``zone``."""
    day = dt_util.now(zone).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone)


async def test_booking_becomes_guest_with_local_times(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """A booking becomes one guest per zone, at each zone's wall-clock times."""
    start, end = tomorrow_at(15), tomorrow_at(11, days=3)
    await create_event(hass, "Ann Smith", start, end)
    await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}", f"lock:{CANAL_DOOR_ID}"])

    made = sorted(guests(remotelock_sim), key=lambda g: g["starts_at"])
    assert len(made) == 2  # Denver and Amsterdam
    by_door = {frozenset(doors_of(remotelock_sim, g["id"])): g for g in made}
    denver = by_door[frozenset({FRONT_DOOR_ID})]
    amsterdam = by_door[frozenset({CANAL_DOOR_ID})]
    assert denver["starts_at"].startswith(start.strftime("%Y-%m-%dT15:00"))
    assert denver["ends_at"].startswith(end.strftime("%Y-%m-%dT11:00"))
    local = start.astimezone(AMSTERDAM)
    assert amsterdam["starts_at"].startswith(local.strftime("%Y-%m-%dT%H:%M"))
    assert denver["name"].startswith("Ann Smith [")

    # What the user sees: the link's device with its calendar and sensors.
    state = hass.states.get("sensor.rentals_next_check_in")
    assert state is not None
    assert dt_util.parse_datetime(state.state) == start
    assert state.attributes["guest"] == "Ann Smith"
    calendar = hass.states.get("calendar.rentals_guests")
    assert calendar is not None
    assert calendar.attributes["message"] == "Ann Smith"
    assert hass.states.get("switch.rentals_sync_guests").state == "on"  # type: ignore[union-attr]


async def test_move_and_delete_booking(
    hass: HomeAssistant,
    account: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    hass_ws_client: WebSocketGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Moving the event moves the guest; deleting it deactivates the guest."""
    start, end = tomorrow_at(15), tomorrow_at(11, days=2)
    uid = await create_event(hass, "Bo Lee", start, end)
    await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    [guest] = guests(remotelock_sim)
    ws = await hass_ws_client(hass)
    new_end = tomorrow_at(11, days=4)
    await ws.send_json_auto_id(
        {
            "type": "calendar/event/update",
            "entity_id": CALENDAR,
            "uid": uid,
            "event": {
                "summary": "Bo Lee",
                "dtstart": start.isoformat(),
                "dtend": new_end.isoformat(),
            },
        }
    )
    assert (await ws.receive_json())["success"]
    # The calendar's state changed: the link syncs by itself (once its ten-second
    # cooldown after the last sync is over).
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=15))
    await hass.async_block_till_done()
    [moved] = guests(remotelock_sim)
    assert moved["id"] == guest["id"]
    assert moved["ends_at"].startswith(new_end.strftime("%Y-%m-%dT11:00"))

    await delete_event(ws, uid)
    await later(hass, freezer, timedelta(seconds=30))
    # A cancellation is carried out once the booking has stayed gone for 10
    # minutes: a feed that comes back short for a while costs no one access.
    [held] = guests(remotelock_sim)
    assert held["status"] != "deactivated"
    await later(hass, freezer, timedelta(minutes=5))
    assert guests(remotelock_sim)[0]["status"] != "deactivated"
    await later(hass, freezer, timedelta(minutes=6))
    [gone] = guests(remotelock_sim)
    assert gone["status"] == "deactivated"
    assert hass.states.get("sensor.rentals_next_check_in").state == "unknown"  # type: ignore[union-attr]


async def test_portal_deletion_is_restored_and_host_told(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """A guest deleted in the portal is created again; the host gets the new PIN."""
    told = async_mock_service(hass, "notify", "host_phone")
    await create_event(hass, "Cy Doe", tomorrow_at(15), tomorrow_at(11, days=2))
    await add_link(
        hass, account, [f"lock:{FRONT_DOOR_ID}"], host={"notify": "notify.host_phone"}
    )
    [guest] = guests(remotelock_sim)
    assert len(told) == 1
    assert guest["pin"] in told[0].data["message"]
    assert "Cy Doe" in told[0].data["message"]

    del remotelock_sim.sim.state.access_persons[guest["id"]]
    answer = await sync(hass, account)
    assert [item["reason"] for item in answer["created"]] == ["restore"]
    [again] = guests(remotelock_sim)
    assert again["id"] != guest["id"]
    assert len(told) == 2
    assert again["pin"] in told[1].data["message"]


async def test_restart_keeps_one_guest_per_booking(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """A restart, even one that lost the link's file, makes no second guest."""
    await create_event(hass, "Di Roe", tomorrow_at(15), tomorrow_at(11, days=2))
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    assert len(guests(remotelock_sim)) == 1

    await hass.config_entries.async_reload(account.entry_id)
    await hass.async_block_till_done()
    assert len(guests(remotelock_sim)) == 1

    # The mapping is lost (as if Home Assistant stopped before it was saved).
    link = links(account)[subentry_id]
    link.state.applied.clear()
    answer = await sync(hass, account)
    assert answer["created"] == []
    assert len(guests(remotelock_sim)) == 1
    assert len(link.state.applied) == 1


async def test_pin_from_event_and_duplicate(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """The phone's last digits are the PIN; a PIN in use gets a generated one."""
    told = async_mock_service(hass, "notify", "host_phone")
    await create_event(
        hass,
        "Ed Poe",
        tomorrow_at(15),
        tomorrow_at(11, days=2),
        description=f"Phone: +1 303 555 {PHONE_PIN}",
    )
    await create_event(
        hass,
        "Flo Fox",
        tomorrow_at(15, days=3),
        tomorrow_at(11, days=5),
        description=f"Phone: +1 720 555 {PHONE_PIN}",
    )
    await add_link(
        hass,
        account,
        [f"lock:{FRONT_DOOR_ID}"],
        guests={"pin_source": "event"},
        host={"notify": "notify.host_phone"},
    )
    # The follow-up sync (a PIN was refused) runs soon after (within the
    # calendar's ten-second cooldown).
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=15))
    await hass.async_block_till_done()
    made = {g["name"].split(" [")[0]: g for g in guests(remotelock_sim)}
    assert set(made) == {"Ed Poe", "Flo Fox"}
    pins = {made["Ed Poe"]["pin"], made["Flo Fox"]["pin"]}
    assert PHONE_PIN in pins
    assert len(pins) == 2
    other = next(g for g in made.values() if g["pin"] != PHONE_PIN)
    new_pin_messages = [c for c in told if "already used" in c.data["message"]]
    assert len(new_pin_messages) == 1
    assert other["pin"] in new_pin_messages[0].data["message"]


async def test_calendar_unavailable_changes_nothing(
    hass: HomeAssistant,
    account: MockConfigEntry,
    rentals: MockConfigEntry,
    remotelock_sim: RunningSimulator,
) -> None:
    """A calendar that cannot be read is not "no bookings"; the third time, a repair."""
    await create_event(hass, "Gil Ray", tomorrow_at(15), tomorrow_at(11, days=2))
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    await hass.config_entries.async_unload(rentals.entry_id)
    await hass.async_block_till_done()
    for _ in range(3):
        answer = await sync(hass, account)
        assert answer["status"] == "calendar_unavailable"
    [guest] = guests(remotelock_sim)
    assert guest["status"] != "deactivated"
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"guest_calendar_unavailable_{account.entry_id}_{subentry_id}"
    )
    assert issue is not None

    await hass.config_entries.async_setup(rentals.entry_id)
    await hass.async_block_till_done()
    assert (await sync(hass, account))["status"] == "synced"
    assert (
        ir.async_get(hass).async_get_issue(
            DOMAIN, f"guest_calendar_unavailable_{account.entry_id}_{subentry_id}"
        )
        is None
    )


async def test_pause_switch(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """Paused, the link leaves RemoteLock alone; resumed, it syncs at once."""
    await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.rentals_sync_guests"}, blocking=True
    )
    await create_event(hass, "Hal Ash", tomorrow_at(15), tomorrow_at(11, days=2))
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=6))
    await hass.async_block_till_done()
    assert guests(remotelock_sim) == []
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.rentals_sync_guests"}, blocking=True
    )
    await hass.async_block_till_done()
    assert len(guests(remotelock_sim)) == 1


async def test_interval_sync_picks_up_new_booking(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """Every five minutes the link reads the calendar again."""
    await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    await create_event(
        hass, "Ivy Oak", tomorrow_at(15, days=5), tomorrow_at(11, days=6)
    )
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=6))
    await hass.async_block_till_done()
    assert len(guests(remotelock_sim)) == 1


async def test_reconfigure_targets_and_remove(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """Changing the doors moves the guests; removing the link deactivates them."""
    await create_event(hass, "Jo Elm", tomorrow_at(15), tomorrow_at(11, days=2))
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    [guest] = guests(remotelock_sim)

    result = await start_reconfigure(hass, account, subentry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "settings"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        link_form(
            [f"lock:{BACK_DOOR_ID}", f"door_group:{DOOR_GROUP_ID}"],
            times={"check_in_buffer": 30},
        ),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    strings = await async_get_translations(hass, "en", "config_subentries", [DOMAIN])
    key = f"component.{DOMAIN}.config_subentries.guest_access.abort."
    assert strings[key + "reconfigure_successful"] == "The link was updated."
    await hass.async_block_till_done()
    [moved] = guests(remotelock_sim)
    assert moved["id"] == guest["id"]
    assert doors_of(remotelock_sim, guest["id"]) == {BACK_DOOR_ID, DOOR_GROUP_ID}
    assert moved["starts_at"].startswith(tomorrow_at(14).strftime("%Y-%m-%dT14:30"))

    result = await start_reconfigure(hass, account, subentry_id)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "remove"}
    )
    assert result["description_placeholders"]["count"] == "1"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"deactivate_guests": True}
    )
    assert result["reason"] == "link_removed"
    await hass.async_block_till_done()
    [gone] = guests(remotelock_sim)
    assert gone["status"] == "deactivated"
    assert subentry_id not in account.subentries
    assert hass.states.get("switch.rentals_sync_guests") is None


async def test_flow_errors(hass: HomeAssistant, account: MockConfigEntry) -> None:
    """A bad template or notify target is refused with a clear error."""
    result = await start_link_flow(hass, account)
    form = link_form([f"lock:{FRONT_DOOR_ID}"], guests={"name_template": "{{ summary"})
    with pytest.raises(InvalidData):
        await hass.config_entries.subentries.async_configure(result["flow_id"], form)
    form["guests"]["name_template"] = "{{ summary }}"
    form["host"]["notify"] = "notify.nobody"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], form
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "notify_not_found"}
    form["host"] = {"hands_off": False}
    form["targets"] = []
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], form
    )
    assert result["errors"] == {"targets": "no_targets"}


async def test_the_flow_reads_the_group_list_once(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """Shown, refused and saved: one GET /groups for the whole flow."""
    remotelock_sim.sim.requests.clear()
    result = await start_link_flow(hass, account)
    form = link_form([f"door_group:{DOOR_GROUP_ID}"])
    form["host"]["notify"] = "notify.nobody"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], form
    )
    assert result["errors"] == {"base": "notify_not_found"}
    form["host"] = {"hands_off": False}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], form
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    group_lists = [
        entry
        for entry in remotelock_sim.sim.requests.entries
        if entry.method == "GET" and entry.path == "/groups"
    ]
    assert len(group_lists) == 1


async def test_failed_create_raises_repairs(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """A create RemoteLock refuses, for a stay already begun: two repairs."""
    now = dt_util.now(DENVER)
    await create_event(
        hass, "Kim Ash", now - timedelta(hours=1), now + timedelta(days=1)
    )
    remotelock_sim.sim.faults.add(
        "server_error", status=500, path="/access_persons", method="POST", count=50
    )
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    registry = ir.async_get(hass)
    failed = registry.async_get_issue(
        DOMAIN, f"guest_sync_failed_{account.entry_id}_{subentry_id}"
    )
    late = registry.async_get_issue(
        DOMAIN, f"guest_late_{account.entry_id}_{subentry_id}"
    )
    assert failed is not None
    assert "Kim Ash" in failed.translation_placeholders["items"]  # type: ignore[index]
    assert late is not None
    remotelock_sim.sim.faults.clear()
    answer = await sync(hass, account)
    assert len(answer["created"]) == 1
    assert registry.async_get_issue(DOMAIN, failed.issue_id) is None
    assert registry.async_get_issue(DOMAIN, late.issue_id) is None


async def test_no_pin_in_logs_attributes_or_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    account: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The PIN reaches the host's notify target and nothing else."""
    caplog.set_level(logging.DEBUG)
    async_mock_service(hass, "notify", "host_phone")
    await create_event(
        hass,
        "Lu Park",
        tomorrow_at(15),
        tomorrow_at(11, days=2),
        description=f"+1 303 555 {PHONE_PIN}",
    )
    await add_link(
        hass,
        account,
        [f"lock:{FRONT_DOOR_ID}"],
        guests={"pin_source": "event"},
        host={"notify": "notify.host_phone"},
    )
    [guest] = guests(remotelock_sim)
    assert guest["pin"] == PHONE_PIN
    answer = await sync(hass, account)
    assert PHONE_PIN not in repr(answer)
    for state in hass.states.async_all():
        if state.entity_id.startswith(
            ("sensor.rentals", "calendar.rentals_", "switch.rentals")
        ):
            assert PHONE_PIN not in repr(state.attributes)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, account)
    assert PHONE_PIN not in repr(diagnostics)
    assert "Lu Park" not in repr(diagnostics["guest_access"])
    ours = [r for r in caplog.records if r.name.startswith("custom_components")]
    assert ours  # the link logged (at debug level)
    assert not [r for r in ours if PHONE_PIN in r.getMessage()]


async def test_lock_sync_failure_names_the_booking(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """RemoteLock's access_person_sync_failed for a managed guest names the booking."""
    await create_event(hass, "Mo Ito", tomorrow_at(15), tomorrow_at(11, days=2))
    await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    [guest] = guests(remotelock_sim)
    await remotelock_sim.sim.control_trigger(
        "emit_event",
        {
            "device_id": FRONT_DOOR_ID,
            "event_type": "access_person_sync_failed",
            "associated_resource_id": guest["id"],
            "attributes": {"status_info": "timeout"},
        },
    )
    await remotelock_sim.sim.webhooks.flush()
    # The delivery is processed in a background task (it reads the guest's name).
    await hass.async_block_till_done(wait_background_tasks=True)
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"sync_failed_{account.entry_id}_{guest['id']}_{FRONT_DOOR_ID}"
    )
    assert issue is not None
    assert issue.translation_key == "guest_lock_sync_failed"
    assert issue.translation_placeholders["booking"] == "Mo Ito (Rentals)"  # type: ignore[index]


async def test_current_guest_follows_the_clock(
    hass: HomeAssistant,
    account: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """At check-in the "Current guest" sensor names the guest, without a sync."""
    # Access begins (an hour's buffer) within the 5-minute sync interval and before
    # the event itself starts: only the link's own timer can flip the sensor.
    start = dt_util.now(DENVER).replace(second=0, microsecond=0) + timedelta(minutes=3)
    booked = start + timedelta(hours=1)
    await create_event(hass, "Ned Oak", booked, booked + timedelta(days=1))
    await add_link(
        hass, account, [f"lock:{FRONT_DOOR_ID}"], times={"check_in_buffer": 60}
    )
    assert hass.states.get("sensor.rentals_current_guest").state == "unknown"  # type: ignore[union-attr]
    freezer.move_to(start + timedelta(seconds=1))
    async_fire_time_changed(hass, start + timedelta(seconds=1))
    await hass.async_block_till_done()
    state = hass.states.get("sensor.rentals_current_guest")
    assert state is not None
    assert state.state == "Ned Oak"
    assert state.attributes["doors"] == ["Front Door"]


async def test_hands_off_reports_portal_changes(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """With hands off, a guest changed in the portal is reported, not restored."""
    await create_event(hass, "Oli Fir", tomorrow_at(15), tomorrow_at(11, days=2))
    subentry_id = await add_link(
        hass, account, [f"lock:{FRONT_DOOR_ID}"], host={"hands_off": True}
    )
    # The account's guest list is read anew after the link's writes, before the
    # portal change: the action must not take that read.
    await hass.async_block_till_done(wait_background_tasks=True)
    assert account.runtime_data.guests.read_at is not None
    [guest] = guests(remotelock_sim)
    record = remotelock_sim.sim.state.access_persons[guest["id"]]
    record["attributes"]["ends_at"] = tomorrow_at(11, days=5).strftime(
        "%Y-%m-%dT%H:%M:%S"
    )
    answer = await sync(hass, account)
    assert [item["reason"] for item in answer["reported"]] == ["portal_changed"]
    assert answer["updated"] == []
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"guest_drift_{account.entry_id}_{subentry_id}"
    )
    assert issue is not None
    assert "Oli Fir" in issue.translation_placeholders["items"]  # type: ignore[index]


async def test_rate_budget_spent_waits_for_the_reset(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """With no requests to spare beyond the commands' reserve, the sync waits."""
    await create_event(hass, "Pia Ash", tomorrow_at(15), tomorrow_at(11, days=2))
    await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    client = account.runtime_data.coordinator.client
    [guest] = guests(remotelock_sim)
    del remotelock_sim.sim.state.access_persons[guest["id"]]
    await hass.async_block_till_done(wait_background_tasks=True)
    limit = client.rate_limit
    client.rate_limit = replace(
        limit, remaining=30, reset_at=dt_util.utcnow() + timedelta(seconds=40)
    )
    answer = await sync(hass, account)
    assert answer["status"] == "rate_limited"
    assert guests(remotelock_sim) == []
    client.rate_limit = None
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=45))
    await hass.async_block_till_done()
    assert len(guests(remotelock_sim)) == 1


async def test_all_day_booking_uses_remotelock_default_times(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """An all-day booking checks in and out at the account's default guest times."""
    day = dt_util.now(DENVER).date() + timedelta(days=2)
    await hass.services.async_call(
        "calendar",
        "create_event",
        {
            "entity_id": CALENDAR,
            "summary": "Quin Day",
            "start_date": day.isoformat(),
            "end_date": (day + timedelta(days=2)).isoformat(),
        },
        blocking=True,
    )
    account_data = remotelock_sim.sim.state.account["attributes"]
    await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    [guest] = guests(remotelock_sim)
    start = account_data["default_guest_start_time"][:5]
    end = account_data["default_guest_end_time"][:5]
    assert guest["starts_at"] == f"{day.isoformat()}T{start}:00"
    assert guest["ends_at"] == f"{(day + timedelta(days=2)).isoformat()}T{end}:00"


async def test_remotelock_unreachable_three_times_raises_a_repair(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """A sync that cannot read RemoteLock changes nothing; the third, a repair."""
    await create_event(hass, "Ray Elm", tomorrow_at(15), tomorrow_at(11, days=2))
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    await hass.async_block_till_done(wait_background_tasks=True)
    remotelock_sim.sim.faults.add(
        "server_error", status=503, path="/access_persons", method="GET", count=30
    )
    issue_id = f"guest_sync_failed_{account.entry_id}_{subentry_id}"
    for attempt in range(3):
        assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None, attempt
        answer = await sync(hass, account)
        assert answer["status"] == "failed"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    [guest] = guests(remotelock_sim)
    assert guest["status"] != "deactivated"
    remotelock_sim.sim.faults.clear()
    assert (await sync(hass, account))["status"] == "synced"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_host_gets_the_pin_of_a_half_made_guest(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """A guest created with a door refused: the host still gets its PIN."""
    told = async_mock_service(hass, "notify", "host_phone")
    await create_event(hass, "Sam Yew", tomorrow_at(15), tomorrow_at(11, days=2))
    remotelock_sim.sim.faults.add(
        "server_error", status=500, path="/access_persons/", method="POST", count=1
    )
    await add_link(
        hass,
        account,
        [f"lock:{FRONT_DOOR_ID}"],
        host={"notify": "notify.host_phone"},
    )
    [guest] = guests(remotelock_sim)
    assert doors_of(remotelock_sim, guest["id"]) == set()
    assert len(told) == 1
    assert guest["pin"] in told[0].data["message"]
    answer = await sync(hass, account)
    assert [item["fields"] for item in answer["updated"]] == [["targets"]]
    assert doors_of(remotelock_sim, guest["id"]) == {FRONT_DOOR_ID}


async def test_only_remotelock_entries_take_links(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """A Bikeep entry offers no "guest access from a calendar"."""
    assert bikeep_entry.supported_subentry_types == {}


async def test_flow_needs_a_loaded_account(
    hass: HomeAssistant, rentals: MockConfigEntry, remotelock_entry: MockConfigEntry
) -> None:
    """Links are added to a loaded RemoteLock account only."""
    result = await start_link_flow(hass, remotelock_entry)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "entry_not_loaded"


async def test_flow_when_remotelock_cannot_be_reached(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """The choices cannot be read: the flow says so."""
    remotelock_sim.sim.faults.add("server_error", status=503, path="/groups", count=5)
    result = await start_link_flow(hass, account)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


async def test_flow_refuses_a_door_without_time_zone(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """A lock with no location has no known time zone: named in the error."""
    device = remotelock_sim.sim.state.devices[BACK_DOOR_ID]
    device["attributes"]["location_id"] = None
    await account.runtime_data.coordinator.async_refresh()
    result = await start_link_flow(hass, account)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], link_form([f"lock:{BACK_DOOR_ID}"])
    )
    assert result["errors"] == {"targets": "targets_without_time_zone"}
    assert result["description_placeholders"]["targets"] == "Back Door"


async def test_a_lock_gone_from_the_account(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """A door removed at RemoteLock: a repair; with no door left, nothing is touched."""
    await create_event(hass, "Tia Oak", tomorrow_at(15), tomorrow_at(11, days=2))
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    [guest] = guests(remotelock_sim)
    drop_device(account, FRONT_DOOR_ID)
    answer = await sync(hass, account)
    assert answer["status"] == "no_targets"
    assert guests(remotelock_sim)[0]["status"] != "deactivated"
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"guest_targets_{account.entry_id}_{subentry_id}"
    )
    assert issue is not None
    assert FRONT_DOOR_ID in issue.translation_placeholders["targets"]  # type: ignore[index]
    assert doors_of(remotelock_sim, guest["id"]) == {FRONT_DOOR_ID}


async def test_location_target_and_notify_entity(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """A location is a target; a notify entity gets the message by send_message."""
    hass.states.async_set("notify.front_desk", "unknown")
    sent = async_mock_service(hass, "notify", "send_message")
    await create_event(hass, "Uma Fir", tomorrow_at(15), tomorrow_at(11, days=2))
    await add_link(
        hass,
        account,
        [f"location:{DENVER_ID}"],
        host={"notify": "notify.front_desk"},
    )
    [guest] = guests(remotelock_sim)
    assert doors_of(remotelock_sim, guest["id"]) == {DENVER_ID}
    assert len(sent) == 1
    assert sent[0].data["entity_id"] == "notify.front_desk"
    assert guest["pin"] in sent[0].data["message"]
    assert sent[0].data["title"] == "Guest access: Rentals"


async def test_a_notify_target_that_fails_is_logged_without_the_pin(
    hass: HomeAssistant,
    account: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    caplog: pytest.LogCaptureFixture,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The host's target raises: a warning and a notification without the PIN."""
    assert await async_setup_component(hass, "persistent_notification", {})

    async def broken(call: ServiceCall) -> None:
        raise HomeAssistantError("phone offline")

    hass.services.async_register("notify", "host_phone", broken)
    await create_event(hass, "Vic Ash", tomorrow_at(15), tomorrow_at(11, days=2))
    await add_link(
        hass, account, [f"lock:{FRONT_DOOR_ID}"], host={"notify": "notify.host_phone"}
    )
    [guest] = guests(remotelock_sim)
    assert "could not notify notify.host_phone" in caplog.text
    assert guest["pin"] not in caplog.text
    ws = await hass_ws_client(hass)
    await ws.send_json_auto_id({"type": "persistent_notification/get"})
    [shown] = (await ws.receive_json())["result"]
    assert "Vic Ash's PIN could not be sent to notify.host_phone" in shown["message"]
    assert guest["pin"] not in shown["message"]

    # The target went away since the link was set up: logged, nothing else.
    hass.services.async_remove("notify", "host_phone")
    del remotelock_sim.sim.state.access_persons[guest["id"]]
    await sync(hass, account)
    assert "notify target notify.host_phone does not exist" in caplog.text


async def test_sync_action_for_one_link(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """The action takes a link's device; a wrong device or no link is refused."""
    with pytest.raises(ServiceValidationError) as err:
        await sync(hass, account)
    assert err.value.translation_key == "no_guest_links"
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"guest_access_{subentry_id}"), account.entry_id
    )
    assert device is not None
    response = await sync_all(hass, account, link=device.id)
    assert [link["link"] for link in response["links"]] == ["Rentals"]
    with pytest.raises(ServiceValidationError) as err:
        await sync_all(hass, account, link="not-a-device")
    assert err.value.translation_key == "unknown_guest_link"
    registry = dr.async_get(hass)
    lock = next(
        other
        for other in dr.async_entries_for_config_entry(registry, account.entry_id)
        if other.id != device.id and other.name
    )
    with pytest.raises(ServiceValidationError) as err:
        await sync_all(hass, account, link=lock.id)
    assert err.value.translation_placeholders == {  # named as the user knows it
        "link": lock.name,
        "title": account.title,
    }


async def test_removing_the_subentry_in_the_ui_deactivates_keep_option(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """Removed with "keep": guests stay; deleted from the UI: guests deactivated."""
    await create_event(hass, "Wes Yew", tomorrow_at(15), tomorrow_at(11, days=2))
    first = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    result = await start_reconfigure(hass, account, first)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "remove"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"deactivate_guests": False}
    )
    await hass.async_block_till_done()
    [kept] = guests(remotelock_sim)
    assert kept["status"] != "deactivated"

    second = await add_link(hass, account, [f"lock:{BACK_DOOR_ID}"])
    made = [g for g in guests(remotelock_sim) if g["id"] != kept["id"]]
    assert len(made) == 1
    assert hass.config_entries.async_remove_subentry(account, second)
    await hass.async_block_till_done()
    status = remotelock_sim.sim.state.access_persons[made[0]["id"]]["attributes"]
    assert status["status"] == "deactivated"


async def test_a_removed_link_never_syncs_again(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """A sync that was waiting when the link was removed creates nothing."""
    await create_event(hass, "Xia Elm", tomorrow_at(15), tomorrow_at(11, days=2))
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    link = links(account)[subentry_id]
    assert hass.config_entries.async_remove_subentry(account, subentry_id)
    await hass.async_block_till_done()
    [gone] = guests(remotelock_sim)
    assert gone["status"] == "deactivated"
    report = await link.async_sync(forced=True)
    assert report.status == "failed"
    assert len(guests(remotelock_sim)) == 1


async def test_a_zone_that_cannot_be_placed_is_left_alone(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """Amsterdam's location loses its time zone: its guest is kept, Denver's synced."""
    told = async_mock_service(hass, "notify", "host_phone")
    await create_event(hass, "Yan Fir", tomorrow_at(15), tomorrow_at(11, days=2))
    subentry_id = await add_link(
        hass,
        account,
        [f"lock:{FRONT_DOOR_ID}", f"lock:{CANAL_DOOR_ID}"],
        host={"notify": "notify.host_phone"},
    )
    assert len(guests(remotelock_sim)) == 2
    coordinator = account.runtime_data.coordinator
    locations = dict(coordinator.data.locations)
    amsterdam = remotelock_sim.sim.state.devices[CANAL_DOOR_ID]["attributes"]
    location_id = amsterdam["location_id"]
    locations[location_id] = replace(locations[location_id], time_zone=None)
    coordinator.data = replace(coordinator.data, locations=locations)
    for _ in range(2):  # a cancellation would go through at the second sync
        answer = await sync(hass, account)
        assert answer["deactivated"] == []
        assert answer["deferred"] == []
    assert all(g["status"] != "deactivated" for g in guests(remotelock_sim))
    assert ir.async_get(hass).async_get_issue(
        DOMAIN, f"guest_targets_{account.entry_id}_{subentry_id}"
    )
    assert not [c for c in told if "cancelled" in c.data["message"]]


async def test_a_shorter_look_ahead_keeps_made_guests(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """Shrinking the look-ahead does not take away a PIN already given."""
    await create_event(
        hass, "Zoe Oak", tomorrow_at(15, days=5), tomorrow_at(11, days=7)
    )
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    [guest] = guests(remotelock_sim)
    hass.config_entries.async_update_subentry(
        account,
        account.subentries[subentry_id],
        data={**account.subentries[subentry_id].data, "look_ahead": 1},
    )
    await hass.async_block_till_done()
    for _ in range(2):
        answer = await sync(hass, account)
        assert answer["deactivated"] == []
    [kept] = guests(remotelock_sim)
    assert kept["id"] == guest["id"]
    assert kept["status"] != "deactivated"


async def test_deleting_the_link_in_the_ui_spares_current_stays(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """The UI's Delete: upcoming guests deactivated, a guest in the house keeps access."""
    now = dt_util.now(DENVER)
    await create_event(
        hass, "In House", now - timedelta(hours=2), now + timedelta(days=1)
    )
    await create_event(
        hass, "Next Week", tomorrow_at(15, days=6), tomorrow_at(11, days=8)
    )
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    assert hass.config_entries.async_remove_subentry(account, subentry_id)
    await hass.async_block_till_done()
    status = {g["name"].split(" [")[0]: g["status"] for g in guests(remotelock_sim)}
    assert status["In House"] != "deactivated"
    assert status["Next Week"] == "deactivated"


async def test_cancelled_message_names_guest_and_doors(
    hass: HomeAssistant,
    account: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    hass_ws_client: WebSocketGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The host hears which guest lost access to which doors."""
    told = async_mock_service(hass, "notify", "host_phone")
    uid = await create_event(hass, "Abe Ray", tomorrow_at(15), tomorrow_at(11, days=2))
    await add_link(
        hass, account, [f"lock:{FRONT_DOOR_ID}"], host={"notify": "notify.host_phone"}
    )
    ws = await hass_ws_client(hass)
    await delete_event(ws, uid)
    answer = await sync(hass, account)
    assert [item["guest"] for item in answer["pending_cancellations"]] == ["Abe Ray"]
    freezer.tick(timedelta(minutes=11))
    answer = await sync(hass, account)
    assert [item["guest"] for item in answer["deactivated"]] == ["Abe Ray"]
    assert answer["deactivated"][0]["doors"] == ["Front Door"]
    cancelled = [c.data["message"] for c in told if "cancelled" in c.data["message"]]
    assert cancelled == [
        "Abe Ray's booking was cancelled: access to Front Door is deactivated."
    ]


async def test_account_reconfigure_with_a_link(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """Re-entering the account's credentials works with links (and reloads once)."""
    await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    result = await account.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "client_id": account.data["client_id"],
            "client_secret": account.data["client_secret"],
            "connection": {
                "api_url": remotelock_sim.url,
                "auth_url": remotelock_sim.url,
            },
        },
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert links(account)


async def test_removing_a_link_of_an_unloaded_account_is_refused(
    hass: HomeAssistant, account: MockConfigEntry
) -> None:
    """Without the account loaded, its guests could not be deactivated."""
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    await hass.config_entries.async_unload(account.entry_id)
    result = await start_reconfigure(hass, account, subentry_id)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "remove"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "entry_not_loaded"


async def test_two_links_share_reads_without_duplicates(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """Two links of one account: one guest each, and syncs in a row change nothing."""
    await create_event(hass, "Bea Oak", tomorrow_at(15), tomorrow_at(11, days=2))
    await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    await add_link(hass, account, [f"lock:{BACK_DOOR_ID}"])
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(guests(remotelock_sim)) == 2
    for _ in range(3):
        response = await sync_all(hass, account)
        for link in response["links"]:
            assert link["created"] == []
            assert link["deactivated"] == []
    made = guests(remotelock_sim)
    assert len(made) == 2
    assert {frozenset(doors_of(remotelock_sim, g["id"])) for g in made} == {
        frozenset({FRONT_DOOR_ID}),
        frozenset({BACK_DOOR_ID}),
    }


async def test_a_reload_in_the_middle_of_a_sync(
    hass: HomeAssistant,
    account: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A reload while a sync is creating a guest: one guest, and the host told once."""
    told = async_mock_service(hass, "notify", "host_phone")
    gate = asyncio.Event()
    creating = asyncio.Event()
    create = RemoteLockClient.async_create_access_guest

    async def slow_create(self: RemoteLockClient, **kwargs: Any) -> Any:
        creating.set()
        await gate.wait()
        return await create(self, **kwargs)

    monkeypatch.setattr(RemoteLockClient, "async_create_access_guest", slow_create)
    await create_event(hass, "Cal Ivy", tomorrow_at(15), tomorrow_at(11, days=2))
    # Not add_link: it waits for everything to settle, and the create is held.
    adding = hass.async_create_task(
        add_link(
            hass,
            account,
            [f"lock:{FRONT_DOOR_ID}"],
            host={"notify": "notify.host_phone"},
        )
    )
    await asyncio.wait_for(creating.wait(), 5)
    reload = hass.async_create_task(hass.config_entries.async_reload(account.entry_id))
    await asyncio.sleep(0.05)
    gate.set()
    assert await reload
    subentry_id = await adding
    await hass.async_block_till_done()
    await sync(hass, account)
    assert len(guests(remotelock_sim)) == 1
    assert len(told) == 1
    assert len(links(account)[subentry_id].state.applied) == 1


async def test_schedule_and_instructions_email(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """The link's access schedule is on the grant; the event's e-mail gets the guide."""
    result = await start_link_flow(hass, account)
    schedules = next(
        field
        for field in result["data_schema"].schema["guests"].schema.schema
        if field == "access_schedule"
    )
    assert schedules is not None
    hass.config_entries.subentries.async_abort(result["flow_id"])
    await create_event(
        hass,
        "Dee Fox",
        tomorrow_at(15),
        tomorrow_at(11, days=2),
        description="Contact: dee.fox@example.com",
    )
    await add_link(
        hass,
        account,
        [f"lock:{FRONT_DOOR_ID}"],
        guests={"access_schedule": ACCESS_SCHEDULE_ID, "send_instructions": True},
    )
    [guest] = guests(remotelock_sim)
    assert guest["email"] == "dee.fox@example.com"
    [access] = [
        a["attributes"]
        for a in remotelock_sim.sim.state.accesses.values()
        if a["attributes"]["access_person_id"] == guest["id"]
    ]
    assert access["access_schedule_id"] == ACCESS_SCHEDULE_ID
    assert [e["access_person_id"] for e in remotelock_sim.sim.emails] == [guest["id"]]


async def every_booking_vanishes(
    hass: HomeAssistant,
    account: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    names: tuple[str, str],
) -> str:
    """Book two stays, link them to the front door, delete both; return the link id."""
    assert await async_setup_component(hass, "repairs", {})
    first, second = names
    uids = [
        await create_event(hass, first, tomorrow_at(15), tomorrow_at(11, days=2)),
        await create_event(
            hass, second, tomorrow_at(15, days=3), tomorrow_at(11, days=5)
        ),
    ]
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    ws = await hass_ws_client(hass)
    for uid in uids:
        await delete_event(ws, uid)
    return subentry_id


async def test_every_booking_vanishing_at_once_waits_for_the_host(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    account: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    hass_ws_client: WebSocketGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A feed that comes back empty: guests kept, a repair, deactivated on confirm."""
    subentry_id = await every_booking_vanishes(
        hass, account, hass_ws_client, ("Eve Ash", "Finn Elm")
    )
    await later(hass, freezer, timedelta(seconds=30))
    await later(hass, freezer, timedelta(minutes=11))
    await later(hass, freezer, timedelta(minutes=11))
    assert all(g["status"] != "deactivated" for g in guests(remotelock_sim))
    issue_id = f"guest_mass_cancel_{account.entry_id}_{subentry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders["count"] == "2"  # type: ignore[index]

    client = await hass_client()
    flow, result = await fix_issue(client, issue_id)
    assert flow["step_id"] == "confirm"
    assert flow["description_placeholders"]["count"] == "2"
    assert result["type"] == "create_entry"
    await hass.async_block_till_done()
    assert all(g["status"] == "deactivated" for g in guests(remotelock_sim))
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_a_held_guest_whose_booking_is_gone_is_deactivated(
    hass: HomeAssistant,
    account: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A guest of a door gone from the account still loses access when cancelled."""
    uid = await create_event(hass, "Gus Oak", tomorrow_at(15), tomorrow_at(11, days=2))
    await create_event(
        hass, "Hana Fir", tomorrow_at(15, days=4), tomorrow_at(11, days=6)
    )
    await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}", f"lock:{BACK_DOOR_ID}"])
    drop_device(account, BACK_DOOR_ID)
    ws = await hass_ws_client(hass)
    await delete_event(ws, uid)
    await sync(hass, account)
    freezer.tick(timedelta(minutes=11))
    answer = await sync(hass, account)
    assert [item["guest"] for item in answer["deactivated"]] == ["Gus Oak"]
    status = {g["name"].split(" [")[0]: g["status"] for g in guests(remotelock_sim)}
    assert status == {"Gus Oak": "deactivated", "Hana Fir": status["Hana Fir"]}
    assert status["Hana Fir"] != "deactivated"


async def test_a_link_deleted_while_the_account_was_unloaded(
    hass: HomeAssistant,
    account: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    hass_storage: dict[str, Any],
) -> None:
    """At the next set-up its upcoming guests are deactivated and its file removed."""
    await create_event(hass, "Ida Yew", tomorrow_at(15), tomorrow_at(11, days=2))
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    await hass.config_entries.async_unload(account.entry_id)
    await hass.async_block_till_done()
    hass.config_entries.async_remove_subentry(account, subentry_id)
    await hass.async_block_till_done()
    assert guests(remotelock_sim)[0]["status"] != "deactivated"
    await hass.config_entries.async_setup(account.entry_id)
    await hass.async_block_till_done()
    assert guests(remotelock_sim)[0]["status"] == "deactivated"
    assert f"smart_access.{account.entry_id}.guest_access.{subentry_id}" not in (
        hass_storage
    )
    assert hass_storage[f"smart_access.{account.entry_id}.guest_links"]["data"] == {
        "links": {}
    }


async def three_stays_at_two_locks(
    hass: HomeAssistant, account: MockConfigEntry, name: str
) -> str:
    """Book three stays (``name 0`` to ``name 2``), link the front and back doors."""
    for number in range(3):
        await create_event(
            hass,
            f"{name} {number}",
            tomorrow_at(15, days=number * 3),
            tomorrow_at(11, days=number * 3 + 2),
        )
    return await add_link(
        hass, account, [f"lock:{FRONT_DOOR_ID}", f"lock:{BACK_DOOR_ID}"]
    )


async def test_a_lock_deleted_at_remotelock_does_not_stop_the_link(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """Doors read per lock: a lock that answers 404 is skipped, the rest synced."""
    subentry_id = await three_stays_at_two_locks(hass, account, "Guest")
    assert len(guests(remotelock_sim)) == 3
    del remotelock_sim.sim.state.devices[BACK_DOOR_ID]
    remotelock_sim.sim.requests.clear()
    for _ in range(2):  # before the account's poll notices the lock is gone
        answer = await sync(hass, account)
        assert answer["status"] == "synced"
        assert answer["failed"] == []
        assert answer["deactivated"] == []
    grants = [
        entry
        for entry in remotelock_sim.sim.requests.entries
        if entry.method == "POST" and entry.path.endswith("/accesses")
    ]
    assert grants == []  # no attempt to grant the deleted lock again
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"guest_targets_{account.entry_id}_{subentry_id}"
    )
    assert issue is not None
    assert "deleted at RemoteLock" in issue.translation_placeholders["targets"]  # type: ignore[index]


async def test_a_refused_deactivation_at_removal_is_listed(
    hass: HomeAssistant,
    account: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """RemoteLock refuses to deactivate at removal: a notification lists the guest."""
    assert await async_setup_component(hass, "persistent_notification", {})
    await create_event(hass, "Jon Ash", tomorrow_at(15), tomorrow_at(11, days=2))
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    remotelock_sim.sim.faults.add(
        "server_error", status=500, path="/access_persons/", method="PUT", count=5
    )
    assert hass.config_entries.async_remove_subentry(account, subentry_id)
    await hass.async_block_till_done()
    ws = await hass_ws_client(hass)
    await ws.send_json_auto_id({"type": "persistent_notification/get"})
    notifications = (await ws.receive_json())["result"]
    [shown] = [
        n
        for n in notifications
        if n["notification_id"] == f"smart_access_removed_{subentry_id}"
    ]
    assert "Jon Ash (Front Door)" in shown["message"]
    assert guests(remotelock_sim)[0]["status"] != "deactivated"


async def test_the_host_confirms_a_mass_cancellation_at_once(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    account: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Confirmed a minute after the bookings vanished: deactivated right away."""
    subentry_id = await every_booking_vanishes(
        hass, account, hass_ws_client, ("Kai Ash", "Lia Elm")
    )
    answer = await sync(hass, account)
    assert len(answer["pending_cancellations"]) == 2
    issue_id = f"guest_mass_cancel_{account.entry_id}_{subentry_id}"
    client = await hass_client()
    _, result = await fix_issue(client, issue_id)
    assert result["type"] == "create_entry"
    await hass.async_block_till_done()
    assert all(g["status"] == "deactivated" for g in guests(remotelock_sim))


async def test_an_unfinished_removal_is_finished_as_chosen(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """Removed with "keep" but stopped before it was done: the guests are kept."""
    await create_event(hass, "Max Oak", tomorrow_at(15), tomorrow_at(11, days=2))
    subentry_id = await add_link(hass, account, [f"lock:{FRONT_DOOR_ID}"])
    await LinkIndex(hass, account.entry_id).async_set_removal(subentry_id, "keep")
    await hass.config_entries.async_unload(account.entry_id)
    hass.config_entries.async_remove_subentry(account, subentry_id)
    await hass.config_entries.async_setup(account.entry_id)
    await hass.async_block_till_done()
    [kept] = guests(remotelock_sim)
    assert kept["status"] != "deactivated"


async def test_a_deleted_lock_taken_off_the_link_lets_its_guests_update(
    hass: HomeAssistant, account: MockConfigEntry, remotelock_sim: RunningSimulator
) -> None:
    """The host removes a lock deleted at RemoteLock from the link: syncing goes on."""
    subentry_id = await three_stays_at_two_locks(hass, account, "Nia")
    del remotelock_sim.sim.state.devices[BACK_DOOR_ID]
    for access_id, access in list(remotelock_sim.sim.state.accesses.items()):
        if access["attributes"]["accessible_id"] == BACK_DOOR_ID:
            del remotelock_sim.sim.state.accesses[access_id]
    await account.runtime_data.coordinator.async_refresh()
    hass.config_entries.async_update_subentry(
        account,
        account.subentries[subentry_id],
        data={
            **account.subentries[subentry_id].data,
            "targets": [f"lock:{FRONT_DOOR_ID}"],
        },
    )
    await hass.async_block_till_done()
    answer = await sync(hass, account)
    assert answer["status"] == "synced"
    assert answer["failed"] == []
    link = links(account)[subentry_id]
    assert all(
        applied.state.targets == (("lock", FRONT_DOOR_ID),)
        for applied in link.state.applied.values()
    )
    assert (
        ir.async_get(hass).async_get_issue(
            DOMAIN, f"guest_targets_{account.entry_id}_{subentry_id}"
        )
        is None
    )


async def test_an_early_link_index_is_read(
    hass: HomeAssistant,
    rentals: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """The index as first written (a list of ids) does not stop the set-up."""
    hass_storage[f"smart_access.{remotelock_entry.entry_id}.guest_links"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"smart_access.{remotelock_entry.entry_id}.guest_links",
        "data": {"links": []},
    }
    await setup_entry(hass, remotelock_entry)
    assert remotelock_entry.state is ConfigEntryState.LOADED


def test_a_mass_hold_survives_a_reload() -> None:
    """The held and allowed keys of a mass cancellation are kept in the link's file."""
    state = LinkState()
    state.mass_held = {("a", "America/Denver")}
    state.mass_allowed = {("b", "Europe/Amsterdam")}
    again, _, _ = load(dump(state, False, None))
    assert again.mass_held == state.mass_held
    assert again.mass_allowed == state.mass_allowed
