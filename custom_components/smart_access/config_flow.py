"""Config flow for Smart Access: RemoteLock (sign in or API client) and Bikeep."""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.const import CONF_CLIENT_ID, CONF_CLIENT_SECRET, CONF_WEBHOOK_ID
from homeassistant.core import callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers import config_entry_oauth2_flow
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio

from .api.errors import (
    ApiConnectionError,
    AuthenticationError,
    ForbiddenError,
    PaymentRequiredError,
    SmartAccessApiError,
)
from .bikeep_webhook import bikeep_webhook_url, ensure_webhook_id
from .client_factory import (
    async_validate_bikeep,
    async_validate_remotelock_client_credentials,
    async_validate_remotelock_token,
    default_urls,
)
from .config_flow_guest import GuestAccessSubentryFlow
from .const import (
    CONF_API_URL,
    CONF_AUTH_TYPE,
    CONF_AUTH_URL,
    CONF_VENDOR,
    DOMAIN,
    LOGGER,
    AuthType,
    Vendor,
)
from .guest_link_config import SUBENTRY_GUEST_ACCESS
from .oauth import with_auth_url

MENU_OAUTH = "remotelock_oauth"
MENU_REMOTELOCK_CC = "remotelock_client_credentials"
MENU_BIKEEP = "bikeep"
# The collapsed form section with the base URL overrides.
SECTION_CONNECTION = "connection"

_TEXT = TextSelector()
_SECRET = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))


def _connection_section(vendor: Vendor, current: Mapping[str, Any]) -> section:
    """Return the collapsed section of base URL overrides (sandbox, simulator)."""
    api_default, auth_default = default_urls(vendor)
    return section(
        probatio.Schema(
            {
                probatio.Required(
                    CONF_API_URL, default=current.get(CONF_API_URL, api_default)
                ): _URL,
                probatio.Required(
                    CONF_AUTH_URL, default=current.get(CONF_AUTH_URL, auth_default)
                ): _URL,
            }
        ),
        {"collapsed": True},
    )


def _url_overrides(vendor: Vendor, connection: Mapping[str, Any]) -> dict[str, str]:
    """Return the base URLs of the section that differ from the vendor's own."""
    defaults = dict(
        zip((CONF_API_URL, CONF_AUTH_URL), default_urls(vendor), strict=True)
    )
    overrides: dict[str, str] = {}
    for key, default in defaults.items():
        value = str(connection.get(key) or "").strip().rstrip("/")
        if value and value != default.rstrip("/"):
            overrides[key] = value
    return overrides


class SmartAccessConfigFlow(
    config_entry_oauth2_flow.AbstractOAuth2FlowHandler, domain=DOMAIN
):
    """One entry per vendor account."""

    DOMAIN = DOMAIN
    VERSION = 1

    def __init__(self) -> None:
        """Start with no URL overrides."""
        super().__init__()
        self._urls: dict[str, str] = {}

    @property
    def logger(self) -> logging.Logger:
        """Return the logger of the OAuth steps."""
        return LOGGER

    # -- start -------------------------------------------------------------------
    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the user pick the vendor and the way to authenticate."""
        return self.async_show_menu(
            step_id="user", menu_options=[MENU_OAUTH, MENU_REMOTELOCK_CC, MENU_BIKEEP]
        )

    # -- RemoteLock sign in (authorization code) -----------------------------------
    async def async_step_remotelock_oauth(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Confirm the sign-in; a collapsed section can change the base URLs."""
        if user_input is None:
            return self.async_show_form(
                step_id=MENU_OAUTH,
                data_schema=probatio.Schema(
                    {
                        probatio.Required(SECTION_CONNECTION): _connection_section(
                            Vendor.REMOTELOCK, {}
                        )
                    }
                ),
            )
        self._urls = _url_overrides(
            Vendor.REMOTELOCK, user_input.get(SECTION_CONNECTION, {})
        )
        return await self.async_step_pick_implementation()

    async def async_step_auth(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Aim the chosen credential at the overridden OAuth base URL, if any."""
        if user_input is None:
            self.flow_impl = with_auth_url(
                self.hass, self.flow_impl, self._urls.get(CONF_AUTH_URL)
            )
        return await super().async_step_auth(user_input)

    async def async_oauth_create_entry(self, data: dict[str, Any]) -> ConfigFlowResult:
        """Check the token with a real call, then create or update the entry."""
        try:
            account = await async_validate_remotelock_token(
                async_get_clientsession(self.hass),
                data["token"]["access_token"],
                self._urls.get(CONF_API_URL),
            )
        except AuthenticationError:
            return self.async_abort(reason="invalid_auth")
        except ForbiddenError:
            return self.async_abort(reason="forbidden")
        except PaymentRequiredError:
            return self.async_abort(reason="payment_required")
        except ApiConnectionError:
            return self.async_abort(reason="cannot_connect")
        except SmartAccessApiError:
            LOGGER.exception("Unexpected answer from RemoteLock")
            return self.async_abort(reason="unknown")
        entry_data = {
            **data,
            CONF_VENDOR: Vendor.REMOTELOCK,
            CONF_AUTH_TYPE: AuthType.OAUTH,
            **self._urls,
        }
        return await self._async_finish(
            f"remotelock_{account.id}", account.name or "RemoteLock", entry_data
        )

    # -- RemoteLock API client (client credentials) --------------------------------
    async def async_step_remotelock_client_credentials(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the Application ID and Secret of a RemoteLock OAuth application."""
        return await self._async_client_credentials_step(
            MENU_REMOTELOCK_CC, Vendor.REMOTELOCK, user_input, {}
        )

    # -- Bikeep ------------------------------------------------------------------------
    async def async_step_bikeep(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the Bikeep client id and secret."""
        return await self._async_client_credentials_step(
            MENU_BIKEEP, Vendor.BIKEEP, user_input, {}
        )

    async def _async_client_credentials_step(
        self,
        step_id: str,
        vendor: Vendor,
        user_input: dict[str, Any] | None,
        current: Mapping[str, Any],
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        # Reauth asks for credentials only; set-up and reconfigure also offer the URLs.
        with_urls = step_id != "reauth_confirm"
        connection: Mapping[str, Any] | None = None
        if user_input is not None:
            user_input = dict(user_input)
            connection = user_input.pop(SECTION_CONNECTION, None)
            data = {**current, **user_input, CONF_VENDOR: vendor}
            if with_urls:
                data.pop(CONF_API_URL, None)
                data.pop(CONF_AUTH_URL, None)
                data.update(_url_overrides(vendor, connection or {}))
            if vendor is Vendor.REMOTELOCK:
                data[CONF_AUTH_TYPE] = AuthType.CLIENT_CREDENTIALS
            try:
                unique_id, title = await self._async_validate(vendor, data)
            except AuthenticationError:
                errors["base"] = "invalid_auth"
            except ForbiddenError:
                errors["base"] = "forbidden"
            except PaymentRequiredError:
                errors["base"] = "payment_required"
            except ApiConnectionError:
                errors["base"] = "cannot_connect"
            except SmartAccessApiError:
                LOGGER.exception("Unexpected answer from %s", vendor)
                errors["base"] = "unknown"
            else:
                return await self._async_finish(unique_id, title, data)
        fields: dict[probatio.Marker, Any] = {
            probatio.Required(
                CONF_CLIENT_ID, default=(user_input or current).get(CONF_CLIENT_ID, "")
            ): _TEXT,
            probatio.Required(CONF_CLIENT_SECRET): _SECRET,
        }
        if with_urls:
            # After an error, show again the URLs the user typed.
            shown = connection if connection is not None else current
            fields[probatio.Required(SECTION_CONNECTION)] = _connection_section(
                vendor, shown
            )
        return self.async_show_form(
            step_id=step_id, data_schema=probatio.Schema(fields), errors=errors
        )

    async def _async_validate(
        self, vendor: Vendor, data: Mapping[str, Any]
    ) -> tuple[str, str]:
        session = async_get_clientsession(self.hass)
        if vendor is Vendor.BIKEEP:
            await async_validate_bikeep(session, data)
            return f"bikeep_{data[CONF_CLIENT_ID]}", f"Bikeep {data[CONF_CLIENT_ID]}"
        account = await async_validate_remotelock_client_credentials(session, data)
        return f"remotelock_{account.id}", account.name or "RemoteLock"

    async def _async_finish(
        self, unique_id: str, title: str, data: dict[str, Any]
    ) -> ConfigFlowResult:
        await self.async_set_unique_id(unique_id)
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            entry = (
                self._get_reauth_entry()
                if self.source == SOURCE_REAUTH
                else self._get_reconfigure_entry()
            )
            return self.async_update_reload_and_abort(entry, data=data)
        self._abort_if_unique_id_configured()
        if data[CONF_VENDOR] == Vendor.BIKEEP:
            return self._async_create_bikeep_entry(title, data)
        return self.async_create_entry(title=title, data=data)

    def _async_create_bikeep_entry(
        self, title: str, data: dict[str, Any]
    ) -> ConfigFlowResult:
        """Create the entry with its own webhook; show the URL to give Bikeep."""
        webhook_id = webhook.async_generate_id()
        url = bikeep_webhook_url(self.hass, webhook_id)
        return self.async_create_entry(
            title=title,
            data={**data, CONF_WEBHOOK_ID: webhook_id},
            description="bikeep_webhook" if url else "bikeep_webhook_no_url",
            description_placeholders={"webhook_url": url} if url else None,
        )

    # -- options (Bikeep entries: the webhook URL) ------------------------------------
    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:
        """Return the options flow: it shows a Bikeep entry's webhook URL."""
        return BikeepWebhookOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """RemoteLock entries take guest-access links (calendar → guest PINs)."""
        if config_entry.data.get(CONF_VENDOR) != Vendor.REMOTELOCK:
            return {}
        return {SUBENTRY_GUEST_ACCESS: GuestAccessSubentryFlow}

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Only Bikeep entries have options (their webhook URL)."""
        return bool(config_entry.data.get(CONF_VENDOR) == Vendor.BIKEEP)

    # -- reauth and reconfigure --------------------------------------------------------
    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Credentials stopped working."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in again, or enter new client credentials."""
        entry = self._get_reauth_entry()
        if _is_oauth(entry):
            return await self._async_sign_in_again("reauth_confirm", entry, user_input)
        return await self._async_client_credentials_step(
            "reauth_confirm", Vendor(entry.data[CONF_VENDOR]), user_input, entry.data
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the credentials (and the base URLs) of an entry."""
        entry = self._get_reconfigure_entry()
        if _is_oauth(entry):
            return await self._async_sign_in_again("reconfigure", entry, user_input)
        return await self._async_client_credentials_step(
            "reconfigure", Vendor(entry.data[CONF_VENDOR]), user_input, entry.data
        )

    async def _async_sign_in_again(
        self, step_id: str, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Confirm, then sign in to RemoteLock again.

        Reauth keeps the entry's base URLs; reconfigure offers them in a collapsed
        section.
        """
        reconfigure = step_id == "reconfigure"
        if user_input is None:
            schema = probatio.Schema(
                {
                    probatio.Required(SECTION_CONNECTION): _connection_section(
                        Vendor.REMOTELOCK, entry.data
                    )
                }
                if reconfigure
                else {}
            )
            return self.async_show_form(step_id=step_id, data_schema=schema)
        self._urls = (
            _url_overrides(Vendor.REMOTELOCK, user_input.get(SECTION_CONNECTION, {}))
            if reconfigure
            else _entry_urls(entry)
        )
        return await self.async_step_pick_implementation()


def _is_oauth(entry: ConfigEntry) -> bool:
    return entry.data.get(CONF_AUTH_TYPE) == AuthType.OAUTH


def _entry_urls(entry: ConfigEntry) -> dict[str, str]:
    return {
        key: entry.data[key]
        for key in (CONF_API_URL, CONF_AUTH_URL)
        if key in entry.data
    }


class BikeepWebhookOptionsFlow(OptionsFlow):
    """Show the Bikeep webhook URL again, for the operator to give Bikeep."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the URL; closing the step changes nothing."""
        entry = self.config_entry
        # An entry made before the webhook gets its id here if it was not set up
        # since (e.g. waiting for Bikeep): the URL stays the same from now on.
        url = bikeep_webhook_url(self.hass, ensure_webhook_id(self.hass, entry))
        if url is None:
            return self.async_abort(reason="no_webhook_url")
        if user_input is not None:
            return self.async_create_entry(data=dict(entry.options))
        return self.async_show_form(
            step_id="init",
            data_schema=probatio.Schema({}),
            description_placeholders={"webhook_url": url},
        )
