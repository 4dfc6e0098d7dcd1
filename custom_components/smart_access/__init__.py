"""Smart Access: RemoteLock and Bikeep in Home Assistant."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import (
    config_entry_oauth2_flow,
    config_validation as cv,
    issue_registry as ir,
)
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .api.auth import CallbackTokenSource, TokenSource
from .client_factory import bikeep_client, client_credentials_source, remotelock_client
from .const import CONF_AUTH_TYPE, CONF_AUTH_URL, CONF_VENDOR, DOMAIN, AuthType, Vendor
from .coordinator import (
    BikeepCoordinator,
    RemoteLockCoordinator,
    SmartAccessConfigEntry,
    SmartAccessData,
)
from .oauth import oauth_token_getter, oauth_token_renewer, with_auth_url
from .services import async_setup_services

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.CLIMATE,
    Platform.LOCK,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration: register its actions once."""
    async_setup_services(hass)
    return True


async def _remotelock_token_source(
    hass: HomeAssistant, entry: SmartAccessConfigEntry
) -> TokenSource:
    session = async_get_clientsession(hass)
    if entry.data.get(CONF_AUTH_TYPE) != AuthType.OAUTH:
        return client_credentials_source(session, Vendor.REMOTELOCK, entry.data)
    try:
        implementation = (
            await config_entry_oauth2_flow.async_get_config_entry_implementation(
                hass, entry
            )
        )
    except config_entry_oauth2_flow.ImplementationUnavailableError as err:
        # A provider of credentials (e.g. Home Assistant Cloud) is down: retry later.
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="oauth_implementation_not_ready",
        ) from err
    except ValueError as err:
        # The entry's application credential was removed (UnknownImplementationError,
        # a ValueError): signing in again with another credential repairs the entry.
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key="oauth_implementation_unavailable",
        ) from err
    implementation = with_auth_url(hass, implementation, entry.data.get(CONF_AUTH_URL))
    oauth_session = config_entry_oauth2_flow.OAuth2Session(hass, entry, implementation)
    return CallbackTokenSource(
        oauth_token_getter(oauth_session), oauth_token_renewer(hass, oauth_session)
    )


async def async_setup_entry(hass: HomeAssistant, entry: SmartAccessConfigEntry) -> bool:
    """Set up one vendor account."""
    session = async_get_clientsession(hass)
    if entry.data[CONF_VENDOR] == Vendor.BIKEEP:
        bikeep_source = client_credentials_source(session, Vendor.BIKEEP, entry.data)
        coordinator: RemoteLockCoordinator | BikeepCoordinator = BikeepCoordinator(
            hass, entry, bikeep_client(session, bikeep_source, entry.data)
        )
    else:
        source = await _remotelock_token_source(hass, entry)
        coordinator = RemoteLockCoordinator(
            hass, entry, remotelock_client(session, source, entry.data)
        )
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = SmartAccessData(coordinator=coordinator)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: SmartAccessConfigEntry
) -> bool:
    """Unload one vendor account."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: SmartAccessConfigEntry
) -> None:
    """Forget a removed vendor account: its repair issues go with it."""
    registry = ir.async_get(hass)
    suffix = f"_{entry.entry_id}"
    for domain, issue_id in list(registry.issues):
        if domain == DOMAIN and (issue_id.endswith(suffix) or f"{suffix}_" in issue_id):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
