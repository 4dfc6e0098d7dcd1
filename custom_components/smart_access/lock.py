"""Locks: RemoteLock locks and ACS doors, Bikeep lockers and bike docks."""

from __future__ import annotations

from typing import Any

from homeassistant.components.lock import (
    LockEntity,
    LockEntityDescription,
    LockEntityFeature,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.bikeep.commands import CommandName
from .api.bikeep.models import Device as BikeepDevice, DeviceStateValue, DeviceType
from .api.errors import SmartAccessApiError
from .api.remotelock import RemoteLockClient
from .api.remotelock.models import AcsDoor, Device, Lock
from .const import LOGGER
from .coordinator import (
    BikeepCoordinator,
    RemoteLockCoordinator,
    SmartAccessConfigEntry,
)
from .entity import BikeepDeviceEntity, RemoteLockEntity, async_add_dynamic_entities
from .helpers import run_command

PARALLEL_UPDATES = 1

MAIN = LockEntityDescription(key="lock", name=None)
LOCKER = LockEntityDescription(key="lock", name=None, translation_key="locker")
DOCK = LockEntityDescription(key="lock", name=None, translation_key="dock")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add lock entities now and whenever new devices appear."""
    async_add_dynamic_entities(
        entry,
        async_add_entities,
        remotelock=_remotelock_locks,
        bikeep_device=_bikeep_locks,
    )


def _remotelock_locks(
    coordinator: RemoteLockCoordinator, device: Device
) -> list[LockEntity]:
    if isinstance(device, Lock):
        return [RemoteLockLock(coordinator, device.id, MAIN)]
    if isinstance(device, AcsDoor):
        return [RemoteLockDoor(coordinator, device.id, MAIN)]
    return []


def _bikeep_locks(
    coordinator: BikeepCoordinator, device: BikeepDevice
) -> list[LockEntity]:
    if not device.is_lockable:
        return []
    description = DOCK if device.type == DeviceType.BIKE_DOCK else LOCKER
    return [BikeepLock(coordinator, device.id, description)]


class RemoteLockLock(RemoteLockEntity, LockEntity):
    """A RemoteLock Wi-Fi lock."""

    unavailable_when_offline = True

    @property
    def is_locked(self) -> bool | None:
        """Return whether the lock reports locked."""
        state = getattr(self.device, "state", None)
        return None if state is None else state == "locked"

    async def async_lock(self, **kwargs: Any) -> None:
        """Lock."""
        await self.async_device_command("lock", RemoteLockClient.async_lock_device)

    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock."""
        await self.async_device_command("unlock", RemoteLockClient.async_unlock_device)


class RemoteLockDoor(RemoteLockLock):
    """A RemoteLock ACS door; ``open`` is a temporary unlock."""

    _attr_supported_features = LockEntityFeature.OPEN

    async def async_lock(self, **kwargs: Any) -> None:
        """Lock the door."""
        await self.async_device_command("lock", RemoteLockClient.async_lock_acs_door)

    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock the door until it is locked again."""
        await self.async_device_command(
            "unlock", RemoteLockClient.async_unlock_acs_door
        )

    async def async_open(self, **kwargs: Any) -> None:
        """Unlock the door briefly (temporary unlock)."""
        await self.async_device_command(
            "open", RemoteLockClient.async_temporary_unlock_acs_door
        )


class BikeepLock(BikeepDeviceEntity, LockEntity):
    """A Bikeep locker or bike dock; commands run asynchronously on the device."""

    @property
    def available(self) -> bool:
        """Unavailable while the device does not talk to the cloud."""
        return super().available and self.device.is_online is not False

    def _state(self) -> str | None:
        progress = self.coordinator.in_flight.get(self.device_id)
        if progress is not None:
            if progress.state in (DeviceStateValue.LOCKING, DeviceStateValue.UNLOCKING):
                return progress.state
            return (
                DeviceStateValue.LOCKING
                if progress.command in (CommandName.LOCK, CommandName.FORCE_LOCK)
                else DeviceStateValue.UNLOCKING
                if progress.command in (CommandName.UNLOCK, CommandName.FORCE_UNLOCK)
                else self._device_state()
            )
        return self._device_state()

    def _device_state(self) -> str | None:
        value = self.device.state_value
        return None if value is None else str(value)

    @property
    def is_locked(self) -> bool | None:
        """Locked once the device confirmed it."""
        state = self._state()
        return None if state is None else state == DeviceStateValue.LOCKED

    @property
    def is_locking(self) -> bool:
        """True while a lock command runs."""
        return self._state() == DeviceStateValue.LOCKING

    @property
    def is_unlocking(self) -> bool:
        """True while an unlock command runs."""
        return self._state() == DeviceStateValue.UNLOCKING

    async def async_lock(self, **kwargs: Any) -> None:
        """Start locking; the device confirms once the item is secured."""
        await self._async_start(CommandName.LOCK)

    async def async_unlock(self, **kwargs: Any) -> None:
        """Start unlocking."""
        await self._async_start(CommandName.UNLOCK)

    async def _async_start(self, command: CommandName) -> None:
        coordinator = self.coordinator
        client = coordinator.client
        sent = await run_command(
            self.command_label(str(command)),
            lambda: client.async_send_command(self.device_id, command),
            self.hass,
            coordinator.config_entry,
        )
        coordinator.set_progress_from(self.device_id, sent)
        coordinator.config_entry.async_create_background_task(
            self.hass,
            self._async_follow(coordinator, sent),
            f"smart_access bikeep {command} {self.device_id}",
        )

    async def _async_follow(self, coordinator: BikeepCoordinator, sent: Any) -> None:
        name = self.device.display_name
        try:
            await coordinator.async_follow(self.device_id, sent)
        except SmartAccessApiError as err:
            LOGGER.warning("Bikeep %s of %s did not succeed: %s", sent.name, name, err)
