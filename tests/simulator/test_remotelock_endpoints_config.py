"""RemoteLock simulator: schedules, access exceptions, groups, notifications, events."""

from __future__ import annotations

import aiohttp

from simulator.remotelock import scenario as sc
from simulator.server import RunningSimulator

from .remotelock_helpers import (
    assert_general_error,
    assert_resource,
    assert_resource_error,
    make_api,
)

DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
SCHEDULE_BODIES = {
    "access_schedule": {
        "mon": [
            {"start_time": "08:00", "end_time": "12:00"},
            {"start_time": "13:00", "end_time": "18:00"},
        ],
        "access_exception_id": sc.ACCESS_EXCEPTION_ID,
    },
    "auto_lock_schedule": {
        "mon": [{"time": "08:00", "enable": False}, {"time": "18:00", "enable": True}]
    },
    "lock_action_schedule": {
        "wed": [
            {"time": "08:00", "action": "unlock"},
            {"time": "18:00", "action": "lock"},
        ]
    },
    "power_plug_schedule": {
        "fri": [{"time": "08:00", "action": "on"}, {"time": "18:00", "action": "off"}]
    },
    "thermostat_schedule": {
        "sun": [
            {"time": "08:00", "cool": 60, "heat": 70},
            {"time": "18:00", "cool": 40, "heat": 80},
        ]
    },
}
BAD_ENTRIES = {
    "access_schedule": {"mon": [{"start_time": "12:00", "end_time": "08:00"}]},
    "auto_lock_schedule": {"mon": [{"time": "08:00", "enable": "yes"}]},
    "lock_action_schedule": {"mon": [{"time": "08:00", "action": "open"}]},
    "power_plug_schedule": {"mon": [{"time": "8 am", "action": "on"}]},
    "thermostat_schedule": {"mon": [{"time": "08:00", "cool": "cold", "heat": 70}]},
}


async def test_schedules_all_five_types(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    items = await api.items("/schedules")
    assert {i["type"] for i in items} == set(SCHEDULE_BODIES)
    only = await api.items("/schedules", params={"type": "thermostat_schedule"})
    assert [i["id"] for i in only] == [sc.THERMOSTAT_SCHEDULE_ID]
    for kind, days in SCHEDULE_BODIES.items():
        reply = await api.post_attrs(
            "/schedules", {"name": f"My {kind}", **days}, kind=kind
        )
        assert reply.status == 201, reply.body
        data = reply.body["data"]
        assert_resource(data, kind, {"name", "created_at", "updated_at"} | DAYS)
        day = next(iter(k for k in days if k in DAYS))
        assert data["attributes"][day] == days[day]
        assert all(data["attributes"][d] == [] for d in DAYS - set(days))
        assert_resource_error(
            await api.post_attrs(
                "/schedules", {"name": "bad", **BAD_ENTRIES[kind]}, kind=kind
            ),
            "mon",
        )
    assert_resource_error(
        await api.post_attrs("/schedules", {}, kind="access_schedule"), "name"
    )
    assert_resource_error(
        await api.post_attrs("/schedules", {"name": "x"}, kind="weekly"), "type"
    )
    reply = await api.get(f"/schedules/{sc.ACCESS_SCHEDULE_ID}")
    assert reply.body["data"]["attributes"]["mon"] == [
        {"start_time": "09:00", "end_time": "17:00"}
    ]
    reply = await api.put_attrs(
        f"/schedules/{sc.ACCESS_SCHEDULE_ID}", {"name": "New schedule name", "mon": []}
    )
    assert reply.status == 200
    assert (
        reply.body["data"]["attributes"]["name"],
        reply.body["data"]["attributes"]["mon"],
    ) == ("New schedule name", [])
    assert (await api.delete(f"/schedules/{sc.LOCK_ACTION_SCHEDULE_ID}")).status == 204
    assert (
        remotelock_sim.sim.devices[sc.FRONT_DOOR_ID]["attributes"][
            "lock_action_schedule_id"
        ]
        is None
    )
    assert_general_error(await api.get(f"/schedules/{sc.LOCK_ACTION_SCHEDULE_ID}"), 404)


async def test_access_exceptions(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    items = await api.items("/access_exceptions")
    assert_resource(
        items[0], "access_exception", {"name", "dates", "created_at", "updated_at"}
    )
    body = {
        "attributes": {
            "name": "Thanks Giving and Christmas",
            "dates": [
                {"start_date": "2016-11-24", "end_date": "2016-11-25"},
                {"start_date": "2015-12-25", "end_date": "2015-12-25"},
            ],
        }
    }
    created = await api.post("/access_exceptions", body)
    assert created.status == 201
    assert created.body["data"]["attributes"]["dates"] == body["attributes"]["dates"]
    rid = created.body["data"]["id"]
    assert (await api.get(f"/access_exceptions/{rid}")).status == 200
    updated = await api.put_attrs(
        f"/access_exceptions/{rid}",
        {
            "name": "Thanks Giving",
            "dates": [{"start_date": "2016-11-24", "end_date": "2016-11-25"}],
        },
    )
    assert updated.body["data"]["attributes"]["name"] == "Thanks Giving"
    assert len(updated.body["data"]["attributes"]["dates"]) == 1
    assert_resource_error(
        await api.put_attrs(f"/access_exceptions/{rid}", {"name": "no dates"}), "dates"
    )
    assert_resource_error(
        await api.post_attrs(
            "/access_exceptions",
            {
                "name": "x",
                "dates": [{"start_date": "2016-11-25", "end_date": "2016-11-24"}],
            },
        ),
        "dates",
    )
    assert_resource_error(
        await api.post_attrs(
            "/access_exceptions",
            {"dates": [{"start_date": "2016-13-01", "end_date": "2016-11-24"}]},
        ),
        "name",
    )
    assert (await api.delete(f"/access_exceptions/{rid}")).status == 204
    assert_general_error(await api.delete(f"/access_exceptions/{rid}"), 404)


async def test_groups_and_doors(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    items = await api.items("/groups")
    assert_resource(items[0], "door_group", {"name", "created_at", "updated_at"})
    assert (await api.get(f"/groups/{sc.DOOR_GROUP_ID}")).body["data"]["attributes"][
        "name"
    ] == "Indoor Locks"
    created = await api.post_attrs(
        "/groups", {"name": "Warehouse doors"}, kind="door_group"
    )
    assert created.status == 201
    gid = created.body["data"]["id"]
    assert (await api.put_attrs(f"/groups/{gid}", {"name": "Inner doors"})).body[
        "data"
    ]["attributes"]["name"] == "Inner doors"
    assert_resource_error(
        await api.post_attrs("/groups", {"name": "x"}, kind="room"), "type"
    )
    assert_resource_error(
        await api.post_attrs("/groups", {}, kind="door_group"), "name"
    )
    door = await api.post_attrs(
        f"/groups/{gid}/doors", {"door_id": sc.BACK_DOOR_ID, "door_type": "lock"}
    )
    assert door.status == 201
    assert_resource(
        door.body["data"],
        "door_group_door",
        {"created_at", "updated_at", "door_id", "door_type", "door_group_id"},
    )
    assert door.body["data"]["links"]["door"].endswith(f"/devices/{sc.BACK_DOOR_ID}")
    acs = await api.post_attrs(
        f"/groups/{gid}/doors", {"door_id": sc.ACS_DOOR_ID, "door_type": "acs_door"}
    )
    assert acs.body["data"]["links"]["door"].endswith(f"/acs/doors/{sc.ACS_DOOR_ID}")
    for attrs, attribute in [
        ({"door_id": sc.BACK_DOOR_ID, "door_type": "lock"}, "door_id"),
        ({"door_id": sc.THERMOSTAT_ID, "door_type": "lock"}, "door_id"),
        ({"door_id": sc.THERMOSTAT_ID, "door_type": "thermostat"}, "door_type"),
    ]:
        assert_resource_error(
            await api.post_attrs(f"/groups/{gid}/doors", attrs), attribute
        )
    locks = await api.items(f"/groups/{gid}/doors?attributes[door_type]=lock")
    assert [d["attributes"]["door_id"] for d in locks] == [sc.BACK_DOOR_ID]
    doors = await api.items(
        f"/groups/{gid}/doors", params={"attributes[door_type]": "ACS::Door"}
    )
    assert [d["attributes"]["door_id"] for d in doors] == [sc.ACS_DOOR_ID]
    did = door.body["data"]["id"]
    assert (await api.get(f"/groups/{gid}/doors/{did}")).status == 200
    assert_general_error(await api.get(f"/groups/{sc.DOOR_GROUP_ID}/doors/{did}"), 404)
    assert (await api.delete(f"/groups/{gid}/doors/{did}")).status == 204
    assert (await api.delete(f"/groups/{gid}")).status == 204
    assert_general_error(await api.get(f"/groups/{gid}/doors"), 404)


async def test_notification_subscribers(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    items = await api.items("/notification_subscribers")
    assert {i["type"] for i in items} == {
        "webhook_notification_subscriber",
        "email_notification_subscriber",
        "text_notification_subscriber",
    }
    webhooks = await api.items(
        "/notification_subscribers", params={"type": "webhook_notification_subscriber"}
    )
    assert_resource(
        webhooks[0],
        "webhook_notification_subscriber",
        {"name", "url", "content_type", "secret", "active", "created_at", "updated_at"},
    )
    email = await api.post_attrs(
        "/notification_subscribers",
        {"active": True, "name": "Rob Goff", "email": "rob@lockstate.com"},
        kind="email_notification_subscriber",
    )
    assert email.status == 201
    assert_resource(
        email.body["data"],
        "email_notification_subscriber",
        {"name", "email", "active", "created_at", "updated_at"},
    )
    text = await api.post_attrs(
        "/notification_subscribers",
        {"name": "Rob Goff", "phone": "303-317-3422", "carrier": "att"},
        kind="text_notification_subscriber",
    )
    assert text.status == 201
    assert text.body["data"]["attributes"]["active"] is True
    hook = await api.post_attrs(
        "/notification_subscribers",
        {"name": "Rob's webhook", "url": "https://google.com", "secret": "5f7c"},
        kind="webhook_notification_subscriber",
    )
    assert hook.status == 201
    assert hook.body["data"]["attributes"]["content_type"] == "form"
    for kind, attrs, attribute in [
        ("text_notification_subscriber", {"name": "No phone"}, "phone"),
        (
            "webhook_notification_subscriber",
            {"name": "x", "url": "https://a.b", "content_type": "xml"},
            "content_type",
        ),
        ("webhook_notification_subscriber", {"name": "x", "url": "not a url"}, "url"),
        ("pigeon_notification_subscriber", {"name": "x"}, "type"),
    ]:
        assert_resource_error(
            await api.post_attrs("/notification_subscribers", attrs, kind=kind),
            attribute,
        )
    remotelock_sim.sim.settings["require_https_webhooks"] = True
    assert_resource_error(
        await api.post_attrs(
            "/notification_subscribers",
            {"name": "x", "url": "http://plain.example"},
            kind="webhook_notification_subscriber",
        ),
        "url",
    )
    tid = text.body["data"]["id"]
    updated = await api.put_attrs(f"/notification_subscribers/{tid}", {"active": False})
    assert updated.body["data"]["attributes"]["active"] is False
    assert (await api.get(f"/notification_subscribers/{tid}")).body["data"][
        "attributes"
    ]["active"] is False
    assert (await api.delete(f"/notification_subscribers/{tid}")).status == 204
    assert_general_error(await api.get(f"/notification_subscribers/{tid}"), 404)


async def test_notification_subscriptions(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    items = await api.items("/notification_subscriptions")
    keys = {
        "events",
        "created_at",
        "updated_at",
        "subscriber_id",
        "subscriber_type",
        "publisher_id",
        "publisher_type",
    }
    for item in items:
        assert_resource(item, "notification_subscription", keys)
    account_sub = next(
        i for i in items if i["attributes"]["publisher_type"] == "account"
    )
    assert account_sub["links"]["publisher"].endswith("/account")
    body = {
        "attributes": {
            "events": [{"event_type": "unlocked"}, {"event_type": "locked"}],
            "publisher_type": "lock",
            "publisher_id": sc.CANAL_DOOR_ID,
            "subscriber_type": "text_notification_subscriber",
            "subscriber_id": sc.TEXT_SUBSCRIBER_ID,
        }
    }
    created = await api.post("/notification_subscriptions", body)
    assert created.status == 201, created.body
    sid = created.body["data"]["id"]
    assert created.body["data"]["links"]["subscriber"].endswith(sc.TEXT_SUBSCRIBER_ID)
    assert (await api.get(f"/notification_subscriptions/{sid}")).status == 200
    updated = await api.put_attrs(
        f"/notification_subscriptions/{sid}",
        {"events": [{"event_type": "access_denied"}]},
    )
    assert updated.body["data"]["attributes"]["events"] == [
        {"event_type": "access_denied"}
    ]
    wrong = {**body["attributes"], "events": [{"event_type": "temperature_changed"}]}
    assert_resource_error(
        await api.post_attrs("/notification_subscriptions", wrong), "events"
    )
    assert_resource_error(
        await api.put_attrs(
            f"/notification_subscriptions/{sid}",
            {"events": [{"event_type": "relay_enabled"}]},
        ),
        "events",
    )
    for attrs, attribute in [
        ({**body["attributes"], "publisher_id": "nope"}, "publisher_id"),
        (
            {**body["attributes"], "subscriber_type": "email_notification_subscriber"},
            "subscriber_id",
        ),
        ({}, "events"),
    ]:
        assert_resource_error(
            await api.post_attrs("/notification_subscriptions", attrs), attribute
        )
    thermostat = {
        **body["attributes"],
        "publisher_type": "thermostat",
        "publisher_id": sc.THERMOSTAT_ID,
        "events": [
            {"event_type": "temperature_changed"},
            {"event_type": "humidity_changed"},
        ],
    }
    assert (
        await api.post_attrs("/notification_subscriptions", thermostat)
    ).status == 201
    assert (await api.delete(f"/notification_subscriptions/{sid}")).status == 204
    assert_general_error(await api.get(f"/notification_subscriptions/{sid}"), 404)


async def test_events_and_notifications(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    items = await api.items("/events")
    occurred = [i["attributes"]["occurred_at"] for i in items]
    assert occurred == sorted(occurred, reverse=True)
    unlocked = next(i for i in items if i["type"] == "unlocked_event")
    assert_resource(
        unlocked,
        "unlocked_event",
        {
            "source",
            "status",
            "time_zone",
            "occurred_at",
            "created_at",
            "updated_at",
            "associated_resource_name",
            "status_info",
            "method",
            "card",
            "pin",
            "smart_card_serial_number",
            "publisher_id",
            "publisher_type",
            "associated_resource_id",
            "associated_resource_type",
        },
    )
    assert unlocked["links"]["publisher"].endswith(f"/devices/{sc.FRONT_DOOR_ID}")
    assert unlocked["links"]["associated_resource"].endswith(
        f"/access_persons/{sc.USER_ANN_ID}"
    )
    low = next(i for i in items if i["type"] == "power_level_low_event")
    assert low["attributes"]["power_level"] == 15
    assert "associated_resource_id" not in low["attributes"]
    connectivity = next(i for i in items if i["type"] == "connectivity_event")
    assert "connected_at" in connectivity["attributes"]
    used = next(i for i in items if i["type"] == "access_person_used_event")
    assert used["links"]["publisher"].endswith(f"/access_persons/{sc.USER_ANN_ID}")
    temp = next(i for i in items if i["type"] == "temperature_changed_event")
    assert temp["attributes"]["time_zone"] == "Europe/Amsterdam"
    one = await api.get(f"/events/{unlocked['id']}")
    assert one.body["data"] == unlocked
    assert_general_error(await api.get("/events/nope"), 404)
    ascending = await api.items("/events", params={"sort": "occurred_at"})
    assert [i["id"] for i in ascending] == [i["id"] for i in reversed(items)]
    only = await api.items("/events", params={"type": "unlocked_event"})
    assert {i["type"] for i in only} == {"unlocked_event"}
    # The e-mail subscriber of the Front Door gets a notification for a new unlock.
    assert await api.items("/notifications") == []
    await api.put(f"/devices/{sc.FRONT_DOOR_ID}/unlock")
    notes = await api.items("/notifications")
    assert len(notes) == 1
    assert_resource(
        notes[0],
        "notification",
        {
            "created_at",
            "updated_at",
            "subscriber_id",
            "subscriber_type",
            "publisher_id",
            "publisher_type",
            "event_id",
            "event_type",
        },
    )
    assert notes[0]["attributes"]["event_type"] == "unlocked_event"
    assert notes[0]["attributes"]["subscriber_id"] == sc.EMAIL_SUBSCRIBER_ID
    assert notes[0]["links"]["event"].endswith(notes[0]["attributes"]["event_id"])
