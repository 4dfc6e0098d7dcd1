"""Small helpers shared by the platforms: running vendor calls for entities."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from homeassistant.exceptions import HomeAssistantError

from .api.errors import (
    ApiConnectionError,
    AuthenticationError,
    CommandFailedError,
    RateLimitError,
    SmartAccessApiError,
    ValidationError,
)
from .const import DOMAIN


def command_error(err: SmartAccessApiError, name: str) -> HomeAssistantError:
    """Turn a client error during a user command into a translated HomeAssistantError."""
    key = "command_failed"
    placeholders = {"name": name, "error": str(err)}
    if isinstance(err, AuthenticationError):
        key = "command_auth_failed"
    elif isinstance(err, RateLimitError):
        key = "command_rate_limited"
    elif isinstance(err, ApiConnectionError):
        key = "command_cannot_connect"
    elif isinstance(err, CommandFailedError):
        key = "command_timed_out" if err.timed_out else "command_rejected"
        placeholders["error"] = err.reason or str(err)
    elif isinstance(err, ValidationError):
        key = "command_invalid"
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


async def run_command[T](label: str, call: Callable[[], Awaitable[T]]) -> T:
    """Await ``call``; translate client errors for the user.

    ``label`` names what failed the way the user reads it ("Front Door unlock").
    """
    try:
        return await call()
    except SmartAccessApiError as err:
        raise command_error(err, label) from err
