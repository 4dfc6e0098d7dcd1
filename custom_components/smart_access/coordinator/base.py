"""What both vendors' coordinators share: stale devices, new devices, repair issues."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from ..api.errors import SmartAccessApiError
from ..const import DOMAIN, LOGGER
from ..error_mapping import ISSUE_KINDS, issue_kind, update_failed

if TYPE_CHECKING:
    from ..bikeep_webhook import BikeepWebhook
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


@dataclass
class SmartAccessData:
    """What a loaded config entry holds."""

    coordinator: RemoteLockCoordinator | BikeepCoordinator
    # RemoteLock entries: the webhook push channel (and its event log).
    push: RemoteLockPush | None = None
    # Bikeep entries: the webhook Bikeep staff register (pokes refreshes).
    bikeep_webhook: BikeepWebhook | None = None
    extra: dict[str, Any] = field(default_factory=dict)


type SmartAccessConfigEntry = ConfigEntry[SmartAccessData]
