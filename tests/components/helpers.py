"""Helpers for the Home Assistant tests."""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr, entity_registry as er


def entity_id(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """Return the entity id registered for ``unique_id`` on ``platform``."""
    registry = er.async_get(hass)
    found = registry.async_get_entity_id(platform, "smart_access", unique_id)
    assert found is not None, f"no {platform} entity with unique id {unique_id}"
    return found


def registry_device(hass: HomeAssistant, vendor_id: str) -> dr.DeviceEntry | None:
    """Return the registry device of a vendor device, station or account, if any.

    Device identifiers are unique per config entry only; the tests' vendor ids are
    unique across entries, which this checks.
    """
    found = dr.async_get(hass).async_get_devices(
        identifiers={("smart_access", vendor_id)}
    )
    assert len(found) <= 1, f"{vendor_id} is a device of {len(found)} entries"
    return found[0] if found else None


def state_of(hass: HomeAssistant, platform: str, unique_id: str) -> State:
    """Return the state of the entity registered for ``unique_id``."""
    state = hass.states.get(entity_id(hass, platform, unique_id))
    assert state is not None
    return state


def coordinator(hass: HomeAssistant) -> Any:
    """Return the coordinator of the first (usually only) Smart Access entry."""
    return hass.config_entries.async_entries("smart_access")[0].runtime_data.coordinator


async def poll(hass: HomeAssistant, entry: ConfigEntry | None = None) -> None:
    """Run one coordinator poll now (of ``entry``, else the first entry)."""
    target = coordinator(hass) if entry is None else entry.runtime_data.coordinator
    await target.async_refresh()
    await hass.async_block_till_done()


async def wait_idle(hass: HomeAssistant, coordinator: Any) -> None:
    """Wait until ``coordinator`` has no device command in flight."""
    for _ in range(200):
        await hass.async_block_till_done()
        if not coordinator.in_flight:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("command still in flight")
