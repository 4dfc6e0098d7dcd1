"""One place that decides what a vendor client error means in Home Assistant.

- a poll: :func:`update_failed` (rejected credentials start reauthentication; a rate
  limit waits for the window's reset; a refusal that a new sign-in cannot cure has a
  repair issue kind in :data:`ISSUE_KINDS`, raised by the coordinator),
- a command of an entity: :func:`command_error`,
- an action: :func:`action_error` (validation and missing resources name the field or
  the action; the rest as for commands).
Both commands and actions start the reauthentication of their entry when the vendor
rejects its credentials, as a failed poll does.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util

from .api.errors import (
    ApiConnectionError,
    AuthenticationError,
    CommandFailedError,
    ForbiddenError,
    NotFoundError,
    PaymentRequiredError,
    RateLimitError,
    SmartAccessApiError,
    ValidationError,
)
from .const import DOMAIN

if TYPE_CHECKING:
    from .coordinator import SmartAccessConfigEntry


# Refusals a new sign-in cannot cure: a repair issue per entry says what to fix.
ISSUE_KINDS: dict[type[SmartAccessApiError], str] = {
    ForbiddenError: "forbidden",
    PaymentRequiredError: "payment_required",
}


def issue_kind(err: SmartAccessApiError) -> str | None:
    """Return the repair issue kind of a refusal a new sign-in cannot cure."""
    for error_type, kind in ISSUE_KINDS.items():
        if isinstance(err, error_type):
            return kind
    return None


def update_failed(
    err: SmartAccessApiError, interval: timedelta | None = None
) -> UpdateFailed | ConfigEntryAuthFailed:
    """Map a client error to what the coordinator raises.

    A rate limit asks the coordinator (``retry_after``) to wait for the window's
    reset, and never less than ``interval``; without a reset time, twice that.
    """
    if isinstance(err, AuthenticationError):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="auth_failed"
        )
    if isinstance(err, RateLimitError):
        reset = (
            dt_util.as_local(err.reset_at).strftime("%H:%M:%S") if err.reset_at else "?"
        )
        floor = interval.total_seconds() if interval else 0.0
        if err.reset_at is not None:
            wait = (err.reset_at - dt_util.utcnow()).total_seconds() + 1
            retry_after: float | None = max(floor, wait)
        else:
            retry_after = 2 * floor if floor else None
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            translation_placeholders={"reset": reset},
            retry_after=retry_after,
        )
    if (kind := issue_kind(err)) is not None:
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=kind,
            translation_placeholders={"error": str(err)},
        )
    if isinstance(err, ApiConnectionError):
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": str(err)},
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="unexpected_response",
        translation_placeholders={"error": str(err)},
    )


def command_error(
    err: SmartAccessApiError,
    name: str,
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry | None = None,
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
            entry.async_start_reauth(hass)
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


def field_messages(err: ValidationError) -> str:
    """Return the per-attribute messages of a validation error as one line."""
    parts = []
    for field_error in err.field_errors:
        text = ", ".join(field_error.messages)
        parts.append(
            f"{field_error.attribute}: {text}" if field_error.attribute else text
        )
    return "; ".join(parts) or str(err)


def action_error(
    err: SmartAccessApiError,
    action: str,
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry | None = None,
) -> HomeAssistantError:
    """Translate a client error raised while running ``action``.

    The service's validation errors name the fields they are about and reach the
    user as ServiceValidationError; a missing resource says so; everything else is
    the same translated error the entities raise for their commands (rejected
    credentials start the reauthentication of ``entry``).
    """
    if isinstance(err, ValidationError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="action_invalid",
            translation_placeholders={"action": action, "fields": field_messages(err)},
        )
    if isinstance(err, NotFoundError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="action_not_found",
            translation_placeholders={"action": action},
        )
    return command_error(err, action, hass, entry)
