"""What both vendors' coordinators share: stale devices, new devices, repair issues.

Updates are change-driven: an entity of one device or station listens with that
object's vendor id as its context, and an update that knows what it changed (a poll
compared with the previous snapshot, a pushed event, a command's answer) notifies
only the listeners of the changed objects, plus those without a context (account
entities, entity factories, time-dependent sensors). Everything is notified when
what changed is not known, on the first update, and whenever polling fails or
recovers (availability of every entity).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from ..api.errors import SmartAccessApiError
from ..const import DOMAIN, LOGGER
from ..entity_economy import EVERYTHING, HA_ENABLED_CAP, Plan, controls, plan
from ..error_mapping import ISSUE_KINDS, issue_kind, update_failed

if TYPE_CHECKING:
    from ..bikeep_webhook import BikeepWebhook
    from ..guest_directory import GuestDirectory
    from ..remotelock_push import RemoteLockPush
    from .bikeep import BikeepCoordinator
    from .remotelock import RemoteLockCoordinator


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
        # Change-driven updates (see the module docstring).
        self._changed: set[str] | None = None
        self._notified_success: bool | None = None
        # Which new entities are enabled by default (see entity_economy).
        self.entity_plan: Plan = EVERYTHING
        self.entities_left_out = 0

    @callback
    def mark_changed(self, object_ids: Iterable[str]) -> None:
        """Say which objects the next update changed (others are not notified)."""
        if self._changed is None:
            self._changed = set(object_ids)
        else:
            self._changed.update(object_ids)

    @staticmethod
    def changed_objects[T](
        old: Mapping[str, T] | None, new: Mapping[str, T]
    ) -> set[str]:
        """Return the ids whose object is new, gone or different.

        An object carried over unchanged (the same instance, which the vendor
        clients reuse for unchanged raw data) costs an identity check only.
        """
        if old is None:
            return set(new)
        changed = {
            key
            for key, value in new.items()
            if (previous := old.get(key)) is not value
            and (previous is None or previous != value)
        }
        changed.update(key for key in old if key not in new)
        return changed

    def current_device_ids(self) -> set[str]:
        """Return the vendor ids of every device in the latest snapshot."""
        raise NotImplementedError

    def economy_objects(self) -> Mapping[str, tuple[tuple[str, str], ...]]:
        """Return each device's or station's tiered entities (see entity_economy)."""
        raise NotImplementedError

    def economy_account_entities(self) -> tuple[tuple[str, str], ...]:
        """Return (platform, unique id) of the entry's own, always enabled, entities."""
        return ()

    @callback
    def _async_update_entity_plan(self) -> None:
        """Plan the new objects' entities; a repair issue says when controls are out.

        An object whose first tiered entity is in the registry was planned before;
        it is left out when every one of its controls is disabled by the integration
        (the plan's doing, not yours). New objects are planned within what the
        entities enabled in the registry leave of the budget.
        """
        registry = er.async_get(self.hass)
        objects = self.economy_objects()
        # "Enable newly added entities" off: every new entity is disabled by the
        # integration, the user's choice rather than the plan's.
        user_disables_new = self.config_entry.pref_disable_new_entities
        new: dict[str, tuple[tuple[str, str], ...]] = {}
        left_out = 0
        for object_id, entities in objects.items():
            if not entities:
                continue
            platform, key = entities[0]
            if not registry.async_get_entity_id(platform, DOMAIN, f"{object_id}_{key}"):
                new[object_id] = entities
            elif not user_disables_new and _controls_left_out(
                registry, object_id, entities
            ):
                left_out += 1
        account = sum(
            1
            for platform, unique_id in self.economy_account_entities()
            if not registry.async_get_entity_id(platform, DOMAIN, unique_id)
        )
        entry_id = self.config_entry.entry_id
        self.entity_plan = entity_plan = plan(
            new,
            account_entities=account,
            enabled_now=registry.entities.get_enabled_count_for_config_entry_id(
                entry_id
            ),
        )
        if not user_disables_new:
            left_out += entity_plan.left_out
        before, self.entities_left_out = self.entities_left_out, left_out
        issue_id = f"entity_budget_{entry_id}"
        if not left_out:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        if left_out != before:
            LOGGER.warning(
                "%s: %s devices get no enabled entity by default (Home Assistant "
                "enables at most %s entities per entry)",
                self.config_entry.title,
                left_out,
                HA_ENABLED_CAP,
            )
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="entity_budget",
            translation_placeholders={
                "title": self.config_entry.title,
                "devices": f"{len(objects):,}",
                "left_out": f"{left_out:,}",
                "cap": f"{HA_ENABLED_CAP:,}",
            },
        )

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
    def _async_track_devices(self, changed: set[str] | None, current: set[str]) -> None:
        """Add new devices, drop vanished ones, follow renames of changed ones."""
        new = current - self._known_device_ids
        gone = bool(self._known_device_ids - current)
        self._known_device_ids = current
        registry = dr.async_get(self.hass)
        if changed is None or gone:
            self._async_review_registry(registry, current)
        else:
            for vendor_id in changed & current:
                device = registry.async_get_device_by_identifier(
                    (DOMAIN, vendor_id), self.config_entry.entry_id
                )
                if device is not None:
                    self._async_follow_rename(registry, device, vendor_id)
        if new:
            for new_device_callback in self.new_device_callbacks:
                new_device_callback(new)

    @callback
    def _async_review_registry(
        self, registry: dr.DeviceRegistry, current: set[str]
    ) -> None:
        """Remove the entry's devices that vanished; follow every rename."""
        keep = current | self.service_device_ids
        entry_id = self.config_entry.entry_id
        for device in dr.async_entries_for_config_entry(registry, entry_id):
            ids = {ident for domain, ident in device.identifiers if domain == DOMAIN}
            if ids and not ids & keep:
                registry.async_remove_device(device.id)
                continue
            for vendor_id in ids & current:
                self._async_follow_rename(registry, device, vendor_id)

    @callback
    def _async_follow_rename(
        self, registry: dr.DeviceRegistry, device: dr.DeviceEntry, vendor_id: str
    ) -> None:
        """Follow a rename in the vendor's portal (a user's own name stays on top)."""
        name = self.device_name(vendor_id)
        if name and name != device.name:
            registry.async_update_device(device.id, name=name)

    @callback
    def async_update_listeners(self) -> None:
        """Notify the entities of what changed; then follow new and vanished devices."""
        changed, self._changed = self._changed, None
        success = self.last_update_success
        current = (
            self.current_device_ids() if success and self.data is not None else None
        )
        if current is not None and current != self._known_device_ids:
            # Before the listeners: entity factories among them (a new station's
            # RFID card sensors) follow the plan for the objects that came.
            self._async_update_entity_plan()
        if changed is None or not success or self._notified_success is not True:
            changed = None
            super().async_update_listeners()
        else:
            self._async_notify(changed)
        self._notified_success = success
        if current is not None:
            self._async_track_devices(changed, current)

    @callback
    def _async_notify(self, changed: set[str]) -> None:
        """Call the listeners without a ``str`` context and those of changed objects.

        One pass over the listeners (about 50 ns each: 0.5 ms for 10,000 enabled
        entities) costs less than keeping an index by object, which a large account
        paid for in memory.
        """
        callbacks = [
            update_callback
            for update_callback, context in self._listeners.values()
            if not isinstance(context, str) or context in changed
        ]
        for update_callback in callbacks:
            try:
                update_callback()
            except Exception:  # noqa: BLE001 - one entity's bug must not stop the rest, as in DataUpdateCoordinator
                LOGGER.exception("Unexpected error updating %s", self.name)


@dataclass
class SmartAccessData:
    """What a loaded config entry holds."""

    coordinator: RemoteLockCoordinator | BikeepCoordinator
    # RemoteLock entries: the webhook push channel (and its event log).
    push: RemoteLockPush | None = None
    # Bikeep entries: the webhook Bikeep staff register (pokes refreshes).
    bikeep_webhook: BikeepWebhook | None = None
    # RemoteLock entries: the account's access guests (the guests calendar).
    guests: GuestDirectory | None = None
    extra: dict[str, Any] = field(default_factory=dict)


type SmartAccessConfigEntry = ConfigEntry[SmartAccessData]


def _controls_left_out(
    registry: er.EntityRegistry,
    object_id: str,
    entities: Iterable[tuple[str, str]],
) -> bool:
    """Return whether every control of a planned object is disabled by the plan."""
    wanted = controls(entities)
    if not wanted:
        return False
    for platform, key in wanted:
        entity_id = registry.async_get_entity_id(platform, DOMAIN, f"{object_id}_{key}")
        entry = registry.async_get(entity_id) if entity_id else None
        if (
            entry is None
            or entry.disabled_by is not er.RegistryEntryDisabler.INTEGRATION
        ):
            return False
    return True
