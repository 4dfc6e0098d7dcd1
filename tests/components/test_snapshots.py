"""Snapshots of every entity and of the diagnostics, for both vendors' default scenarios.

Time is frozen before the simulators build their scenarios, so every timestamp, id and
counter in the snapshots is the same on every run.

Home Assistant changes the shape of registry snapshots between releases, so they are
compared on the newest pin (requirements.txt) only; the minimum-version run skips them.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any
from unittest.mock import patch

# Imported before time is frozen: Home Assistant's diagnostics import it lazily, and
# its dataclasses cannot be compiled while datetime is replaced by freezegun.
import aiohasupervisor  # noqa: F401
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform, __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.smart_access.const import DOMAIN
from simulator.server import RunningSimulator

from .conftest import setup_entry

NEWEST_PIN = re.search(
    r"^homeassistant==(\S+)$",
    (Path(__file__).parents[2] / "requirements.txt").read_text(encoding="utf-8"),
    re.MULTILINE,
)
registry_snapshots = pytest.mark.skipif(
    NEWEST_PIN is None or NEWEST_PIN.group(1) != ha_version,
    reason="snapshots are of the newest pinned Home Assistant (requirements.txt)",
)

# The simulators listen on a free port, so their URLs change from run to run.
SIM_URLS = props("api_url", "auth_url")
FROZEN_AT = "2026-11-21T12:00:00+00:00"

REMOTELOCK_PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.CALENDAR,
    Platform.CLIMATE,
    Platform.LOCK,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]
BIKEEP_PLATFORMS = [Platform.BINARY_SENSOR, Platform.LOCK, Platform.SENSOR]


@pytest.fixture
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Freeze time at a fixed instant (request before the simulator fixtures)."""
    freezer.move_to(FROZEN_AT)
    return freezer


async def _setup_platform(
    hass: HomeAssistant, entry: MockConfigEntry, platform: Platform
) -> None:
    with patch("custom_components.smart_access.PLATFORMS", [platform]):
        await setup_entry(hass, entry)


@registry_snapshots
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("platform", REMOTELOCK_PLATFORMS)
async def test_remotelock_entities(
    frozen: FrozenDateTimeFactory,
    hass: HomeAssistant,
    remotelock_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Every RemoteLock entity of the default scenario, registry entry and state."""
    await _setup_platform(hass, remotelock_entry, platform)
    await snapshot_platform(hass, entity_registry, snapshot, remotelock_entry.entry_id)


@registry_snapshots
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("platform", BIKEEP_PLATFORMS)
async def test_bikeep_entities(
    frozen: FrozenDateTimeFactory,
    hass: HomeAssistant,
    bikeep_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Every Bikeep entity of the default scenario, registry entry and state."""
    await _setup_platform(hass, bikeep_entry, platform)
    await snapshot_platform(hass, entity_registry, snapshot, bikeep_entry.entry_id)


@registry_snapshots
async def test_devices(
    frozen: FrozenDateTimeFactory,
    hass: HomeAssistant,
    remotelock_entry: MockConfigEntry,
    bikeep_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """The device registry: manufacturer, model, serial, via device, area."""
    await setup_entry(hass, remotelock_entry)  # sets up every entry of the domain
    for entry in (remotelock_entry, bikeep_entry):
        devices = sorted(
            dr.async_entries_for_config_entry(device_registry, entry.entry_id),
            key=lambda device: sorted(device.identifiers),
        )
        assert devices == snapshot(name=entry.data["vendor"])


async def test_remotelock_diagnostics(
    frozen: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    remotelock_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """RemoteLock diagnostics: polled data and the rate limit, secrets redacted."""
    await setup_entry(hass, remotelock_entry)
    result = await get_diagnostics_for_config_entry(hass, hass_client, remotelock_entry)
    assert result == snapshot(name="entry", exclude=SIM_URLS)
    coordinator = remotelock_entry.runtime_data.coordinator
    for vendor_id in (
        coordinator.account_device_id,
        *sorted(coordinator.data.devices)[:2],
    ):
        device = device_registry.async_get_device_by_identifier(
            (DOMAIN, vendor_id), remotelock_entry.entry_id
        )
        assert device is not None
        result = await get_diagnostics_for_device(
            hass, hass_client, remotelock_entry, device
        )
        assert result == snapshot(name=f"device-{vendor_id}")


async def test_bikeep_diagnostics(
    frozen: FrozenDateTimeFactory,
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    bikeep_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Bikeep diagnostics: stations, devices, whitelist sizes, no card numbers."""
    await setup_entry(hass, bikeep_entry)
    result = await get_diagnostics_for_config_entry(hass, hass_client, bikeep_entry)
    assert result == snapshot(name="entry", exclude=SIM_URLS)
    coordinator = bikeep_entry.runtime_data.coordinator
    station = min(coordinator.data.locations)
    locker = min(coordinator.data.devices)
    for vendor_id in (station, locker):
        device = device_registry.async_get_device_by_identifier(
            (DOMAIN, vendor_id), bikeep_entry.entry_id
        )
        assert device is not None
        result = await get_diagnostics_for_device(
            hass, hass_client, bikeep_entry, device
        )
        assert result == snapshot(name=f"device-{vendor_id}")


def _secret_values(value: Any, found: set[str]) -> set[str]:
    """Collect the values of secret-looking keys anywhere in ``value``."""
    secret_keys = (
        "pin",
        "programming_code",
        "email",
        "phone",
        "card",
        "secret",
        "token",
    )
    if isinstance(value, dict):
        for key, item in value.items():
            if any(part in str(key).lower() for part in secret_keys) and isinstance(
                item, str | int
            ):
                found.add(str(item))
            elif any(part in str(key).lower() for part in secret_keys) and isinstance(
                item, list
            ):
                found.update(str(element) for element in item if element)
            else:
                _secret_values(item, found)
    elif isinstance(value, list):
        for item in value:
            _secret_values(item, found)
    return found


async def test_diagnostics_hold_no_secret_of_the_simulators(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    remotelock_entry: MockConfigEntry,
    bikeep_entry: MockConfigEntry,
    remotelock_sim: RunningSimulator,
    bikeep_sim: RunningSimulator,
) -> None:
    """No PIN, programming code, e-mail, card id or credential the clouds hold leaks."""
    await setup_entry(hass, remotelock_entry)  # sets up both entries
    remotelock = _secret_values(remotelock_sim.sim.dump_state(), set())
    bikeep = _secret_values(bikeep_sim.sim.dump_state(), set())
    bikeep |= {  # RFID card ids on the whitelists
        card
        for whitelist in bikeep_sim.sim.state.whitelists.values()
        for card in whitelist.entities
    }
    # Each entry is checked against its own cloud's secrets (the two default
    # scenarios happen to share a number: a programming code and a locker code).
    for entry, cloud in ((remotelock_entry, remotelock), (bikeep_entry, bikeep)):
        credentials = {str(entry.data["client_id"]), str(entry.data["client_secret"])}
        secrets = {value for value in cloud | credentials if len(value) >= 4}
        assert len(secrets) > 3
        dumped = json.dumps(
            await get_diagnostics_for_config_entry(hass, hass_client, entry)
        )
        leaked = sorted(
            value
            for value in secrets
            if re.search(
                rf'"{re.escape(value)}"|[\[:,] {re.escape(value)}[,\]}}]', dumped
            )
        )
        assert not leaked, leaked
