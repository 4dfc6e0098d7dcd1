"""Convert between aware datetimes and the naive local times access guests use.

Access guest ``starts_at``/``ends_at`` (and resort lock guest times) are wall-clock
times in the location's time zone, without an offset. Across daylight saving time:

* a local time that does not exist (the hour skipped when clocks go forward) is
  moved forward by the gap: 02:30 on a spring-forward night becomes 03:30 local
  (PEP 495 ``fold=0``: the offset in force before the gap applies), so access
  never starts earlier than asked;
* an ambiguous local time (the hour repeated when clocks go back) is taken as its
  first occurrence (``fold=0``, the earlier instant, still on summer time).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ValidationError


def _zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ValidationError(f"unknown time zone {time_zone!r}") from err


def local_naive_to_aware(value: datetime, time_zone: str) -> datetime:
    """Place a naive local time of ``time_zone`` on the time line.

    Returns an aware datetime in UTC: Python compares and subtracts datetimes that
    share a ``ZoneInfo`` by wall-clock time (ignoring DST changes between them), and
    treats an ambiguous ``fold=0`` time as unequal to every other zone's, so UTC is
    the safe form for arithmetic; use ``astimezone`` for display. Raises :class:`ValidationError` for an aware ``value`` or an unknown zone.
    """
    if value.tzinfo is not None:
        raise ValidationError("expected a naive local time")
    zone = _zone(time_zone)
    # fold=0: the first occurrence of an ambiguous time; for a non-existent time
    # the offset before the gap applies, which lands one gap later in local time.
    return value.replace(tzinfo=zone, fold=0).astimezone(UTC)


def aware_to_local_naive(value: datetime, time_zone: str) -> datetime:
    """Return the wall-clock time of ``value`` in ``time_zone``, without zone.

    Raises :class:`ValidationError` for a naive ``value`` or an unknown zone.
    """
    if value.tzinfo is None:
        raise ValidationError("expected an aware datetime")
    return value.astimezone(_zone(time_zone)).replace(tzinfo=None, fold=0)
