"""Attribute sets of new records, copied from the document's example payloads."""

from __future__ import annotations

from typing import Any

from .store import Record, new_id


def _wifi(now: str, connected_at: str | None) -> dict[str, Any]:
    return {
        "heartbeat_interval": 1200,
        "wifi_level": 0,
        "signal_quality": 3,
        "connected": True,
        "alive": True,
        "power_source": "alkaline_battery",
        "connected_at": connected_at or now,
    }


def device_attributes(
    kind: str,
    *,
    name: str,
    serial_number: str,
    model_id: str | None,
    location_id: str,
    now: str,
    connected_at: str | None = None,
) -> dict[str, Any]:
    """Return the attributes of a newly registered device of type ``kind``."""
    if kind == "lock":
        attrs: dict[str, Any] = {
            "name": name,
            **_wifi(now, connected_at),
            "serial_number": serial_number,
            "wake_wifi": "user_action",
            "muted": False,
            "auto_lock": True,
            "auto_lock_timeout": 20,
            "programming_code": "123456",
            "state": "locked",
            "power_level": 80,
            "created_at": now,
            "updated_at": now,
            "default_guest_start_time": None,
            "default_guest_end_time": None,
            "local_pins": [],
        }
    elif kind == "thermostat":
        attrs = {
            "name": name,
            **_wifi(now, connected_at),
            "power_source": "hardwire",
            "serial_number": serial_number,
            "current_mode": "cool",
            "target_mode": "cool",
            "fan_mode": "auto",
            "hold": False,
            "temperature": 77.0,
            "target_temperature": 75.5,
            "unit": "F",
            "humidity": 45,
            "energy_saver": True,
            "scheduled_target_temperature": 80.0,
            "desired_target_temperature": 75.5,
            "created_at": now,
            "updated_at": now,
        }
    elif kind == "power_plug":
        attrs = {
            "name": name,
            **_wifi(now, connected_at),
            "power_source": "hardwire",
            "serial_number": serial_number,
            "on": True,
            "voltage": 120.0,
            "power": 4.5,
            "power_factor": 0.57,
            "current": 0.06,
            "frequency": 59.95,
            "total_power": 8.75,
            "occupied": True,
            "created_at": now,
            "updated_at": now,
        }
    elif kind == "resort_lock":
        attrs = {
            "name": name,
            "default_guest_start_time": None,
            "default_guest_end_time": None,
            "created_at": now,
            "updated_at": now,
            "serial_number": serial_number,
        }
    elif kind == "acs_door":
        return {
            "name": name,
            "state": "locked",
            "connected": True,
            "created_at": now,
            "updated_at": now,
            "location_id": location_id,
        }
    else:
        raise ValueError(f"unknown device type {kind!r}")
    attrs["model_id"] = model_id
    attrs["location_id"] = location_id
    return attrs


def device_record(
    kind: str, rid: str | None = None, *, replaceable: bool = True, **kwargs: Any
) -> Record:
    """Return a device record (``meta.restricted_actions`` for non-replaceable models)."""
    record: Record = {
        "id": rid or new_id(),
        "type": kind,
        "attributes": device_attributes(kind, **kwargs),
    }
    if not replaceable and kind in ("lock", "thermostat", "power_plug"):
        record["_restricted_actions"] = ["replace"]
    return record


def access_attributes(
    *,
    person: Record,
    accessible_type: str,
    accessible_id: str,
    devices_count: int,
    now: str,
    access_schedule_id: str | None = None,
    guest_start_time: str | None = None,
    guest_end_time: str | None = None,
) -> dict[str, Any]:
    """Return the attributes of an access_person_access."""
    attrs: dict[str, Any] = {
        "guest_start_time": guest_start_time,
        "guest_end_time": guest_end_time,
        "devices_count": devices_count,
        "devices_synced_count": 0,
        "devices_pending_sync_count": devices_count,
        "devices_failed_sync_count": 0,
        "accessible_type": accessible_type,
        "created_at": now,
        "updated_at": now,
    }
    if access_schedule_id:
        attrs["access_schedule_id"] = access_schedule_id
    attrs["access_person_id"] = person["id"]
    attrs["access_person_type"] = person["type"]
    attrs["accessible_id"] = accessible_id
    return attrs
