"""End-to-end flows over every documented endpoint, shared by the area tests and
the coverage test (which runs them all on one simulator and reads its request log).
"""

# ruff: noqa: DTZ001  (naive local times are what the API speaks)

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
import re

import pytest

from custom_components.smart_access.api.errors import NotFoundError
from custom_components.smart_access.api.remotelock import (
    AccessGuest,
    AccessSchedule,
    AccessUser,
    AcsDoor,
    AutoLockSchedule,
    AutoLockSwitch,
    DateRange,
    EmailSubscriber,
    Lock,
    LockActionSchedule,
    LockUpdate,
    PowerPlug,
    PowerPlugSchedule,
    PowerPlugUpdate,
    RemoteLockClient,
    ResortLock,
    ResortLockUpdate,
    ScheduledAction,
    TextSubscriber,
    Thermostat,
    ThermostatSchedule,
    ThermostatSetpoints,
    ThermostatUpdate,
    TimeWindow,
    WebhookSubscriber,
    Week,
    aware_to_local_naive,
)
from simulator.remotelock import RemoteLockSimulator

#: Every method + path pair of the RemoteLock API v1 document (77).
DOCUMENTED_ROUTES = frozenset(
    {
        ("DELETE", "/access_exceptions/:id"),
        ("DELETE", "/access_persons/:access_person_id/accesses/:id"),
        ("DELETE", "/access_persons/:id"),
        ("DELETE", "/devices/:id"),
        ("DELETE", "/groups/:group_id/doors/:id"),
        ("DELETE", "/groups/:id"),
        ("DELETE", "/locations/:id"),
        ("DELETE", "/notification_subscribers/:id"),
        ("DELETE", "/notification_subscriptions/:id"),
        ("DELETE", "/resort_lock_guests/:id"),
        ("DELETE", "/schedules/:id"),
        ("GET", "/access_exceptions"),
        ("GET", "/access_exceptions/:id"),
        ("GET", "/access_persons"),
        ("GET", "/access_persons/:access_person_id/accesses"),
        ("GET", "/access_persons/:access_person_id/accesses/:id"),
        ("GET", "/access_persons/:id"),
        ("GET", "/account"),
        ("GET", "/acs/doors"),
        ("GET", "/acs/doors/:id"),
        ("GET", "/acs/doors/:id/access_person_accesses"),
        ("GET", "/devices"),
        ("GET", "/devices/:id"),
        ("GET", "/devices/:id/access_person_accesses"),
        ("GET", "/events"),
        ("GET", "/events/:id"),
        ("GET", "/groups"),
        ("GET", "/groups/:group_id/doors"),
        ("GET", "/groups/:group_id/doors/:id"),
        ("GET", "/groups/:id"),
        ("GET", "/locations"),
        ("GET", "/locations/:id"),
        ("GET", "/models"),
        ("GET", "/models/:id"),
        ("GET", "/notification_subscribers"),
        ("GET", "/notification_subscribers/:id"),
        ("GET", "/notification_subscriptions"),
        ("GET", "/notification_subscriptions/:id"),
        ("GET", "/notifications"),
        ("GET", "/resort_lock_guests"),
        ("GET", "/resort_lock_guests/:id"),
        ("GET", "/resort_lock_guests/:id/email/preview"),
        ("GET", "/schedules"),
        ("GET", "/schedules/:id"),
        ("GET", "/user"),
        ("POST", "/access_exceptions"),
        ("POST", "/access_persons"),
        ("POST", "/access_persons/:access_person_id/accesses"),
        ("POST", "/access_persons/:id/email/notify"),
        ("POST", "/devices"),
        ("POST", "/groups"),
        ("POST", "/groups/:group_id/doors"),
        ("POST", "/locations"),
        ("POST", "/notification_subscribers"),
        ("POST", "/notification_subscriptions"),
        ("POST", "/resort_lock_guests"),
        ("POST", "/resort_lock_guests/:id/email/notify"),
        ("POST", "/schedules"),
        ("PUT", "/access_exceptions/:id"),
        ("PUT", "/access_persons/:access_person_id/accesses/:id"),
        ("PUT", "/access_persons/:id"),
        ("PUT", "/access_persons/:id/deactivate"),
        ("PUT", "/account"),
        ("PUT", "/acs/doors/:id/lock"),
        ("PUT", "/acs/doors/:id/temporary_unlock"),
        ("PUT", "/acs/doors/:id/unlock"),
        ("PUT", "/devices/:id"),
        ("PUT", "/devices/:id/lock"),
        ("PUT", "/devices/:id/power_off"),
        ("PUT", "/devices/:id/power_on"),
        ("PUT", "/devices/:id/unlock"),
        ("PUT", "/groups/:id"),
        ("PUT", "/locations/:id"),
        ("PUT", "/notification_subscribers/:id"),
        ("PUT", "/notification_subscriptions/:id"),
        ("PUT", "/resort_lock_guests/:id"),
        ("PUT", "/schedules/:id"),
    }
)

_PATTERNS = [
    (method, route, re.compile("^" + re.sub(r":\w+", "[^/]+", route) + "$"))
    for method, route in DOCUMENTED_ROUTES
]


def route_of(method: str, path: str) -> tuple[str, str] | None:
    """Return the documented route a logged request matched (exact beats pattern)."""
    matches = [
        (m, route)
        for m, route, pattern in _PATTERNS
        if m == method and pattern.match(path)
    ]
    if not matches:
        return None
    # e.g. /access_persons/x/deactivate also matches nothing shorter; prefer the
    # route with the most literal segments.
    return max(matches, key=lambda item: item[1].count("/") - item[1].count(":"))


async def _ids(client: RemoteLockClient) -> dict[str, str]:
    models = {m.number: m.id for m in await client.async_list_models()}
    locations = await client.async_list_locations()
    devices = await client.async_list_devices()
    by_type: dict[str, str] = {}
    for device in devices:
        by_type.setdefault(device.type, device.id)
    return {
        "location": locations[0].id,
        "ls6i": models["LS-6i"],
        "lock": by_type["lock"],
        "thermostat": by_type["thermostat"],
        "power_plug": by_type["power_plug"],
        "resort_lock": by_type["resort_lock"],
        "acs_door": by_type["acs_door"],
    }


async def account_flow(client: RemoteLockClient, sim: RemoteLockSimulator) -> None:
    """GET/PUT /account and GET /user."""
    account = await client.async_get_account()
    assert account.id == sim.account["id"]
    updated = await client.async_update_account(
        default_guest_start_time=time(15, 30), default_guest_end_time=time(2, 15)
    )
    assert updated.default_guest_start_time == time(15, 30)
    assert updated.default_guest_end_time == time(2, 15)
    assert sim.account["attributes"]["default_guest_start_time"].startswith("15:30")
    user = await client.async_get_user()
    assert user.id == sim.state.user["id"]


async def location_flow(client: RemoteLockClient, sim: RemoteLockSimulator) -> None:
    """Locations: list, page, get, create, update, delete."""
    listed = await client.async_list_locations(sort="name")
    assert len(listed) == len(sim.locations)
    assert [loc.name for loc in listed] == sorted(loc.name or "" for loc in listed)
    page = await client.async_list_locations_page(1, 1)
    assert len(page.items) == 1
    assert page.meta.total_count == len(sim.locations)
    one = await client.async_get_location(listed[0].id)
    assert one == listed[0]
    created = await client.async_create_location(
        name="Harbour Flat", time_zone="Europe/Amsterdam", city="Amsterdam"
    )
    assert created.time_zone == "Europe/Amsterdam"
    assert created.id in sim.locations
    renamed = await client.async_update_location(created.id, name="Harbour Loft")
    assert renamed.name == "Harbour Loft"
    await client.async_delete_location(created.id)
    assert created.id not in sim.locations
    with pytest.raises(NotFoundError):
        await client.async_get_location(created.id)


async def model_flow(client: RemoteLockClient, sim: RemoteLockSimulator) -> None:
    """Models: list and get."""
    models = await client.async_list_models()
    assert len(models) == len(sim.models)
    page = await client.async_list_models_page(2, 10)
    assert page.meta.page == 2
    assert len(page.items) == len(sim.models) - 10
    six = next(m for m in models if m.number == "LS-6i")
    assert (await client.async_get_model(six.id)).capabilities == six.capabilities


async def group_flow(client: RemoteLockClient, sim: RemoteLockSimulator) -> None:
    """Door groups and their doors."""
    ids = await _ids(client)
    groups = await client.async_list_groups()
    assert len(groups) == len((await client.async_list_groups_page()).items)
    group = await client.async_create_group(name="Warehouse doors")
    assert group.type == "door_group"
    assert (await client.async_get_group(group.id)).name == "Warehouse doors"
    assert (
        await client.async_update_group(group.id, name="Inner doors")
    ).name == "Inner doors"
    lock_member = await client.async_add_group_door(
        group.id, door_id=ids["lock"], door_type="lock"
    )
    door_member = await client.async_add_group_door(
        group.id, door_id=ids["acs_door"], door_type="acs_door"
    )
    assert lock_member.door_group_id == group.id
    locks_only = await client.async_list_group_doors(group.id, door_type="lock")
    assert [d.id for d in locks_only] == [lock_member.id]
    both = await client.async_list_group_doors_page(group.id)
    assert {d.id for d in both.items} == {lock_member.id, door_member.id}
    got = await client.async_get_group_door(group.id, door_member.id)
    assert got.door_id == ids["acs_door"]
    await client.async_remove_group_door(group.id, door_member.id)
    assert [d.id for d in await client.async_list_group_doors(group.id)] == [
        lock_member.id
    ]
    await client.async_delete_group(group.id)
    with pytest.raises(NotFoundError):
        await client.async_get_group(group.id)


async def access_exception_flow(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """Access exceptions: list, get, create, update, delete."""
    before = await client.async_list_access_exceptions(sort="-name")
    created = await client.async_create_access_exception(
        name="Thanks Giving and Christmas",
        dates=[
            DateRange(date(2016, 11, 24), date(2016, 11, 25)),
            DateRange(date(2015, 12, 25), date(2015, 12, 25)),
        ],
    )
    assert len(created.dates) == 2
    page = await client.async_list_access_exceptions_page(1, 50)
    assert page.meta.total_count == len(before) + 1
    updated = await client.async_update_access_exception(
        created.id,
        name="Thanks Giving",
        dates=[DateRange(date(2016, 11, 24), date(2016, 11, 25))],
    )
    assert updated.name == "Thanks Giving"
    assert (await client.async_get_access_exception(created.id)).dates == updated.dates
    await client.async_delete_access_exception(created.id)
    assert len(await client.async_list_access_exceptions()) == len(before)


async def device_flow(client: RemoteLockClient, sim: RemoteLockSimulator) -> None:
    """Devices: list/filter, get, register, update per type, commands, deregister."""
    ids = await _ids(client)
    everything = await client.async_list_devices()
    assert len(everything) == len(sim.devices)
    locks = await client.async_list_devices(types="lock")
    assert locks
    assert all(isinstance(d, Lock) for d in locks)
    several = await client.async_list_devices(types=["thermostat", "power_plug"])
    assert {type(d) for d in several} == {Thermostat, PowerPlug}
    picked = await client.async_list_devices(ids=[ids["lock"], ids["thermostat"]])
    assert {d.id for d in picked} == {ids["lock"], ids["thermostat"]}
    at_location = await client.async_list_devices(
        location_id=ids["location"], sort="-name"
    )
    assert all(d.location_id == ids["location"] for d in at_location)
    assert [d.name for d in at_location] == sorted(
        (d.name or "" for d in at_location), reverse=True
    )
    page = await client.async_list_devices_page(1, 2, types="lock")
    assert len(page.items) == 2
    assert page.meta.total_count == len(locks)

    registered = await client.async_register_device(
        name="Home Lock",
        serial_number="AC000W000213429",
        model_id=ids["ls6i"],
        location_id=ids["location"],
    )
    assert isinstance(registered, Lock)
    assert registered.serial_number == "AC000W000213429"
    updated = await client.async_update_device(
        registered.id,
        LockUpdate(
            name="Backdoor Lock",
            auto_lock_timeout=10,
            default_guest_start_time=time(11, 15),
        ),
    )
    assert isinstance(updated, Lock)
    assert updated.name == "Backdoor Lock"
    assert updated.auto_lock_timeout == 10
    assert updated.default_guest_start_time == time(11, 15)
    fetched = await client.async_get_device(registered.id)
    assert fetched == updated

    locked = await client.async_lock_device(registered.id)
    assert isinstance(locked, Lock)
    assert locked.state == "locked"
    unlocked = await client.async_unlock_device(registered.id)
    assert unlocked.state == "unlocked"
    assert sim.devices[registered.id]["attributes"]["state"] == "unlocked"

    thermostat = await client.async_update_device(
        ids["thermostat"], ThermostatUpdate(target_mode="heat", hold=True)
    )
    assert isinstance(thermostat, Thermostat)
    assert (thermostat.target_mode, thermostat.hold) == ("heat", True)
    plug = await client.async_update_device(
        ids["power_plug"], PowerPlugUpdate(name="Porch")
    )
    assert plug.name == "Porch"
    off = await client.async_power_off(ids["power_plug"])
    assert isinstance(off, PowerPlug)
    assert off.on is False
    on = await client.async_power_on(ids["power_plug"])
    assert on.on is True
    resort = await client.async_update_device(
        ids["resort_lock"], ResortLockUpdate(default_guest_start_time=time(10, 0))
    )
    assert isinstance(resort, ResortLock)
    assert resort.default_guest_start_time == time(10, 0)

    accesses = await client.async_list_device_accesses(ids["lock"])
    users_only = await client.async_list_device_accesses(
        ids["lock"], access_person_type="access_user"
    )
    assert all(a.access_person_type == "access_user" for a in users_only)
    assert len(users_only) <= len(accesses)
    page_accesses = await client.async_list_device_accesses_page(ids["lock"])
    assert page_accesses.meta.total_count == len(accesses)

    await client.async_deregister_device(registered.id)
    assert registered.id not in sim.devices
    with pytest.raises(NotFoundError):
        await client.async_get_device(registered.id)


async def acs_door_flow(client: RemoteLockClient, sim: RemoteLockSimulator) -> None:
    """ACS doors: list, get, lock, unlock, temporary unlock, accesses."""
    doors = await client.async_list_acs_doors(sort="name")
    assert doors
    assert all(isinstance(d, AcsDoor) for d in doors)
    assert len((await client.async_list_acs_doors_page()).items) == len(doors)
    door_id = doors[0].id
    assert (await client.async_get_acs_door(door_id)).id == door_id
    assert (await client.async_unlock_acs_door(door_id)).state == "unlocked"
    assert (await client.async_lock_acs_door(door_id)).state == "locked"
    assert (await client.async_temporary_unlock_acs_door(door_id)).state == "unlocked"
    accesses = await client.async_list_acs_door_accesses(door_id)
    guests = await client.async_list_acs_door_accesses(
        door_id, access_person_type="access_guest"
    )
    assert all(a.access_person_type == "access_guest" for a in guests)
    assert len(guests) <= len(accesses)
    page = await client.async_list_acs_door_accesses_page(
        door_id, access_person_type="access_guest"
    )
    assert page.meta.total_count == len(guests)


async def access_person_flow(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """Access persons and their accesses."""
    ids = await _ids(client)
    current = await client.async_list_access_persons()
    assert all(p.status in ("current", "upcoming") for p in current)
    user = await client.async_create_access_user(
        name="Ann Smith", email="ann.smith@example.com", pin="918273", department="HR"
    )
    assert isinstance(user, AccessUser)
    assert user.pin == "918273"
    generated = await client.async_create_access_user(name="Bob", generate_pin=True)
    assert generated.pin is not None
    assert generated.pin.isdigit()
    now_local = aware_to_local_naive(datetime.now(UTC), "America/Denver")
    starts = now_local.replace(microsecond=0) + timedelta(days=30)
    guest = await client.async_create_access_guest(
        name="Guest Gina",
        email="gina@example.com",
        card_number="23456",
        starts_at=starts,
        ends_at=starts + timedelta(days=2),
    )
    assert isinstance(guest, AccessGuest)
    assert guest.starts_at == starts
    assert guest.status == "upcoming"
    assert (await client.async_get_access_person(guest.id)).id == guest.id
    moved = await client.async_update_access_person(
        guest.id, name="Guest Gina B", ends_at=starts + timedelta(days=3)
    )
    assert isinstance(moved, AccessGuest)
    assert moved.ends_at == starts + timedelta(days=3)
    page = await client.async_list_access_persons_page(1, 50, types="access_guest")
    assert {p.type for p in page.items} == {"access_guest"}

    schedule = next(
        s for s in await client.async_list_schedules() if s.type == "access_schedule"
    )
    grant = await client.async_grant_access(
        guest.id,
        accessible_type="lock",
        accessible_id=ids["lock"],
        guest_start_time=time(14, 0),
    )
    assert grant.accessible_id == ids["lock"]
    assert grant.guest_start_time == time(14, 0)
    to_location = await client.async_grant_access(
        user.id, accessible_type="location", accessible_id=ids["location"]
    )
    listed = await client.async_list_accesses(guest.id)
    assert [a.id for a in listed] == [grant.id]
    assert (await client.async_list_accesses_page(user.id)).items[
        0
    ].id == to_location.id
    assert (await client.async_get_access(guest.id, grant.id)) == grant
    rescheduled = await client.async_update_access(
        guest.id, grant.id, access_schedule_id=schedule.id
    )
    assert rescheduled.access_schedule_id == schedule.id
    await client.async_revoke_access(guest.id, grant.id)
    assert len(await client.async_list_accesses(guest.id)) == 0

    await client.async_notify_access_person(guest.id, days_before=1)
    assert sim.emails[-1]["access_person_id"] == guest.id
    assert sim.emails[-1]["days_before"] == 1
    await client.async_notify_access_person(guest.id)

    deactivated = await client.async_deactivate_access_person(user.id)
    assert deactivated.status == "deactivated"
    past = await client.async_list_access_persons(statuses=["deactivated", "expired"])
    assert user.id in {p.id for p in past}
    assert user.id not in {p.id for p in await client.async_list_access_persons()}
    await client.async_delete_access_person(generated.id)
    with pytest.raises(NotFoundError):
        await client.async_get_access_person(generated.id)


async def resort_flow(client: RemoteLockClient, sim: RemoteLockSimulator) -> None:
    """Resort lock guests, including e-mail notify and preview."""
    ids = await _ids(client)
    before = await client.async_list_resort_lock_guests(sort="name")
    starts = datetime(2030, 1, 2, 13, 0)
    guest = await client.async_create_resort_lock_guest(
        resort_lock_id=ids["resort_lock"],
        name="Ann Smith",
        starts_at=starts,
        ends_at=datetime(2030, 1, 9, 16, 0),
        email="june.harber@example.com",
    )
    assert guest.pin is not None
    assert guest.resort_lock_id == ids["resort_lock"]
    assert guest.starts_at == starts
    page = await client.async_list_resort_lock_guests_page()
    assert page.meta.total_count == len(before) + 1
    assert (await client.async_get_resort_lock_guest(guest.id)).pin == guest.pin
    renamed = await client.async_update_resort_lock_guest(
        guest.id, name="Jonatan Doery"
    )
    assert renamed.name == "Jonatan Doery"
    await client.async_notify_resort_lock_guest(guest.id)
    preview = await client.async_preview_resort_lock_guest_email(guest.id)
    assert preview.subject
    assert preview.body is not None
    await client.async_delete_resort_lock_guest(guest.id)
    with pytest.raises(NotFoundError):
        await client.async_get_resort_lock_guest(guest.id)


async def schedule_flow(client: RemoteLockClient, sim: RemoteLockSimulator) -> None:
    """Schedules of the five types: create, get, list, update, delete."""
    nine, five = time(9, 0), time(17, 0)
    access = await client.async_create_access_schedule(
        name="Work access",
        week=Week(mon=(TimeWindow(nine, five),), fri=(TimeWindow(nine, time(15, 0)),)),
    )
    assert isinstance(access, AccessSchedule)
    assert access.week.mon == (TimeWindow(nine, five),)
    assert access.week.tue == ()
    auto = await client.async_create_auto_lock_schedule(
        name="Auto",
        week=Week(mon=(AutoLockSwitch(nine, False), AutoLockSwitch(five, True))),
    )
    assert isinstance(auto, AutoLockSchedule)
    action = await client.async_create_lock_action_schedule(
        name="Lock",
        week=Week(wed=(ScheduledAction(nine, "unlock"), ScheduledAction(five, "lock"))),
    )
    assert isinstance(action, LockActionSchedule)
    assert [e.action for e in action.week.wed] == ["unlock", "lock"]
    plug = await client.async_create_power_plug_schedule(
        name="Plug",
        week=Week(sat=(ScheduledAction(nine, "on"), ScheduledAction(five, "off"))),
    )
    assert isinstance(plug, PowerPlugSchedule)
    thermo = await client.async_create_thermostat_schedule(
        name="Heat", week=Week(sun=(ThermostatSetpoints(time(8, 0), 60, 70),))
    )
    assert isinstance(thermo, ThermostatSchedule)
    assert thermo.week.sun[0].heat == 70
    listed = await client.async_list_schedules(types="access_schedule", sort="name")
    assert access.id in {s.id for s in listed}
    assert all(s.type == "access_schedule" for s in listed)
    page = await client.async_list_schedules_page(1, 50, types=["thermostat_schedule"])
    assert thermo.id in {s.id for s in page.items}
    assert (await client.async_get_schedule(auto.id)) == auto
    renamed = await client.async_update_schedule(
        access.id, name="New schedule name", week=Week(tue=(TimeWindow(nine, five),))
    )
    assert renamed.name == "New schedule name"
    assert isinstance(renamed, AccessSchedule)
    assert renamed.week.mon == ()
    assert renamed.week.tue == (TimeWindow(nine, five),)
    for schedule in (access, auto, action, plug, thermo):
        await client.async_delete_schedule(schedule.id)
    with pytest.raises(NotFoundError):
        await client.async_get_schedule(access.id)


async def notification_flow(client: RemoteLockClient, sim: RemoteLockSimulator) -> None:
    """Subscribers, subscriptions, notifications and events."""
    account = await client.async_get_account()
    subscribers = await client.async_list_notification_subscribers(sort="name")
    email = await client.async_create_email_subscriber(
        name="Rob", email="rob@example.com"
    )
    assert isinstance(email, EmailSubscriber)
    text = await client.async_create_text_subscriber(
        name="Rob", phone="303-317-3422", carrier="att", active=True
    )
    assert isinstance(text, TextSubscriber)
    hook = await client.async_create_webhook_subscriber(
        name="Hook", url="https://example.com/hook", secret="s3cret"
    )
    assert isinstance(hook, WebhookSubscriber)
    assert hook.content_type == "json"
    typed = await client.async_list_notification_subscribers(
        types="webhook_notification_subscriber"
    )
    assert hook.id in {s.id for s in typed}
    page = await client.async_list_notification_subscribers_page()
    assert page.meta.total_count == len(subscribers) + 3
    assert (await client.async_get_notification_subscriber(text.id)).id == text.id
    inactive = await client.async_update_notification_subscriber(text.id, active=False)
    assert inactive.active is False

    subscription = await client.async_create_notification_subscription(
        events=["unlocked", {"event_type": "locked"}],
        publisher_type="account",
        publisher_id=account.id,
        subscriber_type="email_notification_subscriber",
        subscriber_id=email.id,
    )
    assert subscription.events == ("unlocked", "locked")
    changed = await client.async_update_notification_subscription(
        subscription.id, events=["access_person_used", "acs_door_held_open"]
    )
    assert changed.events == ("access_person_used", "acs_door_held_open")
    assert (
        await client.async_get_notification_subscription(subscription.id)
    ) == changed
    assert subscription.id in {
        s.id for s in await client.async_list_notification_subscriptions()
    }
    assert (
        await client.async_list_notification_subscriptions_page()
    ).meta.total_count >= 1
    await client.async_delete_notification_subscription(subscription.id)
    with pytest.raises(NotFoundError):
        await client.async_get_notification_subscription(subscription.id)
    for subscriber in (email, text, hook):
        await client.async_delete_notification_subscriber(subscriber.id)
    assert len(await client.async_list_notification_subscribers()) == len(subscribers)

    notifications = await client.async_list_notifications()
    assert (await client.async_list_notifications_page()).meta.total_count == len(
        notifications
    )

    events = await client.async_list_events()
    assert len(events) == len(sim.events)
    occurred = [e.occurred_at for e in events if e.occurred_at]
    assert occurred == sorted(occurred, reverse=True)  # default: -occurred_at
    by_created = await client.async_list_events_page(1, 5, sort="created_at")
    assert len(by_created.items) == min(5, len(events))
    unlocked = await client.async_list_events(types="unlocked_event")
    assert all(e.kind == "unlocked" for e in unlocked)
    picked = await client.async_list_events(ids=[events[0].id])
    assert [e.id for e in picked] == [events[0].id]
    assert (await client.async_get_event(events[0].id)) == events[0]


ALL_FLOWS = (
    account_flow,
    location_flow,
    model_flow,
    group_flow,
    access_exception_flow,
    device_flow,
    acs_door_flow,
    access_person_flow,
    resort_flow,
    schedule_flow,
    notification_flow,
)
