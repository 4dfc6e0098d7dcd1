"""The RemoteLock account's Guests calendar against the simulator, as a host sees it.

Time is frozen at noon in Denver on Wednesday 10 March 2027, four days before the
clocks go forward there; Home Assistant is in Los Angeles.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import json
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.calendar import (
    DOMAIN as CALENDAR_DOMAIN,
    SERVICE_GET_EVENTS,
)
from homeassistant.const import (
    EVENT_HOMEASSISTANT_STARTED,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import CoreState, HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.smart_access.api.remotelock.models import AccessGuest
from custom_components.smart_access.guest_directory import (
    REFRESH_INTERVAL,
    GuestDirectory,
)
from custom_components.smart_access.guest_sync.model import strip_marker
from simulator.remotelock.scenario import (
    GUEST_CURRENT_ID,
    GUEST_UPCOMING_ID,
    person_record,
)
from simulator.server import RunningSimulator

from .conftest import setup_entry
from .helpers import coordinator, entity_id, poll, registry_device

FROZEN_AT = "2027-03-10T19:00:00+00:00"
DENVER = ZoneInfo("America/Denver")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
SECRETS = {
    "pin": "864213",
    "email": "maria.secret@example.com",
    "phone": "+1 555 0100",
    "card_number": "777555",
}


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Freeze time before the simulator builds its scenario."""
    freezer.move_to(FROZEN_AT)
    return freezer


@pytest.fixture(autouse=True)
async def los_angeles(hass: HomeAssistant) -> None:
    """Home Assistant in Los Angeles, a zone none of the locations is in."""
    await hass.config.async_set_time_zone("America/Los_Angeles")


@pytest.fixture
def all_in_denver(remotelock_sim: RunningSimulator) -> RunningSimulator:
    """Move the Amsterdam location to Denver: the account has one time zone."""
    for location in remotelock_sim.sim.state.locations.values():
        location["attributes"]["time_zone"] = "America/Denver"
    return remotelock_sim


def add_guest(
    sim: RunningSimulator,
    guest_id: str,
    name: str,
    starts_at: str,
    ends_at: str,
    **attrs: Any,
) -> None:
    """Add an access guest at RemoteLock (naive local times, as the API takes)."""
    sim.sim.state.access_persons[guest_id] = person_record(
        guest_id,
        "access_guest",
        sim.sim.now_iso(),
        name=name,
        starts_at=starts_at,
        ends_at=ends_at,
        **attrs,
    )


def list_reads(sim: RunningSimulator) -> int:
    """Return how often the access-person list was read."""
    return sum(
        1
        for entry in sim.sim.requests.entries
        if entry.method == "GET" and entry.path == "/access_persons"
    )


def calendar_id(hass: HomeAssistant) -> str:
    """Return the entity id of the account's Guests calendar."""
    account = coordinator(hass).account_device_id
    return entity_id(hass, CALENDAR_DOMAIN, f"{account}_access_guests")


def calendar_state(hass: HomeAssistant) -> State:
    """Return the state of the account's Guests calendar."""
    state = hass.states.get(calendar_id(hass))
    assert state is not None
    return state


def directory(entry: MockConfigEntry) -> GuestDirectory:
    """Return the entry's guest directory."""
    guests = entry.runtime_data.guests
    assert guests is not None
    return guests


async def get_events(hass: HomeAssistant, days: int = 60) -> dict[str, dict[str, str]]:
    """Return the calendar's events of the coming days by uid (calendar.get_events)."""
    calendar = calendar_id(hass)
    response = await hass.services.async_call(
        CALENDAR_DOMAIN,
        SERVICE_GET_EVENTS,
        {
            "entity_id": calendar,
            "start_date_time": dt_util.now() - timedelta(days=30),
            "end_date_time": dt_util.now() + timedelta(days=days),
        },
        blocking=True,
        return_response=True,
    )
    assert response is not None
    events: list[dict[str, str]] = response[calendar]["events"]
    by_name = {event["summary"]: event for event in events}
    assert len(by_name) == len(events)
    return by_name


async def tick(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    delta: timedelta = REFRESH_INTERVAL,
) -> None:
    """Let time pass (15 minutes: the directory's timer fires) and what is due run."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_guests_are_events_in_their_locations_zone(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """A stay runs from check-in to check-out in Denver, shown as such in LA."""
    add_guest(
        all_in_denver,
        "guest-maria",
        "Maria Garcia",
        "2027-03-11T16:00:00",
        "2027-03-13T11:00:00",
    )
    await setup_entry(hass, remotelock_entry)
    events = await get_events(hass)
    assert set(events) == {"Maria Garcia", "Yasmeen Beier", "Lee Rempel"}
    maria = events["Maria Garcia"]
    start = datetime.fromisoformat(maria["start"])
    end = datetime.fromisoformat(maria["end"])
    assert start == datetime(2027, 3, 11, 16, tzinfo=DENVER)
    assert end == datetime(2027, 3, 13, 11, tzinfo=DENVER)
    # As the host in Los Angeles reads it: an hour earlier.
    assert start.astimezone(LOS_ANGELES).hour == 15
    # The location's wall clock, with its offset.
    assert maria["start"] == "2027-03-11T16:00:00-07:00"
    assert "description" not in maria
    assert "location" not in maria


async def test_several_zones_use_home_assistants(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """Locations in Denver and Amsterdam: the times are read in Home Assistant's zone.

    A guest link that wrote a guest in Amsterdam says so, and the stay moves there.
    """
    add_guest(
        remotelock_sim,
        "guest-maria",
        "Maria Garcia",
        "2027-03-11T16:00:00",
        "2027-03-13T11:00:00",
    )
    await setup_entry(hass, remotelock_entry)
    maria = (await get_events(hass))["Maria Garcia"]
    assert datetime.fromisoformat(maria["start"]) == datetime(
        2027, 3, 11, 16, tzinfo=LOS_ANGELES
    )
    directory(remotelock_entry).set_zone("guest-maria", "Europe/Amsterdam")
    await hass.async_block_till_done()
    maria = (await get_events(hass))["Maria Garcia"]
    assert maria["start"] == "2027-03-11T16:00:00+01:00"
    assert datetime.fromisoformat(maria["end"]) == datetime(
        2027, 3, 13, 11, tzinfo=AMSTERDAM
    )
    # A zone nobody knows counts as none; hints for other guests change nothing.
    directory(remotelock_entry).set_zone("guest-maria", "Mars/Olympus_Mons")
    directory(remotelock_entry).set_zone("guest-unknown", "Europe/Amsterdam")
    await hass.async_block_till_done()
    maria = (await get_events(hass))["Maria Garcia"]
    assert maria["start"] == "2027-03-11T16:00:00-08:00"  # Los Angeles again


async def test_the_account_zone_follows_the_locations(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    frozen: FrozenDateTimeFactory,
) -> None:
    """Once every location is in Denver (the 30-minute location read), so are stays."""
    add_guest(
        remotelock_sim,
        "guest-maria",
        "Maria Garcia",
        "2027-04-11T16:00:00",
        "2027-04-13T11:00:00",
    )
    await setup_entry(hass, remotelock_entry)
    assert (await get_events(hass))["Maria Garcia"]["start"].endswith("-07:00")  # LA
    for location in remotelock_sim.sim.state.locations.values():
        location["attributes"]["time_zone"] = "America/Denver"
    await tick(hass, frozen, timedelta(minutes=31))
    await poll(hass, remotelock_entry)
    maria = (await get_events(hass))["Maria Garcia"]
    assert maria["start"] == "2027-04-11T16:00:00-06:00"


async def test_the_state_is_the_current_stay_else_the_next(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """On during a stay (its guest's name as message); off with the next one after."""
    await setup_entry(hass, remotelock_entry)
    state = calendar_state(hass)
    assert state.name == "Sim Property Management Guests"
    assert state.state == STATE_ON
    assert state.attributes["message"] == "Yasmeen Beier"
    assert state.attributes["description"] == ""
    assert state.attributes["location"] == ""
    # Deactivated in the portal: gone at the next read; Lee's stay is next.
    all_in_denver.sim.state.access_persons[GUEST_CURRENT_ID]["attributes"]["status"] = (
        "deactivated"
    )
    await directory(remotelock_entry).async_refresh(timedelta(0))
    await hass.async_block_till_done()
    state = calendar_state(hass)
    assert state.state == STATE_OFF
    assert state.attributes["message"] == "Lee Rempel"
    assert set(await get_events(hass)) == {"Lee Rempel"}


async def test_deactivated_guests_and_users_are_no_events(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """Only guests: no access users, no expired guests, no deactivated guests.

    A guest link may hand over a list with deactivated guests in it; they stay off.
    """
    await setup_entry(hass, remotelock_entry)
    guests = directory(remotelock_entry)
    assert set(await get_events(hass)) == {"Yasmeen Beier", "Lee Rempel"}
    deactivated = AccessGuest(
        id="guest-gone",
        type="access_guest",
        name="Gone Guest",
        status="deactivated",
        starts_at=datetime.fromisoformat("2027-03-11T16:00:00"),
        ends_at=datetime.fromisoformat("2027-03-12T11:00:00"),
    )
    guests.feed([*guests.persons, deactivated], dt_util.utcnow())
    await hass.async_block_till_done()
    assert len(guests.persons) == 3
    assert set(await get_events(hass)) == {"Yasmeen Beier", "Lee Rempel"}


async def test_the_guest_link_marker_is_not_shown(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """A guest a link wrote shows by its name; the uid is the guest's id."""
    add_guest(
        all_in_denver,
        "guest-linked",
        "Ann Smith [k3f9-1a2b3c4d5e6f]",
        "2027-03-11T16:00:00",
        "2027-03-13T11:00:00",
    )
    add_guest(
        all_in_denver,
        "guest-unnamed",
        "[k3f9-0123456789ab]",
        "2027-03-12T16:00:00",
        "2027-03-13T11:00:00",
    )
    add_guest(
        all_in_denver,
        "guest-brackets",
        "Bob [family]",
        "2027-03-12T16:00:00",
        "2027-03-14T11:00:00",
    )
    await setup_entry(hass, remotelock_entry)
    events = await get_events(hass)
    assert "Ann Smith" in events
    # Nothing but the marker: the guest's id stands in.
    assert "guest-unnamed" in events
    assert "Bob [family]" in events
    assert strip_marker("  Ann Smith [k3f9-1a2b3c4d5e6f] ") == "Ann Smith"
    assert strip_marker("Ann Smith [K3F9-1a2b3c4d5e6f]") == (
        "Ann Smith [K3F9-1a2b3c4d5e6f]"
    )


async def test_no_pin_email_phone_or_card_anywhere(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """A guest's secrets are in no state, attribute, event or diagnostics."""
    add_guest(
        all_in_denver,
        "guest-maria",
        "Maria Garcia",
        "2027-03-10T09:00:00",
        "2027-03-13T11:00:00",
        **SECRETS,
    )
    persons = all_in_denver.sim.state.access_persons
    persons[GUEST_CURRENT_ID]["attributes"]["status"] = "deactivated"
    await setup_entry(hass, remotelock_entry)
    state = calendar_state(hass)
    assert state.attributes["message"] == "Maria Garcia"
    shown = json.dumps(
        {"state": state.as_dict(), "events": await get_events(hass)}, default=str
    )
    diagnostics = json.dumps(
        await get_diagnostics_for_config_entry(hass, hass_client, remotelock_entry)
    )
    for secret in (*SECRETS.values(), "yasmeen@example.com"):
        assert secret not in shown
        assert secret not in diagnostics
    # Diagnostics say how the reads go, without names.
    assert "Maria Garcia" not in diagnostics


async def test_across_spring_forward(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """A stay over the night the clocks go forward is an hour shorter.

    One that would end in the skipped hour just after it starts is left off (no
    moment of access exists).
    """
    add_guest(
        all_in_denver,
        "guest-dst",
        "Night Owl",
        "2027-03-14T01:00:00",
        "2027-03-14T05:00:00",
    )
    add_guest(
        all_in_denver,
        "guest-gap",
        "In The Gap",
        "2027-03-14T02:30:00",
        "2027-03-14T03:00:00",
    )
    await setup_entry(hass, remotelock_entry)
    events = await get_events(hass)
    assert "In The Gap" not in events
    owl = events["Night Owl"]
    assert owl["start"] == "2027-03-14T01:00:00-07:00"
    assert owl["end"] == "2027-03-14T05:00:00-06:00"
    span = datetime.fromisoformat(owl["end"]) - datetime.fromisoformat(owl["start"])
    assert span == timedelta(hours=3)


async def test_a_failed_read_keeps_the_events(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    frozen: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
) -> None:
    """RemoteLock fails at the 15-minute read: the stays shown stay until it works."""
    await setup_entry(hass, remotelock_entry)
    all_in_denver.sim.faults.add("server_error", path="/access_persons", method="GET")
    all_in_denver.sim.state.access_persons.pop(GUEST_UPCOMING_ID)
    await tick(hass, frozen)
    assert set(await get_events(hass)) == {"Yasmeen Beier", "Lee Rempel"}
    assert calendar_state(hass).state == STATE_ON
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, remotelock_entry
    )
    guests = diagnostics["data"]["guests"]
    assert guests["count"] == 2
    assert guests["read_at"] == FROZEN_AT
    assert guests["last_error"]
    # The next read works.
    await tick(hass, frozen)
    assert set(await get_events(hass)) == {"Yasmeen Beier"}
    assert directory(remotelock_entry).last_error is None


async def test_every_15_minutes_one_request_per_50_guests(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    frozen: FrozenDateTimeFactory,
) -> None:
    """A guest added in the portal shows within 15 minutes; 60 guests cost 2 requests."""
    await setup_entry(hass, remotelock_entry)
    assert list_reads(all_in_denver) == 1
    for number in range(58):
        add_guest(
            all_in_denver,
            f"guest-{number:02}",
            f"Guest {number:02}",
            "2027-03-20T16:00:00",
            "2027-03-22T11:00:00",
        )
    await tick(hass, frozen, REFRESH_INTERVAL / 2)
    assert list_reads(all_in_denver) == 1
    assert len(await get_events(hass)) == 2
    await tick(hass, frozen, REFRESH_INTERVAL / 2)
    assert list_reads(all_in_denver) == 3
    assert len(await get_events(hass)) == 60


async def test_a_links_read_saves_the_directorys(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    frozen: FrozenDateTimeFactory,
) -> None:
    """A guest link hands over the list it read: shown at once, no read of its own.

    A read older than the list held changes nothing.
    """
    await setup_entry(hass, remotelock_entry)
    guests = directory(remotelock_entry)
    reads = list_reads(all_in_denver)
    add_guest(
        all_in_denver,
        "guest-maria",
        "Maria Garcia",
        "2027-03-11T16:00:00",
        "2027-03-13T11:00:00",
    )
    await tick(hass, frozen, REFRESH_INTERVAL - timedelta(minutes=5))
    client = remotelock_entry.runtime_data.coordinator.client
    persons = await client.async_list_access_persons(types="access_guest")
    guests.feed(persons, dt_util.utcnow())
    await hass.async_block_till_done()
    assert "Maria Garcia" in await get_events(hass)
    guests.feed([], dt_util.utcnow() - timedelta(minutes=1))
    assert "Maria Garcia" in await get_events(hass)
    await tick(hass, frozen, timedelta(minutes=5))
    assert list_reads(all_in_denver) == reads + 1  # the link's read only


async def test_read_once_home_assistant_has_started(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """While Home Assistant starts, nothing is read; the calendar is unavailable."""
    hass.set_state(CoreState.not_running)
    await setup_entry(hass, remotelock_entry)
    assert list_reads(all_in_denver) == 0
    assert calendar_state(hass).state == STATE_UNAVAILABLE
    hass.set_state(CoreState.running)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    await hass.async_block_till_done()
    assert list_reads(all_in_denver) == 1
    assert calendar_state(hass).state == STATE_ON


async def test_unloading_stops_the_reads(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    frozen: FrozenDateTimeFactory,
) -> None:
    """After unload no timer reads; the calendar is gone with the entry's entities."""
    await setup_entry(hass, remotelock_entry)
    calendar = calendar_id(hass)
    assert await hass.config_entries.async_unload(remotelock_entry.entry_id)
    await hass.async_block_till_done()
    reads = list_reads(all_in_denver)
    await tick(hass, frozen)
    assert list_reads(all_in_denver) == reads
    state = hass.states.get(calendar)
    assert state is not None
    assert state.state == STATE_UNAVAILABLE


async def test_the_calendar_panel_gets_the_stays(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_client: ClientSessionGenerator,
) -> None:
    """The panel's subscription and the REST list show the stays, and follow them."""
    await setup_entry(hass, remotelock_entry)
    calendar = calendar_id(hass)
    client = await hass_client()
    response = await client.get("/api/calendars")
    assert {"entity_id": calendar, "name": "Sim Property Management Guests"} in (
        await response.json()
    )
    start = dt_util.now().isoformat()
    end = (dt_util.now() + timedelta(days=30)).isoformat()
    response = await client.get(f"/api/calendars/{calendar}?start={start}&end={end}")
    assert [event["summary"] for event in await response.json()] == [
        "Yasmeen Beier",
        "Lee Rempel",
    ]

    ws = await hass_ws_client(hass)
    await ws.send_json_auto_id(
        {
            "type": "calendar/event/subscribe",
            "entity_id": calendar,
            "start": start,
            "end": end,
        }
    )
    assert (await ws.receive_json())["success"]
    message = await ws.receive_json()
    events = message["event"]["events"]
    assert [event["summary"] for event in events] == ["Yasmeen Beier", "Lee Rempel"]
    assert events[0]["uid"] == GUEST_CURRENT_ID
    # A guest created in the portal reaches the open panel with the next read.
    add_guest(
        all_in_denver,
        "guest-maria",
        "Maria Garcia",
        "2027-03-11T16:00:00",
        "2027-03-13T11:00:00",
    )
    await directory(remotelock_entry).async_refresh(timedelta(0))
    message = await ws.receive_json()
    assert [event["summary"] for event in message["event"]["events"]] == [
        "Yasmeen Beier",
        "Maria Garcia",
        "Lee Rempel",
    ]


async def test_the_calendar_is_read_only_and_enabled(
    hass: HomeAssistant,
    all_in_denver: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """No create, update or delete; enabled by default on the account's device."""
    await setup_entry(hass, remotelock_entry)
    entry = entity_registry.async_get(calendar_id(hass))
    assert entry is not None
    assert entry.disabled_by is None
    assert entry.translation_key == "access_guests"
    state = hass.states.get(entry.entity_id)
    assert state is not None
    assert state.attributes.get("supported_features", 0) == 0
    account = registry_device(hass, coordinator(hass).account_device_id)
    assert account is not None
    assert entry.device_id == account.id


async def test_bikeep_entries_have_no_guests_calendar(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """Bikeep has no access guests."""
    await setup_entry(hass, bikeep_entry)
    assert bikeep_entry.runtime_data.guests is None
    assert not hass.states.async_entity_ids(CALENDAR_DOMAIN)
