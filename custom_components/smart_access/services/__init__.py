"""Actions (services) of Smart Access, registered once in ``async_setup``."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback

from . import bikeep, guest_access, remotelock_access, resort_lock


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every Smart Access action."""
    bikeep.async_register(hass)
    guest_access.async_register(hass)
    remotelock_access.async_register(hass)
    resort_lock.async_register(hass)
