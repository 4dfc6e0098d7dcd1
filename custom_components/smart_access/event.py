"""Event entities: what happens at each RemoteLock lock, ACS door and resort lock.

Each access event the entry's event log announces (pushed within a second, or
recovered from ``/events``) fires the event entity of its door with who, how and
when as attributes; never a PIN, card number or e-mail.
"""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import SmartAccessConfigEntry
from .entity import RemoteLockEntity, async_add_dynamic_entities
from .remotelock_event_log import signal_access_event
from .remotelock_events import ENTITY_EVENT_TYPES, AccessEvent, is_access_device

# Coordinator-driven: no polling of its own.
PARALLEL_UPDATES = 0

ACCESS_EVENT_DESCRIPTION = EventEntityDescription(
    key="access",
    translation_key="access",
    event_types=sorted(set(ENTITY_EVENT_TYPES.values())),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an access event entity per lock and door, now and for new ones."""
    async_add_dynamic_entities(
        entry,
        async_add_entities,
        remotelock=lambda coordinator, device: (
            [RemoteLockAccessEvent(coordinator, device.id, ACCESS_EVENT_DESCRIPTION)]
            if is_access_device(device)
            else []
        ),
    )


class RemoteLockAccessEvent(RemoteLockEntity, EventEntity):
    """Fires for every event RemoteLock reports at one door."""

    entity_description: EventEntityDescription

    async def async_added_to_hass(self) -> None:
        """Listen for the entry's access events."""
        await super().async_added_to_hass()
        entry = self.coordinator.config_entry
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, signal_access_event(entry.entry_id), self._async_access
            )
        )

    @callback
    def _async_access(self, record: AccessEvent) -> None:
        if record.device_id != self.device_id:
            return
        self._trigger_event(record.event_type, record.attributes())
        self.async_write_ha_state()
