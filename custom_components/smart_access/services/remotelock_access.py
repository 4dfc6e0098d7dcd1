"""Actions of Smart Access (being written)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback


@callback
def async_register(hass: HomeAssistant) -> None:
    """Register the actions of this module."""
