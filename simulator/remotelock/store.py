"""In-memory state of one simulated RemoteLock account and JSON rendering of records.

Every resource is a plain record ``{"id": str, "type": str, "attributes": dict}`` kept in
an insertion-ordered dict per collection; private bookkeeping lives in keys starting
with ``_`` next to ``attributes`` and is never rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
import uuid

type Record = dict[str, Any]
type Collection = dict[str, Record]

COLLECTIONS = (
    "locations",
    "models",
    "devices",
    "access_persons",
    "accesses",
    "schedules",
    "access_exceptions",
    "groups",
    "door_group_doors",
    "resort_lock_guests",
    "notification_subscribers",
    "notification_subscriptions",
    "notifications",
    "events",
)


def new_id() -> str:
    """Return a new resource id (UUID4, as the real service uses)."""
    return str(uuid.uuid4())


def iso(moment: datetime) -> str:
    """Format an aware datetime the way the API does: ``2018-08-29T18:24:14Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    """Parse an API timestamp (``Z`` or offset) into an aware UTC datetime."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass
class State:
    """All resources of the account plus account, user and settings."""

    account: Record = field(default_factory=dict)
    user: Record = field(default_factory=dict)
    password: str = ""
    applications: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    locations: Collection = field(default_factory=dict)
    models: Collection = field(default_factory=dict)
    devices: Collection = field(default_factory=dict)
    access_persons: Collection = field(default_factory=dict)
    accesses: Collection = field(default_factory=dict)
    schedules: Collection = field(default_factory=dict)
    access_exceptions: Collection = field(default_factory=dict)
    groups: Collection = field(default_factory=dict)
    door_group_doors: Collection = field(default_factory=dict)
    resort_lock_guests: Collection = field(default_factory=dict)
    notification_subscribers: Collection = field(default_factory=dict)
    notification_subscriptions: Collection = field(default_factory=dict)
    notifications: Collection = field(default_factory=dict)
    events: Collection = field(default_factory=dict)

    def collection(self, name: str) -> Collection:
        """Return the collection called ``name``."""
        value: Collection = getattr(self, name)
        return value


def public(record: Record) -> Record:
    """Return the record without private ``_`` keys (deep-copied attributes)."""
    return {
        "type": record["type"],
        "attributes": dict(record["attributes"]),
        "id": record["id"],
    }


# -- links ---------------------------------------------------------------------------
DEVICE_PATH = {
    "lock": "devices",
    "thermostat": "devices",
    "power_plug": "devices",
    "resort_lock": "devices",
    "acs_door": "acs/doors",
    "acs_controller": "acs/controllers",
}


def path_of(kind: str, rid: str) -> str:
    """Return the API path of a resource of type ``kind``."""
    if kind in DEVICE_PATH:
        return f"/{DEVICE_PATH[kind]}/{rid}"
    if kind in ("access_user", "access_guest"):
        return f"/access_persons/{rid}"
    if kind == "door_group":
        return f"/groups/{rid}"
    if kind == "location":
        return f"/locations/{rid}"
    if kind == "account":
        return "/account"
    if kind == "user":
        return "/user"
    if kind.endswith("_schedule"):
        return f"/schedules/{rid}"
    if kind.endswith("_notification_subscriber"):
        return f"/notification_subscribers/{rid}"
    return f"/{kind}s/{rid}"


def links_for(record: Record, base: str) -> dict[str, str]:
    """Return the ``links`` object of a record (self plus its relationships)."""
    kind = record["type"]
    attrs = record["attributes"]
    rid = record["id"]
    links: dict[str, str] = {}
    if kind == "access_person_access":
        person = attrs["access_person_id"]
        links["self"] = f"{base}/access_persons/{person}/accesses/{rid}"
        if attrs.get("access_schedule_id"):
            links["access_schedule"] = f"{base}/schedules/{attrs['access_schedule_id']}"
        links["access_person"] = f"{base}/access_persons/{person}"
        links["accessible"] = base + path_of(
            attrs["accessible_type"], attrs["accessible_id"]
        )
        return links
    if kind == "door_group_door":
        group = attrs["door_group_id"]
        links["self"] = f"{base}/groups/{group}/doors/{rid}"
        links["door"] = base + path_of(attrs["door_type"], attrs["door_id"])
        links["door_group"] = f"{base}/groups/{group}"
        return links
    if kind.endswith("_event"):
        links["self"] = f"{base}/events/{rid}"
        links["publisher"] = base + path_of(
            attrs["publisher_type"], attrs["publisher_id"]
        )
        if attrs.get("associated_resource_id"):
            links["associated_resource"] = base + path_of(
                attrs["associated_resource_type"], attrs["associated_resource_id"]
            )
        return links
    if kind == "notification_subscription":
        links["self"] = f"{base}/notification_subscriptions/{rid}"
        links["subscriber"] = (
            f"{base}/notification_subscribers/{attrs['subscriber_id']}"
        )
        links["publisher"] = base + (
            "/account"
            if attrs["publisher_type"] == "account"
            else path_of(attrs["publisher_type"], attrs["publisher_id"])
        )
        return links
    if kind == "notification":
        links["self"] = f"{base}/notifications/{rid}"
        links["subscriber"] = (
            f"{base}/notification_subscribers/{attrs['subscriber_id']}"
        )
        links["publisher"] = base + path_of(
            attrs["publisher_type"], attrs["publisher_id"]
        )
        links["event"] = f"{base}/events/{attrs['event_id']}"
        return links
    if kind == "account":
        links["self"] = f"{base}/account"
        links["primary_owner"] = f"{base}/user"
        links["owner_role"] = f"{base}/roles/{attrs.get('owner_role_id')}"
        return links
    if kind == "user":
        return {
            "self": f"{base}/user",
            "primary_account": f"{base}/account",
            "default_account": f"{base}/account",
        }
    links["self"] = base + path_of(kind, rid)
    for key in ("model", "location", "resort_lock", "access_exception"):
        if attrs.get(f"{key}_id"):
            target = "devices" if key == "resort_lock" else f"{key}s"
            links[key] = f"{base}/{target}/{attrs[f'{key}_id']}"
    for key in (
        "lock_action_schedule",
        "auto_lock_schedule",
        "thermostat_schedule",
        "power_plug_schedule",
    ):
        if attrs.get(f"{key}_id"):
            links[key] = f"{base}/schedules/{attrs[f'{key}_id']}"
    return links
