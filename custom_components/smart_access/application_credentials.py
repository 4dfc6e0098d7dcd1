"""Application credentials for RemoteLock's authorization-code sign-in."""

from __future__ import annotations

from homeassistant.components.application_credentials import AuthorizationServer
from homeassistant.core import HomeAssistant

from .api.remotelock.const import AUTHORIZE_PATH, DEFAULT_OAUTH_URL, TOKEN_PATH


async def async_get_authorization_server(hass: HomeAssistant) -> AuthorizationServer:
    """Return RemoteLock's authorization server."""
    return AuthorizationServer(
        authorize_url=DEFAULT_OAUTH_URL + AUTHORIZE_PATH,
        token_url=DEFAULT_OAUTH_URL + TOKEN_PATH,
    )


async def async_get_description_placeholders(hass: HomeAssistant) -> dict[str, str]:
    """Return placeholders for the credentials dialog."""
    return {
        "developer_portal_url": "https://connect.remotelock.com/developers",
        "redirect_url": "https://my.home-assistant.io/redirect/oauth",
    }
