"""Coordinators: bulk polling of each vendor account into typed snapshots."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
import math
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api.bikeep import BikeepClient
from .api.bikeep.commands import Command, CommandName
from .api.bikeep.models import Device as BikeepDevice, Location as BikeepLocation
from .api.bikeep.whitelists import RfidEntity, Whitelist
from .api.errors import SmartAccessApiError
from .api.remotelock import RemoteLockClient
from .api.remotelock.models import (
    Device as RemoteLockDevice,
    Location,
    Model,
    ResortLock,
    ResortLockGuest,
)
from .const import DOMAIN, LOGGER
from .error_mapping import ISSUE_KINDS, issue_kind, update_failed
from .naming import bikeep_device_name, remotelock_device_name

# RemoteLock allows 120 requests/minute per account, shared by polling, commands and
# actions. Polling may use at most a quarter of it (30 requests/minute); the rest is
# headroom for commands, actions and the occasional locations/models refresh.
REMOTELOCK_MIN_INTERVAL = timedelta(seconds=30)
# Requests a multi-page read always leaves in the current window: past this, it waits
# for the window to reset (an account of 10,000 devices, 200 pages, reads over three
# windows instead of running into a 429 at request 121).
REMOTELOCK_COMMAND_RESERVE = 30
REMOTELOCK_POLL_BUDGET_PER_MINUTE = 30
REMOTELOCK_PAGE_SIZE = 50
REMOTELOCK_LOCATIONS_REFRESH = timedelta(minutes=30)
REMOTELOCK_GUESTS_REFRESH = timedelta(minutes=5)
# Bikeep's guide recommends location-level polling every 5 minutes for live dashboards.
# One poll costs 1 + (stations) requests; the RFID whitelists (1 + cards lists per
# station) change only through the portal or our own actions, which update the
# snapshot themselves, so they are fetched every 30 minutes (and for new stations).
BIKEEP_INTERVAL = timedelta(minutes=5)
BIKEEP_WHITELIST_REFRESH = timedelta(minutes=30)
# At most this many Bikeep requests at once while polling a large operator account.
BIKEEP_CONCURRENCY = 4


def remotelock_interval(device_count: int) -> timedelta:
    """Return the poll interval that keeps polling within its share of the budget.

    One poll costs ceil(devices / 50) requests; at most 30 requests a minute go to
    polling, so interval = max(30 s, pages * 60 / 30 s) = max(30 s, 2 s * pages).
    """
    pages = max(1, math.ceil(device_count / REMOTELOCK_PAGE_SIZE))
    seconds = pages * 60 / REMOTELOCK_POLL_BUDGET_PER_MINUTE
    return max(REMOTELOCK_MIN_INTERVAL, timedelta(seconds=seconds))


async def _gather_limited[T](calls: list[Coroutine[Any, Any, T]]) -> list[T]:
    """Await ``calls`` with at most BIKEEP_CONCURRENCY in flight, in order."""
    semaphore = asyncio.Semaphore(BIKEEP_CONCURRENCY)

    async def run(call: Coroutine[Any, Any, T]) -> T:
        async with semaphore:
            return await call

    tasks = [asyncio.ensure_future(run(call)) for call in calls]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


@dataclass(frozen=True, kw_only=True)
class RemoteLockSnapshot:
    """Everything polled from one RemoteLock account."""

    devices: Mapping[str, RemoteLockDevice]
    locations: Mapping[str, Location]
    models: Mapping[str, Model]
    resort_guests: Mapping[str, tuple[ResortLockGuest, ...]] = field(
        default_factory=dict
    )


@dataclass(frozen=True, kw_only=True)
class BikeepSnapshot:
    """Everything polled from one Bikeep operator account."""

    locations: Mapping[str, BikeepLocation]
    devices: Mapping[str, BikeepDevice]
    device_location: Mapping[str, str]
    whitelists: Mapping[str, tuple[Whitelist, ...]] = field(default_factory=dict)
    whitelist_card_counts: Mapping[str, int] = field(default_factory=dict)


class SmartAccessCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """Shared behaviour: stale-device removal and new-device callbacks."""

    config_entry: SmartAccessConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartAccessConfigEntry,
        name: str,
        interval: timedelta,
    ) -> None:
        """Create the coordinator for ``entry``."""
        super().__init__(
            hass, LOGGER, config_entry=entry, name=name, update_interval=interval
        )
        self._known_device_ids: set[str] = set()
        self.new_device_callbacks: list[Callable[[set[str]], None]] = []
        # Devices of the account itself (not in the vendor's device list) that the
        # stale-device clean-up must keep.
        self.service_device_ids: set[str] = set()

    def current_device_ids(self) -> set[str]:
        """Return the vendor ids of every device in the latest snapshot."""
        raise NotImplementedError

    def poll_failed(
        self, err: SmartAccessApiError, interval: timedelta | None = None
    ) -> UpdateFailed | ConfigEntryAuthFailed:
        """Map a failed poll; raise a repair issue for a refusal reauth cannot fix.

        The credentials work (a fresh token) but the account may not read this (the
        OAuth application lacks access to a location, say), or its API access or
        subscription lapsed (402): signing in again would not help, so no reauth.
        """
        kind = issue_kind(err)
        if kind is not None:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                f"{kind}_{self.config_entry.entry_id}",
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=kind,
                translation_placeholders={
                    "title": self.config_entry.title,
                    "error": str(err),
                },
            )
        return update_failed(err, interval)

    def poll_succeeded(self) -> None:
        """Clear the repair issues of refusals once polling works again."""
        for kind in ISSUE_KINDS.values():
            ir.async_delete_issue(
                self.hass, DOMAIN, f"{kind}_{self.config_entry.entry_id}"
            )

    def device_name(self, vendor_id: str) -> str | None:
        """Return the name the vendor gives the device (None: not in the snapshot)."""
        raise NotImplementedError

    @callback
    def _async_track_devices(self) -> None:
        current = self.current_device_ids()
        new = current - self._known_device_ids
        self._known_device_ids = current
        registry = dr.async_get(self.hass)
        entry_id = self.config_entry.entry_id
        keep = current | self.service_device_ids
        for device in dr.async_entries_for_config_entry(registry, entry_id):
            ids = {ident for domain, ident in device.identifiers if domain == DOMAIN}
            if ids and not ids & keep:
                registry.async_remove_device(device.id)
                continue
            # Follow a rename in the vendor's portal (a user's own name stays on top).
            for vendor_id in ids & current:
                name = self.device_name(vendor_id)
                if name and name != device.name:
                    registry.async_update_device(device.id, name=name)
        if new:
            for new_device_callback in self.new_device_callbacks:
                new_device_callback(new)

    @callback
    def async_update_listeners(self) -> None:
        """Notify entities; then add entities for new devices and drop vanished ones."""
        super().async_update_listeners()
        if self.last_update_success and self.data is not None:
            self._async_track_devices()


class RemoteLockCoordinator(SmartAccessCoordinator[RemoteLockSnapshot]):
    """Polls ``GET /devices`` in bulk; locations every 30 minutes; models once."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartAccessConfigEntry,
        client: RemoteLockClient,
    ) -> None:
        """Create the coordinator."""
        super().__init__(hass, entry, "RemoteLock", REMOTELOCK_MIN_INTERVAL)
        self.client = client
        # Bulk reads of a large account pause at the window's reset rather than
        # spend the requests kept for commands and actions.
        client.page_reserve = REMOTELOCK_COMMAND_RESERVE
        # Locations, models and guests are carried over from the last snapshot
        # until these say they are due again.
        self._locations_at: datetime | None = None
        self._missing_models: set[str] = set()
        self._guests_at: datetime | None = None
        self._normal_interval = REMOTELOCK_MIN_INTERVAL
        self.account_device_id = f"account_{entry.unique_id or entry.entry_id}"
        self.service_device_ids.add(self.account_device_id)

    def current_device_ids(self) -> set[str]:
        """Return the ids of the devices in the latest snapshot."""
        return set(self.data.devices) if self.data else set()

    def device_name(self, vendor_id: str) -> str | None:
        """Return the name of a device in the snapshot."""
        device = self.data.devices.get(vendor_id)
        return remotelock_device_name(device) if device else None

    async def _async_update_data(self) -> RemoteLockSnapshot:
        try:
            snapshot = await self._async_fetch()
        except SmartAccessApiError as err:
            raise self.poll_failed(err, self._normal_interval) from err
        self.poll_succeeded()
        self._normal_interval = remotelock_interval(len(snapshot.devices))
        self.update_interval = self._normal_interval
        return snapshot

    async def _async_fetch(self) -> RemoteLockSnapshot:
        now = dt_util.utcnow()
        previous = self.data
        devices = await self.client.async_list_devices()
        locations = previous.locations if previous else {}
        if (
            previous is None
            or self._locations_at is None
            or now - self._locations_at >= REMOTELOCK_LOCATIONS_REFRESH
        ):
            locations = {
                loc.id: loc for loc in await self.client.async_list_locations()
            }
            self._locations_at = now
        models = previous.models if previous else {}
        wanted = {dev.model_id for dev in devices if dev.model_id}
        if wanted - set(models) - self._missing_models:
            models = {
                model.id: model for model in await self.client.async_list_models()
            }
            # Model ids the account's model list lacks are not asked for again.
            self._missing_models = wanted - set(models)
        guests = previous.resort_guests if previous else {}
        if any(isinstance(dev, ResortLock) for dev in devices) and (
            previous is None
            or self._guests_at is None
            or now - self._guests_at >= REMOTELOCK_GUESTS_REFRESH
        ):
            guests = group_resort_guests(
                await self.client.async_list_resort_lock_guests()
            )
            self._guests_at = now
        return RemoteLockSnapshot(
            devices={device.id: device for device in devices},
            locations=locations,
            models=models,
            resort_guests=guests,
        )

    @callback
    def async_apply_device(self, device: RemoteLockDevice) -> None:
        """Merge a device a command answered with, without waiting for a poll."""
        devices = dict(self.data.devices)
        devices[device.id] = device
        self.async_set_updated_data(replace(self.data, devices=devices))

    @callback
    def async_apply_resort_guest(self, guest: ResortLockGuest) -> None:
        """Add (or replace) a resort lock guest an action created; no request."""
        self._async_set_resort_guests([*self._resort_guests_except(guest.id), guest])

    @callback
    def async_remove_resort_guest(self, guest_id: str) -> None:
        """Drop a resort lock guest an action deleted; no request."""
        self._async_set_resort_guests(self._resort_guests_except(guest_id))

    def _resort_guests_except(self, guest_id: str) -> list[ResortLockGuest]:
        return [
            guest
            for guests in self.data.resort_guests.values()
            for guest in guests
            if guest.id != guest_id
        ]

    @callback
    def _async_set_resort_guests(self, guests: Iterable[ResortLockGuest]) -> None:
        self.async_set_updated_data(
            replace(self.data, resort_guests=group_resort_guests(guests))
        )


def group_resort_guests(
    guests: Iterable[ResortLockGuest],
) -> dict[str, tuple[ResortLockGuest, ...]]:
    """Group resort lock guests by the id of their resort lock."""
    grouped: dict[str, list[ResortLockGuest]] = {}
    for guest in guests:
        grouped.setdefault(guest.resort_lock_id or "", []).append(guest)
    return {key: tuple(value) for key, value in grouped.items()}


@dataclass(frozen=True, kw_only=True)
class CommandProgress:
    """A Bikeep command in flight, as the lock entity shows it."""

    command: CommandName | str
    state: str


class BikeepCoordinator(SmartAccessCoordinator[BikeepSnapshot]):
    """Polls locations and their device lists; follows commands while in flight."""

    def __init__(
        self, hass: HomeAssistant, entry: SmartAccessConfigEntry, client: BikeepClient
    ) -> None:
        """Create the coordinator."""
        super().__init__(hass, entry, "Bikeep", BIKEEP_INTERVAL)
        self.client = client
        self.in_flight: dict[str, CommandProgress] = {}
        self._whitelists_at: datetime | None = None
        # The guide: poll a command every 1-2 s while it is in flight.
        self.command_poll_interval = 1.5

    def current_device_ids(self) -> set[str]:
        """Return the ids of stations and devices in the latest snapshot."""
        if not self.data:
            return set()
        return set(self.data.locations) | set(self.data.devices)

    def device_name(self, vendor_id: str) -> str | None:
        """Return the name of a station or device in the snapshot."""
        data = self.data
        if vendor_id in data.locations:
            return data.locations[vendor_id].display_name
        device = data.devices.get(vendor_id)
        if device is None:
            return None
        return bikeep_device_name(
            device, data.locations[data.device_location[vendor_id]]
        )

    async def _async_update_data(self) -> BikeepSnapshot:
        now = dt_util.utcnow()
        try:
            locations = await self.client.async_list_locations()
            device_lists = await _gather_limited(
                [self.client.async_list_devices(location.id) for location in locations]
            )
            location_ids = {location.id for location in locations}
            if (
                self.data is None
                or self._whitelists_at is None
                or now - self._whitelists_at >= BIKEEP_WHITELIST_REFRESH
                or not location_ids <= set(self.data.whitelists)
            ):
                whitelists, counts = await self._async_fetch_whitelists(locations)
                self._whitelists_at = now
            else:
                whitelists = dict(self.data.whitelists)
                counts = dict(self.data.whitelist_card_counts)
        except SmartAccessApiError as err:
            raise self.poll_failed(err, BIKEEP_INTERVAL) from err
        self.poll_succeeded()
        devices: dict[str, BikeepDevice] = {}
        device_location: dict[str, str] = {}
        for location, location_devices in zip(locations, device_lists, strict=True):
            for device in location_devices:
                devices[device.id] = device
                device_location[device.id] = location.id
        return BikeepSnapshot(
            locations={location.id: location for location in locations},
            devices=devices,
            device_location=device_location,
            whitelists={key: whitelists[key] for key in location_ids},
            whitelist_card_counts=counts,
        )

    async def _async_fetch_whitelists(
        self, locations: list[BikeepLocation]
    ) -> tuple[dict[str, tuple[Whitelist, ...]], dict[str, int]]:
        """Fetch every station's whitelists and count the cards on each."""
        lists: list[list[Whitelist]] = await _gather_limited(
            [self.client.async_list_whitelists(location.id) for location in locations]
        )
        whitelists = {
            location.id: tuple(found)
            for location, found in zip(locations, lists, strict=True)
        }
        ids = [whitelist.id for found in lists for whitelist in found]
        entities: list[list[RfidEntity]] = await _gather_limited(
            [self.client.async_list_entities(whitelist_id) for whitelist_id in ids]
        )
        counts = {
            whitelist_id: len(cards)
            for whitelist_id, cards in zip(ids, entities, strict=True)
        }
        return whitelists, counts

    @callback
    def async_apply_device(self, device: BikeepDevice) -> None:
        """Merge a freshly fetched device into the snapshot."""
        devices = dict(self.data.devices)
        devices[device.id] = device
        self.async_set_updated_data(replace(self.data, devices=devices))

    @callback
    def async_apply_card_counts(self, counts: Mapping[str, int]) -> None:
        """Merge freshly counted whitelists into the snapshot, in one update."""
        merged = {**self.data.whitelist_card_counts, **counts}
        self.async_set_updated_data(replace(self.data, whitelist_card_counts=merged))

    @callback
    def set_progress_from(self, device_id: str, command: Command) -> None:
        """Show a command in flight on the device's entities.

        ``phase`` is the device's state while the command runs (ALLOCATED, LOCKING,
        UNLOCKING: the follower reads it at every change), else the command's state.
        """
        self.in_flight[device_id] = CommandProgress(
            command=command.name, state=command.phase
        )
        self.async_update_listeners()

    async def async_finish_command(
        self, device_id: str, final: Command | None = None
    ) -> None:
        """Clear the in-flight state and show the device's real state again.

        A command that succeeded carries the device state the follower read last, so
        no request is needed; otherwise the device is read once.
        """
        known = self.data.devices.get(device_id)
        if final is not None and final.device_state is not None and known is not None:
            self.in_flight.pop(device_id, None)
            self.async_apply_device(replace(known, state=final.device_state))
            return
        try:
            device = await self.client.async_get_device(device_id)
        except SmartAccessApiError as err:
            LOGGER.debug("Could not refresh Bikeep device after a command: %s", err)
            self.in_flight.pop(device_id, None)
            self.async_update_listeners()
        else:
            # Cleared only now, so the entity goes from progress to the real state.
            self.in_flight.pop(device_id, None)
            self.async_apply_device(device)

    async def async_follow(self, device_id: str, sent: Command) -> Command:
        """Follow a sent command to its end, showing progress; then the real state.

        Raises the client's errors (CommandFailedError when the device says ERROR or
        the command runs out of time); the in-flight state is cleared either way.
        """
        final: Command | None = None
        try:
            final = await self.client.async_follow_command(
                sent,
                poll_interval=self.command_poll_interval,
                on_progress=lambda update: self.set_progress_from(device_id, update),
            )
        finally:
            await self.async_finish_command(device_id, final)
        return final

    async def async_run_command(
        self,
        device_id: str,
        command: CommandName,
        *,
        timeout_at: datetime | None = None,
    ) -> Command:
        """Send ``command`` and follow it to its end (see :meth:`async_follow`)."""
        sent = await self.client.async_send_command(
            device_id, command, timeout_at=timeout_at
        )
        self.set_progress_from(device_id, sent)
        return await self.async_follow(device_id, sent)


@dataclass
class SmartAccessData:
    """What a loaded config entry holds."""

    coordinator: RemoteLockCoordinator | BikeepCoordinator
    extra: dict[str, Any] = field(default_factory=dict)


type SmartAccessConfigEntry = ConfigEntry[SmartAccessData]
