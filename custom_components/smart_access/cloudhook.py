"""Home Assistant Cloud webhooks (cloudhooks), when the user has HA Cloud.

The cloud integration is imported only once it is loaded: it pulls in a large part
of Home Assistant (and packages that exist only where cloud runs), and an install
without HA Cloud never needs it.
"""

from __future__ import annotations

from collections.abc import Callable
import contextlib
from typing import Any

from homeassistant.core import HomeAssistant, callback

from .const import CONF_CLOUDHOOK_URL, LOGGER
from .coordinator import SmartAccessConfigEntry


def cloud_active(hass: HomeAssistant) -> bool:
    """Return whether HA Cloud is loaded with an active subscription."""
    if "cloud" not in hass.config.components:
        return False
    from homeassistant.components import cloud

    return cloud.async_active_subscription(hass)


def async_listen_cloud_connected(
    hass: HomeAssistant, target: Callable[[], None]
) -> Callable[[], None] | None:
    """Call ``target`` each time HA Cloud connects; ``None`` without HA Cloud."""
    if "cloud" not in hass.config.components:
        return None
    from homeassistant.components import cloud

    @callback
    def changed(state: Any) -> None:
        if state is cloud.CloudConnectionState.CLOUD_CONNECTED:
            target()

    return cloud.async_listen_connection_change(hass, changed)


async def async_cloudhook_url(
    hass: HomeAssistant, entry: SmartAccessConfigEntry, webhook_id: str
) -> str | None:
    """Return the entry's cloudhook URL, creating (and storing) it the first time."""
    if url := entry.data.get(CONF_CLOUDHOOK_URL):
        return str(url)
    from homeassistant.components import cloud

    try:
        url = await cloud.async_get_or_create_cloudhook(hass, webhook_id)
    except cloud.CloudNotAvailable:
        LOGGER.debug("HA Cloud is not connected; no cloudhook yet")
        return None
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_CLOUDHOOK_URL: url}
    )
    return str(url)


async def async_delete_cloudhook(hass: HomeAssistant, webhook_id: str) -> None:
    """Delete the entry's cloudhook (entry removed); no cloud: nothing to do."""
    if "cloud" not in hass.config.components:
        return
    from homeassistant.components import cloud

    with contextlib.suppress(cloud.CloudNotAvailable, ValueError):
        await cloud.async_delete_cloudhook(hass, webhook_id)
