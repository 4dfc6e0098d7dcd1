"""Input checks shared by the resource handlers; each adds to a ResourceError."""

from __future__ import annotations

from collections.abc import Collection as AbstractCollection, Sequence
from datetime import date, datetime, time
import re
from typing import Any

from .errors import ResourceError
from .store import Collection

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")
_DIGITS = re.compile(r"^\d+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Checker:
    """Collects messages for one request's attributes."""

    def __init__(self, attributes: dict[str, Any]) -> None:
        """Wrap the submitted attributes."""
        self.attrs = attributes
        self.error = ResourceError(attributes)

    def add(self, attribute: str | None, message: str) -> None:
        """Record a message."""
        self.error.add(attribute, message)

    def done(self) -> None:
        """Raise the 422 when anything was wrong."""
        self.error.raise_if_any()

    def has(self, name: str) -> bool:
        """Return whether ``name`` was submitted."""
        return name in self.attrs

    def required(self, *names: str) -> None:
        """Every name must be present and not blank."""
        for name in names:
            value = self.attrs.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                self.add(name, "can't be blank")

    def string(self, name: str, *, required: bool = False) -> None:
        """``name`` is a non-blank string (when given, or always if ``required``)."""
        if name not in self.attrs:
            if required:
                self.add(name, "can't be blank")
            return
        value = self.attrs[name]
        if (not isinstance(value, str) or not value.strip()) and (
            required or value is not None
        ):
            self.add(name, "can't be blank")

    def one_of(
        self, name: str, choices: Sequence[Any], *, required: bool = False
    ) -> None:
        """``name`` is one of ``choices``."""
        if name not in self.attrs:
            if required:
                self.add(name, "can't be blank")
            return
        if self.attrs[name] not in choices:
            self.add(
                name, f"is not included in the list ({', '.join(map(str, choices))})"
            )

    def boolean(self, name: str) -> None:
        """``name`` is true or false."""
        if name in self.attrs and not isinstance(self.attrs[name], bool):
            self.add(name, "must be true or false")

    def number(
        self, name: str, *, minimum: float | None = None, maximum: float | None = None
    ) -> None:
        """``name`` is a number within the bounds."""
        if name not in self.attrs:
            return
        value = self.attrs[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(name, "is not a number")
            return
        if minimum is not None and value < minimum:
            self.add(name, f"must be greater than or equal to {minimum}")
        if maximum is not None and value > maximum:
            self.add(name, f"must be less than or equal to {maximum}")

    def digits(self, name: str, *, allow_null: bool = True) -> None:
        """``name`` is a string of digits."""
        if name not in self.attrs:
            return
        value = self.attrs[name]
        if value is None and allow_null:
            return
        if not isinstance(value, str) or not _DIGITS.match(value):
            self.add(name, "must contain only digits")

    def email(self, name: str) -> None:
        """``name`` looks like an e-mail address (null allowed)."""
        value = self.attrs.get(name)
        if value is not None and (
            not isinstance(value, str) or not _EMAIL.match(value)
        ):
            self.add(name, "is invalid")

    def time_of_day(self, name: str) -> str | None:
        """``name`` is ``HH:MM`` or ``HH:MM:SS``; return it as ``HH:MM:SS``."""
        if name not in self.attrs or self.attrs[name] is None:
            return None
        normalized = normalize_time(self.attrs[name])
        if normalized is None:
            self.add(name, "must be a 24 hour time (HH:MM or HH:MM:SS)")
        return normalized

    def timestamp(self, name: str, *, required: bool = False) -> datetime | None:
        """``name`` is an ISO 8601 timestamp; return it naive (zone dropped)."""
        if self.attrs.get(name) in (None, ""):
            if required:
                self.add(name, "can't be blank")
            return None
        value = self.attrs[name]
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            self.add(name, "is not a valid ISO 8601 timestamp")
            return None
        return parsed.replace(tzinfo=None)

    def reference(
        self,
        name: str,
        collection: Collection,
        types: AbstractCollection[str] = (),
        *,
        required: bool = False,
    ) -> None:
        """``name`` is the id of a record (of one of ``types``) in ``collection``."""
        value = self.attrs.get(name)
        if value in (None, ""):
            if required:
                self.add(name, "can't be blank")
            return
        record = collection.get(str(value))
        if record is None or (types and record["type"] not in types):
            self.add(name, "does not exist")


def normalize_time(value: Any) -> str | None:
    """Return ``HH:MM:SS`` for ``HH:MM[:SS]``, else None."""
    if not isinstance(value, str):
        return None
    match = _TIME.match(value)
    if not match:
        return None
    return f"{match.group(1)}:{match.group(2)}:{match.group(3) or '00'}"


def short_time(value: Any) -> str | None:
    """Return ``HH:MM`` for ``HH:MM[:SS]``, else None."""
    normalized = normalize_time(value)
    return normalized[:5] if normalized else None


def naive_iso(moment: datetime) -> str:
    """Format a naive timestamp the way the API does: ``2020-01-02T16:04:00``."""
    return moment.replace(microsecond=0).isoformat()


def parse_date(value: Any) -> date | None:
    """Return the date of ``YYYY-MM-DD`` text, else None."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def time_value(text: str) -> time:
    """Parse ``HH:MM[:SS]`` (already validated)."""
    return time.fromisoformat(normalize_time(text) or "00:00:00")
