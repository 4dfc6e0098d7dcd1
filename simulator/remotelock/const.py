"""Constants of the simulated RemoteLock cloud: default credentials, types, limits."""

from __future__ import annotations

from typing import Final

# Default scenario credentials (used by other tests and by scripts/develop).
DEFAULT_CLIENT_ID: Final = "sim-remotelock-client"
DEFAULT_CLIENT_SECRET: Final = "sim-remotelock-secret"
DEFAULT_USER_EMAIL: Final = "demo@example.com"
DEFAULT_USER_PASSWORD: Final = "demo"
DEFAULT_ACCOUNT_ID: Final = "5c0bd1b0-0b8e-4b7e-9d1a-2f4c0a1e7a01"
DEFAULT_ACCOUNT_NAME: Final = "Sim Property Management"
DEFAULT_USER_ID: Final = "7a740fb5-ab9e-402b-8061-46ebf459ea4e"

TOKEN_LIFETIME: Final = 7200
CODE_LIFETIME: Final = 600

DEFAULT_RATE_LIMIT: Final = 120
DEFAULT_RATE_WINDOW: Final = 60
RATE_LIMIT_MESSAGE: Final = (
    "Your account has exceeded the rate limit. Check the X-RateLimit-* headers."
)

PAGE_DEFAULT: Final = 1
PER_PAGE_DEFAULT: Final = 25
PER_PAGE_MAX: Final = 50
PAGINATION_CAP: Final = 10_000

API_PREFIXES: Final = ("", "/v1")

DEVICE_TYPES: Final = ("lock", "thermostat", "power_plug", "resort_lock", "acs_door")
# Type filter spellings the document uses (class names) mapped to JSON types.
TYPE_ALIASES: Final = {
    "Lock": "lock",
    "PowerPlug": "power_plug",
    "Thermostat": "thermostat",
    "ResortLock": "resort_lock",
    "ACS::Door": "acs_door",
    "AcsDoor": "acs_door",
}

ACCESS_PERSON_TYPES: Final = ("access_user", "access_guest")
ACCESS_PERSON_STATUSES: Final = ("current", "upcoming", "deactivated", "expired")
ACCESSIBLE_TYPES: Final = ("lock", "acs_door", "door_group", "location")

SCHEDULE_TYPES: Final = (
    "access_schedule",
    "auto_lock_schedule",
    "lock_action_schedule",
    "power_plug_schedule",
    "thermostat_schedule",
)
WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

SUBSCRIBER_TYPES: Final = (
    "email_notification_subscriber",
    "text_notification_subscriber",
    "webhook_notification_subscriber",
)

# Event types locks and ACS doors both publish (the first in the document).
_DOOR_EVENT_TYPES = (
    "unlocked",
    "locked",
    "access_denied",
    "access_person_synced",
    "access_person_sync_failed",
    "access_guest_late_sync",
    "reset",
)

# Event types (without the "_event" suffix), in the document's order.
EVENT_TYPES: Final = (
    *_DOOR_EVENT_TYPES,
    "connectivity",
    "power_level_low",
    "battery_replaced",
    "acs_door_opened",
    "acs_door_closed",
    "acs_door_held_open",
    "acs_requested_to_exit",
    "temperature_changed",
    "humidity_changed",
    "relay_enabled",
    "relay_disabled",
    "access_person_used",
)

# Which event types each publisher type accepts in a notification subscription.
PUBLISHER_EVENT_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "account": EVENT_TYPES,
    "location": EVENT_TYPES,
    "lock": (
        *_DOOR_EVENT_TYPES,
        "connectivity",
        "power_level_low",
        "battery_replaced",
    ),
    "acs_door": (
        *_DOOR_EVENT_TYPES,
        "acs_door_opened",
        "acs_door_closed",
        "acs_door_held_open",
        "acs_requested_to_exit",
    ),
    "thermostat": (
        "connectivity",
        "power_level_low",
        "temperature_changed",
        "humidity_changed",
    ),
    "power_plug": ("connectivity", "relay_enabled", "relay_disabled"),
    "acs_controller": ("connectivity",),
    "access_user": ("access_person_used",),
    "access_guest": ("access_person_used",),
}

LOCK_ACTIONS: Final = ("lock", "unlock")
POWER_PLUG_ACTIONS: Final = ("on", "off")
THERMOSTAT_MODES: Final = ("heat", "cool", "auto", "off")
THERMOSTAT_FAN_MODES: Final = ("auto", "auto_circulate", "on", "off")
POWER_SOURCES: Final = ("hardwire", "alkaline_battery", "lithium_battery")
WAKE_WIFI: Final = ("user_action", "heartbeat_interval", "user_action_except_manual")
LOW_BATTERY_LEVEL: Final = 20
