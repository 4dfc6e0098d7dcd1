"""A link's sensors ("Current guest", "Next check-in", "Last sync") and switch.

"Current guest" is the name of the guest whose access window holds now (the one
who checked in last when stays overlap), with their check-out and doors as
attributes; "Next check-in" the moment the next guest's access begins, with their
name. Neither ever shows a PIN. "Sync guests" is on while the link syncs; off
pauses it (kept across restarts; RemoteLock's guests stay as they are).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.util import dt as dt_util

from .guest_link import GuestLink, ManagedStay
from .guest_link_entity import GuestLinkEntity


def current_stay(stays: list[ManagedStay], now: datetime) -> ManagedStay | None:
    """Return the stay whose window holds ``now`` (the latest check-in first)."""
    current = [stay for stay in stays if stay.check_in <= now < stay.check_out]
    return max(current, key=lambda stay: stay.check_in) if current else None


def next_stay(stays: list[ManagedStay], now: datetime) -> ManagedStay | None:
    """Return the next stay to begin."""
    upcoming = [stay for stay in stays if stay.check_in > now]
    return min(upcoming, key=lambda stay: stay.check_in) if upcoming else None


@dataclass(frozen=True, kw_only=True)
class GuestLinkSensorDescription(SensorEntityDescription):
    """A link sensor: its value and attributes from the link."""

    value_fn: Callable[[GuestLink, datetime], str | datetime | None]
    attributes_fn: Callable[[GuestLink, datetime], Mapping[str, Any] | None] = (
        lambda link, now: None
    )


def _current_attributes(link: GuestLink, now: datetime) -> Mapping[str, Any] | None:
    stay = current_stay(link.stays(), now)
    if stay is None:
        return None
    return {
        "check_in": stay.check_in.isoformat(),
        "check_out": stay.check_out.isoformat(),
        "doors": list(stay.doors),
    }


def _next_attributes(link: GuestLink, now: datetime) -> Mapping[str, Any] | None:
    stay = next_stay(link.stays(), now)
    if stay is None:
        return None
    return {
        "guest": stay.name,
        "check_out": stay.check_out.isoformat(),
        "doors": list(stay.doors),
    }


def _current_name(link: GuestLink, now: datetime) -> str | None:
    stay = current_stay(link.stays(), now)
    return stay.name if stay else None


def _next_check_in(link: GuestLink, now: datetime) -> datetime | None:
    stay = next_stay(link.stays(), now)
    return stay.check_in if stay else None


LINK_SENSORS: tuple[GuestLinkSensorDescription, ...] = (
    GuestLinkSensorDescription(
        key="current_guest",
        translation_key="current_guest",
        value_fn=_current_name,
        attributes_fn=_current_attributes,
    ),
    GuestLinkSensorDescription(
        key="next_check_in",
        translation_key="next_check_in",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=_next_check_in,
        attributes_fn=_next_attributes,
    ),
    GuestLinkSensorDescription(
        key="last_sync",
        translation_key="last_sync",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda link, now: link.last_sync,
    ),
)


class GuestLinkSensor(GuestLinkEntity, SensorEntity):
    """A sensor of a link."""

    entity_description: GuestLinkSensorDescription

    @property
    def native_value(self) -> str | datetime | None:
        """Return the value now."""
        return self.entity_description.value_fn(self.link, dt_util.utcnow())

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the stay's details (never a PIN)."""
        return self.entity_description.attributes_fn(self.link, dt_util.utcnow())


def link_sensors(link: GuestLink) -> list[GuestLinkSensor]:
    """Return a link's sensors."""
    return [GuestLinkSensor(link, description) for description in LINK_SENSORS]


SYNC_SWITCH = SwitchEntityDescription(key="sync", translation_key="guest_sync")


class GuestLinkSyncSwitch(GuestLinkEntity, SwitchEntity):
    """On while the link syncs; off pauses it."""

    def __init__(self, link: GuestLink) -> None:
        """Describe the switch."""
        super().__init__(link, SYNC_SWITCH)

    @property
    def is_on(self) -> bool:
        """Return whether the link syncs."""
        return not self.link.paused

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Resume syncing (and sync now)."""
        await self.link.async_set_paused(False)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Pause syncing."""
        await self.link.async_set_paused(True)
