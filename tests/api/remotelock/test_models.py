"""The document's example payloads parse into the documented models."""

# ruff: noqa: DTZ001  (naive local times are what the API speaks)

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.smart_access.api.errors import MalformedResponseError
from custom_components.smart_access.api.remotelock import (
    AccessEventDetails,
    AccessGuest,
    AccessSchedule,
    AccessUser,
    AcsDoor,
    AutoLockSchedule,
    ConnectivityEventDetails,
    EmailSubscriber,
    Event,
    HumidityEventDetails,
    Lock,
    LockActionSchedule,
    PowerLevelEventDetails,
    PowerPlug,
    PowerPlugSchedule,
    ResortLock,
    SyncEventDetails,
    TemperatureEventDetails,
    TextSubscriber,
    Thermostat,
    ThermostatSchedule,
    UnknownDevice,
    UnknownSchedule,
    WebhookSubscriber,
    parse_access,
    parse_access_exception,
    parse_access_person,
    parse_account,
    parse_acs_door,
    parse_device,
    parse_email_preview,
    parse_event,
    parse_group,
    parse_group_door,
    parse_location,
    parse_model,
    parse_notification,
    parse_resort_lock_guest,
    parse_schedule,
    parse_subscriber,
    parse_subscription,
    parse_user,
    parse_webhook_payload,
)
from custom_components.smart_access.api.remotelock.models import PageMeta

FIXTURES = Path(__file__).parent / "fixtures"
DOC = json.loads((FIXTURES / "doc_responses.json").read_text())

PARSERS: list[tuple[str, Callable[[Any], Any]]] = [
    ("/access_exceptions", parse_access_exception),
    ("/access_persons/:access_person_id/accesses", parse_access),
    ("/access_persons", parse_access_person),
    ("/account", parse_account),
    ("/acs/doors/:id/access_person_accesses", parse_access),
    ("/acs/doors", parse_acs_door),
    ("/devices/:id/access_person_accesses", parse_access),
    ("/devices", parse_device),
    ("/events", parse_event),
    ("/groups/:group_id/doors", parse_group_door),
    ("/groups", parse_group),
    ("/locations", parse_location),
    ("/models", parse_model),
    ("/notification_subscribers", parse_subscriber),
    ("/notification_subscriptions", parse_subscription),
    ("/notifications", parse_notification),
    ("/resort_lock_guests/:id/email/preview", parse_email_preview),
    ("/resort_lock_guests", parse_resort_lock_guest),
    ("/schedules", parse_schedule),
    ("/user", parse_user),
]


def _res(kind: str, rid: Any, attributes: Any) -> dict[str, Any]:
    """Return a resource document ``{"type", "id", "attributes"}``."""
    return {"type": kind, "id": rid, "attributes": attributes}


def _parser(endpoint: str) -> Callable[[Any], Any]:
    path = endpoint.split(" ", 1)[1]
    for prefix, parser in PARSERS:
        if path.startswith(prefix):
            return parser
    raise AssertionError(f"no parser for {endpoint}")


def _example(endpoint: str, index: int = 0) -> Any:
    return [e["body"] for e in DOC if e["endpoint"] == endpoint][index]


@pytest.mark.parametrize("example", DOC, ids=lambda e: e["endpoint"])
def test_every_documented_response_parses(example: dict[str, Any]) -> None:
    """Each of the 80 response examples parses; collections carry valid meta."""
    body = example["body"]
    parser = _parser(example["endpoint"])
    data = body["data"]
    items = data if isinstance(data, list) else [data]
    models = [parser(item) for item in items]
    assert len(models) == len(items) > 0
    for model, item in zip(models, items, strict=True):
        assert model.type == item["type"]
        assert dict(model.raw) == item.get("attributes", {})
    if isinstance(data, list):
        meta = PageMeta.from_json(body["meta"])
        assert meta.total_count >= len(items)


def test_devices_example_has_every_type() -> None:
    body = json.loads((FIXTURES / "devices.json").read_text())
    devices = [parse_device(item) for item in body["data"]]
    kinds = [type(d) for d in devices]
    assert kinds == [Lock, Thermostat, Lock, ResortLock, PowerPlug, AcsDoor]
    lock = devices[0]
    assert isinstance(lock, Lock)
    assert lock.state == "locked"
    assert lock.is_locked is True
    assert lock.power_level == 4
    assert lock.signal_quality == 3
    assert lock.wifi_level == 0
    assert lock.connected is True
    assert lock.alive is True
    assert lock.connected_at == datetime(2018, 8, 29, 18, 22, 17, tzinfo=UTC)
    assert lock.auto_lock is True
    assert lock.auto_lock_timeout == 20
    assert lock.muted is False
    assert lock.wake_wifi == "user_action"
    assert lock.programming_code == "123456"
    assert lock.local_pins == ("1234",)
    assert lock.model_id == "b362ae85-f47d-43a9-baab-aac8813ee17b"
    assert lock.location_id == "48bd5117-59eb-42dd-a72b-f5a084d01068"
    assert lock.serial_number == "AC000W005836254"
    assert lock.lock_action_schedule_id == "b66e136a-da10-43ca-bf1e-b0d8cfea64d9"
    assert lock.power_source == "alkaline_battery"
    assert lock.heartbeat_interval == 1200
    # secrets never reach repr (the raw attributes are hidden as well)
    assert "123456" not in repr(lock)
    assert "1234" not in repr(lock)
    thermostat = devices[1]
    assert isinstance(thermostat, Thermostat)
    assert thermostat.current_mode == "cool"
    assert thermostat.target_mode == "auto"
    assert thermostat.fan_mode == "auto"
    assert thermostat.temperature == 77.0
    assert thermostat.target_temperature == 75.5
    assert thermostat.unit == "F"
    assert thermostat.humidity == 45
    assert thermostat.energy_saver is True
    assert thermostat.hold is False
    assert thermostat.scheduled_target_temperature == 80.0
    assert thermostat.desired_target_temperature == 75.5
    assert thermostat.thermostat_schedule_id == "c903135f-9c50-48f1-b4b0-6682e41c79aa"
    assert thermostat.restricted_actions == ("replace",)
    assert thermostat.cool_set_point is None
    plug = devices[4]
    assert isinstance(plug, PowerPlug)
    assert plug.on is True
    assert plug.voltage == 120.0
    assert plug.power == 4.5
    assert plug.power_factor == 0.57
    assert plug.current == 0.06
    assert plug.frequency == 59.95
    assert plug.total_power == 8.75
    assert plug.occupied is True
    resort = devices[3]
    assert isinstance(resort, ResortLock)
    assert resort.serial_number == "91K6C7OO0B4FBE01"
    assert resort.default_guest_start_time is None
    door = devices[5]
    assert isinstance(door, AcsDoor)
    assert door.state == "unlocked"
    assert door.is_locked is False


def test_unknown_device_kept_generic() -> None:
    device = parse_device(_res("camera", "c1", {"name": "Cam", "zoom": 3}))
    assert isinstance(device, UnknownDevice)
    assert device.name == "Cam"
    assert device.raw["zoom"] == 3


def test_lock_with_nulls_and_missing_fields() -> None:
    lock = parse_device(_res("lock", "x", {"state": None}))
    assert isinstance(lock, Lock)
    assert lock.state is None
    assert lock.is_locked is None
    assert lock.connected_at is None
    assert lock.local_pins is None
    assert lock.created_at is None
    door = parse_acs_door({"type": "acs_door", "id": "d"})
    assert door.is_locked is None


def test_resort_lock_example_times() -> None:
    device = parse_device(_example("POST /devices", 3)["data"])
    assert isinstance(device, ResortLock)
    assert device.default_guest_start_time == time(11, 30)
    assert device.default_guest_end_time == time(14, 15)


def test_account_and_user() -> None:
    account = parse_account(_example("GET /account")["data"])
    assert account.id == "01200986-29d1-468f-9f9f-7abacd5895a1"
    assert account.default_guest_start_time == time(16, 0)
    assert account.default_guest_end_time == time(11, 0)
    assert account.rental_guest_time_override is False
    user = parse_user(_example("GET /user")["data"])
    assert user.handle == "eve_schmeler"
    assert user.default_account_id == "a73c66c7-4961-4139-a8c0-4222a4e4f7e2"
    assert "eve_schmeler@" not in repr(user)


def test_location_time_zone() -> None:
    location = parse_location(_example("GET /locations/:id")["data"])
    assert location.time_zone == "America/Denver"
    assert location.address2 == "Suite B400"


def test_model_capabilities() -> None:
    models = [parse_model(item) for item in _example("GET /models")["data"]]
    by_number = {m.number: m for m in models}
    six = by_number["LS-6i"]
    assert six.device_type == "lock"
    assert six.capabilities.wake_wifi == ("user_action", "heartbeat_interval")
    assert 20 in six.capabilities.auto_lock_timeouts
    assert six.capabilities.mute is True
    five = by_number["LS-5i"]
    assert "user_action_except_manual" in five.capabilities.wake_wifi
    thermostat = by_number["LS-90i"]
    assert thermostat.capabilities.modes == ("heat", "cool", "auto", "off")
    assert thermostat.capabilities.fan_modes == ("on", "auto", "auto_circulate")
    assert by_number["RL-4000"].capabilities.connected is False


def test_access_persons() -> None:
    persons = [parse_access_person(p) for p in _example("GET /access_persons")["data"]]
    user, guest = persons
    assert isinstance(user, AccessUser)
    assert user.status == "current"
    assert user.pin == "1128"
    assert "1128" not in repr(user)
    assert "damaris" not in repr(user)
    assert isinstance(guest, AccessGuest)
    assert guest.status == "upcoming"
    assert guest.starts_at == datetime(2018, 9, 10)
    assert guest.starts_at.tzinfo is None
    assert guest.ends_at == datetime(2018, 9, 20)
    deactivated = parse_access_person(
        _example("PUT /access_persons/:id/deactivate")["data"]
    )
    assert deactivated.status == "deactivated"
    assert deactivated.restricted_actions == ("update",)


def test_access_and_grant_example() -> None:
    access = parse_access(
        _example("POST /access_persons/:access_person_id/accesses")["data"]
    )
    assert access.guest_start_time == time(14, 0)
    assert access.guest_end_time is None
    assert access.accessible_type == "lock"
    assert access.access_schedule_id == "2d438b81-3119-4a55-9ed5-bf696d243877"
    assert access.access_person_type == "access_guest"
    listed = [
        parse_access(a)
        for a in _example("GET /access_persons/:access_person_id/accesses")["data"]
    ]
    assert [a.accessible_type for a in listed] == [
        "lock",
        "acs_door",
        "door_group",
        "location",
    ]
    assert listed[0].devices_pending_sync_count == 1


def test_events_example() -> None:
    body = json.loads((FIXTURES / "events.json").read_text())
    events = [parse_event(item) for item in body["data"]]
    kinds = [e.kind for e in events]
    assert kinds == [
        "access_person_used",
        "power_level_low",
        "access_person_used",
        "access_guest_late_sync",
        "access_person_sync_failed",
        "unlocked",
        "access_person_synced",
        "connectivity",
    ]
    assert all(e.known for e in events)
    used = events[0]
    assert isinstance(used.details, AccessEventDetails)
    assert used.publisher_type == "access_user"
    assert used.occurred_at == datetime(2018, 8, 28, 21, 36, 22, tzinfo=UTC)
    assert used.time_zone == "America/Denver"
    assert events[2].status == "failed"
    assert isinstance(events[1].details, PowerLevelEventDetails)
    assert events[1].details.power_level == 5
    assert isinstance(events[4].details, SyncEventDetails)
    assert events[4].details.status_info == "timeout"
    unlocked = events[5]
    assert isinstance(unlocked.details, AccessEventDetails)
    assert unlocked.details.method == "pin"
    assert unlocked.details.pin == "1234"
    assert "1234" not in repr(unlocked)
    assert unlocked.associated_resource_type == "access_user"
    connectivity = events[7]
    assert isinstance(connectivity.details, ConnectivityEventDetails)
    assert connectivity.details.connected_at == datetime(
        2018, 8, 24, 7, 23, 22, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("event_type", "attributes", "details_type"),
    [
        ("temperature_changed_event", {"temperature": 71.5}, TemperatureEventDetails),
        ("humidity_changed_event", {"humidity": 40}, HumidityEventDetails),
        ("relay_enabled_event", {}, type(None)),
        ("acs_door_held_open_event", {}, type(None)),
    ],
)
def test_other_event_kinds(
    event_type: str, attributes: dict[str, Any], details_type: type
) -> None:
    event = parse_event({"type": event_type, "id": "e", "attributes": attributes})
    assert event.known
    assert isinstance(event.details, details_type)


def test_unknown_event_kept_generic() -> None:
    event = parse_event(_res("door_exploded_event", "e", {"source": "device", "x": 1}))
    assert not event.known
    assert event.kind == "door_exploded"
    assert event.details is None
    assert event.source == "device"
    assert event.raw["x"] == 1


def test_webhook_payload_same_as_events() -> None:
    raw = (FIXTURES / "webhook_unlocked.json").read_bytes()
    from_bytes = parse_webhook_payload(raw)
    from_text = parse_webhook_payload(raw.decode())
    from_json = parse_webhook_payload(json.loads(raw))
    events = json.loads((FIXTURES / "events.json").read_text())["data"]
    from_events = parse_event(events[5])
    assert from_bytes == from_text == from_json == from_events
    assert isinstance(from_bytes, Event)
    assert from_bytes.kind == "unlocked"


@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"data": []}', b'{"nodata": {}}', 42, {"data": "x"}]
)
def test_webhook_payload_malformed(body: Any) -> None:
    with pytest.raises(MalformedResponseError):
        parse_webhook_payload(body)


def test_schedules_of_every_type() -> None:
    schedules = [
        parse_schedule(e["body"]["data"])
        for e in DOC
        if e["endpoint"] == "POST /schedules"
    ]
    assert [type(s) for s in schedules] == [
        AccessSchedule,
        AutoLockSchedule,
        LockActionSchedule,
        PowerPlugSchedule,
        ThermostatSchedule,
    ]
    access, auto, action, plug, thermo = schedules
    assert isinstance(access, AccessSchedule)
    assert access.week.mon[0].start_time == time(8, 0)
    assert access.week.tue == ()
    assert isinstance(auto, AutoLockSchedule)
    assert {e.enable for e in auto.week.mon} == {True, False}
    assert isinstance(action, LockActionSchedule)
    assert [e.action for e in action.week.mon] == ["unlock", "lock"]
    assert isinstance(plug, PowerPlugSchedule)
    assert [e.action for e in plug.week.fri] == ["on", "off"]
    assert isinstance(thermo, ThermostatSchedule)
    assert (thermo.week.sun[0].cool, thermo.week.sun[0].heat) == (60.0, 70.0)
    # entries round-trip into the request form
    assert thermo.week.to_json()["sun"][0] == {
        "time": "08:00",
        "cool": 60.0,
        "heat": 70.0,
    }
    unknown = parse_schedule(_res("holiday_schedule", "s", {"name": "H"}))
    assert isinstance(unknown, UnknownSchedule)
    assert unknown.name == "H"


def test_access_exception_dates() -> None:
    exception = parse_access_exception(_example("POST /access_exceptions")["data"])
    assert exception.dates[0].start_date == date(2016, 11, 24)
    assert exception.dates[1].end_date == date(2015, 12, 25)


def test_subscribers_and_subscription() -> None:
    subscribers = [
        parse_subscriber(e["body"]["data"])
        for e in DOC
        if e["endpoint"] == "POST /notification_subscribers"
    ]
    email, text, webhook = subscribers
    assert isinstance(email, EmailSubscriber)
    assert isinstance(text, TextSubscriber)
    assert text.carrier == "att"
    assert isinstance(webhook, WebhookSubscriber)
    assert webhook.content_type == "form"
    assert webhook.secret == "5f7c5b9ccedea8832a46cfca516da134"
    assert webhook.secret not in repr(webhook)
    assert "303-317-3422" not in repr(text)
    other = parse_subscriber({"type": "pager_notification_subscriber", "id": "p"})
    assert type(other).__name__ == "NotificationSubscriber"
    subscription = parse_subscription(
        _example("PUT /notification_subscriptions/:id")["data"]
    )
    assert subscription.events == ("access_person_used", "acs_door_held_open")
    assert subscription.publisher_type == "account"


def test_resort_lock_guest_and_preview() -> None:
    guest = parse_resort_lock_guest(_example("POST /resort_lock_guests")["data"])
    assert guest.pin == "1342005721"
    assert "1342005721" not in repr(guest)
    assert guest.starts_at == datetime(2020, 1, 2, 13, 0)
    preview = parse_email_preview(
        _example("GET /resort_lock_guests/:id/email/preview")["data"]
    )
    assert preview.subject == "Access instructions"
    assert preview.id == ""
    assert preview.body is not None
    assert "Access Code" not in repr(preview)


def test_notification() -> None:
    notification = parse_notification(_example("GET /notifications")["data"][0])
    assert notification.event_type == "unlocked_event"
    assert notification.event_id == "c238a4cc-eeda-46d9-9b35-fc0d8633dc32"


@pytest.mark.parametrize(
    ("parser", "payload"),
    [
        (parse_device, None),
        (parse_device, []),
        (parse_device, {"id": "x"}),
        (parse_device, {"type": "lock"}),
        (parse_device, _res("lock", "x", [])),
        (parse_device, _res("lock", "x", {"power_level": "full"})),
        (parse_device, _res("lock", "x", {"power_level": 4.5})),
        (parse_device, _res("lock", "x", {"connected": "yes"})),
        (parse_device, _res("lock", "x", {"muted": 1})),
        (parse_device, _res("lock", "x", {"name": True})),
        (parse_device, _res("lock", "x", {"signal_quality": True})),
        (parse_device, _res("lock", "x", {"connected_at": "yesterday"})),
        (parse_device, _res("lock", "x", {"connected_at": "2018-08-29T18:22:17"})),
        (parse_device, _res("lock", "x", {"local_pins": "1234"})),
        (parse_device, _res("lock", "x", {"local_pins": [1234]})),
        (parse_device, _res("lock", "x", {"default_guest_start_time": "25:00"})),
        (parse_device, _res("thermostat", "x", {"temperature": "warm"})),
        (parse_access_person, _res("access_guest", "x", {"starts_at": "soon"})),
        (parse_model, _res("model", "m", {"capabilities": {"modes": "heat"}})),
        (
            parse_model,
            _res("model", "m", {"capabilities": {"heartbeat_intervals": ["a"]}}),
        ),
        (parse_model, _res("model", "m", {"capabilities": []})),
        (
            parse_access_exception,
            _res("access_exception", "a", {"dates": [{"start_date": 1}]}),
        ),
        (
            parse_access_exception,
            _res(
                "access_exception",
                "a",
                {"dates": [{"start_date": "x", "end_date": "y"}]},
            ),
        ),
        (
            parse_access_exception,
            _res("access_exception", "a", {"dates": ["2016-01-01"]}),
        ),
        (parse_schedule, _res("access_schedule", "s", {"mon": [{"start_time": 9}]})),
        (
            parse_schedule,
            _res(
                "auto_lock_schedule", "s", {"mon": [{"time": "09:00", "enable": "no"}]}
            ),
        ),
        (
            parse_schedule,
            _res("lock_action_schedule", "s", {"mon": [{"time": "09:00"}]}),
        ),
        (
            parse_schedule,
            _res(
                "thermostat_schedule",
                "s",
                {"mon": [{"time": "09:00", "cool": "x", "heat": 1}]},
            ),
        ),
        (
            parse_subscription,
            _res("notification_subscription", "n", {"events": [{"x": 1}]}),
        ),
    ],
)
def test_malformed_payloads_raise_typed_error(
    parser: Callable[[Any], Any], payload: Any
) -> None:
    with pytest.raises(MalformedResponseError) as err:
        parser(payload)
    # the message names the attribute, never a value
    assert "1234" not in str(err.value)


def test_numeric_leniency() -> None:
    lock = parse_device(
        {
            "type": "lock",
            "id": 7,
            "attributes": {"power_level": 40.0},
            "links": {"self": "u", "n": 1},
        }
    )
    assert lock.id == "7"
    assert isinstance(lock, Lock)
    assert lock.power_level == 40
    plug = parse_device(_res("power_plug", "p", {"voltage": 120}))
    assert isinstance(plug, PowerPlug)
    assert plug.voltage == 120.0
    assert isinstance(plug.voltage, float)


def test_timestamps_with_offsets_become_utc() -> None:
    lock = parse_device(
        _res("lock", "x", {"connected_at": "2018-08-29T12:22:17-06:00"})
    )
    assert lock.created_at is None
    assert isinstance(lock, Lock)
    assert lock.connected_at == datetime(2018, 8, 29, 18, 22, 17, tzinfo=UTC)
    assert lock.connected_at.tzinfo is UTC


@pytest.mark.parametrize(
    "meta",
    [
        None,
        {},
        {"page": 1, "per_page": 50, "total_pages": "1", "total_count": 1},
        {"page": 1, "per_page": 50, "total_pages": 1, "total_count": -1},
        {"page": True, "per_page": 50, "total_pages": 1, "total_count": 1},
    ],
)
def test_bad_meta(meta: Any) -> None:
    with pytest.raises(MalformedResponseError):
        PageMeta.from_json(meta)
