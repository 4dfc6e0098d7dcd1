"""Event records in the documented shapes (one attribute set per event family)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .const import EVENT_TYPES
from .store import Record, iso, new_id

# Events that carry who/how details (the unlocked_event example of the document).
_CREDENTIAL_EVENTS = ("unlocked", "locked", "access_denied", "access_person_used")
_CREDENTIAL_FIELDS: dict[str, Any] = {
    "associated_resource_name": None,
    "status_info": None,
    "method": None,
    "card": None,
    "pin": None,
    "smart_card_serial_number": None,
}
_EXTRA_FIELDS: dict[str, dict[str, Any]] = {
    "access_person_synced": {"associated_resource_name": None},
    "access_guest_late_sync": {"associated_resource_name": None},
    "access_person_sync_failed": {
        "associated_resource_name": None,
        "status_info": None,
    },
    "power_level_low": {"power_level": None},
    "battery_replaced": {"power_level": None},
    "connectivity": {"connected_at": None},
    "temperature_changed": {"temperature": None},
    "humidity_changed": {"humidity": None},
}


def event_fields(event_type: str) -> dict[str, Any]:
    """Return the type-specific attributes (with null defaults) of ``event_type``."""
    if event_type in _CREDENTIAL_EVENTS:
        return dict(_CREDENTIAL_FIELDS)
    return dict(_EXTRA_FIELDS.get(event_type, {}))


def build_event(
    event_type: str,
    *,
    publisher: Record,
    occurred_at: datetime,
    created_at: datetime,
    time_zone: str,
    source: str = "device",
    status: str = "succeeded",
    associated: Record | None = None,
    details: dict[str, Any] | None = None,
) -> Record:
    """Return a new ``<event_type>_event`` record (``event_type`` without suffix)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    attributes: dict[str, Any] = {
        "source": source,
        "status": status,
        "time_zone": time_zone,
        "occurred_at": iso(occurred_at),
        "created_at": iso(created_at),
        "updated_at": iso(created_at),
    }
    specific = event_fields(event_type)
    for key, value in (details or {}).items():
        if key in specific:
            specific[key] = value
    attributes.update(specific)
    attributes["publisher_id"] = publisher["id"]
    attributes["publisher_type"] = publisher["type"]
    if (
        associated is not None
        or event_type in _CREDENTIAL_EVENTS
        or "associated_resource_name" in specific
    ):
        attributes["associated_resource_id"] = associated["id"] if associated else None
        attributes["associated_resource_type"] = (
            associated["type"] if associated else None
        )
    return {"id": new_id(), "type": f"{event_type}_event", "attributes": attributes}
