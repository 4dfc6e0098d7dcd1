"""Build vendor clients from config-entry data (shared by the flow and set-up)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET

from .api.auth import CallbackTokenSource, ClientCredentialsTokenSource, TokenSource
from .api.bikeep import BikeepClient
from .api.bikeep.const import (
    DEFAULT_API_URL as BIKEEP_API_URL,
    DEFAULT_AUTH_URL as BIKEEP_AUTH_URL,
    TOKEN_PATH as BIKEEP_TOKEN_PATH,
)
from .api.remotelock import RemoteLockClient
from .api.remotelock.const import (
    DEFAULT_API_URL as REMOTELOCK_API_URL,
    DEFAULT_OAUTH_URL as REMOTELOCK_OAUTH_URL,
    TOKEN_PATH as REMOTELOCK_TOKEN_PATH,
)
from .api.remotelock.models import Account
from .const import CONF_API_URL, CONF_AUTH_URL, Vendor


def default_urls(vendor: Vendor) -> tuple[str, str]:
    """Return the production API and auth base URLs of ``vendor``."""
    if vendor is Vendor.BIKEEP:
        return BIKEEP_API_URL, BIKEEP_AUTH_URL
    return REMOTELOCK_API_URL, REMOTELOCK_OAUTH_URL


def _urls(vendor: Vendor, data: Mapping[str, Any]) -> tuple[str, str]:
    api_default, auth_default = default_urls(vendor)
    return (
        str(data.get(CONF_API_URL) or api_default).rstrip("/"),
        str(data.get(CONF_AUTH_URL) or auth_default).rstrip("/"),
    )


def client_credentials_source(
    session: aiohttp.ClientSession, vendor: Vendor, data: Mapping[str, Any]
) -> ClientCredentialsTokenSource:
    """Return a client-credentials token source for ``vendor``."""
    _, auth_url = _urls(vendor, data)
    path = BIKEEP_TOKEN_PATH if vendor is Vendor.BIKEEP else REMOTELOCK_TOKEN_PATH
    return ClientCredentialsTokenSource(
        session, auth_url + path, data[CONF_CLIENT_ID], data[CONF_CLIENT_SECRET]
    )


def remotelock_client(
    session: aiohttp.ClientSession, token_source: TokenSource, data: Mapping[str, Any]
) -> RemoteLockClient:
    """Return a RemoteLock client for the entry ``data``."""
    api_url, _ = _urls(Vendor.REMOTELOCK, data)
    return RemoteLockClient(session, token_source, api_url=api_url)


def bikeep_client(
    session: aiohttp.ClientSession, token_source: TokenSource, data: Mapping[str, Any]
) -> BikeepClient:
    """Return a Bikeep client for the entry ``data``."""
    api_url, _ = _urls(Vendor.BIKEEP, data)
    return BikeepClient(session, token_source, api_url=api_url)


async def async_validate_remotelock_token(
    session: aiohttp.ClientSession, access_token: str, api_url: str | None
) -> Account:
    """Fetch the account with a fresh OAuth token (test before configure)."""

    async def token() -> str:
        return access_token

    client = remotelock_client(
        session, CallbackTokenSource(token), {CONF_API_URL: api_url}
    )
    return await client.async_get_account()


async def async_validate_remotelock_client_credentials(
    session: aiohttp.ClientSession, data: Mapping[str, Any]
) -> Account:
    """Fetch the account with client credentials (test before configure)."""
    source = client_credentials_source(session, Vendor.REMOTELOCK, data)
    return await remotelock_client(session, source, data).async_get_account()


async def async_validate_bikeep(
    session: aiohttp.ClientSession, data: Mapping[str, Any]
) -> None:
    """List the operator's locations with client credentials (test before configure)."""
    source = client_credentials_source(session, Vendor.BIKEEP, data)
    await bikeep_client(session, source, data).async_list_locations()
