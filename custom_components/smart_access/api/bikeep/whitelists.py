"""RFID allowlists ("whitelists"): the lists, their cards and targets, batch results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .parsing import (
    as_object,
    enum_or_str,
    format_timestamp,
    opt_datetime,
    opt_int,
    opt_str,
    req_str,
)
from .rfid import RfidProblem


class EntityStatus(StrEnum):
    """Status of an RFID card on a whitelist."""

    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class TargetType(StrEnum):
    """What a whitelist grants access to (the ``type`` filter of the targets list)."""

    DEVICE = "device"
    LOCATION = "location"


@dataclass(frozen=True, slots=True)
class Whitelist:
    """An allowlist configured by Bikeep for a location."""

    id: str
    name: str | None = None
    location_id: str | None = None
    entities_count: int | None = None
    targets_count: int | None = None

    @classmethod
    def from_json(cls, value: object) -> Whitelist:
        """Parse one whitelist object."""
        data = as_object(value, "whitelist")
        location = data.get("location")
        location_id = opt_str(data, "location_id")
        if location_id is None and isinstance(location, Mapping):
            location_id = opt_str(location, "id")
        return cls(
            id=req_str(data, "id", "whitelist"),
            name=opt_str(data, "name") or opt_str(data, "label"),
            location_id=location_id,
            entities_count=opt_int(data, "entities_count"),
            targets_count=opt_int(data, "targets_count"),
        )


@dataclass(frozen=True, slots=True)
class WhitelistTarget:
    """A device or location a whitelist's cards can operate."""

    id: str
    type: TargetType | str | None = None

    @classmethod
    def from_json(cls, value: object) -> WhitelistTarget:
        """Parse one target object."""
        data = as_object(value, "whitelist target")
        kind = opt_str(data, "type")
        return cls(
            id=req_str(data, "id", "whitelist target"),
            type=enum_or_str(TargetType, kind.lower()) if kind is not None else None,
        )


@dataclass(frozen=True, slots=True)
class RfidEntity:
    """An RFID card on a whitelist (to add, or as listed)."""

    id: str
    status: EntityStatus | str = EntityStatus.ACTIVE
    expires_at: datetime | None = None
    comment: str | None = None
    id_type: str = "rfid"
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def from_json(cls, value: object) -> RfidEntity:
        """Parse one entity object."""
        data = as_object(value, "whitelist entity")
        status = opt_str(data, "status")
        parsed_status = (
            enum_or_str(EntityStatus, status) if status else EntityStatus.ACTIVE
        )
        return cls(
            id=req_str(data, "id", "whitelist entity"),
            status=parsed_status,
            expires_at=opt_datetime(data, "expires_at", "whitelist entity"),
            comment=opt_str(data, "comment"),
            id_type=opt_str(data, "id_type") or "rfid",
            created_at=opt_datetime(data, "created_at", "whitelist entity"),
            updated_at=opt_datetime(data, "updated_at", "whitelist entity"),
        )

    def to_json(self, normalised_id: str) -> dict[str, Any]:
        """Return the ADD payload item for this card under its normalised id."""
        item: dict[str, Any] = {
            "id": normalised_id,
            "id_type": self.id_type,
            "status": str(self.status),
        }
        if self.expires_at is not None:
            item["expires_at"] = format_timestamp(self.expires_at)
        if self.comment is not None:
            item["comment"] = self.comment
        return item


@dataclass(frozen=True, slots=True)
class BatchItemError:
    """One item of a batch that was not applied, and why.

    ``id`` is the normalised id the service saw, or the raw input when the client
    rejected it before sending (``problem`` is then set and nothing was sent).
    """

    id: str
    reason: str
    problem: RfidProblem | None = None
    code: str | None = None

    @property
    def rejected_locally(self) -> bool:
        """Return whether the client rejected the item before sending it."""
        return self.problem is not None


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Outcome of an ADD or REMOVE batch; successes are never rolled back.

    ``succeeded`` holds normalised ids the service applied, ``failed`` the items that
    were not applied (rejected locally or by the service), ``normalised`` maps every
    accepted input to the id that was sent (equal when nothing changed).
    """

    succeeded: tuple[str, ...] = ()
    failed: tuple[BatchItemError, ...] = ()
    normalised: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Return whether every item was applied."""
        return not self.failed

    @property
    def changed_inputs(self) -> dict[str, str]:
        """Return only the inputs that normalisation changed (input -> sent id)."""
        return {raw: sent for raw, sent in self.normalised.items() if raw != sent}


def parse_error_result(value: object) -> BatchItemError:
    """Parse one ``error_results`` item, tolerating the usual shapes."""
    data = as_object(value, "error result")
    item_id = opt_str(data, "id")
    entity = data.get("entity") or data.get("item")
    if item_id is None and isinstance(entity, Mapping):
        item_id = opt_str(entity, "id")
    reason = (
        opt_str(data, "reason")
        or opt_str(data, "message")
        or opt_str(data, "error_description")
        or opt_str(data, "error")
        or "rejected by the service"
    )
    code = opt_str(data, "code") or opt_str(data, "error")
    return BatchItemError(id=item_id or "", reason=reason, code=code)
