"""Config entries aimed at a running simulator (tests and scripts/benchmark.py)."""

from __future__ import annotations

from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
)

from custom_components.smart_access.const import (
    CONF_API_URL,
    CONF_AUTH_TYPE,
    CONF_AUTH_URL,
    CONF_VENDOR,
    DOMAIN,
    AuthType,
    Vendor,
)
from simulator.bikeep import (
    DEFAULT_CLIENT_ID as BIKEEP_CLIENT_ID,
    DEFAULT_CLIENT_SECRET as BIKEEP_CLIENT_SECRET,
)
from simulator.remotelock import (
    DEFAULT_CLIENT_ID as REMOTELOCK_CLIENT_ID,
    DEFAULT_CLIENT_SECRET as REMOTELOCK_CLIENT_SECRET,
)
from simulator.server import RunningSimulator

__all__ = [
    "BIKEEP_CLIENT_ID",
    "BIKEEP_CLIENT_SECRET",
    "REMOTELOCK_CLIENT_ID",
    "REMOTELOCK_CLIENT_SECRET",
    "add_bikeep_entry",
    "add_remotelock_entry",
    "remotelock_account_id",
]


def remotelock_account_id(server: RunningSimulator) -> str:
    """Return the simulated RemoteLock account's id."""
    return str(server.sim.dump_state()["account"]["id"])


def add_remotelock_entry(
    hass: HomeAssistant, server: RunningSimulator, *, unique_id: str | None = None
) -> MockConfigEntry:
    """Add a RemoteLock client-credentials entry aimed at the simulator."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Sim Property Management",
        unique_id=unique_id or f"remotelock_{remotelock_account_id(server)}",
        data={
            CONF_VENDOR: Vendor.REMOTELOCK,
            CONF_AUTH_TYPE: AuthType.CLIENT_CREDENTIALS,
            CONF_CLIENT_ID: REMOTELOCK_CLIENT_ID,
            CONF_CLIENT_SECRET: REMOTELOCK_CLIENT_SECRET,
            CONF_API_URL: server.url,
            CONF_AUTH_URL: server.url,
        },
    )
    entry.add_to_hass(hass)
    return entry


def add_bikeep_entry(hass: HomeAssistant, server: RunningSimulator) -> MockConfigEntry:
    """Add a Bikeep entry aimed at the simulator."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=f"Bikeep {BIKEEP_CLIENT_ID}",
        unique_id=f"bikeep_{BIKEEP_CLIENT_ID}",
        data={
            CONF_VENDOR: Vendor.BIKEEP,
            CONF_CLIENT_ID: BIKEEP_CLIENT_ID,
            CONF_CLIENT_SECRET: BIKEEP_CLIENT_SECRET,
            CONF_API_URL: server.url,
            CONF_AUTH_URL: server.url,
        },
    )
    entry.add_to_hass(hass)
    return entry
