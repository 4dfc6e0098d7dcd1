"""Constants of the simulated Bikeep cloud: credentials, states, event names, defaults."""

from __future__ import annotations

from typing import Final

# Default scenario credentials (fixed so tests and scripts/develop can rely on them).
DEFAULT_CLIENT_ID: Final = "sim-bikeep-client"
DEFAULT_CLIENT_SECRET: Final = "sim-bikeep-secret"
DEFAULT_OPERATOR_ID: Final = "op-0000-0000-0000-000000000001"
SECOND_CLIENT_ID: Final = "sim-bikeep-client-2"
SECOND_CLIENT_SECRET: Final = "sim-bikeep-secret-2"
SECOND_OPERATOR_ID: Final = "op-0000-0000-0000-000000000002"

TOKEN_LIFETIME: Final = 3600

# Location types and device types.
BIKE_LOCKERS: Final = "BIKE_LOCKERS"
BIKE_DOCKS: Final = "BIKE_DOCKS"
LOCATION_TYPES: Final = (BIKE_LOCKERS, BIKE_DOCKS)
GUARD: Final = "GUARD"
LOCKER: Final = "LOCKER"
BIKE_DOCK: Final = "BIKE_DOCK"
DEVICE_TYPES: Final = (GUARD, LOCKER, BIKE_DOCK)

# API-level device states.
UNLOCKED: Final = "UNLOCKED"
BOOKED: Final = "BOOKED"
ALLOCATED: Final = "ALLOCATED"
LOCKING: Final = "LOCKING"
LOCKED: Final = "LOCKED"
UNLOCKING: Final = "UNLOCKING"
DEVICE_STATES: Final = (UNLOCKED, BOOKED, ALLOCATED, LOCKING, LOCKED, UNLOCKING)

HARDWARE_NORMAL: Final = "NORMAL"

# Command states.
SENT: Final = "SENT"
SUCCESS: Final = "SUCCESS"
ERROR: Final = "ERROR"

# Command names.
CMD_BOOK: Final = "book"
CMD_CANCEL_BOOKING: Final = "cancel-booking"
CMD_LOCK: Final = "lock"
CMD_UNLOCK: Final = "unlock"
CMD_FORCE_LOCK: Final = "force-lock"
CMD_FORCE_UNLOCK: Final = "force-unlock"
CMD_FORCE_CANCEL_BOOKING: Final = "force-cancel-booking"
COMMANDS: Final = (
    CMD_BOOK,
    CMD_CANCEL_BOOKING,
    CMD_LOCK,
    CMD_UNLOCK,
    CMD_FORCE_LOCK,
    CMD_FORCE_UNLOCK,
    CMD_FORCE_CANCEL_BOOKING,
)
FORCE_COMMANDS: Final = (CMD_FORCE_LOCK, CMD_FORCE_UNLOCK, CMD_FORCE_CANCEL_BOOKING)

# Command event names (the guide names the first three; the rest are the simulator's).
EV_REQUEST_INITIATED: Final = "REQUEST_INITIATED"
EV_REQUEST_SENT: Final = "REQUEST_SENT"
EV_DEVICE_LOCKED: Final = "RESPONSE_DEVICE_LOCKED"
EV_DEVICE_UNLOCKED: Final = "RESPONSE_DEVICE_UNLOCKED"
EV_DEVICE_BOOKED: Final = "RESPONSE_DEVICE_BOOKED"
EV_BOOKING_CANCELLED: Final = "RESPONSE_DEVICE_BOOKING_CANCELLED"
EV_DEVICE_ERROR: Final = "RESPONSE_DEVICE_ERROR"
EV_REQUEST_REJECTED: Final = "REQUEST_REJECTED"
EV_REQUEST_TIMEOUT: Final = "REQUEST_TIMEOUT"
EV_LOCKING_TIMEOUT: Final = "LOCKING_TIMEOUT"
EV_SUPERSEDED: Final = "REQUEST_SUPERSEDED"

# Heartbeat health.
HEALTHY: Final = "HEALTHY"
UNHEALTHY: Final = "UNHEALTHY"
DEAD: Final = "DEAD"
LONG_DEAD: Final = "LONG_DEAD"
UNHEALTHY_AFTER: Final = 15.0
DEAD_AFTER: Final = 30.0
LONG_DEAD_AFTER: Final = 2 * 3600.0

# Whitelists.
ID_TYPE_RFID: Final = "rfid"
ENTITY_STATUSES: Final = ("ACTIVE", "INACTIVE")
RFID_MAX_LENGTH: Final = 20
COMMENT_MAX_LENGTH: Final = 255
TARGET_TYPES: Final = ("device", "location")
