"""The built-in scenario: one account, two time zones, every device type.

Ids are fixed (uuid5 of a readable name) so tests and scripts can refer to them,
e.g. ``scenario.FRONT_DOOR_ID``. Guest times are relative to "now" so that the
current / upcoming / expired guests keep their status.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import json
from pathlib import Path
from typing import Any
import uuid

from .const import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_ACCOUNT_NAME,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_USER_EMAIL,
    DEFAULT_USER_ID,
    DEFAULT_USER_PASSWORD,
    EVENT_TYPES,
    PUBLISHER_EVENT_TYPES,
    WEEKDAYS,
)
from .events import build_event
from .store import Record, iso
from .templates import access_attributes, device_record

_NS = uuid.UUID("6f1c8a52-3d4e-4f3a-9a57-0c2b7d1e5f00")


def sid(name: str) -> str:
    """Return the fixed id of a scenario object called ``name``."""
    return str(uuid.uuid5(_NS, name))


MODELS_FILE = Path(__file__).with_name("models.json")
MODEL_IDS = {
    "LS-6i": "7bcd9665-e9a7-4b4e-807f-a3177cf339c1",
    "LS-DB500i": "f36eef55-0e59-4bba-8893-437fef018003",
    "LS-5i": "d7251cab-c4f8-40da-8278-be595a88ad25",
    "LS-60i": "0eefd459-7fe4-413b-8dcf-591b4403fcb4",
    "LS-P50i": "e45ad90f-68b8-4a35-8d83-a83f39037c32",
    "RL-4000": "422973fc-c005-4bc6-a486-b2dbf510ea66",
}

DENVER_ID = sid("location:denver")
AMSTERDAM_ID = sid("location:amsterdam")
FRONT_DOOR_ID = sid("device:front-door")  # LS-6i lock, Denver
BACK_DOOR_ID = sid("device:back-door")  # LS-DB500i lock, Denver
CANAL_DOOR_ID = sid("device:canal-door")  # LS-5i lock, Amsterdam
THERMOSTAT_ID = sid("device:thermostat")  # LS-60i thermostat (F), Denver
CANAL_THERMOSTAT_ID = sid("device:canal-thermostat")  # LS-60i thermostat (C), Amsterdam
POWER_PLUG_ID = sid("device:porch-light")  # LS-P50i power plug, Denver
RESORT_LOCK_ID = sid("device:pool-gate")  # RL-4000 resort lock, Amsterdam
ACS_DOOR_ID = sid("device:lobby-door")  # ACS door, Denver
USER_ANN_ID = sid("person:ann")
USER_OWNER_ID = sid("person:owner")
USER_FORMER_ID = sid("person:former")
GUEST_CURRENT_ID = sid("person:guest-current")
GUEST_UPCOMING_ID = sid("person:guest-upcoming")
GUEST_EXPIRED_ID = sid("person:guest-expired")
DOOR_GROUP_ID = sid("group:indoor")
ACCESS_SCHEDULE_ID = sid("schedule:access")
AUTO_LOCK_SCHEDULE_ID = sid("schedule:auto-lock")
LOCK_ACTION_SCHEDULE_ID = sid("schedule:lock-action")
POWER_PLUG_SCHEDULE_ID = sid("schedule:power-plug")
THERMOSTAT_SCHEDULE_ID = sid("schedule:thermostat")
ACCESS_EXCEPTION_ID = sid("access-exception:holidays")
RESORT_GUEST_ID = sid("resort-guest:john")
WEBHOOK_SUBSCRIBER_ID = sid("subscriber:webhook")
EMAIL_SUBSCRIBER_ID = sid("subscriber:email")
TEXT_SUBSCRIBER_ID = sid("subscriber:text")


def load_models() -> list[Record]:
    """Return the 15 models of the document (with their capabilities)."""
    models: list[Record] = json.loads(MODELS_FILE.read_text(encoding="utf-8"))
    return models


def _naive(moment: datetime) -> str:
    return moment.replace(minute=0, second=0, microsecond=0, tzinfo=None).isoformat()


def _week(
    entries: list[dict[str, Any]], days: tuple[str, ...] = WEEKDAYS
) -> dict[str, Any]:
    return {day: [dict(e) for e in entries] if day in days else [] for day in WEEKDAYS}


def _schedules(stamp: str) -> list[Record]:
    work = ("mon", "tue", "wed", "thu", "fri")
    items: list[tuple[str, str, str, dict[str, Any]]] = [
        (
            ACCESS_SCHEDULE_ID,
            "access_schedule",
            "Office hours",
            {
                **_week([{"start_time": "09:00", "end_time": "17:00"}], work),
                "access_exception_id": ACCESS_EXCEPTION_ID,
            },
        ),
        (
            AUTO_LOCK_SCHEDULE_ID,
            "auto_lock_schedule",
            "Switch auto-lock mode in working period",
            _week(
                [{"time": "08:00", "enable": False}, {"time": "18:00", "enable": True}],
                work,
            ),
        ),
        (
            LOCK_ACTION_SCHEDULE_ID,
            "lock_action_schedule",
            "Automatically unlock and lock",
            _week(
                [
                    {"time": "08:00", "action": "unlock"},
                    {"time": "18:00", "action": "lock"},
                ],
                work,
            ),
        ),
        (
            POWER_PLUG_SCHEDULE_ID,
            "power_plug_schedule",
            "Automatically turn on and off",
            _week(
                [{"time": "18:00", "action": "on"}, {"time": "23:00", "action": "off"}]
            ),
        ),
        (
            THERMOSTAT_SCHEDULE_ID,
            "thermostat_schedule",
            "Changes thermostat cool/heat temperatures",
            _week(
                [
                    {"time": "08:00", "cool": 60, "heat": 70},
                    {"time": "18:00", "cool": 40, "heat": 80},
                ]
            ),
        ),
    ]
    return [
        {
            "id": rid,
            "type": kind,
            "attributes": {
                "name": name,
                **days,
                "created_at": stamp,
                "updated_at": stamp,
            },
        }
        for rid, kind, name, days in items
    ]


def _devices(stamp: str) -> list[Record]:
    common: dict[str, Any] = {"now": stamp, "connected_at": stamp}
    devices = [
        device_record(
            "lock",
            FRONT_DOOR_ID,
            name="Front Door",
            serial_number="AC000W005836254",
            model_id=MODEL_IDS["LS-6i"],
            location_id=DENVER_ID,
            **common,
        ),
        device_record(
            "lock",
            BACK_DOOR_ID,
            replaceable=False,
            name="Back Door",
            serial_number="20F85E00GGO9",
            model_id=MODEL_IDS["LS-DB500i"],
            location_id=DENVER_ID,
            **common,
        ),
        device_record(
            "lock",
            CANAL_DOOR_ID,
            name="Canal House Door",
            serial_number="AC000W003451858",
            model_id=MODEL_IDS["LS-5i"],
            location_id=AMSTERDAM_ID,
            **common,
        ),
        device_record(
            "thermostat",
            THERMOSTAT_ID,
            replaceable=False,
            name="Living Room Thermostat",
            serial_number="001DC9A0Z06G",
            model_id=MODEL_IDS["LS-60i"],
            location_id=DENVER_ID,
            **common,
        ),
        device_record(
            "thermostat",
            CANAL_THERMOSTAT_ID,
            replaceable=False,
            name="Canal House Thermostat",
            serial_number="001DC9A0SX44",
            model_id=MODEL_IDS["LS-60i"],
            location_id=AMSTERDAM_ID,
            **common,
        ),
        device_record(
            "power_plug",
            POWER_PLUG_ID,
            replaceable=False,
            name="Porch Light",
            serial_number="20F85EA4V74Q",
            model_id=MODEL_IDS["LS-P50i"],
            location_id=DENVER_ID,
            **common,
        ),
        device_record(
            "resort_lock",
            RESORT_LOCK_ID,
            name="Pool Gate",
            serial_number="91K6C7OO0B4FBE01",
            model_id=MODEL_IDS["RL-4000"],
            location_id=AMSTERDAM_ID,
            now=stamp,
        ),
        device_record(
            "acs_door",
            ACS_DOOR_ID,
            name="Lobby Door",
            serial_number="",
            model_id=None,
            location_id=DENVER_ID,
            now=stamp,
        ),
    ]
    by_id = {d["id"]: d["attributes"] for d in devices}
    by_id[FRONT_DOOR_ID].update(
        power_level=76,
        signal_quality=3,
        local_pins=["1234"],
        lock_action_schedule_id=LOCK_ACTION_SCHEDULE_ID,
    )
    by_id[BACK_DOOR_ID].update(
        power_level=54, signal_quality=2, state="unlocked", auto_lock=False
    )
    by_id[CANAL_DOOR_ID].update(
        power_level=93, signal_quality=4, wake_wifi="heartbeat_interval"
    )
    by_id[THERMOSTAT_ID].update(
        thermostat_schedule_id=THERMOSTAT_SCHEDULE_ID, target_mode="cool"
    )
    by_id[CANAL_THERMOSTAT_ID].update(
        unit="C",
        temperature=21.5,
        target_temperature=20.0,
        current_mode="heat",
        target_mode="heat",
        humidity=52,
        scheduled_target_temperature=19.0,
        desired_target_temperature=20.0,
        energy_saver=False,
    )
    by_id[POWER_PLUG_ID]["power_plug_schedule_id"] = POWER_PLUG_SCHEDULE_ID
    return devices


def person_record(rid: str, kind: str, stamp: str, **attrs: Any) -> Record:
    """Return an access person record (a user or guest; ``attrs`` override)."""
    base: dict[str, Any] = {
        "name": "",
        "email": None,
        "phone": None,
        "pin": None,
        "card_number": None,
        "department": None,
        "status": "current",
        "rental_source": None,
        "created_at": stamp,
        "updated_at": stamp,
    }
    base.update(attrs)
    return {"id": rid, "type": kind, "attributes": base}


def _persons(now: datetime, stamp: str) -> list[Record]:
    return [
        person_record(
            USER_ANN_ID,
            "access_user",
            stamp,
            name="Ann Smith",
            email="ann.smith@example.com",
            department="Human Resources",
            pin="1234",
            card_number="23456",
        ),
        person_record(
            USER_OWNER_ID,
            "access_user",
            stamp,
            name="House Owner",
            email="owner@example.com",
            pin="2345",
        ),
        person_record(
            USER_FORMER_ID,
            "access_user",
            stamp,
            name="Former Cleaner",
            pin="3456",
            status="deactivated",
        ),
        person_record(
            GUEST_CURRENT_ID,
            "access_guest",
            stamp,
            name="Yasmeen Beier",
            email="yasmeen@example.com",
            pin="1129",
            starts_at=_naive(now - timedelta(days=1)),
            ends_at=_naive(now + timedelta(days=6)),
        ),
        person_record(
            GUEST_UPCOMING_ID,
            "access_guest",
            stamp,
            name="Lee Rempel",
            email="lee@example.com",
            pin="1132",
            starts_at=_naive(now + timedelta(days=10)),
            ends_at=_naive(now + timedelta(days=20)),
        ),
        person_record(
            GUEST_EXPIRED_ID,
            "access_guest",
            stamp,
            name="Hilton Zboncak",
            pin="1130",
            starts_at=_naive(now - timedelta(days=9)),
            ends_at=_naive(now - timedelta(days=2)),
        ),
    ]


def _accesses(persons: dict[str, Record], stamp: str) -> list[Record]:
    grants = [
        ("access:ann-front", USER_ANN_ID, "lock", FRONT_DOOR_ID, 1, ACCESS_SCHEDULE_ID),
        ("access:ann-group", USER_ANN_ID, "door_group", DOOR_GROUP_ID, 2, None),
        ("access:owner-denver", USER_OWNER_ID, "location", DENVER_ID, 3, None),
        ("access:guest-front", GUEST_CURRENT_ID, "lock", FRONT_DOOR_ID, 1, None),
        ("access:guest-lobby", GUEST_CURRENT_ID, "acs_door", ACS_DOOR_ID, 1, None),
        ("access:upcoming-canal", GUEST_UPCOMING_ID, "lock", CANAL_DOOR_ID, 1, None),
    ]
    records = []
    for name, person_id, kind, target, count, schedule in grants:
        attrs = access_attributes(
            person=persons[person_id],
            accessible_type=kind,
            accessible_id=target,
            devices_count=count,
            now=stamp,
            access_schedule_id=schedule,
        )
        attrs["devices_synced_count"] = count
        attrs["devices_pending_sync_count"] = 0
        records.append(
            {"id": sid(name), "type": "access_person_access", "attributes": attrs}
        )
    return records


def _events(
    now: datetime, devices: dict[str, Record], persons: dict[str, Record]
) -> list[Record]:
    front = devices[FRONT_DOOR_ID]
    ann = persons[USER_ANN_ID]
    specs: list[tuple[str, Record, Record | None, dict[str, Any], int, str]] = [
        (
            "connectivity",
            front,
            None,
            {"connected_at": iso(now - timedelta(hours=30))},
            30,
            "America/Denver",
        ),
        ("access_person_synced", front, ann, {}, 26, "America/Denver"),
        ("unlocked", front, ann, {"method": "pin", "pin": "1234"}, 5, "America/Denver"),
        (
            "access_person_used",
            ann,
            front,
            {"method": "pin", "pin": "1234"},
            5,
            "America/Denver",
        ),
        ("locked", front, None, {"method": "auto_lock"}, 5, "America/Denver"),
        (
            "power_level_low",
            devices[BACK_DOOR_ID],
            None,
            {"power_level": 15},
            48,
            "America/Denver",
        ),
        (
            "battery_replaced",
            devices[BACK_DOOR_ID],
            None,
            {"power_level": 100},
            40,
            "America/Denver",
        ),
        (
            "temperature_changed",
            devices[CANAL_THERMOSTAT_ID],
            None,
            {"temperature": 21.5},
            2,
            "Europe/Amsterdam",
        ),
        ("relay_enabled", devices[POWER_PLUG_ID], None, {}, 3, "America/Denver"),
        ("acs_door_opened", devices[ACS_DOOR_ID], None, {}, 1, "America/Denver"),
    ]
    events = []
    for index, (kind, publisher, associated, details, hours_ago, zone) in enumerate(
        specs
    ):
        moment = now - timedelta(hours=hours_ago, minutes=index)
        event = build_event(
            kind,
            publisher=publisher,
            occurred_at=moment,
            created_at=moment,
            time_zone=zone,
            source="user" if kind in ("unlocked", "access_person_used") else "device",
            associated=associated,
            details=details,
        )
        event["id"] = sid(f"event:{index}")
        events.append(event)
    return events


def default_scenario(now: datetime) -> dict[str, Any]:
    """Return the built-in scenario as JSON-able data (the scenario format)."""
    stamp = iso(now - timedelta(days=30))
    devices = _devices(stamp)
    persons = _persons(now, stamp)
    person_map = {p["id"]: p for p in persons}
    device_map = {d["id"]: d for d in devices}
    location_common = {"created_at": stamp, "updated_at": stamp}
    return {
        "account": {
            "id": DEFAULT_ACCOUNT_ID,
            "type": "account",
            "attributes": {
                "name": DEFAULT_ACCOUNT_NAME,
                "created_at": stamp,
                "updated_at": stamp,
                "default_guest_start_time": "16:00:00",
                "default_guest_end_time": "11:00:00",
                "rental_guest_time_override": False,
                "primary_owner_id": DEFAULT_USER_ID,
                "owner_role_id": sid("role:owner"),
            },
        },
        "user": {
            "id": DEFAULT_USER_ID,
            "type": "user",
            "attributes": {
                "name": "Demo User",
                "email": DEFAULT_USER_EMAIL,
                "handle": "demo",
                "created_at": stamp,
                "updated_at": stamp,
                "primary_account_id": DEFAULT_ACCOUNT_ID,
                "default_account_id": DEFAULT_ACCOUNT_ID,
            },
            "password": DEFAULT_USER_PASSWORD,
        },
        "applications": [
            {
                "client_id": DEFAULT_CLIENT_ID,
                "client_secret": DEFAULT_CLIENT_SECRET,
                "name": "Smart Access (simulated)",
                "redirect_uris": [],
            }
        ],
        "settings": {"guest_time_zone": "America/Denver"},
        "locations": [
            {
                "id": DENVER_ID,
                "type": "location",
                "attributes": {
                    "name": "LockState Headquarters",
                    "phone": "(877) 254-5625",
                    "address": "1325 S. Colorado Blvd",
                    "address2": "Suite B400",
                    "city": "Denver",
                    "state": "CO",
                    "postal_code": "80222",
                    "country": "US",
                    "time_zone": "America/Denver",
                    **location_common,
                },
            },
            {
                "id": AMSTERDAM_ID,
                "type": "location",
                "attributes": {
                    "name": "Canal House",
                    "phone": None,
                    "address": "Herengracht 100",
                    "address2": None,
                    "city": "Amsterdam",
                    "state": None,
                    "postal_code": "1015 BS",
                    "country": "NL",
                    "time_zone": "Europe/Amsterdam",
                    **location_common,
                },
            },
        ],
        "models": load_models(),
        "devices": devices,
        "access_persons": persons,
        "accesses": _accesses(person_map, stamp),
        "schedules": _schedules(stamp),
        "access_exceptions": [
            {
                "id": ACCESS_EXCEPTION_ID,
                "type": "access_exception",
                "attributes": {
                    "name": "Thanks Giving and Christmas",
                    "dates": [
                        {
                            "start_date": f"{now.year}-11-26",
                            "end_date": f"{now.year}-11-27",
                        },
                        {
                            "start_date": f"{now.year}-12-25",
                            "end_date": f"{now.year}-12-25",
                        },
                    ],
                    **location_common,
                },
            }
        ],
        "groups": [
            {
                "id": DOOR_GROUP_ID,
                "type": "door_group",
                "attributes": {"name": "Indoor Locks", **location_common},
            }
        ],
        "door_group_doors": [
            {
                "id": sid(f"group-door:{door}"),
                "type": "door_group_door",
                "attributes": {
                    **location_common,
                    "door_id": door,
                    "door_type": kind,
                    "door_group_id": DOOR_GROUP_ID,
                },
            }
            for door, kind in ((FRONT_DOOR_ID, "lock"), (ACS_DOOR_ID, "acs_door"))
        ],
        "resort_lock_guests": [
            {
                "id": RESORT_GUEST_ID,
                "type": "resort_lock_guest",
                "attributes": {
                    "name": "John Doe",
                    "email": "john.doe@example.com",
                    "pin": "1234567890",
                    "starts_at": _naive(now - timedelta(days=1)),
                    "ends_at": _naive(now + timedelta(days=3)),
                    "one_time_access": False,
                    "rental_source": None,
                    **location_common,
                    "resort_lock_id": RESORT_LOCK_ID,
                },
            }
        ],
        "notification_subscribers": [
            {
                "id": WEBHOOK_SUBSCRIBER_ID,
                "type": "webhook_notification_subscriber",
                "attributes": {
                    "name": "Example webhook (inactive: set url and active)",
                    "url": "https://example.com/remotelock-webhook",
                    "content_type": "json",
                    "secret": "13af9eae05428554fe5e6e66d347b0cb",
                    "active": False,
                    **location_common,
                },
            },
            {
                "id": EMAIL_SUBSCRIBER_ID,
                "type": "email_notification_subscriber",
                "attributes": {
                    "name": "Front desk",
                    "email": "frontdesk@example.com",
                    "active": True,
                    **location_common,
                },
            },
            {
                "id": TEXT_SUBSCRIBER_ID,
                "type": "text_notification_subscriber",
                "attributes": {
                    "name": "On-call phone",
                    "phone": "303-317-3422",
                    "carrier": "att",
                    "active": True,
                    **location_common,
                },
            },
        ],
        "notification_subscriptions": [
            {
                "id": sid("subscription:webhook-account"),
                "type": "notification_subscription",
                "attributes": {
                    "events": [{"event_type": t} for t in EVENT_TYPES],
                    **location_common,
                    "subscriber_id": WEBHOOK_SUBSCRIBER_ID,
                    "subscriber_type": "webhook_notification_subscriber",
                    "publisher_id": DEFAULT_ACCOUNT_ID,
                    "publisher_type": "account",
                },
            },
            {
                "id": sid("subscription:email-front-door"),
                "type": "notification_subscription",
                "attributes": {
                    "events": [
                        {"event_type": t} for t in PUBLISHER_EVENT_TYPES["lock"][:3]
                    ],
                    **location_common,
                    "subscriber_id": EMAIL_SUBSCRIBER_ID,
                    "subscriber_type": "email_notification_subscriber",
                    "publisher_id": FRONT_DOOR_ID,
                    "publisher_type": "lock",
                },
            },
        ],
        "notifications": [],
        "events": _events(now, device_map, person_map),
    }
