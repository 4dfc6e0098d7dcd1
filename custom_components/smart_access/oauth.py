"""RemoteLock sign-in (authorization code) plumbing on top of Home Assistant's OAuth2."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import ClientError
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    OAuth2TokenRequestError,
    OAuth2TokenRequestReauthError,
)
from homeassistant.helpers.config_entry_oauth2_flow import (
    AbstractOAuth2Implementation,
    LocalOAuth2Implementation,
    OAuth2Session,
)

from .api.errors import ApiConnectionError, AuthenticationError
from .api.remotelock.const import AUTHORIZE_PATH, DEFAULT_OAUTH_URL, TOKEN_PATH


class RemoteLockOAuth2Implementation(LocalOAuth2Implementation):
    """The user's application credential, pointed at another OAuth base URL."""

    def __init__(
        self, hass: HomeAssistant, base: LocalOAuth2Implementation, auth_url: str
    ) -> None:
        """Copy the credential of ``base`` and use ``auth_url`` for both OAuth paths."""
        super().__init__(
            hass,
            base.domain,
            base.client_id,
            base.client_secret,
            auth_url.rstrip("/") + AUTHORIZE_PATH,
            auth_url.rstrip("/") + TOKEN_PATH,
        )
        self._name = base.name

    @property
    def name(self) -> str:
        """Name of the credential it was made from."""
        return self._name


def with_auth_url(
    hass: HomeAssistant,
    implementation: AbstractOAuth2Implementation,
    auth_url: str | None,
) -> AbstractOAuth2Implementation:
    """Return ``implementation`` aimed at ``auth_url`` when that is not the default host."""
    if (
        not auth_url
        or auth_url.rstrip("/") == DEFAULT_OAUTH_URL
        or not isinstance(implementation, LocalOAuth2Implementation)
    ):
        return implementation
    return RemoteLockOAuth2Implementation(hass, implementation, auth_url)


def oauth_token_getter(session: OAuth2Session) -> Callable[[], Awaitable[str]]:
    """Return a coroutine function giving a valid access token from ``session``.

    Home Assistant maps a failed refresh onto its token request errors: a refusal
    that needs the user (``invalid_grant``: the refresh token was revoked or rotated
    away) is ``OAuth2TokenRequestReauthError``; any other answer, or none, is a
    connection problem to retry.
    """

    async def get_token() -> str:
        try:
            await session.async_ensure_token_valid()
        except OAuth2TokenRequestReauthError as err:
            raise AuthenticationError(
                "RemoteLock refused to refresh the token"
            ) from err
        except OAuth2TokenRequestError as err:
            raise ApiConnectionError(f"token refresh failed with {err.status}") from err
        except (ClientError, TimeoutError) as err:
            raise ApiConnectionError("token refresh failed") from err
        return str(session.token["access_token"])

    return get_token


def oauth_token_renewer(
    hass: HomeAssistant, session: OAuth2Session
) -> Callable[[str], Awaitable[str]]:
    """Return a coroutine function that refreshes ``session``'s token now.

    For a token the vendor stopped accepting before its expiry (RemoteLock answers
    403 "The access token expired"): if the refused token is still the entry's, it
    is marked expired, so Home Assistant's own refresh runs (with its locking,
    validation, rotation and, for a refused refresh token, reauthentication). A
    refusal of a token already replaced (a late answer to an older request) renews
    nothing. The current access token is returned.
    """
    get_token = oauth_token_getter(session)

    async def renew(refused: str) -> str:
        entry = session.config_entry
        if entry.data["token"].get("access_token") == refused:
            token = {**entry.data["token"], "expires_at": 0}
            hass.config_entries.async_update_entry(
                entry, data={**entry.data, "token": token}
            )
        return await get_token()

    return renew
