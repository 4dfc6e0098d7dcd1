"""A running guest-access link: calendar bookings kept in line with RemoteLock.

One :class:`GuestLink` per ``guest_access`` config subentry. A sync reads the
calendar (``guest_link_bookings``), places the doors (``guest_link_targets``),
runs the plain-Python sync (``guest_sync``) within the request budget
(``guest_link_pacing``), then records the outcome: storage, the report, repair
issues (``guest_link_issues``), the host's messages (``guest_link_messages``) and
its entities. When it syncs is ``guest_link_schedule``'s; removal is
``guest_link_removal``'s. Syncs of one account's links run one at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.template import Template
from homeassistant.util import dt as dt_util

from .api.errors import AuthenticationError, RateLimitError, SmartAccessApiError
from .const import DOMAIN, LOGGER
from .coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .guest_link_bookings import CalendarUnavailableError, async_read_bookings
from .guest_link_config import LinkConfig, link_tag
from .guest_link_issues import (
    CALENDAR,
    MASS_CANCEL,
    SYNC_FAILED,
    TARGETS,
    clear_all,
    lines,
    set_issue,
    sync_issues,
)
from .guest_link_messages import async_tell_about
from .guest_link_pacing import (
    SHARED_READ_AGE,
    failure_delay,
    read_window,
    reset_delay,
    write_budget,
)
from .guest_link_removal import Removal, async_deactivate, async_tell_failures
from .guest_link_report import GuestItem, SyncReport, SyncStatus, aware_window, item_of
from .guest_link_schedule import SYNC_INTERVAL, LinkSchedule
from .guest_link_store import LinkStore
from .guest_link_targets import GroupCache, Resolved, resolve_targets, target_label
from .guest_sync.model import ActionKind, GuestState, TargetRef
from .guest_sync.sync import Confirmation, LinkState, SyncResult, sync_once

# A booking gone from the calendar is deactivated once it has stayed gone this long
# (two syncs at least): a feed that comes back short for a while costs no one access.
_WRITES = (ActionKind.CREATE, ActionKind.UPDATE, ActionKind.DEACTIVATE)
FAILURES_BEFORE_ISSUE = 3

__all__ = ["GuestLink", "ManagedStay", "sync_lock"]


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
        self._account_defaults: tuple[Any, Any] | None = None
        self._schedule = LinkSchedule(hass, self.async_sync, self._notify)

    # -- life cycle ----------------------------------------------------------------
    async def async_load(self) -> None:
        """Load what the last run left."""
        self.state, self.paused, self.last_sync = await self._store.async_load()

    async def async_start(self) -> None:
        """Load what the last run left and schedule the syncs."""
        await self.async_load()
        self._schedule.async_start(self.entry, self.config.calendar, self.title)

    async def async_stop(self) -> None:
        """Wait for a running sync, stop, and write what is pending (unload)."""
        # Stopped first: a sync queued on the lock behind the running one finds
        # the link stopped; then wait for the running one.
        self._schedule.stop()
        async with sync_lock(self.hass, self.entry.entry_id):
            pass
        await self._store.async_save_now()

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
        # The entities change again at the next check-in or check-out.
        self._schedule.at_next(
            moment
            for stay in self.stays()
            for moment in (stay.check_in, stay.check_out)
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
        directory = self.entry.runtime_data.guests
        guests = len(self.state.applied)
        return write_budget(
            self.coordinator.client.rate_limit,
            now,
            self.config.targets,
            guests,
            # The list holds every access guest of the account, not just the link's.
            len(directory.persons) if directory is not None else guests,
        )

    def _retry_at_reset(self, now: datetime) -> None:
        limit = self.coordinator.client.rate_limit
        self._schedule.retry_after(reset_delay(now, limit.reset_at if limit else None))

    async def _async_sync(self, forced: bool) -> SyncReport:
        now = dt_util.utcnow()
        report = SyncReport(self.title, now)
        if self._schedule.stopped:
            report.status, report.error = SyncStatus.FAILED, "the link is stopped"
            return report
        if self.paused and not forced:
            report.status = SyncStatus.PAUSED
            return report
        budget = self._budget(now)
        if budget == 0:
            self._retry_at_reset(now)
            report.status = SyncStatus.RATE_LIMITED
            return report
        try:
            bookings = await async_read_bookings(
                self.hass,
                self.config.calendar,
                self._template,
                now,
                read_window(
                    self.config.look_ahead + self.config.check_in_buffer,
                    bool(self.state.applied),
                ),
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
            # A sync asked for (the action, a repair's fix) reads RemoteLock afresh:
            # a change just made in the portal must be seen.
            shared = None if forced else self._shared_persons(now)
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
                confirm=Confirmation(allow_mass=self._allow_mass),
            )
        except RateLimitError as err:
            self._schedule.retry_after(reset_delay(now, err.reset_at))
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
            if delay := failure_delay(self._sync_failures, SYNC_INTERVAL):
                self._schedule.retry_after(delay)
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
        await self.groups.async_refresh(
            self.coordinator.client, self.config.door_groups, now
        )
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
            delays.append(reset_delay(now, limit.reset_at if limit else None))
        if self._newly_refused(result):
            # The next sync creates these with a generated PIN (or without the
            # refused e-mail address): no need to wait.
            delays.append(timedelta(seconds=2))
        if result.confirm_at is not None:
            # A cancellation may go through then (if the booking is still gone).
            delays.append(result.confirm_at - now + timedelta(seconds=1))
        if delays:
            self._schedule.retry_after(min(delays))

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
        issues = sync_issues(
            self.title,
            self.config.calendar,
            now,
            result,
            report,
            self.state.applied,
            self.label,
            self._target_problems,
        )
        for kind, placeholders in issues.items():
            set_issue(
                self.hass,
                kind,
                self.entry.entry_id,
                self.subentry_id,
                placeholders,
                # The mass cancellation is fixable: its repair lets it go through.
                fix_data={
                    "entry_id": self.entry.entry_id,
                    "subentry_id": self.subentry_id,
                }
                if kind == MASS_CANCEL
                else None,
            )

    # -- removal -------------------------------------------------------------------
    async def async_remove(self, removal: Removal) -> list[GuestItem]:
        """Forget the link: stop it, deactivate its guests as ``removal`` says."""
        self._schedule.stop()
        async with sync_lock(self.hass, self.entry.entry_id):
            done = await async_deactivate(
                self.coordinator.client,
                self.state.applied,
                removal,
                dt_util.utcnow(),
                self.label,
            )
            self.state.applied.clear()
        clear_all(self.hass, self.entry.entry_id, self.subentry_id)
        await self._store.async_remove()
        await async_tell_failures(self.hass, self.subentry_id, self.title, done)
        return done
