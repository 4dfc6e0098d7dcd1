"""RemoteLock entities against the simulator: states, controls, faults."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import (
    ATTR_FAN_MODE,
    ATTR_HVAC_MODE,
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_FAN_MODE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_TEMPERATURE,
    HVACMode,
)
from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_TEMPERATURE,
    SERVICE_LOCK,
    SERVICE_OPEN,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    SERVICE_UNLOCK,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.smart_access.api.errors import RateLimitError
from custom_components.smart_access.error_mapping import update_failed
from simulator.server import RunningSimulator

from .conftest import setup_entry
from .helpers import coordinator, entity_id, poll, registry_device, state_of


def _devices(sim: RunningSimulator, device_type: str) -> list[dict[str, Any]]:
    return [d for d in sim.sim.dump_state()["devices"] if d["type"] == device_type]


def _sim_device(sim: RunningSimulator, device_id: str) -> dict[str, Any]:
    return next(d for d in sim.sim.dump_state()["devices"] if d["id"] == device_id)


async def test_lock_round_trip(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """Lock and unlock reach the device; the answer updates the entity at once."""
    lock = next(
        d
        for d in _devices(remotelock_loaded, "lock")
        if d["attributes"].get("connected")
    )
    unique = f"{lock['id']}_lock"
    expected = lock["attributes"]["state"]
    assert state_of(hass, LOCK_DOMAIN, unique).state == expected
    for service, wanted in ((SERVICE_UNLOCK, "unlocked"), (SERVICE_LOCK, "locked")):
        await hass.services.async_call(
            LOCK_DOMAIN,
            service,
            {ATTR_ENTITY_ID: entity_id(hass, LOCK_DOMAIN, unique)},
            blocking=True,
        )
        assert state_of(hass, LOCK_DOMAIN, unique).state == wanted
        assert (
            _sim_device(remotelock_loaded, lock["id"])["attributes"]["state"] == wanted
        )


async def test_battery_and_connectivity(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """Battery is power_level; connectivity follows alive."""
    lock = _devices(remotelock_loaded, "lock")[0]
    battery = state_of(hass, "sensor", f"{lock['id']}_battery")
    assert float(battery.state) == lock["attributes"]["power_level"]
    connectivity = state_of(hass, "binary_sensor", f"{lock['id']}_connectivity")
    assert connectivity.state == ("on" if lock["attributes"]["alive"] else "off")


async def test_acs_door_open_is_temporary_unlock(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """open on an ACS door calls temporary_unlock."""
    door = _devices(remotelock_loaded, "acs_door")[0]
    remotelock_loaded.sim.requests.clear()
    await hass.services.async_call(
        LOCK_DOMAIN,
        SERVICE_OPEN,
        {ATTR_ENTITY_ID: entity_id(hass, LOCK_DOMAIN, f"{door['id']}_lock")},
        blocking=True,
    )
    assert (
        remotelock_loaded.sim.requests.count(
            "PUT", f"/acs/doors/{door['id']}/temporary_unlock"
        )
        == 1
    )


async def test_thermostat(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """Mode, temperature and fan mode round-trip; the unit is the device's."""
    thermostat = _devices(remotelock_loaded, "thermostat")[0]
    climate = entity_id(hass, CLIMATE_DOMAIN, f"{thermostat['id']}_climate")
    await hass.services.async_call(
        CLIMATE_DOMAIN,
        SERVICE_SET_HVAC_MODE,
        {ATTR_ENTITY_ID: climate, ATTR_HVAC_MODE: HVACMode.COOL},
        blocking=True,
    )
    await hass.services.async_call(
        CLIMATE_DOMAIN,
        SERVICE_SET_FAN_MODE,
        {ATTR_ENTITY_ID: climate, ATTR_FAN_MODE: "on"},
        blocking=True,
    )
    attrs = _sim_device(remotelock_loaded, thermostat["id"])["attributes"]
    assert attrs["target_mode"] == "cool"
    assert attrs["fan_mode"] == "on"
    state = hass.states.get(climate)
    assert state is not None
    assert state.state == HVACMode.COOL
    assert state.attributes[ATTR_FAN_MODE] == "on"
    # Home Assistant is metric here; the simulated thermostat reports Fahrenheit.
    assert attrs["unit"] == "F"
    await hass.services.async_call(
        CLIMATE_DOMAIN,
        SERVICE_SET_TEMPERATURE,
        {ATTR_ENTITY_ID: climate, ATTR_TEMPERATURE: 22.0},
        blocking=True,
    )
    sent = _sim_device(remotelock_loaded, thermostat["id"])["attributes"][
        "target_temperature"
    ]
    assert sent == pytest.approx(71.6, abs=0.1)


async def test_power_plug_switch(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """The plug's main switch powers it off and on."""
    plug = _devices(remotelock_loaded, "power_plug")[0]
    switch = entity_id(hass, "switch", f"{plug['id']}_power")
    for service, wanted in ((SERVICE_TURN_OFF, False), (SERVICE_TURN_ON, True)):
        await hass.services.async_call(
            "switch", service, {ATTR_ENTITY_ID: switch}, blocking=True
        )
        assert _sim_device(remotelock_loaded, plug["id"])["attributes"]["on"] is wanted
        state = hass.states.get(switch)
        assert state is not None
        assert state.state == ("on" if wanted else "off")


async def test_command_failure_is_translated(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """A 5xx during a command raises a translated error."""
    lock = _devices(remotelock_loaded, "lock")[0]
    remotelock_loaded.sim.faults.add(
        "server_error", count=1, path=f"/devices/{lock['id']}/unlock"
    )
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            LOCK_DOMAIN,
            SERVICE_UNLOCK,
            {ATTR_ENTITY_ID: entity_id(hass, LOCK_DOMAIN, f"{lock['id']}_lock")},
            blocking=True,
        )
    assert err.value.translation_key == "command_cannot_connect"


async def test_poll_fault_makes_unavailable_and_recovers(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """A failing poll makes entities unavailable; the next good poll restores them."""
    lock = _devices(remotelock_loaded, "lock")[0]
    unique = f"{lock['id']}_lock"
    client = coordinator(hass).client
    normal = client._timeout
    for kind in ("server_error", "malformed", "timeout"):
        remotelock_loaded.sim.faults.add(kind, count=1, path="/devices", delay=0.2)
        client._timeout = 0.1
        await poll(hass)
        assert state_of(hass, LOCK_DOMAIN, unique).state == STATE_UNAVAILABLE, kind
        client._timeout = normal  # the good poll is not held to 0.1 s
        await poll(hass)
        assert state_of(hass, LOCK_DOMAIN, unique).state == lock["attributes"]["state"]


async def test_rate_limit_backs_off_until_reset(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """A 429 asks the coordinator to retry at the window's reset; success resumes."""
    coord = coordinator(hass)
    normal = coord.update_interval
    assert normal is not None
    remotelock_loaded.sim.faults.add("rate_limit", count=1, path="/devices")
    await poll(hass)
    assert not coord.last_update_success
    error = coord.last_exception
    assert isinstance(error, UpdateFailed)
    reset = coord.client.rate_limit.reset_at
    assert reset is not None
    assert error.retry_after is not None
    wait = (reset - dt_util.utcnow()).total_seconds()
    assert error.retry_after >= normal.total_seconds()
    assert error.retry_after == pytest.approx(
        max(normal.total_seconds(), wait + 1), abs=2
    )
    await poll(hass)
    assert coord.last_update_success
    assert coord.update_interval == normal


@pytest.mark.parametrize(
    ("reset_in", "interval", "expected"),
    [
        (90.0, 30.0, 91.0),  # wait for the reset, plus a second
        (5.0, 30.0, 30.0),  # never sooner than the normal interval
        (-10.0, 30.0, 30.0),  # a reset already past
        (None, 30.0, 60.0),  # no reset time: twice the interval
        (None, None, None),  # nothing known: Home Assistant's own interval
    ],
)
def test_rate_limit_retry_after(
    reset_in: float | None, interval: float | None, expected: float | None
) -> None:
    """update_failed turns a rate limit into the coordinator's retry_after."""
    reset = (
        dt_util.utcnow() + timedelta(seconds=reset_in) if reset_in is not None else None
    )
    error = update_failed(
        RateLimitError("limited", reset_at=reset),
        timedelta(seconds=interval) if interval is not None else None,
    )
    assert isinstance(error, UpdateFailed)
    if expected is None:
        assert error.retry_after is None
    else:
        assert error.retry_after == pytest.approx(expected, abs=0.5)


async def test_poll_cost_is_one_request(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """A regular poll of a small account: the devices, and push's safety net.

    The safety net checks that the webhook subscriber is still active and reads
    the newest page of events (missed deliveries).
    """
    remotelock_loaded.sim.requests.clear()
    await poll(hass)
    api_requests = [
        e
        for e in remotelock_loaded.sim.requests.entries
        if not e.path.startswith("/oauth")
    ]
    subscriber = remotelock_loaded.sim.requests.entries[1].path
    assert subscriber.startswith("/notification_subscribers/")
    assert [(e.method, e.path) for e in api_requests] == [
        ("GET", "/devices"),
        ("GET", subscriber),
        ("GET", "/events"),
    ]


async def test_unauthorized_poll_starts_reauth(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """A token the vendor stops accepting (twice) ends in a reauth prompt."""
    remotelock_loaded.sim.faults.add("unauthorized", count=4)
    await poll(hass)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_rate_limit_sensor_shows_requests_left(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """The account's diagnostic sensor follows X-RateLimit-Remaining, 0 after a 429."""
    coord = coordinator(hass)
    unique = f"{coord.account_device_id}_rate_limit_remaining"
    state = state_of(hass, "sensor", unique)
    assert state.attributes["unit_of_measurement"] == "requests"
    assert 0 < int(state.state) < 120
    assert int(state.state) == coord.client.rate_limit.remaining
    remotelock_loaded.sim.faults.add("rate_limit", count=1, path="/devices")
    await poll(hass)
    assert state_of(hass, "sensor", unique).state == "0"
    device = registry_device(hass, coord.account_device_id)
    assert device is not None
    assert device.entry_type is dr.DeviceEntryType.SERVICE


async def test_rate_limit_sensor_shows_full_budget_after_reset(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Once the window has reset, the whole budget is available again."""
    coord = coordinator(hass)
    unique = f"{coord.account_device_id}_rate_limit_remaining"
    freezer.tick(timedelta(minutes=2))
    coord.async_update_listeners()
    assert state_of(hass, "sensor", unique).state == "120"


async def test_device_offline_makes_unavailable_and_recovers(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """An offline lock or thermostat is unavailable, connectivity off; both recover."""
    lock = _devices(remotelock_loaded, "lock")[0]
    thermostat = _devices(remotelock_loaded, "thermostat")[0]
    for device in (lock, thermostat):
        await remotelock_loaded.sim.control_trigger(
            "device_offline", {"device_id": device["id"]}
        )
    await poll(hass)
    assert state_of(hass, LOCK_DOMAIN, f"{lock['id']}_lock").state == STATE_UNAVAILABLE
    climate = state_of(hass, CLIMATE_DOMAIN, f"{thermostat['id']}_climate")
    assert climate.state == STATE_UNAVAILABLE
    assert state_of(hass, "binary_sensor", f"{lock['id']}_connectivity").state == "off"
    for device in (lock, thermostat):
        await remotelock_loaded.sim.control_trigger(
            "device_online", {"device_id": device["id"]}
        )
    await poll(hass)
    assert state_of(hass, LOCK_DOMAIN, f"{lock['id']}_lock").state == "locked"
    climate = state_of(hass, CLIMATE_DOMAIN, f"{thermostat['id']}_climate")
    assert climate.state != STATE_UNAVAILABLE
    assert state_of(hass, "binary_sensor", f"{lock['id']}_connectivity").state == "on"


async def test_polls_on_its_interval(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """The coordinator polls by itself once its interval has passed, not before.

    Push delivers, so after the first poll (due 30 s after set-up, planned before
    push was up) the full poll is the 10-minute safety net.
    """
    interval = coordinator(hass).update_interval
    assert interval == timedelta(minutes=10)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=31))
    await hass.async_block_till_done(wait_background_tasks=True)
    remotelock_loaded.sim.requests.clear()
    async_fire_time_changed(hass, dt_util.utcnow() + interval / 2)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert remotelock_loaded.sim.requests.entries == []
    async_fire_time_changed(hass, dt_util.utcnow() + interval + timedelta(seconds=1))
    await hass.async_block_till_done(wait_background_tasks=True)
    paths = [e.path for e in remotelock_loaded.sim.requests.entries]
    assert paths[0] == "/devices"
    assert paths[-1] == "/events"


async def test_acs_door_lock_and_unlock(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """Unlocking a door keeps it unlocked until it is locked again."""
    door = _devices(remotelock_loaded, "acs_door")[0]
    unique = f"{door['id']}_lock"
    lock = entity_id(hass, LOCK_DOMAIN, unique)
    for service, wanted in ((SERVICE_UNLOCK, "unlocked"), (SERVICE_LOCK, "locked")):
        await hass.services.async_call(
            LOCK_DOMAIN, service, {ATTR_ENTITY_ID: lock}, blocking=True
        )
        assert state_of(hass, LOCK_DOMAIN, unique).state == wanted
        assert (
            _sim_device(remotelock_loaded, door["id"])["attributes"]["state"] == wanted
        )


async def test_thermostat_offers_the_models_modes(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """The LS-60i lists heat/cool/off and fans on/auto; turn on picks its first mode."""
    thermostat = _devices(remotelock_loaded, "thermostat")[0]
    climate = entity_id(hass, CLIMATE_DOMAIN, f"{thermostat['id']}_climate")
    state = hass.states.get(climate)
    assert state is not None
    assert state.attributes["hvac_modes"] == [
        HVACMode.HEAT,
        HVACMode.COOL,
        HVACMode.OFF,
    ]
    assert state.attributes["fan_modes"] == ["on", "auto"]
    await hass.services.async_call(
        CLIMATE_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: climate}, blocking=True
    )
    state = hass.states.get(climate)
    assert state is not None
    assert state.state == HVACMode.OFF
    assert state.attributes["hvac_action"] == "off"
    await hass.services.async_call(
        CLIMATE_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: climate}, blocking=True
    )
    assert (
        _sim_device(remotelock_loaded, thermostat["id"])["attributes"]["target_mode"]
        == "heat"
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_unknown_models_offer_every_mode_and_are_asked_for_once(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """A model missing from /models: all documented modes; the list isn't re-read."""
    model_id = "00000000-0000-4000-8000-00000000dead"
    state = remotelock_sim.sim.state
    thermostat = next(d for d in state.devices.values() if d["type"] == "thermostat")
    thermostat["attributes"]["model_id"] = model_id
    lock = next(d for d in state.devices.values() if d["type"] == "lock")
    lock["attributes"]["model_id"] = model_id
    await setup_entry(hass, remotelock_entry)
    climate = state_of(hass, CLIMATE_DOMAIN, f"{thermostat['id']}_climate")
    assert climate.attributes["hvac_modes"] == [
        HVACMode.HEAT,
        HVACMode.COOL,
        HVACMode.HEAT_COOL,
        HVACMode.OFF,
    ]
    # Without a model, the lock's switches are offered (the device reports them).
    assert state_of(hass, "switch", f"{lock['id']}_auto_lock")
    await hass.services.async_call(
        CLIMATE_DOMAIN,
        SERVICE_TURN_ON,
        {
            ATTR_ENTITY_ID: entity_id(
                hass, CLIMATE_DOMAIN, f"{thermostat['id']}_climate"
            )
        },
        blocking=True,
    )
    assert thermostat["attributes"]["target_mode"] == "auto"
    remotelock_sim.sim.requests.clear()
    await poll(hass)
    paths = [e.path for e in remotelock_sim.sim.requests.entries]
    assert paths[0] == "/devices"
    assert "/models" not in paths


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_select_changes_the_setting(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """Choosing an auto-lock timeout writes it to the lock."""
    lock = next(
        d
        for d in _devices(remotelock_loaded, "lock")
        if d["attributes"]["name"] == "Front Door"
    )
    select = entity_id(hass, "select", f"{lock['id']}_auto_lock_timeout")
    await hass.services.async_call(
        "select",
        "select_option",
        {ATTR_ENTITY_ID: select, "option": "10"},
        blocking=True,
    )
    assert (
        _sim_device(remotelock_loaded, lock["id"])["attributes"]["auto_lock_timeout"]
        == 10
    )
    state = hass.states.get(select)
    assert state is not None
    assert state.state == "10"


@pytest.mark.parametrize(
    ("kind", "count", "key"),
    [
        ("rate_limit", 1, "command_rate_limited"),
        ("server_error", 1, "command_cannot_connect"),
        ("unauthorized", 4, "command_forbidden"),
    ],
)
async def test_command_errors_say_why(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    kind: str,
    count: int,
    key: str,
) -> None:
    """Each kind of vendor failure during a command has its own translated error."""
    lock = _devices(remotelock_loaded, "lock")[0]
    remotelock_loaded.sim.faults.add(
        kind, count=count, path=f"/devices/{lock['id']}/unlock"
    )
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            LOCK_DOMAIN,
            SERVICE_UNLOCK,
            {ATTR_ENTITY_ID: entity_id(hass, LOCK_DOMAIN, f"{lock['id']}_lock")},
            blocking=True,
        )
    assert err.value.translation_key == key
    assert err.value.translation_placeholders["name"] == (
        f"{lock['attributes']['name']} unlock"
    )
