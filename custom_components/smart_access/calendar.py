"""Calendars: the RemoteLock account's access guests, one event per stay."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple, override
from zoneinfo import ZoneInfo

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .api.remotelock.timezones import local_naive_to_aware
from .coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .entity import RemoteLockAccountEntity
from .guest_directory import GuestDirectory
from .guest_link_calendar import GuestLinkCalendar
from .guest_link_entity import async_add_link_entities
from .guest_sync.model import strip_marker

PARALLEL_UPDATES = 0

ACCESS_GUESTS = "access_guests"


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the account's guests calendar (RemoteLock entries)."""
    coordinator = entry.runtime_data.coordinator
    guests = entry.runtime_data.guests
    if not isinstance(coordinator, RemoteLockCoordinator) or guests is None:
        return
    calendar = AccessGuestsCalendar(coordinator, guests)
    calendar.plan_enabled_default("calendar")
    async_add_entities([calendar])
    # Each guest-access link's calendar of the guests it manages.
    async_add_link_entities(
        entry, async_add_entities, lambda link: [GuestLinkCalendar(link)]
    )


class _Stay(NamedTuple):
    """A guest's event with its times in UTC (safe to compare and sort)."""

    start: datetime
    end: datetime
    event: CalendarEvent


class AccessGuestsCalendar(RemoteLockAccountEntity, CalendarEntity):
    """Every current and upcoming access guest of the account, read-only.

    An event runs from the guest's ``starts_at`` to its ``ends_at``, wall-clock
    times placed on the time line in the guest's zone (see
    :meth:`GuestDirectory.zone_of`). The summary is the guest's name (without a
    guest link's marker); the uid is the guest's id. Nothing else: no PIN, card,
    e-mail or phone. Events come from the directory's list in memory, so viewing
    the calendar costs no request.
    """

    _attr_translation_key = ACCESS_GUESTS

    def __init__(
        self, coordinator: RemoteLockCoordinator, directory: GuestDirectory
    ) -> None:
        """Describe the calendar of the account."""
        super().__init__(coordinator, ACCESS_GUESTS)
        self.directory = directory
        self._stays: list[_Stay] = []

    @property
    @override
    def available(self) -> bool:
        """Available once the guests were read; a failed read keeps the last list."""
        return self.directory.read_at is not None

    @property
    @override
    def event(self) -> CalendarEvent | None:
        """Return the current stay, else the next one."""
        now = dt_util.utcnow()
        # Sorted by start: the first stay not over has begun if any has.
        return next((stay.event for stay in self._stays if stay.end > now), None)

    @override
    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the stays that overlap the range."""
        return [
            stay.event
            for stay in self._stays
            if stay.start < end_date and stay.end > start_date
        ]

    @override
    async def async_added_to_hass(self) -> None:
        """Show the directory's guests and follow it."""
        await super().async_added_to_hass()
        self._stays = self._build()
        self.async_on_remove(
            self.directory.async_add_listener(self._handle_directory_update)
        )

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Device polls change nothing here (the directory follows the zones)."""

    @callback
    def _handle_directory_update(self) -> None:
        self._stays = self._build()
        self.async_write_ha_state()

    def _build(self) -> list[_Stay]:
        stays: list[_Stay] = []
        for guest in self.directory.persons:
            if (
                guest.status == "deactivated"
                or guest.starts_at is None
                or guest.ends_at is None
            ):
                continue
            zone = self.directory.zone_of(guest)  # a zone ZoneInfo knows
            start = local_naive_to_aware(guest.starts_at, zone)
            end = local_naive_to_aware(guest.ends_at, zone)
            if end <= start:
                # Only possible for a stay that ends in the hour skipped when the
                # clocks go forward, just after it starts.
                continue
            local = ZoneInfo(zone)
            stays.append(
                _Stay(
                    start,
                    end,
                    CalendarEvent(
                        start=start.astimezone(local),
                        end=end.astimezone(local),
                        summary=strip_marker(guest.name or "") or guest.id,
                        uid=guest.id,
                    ),
                )
            )
        stays.sort(key=lambda stay: (stay.start, stay.end, stay.event.uid or ""))
        return stays
