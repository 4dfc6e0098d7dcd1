"""The Bikeep coordinator: stations and their devices; commands in flight."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Coroutine, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.debounce import Debouncer
from homeassistant.util import dt as dt_util

from ..api.bikeep import BikeepClient
from ..api.bikeep.commands import Command, CommandName
from ..api.bikeep.models import (
    Device as BikeepDevice,
    DeviceCounts,
    Location as BikeepLocation,
)
from ..api.bikeep.whitelists import RfidEntity, Whitelist
from ..api.errors import SmartAccessApiError
from ..const import LOGGER
from ..entity_economy import bikeep_device_entities, bikeep_station_entities
from ..naming import bikeep_device_name
from .base import SmartAccessConfigEntry, SmartAccessCoordinator

# Bikeep's guide (steps 9 and 9b): poll the location list (aggregated counts and
# connection) every 5 minutes for live dashboards, and read devices only during an
# interaction. So a poll reads the location list, and a station's device list only
# when the station's aggregates changed since its devices were last read, a command
# runs on one of its devices, a webhook poked it, it is new, or its last read is
# BIKEEP_DEVICE_REFRESH old. The RFID whitelists (1 + cards lists per station)
# change only through the portal or our own actions, which update the snapshot
# themselves, so they are fetched every 30 minutes (and for new stations).
BIKEEP_INTERVAL = timedelta(minutes=5)
BIKEEP_DEVICE_REFRESH = timedelta(minutes=30)
BIKEEP_WHITELIST_REFRESH = timedelta(minutes=30)
# Webhook deliveries start at most one refresh per this many seconds.
BIKEEP_POKE_COOLDOWN = 10.0
# At most this many Bikeep requests at once while polling a large operator account.
BIKEEP_CONCURRENCY = 4


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
class BikeepSnapshot:
    """Everything polled from one Bikeep operator account."""

    locations: Mapping[str, BikeepLocation]
    devices: Mapping[str, BikeepDevice]
    device_location: Mapping[str, str]
    whitelists: Mapping[str, tuple[Whitelist, ...]] = field(default_factory=dict)
    whitelist_card_counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StationRead:
    """When a station's device list was read, and the aggregates it had then."""

    devices: DeviceCounts
    connection: str | None
    at: datetime

    def current(self, location: BikeepLocation) -> bool:
        """Return whether ``location`` still shows the aggregates of this read."""
        return (
            location.devices == self.devices and location.connection == self.connection
        )


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
        self._station_reads: dict[str, StationRead] = {}
        # Polls started, and the one the current snapshot comes from: what was read
        # after a given moment (a webhook delivery) is known by its number.
        self.poll_number = 0
        self.data_poll_number = 0
        # Stations a webhook poked (``_poke_all``: the whole account) since the last
        # poll; one refresh per BIKEEP_POKE_COOLDOWN at most serves them.
        self._poked: set[str] = set()
        self._poke_all = False
        self._poke_debouncer = Debouncer(
            hass,
            LOGGER,
            cooldown=BIKEEP_POKE_COOLDOWN,
            immediate=True,
            function=self.async_refresh,
        )
        # The guide: poll a command every 1-2 s while it is in flight.
        self.command_poll_interval = 1.5

    @property
    def station_reads(self) -> Mapping[str, StationRead]:
        """Return when each station's device list was last read (diagnostics)."""
        return self._station_reads

    def current_device_ids(self) -> set[str]:
        """Return the ids of stations and devices in the latest snapshot."""
        if not self.data:
            return set()
        return set(self.data.locations) | set(self.data.devices)

    def economy_objects(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """Return the tiered entities of every station and device."""
        data = self.data
        objects = {
            key: bikeep_station_entities(len(data.whitelists.get(key, ())))
            for key in data.locations
        }
        objects.update(
            (key, bikeep_device_entities(device))
            for key, device in data.devices.items()
        )
        return objects

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

    @callback
    def async_poke(self, location_ids: Collection[str] | None = None) -> None:
        """Refresh soon (a webhook delivery): these stations' devices, or all.

        Debounced: the first poke refreshes at once, later ones within
        BIKEEP_POKE_COOLDOWN seconds share one refresh at its end.
        """
        if location_ids is None:
            self._poke_all = True
        else:
            self._poked.update(location_ids)
        self._poke_debouncer.async_schedule_call()

    async def async_shutdown(self) -> None:
        """Cancel a pending poke refresh too (unload)."""
        await super().async_shutdown()
        self._poke_debouncer.async_shutdown()

    def _device_list_due(
        self, location: BikeepLocation, now: datetime, poked: set[str], poke_all: bool
    ) -> bool:
        """Return whether this poll reads the station's device list (see above)."""
        read = self._station_reads.get(location.id)
        if read is None or poke_all or location.id in poked:
            return True
        if not read.current(location) or now - read.at >= BIKEEP_DEVICE_REFRESH:
            return True
        data = self.data
        return any(
            data.device_location.get(device_id) == location.id
            for device_id in self.in_flight
        )

    async def _async_update_data(self) -> BikeepSnapshot:
        now = dt_util.utcnow()
        self.poll_number += 1
        number = self.poll_number
        poked, poke_all = self._poked, self._poke_all
        self._poked, self._poke_all = set(), False
        try:
            locations = await self.client.async_list_locations()
            due = [
                location
                for location in locations
                if self._device_list_due(location, now, poked, poke_all)
            ]
            device_lists = await _gather_limited(
                [self.client.async_list_devices(location.id) for location in due]
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
            # The pokes are still owed: the next poll serves them.
            self._poked |= poked
            self._poke_all |= poke_all
            raise self.poll_failed(err, BIKEEP_INTERVAL) from err
        self.poll_succeeded()
        self.data_poll_number = number
        fresh = {
            location.id: found
            for location, found in zip(due, device_lists, strict=True)
        }
        # Stations not read this time keep the devices of their last read.
        kept: dict[str, list[BikeepDevice]] = {}
        if self.data is not None:
            for device_id, station in self.data.device_location.items():
                kept.setdefault(station, []).append(self.data.devices[device_id])
        devices: dict[str, BikeepDevice] = {}
        device_location: dict[str, str] = {}
        for location in locations:
            if location.id in fresh:
                station_devices = fresh[location.id]
                self._station_reads[location.id] = StationRead(
                    devices=location.devices, connection=location.connection, at=now
                )
            else:
                station_devices = kept.get(location.id, [])
            for device in station_devices:
                devices[device.id] = device
                device_location[device.id] = location.id
        for gone in set(self._station_reads) - location_ids:
            del self._station_reads[gone]
        snapshot = BikeepSnapshot(
            locations={location.id: location for location in locations},
            devices=devices,
            device_location=device_location,
            whitelists={key: whitelists[key] for key in location_ids},
            whitelist_card_counts=counts,
        )
        self.mark_changed(_changed_objects(self.data, snapshot))
        return snapshot

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
        self.mark_changed((device.id,))
        self.async_set_updated_data(replace(self.data, devices=devices))

    @callback
    def async_apply_card_counts(self, counts: Mapping[str, int]) -> None:
        """Merge freshly counted whitelists into the snapshot, in one update."""
        merged = {**self.data.whitelist_card_counts, **counts}
        self.mark_changed(
            location_id
            for location_id, whitelists in self.data.whitelists.items()
            if any(whitelist.id in counts for whitelist in whitelists)
        )
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
        self.mark_changed((device_id,))
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
            self.mark_changed((device_id,))
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


def _changed_objects(old: BikeepSnapshot | None, new: BikeepSnapshot) -> set[str]:
    """Return the stations and devices a poll changed (their entities update).

    A station also counts as changed when its whitelists or card counts did, for
    its RFID card sensors.
    """
    if old is None:
        return set(new.locations) | set(new.devices)
    changed = BikeepCoordinator.changed_objects(old.locations, new.locations)
    changed |= BikeepCoordinator.changed_objects(old.devices, new.devices)
    counts, old_counts = new.whitelist_card_counts, old.whitelist_card_counts
    for location_id, whitelists in new.whitelists.items():
        if old.whitelists.get(location_id) != whitelists or any(
            counts.get(whitelist.id) != old_counts.get(whitelist.id)
            for whitelist in whitelists
        ):
            changed.add(location_id)
    return changed
