"""The account's access guests, read once and shared (issue #14).

RemoteLock lists access guests with ``GET /access_persons`` (current and upcoming
ones by default; 50 a page). The directory keeps the latest list for the account's
*Guests* calendar and for anyone else who needs it: it reads the list itself every
15 minutes (and once after Home Assistant has started), and the guest links, which
read the same list at every sync, hand it their read (:meth:`GuestDirectory.feed`),
so a link that syncs more often than that saves the directory's own reads.

A guest's ``starts_at``/``ends_at`` are wall-clock times of the zone of its doors,
which the list does not say. :meth:`GuestDirectory.zone_of` is the zone a link
says it wrote the guest in, else the one zone every location of the account is in,
else Home Assistant's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .api.errors import SmartAccessApiError
from .api.remotelock.models import AccessGuest, AccessUser
from .api.remotelock.models.access import ACCESS_GUEST
from .const import DOMAIN, LOGGER
from .coordinator import RemoteLockCoordinator, SmartAccessConfigEntry

REFRESH_INTERVAL = timedelta(minutes=15)
# The timer's own read is a little less than an interval old at the next tick (the
# read starts after the tick): a read younger than this is what "recent" means.
_TICK_SLACK = timedelta(minutes=1)


class GuestDirectory:
    """The access guests of one RemoteLock account, with when they were read."""

    def __init__(self, hass: HomeAssistant, coordinator: RemoteLockCoordinator) -> None:
        """Create an empty directory (nothing read yet)."""
        self.hass = hass
        self.coordinator = coordinator
        self.persons: list[AccessGuest] = []
        self.read_at: datetime | None = None
        # The last failed read (None after a read that worked).
        self.last_error: str | None = None
        # guest id -> (zone, when the hint was given).
        self._zones: dict[str, tuple[str, datetime]] = {}
        self._account_zone: str | None = None
        self._listeners: list[CALLBACK_TYPE] = []
        self._reading = asyncio.Lock()

    @callback
    def async_start(self, entry: SmartAccessConfigEntry) -> None:
        """Read every 15 minutes, until unload (the first read is :meth:`async_read_due`).

        A tick reads only when nobody fed the directory within the interval. The
        directory also follows the account's time zone as the locations are polled.
        """
        self._account_zone = self.account_zone()
        entry.async_on_unload(
            async_track_time_interval(
                self.hass,
                self.async_read_due,
                REFRESH_INTERVAL,
                name=f"{DOMAIN} guest directory",
                cancel_on_shutdown=True,
            )
        )
        entry.async_on_unload(
            self.coordinator.async_add_listener(self._async_follow_zone)
        )

    async def async_read_due(self, now: datetime | None = None) -> None:
        """Read the guests unless someone fed the directory within the interval."""
        await self.async_refresh(REFRESH_INTERVAL - _TICK_SLACK)

    async def async_refresh(self, max_age: timedelta) -> None:
        """Read the guests unless the list is younger than ``max_age``.

        A failed read keeps the list as it was (and says why in ``last_error``).
        """
        async with self._reading:
            now = dt_util.utcnow()
            if self.read_at is not None and now - self.read_at < max_age:
                return
            try:
                persons = await self.coordinator.client.async_list_access_persons(
                    types=ACCESS_GUEST
                )
            except SmartAccessApiError as err:
                LOGGER.debug("Reading the access guests failed: %s", err)
                self.last_error = str(err) or type(err).__name__
                return
            self.feed(persons, now)

    @callback
    def feed(
        self, persons: Iterable[AccessUser | AccessGuest], read_at: datetime
    ) -> None:
        """Take a list of access persons someone read at ``read_at`` (users are skipped).

        A read older than the one held is ignored. Zone hints of guests the read
        no longer has are dropped (unless given after it).
        """
        if self.read_at is not None and read_at < self.read_at:
            return
        guests = [person for person in persons if isinstance(person, AccessGuest)]
        changed = guests != self.persons
        self.persons = guests
        self.read_at = read_at
        self.last_error = None
        present = {guest.id for guest in guests}
        self._zones = {
            guest_id: hint
            for guest_id, hint in self._zones.items()
            if guest_id in present or hint[1] > read_at
        }
        if changed:
            self._async_notify()

    @callback
    def set_zone(self, guest_id: str, zone: str) -> None:
        """Say which zone a guest's times are in (a link knows where it wrote it)."""
        previous = self._zones.get(guest_id)
        self._zones[guest_id] = (zone, dt_util.utcnow())
        if (previous is None or previous[0] != zone) and any(
            guest.id == guest_id for guest in self.persons
        ):
            self._async_notify()

    def zone_of(self, guest: AccessGuest) -> str:
        """Return the IANA zone of a guest's wall-clock times (one ZoneInfo knows).

        The zone a link gave for it, else the one zone all the account's locations
        share, else Home Assistant's. An unknown zone counts as none given.
        """
        hint = self._zones.get(guest.id)
        if hint is not None and dt_util.get_time_zone(hint[0]) is not None:
            return hint[0]
        return self.account_zone()

    def account_zone(self) -> str:
        """Return the zone every location is in, else Home Assistant's zone."""
        zones = {
            location.time_zone
            for location in self.coordinator.data.locations.values()
            if location.time_zone
        }
        if len(zones) == 1:
            zone = next(iter(zones))
            if dt_util.get_time_zone(zone) is not None:
                return zone
        return self.hass.config.time_zone

    @callback
    def async_add_listener(self, update_callback: CALLBACK_TYPE) -> Callable[[], None]:
        """Call ``update_callback`` after each change; return the way to stop."""
        self._listeners.append(update_callback)

        @callback
        def remove() -> None:
            self._listeners.remove(update_callback)

        return remove

    @callback
    def _async_follow_zone(self) -> None:
        """Tell the listeners when a poll moved the account's zone (locations)."""
        zone = self.account_zone()
        if zone != self._account_zone:
            self._account_zone = zone
            self._async_notify()

    @callback
    def _async_notify(self) -> None:
        for update_callback in list(self._listeners):
            update_callback()

    def diagnostics(self) -> dict[str, Any]:
        """Return how the reads go (no names, PINs or e-mails)."""
        return {
            "count": len(self.persons),
            "read_at": self.read_at,
            "last_error": self.last_error,
        }
