"""RFID id validation, case by case (the guide's format rules)."""

from __future__ import annotations

import pytest

from custom_components.smart_access.api.bikeep import (
    RFID_MAX_LENGTH,
    RfidChange,
    RfidProblem,
    validate_rfid,
)


def test_guide_example_is_valid_and_unchanged() -> None:
    verdict = validate_rfid("04a2b3c4d5e6f7")
    assert verdict.valid
    assert verdict.normalised == "04a2b3c4d5e6f7"
    assert verdict.problem is None
    assert verdict.reason is None
    assert verdict.changes == ()
    assert not verdict.changed


def test_max_length_is_accepted() -> None:
    raw = "ab" * (RFID_MAX_LENGTH // 2)
    assert len(raw) == 20
    assert validate_rfid(raw).normalised == raw


@pytest.mark.parametrize(
    ("raw", "normalised", "changes"),
    [
        ("04A2B3C4D5E6F7", "04a2b3c4d5e6f7", (RfidChange.LOWERCASED,)),
        ("04:a2:b3:c4:d5:e6:f7", "04a2b3c4d5e6f7", (RfidChange.SEPARATORS_REMOVED,)),
        ("04-a2-b3-c4", "04a2b3c4", (RfidChange.SEPARATORS_REMOVED,)),
        ("04 a2 b3 c4", "04a2b3c4", (RfidChange.SEPARATORS_REMOVED,)),
        ("04.a2", "04a2", (RfidChange.SEPARATORS_REMOVED,)),
        ("  04a2\n", "04a2", (RfidChange.TRIMMED,)),
        (
            " 04:A2:b3 ",
            "04a2b3",
            (RfidChange.TRIMMED, RfidChange.SEPARATORS_REMOVED, RfidChange.LOWERCASED),
        ),
    ],
)
def test_obvious_forms_are_normalised_and_reported(
    raw: str, normalised: str, changes: tuple[RfidChange, ...]
) -> None:
    verdict = validate_rfid(raw)
    assert verdict.valid
    assert verdict.normalised == normalised
    assert verdict.changes == changes
    assert verdict.changed
    assert verdict.raw == raw


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "the RFID id is empty"),
        ("   ", "the RFID id is empty"),
        (":::", "the RFID id has no hex digits"),
        (" - ", "the RFID id has no hex digits"),
    ],
)
def test_empty(raw: str, reason: str) -> None:
    verdict = validate_rfid(raw)
    assert not verdict.valid
    assert verdict.normalised is None
    assert verdict.problem is RfidProblem.EMPTY
    assert verdict.reason == reason


@pytest.mark.parametrize(
    ("raw", "character", "position"),
    [
        ("04g2", "g", 3),
        ("x4a2", "x", 1),
        ("0xa2", "x", 2),
        ("04a2b3c4d5e6f_", "_", 14),
        ("  04z2", "z", 5),
        ("04:a2:zz", "z", 7),
        ("04a٣", "٣", 4),
        ("04ä2", "ä", 3),
    ],
)
def test_non_hex_character_and_position(
    raw: str, character: str, position: int
) -> None:
    verdict = validate_rfid(raw)
    assert verdict.problem is RfidProblem.NON_HEX
    assert verdict.character == character
    assert verdict.position == position
    assert verdict.reason == f"non-hex character {character!r} at position {position}"
    assert verdict.normalised is None


@pytest.mark.parametrize("raw", ["abc", "0", "04a2b3c4d5e6f"])
def test_odd_length(raw: str) -> None:
    verdict = validate_rfid(raw)
    assert verdict.problem is RfidProblem.ODD_LENGTH
    assert verdict.reason is not None
    assert f"{len(raw)} hex digits" in verdict.reason
    assert verdict.position is None
    assert verdict.character is None


@pytest.mark.parametrize("raw", ["ab" * 11, "a" * 21, "AB:" * 11])
def test_too_long(raw: str) -> None:
    verdict = validate_rfid(raw)
    assert verdict.problem is RfidProblem.TOO_LONG
    assert verdict.reason is not None
    assert "at most 20" in verdict.reason


def test_first_problem_wins_non_hex_before_length() -> None:
    assert validate_rfid("g" * 25).problem is RfidProblem.NON_HEX
    assert validate_rfid("a" * 23).problem is RfidProblem.TOO_LONG
