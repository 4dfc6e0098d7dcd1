"""Map Bikeep HTTP answers to the shared typed errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from custom_components.smart_access.api.errors import (
    ApiResponseError,
    AuthenticationError,
    FieldError,
    ForbiddenError,
    NotFoundError,
    PaymentRequiredError,
    RateLimitError,
    ValidationError,
)
from custom_components.smart_access.api.http import HttpResult


def error_message(body: Any) -> str:
    """Return the service's message from an error body ("" when there is none)."""
    if isinstance(body, Mapping):
        for key in ("message", "error_description", "detail", "error", "title"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    if isinstance(body, str):
        return body
    return ""


def error_type(body: Any) -> str | None:
    """Return the service's error code/type from an error body, when it has one."""
    if isinstance(body, Mapping):
        for key in ("type", "code", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def field_errors(body: Any) -> tuple[FieldError, ...]:
    """Return per-field messages from an ``errors`` object or array, if any."""
    if not isinstance(body, Mapping):
        return ()
    errors = body.get("errors")
    result: list[FieldError] = []
    if isinstance(errors, Mapping):
        for attribute, messages in errors.items():
            texts = [messages] if isinstance(messages, str) else messages
            if isinstance(texts, list):
                result.append(FieldError(str(attribute), tuple(str(m) for m in texts)))
    elif isinstance(errors, list):
        for item in errors:
            if isinstance(item, Mapping):
                attribute = item.get("field") or item.get("attribute")
                message = item.get("message") or item.get("reason") or ""
                result.append(
                    FieldError(
                        str(attribute) if attribute is not None else None,
                        (str(message),),
                    )
                )
            elif isinstance(item, str):
                result.append(FieldError(None, (item,)))
    return tuple(result)


def retry_after(result: HttpResult, now: datetime) -> datetime | None:
    """Return when a 429 budget resets, from ``Retry-After`` (seconds or HTTP date)."""
    header = result.headers.get("Retry-After")
    if not header:
        return None
    header = header.strip()
    try:
        return now + timedelta(seconds=float(header))
    except ValueError:
        pass
    try:
        parsed = parsedate_to_datetime(header)
    except TypeError, ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed


def raise_for_status(result: HttpResult, clock: Callable[[], datetime]) -> None:
    """Raise the typed error for a non-2xx answer."""
    status = result.status
    if 200 <= status < 300:
        return
    result.raise_for_common_status()
    body = result.body
    message = error_message(body)
    if status == 401:
        raise AuthenticationError(f"unauthorized{': ' + message if message else ''}")
    if status == 402:
        raise PaymentRequiredError(message or "payment required")
    if status == 403:
        raise ForbiddenError(message or "forbidden")
    if status == 404:
        raise NotFoundError(message or "not found")
    if status == 429:
        raise RateLimitError(
            message or "rate limited", reset_at=retry_after(result, clock())
        )
    if status in (400, 422):
        raise ValidationError(message or f"rejected ({status})", field_errors(body))
    raise ApiResponseError(status, message or "unexpected answer", error_type(body))
