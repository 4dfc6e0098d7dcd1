"""Logbook lines: access events and Bikeep alarms.

"Back Door unlocked by Jane Doe with a PIN", "Office Building A raised an alarm".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from .api.bikeep.webhooks import WebhookKind
from .bikeep_webhook import EVENT_BIKEEP_ALARM
from .const import DOMAIN
from .remotelock_events import EVENT_ACCESS

_VERBS = {
    "unlocked": "unlocked",
    "locked": "locked",
    "access_denied": "refused access",
    "door_opened": "opened",
    "door_closed": "closed",
    "door_held_open": "held open too long",
    "request_to_exit": "asked to exit",
    "access_person_synced": "synced access",
    "access_person_sync_failed": "could not sync access",
    "guest_late_sync": "synced a guest late",
    "power_level_low": "has a low battery",
    "battery_replaced": "had its battery replaced",
    "connectivity": "connection changed",
    "reset": "was reset",
}
_METHODS = {
    "pin": "a PIN",
    "keypad": "the keypad",
    "card": "a card",
    "smart_card": "a smart card",
    "app": "the app",
    "auto_lock": "auto-lock",
    "schedule": "a schedule",
}
_ACTORS = {"keypad", "card", "app", "schedule", "manual"}


def describe(data: Mapping[str, Any]) -> str:
    """Return the logbook message of one access event's data."""
    event_type = str(data.get("type"))
    verb = _VERBS.get(event_type, event_type.replace("_", " "))
    who = data.get("who")
    method = data.get("method")
    if event_type in ("access_person_synced", "access_person_sync_failed"):
        return f"{verb} for {who}" if who else verb
    if event_type == "guest_late_sync" and who:
        return f"synced guest {who} late"
    parts = [verb]
    if who and (who not in _ACTORS or method is None):
        parts.append(f"by {who}")
    if method:
        parts.append(f"with {_METHODS.get(str(method), str(method).replace('_', ' '))}")
    return " ".join(parts)


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[
        [str, str, Callable[[Event], dict[str, str | None]]], None
    ],
) -> None:
    """Describe the access events."""

    @callback
    def describe_access(event: Event) -> dict[str, str | None]:
        data = event.data
        unique_id = f"{data.get('remotelock_device_id')}_access"
        entity_id = er.async_get(hass).async_get_entity_id("event", DOMAIN, unique_id)
        return {
            LOGBOOK_ENTRY_NAME: str(data.get("device_name") or "Door"),
            LOGBOOK_ENTRY_MESSAGE: describe(data),
            LOGBOOK_ENTRY_ENTITY_ID: entity_id,
        }

    @callback
    def describe_alarm(event: Event) -> dict[str, str | None]:
        data = event.data
        outage = data.get("kind") == WebhookKind.CONNECTION_CONFIRMED
        return {
            LOGBOOK_ENTRY_NAME: str(data.get("location_name") or "Bikeep"),
            LOGBOOK_ENTRY_MESSAGE: "has been offline for over 2 hours"
            if outage
            else "raised an alarm",
        }

    async_describe_event(DOMAIN, EVENT_ACCESS, describe_access)
    async_describe_event(DOMAIN, EVENT_BIKEEP_ALARM, describe_alarm)
