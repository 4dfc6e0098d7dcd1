"""Strict readers for the JSON the API answers with.

Every reader raises :class:`MalformedResponseError` naming the resource type and the
attribute (never the value: values may be PINs or e-mail addresses) when the data has
the wrong type, so no ``KeyError``/``TypeError``/``ValueError`` escapes the client.
Missing optional attributes and ``null`` read as ``None``; unknown attributes are
ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from ...errors import MalformedResponseError


def parse_timestamp(value: str, what: str) -> datetime:
    """Parse an ISO 8601 timestamp with a zone (``Z`` or offset) into aware UTC."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as err:
        raise MalformedResponseError(f"{what} is not an ISO 8601 timestamp") from err
    if parsed.tzinfo is None:
        raise MalformedResponseError(f"{what} has no time zone")
    return parsed.astimezone(UTC)


def parse_naive(value: str, what: str) -> datetime:
    """Parse an ISO 8601 local timestamp; a zone suffix, if any, is dropped.

    The API documents guest ``starts_at``/``ends_at`` as local times without a zone,
    yet one documented update request sends ``...Z``; the wall-clock part is kept.
    """
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as err:
        raise MalformedResponseError(f"{what} is not an ISO 8601 timestamp") from err
    return parsed.replace(tzinfo=None)


def parse_time(value: str, what: str) -> time:
    """Parse an ``HH:MM`` or ``HH:MM:SS`` time of day."""
    try:
        return time.fromisoformat(value)
    except ValueError as err:
        raise MalformedResponseError(f"{what} is not a time of day") from err


@dataclass(frozen=True, slots=True)
class Attrs:
    """Typed access to one resource's ``attributes`` object."""

    data: Mapping[str, Any]
    kind: str
    #: Values came from a form-encoded webhook: everything is a string there, so
    #: "" reads as null, "true"/"false" as booleans and numeric text as numbers.
    form: bool = False

    def _what(self, name: str) -> str:
        return f"{self.kind}.{name}"

    def _get(self, name: str, types: type | tuple[type, ...], label: str) -> Any:
        value = self.data.get(name)
        allowed = types if isinstance(types, tuple) else (types,)
        if self.form and isinstance(value, str):
            value = self._from_form(value, allowed, name, label)
        if value is None:
            return None
        if not isinstance(value, allowed) or (
            isinstance(value, bool) and bool not in allowed
        ):
            raise MalformedResponseError(f"{self._what(name)} is not {label}")
        return value

    def _from_form(
        self, value: str, allowed: tuple[type, ...], name: str, label: str
    ) -> Any:
        if value == "":
            return None
        if str in allowed:
            return value
        if bool in allowed and value in ("true", "false"):
            return value == "true"
        if int in allowed or float in allowed:
            try:
                return int(value)
            except ValueError:
                pass
            try:
                return float(value)
            except ValueError:
                pass
        raise MalformedResponseError(f"{self._what(name)} is not {label}")

    def opt_str(self, name: str) -> str | None:
        """Return a string attribute or ``None``."""
        value: str | None = self._get(name, str, "a string")
        return value

    def opt_int(self, name: str) -> int | None:
        """Return an integer attribute (a float with no fraction is accepted)."""
        value = self._get(name, (int, float), "a number")
        if value is None:
            return None
        if isinstance(value, float):
            if not value.is_integer():
                raise MalformedResponseError(f"{self._what(name)} is not an integer")
            return int(value)
        return int(value)

    def opt_float(self, name: str) -> float | None:
        """Return a numeric attribute as float."""
        value = self._get(name, (int, float), "a number")
        return None if value is None else float(value)

    def opt_bool(self, name: str) -> bool | None:
        """Return a boolean attribute."""
        value: bool | None = self._get(name, bool, "a boolean")
        return value

    def opt_datetime(self, name: str) -> datetime | None:
        """Return an aware (UTC) timestamp attribute."""
        value = self.opt_str(name)
        return None if value is None else parse_timestamp(value, self._what(name))

    def opt_naive(self, name: str) -> datetime | None:
        """Return a local timestamp without zone (see :func:`parse_naive`)."""
        value = self.opt_str(name)
        return None if value is None else parse_naive(value, self._what(name))

    def opt_time(self, name: str) -> time | None:
        """Return a time-of-day attribute."""
        value = self.opt_str(name)
        return None if value is None else parse_time(value, self._what(name))

    def str_tuple(self, name: str) -> tuple[str, ...] | None:
        """Return a list-of-strings attribute as a tuple."""
        value = self._get(name, list, "a list")
        if value is None:
            return None
        if not all(isinstance(item, str) for item in value):
            raise MalformedResponseError(f"{self._what(name)} holds a non-string")
        return tuple(value)

    def int_tuple(self, name: str) -> tuple[int, ...]:
        """Return a list-of-integers attribute as a tuple (empty when missing)."""
        value = self._get(name, list, "a list")
        if value is None:
            return ()
        if not all(
            isinstance(item, int) and not isinstance(item, bool) for item in value
        ):
            raise MalformedResponseError(f"{self._what(name)} holds a non-integer")
        return tuple(value)

    def dict_list(self, name: str) -> list[Mapping[str, Any]]:
        """Return a list-of-objects attribute (empty when missing)."""
        value = self._get(name, list, "a list")
        if value is None:
            return []
        if not all(isinstance(item, dict) for item in value):
            raise MalformedResponseError(f"{self._what(name)} holds a non-object")
        items: list[Mapping[str, Any]] = value
        return items

    def opt_dict(self, name: str) -> Mapping[str, Any] | None:
        """Return an object attribute."""
        value: Mapping[str, Any] | None = self._get(name, dict, "an object")
        return value

    def child(self, name: str, kind: str) -> Attrs:
        """Return a reader for a nested object (empty when missing)."""
        return Attrs(self.opt_dict(name) or {}, f"{self.kind}.{kind}", self.form)


@dataclass(frozen=True, slots=True)
class Resource:
    """The envelope of one resource: ``{"type", "id", "attributes", "links", "meta"}``."""

    type: str
    id: str
    attrs: Attrs
    links: Mapping[str, str]
    restricted_actions: tuple[str, ...]


def read_resource(
    value: Any, *, require_id: bool = True, form: bool = False
) -> Resource:
    """Validate one resource object and return its parts."""
    if not isinstance(value, dict):
        raise MalformedResponseError("resource is not a JSON object")
    kind = value.get("type")
    if not isinstance(kind, str):
        raise MalformedResponseError("resource has no type")
    ident = value.get("id")
    if isinstance(ident, int) and not isinstance(ident, bool):
        ident = str(ident)
    if not isinstance(ident, str):
        if require_id:
            raise MalformedResponseError(f"{kind} resource has no id")
        ident = ""
    attributes = value.get("attributes")
    if attributes is None:
        attributes = {}
    if not isinstance(attributes, dict):
        raise MalformedResponseError(f"{kind} attributes is not an object")
    links = value.get("links")
    clean_links = (
        {k: v for k, v in links.items() if isinstance(v, str)}
        if isinstance(links, dict)
        else {}
    )
    meta = value.get("meta")
    restricted: tuple[str, ...] = ()
    if isinstance(meta, dict) and isinstance(meta.get("restricted_actions"), list):
        restricted = tuple(
            item for item in meta["restricted_actions"] if isinstance(item, str)
        )
    return Resource(kind, ident, Attrs(attributes, kind, form), clean_links, restricted)
