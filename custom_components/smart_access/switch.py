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
from .api.remotelock.inputs import DeviceUpdate, LockUpdate, ThermostatUpdate
from .api.remotelock.models import Device, Lock, Model, PowerPlug, Thermostat
from .coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .entity import RemoteLockEntity, async_add_dynamic_entities
from .guest_link_entity import async_add_link_entities
from .guest_link_sensors import GuestLinkSyncSwitch

PARALLEL_UPDATES = 1

type Setter = Callable[[RemoteLockClient, str, bool], Any]


@dataclass(frozen=True, kw_only=True)
class RemoteLockSwitchDescription(SwitchEntityDescription):
    """A RemoteLock switch: which devices have it, how to read and set it."""

    exists_fn: Callable[[Device, Model | None], bool]
    value_fn: Callable[[Device], bool | None]
    set_fn: Setter


def _model_allows(model: Model | None, capability: str) -> bool:
    # Without a model we cannot know; offer the setting when the device reports it.
    return model is None or bool(getattr(model.capabilities, capability, False))


def _power(client: RemoteLockClient, device_id: str, on: bool) -> Any:
    return client.async_power_on(device_id) if on else client.async_power_off(device_id)


def _setting(
    key: str,
    device_type: type[Device],
    attribute: str,
    update: Callable[[bool], DeviceUpdate],
    *,
    capability: str | None = None,
    entity_category: EntityCategory | None = EntityCategory.CONFIG,
) -> RemoteLockSwitchDescription:
    """Describe a device setting; ``capability`` names what the model must allow."""
    return RemoteLockSwitchDescription(
        key=key,
        translation_key=key,
        entity_category=entity_category,
        exists_fn=lambda device, model: (
            isinstance(device, device_type)
            and (capability is None or _model_allows(model, capability))
        ),
        value_fn=lambda device: getattr(device, attribute, None),
        set_fn=lambda client, device_id, on: client.async_update_device(
            device_id, update(on)
        ),
    )


SWITCHES: tuple[RemoteLockSwitchDescription, ...] = (
    RemoteLockSwitchDescription(
        key="power",
        name=None,
        device_class=SwitchDeviceClass.OUTLET,
        exists_fn=lambda device, _: isinstance(device, PowerPlug),
        value_fn=lambda device: getattr(device, "on", None),
        set_fn=_power,
    ),
    _setting(
        "auto_lock",
        Lock,
        "auto_lock",
        lambda on: LockUpdate(auto_lock=on),
        capability="auto_lock_enable",
    ),
    _setting("mute", Lock, "muted", lambda on: LockUpdate(muted=on), capability="mute"),
    _setting(
        "hold",
        Thermostat,
        "hold",
        lambda on: ThermostatUpdate(hold=on),
        entity_category=None,
    ),
    _setting(
        "energy_saver",
        Thermostat,
        "energy_saver",
        lambda on: ThermostatUpdate(energy_saver=on),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add switches now and whenever new devices appear."""
    async_add_dynamic_entities(entry, async_add_entities, remotelock=_switches)
    async_add_link_entities(
        entry, async_add_entities, lambda link: [GuestLinkSyncSwitch(link)]
    )


def _switches(coordinator: RemoteLockCoordinator, device: Device) -> list[SwitchEntity]:
    model = coordinator.data.models.get(device.model_id or "")
    return [
        RemoteLockSwitch(coordinator, device.id, description)
        for description in SWITCHES
        if description.exists_fn(device, model)
    ]


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
        set_fn = self.entity_description.set_fn
        await self.async_device_command(
            None, lambda client, device_id: set_fn(client, device_id, on)
        )
