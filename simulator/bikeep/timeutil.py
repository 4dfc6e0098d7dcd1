"""Timestamps as the Bikeep API writes them (``2026-02-26T10:00:03.000Z``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def fmt(moment: datetime | None) -> str | None:
    """Format an aware datetime as ISO 8601 UTC with milliseconds and ``Z``."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def dump(moment: datetime | None) -> str | None:
    """Format for the state dump (full precision, round-trips through :func:`parse`)."""
    return None if moment is None else moment.astimezone(UTC).isoformat()


def parse(value: object, name: str) -> datetime:
    """Parse an ISO 8601 timestamp with a zone; raise ``ValueError`` naming ``name``."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be an ISO 8601 string")  # noqa: TRY004
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as err:
        raise ValueError(f"{name} is not an ISO 8601 timestamp: {value!r}") from err
    if moment.tzinfo is None:
        raise ValueError(f"{name} must carry a time zone (e.g. Z)")
    return moment.astimezone(UTC)


def parse_optional(value: object, name: str) -> datetime | None:
    """Like :func:`parse` but ``None`` stays ``None``."""
    return None if value is None else parse(value, name)


def after(moment: datetime, seconds: float) -> datetime:
    """Return ``moment`` plus ``seconds``."""
    return moment + timedelta(seconds=seconds)
