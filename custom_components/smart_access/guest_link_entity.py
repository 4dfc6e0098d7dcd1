"""Entities of a guest-access link: one service device per link.

Each link's device ("<link title>", model "Guest access") holds its calendar of the
guests it manages, the "Current guest" and "Next check-in" sensors, a "Last sync"
sensor and the "Sync guests" switch. The entities belong to the link's config
subentry, so removing the link removes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import SmartAccessConfigEntry
from .entity import REMOTELOCK_MANUFACTURER
from .guest_link import GuestLink


def links(entry: SmartAccessConfigEntry) -> dict[str, GuestLink]:
    """Return the entry's running links by subentry id."""
    data = getattr(entry, "runtime_data", None)  # None: the entry is not loaded
    found = data.extra.get("guest_links") if data is not None else None
    return found if isinstance(found, dict) else {}


def link_device_identifier(subentry_id: str) -> tuple[str, str]:
    """Return the device-registry identifier of a link's device."""
    return (DOMAIN, f"guest_access_{subentry_id}")


class GuestLinkEntity(Entity):
    """An entity of one link; it follows the link's syncs."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, link: GuestLink, description: EntityDescription) -> None:
        """Name the entity after its link's device."""
        self.link = link
        self.entity_description = description
        base = link.entry.unique_id or link.entry.entry_id
        self._attr_unique_id = f"{base}_{link.subentry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={link_device_identifier(link.subentry_id)},
            entry_type=DeviceEntryType.SERVICE,
            manufacturer=REMOTELOCK_MANUFACTURER,
            model="Guest access",
            name=link.title,
        )

    async def async_added_to_hass(self) -> None:
        """Follow the link."""
        await super().async_added_to_hass()
        self.async_on_remove(self.link.async_add_listener(self.async_write_ha_state))


def async_add_link_entities(
    entry: SmartAccessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    make: Callable[[GuestLink], Iterable[Entity]],
) -> None:
    """Add each link's entities to its config subentry."""
    for subentry_id, link in links(entry).items():
        async_add_entities(list(make(link)), config_subentry_id=subentry_id)
