"""Small helpers shared by the platforms: running vendor calls for entities."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from homeassistant.exceptions import HomeAssistantError

from .api.errors import (
    ApiConnectionError,
    AuthenticationError,
    CommandFailedError,
    ForbiddenError,
    PaymentRequiredError,
    RateLimitError,
    SmartAccessApiError,
    ValidationError,
)
from .const import DOMAIN

if TYPE_CHECKING:
    from .coordinator import SmartAccessConfigEntry


def command_error(
    err: SmartAccessApiError, name: str, entry: SmartAccessConfigEntry | None = None
) -> HomeAssistantError:
    """Turn a client error during a user command into a translated HomeAssistantError.

    Rejected credentials also start the reauthentication of ``entry``, as a failed
    poll does: the user is asked to sign in again whichever call found out.
    """
    key = "command_failed"
    placeholders = {"name": name, "error": str(err)}
    if isinstance(err, AuthenticationError):
        key = "command_auth_failed"
        if entry is not None:
            entry.async_start_reauth(entry.runtime_data.coordinator.hass)
    elif isinstance(err, ForbiddenError):
        key = "command_forbidden"
    elif isinstance(err, PaymentRequiredError):
        key = "command_payment_required"
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


async def run_command[T](
    label: str,
    call: Callable[[], Awaitable[T]],
    entry: SmartAccessConfigEntry | None = None,
) -> T:
    """Await ``call``; translate client errors for the user.

    ``label`` names what failed the way the user reads it ("Front Door unlock");
    ``entry`` is reauthenticated when the vendor rejects its credentials.
    """
    try:
        return await call()
    except SmartAccessApiError as err:
        raise command_error(err, label, entry) from err
