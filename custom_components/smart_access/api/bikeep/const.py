"""Addresses and paths of the Bikeep service."""

from __future__ import annotations

from typing import Final

DEFAULT_API_URL: Final = "https://services.bikeep.com"
DEFAULT_AUTH_URL: Final = "https://auth.bikeep.com"
TOKEN_PATH: Final = "/oauth2/token"

LOCATIONS_PATH: Final = "/location/v1/locations"
PUBLIC_AREA_LOCATIONS_PATH: Final = (
    "/location/v1/public-areas/{public_area_id}/locations"
)
LOCATION_DEVICES_PATH: Final = "/device/v1/locations/{location_id}/devices"
DEVICE_PATH: Final = "/device/v1/devices/{device_id}"
DEVICE_COMMANDS_PATH: Final = "/device/v1/devices/{device_id}/commands"
COMMAND_PATH: Final = "/device/v1/commands/{command_id}"
LOCATION_WHITELISTS_PATH: Final = "/whitelist/v1/locations/{location_id}/whitelists"
WHITELIST_ENTITIES_PATH: Final = "/whitelist/v1/whitelists/{whitelist_id}/entities"
WHITELIST_TARGETS_PATH: Final = "/whitelist/v1/whitelists/{whitelist_id}/targets"

RFID_MAX_LENGTH: Final = 20
"""The guide: raw lowercase hex, no separators, even length, at most 20 characters."""
