"""Every RemoteLock event applied once, in order, whether pushed or recovered.

The log remembers (in ``.storage``) the newest ``created_at`` it applied, how far
recovery has read, the ids of recent events and each door's last access. A pushed
event and the same event read back from ``/events`` are applied once. Recovery reads
``/events`` newest first (``sort=-created_at``) back to where the last recovery
began (RemoteLock's own time, less a margin), skips what it already applied — a
delivery that failed between two that arrived is found too — and applies the new
events oldest first. On the very first start it only takes note of the newest
events (their last accesses included) and fires nothing.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api.errors import AuthenticationError, NotFoundError, SmartAccessApiError
from .api.remotelock.models import Device, Event
from .const import DOMAIN, LOGGER
from .coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .remotelock_events import (
    ACCESS_KINDS,
    EVENT_ACCESS,
    AccessEvent,
    access_event,
    apply_to_device,
    person_of,
    value_family,
)

STORAGE_VERSION = 1
SEEN_IDS = 1000
RECOVERY_PAGE = 50
RECOVERY_MAX_PAGES = 20
SAVE_DELAY = 10.0
# Recovery reads back this far before the newest event the last recovery saw:
# an event RemoteLock made visible late, or stamped a little earlier, is not lost.
RECOVERY_OVERLAP = timedelta(minutes=2)
ISSUE_SYNC_FAILED = "sync_failed"


def signal_access_event(entry_id: str) -> str:
    """Return the dispatcher signal an entry's access events are sent on."""
    return f"{DOMAIN}_{entry_id}_access_event"


class RemoteLockEventLog:
    """Applies events to the snapshot and announces access events."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartAccessConfigEntry,
        coordinator: RemoteLockCoordinator,
    ) -> None:
        """Start empty; :meth:`async_load` reads what the last run left."""
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}.events"
        )
        self._seen: OrderedDict[str, None] = OrderedDict()
        self.newest: datetime | None = None
        # The newest created_at on /events at the last recovery (RemoteLock's time).
        self.recovered_until: datetime | None = None
        self.last_access: dict[str, AccessEvent] = {}
        self._names: dict[str, str | None] = {}
        # When each device's value (by event family) last changed by an event.
        self._changed_at: dict[tuple[str, str], datetime] = {}
        # The booking (and link) of a guest a guest-access link manages, if any.
        self.guest_booking: Callable[[str], str | None] | None = None
        self._lock = asyncio.Lock()
        self.applied = 0

    async def async_load(self) -> None:
        """Read the newest event time, recent ids and last accesses."""
        stored = await self._store.async_load()
        if not stored:
            return
        newest = stored.get("newest")
        self.newest = dt_util.parse_datetime(newest) if newest else None
        until = stored.get("recovered_until")
        self.recovered_until = dt_util.parse_datetime(until) if until else None
        for event_id in stored.get("seen", []):
            self._seen[str(event_id)] = None
        for device_id, raw in stored.get("last_access", {}).items():
            with_time = dict(raw)
            occurred = with_time.get("occurred_at")
            with_time["occurred_at"] = (
                dt_util.parse_datetime(occurred) if occurred else None
            )
            try:
                self.last_access[device_id] = AccessEvent(**with_time)
            except TypeError:
                continue

    async def async_save(self) -> None:
        """Write what the log keeps now (unload); otherwise saves are batched."""
        await self._store.async_save(self._data_to_save())

    def _data_to_save(self) -> dict[str, Any]:
        return {
            "newest": self.newest.isoformat() if self.newest else None,
            "recovered_until": (
                self.recovered_until.isoformat() if self.recovered_until else None
            ),
            "seen": list(self._seen),
            "last_access": {
                device_id: {
                    **record.__dict__,
                    "occurred_at": (
                        record.occurred_at.isoformat() if record.occurred_at else None
                    ),
                }
                for device_id, record in self.last_access.items()
            },
        }

    def diagnostics(self) -> dict[str, Any]:
        """Return how far the log has got (no names, no event content)."""
        return {
            "newest_event": self.newest.isoformat() if self.newest else None,
            "events_remembered": len(self._seen),
            "events_applied": self.applied,
            "doors_with_last_access": len(self.last_access),
        }

    # -- recovery ----------------------------------------------------------------
    async def async_recover(self) -> list[Event]:
        """Read ``/events`` back to where the last recovery began; apply what is new.

        Returns the events applied now (not delivered before). Device states are
        not changed by recovered events: the poll that runs recovery has just read
        them, and is newer.
        """
        first_start = self.newest is None and not self._seen
        mark = self.recovered_until or self.newest
        boundary = mark - RECOVERY_OVERLAP if mark is not None else None
        found: list[Event] = []
        head: datetime | None = None
        page = 1
        while page <= RECOVERY_MAX_PAGES:
            batch = await self.coordinator.client.async_list_events_page(
                page, RECOVERY_PAGE, sort="-created_at"
            )
            reached = False
            for event in batch.items:
                created = event.created_at
                if head is None or (created is not None and created > head):
                    head = created
                if boundary is not None and created is not None and created < boundary:
                    reached = True
                    break
                if event.id not in self._seen:
                    found.append(event)
            if reached or not batch.has_next or first_start:
                break
            page += 1
        if head is not None and (
            self.recovered_until is None or head > self.recovered_until
        ):
            self.recovered_until = head
        if found:
            # Newest first as read; the same second keeps the service's order.
            found.reverse()
            await self.async_process(found, recovered=True, announce=not first_start)
        elif first_start:
            # An account with no events yet: start counting from now.
            self.newest = dt_util.utcnow()
        self._store.async_delay_save(self._data_to_save, SAVE_DELAY)
        return [] if first_start else found

    # -- processing --------------------------------------------------------------
    async def async_process(
        self, events: Iterable[Event], *, recovered: bool = False, announce: bool = True
    ) -> None:
        """Apply each new event once, oldest first."""
        fresh = [event for event in events if event.id not in self._seen]
        now = dt_util.utcnow()
        fresh.sort(
            key=lambda event: (event.created_at or now, event.occurred_at or now)
        )
        if not fresh:
            return
        async with self._lock:
            changed: dict[str, Device] = {}
            for event in fresh:
                if event.id in self._seen:
                    continue
                self._remember(event)
                if not recovered:
                    self._apply_device(event, changed)
                name = await self._async_person_name(event)
                record = access_event(event, name, recovered=recovered)
                if record is not None:
                    self._announce(record, event, announce=announce)
            if changed:
                self.coordinator.async_push_devices(changed)
            self._store.async_delay_save(self._data_to_save, SAVE_DELAY)

    def _remember(self, event: Event) -> None:
        self.applied += 1
        self._seen[event.id] = None
        while len(self._seen) > SEEN_IDS:
            self._seen.popitem(last=False)
        created = event.created_at
        if created is not None and (self.newest is None or created > self.newest):
            self.newest = created

    def _apply_device(self, event: Event, changed: dict[str, Device]) -> None:
        """Change the devices an event is about; an older event never wins.

        RemoteLock delivers each event in its own request, so two deliveries may
        arrive in either order: "locked" must not be undone by an earlier "unlocked"
        that arrives late.
        """
        data = self.coordinator.data
        when = event.occurred_at or event.created_at
        for device_id in (event.publisher_id, event.associated_resource_id):
            if not device_id:
                continue
            device = changed.get(device_id) or data.devices.get(device_id)
            if device is None:
                continue
            key = (device_id, value_family(event.kind))
            last = self._changed_at.get(key)
            if when is not None and last is not None and when < last:
                continue
            if when is not None:
                self._changed_at[key] = when
            updated = apply_to_device(device, event)
            if updated is not None:
                changed[device_id] = updated

    @callback
    def _announce(self, record: AccessEvent, event: Event, *, announce: bool) -> None:
        if record.kind in ACCESS_KINDS:
            previous = self.last_access.get(record.device_id)
            if (
                previous is None
                or previous.occurred_at is None
                or record.occurred_at is None
                or record.occurred_at >= previous.occurred_at
            ):
                self.last_access[record.device_id] = record
        self._track_sync(record)
        if not announce:
            return
        device_name = self.coordinator.device_name(record.device_id)
        self.hass.bus.async_fire(
            EVENT_ACCESS,
            {
                "config_entry_id": self.entry.entry_id,
                "device_id": self._ha_device_id(record.device_id),
                "remotelock_device_id": record.device_id,
                "device_name": device_name,
                "event_id": record.event_id,
                "type": record.event_type,
                **record.attributes(),
            },
        )
        async_dispatcher_send(
            self.hass, signal_access_event(self.entry.entry_id), record
        )

    def _ha_device_id(self, vendor_id: str) -> str | None:
        device = dr.async_get(self.hass).async_get_device_by_identifier(
            (DOMAIN, vendor_id), self.entry.entry_id
        )
        return device.id if device else None

    def _track_sync(self, record: AccessEvent) -> None:
        if record.kind not in ("access_person_sync_failed", "access_person_synced"):
            return
        if record.access_person_id is None:
            return
        issue_id = (
            f"{ISSUE_SYNC_FAILED}_{self.entry.entry_id}_"
            f"{record.access_person_id}_{record.device_id}"
        )
        if record.kind == "access_person_synced":
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        placeholders = {
            "person": record.who or record.access_person_id,
            "lock": self.coordinator.device_name(record.device_id) or record.device_id,
            "reason": record.detail or "unknown",
        }
        booking = (
            self.guest_booking(record.access_person_id) if self.guest_booking else None
        )
        if booking is not None:
            placeholders["booking"] = booking
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING
            if booking is None
            else ir.IssueSeverity.ERROR,
            translation_key=ISSUE_SYNC_FAILED
            if booking is None
            else "guest_lock_sync_failed",
            translation_placeholders=placeholders,
        )

    async def _async_person_name(self, event: Event) -> str | None:
        """Return the access person's name (looked up once, then cached)."""
        person_id, _ = person_of(event)
        if person_id is None:
            return None
        if event.associated_resource_name:
            return event.associated_resource_name
        if person_id in self._names:
            return self._names[person_id]
        try:
            person = await self.coordinator.client.async_get_access_person(person_id)
        except NotFoundError:
            name = None
        except AuthenticationError:
            return None
        except SmartAccessApiError as err:
            LOGGER.debug("Could not read an access person's name: %s", err)
            return None
        else:
            name = person.name
        self._names[person_id] = name
        return name

    def forget_person(self, person_id: str) -> None:
        """Read the person's name again next time (renamed through an action)."""
        self._names.pop(person_id, None)
