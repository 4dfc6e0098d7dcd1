"""Selects: lock auto-lock timeout and wake-Wi-Fi, limited to the model's capabilities."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.remotelock.inputs import LockUpdate
from .api.remotelock.models import Device, Lock, Model
from .coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .entity import RemoteLockEntity, async_add_dynamic_entities

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class LockSelectDescription(SelectEntityDescription):
    """A lock setting chosen from the model's capabilities."""

    options_fn: Callable[[Model], list[str]]
    value_fn: Callable[[Device], str | None]
    update_fn: Callable[[str], LockUpdate]


SELECTS: tuple[LockSelectDescription, ...] = (
    LockSelectDescription(
        key="auto_lock_timeout",
        translation_key="auto_lock_timeout",
        entity_category=EntityCategory.CONFIG,
        options_fn=lambda model: [
            str(value) for value in model.capabilities.auto_lock_timeouts
        ],
        value_fn=lambda device: (
            None
            if getattr(device, "auto_lock_timeout", None) is None
            else str(getattr(device, "auto_lock_timeout", None))
        ),
        update_fn=lambda option: LockUpdate(auto_lock_timeout=int(option)),
    ),
    LockSelectDescription(
        key="wake_wifi",
        translation_key="wake_wifi",
        entity_category=EntityCategory.CONFIG,
        options_fn=lambda model: list(model.capabilities.wake_wifi),
        value_fn=lambda device: getattr(device, "wake_wifi", None),
        update_fn=lambda option: LockUpdate(wake_wifi=option),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add selects for locks whose model offers the options."""
    async_add_dynamic_entities(entry, async_add_entities, remotelock=_lock_selects)


def _lock_selects(
    coordinator: RemoteLockCoordinator, device: Device
) -> list[SelectEntity]:
    model = coordinator.data.models.get(device.model_id or "")
    if not isinstance(device, Lock) or model is None:
        return []
    return [
        LockSelect(coordinator, device.id, description, options)
        for description in SELECTS
        if (options := description.options_fn(model))
    ]


class LockSelect(RemoteLockEntity, SelectEntity):
    """A lock setting."""

    unavailable_when_offline = True

    entity_description: LockSelectDescription

    def __init__(
        self,
        coordinator: RemoteLockCoordinator,
        device_id: str,
        description: LockSelectDescription,
        options: list[str],
    ) -> None:
        """Offer the model's options."""
        super().__init__(coordinator, device_id, description)
        self._attr_options = options

    @property
    def current_option(self) -> str | None:
        """Return the current setting."""
        value = self.entity_description.value_fn(self.device)
        return value if value in self.options else None

    async def async_select_option(self, option: str) -> None:
        """Change the setting."""
        changes = self.entity_description.update_fn(option)
        await self.async_device_command(
            None,
            lambda client, device_id: client.async_update_device(device_id, changes),
        )
