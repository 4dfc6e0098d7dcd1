"""The Bikeep webhook: its URL for the operator, deliveries that poke refreshes, alarms.

Deliveries come from the simulator's webhook triggers ("registered by Bikeep staff")
over real HTTP to Home Assistant's webhook endpoint on 127.0.0.1.
"""

from __future__ import annotations

from datetime import timedelta
import json
import logging
from typing import Any

import aiohttp
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_WEBHOOK_ID
from homeassistant.core import Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smart_access.bikeep_webhook import (
    EVENT_BIKEEP_ALARM,
    bikeep_webhook_url,
)
from custom_components.smart_access.const import (
    CONF_API_URL,
    CONF_AUTH_URL,
    CONF_VENDOR,
    DOMAIN,
    Vendor,
)
from custom_components.smart_access.logbook import async_describe_events
from simulator.bikeep import scenario as sc
from simulator.server import RunningSimulator

from .conftest import BIKEEP_CLIENT_ID, BIKEEP_CLIENT_SECRET, setup_entry
from .entries import add_bikeep_entry
from .helpers import poll, state_of

LOCKERS = sc.LOCKERS_LOCATION_ID
DOCKS = sc.DOCKS_LOCATION_ID
LOCATIONS_PATH = "/location/v1/locations"


# -- helpers ---------------------------------------------------------------------------
def _url(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    url = bikeep_webhook_url(hass, entry.data[CONF_WEBHOOK_ID])
    assert url is not None
    return url


async def _register(hass: HomeAssistant, sim: RunningSimulator, entry: Any) -> str:
    """Do what Bikeep staff do with the URL the operator gives them."""
    url = _url(hass, entry)
    await sim.sim.control_trigger("register_webhook", {"url": url})
    return url


async def _trigger(
    hass: HomeAssistant, sim: RunningSimulator, action: str, **params: Any
) -> list[int | None]:
    """Run a simulator trigger; wait for the refreshes it pokes; return statuses."""
    result = await sim.sim.control_trigger(action, params)
    await hass.async_block_till_done()
    return [item["status"] for item in result.get("deliveries", [])]


async def _send(hass: HomeAssistant, sim: RunningSimulator, body: Any) -> int | None:
    """Deliver ``body`` (JSON) to the registered endpoint."""
    (status,) = await _trigger(hass, sim, "send_webhook", body=body)
    return status


def _reads(sim: RunningSimulator) -> tuple[int, set[str]]:
    """Return (location list reads, stations whose device lists were read); clear."""
    paths = [entry.path for entry in sim.sim.requests.entries]
    sim.sim.requests.clear()
    stations = {
        path.split("/")[4] for path in paths if path.startswith("/device/v1/locations/")
    }
    return paths.count(LOCATIONS_PATH), stations


def _issue(hass: HomeAssistant, kind: str, entry: Any, location: str) -> Any:
    return ir.async_get(hass).async_get_issue(
        DOMAIN, f"{kind}_{entry.entry_id}_{location}"
    )


def _ha_device(hass: HomeAssistant, entry: Any, vendor_id: str) -> str:
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, vendor_id), entry.entry_id
    )
    assert device is not None
    return device.id


async def _after_cooldown(hass: HomeAssistant) -> None:
    """Let the 10-second poke cooldown end (and its pending refresh run)."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=11))
    await hass.async_block_till_done()


# -- the URL: config flow, options, set-up ----------------------------------------------
async def test_bikeep_setup_ends_with_the_webhook_url(
    hass: HomeAssistant, bikeep_sim: RunningSimulator
) -> None:
    """The last step names the URL to give Bikeep; the entry keeps its webhook id."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "bikeep"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_CLIENT_ID: BIKEEP_CLIENT_ID,
            CONF_CLIENT_SECRET: BIKEEP_CLIENT_SECRET,
            "connection": {CONF_API_URL: bikeep_sim.url, CONF_AUTH_URL: bikeep_sim.url},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["description"] == "bikeep_webhook"
    webhook_id = result["data"][CONF_WEBHOOK_ID]
    assert len(webhook_id) == 64
    assert result["description_placeholders"] == {
        "webhook_url": f"{hass.config.internal_url}/api/webhook/{webhook_id}"
    }
    await hass.async_block_till_done()
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.state is ConfigEntryState.LOADED
    assert entry.data[CONF_WEBHOOK_ID] == webhook_id


async def _no_url(hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch) -> None:
    """Home Assistant knows no URL of itself: none set, no local address found."""
    assert await async_setup_component(hass, "webhook", {})  # with http: sets api
    hass.config.internal_url = None
    monkeypatch.setattr(hass.config, "api", None)


async def test_bikeep_setup_without_any_url_says_how_to_get_one(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No internal or external URL: the entry is made; the text says what to set."""
    await _no_url(hass, monkeypatch)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "bikeep"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_CLIENT_ID: BIKEEP_CLIENT_ID,
            CONF_CLIENT_SECRET: BIKEEP_CLIENT_SECRET,
            "connection": {CONF_API_URL: bikeep_sim.url, CONF_AUTH_URL: bikeep_sim.url},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["description"] == "bikeep_webhook_no_url"
    assert not result["description_placeholders"]
    assert CONF_WEBHOOK_ID in result["data"]
    await hass.async_block_till_done()


async def test_options_show_the_webhook_url(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """Configure on a Bikeep entry shows the URL again and changes nothing."""
    assert bikeep_entry.supports_options
    data = dict(bikeep_entry.data)
    result = await hass.config_entries.options.async_init(bikeep_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert result["description_placeholders"] == {
        "webhook_url": _url(hass, bikeep_entry)
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert dict(bikeep_entry.data) == data
    assert bikeep_entry.options == {}
    assert bikeep_entry.state is ConfigEntryState.LOADED


async def test_options_without_any_url_abort_with_advice(
    hass: HomeAssistant, bikeep_entry: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a URL there is nothing to show; an entry that never set up gets its id."""
    await _no_url(hass, monkeypatch)
    assert CONF_WEBHOOK_ID not in bikeep_entry.data
    result = await hass.config_entries.options.async_init(bikeep_entry.entry_id)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_webhook_url"
    assert CONF_WEBHOOK_ID in bikeep_entry.data


async def test_remotelock_entries_have_no_options(
    hass: HomeAssistant, remotelock_entry: MockConfigEntry
) -> None:
    """Only Bikeep entries have the webhook options step."""
    assert not remotelock_entry.supports_options


async def test_existing_entry_gets_a_webhook_id_at_setup(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """An entry made before the webhook gets an id once; reloading keeps it."""
    assert CONF_WEBHOOK_ID not in bikeep_entry.data
    await setup_entry(hass, bikeep_entry)
    webhook_id = bikeep_entry.data[CONF_WEBHOOK_ID]
    assert await hass.config_entries.async_reload(bikeep_entry.entry_id)
    await hass.async_block_till_done()
    assert bikeep_entry.data[CONF_WEBHOOK_ID] == webhook_id


async def test_copied_webhook_id_is_replaced(
    hass: HomeAssistant, bikeep_sim: RunningSimulator
) -> None:
    """Two entries never share a webhook: a copied id is replaced at set-up."""
    first = MockConfigEntry(
        domain=DOMAIN,
        unique_id="other",
        data={CONF_VENDOR: Vendor.REMOTELOCK, CONF_WEBHOOK_ID: "a" * 64},
    )
    first.add_to_hass(hass)
    entry = add_bikeep_entry(hass, bikeep_sim)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_WEBHOOK_ID: "a" * 64}
    )
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.data[CONF_WEBHOOK_ID] != "a" * 64


async def test_the_url_is_in_no_state_and_no_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    bikeep_loaded: RunningSimulator,
    bikeep_entry: MockConfigEntry,
) -> None:
    """The webhook id (the credential) shows in no entity and not in diagnostics."""
    await _register(hass, bikeep_loaded, bikeep_entry)
    assert await _send(hass, bikeep_loaded, {"type": "status"}) == 200
    webhook_id = bikeep_entry.data[CONF_WEBHOOK_ID]
    for state in hass.states.async_all():
        assert webhook_id not in json.dumps(state.as_dict(), default=str)
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, bikeep_entry
    )
    assert webhook_id not in json.dumps(diagnostics)
    assert diagnostics["entry"]["data"][CONF_WEBHOOK_ID] == "**REDACTED**"
    deliveries = diagnostics["data"]["bikeep_deliveries"]
    assert deliveries["registered"] is True
    assert deliveries["deliveries"] == 1
    assert deliveries["rejected"] == 0


async def test_unload_stops_listening(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """After unload a delivery reaches nothing and reads nothing from Bikeep."""
    await _register(hass, bikeep_loaded, bikeep_entry)
    assert await hass.config_entries.async_unload(bikeep_entry.entry_id)
    bikeep_loaded.sim.requests.clear()
    await _send(hass, bikeep_loaded, {"type": "status"})
    assert bikeep_loaded.sim.requests.entries == []


# -- deliveries poke refreshes ------------------------------------------------------
async def test_delivery_naming_a_device_rereads_its_station_only(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """A change the counts do not show appears at once when Bikeep names the device."""
    await _register(hass, bikeep_loaded, bikeep_entry)
    # LOCKED -> BOOKED leaves available/online/total as they were: a poll would
    # not read the station's devices for up to 30 minutes.
    await bikeep_loaded.sim.control_trigger(
        "set_state", {"device_id": sc.LOCKER_2, "state": "BOOKED"}
    )
    await poll(hass)
    assert state_of(hass, "sensor", f"{sc.LOCKER_2}_device_state").state == "locked"
    bikeep_loaded.sim.requests.clear()
    statuses = await _trigger(
        hass, bikeep_loaded, "report_status", device_id=sc.LOCKER_2
    )
    assert statuses == [200]
    assert _reads(bikeep_loaded) == (1, {LOCKERS})
    assert state_of(hass, "sensor", f"{sc.LOCKER_2}_device_state").state == "booked"


async def test_delivery_naming_a_station_rereads_it(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """A station's connection webhook re-reads that station (by its id)."""
    await _register(hass, bikeep_loaded, bikeep_entry)
    bikeep_loaded.sim.requests.clear()
    await _trigger(hass, bikeep_loaded, "location_offline", location_id=DOCKS)
    assert [item.status for item in bikeep_loaded.sim.webhooks.deliveries] == [200]
    assert _reads(bikeep_loaded) == (1, {DOCKS})


@pytest.mark.parametrize(
    ("body", "raw", "content_type"),
    [
        ({"hello": "world"}, None, None),
        ({"type": "connection", "location_id": "not-one-of-ours"}, None, None),
        ({}, None, None),
        ([], None, None),
        (None, "", "text/plain"),
        (None, "type=status&station=elsewhere", "application/x-www-form-urlencoded"),
        (None, json.dumps({"type": "status"}), "text/plain"),
    ],
    ids=[
        "unknown",
        "unknown-ids",
        "empty-object",
        "empty-list",
        "empty",
        "form",
        "text",
    ],
)
async def test_well_formed_unknown_delivery_refreshes_the_account(
    hass: HomeAssistant,
    bikeep_loaded: RunningSimulator,
    bikeep_entry: MockConfigEntry,
    body: Any,
    raw: str | None,
    content_type: str | None,
) -> None:
    """A body naming nothing we know is accepted and re-reads every station."""
    await _register(hass, bikeep_loaded, bikeep_entry)
    bikeep_loaded.sim.requests.clear()
    params: dict[str, Any] = {"body": body}
    if raw is not None:
        params = {"raw": raw, "content_type": content_type}
    assert await _trigger(hass, bikeep_loaded, "send_webhook", **params) == [200]
    assert _reads(bikeep_loaded) == (1, {LOCKERS, DOCKS})


@pytest.mark.parametrize(
    "raw",
    ["not json at all", '"a string"', "[1, 2]", "42", "{broken", "null"],
)
async def test_malformed_delivery_is_refused(
    hass: HomeAssistant,
    bikeep_loaded: RunningSimulator,
    bikeep_entry: MockConfigEntry,
    raw: str,
) -> None:
    """400, and nothing is read from Bikeep."""
    await _register(hass, bikeep_loaded, bikeep_entry)
    bikeep_loaded.sim.requests.clear()
    statuses = await _trigger(
        hass, bikeep_loaded, "send_webhook", raw=raw, content_type="application/json"
    )
    assert statuses == [400]
    assert bikeep_loaded.sim.requests.entries == []
    hook = bikeep_entry.runtime_data.bikeep_webhook
    assert (hook.deliveries, hook.rejected) == (0, 1)


async def test_undecodable_bytes_are_refused(
    hass: HomeAssistant,
    bikeep_loaded: RunningSimulator,
    bikeep_entry: MockConfigEntry,
    http_session: aiohttp.ClientSession,
) -> None:
    """A body that is not UTF-8 text gets 400."""
    async with http_session.post(
        _url(hass, bikeep_entry), data=b"\xff\xfe\x00type"
    ) as response:
        assert response.status == 400


async def test_bodies_and_the_webhook_id_are_never_logged(
    hass: HomeAssistant,
    bikeep_loaded: RunningSimulator,
    bikeep_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Debug logging shows that deliveries arrive, not what they say or where to."""
    caplog.set_level(logging.DEBUG)
    await _register(hass, bikeep_loaded, bikeep_entry)
    marker = "secret-marker-4711"
    await _send(hass, bikeep_loaded, {"type": "alarm", "note": marker})
    await _send(hass, bikeep_loaded, {"type": "status", "device_id": sc.LOCKER_1})
    await _trigger(hass, bikeep_loaded, "send_webhook", raw=f"{marker}!")
    assert "Bikeep webhook delivery" in caplog.text
    assert marker not in caplog.text
    assert bikeep_entry.data[CONF_WEBHOOK_ID] not in caplog.text


async def test_deliveries_are_debounced(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """At most one refresh per 10 s: later pokes share one, serving all they named."""
    await _register(hass, bikeep_loaded, bikeep_entry)
    bikeep_loaded.sim.requests.clear()
    await _send(hass, bikeep_loaded, {"type": "status", "device_id": sc.LOCKER_1})
    assert _reads(bikeep_loaded) == (1, {LOCKERS})
    for device_id in (sc.LOCKER_4, sc.DOCK_1, sc.DOCK_2):
        await _send(hass, bikeep_loaded, {"type": "status", "device_id": device_id})
    assert _reads(bikeep_loaded) == (0, set())
    await _after_cooldown(hass)
    assert _reads(bikeep_loaded) == (1, {LOCKERS, DOCKS})
    await _after_cooldown(hass)
    assert _reads(bikeep_loaded) == (0, set())


async def test_a_failed_refresh_keeps_the_poke(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """If Bikeep fails the poked refresh, the next poll reads the named station."""
    await _register(hass, bikeep_loaded, bikeep_entry)
    bikeep_loaded.sim.faults.add("server_error", count=1, path=LOCATIONS_PATH)
    await _send(hass, bikeep_loaded, {"type": "status", "device_id": sc.DOCK_1})
    assert not bikeep_entry.runtime_data.coordinator.last_update_success
    bikeep_loaded.sim.requests.clear()
    await poll(hass)
    assert _reads(bikeep_loaded) == (1, {DOCKS})


# -- alarms: bus event and repair issue ----------------------------------------------------
async def test_alarm_fires_the_event_and_raises_an_issue_until_acknowledged(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """An alarm at an online station stays until marked as handled in Repairs."""
    assert await async_setup_component(hass, "repairs", {})
    events = async_capture_events(hass, EVENT_BIKEEP_ALARM)
    await _register(hass, bikeep_loaded, bikeep_entry)
    assert await _trigger(
        hass, bikeep_loaded, "hardware_alarm", device_id=sc.LOCKER_1
    ) == [200]
    (event,) = events
    assert event.data == {
        "config_entry_id": bikeep_entry.entry_id,
        "kind": "alarm",
        "location_id": LOCKERS,
        "location_name": "#1234 Office Building A",
        "station_device_id": _ha_device(hass, bikeep_entry, LOCKERS),
        "bikeep_device_id": sc.LOCKER_1,
        "device_id": _ha_device(hass, bikeep_entry, sc.LOCKER_1),
    }
    issue = _issue(hass, "bikeep_alarm", bikeep_entry, LOCKERS)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_key == "bikeep_alarm"
    assert issue.translation_placeholders == {
        "title": bikeep_entry.title,
        "location": "#1234 Office Building A",
    }
    # The station is online at every poll: an alarm is not an outage, it stays.
    await poll(hass)
    assert _issue(hass, "bikeep_alarm", bikeep_entry, LOCKERS) is not None

    manager = repairs_flow_manager(hass)
    assert manager is not None
    # As the frontend starts it (the issue id in data works on every release).
    flow = await manager.async_init(DOMAIN, data={"issue_id": issue.issue_id})
    assert flow["step_id"] == "confirm"
    flow = await manager.async_configure(flow["flow_id"], {})
    assert flow["type"] is FlowResultType.CREATE_ENTRY
    assert _issue(hass, "bikeep_alarm", bikeep_entry, LOCKERS) is None
    await poll(hass)
    assert _issue(hass, "bikeep_alarm", bikeep_entry, LOCKERS) is None
    diagnostics_issues = bikeep_entry.runtime_data.bikeep_webhook.diagnostics()
    assert diagnostics_issues["open_issues"] == []


async def test_alarm_clears_when_the_station_is_back_after_an_outage(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """Offline, then online again: the station's alarm issue goes by itself."""
    await _register(hass, bikeep_loaded, bikeep_entry)
    await _trigger(hass, bikeep_loaded, "hardware_alarm", location_id=DOCKS)
    assert _issue(hass, "bikeep_alarm", bikeep_entry, DOCKS) is not None
    await bikeep_loaded.sim.control_trigger(
        "confirm_outage", {"location_id": DOCKS, "offline_for": 60}
    )
    await _after_cooldown(hass)
    await poll(hass)
    assert _issue(hass, "bikeep_alarm", bikeep_entry, DOCKS) is not None
    await bikeep_loaded.sim.control_trigger("location_online", {"location_id": DOCKS})
    await _after_cooldown(hass)
    await poll(hass)
    assert _issue(hass, "bikeep_alarm", bikeep_entry, DOCKS) is None


async def test_confirmed_outage_raises_an_issue_until_the_station_is_online(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """connection_confirmed: event and issue; the first poll seeing it online clears."""
    events = async_capture_events(hass, EVENT_BIKEEP_ALARM)
    await _register(hass, bikeep_loaded, bikeep_entry)
    await _trigger(hass, bikeep_loaded, "confirm_outage", location_id=LOCKERS)
    (event,) = events
    assert event.data["kind"] == "connection_confirmed"
    assert event.data["location_id"] == LOCKERS
    assert event.data["device_id"] is None
    assert event.data["bikeep_device_id"] is None
    issue = _issue(hass, "bikeep_outage", bikeep_entry, LOCKERS)
    assert issue is not None
    assert not issue.is_fixable
    connection = f"{LOCKERS}_connection"
    assert state_of(hass, "binary_sensor", connection).state == "off"
    await poll(hass)
    assert _issue(hass, "bikeep_outage", bikeep_entry, LOCKERS) is not None

    await bikeep_loaded.sim.control_trigger("location_online", {"location_id": LOCKERS})
    await _after_cooldown(hass)
    await poll(hass)
    assert state_of(hass, "binary_sensor", connection).state == "on"
    assert _issue(hass, "bikeep_outage", bikeep_entry, LOCKERS) is None


async def test_outage_issue_is_not_cleared_by_data_older_than_the_delivery(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """Within the cooldown only the pending refresh may tell that it is back."""
    await _register(hass, bikeep_loaded, bikeep_entry)
    await _send(hass, bikeep_loaded, {"type": "status"})  # starts the cooldown
    # The station is online in the snapshot (and at Bikeep): the delivery is late.
    await _send(hass, bikeep_loaded, {"type": "connection_confirmed", "id": DOCKS})
    coordinator = bikeep_entry.runtime_data.coordinator
    coordinator.async_update_listeners()  # e.g. a command's progress
    assert _issue(hass, "bikeep_outage", bikeep_entry, DOCKS) is not None
    await _after_cooldown(hass)
    assert _issue(hass, "bikeep_outage", bikeep_entry, DOCKS) is None


async def test_alarm_at_no_known_station_fires_the_event_only(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """Names are not trusted: an alarm naming no id we know has no station."""
    events = async_capture_events(hass, EVENT_BIKEEP_ALARM)
    await _register(hass, bikeep_loaded, bikeep_entry)
    bikeep_loaded.sim.requests.clear()
    body = {"event_type": "ALARM", "location": {"name": "#1234 Office Building A"}}
    assert await _send(hass, bikeep_loaded, body) == 200
    (event,) = events
    assert event.data["kind"] == "alarm"
    assert event.data["location_id"] is None
    assert event.data["location_name"] is None
    assert event.data["station_device_id"] is None
    assert not [
        issue
        for (domain, _), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN
    ]
    assert _reads(bikeep_loaded) == (1, {LOCKERS, DOCKS})


async def test_aggregated_delivery_is_read_event_by_event(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """A list of events: each alarm goes with its own station, one refresh for all."""
    events = async_capture_events(hass, EVENT_BIKEEP_ALARM)
    url = _url(hass, bikeep_entry)
    await bikeep_loaded.sim.control_trigger(
        "register_webhook", {"url": url, "aggregate": True}
    )
    await bikeep_loaded.sim.control_trigger("device_offline", {"device_id": sc.DOCK_2})
    await bikeep_loaded.sim.control_trigger(
        "hardware_alarm", {"device_id": sc.LOCKER_6}
    )
    bikeep_loaded.sim.requests.clear()
    assert await _trigger(hass, bikeep_loaded, "flush_webhooks") == [200]
    assert [(e.data["kind"], e.data["location_id"]) for e in events] == [
        ("alarm", LOCKERS)
    ]
    assert _issue(hass, "bikeep_alarm", bikeep_entry, LOCKERS) is not None
    assert _issue(hass, "bikeep_alarm", bikeep_entry, DOCKS) is None
    assert _reads(bikeep_loaded) == (1, {LOCKERS, DOCKS})


async def test_alarm_naming_two_devices_of_a_station_names_no_device(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """One event per station; a device only when the station's is unambiguous."""
    events = async_capture_events(hass, EVENT_BIKEEP_ALARM)
    await _register(hass, bikeep_loaded, bikeep_entry)
    body = {"type": "alarm", "devices": [sc.LOCKER_1, sc.LOCKER_2, sc.DOCK_1]}
    await _send(hass, bikeep_loaded, body)
    found = {e.data["location_id"]: e.data["bikeep_device_id"] for e in events}
    assert found == {LOCKERS: None, DOCKS: sc.DOCK_1}


async def test_issue_of_a_station_that_left_the_account_goes(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """A station no longer listed takes its issue with it."""
    await _register(hass, bikeep_loaded, bikeep_entry)
    await _trigger(hass, bikeep_loaded, "hardware_alarm", location_id=DOCKS)
    state = bikeep_loaded.sim.state
    del state.locations[DOCKS]
    await poll(hass)
    assert _issue(hass, "bikeep_alarm", bikeep_entry, DOCKS) is None


async def test_removing_the_entry_removes_its_issues(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """Removal deletes the entry's alarm and outage issues, and no one else's."""
    await _register(hass, bikeep_loaded, bikeep_entry)
    await _trigger(hass, bikeep_loaded, "hardware_alarm", location_id=DOCKS)
    await _trigger(hass, bikeep_loaded, "confirm_outage", location_id=LOCKERS)
    ir.async_create_issue(
        hass,
        DOMAIN,
        "bikeep_alarm_01OTHERENTRY_x",
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key="bikeep_alarm",
        translation_placeholders={"title": "other", "location": "x"},
    )
    assert _issue(hass, "bikeep_alarm", bikeep_entry, DOCKS) is not None
    assert _issue(hass, "bikeep_outage", bikeep_entry, LOCKERS) is not None
    await hass.config_entries.async_remove(bikeep_entry.entry_id)
    await hass.async_block_till_done()
    remaining = [
        issue_id for (domain, issue_id) in ir.async_get(hass).issues if domain == DOMAIN
    ]
    assert remaining == ["bikeep_alarm_01OTHERENTRY_x"]


async def test_alarms_have_logbook_lines(
    hass: HomeAssistant, bikeep_loaded: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """The Logbook names the station: an alarm, or an outage Bikeep confirmed."""
    describers: dict[str, Any] = {}

    def register(domain: str, event_type: str, describer: Any) -> None:
        assert domain == DOMAIN
        describers[event_type] = describer

    async_describe_events(hass, register)
    describe = describers[EVENT_BIKEEP_ALARM]
    events = async_capture_events(hass, EVENT_BIKEEP_ALARM)
    await _register(hass, bikeep_loaded, bikeep_entry)
    assert await _trigger(
        hass, bikeep_loaded, "hardware_alarm", device_id=sc.LOCKER_1
    ) == [200]
    (event,) = events
    assert describe(event) == {
        "name": "#1234 Office Building A",
        "message": "raised an alarm",
    }
    outage = Event(
        EVENT_BIKEEP_ALARM, {"kind": "connection_confirmed", "location_name": None}
    )
    assert describe(outage) == {
        "name": "Bikeep",
        "message": "has been offline for over 2 hours",
    }
