"""RFID card id validation and normalisation, done before anything is sent.

The guide: RFID card ids are raw lowercase hexadecimal with no separators, of even
length, at most 20 characters (e.g. ``04a2b3c4d5e6f7``). Obvious variants are
normalised and the caller is told what changed: surrounding whitespace, colon, dash,
dot and space separators (``04:A2:B3``) and upper case. Anything else is rejected with
the exact reason. The id itself never appears in a log line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .const import RFID_MAX_LENGTH

HEX_DIGITS = frozenset("0123456789abcdef")
SEPARATORS = frozenset(":-. \t")


class RfidProblem(StrEnum):
    """Why an RFID id was rejected."""

    EMPTY = "empty"
    NON_HEX = "non_hex"
    ODD_LENGTH = "odd_length"
    TOO_LONG = "too_long"


class RfidChange(StrEnum):
    """What normalisation changed in an accepted RFID id."""

    TRIMMED = "trimmed_whitespace"
    SEPARATORS_REMOVED = "separators_removed"
    LOWERCASED = "lowercased"


@dataclass(frozen=True, slots=True)
class RfidValidation:
    """The verdict on one RFID id.

    ``normalised`` is the id to send (``None`` when rejected). ``problem`` and
    ``reason`` say why it was rejected; for a non-hex character ``character`` is the
    offending character and ``position`` its 1-based position in the raw input.
    ``changes`` lists what normalisation did to an accepted id.
    """

    raw: str
    normalised: str | None
    problem: RfidProblem | None = None
    reason: str | None = None
    position: int | None = None
    character: str | None = None
    changes: tuple[RfidChange, ...] = ()

    @property
    def valid(self) -> bool:
        """Return whether the id can be sent."""
        return self.normalised is not None

    @property
    def changed(self) -> bool:
        """Return whether the id was normalised (the caller may want to say so)."""
        return bool(self.changes)


def _reject(
    raw: str, problem: RfidProblem, reason: str, **extra: object
) -> RfidValidation:
    position = extra.get("position")
    character = extra.get("character")
    return RfidValidation(
        raw=raw,
        normalised=None,
        problem=problem,
        reason=reason,
        position=position if isinstance(position, int) else None,
        character=character if isinstance(character, str) else None,
    )


def validate_rfid(raw: str) -> RfidValidation:
    """Validate ``raw`` and normalise obvious forms; say exactly why it is rejected."""
    changes: list[RfidChange] = []
    stripped = raw.strip()
    if stripped != raw:
        changes.append(RfidChange.TRIMMED)
    if not stripped:
        return _reject(raw, RfidProblem.EMPTY, "the RFID id is empty")
    offset = len(raw) - len(raw.lstrip())
    digits: list[str] = []
    for index, char in enumerate(stripped):
        if char in SEPARATORS:
            if RfidChange.SEPARATORS_REMOVED not in changes:
                changes.append(RfidChange.SEPARATORS_REMOVED)
            continue
        lower = char.lower()
        if lower not in HEX_DIGITS or not char.isascii():
            position = offset + index + 1
            return _reject(
                raw,
                RfidProblem.NON_HEX,
                f"non-hex character {char!r} at position {position}",
                position=position,
                character=char,
            )
        if lower != char and RfidChange.LOWERCASED not in changes:
            changes.append(RfidChange.LOWERCASED)
        digits.append(lower)
    normalised = "".join(digits)
    if not normalised:
        return _reject(raw, RfidProblem.EMPTY, "the RFID id has no hex digits")
    if len(normalised) > RFID_MAX_LENGTH:
        return _reject(
            raw,
            RfidProblem.TOO_LONG,
            f"too long: {len(normalised)} hex digits, at most {RFID_MAX_LENGTH}",
        )
    if len(normalised) % 2:
        return _reject(
            raw,
            RfidProblem.ODD_LENGTH,
            f"odd length: {len(normalised)} hex digits, the length must be even",
        )
    return RfidValidation(raw=raw, normalised=normalised, changes=tuple(changes))
