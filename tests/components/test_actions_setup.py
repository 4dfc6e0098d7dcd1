"""Actions exist from start-up, before any entry loads, and refuse unusable targets."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smart_access.const import DOMAIN
from simulator.server import RunningSimulator

from .actions import Actions, ha_device
from .conftest import setup_entry

ACTIONS = {
    "add_rfid_cards",
    "book",
    "cancel_booking",
    "create_access_guest",
    "create_access_user",
    "create_resort_lock_guest",
    "deactivate_access_person",
    "delete_access_person",
    "delete_resort_lock_guest",
    "force_cancel_booking",
    "force_lock",
    "force_unlock",
    "grant_access",
    "list_access_persons",
    "sync_guest_access",
    "list_rfid_cards",
    "remove_rfid_cards",
    "revoke_access",
    "send_access_instructions",
    "update_access_person",
}


async def test_actions_are_registered_without_any_entry(hass: HomeAssistant) -> None:
    """Every action is there as soon as the integration is, with no entry at all."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert set(hass.services.async_services_for_domain(DOMAIN)) == ACTIONS


async def test_unknown_entry_is_refused(hass: HomeAssistant) -> None:
    """An entry id that is not a Smart Access entry is named in the error."""
    assert await async_setup_component(hass, DOMAIN, {})
    err = await Actions(hass).refused(
        "list_access_persons", config_entry_id="not-an-entry"
    )
    assert err.translation_key == "unknown_config_entry"
    assert err.translation_placeholders == {"entry_id": "not-an-entry"}


async def test_unloaded_entry_is_refused(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    bikeep_sim: RunningSimulator,
    bikeep_entry: MockConfigEntry,
) -> None:
    """Actions on an entry, or a device of an entry, that is not loaded say so."""
    await setup_entry(hass, remotelock_entry)  # sets up both entries
    locker = next(
        device.id
        for device in bikeep_entry.runtime_data.coordinator.data.devices.values()
        if device.is_lockable
    )
    locker_device = ha_device(hass, locker)
    for entry in (remotelock_entry, bikeep_entry):
        assert await hass.config_entries.async_unload(entry.entry_id)
    act = Actions(hass)
    err = await act.refused(
        "list_access_persons", config_entry_id=remotelock_entry.entry_id
    )
    assert err.translation_key == "entry_not_loaded"
    assert err.translation_placeholders == {"title": remotelock_entry.title}
    err = await act.refused("book", device_id=locker_device)
    assert err.translation_key == "entry_not_loaded"
    assert err.translation_placeholders == {"title": bikeep_entry.title}
