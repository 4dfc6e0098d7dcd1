"""RemoteLock push through an HA Cloud cloudhook.

Home Assistant's cloud integration cannot run here (it talks to Nabu Casa and needs
packages the test environment does not install), so a stand-in module with the
same functions takes its place in ``sys.modules``. Its cloudhook URL points at the
test's webhook endpoint on 127.0.0.1, so deliveries still travel over real HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from enum import Enum
import json
import sys
import types

from homeassistant import components
from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smart_access.const import (
    CONF_CLOUDHOOK_URL,
    CONF_WEBHOOK_SECRET,
    DOMAIN,
)
from simulator.server import RunningSimulator

from .conftest import setup_entry
from .helpers import state_of
from .test_push import _delivered, _device, _person, _sim, _webhook_subscribers


class CloudConnectionState(Enum):
    """As ``homeassistant.components.cloud.CloudConnectionState``."""

    CLOUD_CONNECTED = "cloud_connected"
    CLOUD_DISCONNECTED = "cloud_disconnected"


class CloudNotAvailable(HomeAssistantError):  # noqa: N818  (the real name)
    """As the cloud integration's error."""


class CloudNotConnected(CloudNotAvailable):
    """As the cloud integration's error."""


class FakeCloud:
    """A logged-in HA Cloud account, connected or not."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.connected = True
        self.hooks: dict[str, str] = {}
        self.listeners: list[Callable[[CloudConnectionState], None]] = []

    def module(self) -> types.ModuleType:
        module = types.ModuleType("homeassistant.components.cloud")
        module.CloudConnectionState = CloudConnectionState  # type: ignore[attr-defined]
        module.CloudNotAvailable = CloudNotAvailable  # type: ignore[attr-defined]
        module.CloudNotConnected = CloudNotConnected  # type: ignore[attr-defined]
        module.async_active_subscription = lambda hass: True  # type: ignore[attr-defined]
        module.async_get_or_create_cloudhook = self.get_or_create  # type: ignore[attr-defined]
        module.async_delete_cloudhook = self.delete  # type: ignore[attr-defined]
        module.async_listen_connection_change = self.listen  # type: ignore[attr-defined]
        return module

    async def get_or_create(self, hass: HomeAssistant, webhook_id: str) -> str:
        if not self.connected:
            raise CloudNotConnected
        return self.hooks.setdefault(
            webhook_id, f"{self.base_url}/api/webhook/{webhook_id}"
        )

    async def delete(self, hass: HomeAssistant, webhook_id: str) -> None:
        if webhook_id not in self.hooks:
            raise ValueError("Hook is not registered")
        del self.hooks[webhook_id]

    def listen(
        self, hass: HomeAssistant, target: Callable[[CloudConnectionState], None]
    ) -> Callable[[], None]:
        self.listeners.append(target)
        return lambda: self.listeners.remove(target)

    def connect(self) -> None:
        self.connected = True
        for listener in list(self.listeners):
            listener(CloudConnectionState.CLOUD_CONNECTED)


@pytest.fixture
async def cloud(
    hass: HomeAssistant, ha_webhook_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FakeCloud]:
    """HA Cloud loaded; Home Assistant has no URL of its own (nor a local address)."""
    fake = FakeCloud(ha_webhook_url)
    module = fake.module()
    monkeypatch.setitem(sys.modules, "homeassistant.components.cloud", module)
    monkeypatch.setattr(components, "cloud", module, raising=False)
    hass.config.components.add("cloud")
    hass.config.internal_url = None
    # http would give Home Assistant its local address once it is set up.
    assert await async_setup_component(hass, "http", {})
    monkeypatch.setattr(hass.config, "api", None)
    yield fake
    hass.config.components.remove("cloud")


async def test_push_uses_the_cloudhook(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    cloud: FakeCloud,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """With HA Cloud the subscriber gets the cloudhook; a keypad unlock comes through."""
    await setup_entry(hass, remotelock_entry)
    webhook_id = remotelock_entry.data[CONF_WEBHOOK_ID]
    hook = cloud.hooks[webhook_id]
    assert remotelock_entry.data[CONF_CLOUDHOOK_URL] == hook
    assert [s["attributes"]["url"] for s in _webhook_subscribers(remotelock_sim)] == [
        hook
    ]
    assert remotelock_entry.runtime_data.coordinator.push_healthy

    lock = _device(remotelock_sim, "lock")
    person = _person(remotelock_sim)
    await _sim(remotelock_sim).control_trigger(
        "keypad_unlock", {"device_id": lock["id"], "access_person_id": person["id"]}
    )
    await _delivered(hass, remotelock_sim)
    assert state_of(hass, LOCK_DOMAIN, f"{lock['id']}_lock").state == "unlocked"

    # Diagnostics say a cloudhook is used, and show neither it nor the webhook id.
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, remotelock_entry
    )
    push = diagnostics["data"]["push"]
    assert push["url_source"] == "cloudhook"
    assert push["healthy"] is True
    assert push["deliveries"] >= 1
    text = json.dumps(diagnostics)
    assert webhook_id not in text
    assert hook not in text
    assert remotelock_entry.data[CONF_WEBHOOK_SECRET] not in text

    # Removing the account deletes its cloudhook too.
    assert await hass.config_entries.async_remove(remotelock_entry.entry_id)
    await hass.async_block_till_done()
    assert cloud.hooks == {}
    assert _webhook_subscribers(remotelock_sim) == []


async def test_push_starts_when_the_cloud_connects(
    hass: HomeAssistant,
    cloud: FakeCloud,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """Cloud not connected at start: polling and the repair, then push at once."""
    cloud.connected = False
    await setup_entry(hass, remotelock_entry)
    issue_id = f"push_needs_https_{remotelock_entry.entry_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    assert _webhook_subscribers(remotelock_sim) == []
    assert not remotelock_entry.runtime_data.coordinator.push_healthy

    cloud.connect()
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    webhook_id = remotelock_entry.data[CONF_WEBHOOK_ID]
    assert [s["attributes"]["url"] for s in _webhook_subscribers(remotelock_sim)] == [
        cloud.hooks[webhook_id]
    ]
    assert remotelock_entry.runtime_data.coordinator.push_healthy

    # Unloading stops listening for the cloud.
    assert await hass.config_entries.async_unload(remotelock_entry.entry_id)
    assert cloud.listeners == []


async def test_a_vanished_cloudhook_is_not_fatal_on_removal(
    hass: HomeAssistant,
    cloud: FakeCloud,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """The cloudhook already gone at Nabu Casa: removal still completes."""
    await setup_entry(hass, remotelock_entry)
    cloud.hooks.clear()
    assert await hass.config_entries.async_remove(remotelock_entry.entry_id)
    await hass.async_block_till_done()
    assert _webhook_subscribers(remotelock_sim) == []
