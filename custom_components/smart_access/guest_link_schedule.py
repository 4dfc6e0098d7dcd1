"""When a guest-access link syncs: the triggers, the retry and the boundary timers.

Triggers: Home Assistant started, the calendar entity's state changed (an event
began or ended, the next event changed), every 5 minutes, and a retry the link
asks for (a rate-limit reset, a cancellation due, a refused PIN). All go through
one debouncer: the first runs at once, those within 10 seconds of it are one
more sync at the end of the cooldown. The boundary timer writes the link's
entities again at the next check-in or check-out, without a sync.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta

from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
    async_track_state_change_event,
    async_track_time_interval,
)
from homeassistant.helpers.start import async_at_started
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER
from .coordinator import SmartAccessConfigEntry

SYNC_INTERVAL = timedelta(minutes=5)
# The calendar's state changes a few times around an edit: one sync for them.
CALENDAR_COOLDOWN = 10.0


class LinkSchedule:
    """Runs a link's sync at the right moments, one request at a time."""

    def __init__(
        self,
        hass: HomeAssistant,
        sync: Callable[[], Awaitable[object]],
        on_boundary: Callable[[], None],
    ) -> None:
        """Prepare the debouncer; :meth:`async_start` wires the triggers."""
        self.hass = hass
        self._sync = sync
        self._on_boundary = on_boundary
        self._retry: Callable[[], None] | None = None
        self._boundary: Callable[[], None] | None = None
        # Set once the link unloads or is removed: nothing is scheduled after that.
        self.stopped = False
        self._debouncer = Debouncer(
            hass,
            LOGGER,
            cooldown=CALENDAR_COOLDOWN,
            immediate=True,
            function=self._async_run,
        )

    async def _async_run(self) -> None:
        await self._sync()

    @callback
    def async_start(
        self, entry: SmartAccessConfigEntry, calendar: str, name: str
    ) -> None:
        """Sync at start-up, on calendar changes and every 5 minutes (until unload)."""

        @callback
        def request(_: object) -> None:
            self.request()

        entry.async_on_unload(
            async_track_time_interval(
                self.hass, request, SYNC_INTERVAL, name=f"{DOMAIN} guest access {name}"
            )
        )
        entry.async_on_unload(
            async_track_state_change_event(self.hass, [calendar], self._changed)
        )
        entry.async_on_unload(async_at_started(self.hass, request))
        entry.async_on_unload(self._debouncer.async_shutdown)
        entry.async_on_unload(self.stop)

    @callback
    def _changed(self, _: Event[EventStateChangedData]) -> None:
        self.request()

    @callback
    def request(self) -> None:
        """Sync soon (debounced)."""
        self._debouncer.async_schedule_call()

    @callback
    def retry_after(self, delay: timedelta) -> None:
        """Sync again after ``delay`` (replacing an earlier retry)."""
        if self.stopped:
            return
        self._cancel_retry()

        @callback
        def retry(_: datetime) -> None:
            self._retry = None
            self.request()

        self._retry = async_call_later(self.hass, delay, retry)

    @callback
    def at_next(self, moments: Iterable[datetime]) -> None:
        """Call ``on_boundary`` at the earliest of ``moments`` still ahead."""
        self._cancel_boundary()
        if self.stopped:
            return
        now = dt_util.utcnow()
        ahead = [moment for moment in moments if moment > now]
        if not ahead:
            return

        @callback
        def boundary(_: datetime) -> None:
            self._boundary = None
            self._on_boundary()

        self._boundary = async_track_point_in_utc_time(self.hass, boundary, min(ahead))

    @callback
    def stop(self) -> None:
        """Schedule nothing more (unload, removal)."""
        self.stopped = True
        self._cancel_retry()
        self._cancel_boundary()
        self._debouncer.async_cancel()

    @callback
    def _cancel_retry(self) -> None:
        if self._retry is not None:
            self._retry()
            self._retry = None

    @callback
    def _cancel_boundary(self) -> None:
        if self._boundary is not None:
            self._boundary()
            self._boundary = None
