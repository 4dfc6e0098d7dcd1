"""The RemoteLock coordinator: bulk polling of one account into a snapshot."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
import math

from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util

from ..api.errors import AuthenticationError, SmartAccessApiError
from ..api.remotelock import RemoteLockClient
from ..api.remotelock.models import (
    AnyDevice,
    Device as RemoteLockDevice,
    Location,
    Model,
    ResortLock,
    ResortLockGuest,
)
from ..api.reuse import ModelCache
from ..const import LOGGER
from ..entity_economy import remotelock_entities
from ..naming import remotelock_device_name
from .base import SmartAccessConfigEntry, SmartAccessCoordinator

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
# While push delivers, the full device poll is only the safety net: events carry
# lock state, battery, connectivity, plug relays and thermostat readings within a
# second; the poll catches what they do not (Wi-Fi level, settings changed in the
# portal, new and removed devices) and checks the subscriber. 10 minutes keeps a
# portal change visible within minutes at a sixth of the 1,000-device poll cost.
REMOTELOCK_PUSH_INTERVAL = timedelta(minutes=10)
# What the push safety net adds to each poll: the subscriber check and /events.
SAFETY_NET_REQUESTS = 2


def remotelock_interval(device_count: int, extra_requests: int = 0) -> timedelta:
    """Return the poll interval that keeps polling within its share of the budget.

    One poll costs ceil(devices / 50) requests, plus ``extra_requests`` (the push
    safety net: the subscriber check and a page of ``/events``); at most 30
    requests a minute go to polling, so interval = max(30 s, 2 s * requests).
    """
    pages = max(1, math.ceil(device_count / REMOTELOCK_PAGE_SIZE))
    seconds = (pages + extra_requests) * 60 / REMOTELOCK_POLL_BUDGET_PER_MINUTE
    return max(REMOTELOCK_MIN_INTERVAL, timedelta(seconds=seconds))


@dataclass(frozen=True, kw_only=True)
class RemoteLockSnapshot:
    """Everything polled from one RemoteLock account."""

    devices: Mapping[str, RemoteLockDevice]
    locations: Mapping[str, Location]
    models: Mapping[str, Model]
    resort_guests: Mapping[str, tuple[ResortLockGuest, ...]] = field(
        default_factory=dict
    )


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
        # Unchanged devices keep their model instance from poll to poll, so a poll
        # parses, compares and writes only what changed.
        self._device_models: ModelCache[AnyDevice] = ModelCache()
        # Push: whether deliveries arrive, and the check each poll runs (subscriber
        # still active, missed events recovered from /events).
        self.push_healthy = False
        self.safety_net: Callable[[], Awaitable[None]] | None = None
        self.account_device_id = f"account_{entry.unique_id or entry.entry_id}"
        self.service_device_ids.add(self.account_device_id)

    def current_device_ids(self) -> set[str]:
        """Return the ids of the devices in the latest snapshot."""
        return set(self.data.devices) if self.data else set()

    def economy_objects(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """Return every device's tiered entities."""
        return {
            key: remotelock_entities(device)
            for key, device in self.data.devices.items()
        }

    def economy_account_entities(self) -> tuple[tuple[str, str], ...]:
        """Return the account's API budget sensor and its guests calendar."""
        return (
            ("sensor", f"{self.account_device_id}_rate_limit_remaining"),
            ("calendar", f"{self.account_device_id}_access_guests"),
        )

    def device_name(self, vendor_id: str) -> str | None:
        """Return the name of a device in the snapshot."""
        device = self.data.devices.get(vendor_id)
        return remotelock_device_name(device) if device else None

    async def _async_update_data(self) -> RemoteLockSnapshot:
        try:
            snapshot = await self._async_fetch()
        except SmartAccessApiError as err:
            # A rate limit waits at least the current interval (longer with push).
            raise self.poll_failed(err, self.update_interval) from err
        self.poll_succeeded()
        self._normal_interval = self._interval_for(len(snapshot.devices))
        if self.safety_net is not None:
            try:
                await self.safety_net()
            except AuthenticationError as err:
                raise self.poll_failed(err, self._normal_interval) from err
            except SmartAccessApiError as err:
                LOGGER.debug("RemoteLock push check failed: %s", err)
        self._apply_interval()
        # Only the entities of devices whose data changed write their state.
        self.mark_changed(
            self.changed_objects(
                self.data.devices if self.data else None, snapshot.devices
            )
        )
        return snapshot

    def _interval_for(self, device_count: int) -> timedelta:
        extra = SAFETY_NET_REQUESTS if self.safety_net is not None else 0
        return remotelock_interval(device_count, extra)

    @callback
    def set_safety_net(self, check: Callable[[], Awaitable[None]]) -> None:
        """Run ``check`` after each poll; the interval makes room for its requests."""
        self.safety_net = check
        if self.data is not None:
            self._normal_interval = self._interval_for(len(self.data.devices))
            self._apply_interval()

    def _apply_interval(self) -> None:
        self.update_interval = (
            max(REMOTELOCK_PUSH_INTERVAL, self._normal_interval)
            if self.push_healthy
            else self._normal_interval
        )

    @callback
    def set_push_healthy(self, healthy: bool) -> None:
        """Poll slowly while push delivers, at the normal interval otherwise."""
        self.push_healthy = healthy
        self._apply_interval()

    @callback
    def async_push_devices(self, devices: Mapping[str, RemoteLockDevice]) -> None:
        """Merge devices changed by pushed events; the poll schedule stays as it is.

        (``async_set_updated_data`` would postpone the safety-net poll at every
        event, so a busy account would never be polled.)
        """
        self.data = replace(self.data, devices={**self.data.devices, **devices})
        self.mark_changed(devices)
        self.async_update_listeners()

    async def _async_fetch(self) -> RemoteLockSnapshot:
        now = dt_util.utcnow()
        previous = self.data
        devices = await self.client.async_list_devices(cache=self._device_models)
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
        self.mark_changed((device.id,))
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
        # The guest sensors follow every update; no device changed.
        self.mark_changed(())
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
