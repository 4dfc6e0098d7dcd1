"""Tokens the vendor stops accepting: renew once, else reauthenticate or repair.

RemoteLock's public documentation answers 403 for an expired token, the usual
convention 401; the simulators can do either. A refused token that the client did not
just obtain is renewed once (for everyone waiting) and the request retried. A
rejected renewal starts reauthentication; a refusal that survives a fresh token is a
missing permission (or, with 402, lapsed API access) and raises a repair issue that
clears itself once polling works again, with no reauth and no request loop.
"""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_UNLOCK, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    config_entry_oauth2_flow,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smart_access.api.bikeep.const import (
    TOKEN_PATH as BIKEEP_TOKEN_PATH,
)
from custom_components.smart_access.api.remotelock.const import (
    TOKEN_PATH as REMOTELOCK_TOKEN_PATH,
)
from custom_components.smart_access.const import CONF_AUTH_URL, DOMAIN
from custom_components.smart_access.oauth import oauth_token_renewer, with_auth_url
from simulator.bikeep import scenario as bk
from simulator.server import RunningSimulator

from .actions import Actions, ha_device
from .entries import BIKEEP_CLIENT_ID, BIKEEP_CLIENT_SECRET
from .helpers import poll
from .test_oauth_entry import _signed_in

TOKEN_PATHS = {"remotelock": REMOTELOCK_TOKEN_PATH, "bikeep": BIKEEP_TOKEN_PATH}


def _locks(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    return [
        item.entity_id
        for item in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if item.domain == LOCK_DOMAIN
    ]


def _available(hass: HomeAssistant, entity_id: str) -> bool:
    state = hass.states.get(entity_id)
    return state is not None and state.state != STATE_UNAVAILABLE


def _reauth_flows(hass: HomeAssistant, entry: MockConfigEntry) -> list[dict[str, Any]]:
    return [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == "reauth"
        and flow["context"]["entry_id"] == entry.entry_id
    ]


@pytest.fixture(params=["remotelock", "bikeep"])
def loaded(
    request: pytest.FixtureRequest,
    remotelock_loaded: RunningSimulator,
    bikeep_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    bikeep_entry: MockConfigEntry,
) -> tuple[str, RunningSimulator, MockConfigEntry]:
    """Each vendor's client-credentials entry, loaded (both are, side by side)."""
    if request.param == "remotelock":
        return "remotelock", remotelock_loaded, remotelock_entry
    return "bikeep", bikeep_loaded, bikeep_entry


def _issued_tokens(sim: RunningSimulator) -> list[str]:
    """Every access token the simulator has handed out (none may be logged)."""
    store = getattr(sim.sim, "oauth", None)
    if store is not None:
        tokens = [token.access_token for token in store.tokens.values()]
    else:
        tokens = list(sim.sim.tokens.tokens)
    assert tokens
    return tokens


async def _trigger(sim: RunningSimulator, action: str, **params: Any) -> None:
    await sim.sim.control_trigger(action, params)


@pytest.mark.parametrize("status", [401, 403])
async def test_refused_token_is_renewed_silently(
    hass: HomeAssistant,
    loaded: tuple[str, RunningSimulator, MockConfigEntry],
    status: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Whichever status says "expired", one new token and the entities stay up."""
    vendor, sim, entry = loaded
    up = {lock for lock in _locks(hass, entry) if _available(hass, lock)}
    token_path = TOKEN_PATHS[vendor]
    before = sim.sim.requests.count("POST", token_path)
    await _trigger(sim, "auth_behaviour", expired_token_status=status)
    await _trigger(sim, "expire_tokens")
    with caplog.at_level(logging.DEBUG):
        await poll(hass, entry)
    coordinator = entry.runtime_data.coordinator
    assert coordinator.last_update_success
    assert sim.sim.requests.count("POST", token_path) == before + 1
    assert up
    assert all(_available(hass, lock) for lock in up)
    assert not _reauth_flows(hass, entry)
    assert "Traceback" not in caplog.text
    for secret in _issued_tokens(sim):
        assert secret not in caplog.text


async def test_rejected_renewal_asks_to_sign_in_again_and_reauth_restores(
    hass: HomeAssistant,
    bikeep_sim: RunningSimulator,
    bikeep_loaded: RunningSimulator,
    bikeep_entry: MockConfigEntry,
) -> None:
    """The new grant is refused too: reauth; finishing it brings the entities back."""
    up = {lock for lock in _locks(hass, bikeep_entry) if _available(hass, lock)}
    assert up
    await _trigger(bikeep_sim, "auth_behaviour", expired_token_status=403)
    await _trigger(bikeep_sim, "expire_tokens")
    bikeep_sim.sim.faults.add("unauthorized", count=1, path=BIKEEP_TOKEN_PATH)
    await poll(hass, bikeep_entry)
    assert not bikeep_entry.runtime_data.coordinator.last_update_success
    assert not any(_available(hass, lock) for lock in up)
    [flow] = _reauth_flows(hass, bikeep_entry)
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"],
        {"client_id": BIKEEP_CLIENT_ID, "client_secret": BIKEEP_CLIENT_SECRET},
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert bikeep_entry.runtime_data.coordinator.last_update_success
    assert all(_available(hass, lock) for lock in up)


@pytest.mark.usefixtures("current_request_with_host")
@pytest.mark.parametrize("status", [401, 403])
async def test_signed_in_entry_refreshes_a_refused_token(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
    status: int,
) -> None:
    """A sign-in entry refreshes through Home Assistant's OAuth session, once."""
    entry = await _signed_in(hass, hass_client_no_auth, remotelock_sim)
    old = entry.data["token"]["access_token"]
    before = remotelock_sim.sim.requests.count("POST", REMOTELOCK_TOKEN_PATH)
    await _trigger(remotelock_sim, "auth_behaviour", expired_token_status=status)
    await _trigger(remotelock_sim, "expire_tokens")
    await poll(hass, entry)
    assert entry.runtime_data.coordinator.last_update_success
    assert entry.data["token"]["access_token"] != old
    assert entry.data["token"]["expires_at"] > 0
    assert (
        remotelock_sim.sim.requests.count("POST", REMOTELOCK_TOKEN_PATH) == before + 1
    )
    assert not _reauth_flows(hass, entry)


@pytest.mark.usefixtures("current_request_with_host")
async def test_late_refusal_of_a_replaced_token_keeps_the_new_one(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
) -> None:
    """An answer refusing an old token arrives after a renewal: nothing is renewed.

    Renewing again would rotate the refresh token for nothing and, worse, throw the
    good new access token away.
    """
    entry = await _signed_in(hass, hass_client_no_auth, remotelock_sim)
    old = entry.data["token"]["access_token"]
    await _trigger(remotelock_sim, "expire_tokens")
    await poll(hass, entry)
    current = dict(entry.data["token"])
    assert current["access_token"] != old
    implementation = (
        await config_entry_oauth2_flow.async_get_config_entry_implementation(
            hass, entry
        )
    )
    implementation = with_auth_url(hass, implementation, entry.data[CONF_AUTH_URL])
    renew = oauth_token_renewer(
        hass, config_entry_oauth2_flow.OAuth2Session(hass, entry, implementation)
    )
    before = remotelock_sim.sim.requests.count("POST", REMOTELOCK_TOKEN_PATH)
    assert await renew(old) == current["access_token"]
    assert entry.data["token"] == current
    assert remotelock_sim.sim.requests.count("POST", REMOTELOCK_TOKEN_PATH) == before
    # The current token refused: that one is renewed.
    renewed = await renew(current["access_token"])
    assert renewed != current["access_token"]
    assert entry.data["token"]["access_token"] == renewed
    assert (
        remotelock_sim.sim.requests.count("POST", REMOTELOCK_TOKEN_PATH) == before + 1
    )


@pytest.mark.usefixtures("current_request_with_host")
async def test_signed_in_entry_with_revoked_refresh_token_asks_again(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
) -> None:
    """403 for the access token, then the refresh token is refused: reauth."""
    entry = await _signed_in(hass, hass_client_no_auth, remotelock_sim)
    remotelock_sim.sim.oauth.refresh_tokens[
        entry.data["token"]["refresh_token"]
    ].revoked = True
    await _trigger(remotelock_sim, "auth_behaviour", expired_token_status=403)
    await _trigger(remotelock_sim, "expire_tokens")
    await poll(hass, entry)
    assert not entry.runtime_data.coordinator.last_update_success
    assert len(_reauth_flows(hass, entry)) == 1


@pytest.mark.parametrize(
    ("behaviour", "kind"),
    [
        ({"forbidden_paths": ["/devices", "/location/"]}, "forbidden"),
        ({"payment_required": True}, "payment_required"),
    ],
)
async def test_refusal_after_renewal_raises_a_repair_issue(
    hass: HomeAssistant,
    loaded: tuple[str, RunningSimulator, MockConfigEntry],
    behaviour: dict[str, Any],
    kind: str,
) -> None:
    """No reauth, no loop: a repair issue that names the refusal, gone once it works."""
    vendor, sim, entry = loaded
    up = {lock for lock in _locks(hass, entry) if _available(hass, lock)}
    await _trigger(sim, "auth_behaviour", **behaviour)
    sim.sim.requests.clear()
    await poll(hass, entry)
    coordinator = entry.runtime_data.coordinator
    assert not coordinator.last_update_success
    assert not _reauth_flows(hass, entry)
    # A 403: the refused request, one renewal, one retry, then it stops; a 402 is
    # not about the token, so nothing is renewed.
    renewals = 1 if kind == "forbidden" else 0
    assert sim.sim.requests.count("POST", TOKEN_PATHS[vendor]) == renewals
    assert len(sim.sim.requests.entries) == 2 * renewals + 1
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"{kind}_{entry.entry_id}")
    assert issue is not None
    assert issue.translation_key == kind
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["title"] == entry.title
    assert up
    assert not any(_available(hass, lock) for lock in up)

    await _trigger(sim, "auth_behaviour", forbidden_paths=[], payment_required=False)
    await poll(hass, entry)
    assert coordinator.last_update_success
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, f"{kind}_{entry.entry_id}") is None
    )
    assert all(_available(hass, lock) for lock in up)


async def test_resource_refused_after_renewal_is_not_renewed_every_poll(
    hass: HomeAssistant, loaded: tuple[str, RunningSimulator, MockConfigEntry]
) -> None:
    """A 403 a new token did not cure renews nothing on the next polls.

    Between the polls the vendor serves another request with the new token, so it
    counts as accepted (no longer just obtained): the first poll renews once, the
    next ones send the refused request once and no token request.
    """
    vendor, sim, entry = loaded
    refused_path = "/devices" if vendor == "remotelock" else "/device/v1/locations/"
    client = entry.runtime_data.coordinator.client
    if vendor == "bikeep":
        # A station's device list is read when its counts changed: take a free
        # locker and a free dock, so that every poll has to read both stations.
        for device_id in (bk.LOCKER_1, bk.DOCK_1):
            await _trigger(sim, "set_state", device_id=device_id, state="LOCKED")
    await _trigger(sim, "auth_behaviour", forbidden_paths=[refused_path])
    sim.sim.requests.clear()
    for _ in range(4):
        await poll(hass, entry)
        assert not entry.runtime_data.coordinator.last_update_success
        await client.async_list_locations()
    assert sim.sim.requests.count("POST", TOKEN_PATHS[vendor]) == 1
    refused = sim.sim.requests.count("GET", refused_path)
    # Each refused request of the first poll is retried once; later ones are not.
    per_poll = refused // 5
    assert per_poll >= 1
    assert refused == 5 * per_poll
    assert not _reauth_flows(hass, entry)
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"forbidden_{entry.entry_id}")

    await _trigger(sim, "auth_behaviour", forbidden_paths=[])
    await poll(hass, entry)
    assert entry.runtime_data.coordinator.last_update_success
    assert sim.sim.requests.count("POST", TOKEN_PATHS[vendor]) == 1
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, f"forbidden_{entry.entry_id}")
        is None
    )


async def test_removing_an_entry_removes_its_repair_issues(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    bikeep_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
    bikeep_entry: MockConfigEntry,
) -> None:
    """An issue about a deleted account would be one nobody can fix or clear."""
    for sim, entry in (
        (remotelock_loaded, remotelock_entry),
        (bikeep_loaded, bikeep_entry),
    ):
        await _trigger(sim, "auth_behaviour", payment_required=True)
        await poll(hass, entry)
    registry = ir.async_get(hass)
    assert registry.async_get_issue(
        DOMAIN, f"payment_required_{remotelock_entry.entry_id}"
    )
    assert await hass.config_entries.async_remove(remotelock_entry.entry_id)
    await hass.async_block_till_done()
    assert (
        registry.async_get_issue(
            DOMAIN, f"payment_required_{remotelock_entry.entry_id}"
        )
        is None
    )
    # The other account's issue stays until its own account works again.
    assert registry.async_get_issue(DOMAIN, f"payment_required_{bikeep_entry.entry_id}")


async def test_auth_failure_during_a_command_starts_reauth(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """Not only polling: a lock command that meets rejected credentials asks too."""
    lock = _locks(hass, remotelock_entry)[0]
    await _trigger(remotelock_loaded, "expire_tokens")
    remotelock_loaded.sim.faults.add(
        "unauthorized", count=1, path=REMOTELOCK_TOKEN_PATH
    )
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            LOCK_DOMAIN, SERVICE_UNLOCK, {ATTR_ENTITY_ID: lock}, blocking=True
        )
    assert err.value.translation_key == "command_auth_failed"
    await hass.async_block_till_done()
    assert len(_reauth_flows(hass, remotelock_entry)) == 1


async def test_auth_failure_during_an_action_starts_reauth(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """An action that meets rejected credentials asks to sign in again."""
    await _trigger(remotelock_loaded, "expire_tokens")
    remotelock_loaded.sim.faults.add(
        "unauthorized", count=1, path=REMOTELOCK_TOKEN_PATH
    )
    err = await Actions(hass, remotelock_entry.entry_id).refused(
        "list_access_persons", error=HomeAssistantError
    )
    assert err.translation_key == "command_auth_failed"
    await hass.async_block_till_done()
    assert len(_reauth_flows(hass, remotelock_entry)) == 1


async def test_lapsed_api_access_during_a_command_says_so(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """A 402 during a command has its own message and starts no reauth."""
    lock = _locks(hass, remotelock_entry)[0]
    await _trigger(remotelock_loaded, "auth_behaviour", payment_required=True)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            LOCK_DOMAIN, SERVICE_UNLOCK, {ATTR_ENTITY_ID: lock}, blocking=True
        )
    assert err.value.translation_key == "command_payment_required"
    assert not _reauth_flows(hass, remotelock_entry)


async def test_auth_failure_during_a_device_action_starts_reauth(
    hass: HomeAssistant,
    bikeep_loaded: RunningSimulator,
    bikeep_entry: MockConfigEntry,
) -> None:
    """An action on a device finds its entry and asks to sign in again."""
    await _trigger(bikeep_loaded, "expire_tokens")
    bikeep_loaded.sim.faults.add("unauthorized", count=1, path=BIKEEP_TOKEN_PATH)
    err = await Actions(hass).refused(
        "list_rfid_cards",
        error=HomeAssistantError,
        device_id=ha_device(hass, bk.LOCKERS_LOCATION_ID),
    )
    assert err.translation_key == "command_auth_failed"
    await hass.async_block_till_done()
    assert len(_reauth_flows(hass, bikeep_entry)) == 1
