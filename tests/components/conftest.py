"""Fixtures for the Home Assistant side: config entries aimed at the simulators."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from unittest.mock import PropertyMock, patch

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
)
from syrupy.assertion import SnapshotAssertion

from simulator.server import RunningSimulator, serve_app

from .deprecations import collect_reports, describe
from .entries import (
    BIKEEP_CLIENT_ID,
    BIKEEP_CLIENT_SECRET,
    REMOTELOCK_CLIENT_ID,
    REMOTELOCK_CLIENT_SECRET,
    add_bikeep_entry,
    add_remotelock_entry,
    remotelock_account_id,
)

__all__ = [
    "BIKEEP_CLIENT_ID",
    "BIKEEP_CLIENT_SECRET",
    "REMOTELOCK_CLIENT_ID",
    "REMOTELOCK_CLIENT_SECRET",
    "remotelock_account_id",
    "setup_entry",
]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None,
) -> Generator[None]:
    """Let Home Assistant find custom_components/smart_access."""
    return


@pytest.fixture(autouse=True)
def fail_on_reports_about_our_code(request: pytest.FixtureRequest) -> Generator[None]:
    """Fail the test if Home Assistant logs a deprecation or misuse by our code.

    Only the guard's own test (marked ``reports_expected``) may log such lines.
    """
    with collect_reports() as found:
        yield
    if found and request.node.get_closest_marker("reports_expected") is None:
        pytest.fail(describe(found), pytrace=False)


@pytest.fixture(autouse=True)
async def ha_webhook_url(
    hass: HomeAssistant, socket_enabled: None
) -> AsyncIterator[str]:
    """Home Assistant's webhook endpoint over real HTTP on 127.0.0.1.

    RemoteLock's webhook deliveries (from the simulator) reach Home Assistant as
    they would with push enabled: ``POST /api/webhook/<id>`` goes to the webhook
    component's own handler. (Home Assistant's HTTP app itself cannot be served
    before every integration has registered its views.) It is Home Assistant's
    internal URL; tests that want no usable URL clear ``hass.config.internal_url``
    before set-up.
    """

    async def deliver(request: web.Request) -> web.StreamResponse:
        return await webhook.async_handle_webhook(
            hass, request.match_info["webhook_id"], request
        )

    app = web.Application()
    app.router.add_route("*", "/api/webhook/{webhook_id}", deliver)
    runner, url = await serve_app(app, access_log=None, shutdown_timeout=1.0)
    hass.config.internal_url = url
    yield url
    await runner.cleanup()


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Enable the entities that are disabled by default (snapshots, settings tests)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer (stable ids, states without times)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def remotelock_entry(
    hass: HomeAssistant, remotelock_sim: RunningSimulator
) -> MockConfigEntry:
    """A RemoteLock client-credentials entry aimed at the simulator."""
    return add_remotelock_entry(hass, remotelock_sim)


@pytest.fixture
def bikeep_entry(hass: HomeAssistant, bikeep_sim: RunningSimulator) -> MockConfigEntry:
    """A Bikeep entry aimed at the simulator."""
    return add_bikeep_entry(hass, bikeep_sim)


@pytest.fixture
async def remotelock_loaded(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> RunningSimulator:
    """The RemoteLock entry, set up against the simulator."""
    await setup_entry(hass, remotelock_entry)
    return remotelock_sim


@pytest.fixture
async def bikeep_loaded(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> RunningSimulator:
    """The Bikeep entry, set up, with instant device round trips."""
    await bikeep_sim.sim.control_trigger(
        "set_timing", {"latency": 0, "secure_delay": 0, "unlock_duration": 0}
    )
    await setup_entry(hass, bikeep_entry)
    bikeep_entry.runtime_data.coordinator.command_poll_interval = 0.01
    return bikeep_sim


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set ``entry`` up and wait for everything to settle."""
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
