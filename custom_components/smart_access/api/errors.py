"""Typed errors shared by the RemoteLock and Bikeep clients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class SmartAccessApiError(Exception):
    """Base class of every error raised by the vendor clients."""


class ApiConnectionError(SmartAccessApiError):
    """The service could not be reached (DNS, refused connection, reset, 5xx)."""


class ApiTimeoutError(ApiConnectionError):
    """The service did not answer in time."""


class ApiServerError(ApiConnectionError):
    """The service answered with a 5xx status."""

    def __init__(self, status: int, message: str = "") -> None:
        """Keep the status for the caller."""
        super().__init__(f"server error {status}{': ' + message if message else ''}")
        self.status = status


class AuthenticationError(SmartAccessApiError):
    """Credentials or token were rejected (401, invalid_grant, invalid_client)."""


class ForbiddenError(SmartAccessApiError):
    """The credentials are valid but not allowed to do this.

    A 403 that renewing the token did not cure, or a 401 for a token the service had
    just issued: the application lacks access to the resource (or to the API).
    """


class PaymentRequiredError(SmartAccessApiError):
    """The account's API access is disabled or its subscription lapsed (402)."""


class NotFoundError(SmartAccessApiError):
    """The resource does not exist (404)."""


class RateLimitError(SmartAccessApiError):
    """The account exceeded its request budget (429)."""

    def __init__(self, message: str, reset_at: datetime | None = None) -> None:
        """Carry the moment the budget resets, when the service says it."""
        super().__init__(message)
        self.reset_at = reset_at


class MalformedResponseError(SmartAccessApiError):
    """The service answered with a body that is not what the documentation says."""


@dataclass(frozen=True, slots=True)
class FieldError:
    """One validation message about one attribute (``None`` for the whole resource)."""

    attribute: str | None
    messages: tuple[str, ...]
    full_messages: tuple[str, ...] = ()


class ValidationError(SmartAccessApiError):
    """The service (or the client, before sending) rejected the input."""

    def __init__(self, message: str, field_errors: tuple[FieldError, ...] = ()) -> None:
        """Carry per-attribute messages."""
        super().__init__(message)
        self.field_errors = field_errors


class ApiResponseError(SmartAccessApiError):
    """A documented general error (``message`` + ``type``) or an unexpected status."""

    def __init__(
        self, status: int, message: str, error_type: str | None = None
    ) -> None:
        """Keep status, message and the vendor's error type."""
        super().__init__(
            f"{status}: {message}" + (f" ({error_type})" if error_type else "")
        )
        self.status = status
        self.message = message
        self.error_type = error_type


@dataclass(frozen=True, slots=True)
class CommandEvent:
    """One event in the life of an asynchronous device command."""

    name: str
    timestamp: datetime | None


class CommandFailedError(SmartAccessApiError):
    """An asynchronous device command ended in ERROR or ran out of time."""

    def __init__(
        self,
        message: str,
        *,
        command_id: str,
        command_name: str,
        events: tuple[CommandEvent, ...] = (),
        timed_out: bool = False,
    ) -> None:
        """Carry the command and its events so the caller can say why."""
        super().__init__(message)
        self.command_id = command_id
        self.command_name = command_name
        self.events = events
        self.timed_out = timed_out

    @property
    def reason(self) -> str | None:
        """Return the name of the last event, the best short reason the service gives."""
        return self.events[-1].name if self.events else None
