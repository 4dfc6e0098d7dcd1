"""Helpers for the Home Assistant tests."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er


def entity_id(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """Return the entity id registered for ``unique_id`` on ``platform``."""
    registry = er.async_get(hass)
    found = registry.async_get_entity_id(platform, "smart_access", unique_id)
    assert found is not None, f"no {platform} entity with unique id {unique_id}"
    return found


def state_of(hass: HomeAssistant, platform: str, unique_id: str) -> State:
    """Return the state of the entity registered for ``unique_id``."""
    state = hass.states.get(entity_id(hass, platform, unique_id))
    assert state is not None
    return state
