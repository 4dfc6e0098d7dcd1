"""Whitelist entity validation and the per-item ADD / REMOVE processing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
import re
from typing import Any

from . import const
from .model import Entity, Whitelist
from .timeutil import parse_optional

_HEX = re.compile(r"[0-9a-f]+")


@dataclass(frozen=True)
class ItemError:
    """Why one entity of a batch failed."""

    code: str
    message: str


def validate_rfid(value: object) -> ItemError | None:
    """Check the guide's RFID rules: raw lowercase hex, even length, at most 20 chars."""
    if not isinstance(value, str) or not value:
        return ItemError("INVALID_ID", "id must be a non-empty string")
    if not _HEX.fullmatch(value):
        return ItemError(
            "INVALID_ID",
            "id must be raw lowercase hexadecimal without separators",
        )
    if len(value) % 2:
        return ItemError("INVALID_ID", "id must have an even number of characters")
    if len(value) > const.RFID_MAX_LENGTH:
        return ItemError(
            "INVALID_ID", f"id must be at most {const.RFID_MAX_LENGTH} characters"
        )
    return None


def _validate_id_type(raw: dict[str, Any]) -> ItemError | None:
    if raw.get("id_type", const.ID_TYPE_RFID) != const.ID_TYPE_RFID:
        return ItemError("INVALID_ID_TYPE", "id_type must be 'rfid'")
    return None


def validate_entity(raw: object, now: datetime) -> dict[str, Any] | ItemError:
    """Validate one ADD item; return the entity fields or the reason it fails."""
    del now  # expiry in the past is allowed (the card is simply expired)
    if not isinstance(raw, dict):
        return ItemError("INVALID_ENTITY", "each entity must be an object")
    error = validate_rfid(raw.get("id")) or _validate_id_type(raw)
    if error:
        return error
    status = raw.get("status", "ACTIVE")
    if status not in const.ENTITY_STATUSES:
        return ItemError(
            "INVALID_STATUS",
            f"status must be one of {', '.join(const.ENTITY_STATUSES)}",
        )
    try:
        expires_at = parse_optional(raw.get("expires_at"), "expires_at")
    except ValueError as err:
        return ItemError("INVALID_EXPIRES_AT", str(err))
    comment = raw.get("comment")
    if comment is not None and (
        not isinstance(comment, str) or len(comment) > const.COMMENT_MAX_LENGTH
    ):
        return ItemError(
            "INVALID_COMMENT",
            f"comment must be a string of at most {const.COMMENT_MAX_LENGTH} characters",
        )
    return {
        "id": raw["id"],
        "id_type": const.ID_TYPE_RFID,
        "status": status,
        "expires_at": expires_at,
        "comment": comment,
    }


def _error_result(index: int, raw: object, error: ItemError) -> dict[str, Any]:
    item = raw if isinstance(raw, dict) else {}
    ident = item.get("id")
    return {
        "index": index,
        "id": ident if isinstance(ident, str) else None,
        "id_type": item.get("id_type", const.ID_TYPE_RFID),
        "error": error.code,
        "message": error.message,
    }


@dataclass
class BatchResult:
    """Outcome of one ADD/REMOVE request: processed entities and failed items."""

    processed: list[dict[str, Any]]
    errors: list[dict[str, Any]]


def add_entities(whitelist: Whitelist, items: list[Any], now: datetime) -> BatchResult:
    """Add (or replace) each valid item; failed items are reported, never rolled back."""
    result = BatchResult([], [])
    for index, raw in enumerate(items):
        fields = validate_entity(raw, now)
        if isinstance(fields, ItemError):
            result.errors.append(_error_result(index, raw, fields))
            continue
        previous = whitelist.entities.get(fields["id"])
        entity = Entity(
            **fields,
            created_at=previous.created_at if previous else now,
            updated_at=now,
        )
        whitelist.entities[entity.id] = entity
        result.processed.append(entity.to_dict())
    return result


def remove_entities(whitelist: Whitelist, items: list[Any]) -> BatchResult:
    """Remove each listed card; an unknown id fails that item only."""
    result = BatchResult([], [])
    for index, raw in enumerate(items):
        if not isinstance(raw, dict):
            error: ItemError | None = ItemError(
                "INVALID_ENTITY", "each entity must be an object"
            )
        else:
            error = validate_rfid(raw.get("id")) or _validate_id_type(raw)
            if error is None and raw["id"] not in whitelist.entities:
                error = ItemError("NOT_FOUND", "entity is not in this whitelist")
        if error is not None:
            result.errors.append(_error_result(index, raw, error))
            continue
        ident = raw["id"] if isinstance(raw, dict) else ""
        del whitelist.entities[ident]
        result.processed.append({"id": ident, "id_type": const.ID_TYPE_RFID})
    return result
