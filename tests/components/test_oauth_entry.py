"""A RemoteLock entry made by signing in: tokens refresh, and a dead sign-in asks again.

Home Assistant reports a failed OAuth refresh with its token request errors; the
integration maps OAuth2TokenRequestReauthError (revoked or rotated-away refresh token)
to reauthentication and anything else to a connection problem that polling retries.
"""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_entry_oauth2_flow, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smart_access.const import CONF_AUTH_URL
from simulator.server import RunningSimulator

from .helpers import poll
from .test_config_flow import _oauth_flow

pytestmark = pytest.mark.usefixtures("current_request_with_host")


async def _signed_in(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    sim: RunningSimulator,
) -> Any:
    """Sign in through the simulator's page; return the loaded entry."""
    result = await _oauth_flow(hass, hass_client_no_auth, sim)
    entry = result["result"]
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


def _expire_token(hass: HomeAssistant, entry: Any) -> None:
    token = dict(entry.data["token"])
    token["expires_at"] = 0
    hass.config_entries.async_update_entry(entry, data={**entry.data, "token": token})


def _a_lock(hass: HomeAssistant, entry: Any) -> str:
    return next(
        item.entity_id
        for item in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if item.domain == "lock"
    )


async def test_signed_in_entry_refreshes_its_token(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
) -> None:
    """An expired access token is refreshed with the stored refresh token."""
    entry = await _signed_in(hass, hass_client_no_auth, remotelock_sim)
    old_refresh = entry.data["token"]["refresh_token"]
    _expire_token(hass, entry)
    await poll(hass, entry)
    assert entry.runtime_data.coordinator.last_update_success
    assert entry.data["token"]["refresh_token"] != old_refresh  # rotated
    assert remotelock_sim.sim.requests.count("POST", "/oauth/token") >= 1
    state = hass.states.get(_a_lock(hass, entry))
    assert state is not None
    assert state.state != STATE_UNAVAILABLE


async def test_revoked_sign_in_asks_to_sign_in_again(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
) -> None:
    """A refresh token the service revoked (400 invalid_grant) starts reauth."""
    entry = await _signed_in(hass, hass_client_no_auth, remotelock_sim)
    refresh = entry.data["token"]["refresh_token"]
    remotelock_sim.sim.oauth.refresh_tokens[refresh].revoked = True
    _expire_token(hass, entry)
    await poll(hass, entry)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert flows[0]["context"]["entry_id"] == entry.entry_id


async def test_refresh_trouble_is_a_connection_problem(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
) -> None:
    """A 5xx from the token endpoint: unavailable, retried, no reauth."""
    entry = await _signed_in(hass, hass_client_no_auth, remotelock_sim)
    _expire_token(hass, entry)
    remotelock_sim.sim.faults.add("server_error", count=1, path="/oauth/token")
    await poll(hass, entry)
    assert not entry.runtime_data.coordinator.last_update_success
    assert hass.states.get(_a_lock(hass, entry)).state == STATE_UNAVAILABLE
    assert not hass.config_entries.flow.async_progress()
    await poll(hass, entry)
    assert entry.runtime_data.coordinator.last_update_success


async def test_missing_application_credentials_is_a_clear_error(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
) -> None:
    """A removed application credential asks the user to sign in again."""
    entry = await _signed_in(hass, hass_client_no_auth, remotelock_sim)
    assert await hass.config_entries.async_unload(entry.entry_id)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "auth_implementation": "gone"}
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.error_reason_translation_key == "oauth_implementation_unavailable"
    flows = hass.config_entries.flow.async_progress_by_handler("smart_access")
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert flows[0]["context"]["entry_id"] == entry.entry_id


async def test_unavailable_credential_provider_retries_set_up(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
) -> None:
    """A credential provider that is down (e.g. HA Cloud) retries set-up, no reauth."""
    entry = await _signed_in(hass, hass_client_no_auth, remotelock_sim)
    assert await hass.config_entries.async_unload(entry.entry_id)
    with patch(
        "homeassistant.helpers.config_entry_oauth2_flow."
        "async_get_config_entry_implementation",
        side_effect=config_entry_oauth2_flow.ImplementationUnavailableError(),
    ):
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "oauth_implementation_not_ready"
    assert not hass.config_entries.flow.async_progress()


async def test_unreachable_token_endpoint_retries_set_up(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
) -> None:
    """No answer at all from the sign-in service: set-up is retried, no reauth."""
    entry = await _signed_in(hass, hass_client_no_auth, remotelock_sim)
    assert await hass.config_entries.async_unload(entry.entry_id)
    _expire_token(hass, entry)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_AUTH_URL: "http://127.0.0.1:9"}
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert not hass.config_entries.flow.async_progress()
