"""Events (``GET /events``) and webhook payloads, parsed by the same code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
import json
import re
from typing import Any
from urllib.parse import parse_qsl

from ...errors import MalformedResponseError
from .base import RemoteLockResource, base_fields
from .fields import Attrs, read_resource

#: Event kinds the document lists (the resource ``type`` is ``<kind>_event``).
ACCESS_KINDS = frozenset({"unlocked", "locked", "access_denied", "access_person_used"})
SYNC_KINDS = frozenset(
    {"access_person_synced", "access_person_sync_failed", "access_guest_late_sync"}
)
PLAIN_KINDS = frozenset(
    {
        "reset",
        "battery_replaced",
        "acs_door_opened",
        "acs_door_closed",
        "acs_door_held_open",
        "acs_requested_to_exit",
        "relay_enabled",
        "relay_disabled",
    }
)
EVENT_KINDS = (
    ACCESS_KINDS
    | SYNC_KINDS
    | PLAIN_KINDS
    | {"connectivity", "power_level_low", "temperature_changed", "humidity_changed"}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessEventDetails:
    """Details of unlocked/locked/access_denied/access_person_used events.

    ``pin``, ``card`` and ``smart_card_serial_number`` are secrets (not in ``repr``).
    """

    method: str | None = None
    status_info: str | None = None
    pin: str | None = field(default=None, repr=False)
    card: str | None = field(default=None, repr=False)
    smart_card_serial_number: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncEventDetails:
    """Details of access person (late) sync events; ``status_info`` e.g. ``timeout``."""

    status_info: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PowerLevelEventDetails:
    """Details of ``power_level_low`` events (battery percentage)."""

    power_level: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ConnectivityEventDetails:
    """Details of ``connectivity`` events."""

    connected_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TemperatureEventDetails:
    """Details of ``temperature_changed`` events (no example in the document)."""

    temperature: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HumidityEventDetails:
    """Details of ``humidity_changed`` events (no example in the document)."""

    humidity: float | None = None


type EventDetails = (
    AccessEventDetails
    | SyncEventDetails
    | PowerLevelEventDetails
    | ConnectivityEventDetails
    | TemperatureEventDetails
    | HumidityEventDetails
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Event(RemoteLockResource):
    """One event (from ``/events`` or a webhook).

    ``kind`` is ``type`` without ``_event``; ``details`` is typed for the documented kinds that carry extra fields and ``None`` otherwise (also for kinds
    this client does not know, whose fields stay in ``raw``).
    """

    kind: str
    source: str | None = None
    status: str | None = None
    time_zone: str | None = None
    occurred_at: datetime | None = None
    publisher_id: str | None = None
    publisher_type: str | None = None
    associated_resource_id: str | None = None
    associated_resource_type: str | None = None
    associated_resource_name: str | None = None
    details: EventDetails | None = None

    @property
    def known(self) -> bool:
        """Return whether the kind is one the document lists."""
        return self.kind in EVENT_KINDS


def _details(kind: str, a: Attrs) -> EventDetails | None:
    if kind in ACCESS_KINDS:
        return AccessEventDetails(
            method=a.opt_str("method"),
            status_info=a.opt_str("status_info"),
            pin=a.opt_str("pin"),
            card=a.opt_str("card"),
            smart_card_serial_number=a.opt_str("smart_card_serial_number"),
        )
    if kind in SYNC_KINDS:
        return SyncEventDetails(status_info=a.opt_str("status_info"))
    if kind == "power_level_low":
        return PowerLevelEventDetails(power_level=a.opt_int("power_level"))
    if kind == "connectivity":
        return ConnectivityEventDetails(connected_at=a.opt_datetime("connected_at"))
    if kind == "temperature_changed":
        return TemperatureEventDetails(temperature=a.opt_float("temperature"))
    if kind == "humidity_changed":
        return HumidityEventDetails(humidity=a.opt_float("humidity"))
    return None


def parse_event(payload: Any, *, form: bool = False) -> Event:
    """Build an :class:`Event` from one event resource object.

    ``form``: the object was decoded from a form-encoded webhook (string values).
    """
    res = read_resource(payload, form=form)
    a = res.attrs
    kind = res.type.removesuffix("_event")
    return Event(
        **base_fields(res),
        kind=kind,
        source=a.opt_str("source"),
        status=a.opt_str("status"),
        time_zone=a.opt_str("time_zone"),
        occurred_at=a.opt_datetime("occurred_at"),
        publisher_id=a.opt_str("publisher_id"),
        publisher_type=a.opt_str("publisher_type"),
        associated_resource_id=a.opt_str("associated_resource_id"),
        associated_resource_type=a.opt_str("associated_resource_type"),
        associated_resource_name=a.opt_str("associated_resource_name"),
        details=_details(kind, a),
    )


def decode_form(body: str | bytes | Mapping[str, str]) -> dict[str, Any]:
    """Decode a Rails-style form body (``data[attributes][pin]=1234``) into objects.

    ``body`` is the raw body or its already-decoded pairs (e.g. aiohttp's
    ``await request.post()``). ``key[]`` pairs become lists.
    """
    if isinstance(body, Mapping):
        pairs = [(str(key), str(value)) for key, value in body.items()]
    else:
        try:
            text = body.decode() if isinstance(body, bytes) else body
        except UnicodeDecodeError as err:
            raise MalformedResponseError("webhook form body is not UTF-8") from err
        pairs = parse_qsl(text, keep_blank_values=True)
    root: dict[str, Any] = {}
    for key, value in pairs:
        head = key.split("[", 1)[0]
        path = [head, *_SEGMENT.findall(key[len(head) :])]
        _insert(root, path, value)
    return root


_SEGMENT = re.compile(r"\[([^\]]*)\]")


def _insert(root: dict[str, Any], path: list[str], value: str) -> None:
    node: Any = root
    for index, segment in enumerate(path):
        last = index == len(path) - 1
        if segment == "":
            if not isinstance(node, list) or not last:
                raise MalformedResponseError("webhook form body has a bad array")
            node.append(value)
            return
        if not isinstance(node, dict):
            raise MalformedResponseError("webhook form body mixes arrays and objects")
        if last:
            node[segment] = value
            return
        node = node.setdefault(segment, [] if path[index + 1] == "" else {})


def parse_webhook_payload(body: Any, content_type: str | None = None) -> Event:
    """Parse a webhook request body: ``{"data": <one event>}``.

    ``body`` may be the decoded JSON or the raw ``str``/``bytes``. With a
    ``content_type`` of ``application/x-www-form-urlencoded`` (the subscriber's
    ``form`` setting) the body (raw, or its decoded pairs) is read as a Rails-style
    form. Raises :class:`MalformedResponseError` when it is not such an object.
    """
    form = content_type is not None and "x-www-form-urlencoded" in content_type
    if form:
        body = decode_form(body)
    elif isinstance(body, bytes | bytearray | str):
        try:
            body = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise MalformedResponseError("webhook body is not JSON") from err
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise MalformedResponseError("webhook body has no data object")
    return parse_event(body["data"], form=form)
