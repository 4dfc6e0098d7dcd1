"""Config flow: menu, both client-credential paths, RemoteLock sign-in, reauth, reconfigure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlparse

import aiohttp
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, section
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smart_access.client_factory import default_urls
from custom_components.smart_access.config_flow import (
    SECTION_CONNECTION,
    _url_overrides,
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
from simulator.server import RunningSimulator

from .conftest import (
    BIKEEP_CLIENT_ID,
    BIKEEP_CLIENT_SECRET,
    REMOTELOCK_CLIENT_ID,
    REMOTELOCK_CLIENT_SECRET,
    remotelock_account_id,
)


async def _start(hass: HomeAssistant, option: str) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == [
        "remotelock_oauth",
        "remotelock_client_credentials",
        "bikeep",
    ]
    return dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {"next_step_id": option}
        )
    )


def _urls(api_url: str, auth_url: str | None = None) -> dict[str, dict[str, str]]:
    """The collapsed connection section, as the frontend sends it."""
    return {
        SECTION_CONNECTION: {CONF_API_URL: api_url, CONF_AUTH_URL: auth_url or api_url}
    }


def _creds(sim: RunningSimulator, client_id: str, secret: str) -> dict[str, Any]:
    return {CONF_CLIENT_ID: client_id, CONF_CLIENT_SECRET: secret, **_urls(sim.url)}


def _section(result: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the connection section's options and its fields' defaults."""
    schema = result["data_schema"].schema
    (key,) = (key for key in schema if key == SECTION_CONNECTION)
    connection = schema[key]
    assert isinstance(connection, section)
    defaults = {str(field): field.default() for field in connection.schema.schema}
    return dict(connection.options), defaults


async def test_remotelock_client_credentials(
    hass: HomeAssistant, remotelock_sim: RunningSimulator
) -> None:
    """Wrong secret shows invalid_auth; the right one creates the entry."""
    result = await _start(hass, "remotelock_client_credentials")
    assert result["type"] is FlowResultType.FORM
    assert set(result["data_schema"].schema) == {
        CONF_CLIENT_ID,
        CONF_CLIENT_SECRET,
        SECTION_CONNECTION,
    }

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _creds(remotelock_sim, REMOTELOCK_CLIENT_ID, "wrong")
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    # The form comes back with the URLs the user typed, not the vendor's.
    _, defaults = _section(result)
    assert defaults == {
        CONF_API_URL: remotelock_sim.url,
        CONF_AUTH_URL: remotelock_sim.url,
    }

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _creds(remotelock_sim, REMOTELOCK_CLIENT_ID, REMOTELOCK_CLIENT_SECRET),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert (
        result["result"].unique_id
        == f"remotelock_{remotelock_account_id(remotelock_sim)}"
    )
    assert result["data"][CONF_VENDOR] == Vendor.REMOTELOCK
    assert result["data"][CONF_AUTH_TYPE] == AuthType.CLIENT_CREDENTIALS
    assert result["data"][CONF_API_URL] == remotelock_sim.url


@pytest.mark.parametrize(
    ("option", "api_url", "auth_url"),
    [
        ("bikeep", "https://services.bikeep.com", "https://auth.bikeep.com"),
        (
            "remotelock_client_credentials",
            "https://api.remotelock.com",
            "https://connect.remotelock.com",
        ),
        (
            "remotelock_oauth",
            "https://api.remotelock.com",
            "https://connect.remotelock.com",
        ),
    ],
)
async def test_urls_in_collapsed_section(
    hass: HomeAssistant, option: str, api_url: str, auth_url: str
) -> None:
    """Every set-up form shows the credentials only; the URLs wait, collapsed."""
    result = await _start(hass, option)
    fields = set(result["data_schema"].schema)
    assert CONF_API_URL not in fields
    assert CONF_AUTH_URL not in fields
    options, defaults = _section(result)
    assert options == {"collapsed": True}
    assert defaults == {CONF_API_URL: api_url, CONF_AUTH_URL: auth_url}


async def test_url_overrides_trimmed(
    hass: HomeAssistant, bikeep_sim: RunningSimulator
) -> None:
    """URLs typed with spaces or a trailing / are stored without them."""
    result = await _start(hass, "bikeep")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_CLIENT_ID: BIKEEP_CLIENT_ID,
            CONF_CLIENT_SECRET: BIKEEP_CLIENT_SECRET,
            **_urls(f" {bikeep_sim.url}/", f"{bikeep_sim.url}/"),
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_API_URL] == bikeep_sim.url
    assert result["data"][CONF_AUTH_URL] == bikeep_sim.url


@pytest.mark.parametrize("vendor", list(Vendor))
def test_vendor_urls_are_not_stored(vendor: Vendor) -> None:
    """The vendor's own URLs are no override: entries follow the defaults."""
    api_url, auth_url = default_urls(vendor)
    connection = {CONF_API_URL: f"{api_url}/", CONF_AUTH_URL: auth_url}
    assert _url_overrides(vendor, connection) == {}
    connection[CONF_AUTH_URL] = "http://127.0.0.1:8080"
    assert _url_overrides(vendor, connection) == {
        CONF_AUTH_URL: "http://127.0.0.1:8080"
    }


async def test_refused_api_access_is_named(
    hass: HomeAssistant, remotelock_sim: RunningSimulator
) -> None:
    """Credentials the token endpoint accepts but the API refuses, or a lapsed account."""
    result = await _start(hass, "remotelock_client_credentials")
    creds = _creds(remotelock_sim, REMOTELOCK_CLIENT_ID, REMOTELOCK_CLIENT_SECRET)
    sim = remotelock_sim.sim
    for behaviour, error in (
        ({"forbidden_paths": ["/account"]}, "forbidden"),
        ({"forbidden_paths": [], "payment_required": True}, "payment_required"),
    ):
        await sim.control_trigger("auth_behaviour", behaviour)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], creds
        )
        assert result["errors"] == {"base": error}
    await sim.control_trigger("auth_behaviour", {"payment_required": False})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], creds)
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"kind": "server_error", "count": 1}, "cannot_connect"),
        ({"kind": "malformed", "count": 1}, "unknown"),
    ],
)
async def test_remotelock_client_credentials_errors_recover(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    fault: dict[str, Any],
    error: str,
) -> None:
    """Each connection problem shows its error; the next try succeeds."""
    remotelock_sim.sim.faults.add(**fault)
    result = await _start(hass, "remotelock_client_credentials")
    creds = _creds(remotelock_sim, REMOTELOCK_CLIENT_ID, REMOTELOCK_CLIENT_SECRET)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], creds)
    assert result["errors"] == {"base": error}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], creds)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_unreachable_service(hass: HomeAssistant, socket_enabled: None) -> None:
    """A port nobody listens on is cannot_connect."""
    result = await _start(hass, "bikeep")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_CLIENT_ID: "x", CONF_CLIENT_SECRET: "y", **_urls("http://127.0.0.1:9")},
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_bikeep_and_duplicate(
    hass: HomeAssistant, bikeep_sim: RunningSimulator
) -> None:
    """Bikeep creates an entry; the same client again aborts."""
    for expected in (FlowResultType.CREATE_ENTRY, FlowResultType.ABORT):
        result = await _start(hass, "bikeep")
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            _creds(bikeep_sim, BIKEEP_CLIENT_ID, BIKEEP_CLIENT_SECRET),
        )
        assert result["type"] is expected
    assert result["reason"] == "already_configured"
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.unique_id == f"bikeep_{BIKEEP_CLIENT_ID}"
    assert entry.data[CONF_VENDOR] == Vendor.BIKEEP


async def test_bikeep_invalid_auth(
    hass: HomeAssistant, bikeep_sim: RunningSimulator
) -> None:
    """A wrong Bikeep secret shows invalid_auth."""
    result = await _start(hass, "bikeep")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _creds(bikeep_sim, BIKEEP_CLIENT_ID, "nope")
    )
    assert result["errors"] == {"base": "invalid_auth"}


async def _sign_in(sim: RunningSimulator, authorize_url: str) -> dict[str, list[str]]:
    """Play the user in the simulator's sign-in page; return the redirect's query."""
    query = parse_qs(urlparse(authorize_url).query)
    form = {key: values[0] for key, values in query.items()}
    form.update({"email": "demo@example.com", "password": "demo"})
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{sim.url}/oauth/authorize", data=form, allow_redirects=False
        ) as resp,
    ):
        assert resp.status == 302
        return parse_qs(urlparse(resp.headers["Location"]).query)


async def _oauth_flow(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    sim: RunningSimulator,
) -> dict[str, Any]:
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass,
        DOMAIN,
        ClientCredential(REMOTELOCK_CLIENT_ID, REMOTELOCK_CLIENT_SECRET),
        "remotelock",
    )
    result = await _start(hass, "remotelock_oauth")
    assert result["step_id"] == "remotelock_oauth"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _urls(sim.url)
    )
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    assert result["url"].startswith(f"{sim.url}/oauth/authorize?")
    redirect = await _sign_in(sim, result["url"])
    client = await hass_client_no_auth()
    resp = await client.get(
        f"/auth/external/callback?code={redirect['code'][0]}&state={redirect['state'][0]}"
    )
    assert resp.status == 200
    return dict(await hass.config_entries.flow.async_configure(result["flow_id"]))


@pytest.mark.usefixtures("current_request_with_host")
async def test_remotelock_oauth(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
) -> None:
    """Sign in through the simulator's page; the entry keeps the token pair."""
    result = await _oauth_flow(hass, hass_client_no_auth, remotelock_sim)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    data = result["data"]
    assert data[CONF_AUTH_TYPE] == AuthType.OAUTH
    assert data["auth_implementation"] == "remotelock"
    assert data["token"]["refresh_token"]
    assert data[CONF_AUTH_URL] == remotelock_sim.url
    assert (
        result["result"].unique_id
        == f"remotelock_{remotelock_account_id(remotelock_sim)}"
    )


@pytest.mark.usefixtures("current_request_with_host")
async def test_remotelock_oauth_duplicate(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """Signing in to an account that is already configured aborts."""
    result = await _oauth_flow(hass, hass_client_no_auth, remotelock_sim)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth_client_credentials(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """A new secret is checked and stored."""
    result = await bikeep_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    assert set(result["data_schema"].schema) == {CONF_CLIENT_ID, CONF_CLIENT_SECRET}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_CLIENT_ID: BIKEEP_CLIENT_ID, CONF_CLIENT_SECRET: "bad"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_CLIENT_ID: BIKEEP_CLIENT_ID, CONF_CLIENT_SECRET: BIKEEP_CLIENT_SECRET},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"


async def test_reconfigure_wrong_account(
    hass: HomeAssistant, bikeep_sim: RunningSimulator, bikeep_entry: MockConfigEntry
) -> None:
    """Credentials of another account abort the reconfiguration."""
    other = bikeep_sim.sim.dump_state()
    others = [client for client in _clients(other) if client[0] != BIKEEP_CLIENT_ID]
    if not others:
        pytest.skip("default Bikeep scenario has a single operator")
    result = await bikeep_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _creds(bikeep_sim, *others[0])
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"


def _clients(state: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (client["client_id"], client["client_secret"])
        for operator in state.get("operators", [])
        for client in operator.get("clients", [operator])
        if "client_id" in client and "client_secret" in client
    ]


async def test_reconfigure(
    hass: HomeAssistant,
    remotelock_sim: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> None:
    """The same account with (re-entered) credentials updates the entry."""
    result = await remotelock_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    options, defaults = _section(result)
    assert options == {"collapsed": True}
    assert defaults == {
        CONF_API_URL: remotelock_sim.url,
        CONF_AUTH_URL: remotelock_sim.url,
    }
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _creds(remotelock_sim, REMOTELOCK_CLIENT_ID, REMOTELOCK_CLIENT_SECRET),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def _finish_sign_in(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    sim: RunningSimulator,
    result: dict[str, Any],
) -> dict[str, Any]:
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    redirect = await _sign_in(sim, result["url"])
    client = await hass_client_no_auth()
    await client.get(
        f"/auth/external/callback?code={redirect['code'][0]}&state={redirect['state'][0]}"
    )
    return dict(await hass.config_entries.flow.async_configure(result["flow_id"]))


@pytest.fixture
async def oauth_entry(
    hass: HomeAssistant, remotelock_sim: RunningSimulator
) -> MockConfigEntry:
    """A RemoteLock sign-in entry for the simulated account."""
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass,
        DOMAIN,
        ClientCredential(REMOTELOCK_CLIENT_ID, REMOTELOCK_CLIENT_SECRET),
        "remotelock",
    )
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"remotelock_{remotelock_account_id(remotelock_sim)}",
        data={
            "auth_implementation": "remotelock",
            "token": {"access_token": "old", "refresh_token": "old", "expires_at": 0},
            CONF_VENDOR: Vendor.REMOTELOCK,
            CONF_AUTH_TYPE: AuthType.OAUTH,
            CONF_API_URL: remotelock_sim.url,
            CONF_AUTH_URL: remotelock_sim.url,
        },
    )
    entry.add_to_hass(hass)
    return entry


@pytest.mark.usefixtures("current_request_with_host")
@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
async def test_oauth_sign_in_again(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
    oauth_entry: MockConfigEntry,
    source: str,
) -> None:
    """Reauth and reconfigure of a sign-in entry sign in again and store the new pair."""
    if source == "reauth":
        result = await oauth_entry.start_reauth_flow(hass)
        assert result["step_id"] == "reauth_confirm"
        user_input: dict[str, Any] = {}
    else:
        result = await oauth_entry.start_reconfigure_flow(hass)
        assert result["step_id"] == "reconfigure"
        user_input = _urls(remotelock_sim.url)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )
    result = await _finish_sign_in(hass, hass_client_no_auth, remotelock_sim, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == f"{source}_successful"
    assert oauth_entry.data["token"]["access_token"] != "old"
    assert oauth_entry.data[CONF_API_URL] == remotelock_sim.url
    assert oauth_entry.data[CONF_AUTH_URL] == remotelock_sim.url


@pytest.mark.usefixtures("current_request_with_host")
@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        ({"forbidden_paths": ["/account"]}, "forbidden"),
        ({"payment_required": True}, "payment_required"),
    ],
)
async def test_oauth_refused_api_access_aborts(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
    behaviour: dict[str, Any],
    reason: str,
) -> None:
    """A sign-in whose account the API refuses says why."""
    await remotelock_sim.sim.control_trigger("auth_behaviour", behaviour)
    result = await _oauth_flow(hass, hass_client_no_auth, remotelock_sim)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason


@pytest.mark.usefixtures("current_request_with_host")
@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("unauthorized", "invalid_auth"),
        ("server_error", "cannot_connect"),
        ("malformed", "unknown"),
    ],
)
async def test_oauth_account_check_fails(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    remotelock_sim: RunningSimulator,
    kind: str,
    reason: str,
) -> None:
    """The new token is tried with GET /account; each failure aborts with its reason."""
    remotelock_sim.sim.faults.add(kind, count=1, path="/account")
    result = await _oauth_flow(hass, hass_client_no_auth, remotelock_sim)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
