"""Defensive readers for JSON bodies: wrong shapes become MalformedResponseError."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from custom_components.smart_access.api.errors import MalformedResponseError


def as_object(value: object, what: str) -> Mapping[str, Any]:
    """Return ``value`` as a JSON object or raise MalformedResponseError."""
    if not isinstance(value, Mapping):
        raise MalformedResponseError(f"{what} is not a JSON object")
    return value


def data_list(body: object, what: str) -> list[Any]:
    """Return the ``data`` array of a list response (a bare array is accepted too)."""
    if isinstance(body, list):
        return body
    items = as_object(body, what).get("data")
    if not isinstance(items, list):
        raise MalformedResponseError(f"{what} has no data array")
    return items


def data_object(body: object, what: str) -> Mapping[str, Any]:
    """Return a single resource, unwrapping a ``data`` envelope when there is one."""
    obj = as_object(body, what)
    inner = obj.get("data")
    if isinstance(inner, Mapping):
        return inner
    return obj


def req_str(data: Mapping[str, Any], key: str, what: str) -> str:
    """Return a required non-empty string field (numbers are accepted as ids)."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MalformedResponseError(f"{what} has no valid {key!r}")
    text = str(value)
    if not text:
        raise MalformedResponseError(f"{what} has an empty {key!r}")
    return text


def opt_str(data: Mapping[str, Any], key: str) -> str | None:
    """Return an optional string field; other types count as missing."""
    value = data.get(key)
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def opt_int(data: Mapping[str, Any], key: str) -> int | None:
    """Return an optional integer field (numeric strings accepted)."""
    value = data.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def opt_datetime(data: Mapping[str, Any], key: str, what: str) -> datetime | None:
    """Return an optional ISO 8601 timestamp as an aware datetime (naive means UTC)."""
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise MalformedResponseError(f"{what} has a non-text {key!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as err:
        raise MalformedResponseError(f"{what} has a bad timestamp in {key!r}") from err
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def enum_or_str[E: StrEnum](enum: type[E], value: str) -> E | str:
    """Return the enum member for ``value`` or the text itself when it is unknown."""
    try:
        return enum(value)
    except ValueError:
        return value


def format_timestamp(value: datetime) -> str:
    """Format an aware datetime as the service writes it (UTC, ``Z`` suffix)."""
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
