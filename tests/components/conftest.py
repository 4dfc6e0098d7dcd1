"""Fixtures for the Home Assistant side: config entries aimed at the simulators."""

from __future__ import annotations

from collections.abc import Generator

from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.smart_access.const import (
    CONF_API_URL,
    CONF_AUTH_TYPE,
    CONF_AUTH_URL,
    CONF_VENDOR,
    DOMAIN,
    AuthType,
    Vendor,
)
from simulator.server import RunningSimulator

REMOTELOCK_CLIENT_ID = "sim-remotelock-client"
REMOTELOCK_CLIENT_SECRET = "sim-remotelock-secret"
BIKEEP_CLIENT_ID = "sim-bikeep-client"
BIKEEP_CLIENT_SECRET = "sim-bikeep-secret"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None,
) -> Generator[None]:
    """Let Home Assistant find custom_components/smart_access."""
    return


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer (stable ids, states without times)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


def remotelock_account_id(sim: RunningSimulator) -> str:
    """Return the simulated account's id."""
    return str(sim.sim.dump_state()["account"]["id"])


@pytest.fixture
def remotelock_entry(
    hass: HomeAssistant, remotelock_sim: RunningSimulator
) -> MockConfigEntry:
    """A RemoteLock client-credentials entry aimed at the simulator."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Sim Property Management",
        unique_id=f"remotelock_{remotelock_account_id(remotelock_sim)}",
        data={
            CONF_VENDOR: Vendor.REMOTELOCK,
            CONF_AUTH_TYPE: AuthType.CLIENT_CREDENTIALS,
            CONF_CLIENT_ID: REMOTELOCK_CLIENT_ID,
            CONF_CLIENT_SECRET: REMOTELOCK_CLIENT_SECRET,
            CONF_API_URL: remotelock_sim.url,
            CONF_AUTH_URL: remotelock_sim.url,
        },
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def bikeep_entry(hass: HomeAssistant, bikeep_sim: RunningSimulator) -> MockConfigEntry:
    """A Bikeep entry aimed at the simulator."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Bikeep {BIKEEP_CLIENT_ID}",
        unique_id=f"bikeep_{BIKEEP_CLIENT_ID}",
        data={
            CONF_VENDOR: Vendor.BIKEEP,
            CONF_CLIENT_ID: BIKEEP_CLIENT_ID,
            CONF_CLIENT_SECRET: BIKEEP_CLIENT_SECRET,
            CONF_API_URL: bikeep_sim.url,
            CONF_AUTH_URL: bikeep_sim.url,
        },
    )
    entry.add_to_hass(hass)
    return entry


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set ``entry`` up and wait for everything to settle."""
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
