"""Bikeep client: smart bike lockers and docks (plain async Python, no Home Assistant).

Build it with a token source from :mod:`..auth`::

    tokens = ClientCredentialsTokenSource(
        session, DEFAULT_AUTH_URL + TOKEN_PATH, client_id, client_secret
    )
    client = BikeepClient(session, tokens)
"""

from __future__ import annotations

from .client import BikeepClient
from .commands import (
    TERMINAL_STATES,
    Command,
    CommandName,
    CommandState,
    CommandStateValue,
)
from .const import DEFAULT_API_URL, DEFAULT_AUTH_URL, RFID_MAX_LENGTH, TOKEN_PATH
from .follower import ProgressCallback
from .models import (
    Device,
    DeviceCounts,
    DeviceState,
    DeviceStateValue,
    DeviceType,
    Heartbeat,
    HeartbeatHealth,
    Location,
    LocationType,
    gateways,
    lockables,
)
from .rfid import RfidChange, RfidProblem, RfidValidation, validate_rfid
from .webhooks import (
    ALARM_KINDS,
    MalformedWebhookError,
    WebhookEvent,
    WebhookKind,
    parse_webhook,
)
from .whitelists import (
    BatchItemError,
    BatchResult,
    EntityStatus,
    RfidEntity,
    TargetType,
    Whitelist,
    WhitelistTarget,
)

__all__ = [
    "ALARM_KINDS",
    "DEFAULT_API_URL",
    "DEFAULT_AUTH_URL",
    "RFID_MAX_LENGTH",
    "TERMINAL_STATES",
    "TOKEN_PATH",
    "BatchItemError",
    "BatchResult",
    "BikeepClient",
    "Command",
    "CommandName",
    "CommandState",
    "CommandStateValue",
    "Device",
    "DeviceCounts",
    "DeviceState",
    "DeviceStateValue",
    "DeviceType",
    "EntityStatus",
    "Heartbeat",
    "HeartbeatHealth",
    "Location",
    "LocationType",
    "MalformedWebhookError",
    "ProgressCallback",
    "RfidChange",
    "RfidEntity",
    "RfidProblem",
    "RfidValidation",
    "TargetType",
    "WebhookEvent",
    "WebhookKind",
    "Whitelist",
    "WhitelistTarget",
    "gateways",
    "lockables",
    "parse_webhook",
    "validate_rfid",
]
