"""Switches: power plugs, lock settings, thermostat hold and energy saver."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import (
    SwitchDeviceClass,
    SwitchEntity,
    SwitchEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.remotelock import RemoteLockClient
from .api.remotelock.inputs import LockUpdate, ThermostatUpdate
from .api.remotelock.models import Device, Lock, Model, PowerPlug, Thermostat
from .coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .entity import RemoteLockEntity, async_add_dynamic_entities
from .helpers import run_command

PARALLEL_UPDATES = 1

type Setter = Callable[[RemoteLockClient, str, bool], Any]


@dataclass(frozen=True, kw_only=True)
class RemoteLockSwitchDescription(SwitchEntityDescription):
    """A RemoteLock switch: which devices have it, how to read and set it."""

    exists_fn: Callable[[Device, Model | None], bool]
    value_fn: Callable[[Device], bool | None]
    set_fn: Setter


def _model_allows(capability: str) -> Callable[[Device, Model | None], bool]:
    def exists(device: Device, model: Model | None) -> bool:
        # Without a model we cannot know; offer the setting when the device reports it.
        if model is None:
            return True
        return bool(getattr(model.capabilities, capability, False))

    return exists


def _power(client: RemoteLockClient, device_id: str, on: bool) -> Any:
    return client.async_power_on(device_id) if on else client.async_power_off(device_id)


SWITCHES: tuple[RemoteLockSwitchDescription, ...] = (
    RemoteLockSwitchDescription(
        key="power",
        name=None,
        device_class=SwitchDeviceClass.OUTLET,
        exists_fn=lambda device, _: isinstance(device, PowerPlug),
        value_fn=lambda device: getattr(device, "on", None),
        set_fn=_power,
    ),
    RemoteLockSwitchDescription(
        key="auto_lock",
        translation_key="auto_lock",
        entity_category=EntityCategory.CONFIG,
        exists_fn=lambda device, model: isinstance(device, Lock)
        and _model_allows("auto_lock_enable")(device, model),
        value_fn=lambda device: getattr(device, "auto_lock", None),
        set_fn=lambda client, device_id, on: client.async_update_device(
            device_id, LockUpdate(auto_lock=on)
        ),
    ),
    RemoteLockSwitchDescription(
        key="mute",
        translation_key="mute",
        entity_category=EntityCategory.CONFIG,
        exists_fn=lambda device, model: isinstance(device, Lock)
        and _model_allows("mute")(device, model),
        value_fn=lambda device: getattr(device, "muted", None),
        set_fn=lambda client, device_id, on: client.async_update_device(
            device_id, LockUpdate(muted=on)
        ),
    ),
    RemoteLockSwitchDescription(
        key="hold",
        translation_key="hold",
        exists_fn=lambda device, _: isinstance(device, Thermostat),
        value_fn=lambda device: getattr(device, "hold", None),
        set_fn=lambda client, device_id, on: client.async_update_device(
            device_id, ThermostatUpdate(hold=on)
        ),
    ),
    RemoteLockSwitchDescription(
        key="energy_saver",
        translation_key="energy_saver",
        entity_category=EntityCategory.CONFIG,
        exists_fn=lambda device, _: isinstance(device, Thermostat),
        value_fn=lambda device: getattr(device, "energy_saver", None),
        set_fn=lambda client, device_id, on: client.async_update_device(
            device_id, ThermostatUpdate(energy_saver=on)
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add switches now and whenever new devices appear."""
    coordinator = entry.runtime_data.coordinator
    if not isinstance(coordinator, RemoteLockCoordinator):
        return

    def make(ids: set[str]) -> list[SwitchEntity]:
        data = coordinator.data
        return [
            RemoteLockSwitch(coordinator, device_id, description)
            for device_id in ids
            for description in SWITCHES
            if description.exists_fn(
                data.devices[device_id],
                data.models.get(data.devices[device_id].model_id or ""),
            )
        ]

    async_add_dynamic_entities(entry, make, async_add_entities)


class RemoteLockSwitch(RemoteLockEntity, SwitchEntity):
    """A switch of a RemoteLock device."""

    unavailable_when_offline = True

    entity_description: RemoteLockSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """Return the value."""
        return self.entity_description.value_fn(self.device)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn on."""
        await self._async_set(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off."""
        await self._async_set(False)

    async def _async_set(self, on: bool) -> None:
        client = self.coordinator.client
        device = await run_command(
            self.entity_description.key,
            lambda: self.entity_description.set_fn(client, self.device_id, on),
        )
        self.coordinator.async_apply_device(device)
