"""The "Last access" sensor of each RemoteLock lock and door: who used it last.

Its state is who (an access person's name, or keypad/card/app/schedule/manual), so
dashboards and voice assistants can answer "who unlocked the back door?"; the
attributes say what happened, how and when. It survives restarts (the entry's event
log keeps the last access of every door).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.components.sensor import SensorEntity, SensorEntityDescription
from homeassistant.core import callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .entity import RemoteLockEntity
from .remotelock_event_log import signal_access_event
from .remotelock_events import ACCESS_KINDS, AccessEvent

LAST_ACCESS = SensorEntityDescription(key="last_access", translation_key="last_access")


class LastAccessSensor(RemoteLockEntity, SensorEntity):
    """Who used the door last, and how."""

    def _record(self) -> AccessEvent | None:
        push = self.coordinator.config_entry.runtime_data.push
        if push is None:
            return None
        return push.events.last_access.get(self.device_id)

    @property
    def native_value(self) -> str | None:
        """Return who acted (``unknown`` until a first access is seen)."""
        record = self._record()
        return record.who if record is not None else None

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return what happened, how and when."""
        record = self._record()
        if record is None:
            return None
        when: datetime | None = record.occurred_at
        return {
            "event_type": record.event_type,
            "access_person_id": record.access_person_id,
            "method": record.method,
            "status": record.status,
            "timestamp": when.isoformat() if when else None,
        }

    async def async_added_to_hass(self) -> None:
        """Follow the entry's access events."""
        await super().async_added_to_hass()
        entry = self.coordinator.config_entry
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, signal_access_event(entry.entry_id), self._async_access
            )
        )

    @callback
    def _async_access(self, record: AccessEvent) -> None:
        if record.device_id == self.device_id and record.kind in ACCESS_KINDS:
            self.async_write_ha_state()
