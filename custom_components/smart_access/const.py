"""Constants of the Smart Access integration."""

from __future__ import annotations

from enum import StrEnum
import logging
from typing import Final

DOMAIN: Final = "smart_access"
LOGGER = logging.getLogger(__package__)

CONF_VENDOR: Final = "vendor"
CONF_AUTH_TYPE: Final = "auth_type"
CONF_API_URL: Final = "api_url"
CONF_AUTH_URL: Final = "auth_url"


class Vendor(StrEnum):
    """The cloud platform behind a config entry."""

    REMOTELOCK = "remotelock"
    BIKEEP = "bikeep"


class AuthType(StrEnum):
    """How a RemoteLock entry authenticates."""

    OAUTH = "oauth"
    CLIENT_CREDENTIALS = "client_credentials"


# What RemoteLock access can be granted to (``accessible_type``).
ACCESSIBLE_LOCK: Final = "lock"
ACCESSIBLE_ACS_DOOR: Final = "acs_door"
ACCESSIBLE_DOOR_GROUP: Final = "door_group"
ACCESSIBLE_LOCATION: Final = "location"

# RemoteLock push (entry data; secrets: never logged, redacted in diagnostics).
CONF_WEBHOOK_SECRET: Final = "webhook_secret"
CONF_SUBSCRIBER_ID: Final = "subscriber_id"
CONF_CLOUDHOOK_URL: Final = "cloudhook_url"
