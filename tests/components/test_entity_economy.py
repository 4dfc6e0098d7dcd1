"""Entity economy: what is enabled by default, within Home Assistant's per-entry cap.

The plan itself is plain Python (``entity_economy.plan``); the rest is what a user
sees: which entities of a device are enabled after set-up, the repair issue when not
every device's controls fit, and devices added later planned within what is left.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smart_access import entity_economy
from custom_components.smart_access.const import DOMAIN
from custom_components.smart_access.entity_economy import Plan, Tier, plan
from simulator.remotelock.scenario import (
    ACS_DOOR_ID,
    FRONT_DOOR_ID,
    POWER_PLUG_ID,
    RESORT_LOCK_ID,
    THERMOSTAT_ID,
)
from simulator.server import RunningSimulator

from .conftest import setup_entry
from .helpers import poll, registry_device

LOCK = (
    ("lock", "lock"),
    ("binary_sensor", "connectivity"),
    ("sensor", "battery"),
    ("event", "access"),
    ("sensor", "last_access"),
)
PLUG = (
    ("switch", "power"),
    ("binary_sensor", "connectivity"),
    ("sensor", "power"),
    ("sensor", "energy"),
)


# -- the plan -------------------------------------------------------------------------


def test_everything_fits_every_tier_is_enabled() -> None:
    """A small account gets every tier; unlisted entities stay disabled."""
    chosen = plan({"a": LOCK, "b": PLUG}, account_entities=1)
    assert chosen.tier is Tier.READINGS
    assert chosen.planned == 10
    assert chosen.left_out == 0
    assert chosen.enabled("sensor", "energy", "b")
    assert chosen.enabled("sensor", "rate_limit_remaining", None)
    assert not chosen.enabled("sensor", "signal_quality", "a")
    assert not chosen.enabled("switch", "auto_lock", "a")


def test_the_largest_tier_that_fits_for_every_device() -> None:
    """Whole tiers: control and health fit for all, access does not."""
    objects = {f"lock{n}": LOCK for n in range(10)}
    chosen = plan(objects, budget=35)
    assert chosen.tier is Tier.HEALTH
    assert chosen.planned == 30
    assert chosen.enabled("lock", "lock", "lock3")
    assert chosen.enabled("sensor", "battery", "lock9")
    assert not chosen.enabled("event", "access", "lock0")
    assert not chosen.enabled("sensor", "last_access", "lock0")
    assert chosen.controls_for is None


def test_when_not_every_control_fits_the_first_devices_get_theirs() -> None:
    """Controls of the first devices by id; the rest are counted as left out."""
    objects = {f"lock{n}": LOCK for n in range(10)} | {"plug": PLUG}
    chosen = plan(objects, account_entities=1, budget=5)
    assert chosen.tier is Tier.CONTROL
    assert chosen.controls_for == frozenset({"lock0", "lock1", "lock2", "lock3"})
    assert chosen.planned == 5
    assert chosen.left_out == 7
    assert chosen.enabled("lock", "lock", "lock2")
    assert not chosen.enabled("lock", "lock", "lock4")
    assert not chosen.enabled("binary_sensor", "connectivity", "lock0")
    # The entry's own entities are always enabled.
    assert chosen.enabled("sensor", "rate_limit_remaining", None)


def test_entities_enabled_now_shrink_the_room() -> None:
    """Devices added later are planned within what the registry leaves."""
    objects = {"new1": LOCK, "new2": LOCK}
    assert plan(objects, enabled_now=0, budget=100).tier is Tier.READINGS
    later = plan(objects, enabled_now=95, budget=100)
    assert later.tier is Tier.CONTROL
    assert later.controls_for is None
    assert later.planned == 97
    full = plan(objects, enabled_now=100, budget=100)
    assert full.controls_for == frozenset()
    assert full.left_out == 2


def test_the_default_plan_enables_everything_tiered() -> None:
    """Before any poll (no plan yet) every tiered entity is enabled."""
    assert entity_economy.EVERYTHING.enabled("sensor", "dead_since", "x")
    assert not entity_economy.EVERYTHING.enabled("sensor", "humidity", "x")
    assert isinstance(entity_economy.EVERYTHING, Plan)


# -- what a user sees -----------------------------------------------------------------


def enabled_keys(
    hass: HomeAssistant, entry: MockConfigEntry, vendor_id: str
) -> dict[str, bool]:
    """Return ``platform.key`` -> enabled for one device's entities."""
    device = registry_device(hass, vendor_id)
    assert device is not None
    found: dict[str, bool] = {}
    for item in er.async_entries_for_device(
        er.async_get(hass), device.id, include_disabled_entities=True
    ):
        if item.config_entry_id != entry.entry_id:
            continue
        key = item.unique_id.removeprefix(f"{vendor_id}_")
        found[f"{item.domain}.{key}"] = item.disabled_by is None
    return found


def enabled_count(hass: HomeAssistant, entry: MockConfigEntry) -> int:
    """Return the entry's entities enabled in the registry."""
    return sum(
        1
        for item in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if item.disabled_by is None
    )


async def test_a_lock_enables_what_a_site_needs_first(
    hass: HomeAssistant, remotelock_loaded: RunningSimulator
) -> None:
    """Lock, connectivity, battery, access event and last access; settings off."""
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    keys = enabled_keys(hass, entry, FRONT_DOOR_ID)
    assert {key for key, on in keys.items() if on} == {
        "lock.lock",
        "binary_sensor.connectivity",
        "sensor.battery",
        "event.access",
        "sensor.last_access",
    }
    disabled = {key for key, on in keys.items() if not on}
    assert {"sensor.signal_quality", "switch.auto_lock"} <= disabled
    assert any(key.startswith("select.") for key in disabled)


@pytest.mark.parametrize(
    ("vendor_id", "expected"),
    [
        (
            ACS_DOOR_ID,
            {
                "lock.lock",
                "binary_sensor.door_connectivity",
                "event.access",
                "sensor.last_access",
            },
        ),
        (
            RESORT_LOCK_ID,
            {"sensor.current_guests", "event.access", "sensor.last_access"},
        ),
        (
            THERMOSTAT_ID,
            {"climate.climate", "binary_sensor.connectivity", "sensor.temperature"},
        ),
        (
            POWER_PLUG_ID,
            {
                "switch.power",
                "binary_sensor.connectivity",
                "sensor.power",
                "sensor.energy",
            },
        ),
    ],
)
async def test_each_kind_enables_its_tiers(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    vendor_id: str,
    expected: set[str],
) -> None:
    """Every other kind of RemoteLock device enables exactly its tiered entities."""
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    keys = enabled_keys(hass, entry, vendor_id)
    assert {key for key, on in keys.items() if on} == expected


async def _plan_matches_registry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await setup_entry(hass, entry)
    coordinator = entry.runtime_data.coordinator
    assert coordinator.entity_plan.tier is Tier.READINGS
    assert coordinator.entity_plan.planned == enabled_count(hass, entry)
    assert not ir.async_get(hass).async_get_issue(
        DOMAIN, f"entity_budget_{entry.entry_id}"
    )


async def test_the_plan_counts_what_remotelock_enables(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """The plan's estimate is the number of entities set-up enables (RemoteLock)."""
    await _plan_matches_registry(hass, remotelock_entry)


async def test_the_plan_counts_what_bikeep_enables(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """The plan's estimate is the number of entities set-up enables (Bikeep)."""
    await _plan_matches_registry(hass, bikeep_entry)


async def test_controls_left_out_raise_a_repair_until_enabled(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Over budget: first devices' controls only, a repair names how many are out.

    The registry keeps the choice (a larger budget later does not enable them); once
    you enable the left-out controls and the entry reloads, the issue is gone.
    """
    monkeypatch.setattr(entity_economy, "ENABLED_BUDGET", 4)
    await setup_entry(hass, remotelock_entry)
    issue_id = f"entity_budget_{remotelock_entry.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "entity_budget"
    devices = len(remotelock_sim.sim.state.devices)
    # The account's rate-limit sensor and guests calendar + 2 controls fit; the
    # other devices with a control are out.
    assert issue.translation_placeholders == {
        "title": remotelock_entry.title,
        "devices": str(devices),
        "left_out": str(devices - 2),
        "cap": "10,000",
    }
    assert enabled_count(hass, remotelock_entry) == 4
    assert "get no enabled entity by default" in caplog.text

    registry = er.async_get(hass)
    out = [
        item
        for item in er.async_entries_for_config_entry(
            registry, remotelock_entry.entry_id
        )
        if item.domain in {"lock", "climate", "switch"}
        and item.unique_id.endswith(("_lock", "_climate", "_power"))
        and item.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    ]
    assert out
    monkeypatch.setattr(entity_economy, "ENABLED_BUDGET", 9_000)
    assert await hass.config_entries.async_reload(remotelock_entry.entry_id)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None

    for item in out:
        registry.async_update_entity(item.entity_id, disabled_by=None)
    # Resort locks' control is the Current guests sensor.
    for item in er.async_entries_for_config_entry(registry, remotelock_entry.entry_id):
        if item.unique_id.endswith("_current_guests") and item.disabled_by:
            registry.async_update_entity(item.entity_id, disabled_by=None)
    assert await hass.config_entries.async_reload(remotelock_entry.entry_id)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_devices_added_later_get_what_is_left(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A new lock is planned within the budget less what is enabled now."""
    await setup_entry(hass, remotelock_entry)
    before = enabled_count(hass, remotelock_entry)
    # Room for the new lock's control and health entities, not its access ones.
    monkeypatch.setattr(entity_economy, "ENABLED_BUDGET", before + 3)
    devices = remotelock_sim.sim.state.devices
    new = dict(devices[FRONT_DOOR_ID])
    new["id"] = "new-lock"
    devices["new-lock"] = new
    await poll(hass, remotelock_entry)
    keys = enabled_keys(hass, remotelock_entry, "new-lock")
    assert {key for key, on in keys.items() if on} == {
        "lock.lock",
        "binary_sensor.connectivity",
        "sensor.battery",
    }
    assert enabled_count(hass, remotelock_entry) == before + 3
    # The devices set up before keep what they had.
    assert enabled_keys(hass, remotelock_entry, FRONT_DOOR_ID)["event.access"]


async def test_new_entities_disabled_by_you_are_not_left_out(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With "Enable newly added entities" off, disabled controls are your choice."""
    hass.config_entries.async_update_entry(
        remotelock_entry, pref_disable_new_entities=True
    )
    monkeypatch.setattr(entity_economy, "ENABLED_BUDGET", 4)
    await setup_entry(hass, remotelock_entry)
    assert enabled_count(hass, remotelock_entry) == 0
    assert remotelock_entry.runtime_data.coordinator.entities_left_out == 0
    assert not ir.async_get(hass).async_get_issue(
        DOMAIN, f"entity_budget_{remotelock_entry.entry_id}"
    )
