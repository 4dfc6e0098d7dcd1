"""Naive local guest times <-> aware datetimes, across DST in two time zones."""

# ruff: noqa: DTZ001  (naive local times are what the API speaks)

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.smart_access.api.errors import ValidationError
from custom_components.smart_access.api.remotelock import (
    aware_to_local_naive,
    local_naive_to_aware,
)

DENVER = "America/Denver"
BERLIN = "Europe/Berlin"


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        # ordinary winter and summer times
        (
            DENVER,
            datetime(2024, 1, 15, 16, 0),
            datetime(2024, 1, 15, 23, 0, tzinfo=UTC),
        ),
        (
            DENVER,
            datetime(2024, 7, 15, 16, 0),
            datetime(2024, 7, 15, 22, 0, tzinfo=UTC),
        ),
        (
            BERLIN,
            datetime(2024, 1, 15, 16, 0),
            datetime(2024, 1, 15, 15, 0, tzinfo=UTC),
        ),
        (
            BERLIN,
            datetime(2024, 7, 15, 16, 0),
            datetime(2024, 7, 15, 14, 0, tzinfo=UTC),
        ),
        # just before and after the spring-forward gap
        (
            DENVER,
            datetime(2024, 3, 10, 1, 59),
            datetime(2024, 3, 10, 8, 59, tzinfo=UTC),
        ),
        (DENVER, datetime(2024, 3, 10, 3, 0), datetime(2024, 3, 10, 9, 0, tzinfo=UTC)),
        (
            BERLIN,
            datetime(2024, 3, 31, 1, 59),
            datetime(2024, 3, 31, 0, 59, tzinfo=UTC),
        ),
        (BERLIN, datetime(2024, 3, 31, 3, 0), datetime(2024, 3, 31, 1, 0, tzinfo=UTC)),
    ],
)
def test_round_trip(zone: str, local: datetime, utc: datetime) -> None:
    aware = local_naive_to_aware(local, zone)
    assert aware == utc
    assert aware.utcoffset() == timedelta(0)
    assert aware_to_local_naive(aware, zone) == local
    assert aware_to_local_naive(utc, zone) == local


@pytest.mark.parametrize(
    ("zone", "local", "expected_local", "utc"),
    [
        # 02:30 does not exist: moved forward by the one-hour gap
        (
            DENVER,
            datetime(2024, 3, 10, 2, 30),
            datetime(2024, 3, 10, 3, 30),
            datetime(2024, 3, 10, 9, 30, tzinfo=UTC),
        ),
        (
            BERLIN,
            datetime(2024, 3, 31, 2, 30),
            datetime(2024, 3, 31, 3, 30),
            datetime(2024, 3, 31, 1, 30, tzinfo=UTC),
        ),
    ],
)
def test_nonexistent_local_time_moves_forward(
    zone: str, local: datetime, expected_local: datetime, utc: datetime
) -> None:
    aware = local_naive_to_aware(local, zone)
    assert aware == utc
    assert aware_to_local_naive(aware, zone) == expected_local


@pytest.mark.parametrize(
    ("zone", "local", "first"),
    [
        # 01:30 happens twice when clocks go back: the first (summer-time) one is used
        (
            DENVER,
            datetime(2024, 11, 3, 1, 30),
            datetime(2024, 11, 3, 7, 30, tzinfo=UTC),
        ),
        (
            BERLIN,
            datetime(2024, 10, 27, 2, 30),
            datetime(2024, 10, 27, 0, 30, tzinfo=UTC),
        ),
    ],
)
def test_ambiguous_local_time_takes_first(
    zone: str, local: datetime, first: datetime
) -> None:
    aware = local_naive_to_aware(local, zone)
    assert aware == first
    # the second occurrence, an hour later, maps back to the same wall-clock time
    assert aware_to_local_naive(first + timedelta(hours=1), zone) == local


def test_guest_window_across_dst_is_shorter() -> None:
    """A guest staying over the spring-forward night has 23 real hours, not 24."""
    start = local_naive_to_aware(datetime(2024, 3, 9, 16, 0), DENVER)
    end = local_naive_to_aware(datetime(2024, 3, 10, 16, 0), DENVER)
    assert end - start == timedelta(hours=23)


def test_invalid_inputs() -> None:
    with pytest.raises(ValidationError):
        local_naive_to_aware(datetime(2024, 1, 1, tzinfo=UTC), DENVER)
    with pytest.raises(ValidationError):
        aware_to_local_naive(datetime(2024, 1, 1), DENVER)
    with pytest.raises(ValidationError):
        local_naive_to_aware(datetime(2024, 1, 1), "Mars/Olympus_Mons")
    with pytest.raises(ValidationError):
        aware_to_local_naive(datetime(2024, 1, 1, tzinfo=UTC), "../etc")
