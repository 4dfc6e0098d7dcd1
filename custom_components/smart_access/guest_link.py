"""A running guest-access link: calendar bookings kept in line with RemoteLock.

When it syncs: after Home Assistant has started, when the calendar entity's state
changes (an event begins or ends, the next event changes), every 5 minutes, when
syncing is resumed, on ``smart_access.sync_guest_access``, and soon after a sync
that left work for later (the request budget, a 429: at the window's reset).

What a sync costs and may spend: the reads (the access-guest list, 1 request per
50 guests, shared by the account's links within a minute, and the doors, 1 request
per lock or per guest) and at most ``SYNC_MAX_REQUESTS`` writes, never eating into
the 30 requests a minute kept for commands and actions. Syncs of one account's
links run one at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
    async_track_state_change_event,
    async_track_time_interval,
)
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.template import Template
from homeassistant.util import dt as dt_util

from .api.errors import AuthenticationError, RateLimitError, SmartAccessApiError
from .const import DOMAIN, LOGGER
from .coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .coordinator.remotelock import REMOTELOCK_COMMAND_RESERVE
from .guest_link_bookings import CalendarUnavailableError, async_read_bookings
from .guest_link_config import LinkConfig, link_tag
from .guest_link_issues import (
    CALENDAR,
    DRIFT,
    LATE,
    MASS_CANCEL,
    SYNC_FAILED,
    TARGETS,
    clear_all,
    lines,
    set_issue,
)
from .guest_link_messages import async_tell_about
from .guest_link_notify import async_message, tell_host_in_ui
from .guest_link_report import GuestItem, SyncReport, SyncStatus, aware_window, item_of
from .guest_link_store import LinkStore
from .guest_link_targets import GroupCache, Resolved, resolve_targets, target_label
from .guest_sync.model import ActionKind, GuestState, TargetRef
from .guest_sync.sync import Confirmation, LinkState, SyncResult, sync_once

SYNC_INTERVAL = timedelta(minutes=5)
# A booking gone from the calendar is deactivated once it has stayed gone this long
# (two syncs at least): a feed that comes back short for a while costs no one access.
CANCEL_CONFIRM_AFTER = timedelta(minutes=10)
# How far ahead a link with guests reads its calendar (see GuestLink._window).
KEEP_WINDOW = timedelta(days=180)
_WRITES = (ActionKind.CREATE, ActionKind.UPDATE, ActionKind.DEACTIVATE)
SYNC_MAX_REQUESTS = 40
# The calendar's state changes a few times around an edit: one sync for them.
CALENDAR_COOLDOWN = 10.0
# A sync that left work for later tries again after this when no reset is known.
RETRY_DELAY = timedelta(minutes=1)
# The access-guest list one link read serves the account's other links this long.
SHARED_READ_AGE = timedelta(minutes=1)
FAILURES_BEFORE_ISSUE = 3


class Removal(StrEnum):
    """What removing a link does to its guests."""

    ALL = "all"  # every guest not yet checked out (asked in the remove step)
    UPCOMING = "upcoming"  # those not yet checked in (the subentry deleted in the UI)
    KEEP = "keep"  # none: they keep their access until check-out


@dataclass(frozen=True, slots=True)
class ManagedStay:
    """A guest the link manages, as its calendar and sensors show it."""

    guest_id: str
    name: str
    check_in: datetime
    check_out: datetime
    doors: tuple[str, ...]


def sync_lock(hass: HomeAssistant, entry_id: str) -> asyncio.Lock:
    """Return the lock that runs one account's link syncs one at a time.

    Kept in ``hass.data`` (not the entry's runtime data, which goes at unload), so
    a reload waits for a sync still running before the new links start.
    """
    locks: dict[str, asyncio.Lock] = hass.data.setdefault(f"{DOMAIN}_guest_sync", {})
    return locks.setdefault(entry_id, asyncio.Lock())


class GuestLink:
    """One link of a RemoteLock entry (a ``guest_access`` config subentry)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartAccessConfigEntry,
        subentry: ConfigSubentry,
        coordinator: RemoteLockCoordinator,
    ) -> None:
        """Prepare the link; :meth:`async_start` loads its state and schedules it."""
        self.hass = hass
        self.entry = entry
        self.subentry_id = subentry.subentry_id
        self.title = subentry.title
        self.config = LinkConfig.from_data(subentry.data)
        self.tag = link_tag(subentry.subentry_id)
        self.coordinator = coordinator
        self.state = LinkState()
        self.paused = False
        self.last_sync: datetime | None = None
        self.last_report: SyncReport | None = None
        self.groups = GroupCache()
        self._store = LinkStore(hass, entry.entry_id, subentry.subentry_id)
        self._template = Template(self.config.name_template, hass)
        self._listeners: list[Callable[[], None]] = []
        self._calendar_failures = 0
        self._sync_failures = 0
        self._refused_seen: set[tuple[str, Any]] = set()
        self._allow_mass = False
        self._target_problems: list[str] = []
        self._wrote_at: datetime | None = None
        self._boundary: Callable[[], None] | None = None
        # Set once the link unloads or is removed: no sync runs after that.
        self._stopped = False
        self._retry: Callable[[], None] | None = None
        self._account_defaults: tuple[Any, Any] | None = None
        self._debouncer = Debouncer(
            hass,
            LOGGER,
            cooldown=CALENDAR_COOLDOWN,
            immediate=True,
            function=self._async_scheduled_sync,
        )

    # -- life cycle ----------------------------------------------------------------
    async def async_load(self) -> None:
        """Load what the last run left."""
        self.state, self.paused, self.last_sync = await self._store.async_load()

    async def async_start(self) -> None:
        """Load what the last run left and schedule the syncs."""
        await self.async_load()
        entry = self.entry
        entry.async_on_unload(
            async_track_time_interval(
                self.hass,
                self._interval,
                SYNC_INTERVAL,
                name=f"{DOMAIN} guest access {self.title}",
            )
        )
        entry.async_on_unload(
            async_track_state_change_event(
                self.hass, [self.config.calendar], self._calendar_changed
            )
        )
        entry.async_on_unload(async_at_started(self.hass, self._started))
        entry.async_on_unload(self._debouncer.async_shutdown)
        entry.async_on_unload(self._cancel_retry)
        entry.async_on_unload(self._cancel_boundary)

    async def async_stop(self) -> None:
        """Wait for a running sync, stop, and write what is pending (unload)."""
        # Stopped first: a sync queued on the lock behind the running one finds
        # the link stopped; then wait for the running one.
        self._halt()
        async with sync_lock(self.hass, self.entry.entry_id):
            pass
        await self._store.async_save_now()

    @callback
    def _halt(self) -> None:
        self._stopped = True
        self._cancel_retry()
        self._cancel_boundary()
        self._debouncer.async_cancel()

    @callback
    def _started(self, _: HomeAssistant) -> None:
        self._debouncer.async_schedule_call()

    @callback
    def _interval(self, _: datetime) -> None:
        self._debouncer.async_schedule_call()

    @callback
    def _calendar_changed(self, _: Event[EventStateChangedData]) -> None:
        self._debouncer.async_schedule_call()

    async def _async_scheduled_sync(self) -> None:
        await self.async_sync()

    @callback
    def _cancel_boundary(self) -> None:
        if self._boundary is not None:
            self._boundary()
            self._boundary = None

    @callback
    def _cancel_retry(self) -> None:
        if self._retry is not None:
            self._retry()
            self._retry = None

    @callback
    def _retry_after(self, delay: timedelta) -> None:
        if self._stopped:
            return
        self._cancel_retry()

        @callback
        def retry(_: datetime) -> None:
            self._retry = None
            self._debouncer.async_schedule_call()

        self._retry = async_call_later(self.hass, delay, retry)

    # -- listeners (the link's entities) -------------------------------------------
    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` after each sync and pause change."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()
        if not self._stopped:
            self._schedule_boundary()

    @callback
    def _schedule_boundary(self) -> None:
        """Write the entities again at the next check-in or check-out."""
        if self._boundary is not None:
            self._boundary()
            self._boundary = None
        now = dt_util.utcnow()
        moments = [
            moment
            for stay in self.stays()
            for moment in (stay.check_in, stay.check_out)
            if moment > now
        ]
        if not moments:
            return

        @callback
        def boundary(_: datetime) -> None:
            self._boundary = None
            self._notify()

        self._boundary = async_track_point_in_utc_time(
            self.hass, boundary, min(moments)
        )

    async def async_set_paused(self, paused: bool) -> None:
        """Pause or resume syncing (kept across restarts); resuming syncs now."""
        self.paused = paused
        self._store.schedule_save(self.state, self.paused, self.last_sync)
        self._notify()
        if not paused:
            await self.async_sync()

    # -- what the entities show ------------------------------------------------------
    def label(self, ref: TargetRef) -> str:
        """Return a target's name."""
        return target_label(self.coordinator.data, self.groups, ref)

    def stays(self) -> list[ManagedStay]:
        """Return the guests the link manages, soonest check-in first."""
        stays = []
        for (_, zone), applied in self.state.applied.items():
            check_in, check_out = aware_window(applied.state, zone)
            stays.append(
                ManagedStay(
                    applied.guest_id,
                    applied.state.name,
                    check_in,
                    check_out,
                    tuple(self.label(ref) for ref in applied.state.targets),
                )
            )
        return sorted(stays, key=lambda stay: (stay.check_in, stay.name))

    def booking_of_guest(self, guest_id: str) -> str | None:
        """Return the booking name of a guest this link manages (repair issues)."""
        for applied in self.state.applied.values():
            if applied.guest_id == guest_id:
                return applied.state.name
        return None

    # -- the sync --------------------------------------------------------------------
    async def async_sync(self, *, forced: bool = False) -> SyncReport:
        """Sync now (one at a time per account); return what it did."""
        async with sync_lock(self.hass, self.entry.entry_id):
            report = await self._async_sync(forced)
        self.last_report = report
        self._notify()
        return report

    def _budget(self, now: datetime) -> int:
        limit = self.coordinator.client.rate_limit
        if limit is None or limit.reset_at <= now:
            return SYNC_MAX_REQUESTS
        # The reads come first: the guest list (a page per 50 guests), and a door
        # list per lock, or per guest when the link has door groups or locations.
        per_lock = all(kind in ("lock", "acs_door") for kind, _ in self.config.targets)
        guests = len(self.state.applied)
        directory = self.entry.runtime_data.guests
        # The list holds every access guest of the account, not just the link's.
        listed = len(directory.persons) if directory is not None else guests
        reads = 1 + listed // 50 + (len(self.config.targets) if per_lock else guests)
        spare = limit.remaining - REMOTELOCK_COMMAND_RESERVE - reads
        return max(0, min(SYNC_MAX_REQUESTS, spare))

    def _reset_delay(self, now: datetime, reset_at: datetime | None) -> timedelta:
        if reset_at is None or reset_at <= now:
            return RETRY_DELAY
        return reset_at - now + timedelta(seconds=1)

    async def _async_sync(self, forced: bool) -> SyncReport:
        now = dt_util.utcnow()
        report = SyncReport(self.title, now)
        if self._stopped:
            report.status, report.error = SyncStatus.FAILED, "the link is stopped"
            return report
        if self.paused and not forced:
            report.status = SyncStatus.PAUSED
            return report
        budget = self._budget(now)
        if budget == 0:
            limit = self.coordinator.client.rate_limit
            self._retry_after(self._reset_delay(now, limit.reset_at if limit else None))
            report.status = SyncStatus.RATE_LIMITED
            return report
        try:
            bookings = await async_read_bookings(
                self.hass, self.config.calendar, self._template, now, self._window(now)
            )
        except CalendarUnavailableError as err:
            return self._calendar_failed(report, err)
        self._calendar_failures = 0
        self._set(CALENDAR, None)
        report.bookings = len(bookings)
        try:
            resolved = await self._async_targets(now)
            if not resolved.targets:
                report.status = SyncStatus.NO_TARGETS
                return report
            before = dict(self.state.applied)
            shared = self._shared_persons(now)
            result = await sync_once(
                self.coordinator.client,
                self.tag,
                bookings,
                resolved.targets,
                self.config.rules(),
                now,
                self.state,
                pin_digits=self.config.pin_from_event,
                budget=budget,
                persons=shared,
                send_instructions=self.config.send_instructions,
                email_from_event=self.config.send_instructions,
                hold=self._held(resolved),
                confirm=Confirmation(CANCEL_CONFIRM_AFTER, self._allow_mass),
            )
        except RateLimitError as err:
            self._retry_after(self._reset_delay(now, err.reset_at))
            report.status, report.error = SyncStatus.RATE_LIMITED, str(err)
            return report
        except AuthenticationError as err:
            self.entry.async_start_reauth(self.hass)
            report.status, report.error = SyncStatus.FAILED, str(err)
            return report
        except SmartAccessApiError as err:
            LOGGER.warning("Guest access %s: sync failed: %s", self.title, err)
            report.status, report.error = SyncStatus.FAILED, str(err)
            self._sync_failures += 1
            if self._sync_failures >= FAILURES_BEFORE_ISSUE:
                self._set(
                    SYNC_FAILED,
                    {"link": self.title, "items": lines([f"RemoteLock: {err}"])},
                )
            # 1, 2, 4 minutes…; the 5-minute interval runs anyway.
            if (delay := RETRY_DELAY * 2 ** (self._sync_failures - 1)) < SYNC_INTERVAL:
                self._retry_after(delay)
            return report
        self._sync_failures = 0
        self._after_sync(now, result, before, report, own_read=shared is None)
        return report

    def _held(self, resolved: Resolved) -> set[Any]:
        """Return the guests of doors that cannot be placed now: left as they are."""
        lost = set(resolved.missing) | set(resolved.unplaced)
        return {
            key
            for key, applied in self.state.applied.items()
            if lost & set(applied.state.targets)
        }

    def _window(self, now: datetime) -> timedelta:
        """Return how far ahead to read: the look-ahead, or the latest guest made.

        A guest already made stays as long as its booking does, even past a
        look-ahead that was shortened or a move further out, so bookings are read
        up to 180 days ahead while the link has guests.
        """
        window = self.config.look_ahead + self.config.check_in_buffer
        if self.state.applied:
            # Reading further costs no RemoteLock request: a made guest's booking
            # moved up to half a year out is still seen (moved, not cancelled).
            window = max(window, KEEP_WINDOW)
        return window

    def _shared_persons(self, now: datetime) -> list[Any] | None:
        directory = self.entry.runtime_data.guests
        if (
            directory is not None
            and directory.read_at is not None
            and now - directory.read_at < SHARED_READ_AGE
            # Not a list read before this link's own last writes.
            and (self._wrote_at is None or directory.read_at > self._wrote_at)
        ):
            return list(directory.persons)
        return None

    async def _async_targets(self, now: datetime) -> Resolved:
        groups = [ident for kind, ident in self.config.targets if kind == "door_group"]
        await self.groups.async_refresh(self.coordinator.client, groups, now)
        if self._account_defaults is None:
            account = await self.coordinator.client.async_get_account()
            self._account_defaults = (
                account.default_guest_start_time,
                account.default_guest_end_time,
            )
        resolved = resolve_targets(
            self.coordinator.data,
            self.config.targets,
            self.groups,
            self._account_defaults,
        )
        problems = [
            *(f"{self.label(ref)}: not in the account" for ref in resolved.missing),
            *(f"{self.label(ref)}: time zone unknown" for ref in resolved.unplaced),
        ]
        self._target_problems = problems
        self._set(
            TARGETS,
            {"link": self.title, "targets": lines(problems)} if problems else None,
        )
        return resolved

    def _calendar_failed(
        self, report: SyncReport, err: CalendarUnavailableError
    ) -> SyncReport:
        self._calendar_failures += 1
        # Warned once per streak; the error names the calendar and the exception
        # type only (an event's text could hold a phone number).
        log = LOGGER.warning if self._calendar_failures == 1 else LOGGER.debug
        log("Guest access %s: the calendar cannot be read: %s", self.title, err)
        if self._calendar_failures >= FAILURES_BEFORE_ISSUE:
            self._set(CALENDAR, {"link": self.title, "calendar": self.config.calendar})
        report.status, report.error = SyncStatus.CALENDAR_UNAVAILABLE, str(err)
        return report

    def _set(self, kind: str, placeholders: dict[str, str] | None) -> None:
        set_issue(self.hass, kind, self.entry.entry_id, self.subentry_id, placeholders)

    def _after_sync(
        self,
        now: datetime,
        result: SyncResult,
        before: dict[Any, Any],
        report: SyncReport,
        *,
        own_read: bool,
    ) -> None:
        wrote = any(
            res.guest_id and not res.deferred
            for res in result.results
            if res.action.kind in _WRITES
        )
        if wrote:
            self._wrote_at = dt_util.utcnow()
        directory = self.entry.runtime_data.guests
        if directory is not None:
            for (_, zone), applied in self.state.applied.items():
                directory.set_zone(applied.guest_id, zone)
            if not wrote and own_read and result.persons:
                directory.feed(result.persons, now)
            elif wrote:
                # The list read before this sync's writes is stale: read it anew
                # (the account calendar shows the changes, other links share it).
                self.entry.async_create_background_task(
                    self.hass,
                    directory.async_refresh(timedelta(0)),
                    f"{DOMAIN} guest list refresh",
                )
        for res in result.results:
            last = before.get(res.action.key)
            known: GuestState | None = last.state if last else None
            if (item := item_of(res, known, self.label)) is not None:
                report.items.append(item)
        self.last_sync = now
        self._store.schedule_save(self.state, self.paused, self.last_sync)
        self._raise_issues(now, result, report)
        self.hass.async_create_task(
            async_tell_about(self, result, report), f"{DOMAIN} guest access notify"
        )
        delays: list[timedelta] = []
        if result.deferred:
            limit = self.coordinator.client.rate_limit
            delays.append(self._reset_delay(now, limit.reset_at if limit else None))
        if self._newly_refused(result):
            # The next sync creates these with a generated PIN (or without the
            # refused e-mail address): no need to wait.
            delays.append(timedelta(seconds=2))
        if result.confirm_at is not None:
            # A cancellation may go through then (if the booking is still gone).
            delays.append(result.confirm_at - now + timedelta(seconds=1))
        if delays:
            self._retry_after(min(delays))

    async def async_allow_mass_cancel(self) -> SyncReport:
        """Let the cancellations held as a mass cancellation go through (repair)."""
        self._allow_mass = True
        try:
            return await self.async_sync(forced=True)
        finally:
            # The allowed guests are kept in the link's state until they are done.
            self._allow_mass = False

    def _newly_refused(self, result: SyncResult) -> bool:
        """Return whether a PIN or e-mail was refused for the first time."""
        refused = {
            (kind, res.action.key)
            for res in result.results
            for kind, flag in (("pin", res.pin_refused), ("email", res.email_refused))
            if flag
        }
        new = refused - self._refused_seen
        self._refused_seen |= refused
        return bool(new)

    def _raise_issues(
        self, now: datetime, result: SyncResult, report: SyncReport
    ) -> None:
        if result.gone:
            gone = [f"{self.label(ref)}: deleted at RemoteLock" for ref in result.gone]
            problems = [*self._target_problems, *sorted(gone)]
            self._set(TARGETS, {"link": self.title, "targets": lines(problems)})
        failed = [
            f"{item.guest} ({', '.join(item.doors)}): {item.error}"
            for item in report.failed
        ]
        self._set(
            SYNC_FAILED,
            {"link": self.title, "items": lines(failed)} if failed else None,
        )
        late: list[str] = []
        for key, wanted in result.desired.items():
            if key in self.state.applied:
                continue
            check_in, _ = aware_window(wanted.state, key[1])
            if check_in <= now:
                doors = ", ".join(self.label(ref) for ref in wanted.state.targets)
                local = wanted.state.starts_at.strftime("%Y-%m-%d %H:%M")
                late.append(f"{wanted.state.name} ({doors}), check-in {local}")
        self._set(LATE, {"link": self.title, "items": lines(late)} if late else None)
        drift = [
            f"{item.guest} ({', '.join(item.doors)}): {item.reason}"
            for item in report.of(ActionKind.REPORT)
        ]
        self._set(DRIFT, {"link": self.title, "items": lines(drift)} if drift else None)
        mass = [f"{item.guest} ({', '.join(item.doors)})" for item in report.pending]
        set_issue(
            self.hass,
            MASS_CANCEL,
            self.entry.entry_id,
            self.subentry_id,
            {
                "link": self.title,
                "calendar": self.config.calendar,
                "count": str(len(mass)),
                "items": lines(mass),
            }
            if result.mass_cancel
            else None,
            fix_data={"entry_id": self.entry.entry_id, "subentry_id": self.subentry_id},
        )

    # -- removal -------------------------------------------------------------------
    async def async_remove(self, removal: Removal) -> list[GuestItem]:
        """Forget the link: stop it, deactivate its guests as ``removal`` says.

        A deactivation RemoteLock refuses is listed in a notification (the link
        and its issues are gone, so nothing would try again).
        """
        self._halt()
        async with sync_lock(self.hass, self.entry.entry_id):
            done = await self._async_deactivate(removal)
            self.state.applied.clear()
        clear_all(self.hass, self.entry.entry_id, self.subentry_id)
        await self._store.async_remove()
        if failed := [item for item in done if item.error]:
            title = await async_message(
                self.hass, "guest_notify_title", {"link": self.title}
            )
            text = await async_message(
                self.hass,
                "guest_removal_failed",
                {
                    "items": lines(
                        f"{item.guest} ({', '.join(item.doors)})" for item in failed
                    )
                },
            )
            tell_host_in_ui(
                self.hass, f"{DOMAIN}_removed_{self.subentry_id}", title, text
            )
        return done

    async def _async_deactivate(self, removal: Removal) -> list[GuestItem]:
        now = dt_util.utcnow()
        done: list[GuestItem] = []
        if removal is Removal.KEEP:
            return done
        for (_, zone), applied in sorted(self.state.applied.items()):
            check_in, check_out = aware_window(applied.state, zone)
            if check_out <= now or (removal is Removal.UPCOMING and check_in <= now):
                continue
            error = None
            try:
                await self.coordinator.client.async_deactivate_access_person(
                    applied.guest_id
                )
            except SmartAccessApiError as err:
                error = str(err)
                LOGGER.warning(
                    "Guest access %s: could not deactivate a guest: %s", self.title, err
                )
            done.append(
                GuestItem(
                    "deactivate",
                    "link_removed",
                    applied.state.name,
                    applied.guest_id,
                    check_in,
                    check_out,
                    tuple(self.label(ref) for ref in applied.state.targets),
                    error=error,
                )
            )
        return done

    def diagnostics(self) -> dict[str, Any]:
        """Return the link's state for diagnostics (no names, no PIN)."""
        report = self.last_report
        return {
            "tag": self.tag,
            "paused": self.paused,
            "last_sync": self.last_sync.isoformat() if self.last_sync else None,
            "config": {
                "calendar": self.config.calendar,
                "targets": [list(ref) for ref in self.config.targets],
                "check_in_buffer_min": self.config.check_in_buffer.total_seconds() / 60,
                "check_out_buffer_min": self.config.check_out_buffer.total_seconds()
                / 60,
                "look_ahead_days": self.config.look_ahead.days,
                "pin_source": str(self.config.pin_source),
                "pin_digits": self.config.pin_digits,
                "access_schedule": self.config.access_schedule,
                "send_instructions": self.config.send_instructions,
                "notify": bool(self.config.notify),
                "hands_off": self.config.hands_off,
            },
            "guests": [
                {
                    "booking_ref": ref,
                    "zone": zone,
                    "guest_id": applied.guest_id,
                    "starts_at": applied.state.starts_at.isoformat(),
                    "ends_at": applied.state.ends_at.isoformat(),
                    "targets": [list(target) for target in applied.state.targets],
                }
                for (ref, zone), applied in sorted(self.state.applied.items())
            ],
            "pin_rejected": len(self.state.pin_rejected),
            "last_report": None
            if report is None
            else {
                "at": report.at.isoformat(),
                "status": str(report.status),
                "error": report.error,
                "bookings": report.bookings,
                "counts": report.counts(),
                "failures": [item.error for item in report.failed],
            },
        }
