"""RemoteLock simulator: access persons, accesses, resort lock guests."""

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

PERSON_KEYS = {
    "name",
    "email",
    "phone",
    "pin",
    "card_number",
    "department",
    "status",
    "rental_source",
    "created_at",
    "updated_at",
}
ACCESS_KEYS = {
    "guest_start_time",
    "guest_end_time",
    "devices_count",
    "devices_synced_count",
    "devices_pending_sync_count",
    "devices_failed_sync_count",
    "accessible_type",
    "created_at",
    "updated_at",
    "access_person_id",
    "access_person_type",
    "accessible_id",
}
GUEST_KEYS = {
    "name",
    "email",
    "pin",
    "starts_at",
    "ends_at",
    "one_time_access",
    "rental_source",
    "created_at",
    "updated_at",
    "resort_lock_id",
}


async def test_access_persons_default_and_status_filters(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    items = await api.items("/access_persons")
    assert {i["attributes"]["status"] for i in items} == {"current", "upcoming"}
    for item in items:
        assert_resource(item, item["type"], PERSON_KEYS)
        assert "meta" not in item
    guest = next(i for i in items if i["type"] == "access_guest")
    assert {"starts_at", "ends_at"} <= set(guest["attributes"])
    past = await api.items(
        "/access_persons?attributes[status][]=deactivated&attributes[status][]=expired"
    )
    assert {i["id"] for i in past} == {sc.USER_FORMER_ID, sc.GUEST_EXPIRED_ID}
    assert all(i["meta"] == {"restricted_actions": ["update"]} for i in past)
    only_guests = await api.items("/access_persons", params={"type": "access_guest"})
    assert {i["type"] for i in only_guests} == {"access_guest"}
    assert_general_error(
        await api.get("/access_persons", params={"attributes[status]": "sleeping"}), 400
    )


async def test_guest_status_follows_the_clock(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    assert (await api.get(f"/access_persons/{sc.GUEST_UPCOMING_ID}")).body["data"][
        "attributes"
    ]["status"] == "upcoming"
    remotelock_sim.sim.clock.advance(11 * 86400)
    api = await make_api(http_session, remotelock_sim)
    assert (await api.get(f"/access_persons/{sc.GUEST_UPCOMING_ID}")).body["data"][
        "attributes"
    ]["status"] == "current"
    assert (await api.get(f"/access_persons/{sc.GUEST_CURRENT_ID}")).body["data"][
        "attributes"
    ]["status"] == "expired"


async def test_create_access_user_and_guest(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    user = await api.post_attrs(
        "/access_persons",
        {
            "name": "Ann Smith 2",
            "email": "ann2@example.com",
            "department": "Human Resources",
            "pin": "5678",
            "card_number": "23456",
        },
        kind="access_user",
    )
    assert user.status == 201, user.body
    assert_resource(user.body["data"], "access_user", PERSON_KEYS)
    assert user.body["data"]["attributes"]["status"] == "current"
    assert "starts_at" not in user.body["data"]["attributes"]
    guest = await api.post_attrs(
        "/access_persons",
        {
            "starts_at": "2020-01-02T16:04:00",
            "ends_at": "2099-01-02T16:04:00",
            "name": "Ann Guest",
            "pin": "6789",
        },
        kind="access_guest",
    )
    assert guest.status == 201
    attrs = guest.body["data"]["attributes"]
    assert (attrs["starts_at"], attrs["ends_at"], attrs["status"]) == (
        "2020-01-02T16:04:00",
        "2099-01-02T16:04:00",
        "current",
    )
    generated = await api.post_attrs(
        "/access_persons", {"name": "Gen", "generate_pin": True}, kind="access_user"
    )
    assert generated.status == 201
    assert generated.body["data"]["attributes"]["pin"].isdigit()


async def test_create_access_person_validation(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    for kind, attrs, attribute in [
        ("access_user", {"name": "X", "pin": "12a4"}, "pin"),
        ("access_user", {"pin": "4444"}, "name"),
        ("access_user", {"name": "No credential"}, None),
        ("access_user", {"name": "Dup", "pin": "1234"}, "pin"),
        ("robot", {"name": "R", "pin": "4321"}, "type"),
    ]:
        assert_resource_error(
            await api.post_attrs("/access_persons", attrs, kind=kind), attribute
        )
    reply = await api.post_attrs(
        "/access_persons",
        {
            "name": "Backwards",
            "pin": "4545",
            "starts_at": "2030-01-02T16:00:00",
            "ends_at": "2030-01-01T16:00:00",
        },
        kind="access_guest",
    )
    assert_resource_error(reply, "ends_at")
    assert reply.body["attributes"]["name"] == "Backwards"
    for kind, attrs, attribute in [
        ("access_guest", {"name": "G", "pin": "4546"}, "starts_at"),
        (
            "access_guest",
            {
                "name": "G",
                "pin": "4547",
                "starts_at": "tomorrow",
                "ends_at": "2030-01-01T16:00:00",
            },
            "starts_at",
        ),
        ("access_user", {"name": "E", "pin": "4548", "email": "not-an-email"}, "email"),
    ]:
        assert_resource_error(
            await api.post_attrs("/access_persons", attrs, kind=kind), attribute
        )


async def test_update_deactivate_delete_notify(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    reply = await api.put_attrs(
        f"/access_persons/{sc.USER_OWNER_ID}", {"name": "House Owner", "pin": "2346"}
    )
    assert reply.status == 200
    assert reply.body["data"]["attributes"]["pin"] == "2346"
    reply = await api.put_attrs(
        f"/access_persons/{sc.GUEST_UPCOMING_ID}",
        {"name": "Cleaning Crew", "ends_at": "2099-09-21T00:00:00Z"},
    )
    assert reply.status == 200
    assert reply.body["data"]["attributes"]["ends_at"] == "2099-09-21T00:00:00"
    assert_resource_error(
        await api.put_attrs(
            f"/access_persons/{sc.GUEST_UPCOMING_ID}",
            {"ends_at": "2000-01-01T00:00:00"},
        ),
        "ends_at",
    )
    assert_resource_error(
        await api.put_attrs(f"/access_persons/{sc.USER_OWNER_ID}", {"pin": "x"}), "pin"
    )
    reply = await api.put(f"/access_persons/{sc.USER_OWNER_ID}/deactivate")
    assert reply.status == 200
    assert reply.body["data"]["attributes"]["status"] == "deactivated"
    assert reply.body["data"]["meta"] == {"restricted_actions": ["update"]}
    assert_general_error(
        await api.put_attrs(f"/access_persons/{sc.USER_OWNER_ID}", {"name": "x"}), 403
    )
    notify = await api.post_attrs(
        f"/access_persons/{sc.GUEST_CURRENT_ID}/email/notify", {"days_before": 1}
    )
    assert notify.status == 200
    assert remotelock_sim.sim.emails[-1]["access_person_id"] == sc.GUEST_CURRENT_ID
    assert remotelock_sim.sim.emails[-1]["days_before"] == 1
    assert_resource_error(
        await api.post(f"/access_persons/{sc.GUEST_EXPIRED_ID}/email/notify"), "email"
    )
    assert (await api.delete(f"/access_persons/{sc.USER_ANN_ID}")).status == 204
    assert_general_error(await api.get(f"/access_persons/{sc.USER_ANN_ID}"), 404)
    assert all(
        a["attributes"]["access_person_id"] != sc.USER_ANN_ID
        for a in remotelock_sim.sim.accesses.values()
    )


async def test_accesses(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    base = f"/access_persons/{sc.USER_ANN_ID}/accesses"
    items = await api.items(base)
    assert len(items) == 2
    for item in items:
        assert_resource(item, "access_person_access", ACCESS_KEYS)
        assert item["links"]["access_person"].endswith(sc.USER_ANN_ID)
    one = await api.get(f"{base}/{items[0]['id']}")
    assert one.body["data"]["id"] == items[0]["id"]
    granted = await api.post_attrs(
        base,
        {
            "accessible_id": sc.CANAL_DOOR_ID,
            "accessible_type": "lock",
            "guest_start_time": "14:00",
            "access_schedule_id": sc.ACCESS_SCHEDULE_ID,
        },
    )
    assert granted.status == 201, granted.body
    data = granted.body["data"]
    assert_resource(data, "access_person_access", ACCESS_KEYS | {"access_schedule_id"})
    assert data["attributes"]["guest_start_time"] == "14:00:00"
    assert data["links"]["accessible"].endswith(f"/devices/{sc.CANAL_DOOR_ID}")
    assert data["links"]["access_schedule"].endswith(sc.ACCESS_SCHEDULE_ID)
    location = await api.post_attrs(
        base, {"accessible_id": sc.AMSTERDAM_ID, "accessible_type": "location"}
    )
    assert location.body["data"]["links"]["accessible"].endswith(
        f"/locations/{sc.AMSTERDAM_ID}"
    )
    for attrs, attribute in [
        (
            {"accessible_id": sc.CANAL_DOOR_ID, "accessible_type": "lock"},
            "accessible_id",
        ),
        (
            {"accessible_id": sc.THERMOSTAT_ID, "accessible_type": "lock"},
            "accessible_id",
        ),
        (
            {"accessible_id": sc.CANAL_DOOR_ID, "accessible_type": "garage"},
            "accessible_type",
        ),
        (
            {
                "accessible_id": sc.ACS_DOOR_ID,
                "accessible_type": "acs_door",
                "access_schedule_id": sc.THERMOSTAT_SCHEDULE_ID,
            },
            "access_schedule_id",
        ),
    ]:
        assert_resource_error(await api.post_attrs(base, attrs), attribute)
    updated = await api.put_attrs(f"{base}/{data['id']}", {"access_schedule_id": None})
    assert updated.status == 200
    assert "access_schedule" not in updated.body["data"]["links"]
    assert (await api.delete(f"{base}/{data['id']}")).status == 204
    assert_general_error(await api.get(f"{base}/{data['id']}"), 404)
    # An access of someone else is not found under this person.
    other = next(
        a
        for a in remotelock_sim.sim.accesses.values()
        if a["attributes"]["access_person_id"] != sc.USER_ANN_ID
    )
    assert_general_error(await api.get(f"{base}/{other['id']}"), 404)


async def test_resort_lock_guests(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    items = await api.items("/resort_lock_guests")
    assert_resource(items[0], "resort_lock_guest", GUEST_KEYS)
    assert items[0]["links"]["resort_lock"].endswith(sc.RESORT_LOCK_ID)
    created = await api.post_attrs(
        "/resort_lock_guests",
        {
            "resort_lock_id": sc.RESORT_LOCK_ID,
            "name": "Ann Smith",
            "starts_at": "2020-01-02T13:00:00",
            "ends_at": "2021-01-02T16:45:10",
            "email": "june@example.com",
        },
    )
    assert created.status == 201
    attrs = created.body["data"]["attributes"]
    assert len(attrs["pin"]) == 10
    assert attrs["pin"].isdigit()
    assert attrs["ends_at"] == "2021-01-02T16:00:00"  # only hours are kept
    rid = created.body["data"]["id"]
    assert (await api.get(f"/resort_lock_guests/{rid}")).body["data"]["attributes"][
        "name"
    ] == "Ann Smith"
    updated = await api.put_attrs(
        f"/resort_lock_guests/{rid}",
        {"name": "Jonatan Doery", "starts_at": "2030-01-01T00:00:00"},
    )
    assert updated.body["data"]["attributes"]["name"] == "Jonatan Doery"
    assert updated.body["data"]["attributes"]["starts_at"] == "2020-01-02T13:00:00"
    preview = await api.get(f"/resort_lock_guests/{rid}/email/preview")
    assert preview.status == 200
    assert preview.body["data"]["type"] == "access_instruction_guest_email_template"
    assert set(preview.body["data"]["attributes"]) == {
        "subject",
        "body",
        "from_name",
        "reply_to",
        "cc",
        "bcc",
    }
    pin = attrs["pin"]
    assert (
        f"{pin[:3]}-{pin[3:6]}-{pin[6:]}" in preview.body["data"]["attributes"]["body"]
    )
    assert (await api.post(f"/resort_lock_guests/{rid}/email/notify")).status == 200
    assert remotelock_sim.sim.emails[-1]["resort_lock_guest_id"] == rid
    assert (await api.delete(f"/resort_lock_guests/{rid}")).status == 204
    assert_general_error(await api.get(f"/resort_lock_guests/{rid}"), 404)


async def test_resort_lock_guest_validation(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    for attrs, attribute in [
        (
            {
                "resort_lock_id": sc.FRONT_DOOR_ID,
                "name": "A",
                "starts_at": "2030-01-01T10:00:00",
                "ends_at": "2030-01-02T10:00:00",
            },
            "resort_lock_id",
        ),
        (
            {
                "resort_lock_id": sc.RESORT_LOCK_ID,
                "name": "A",
                "starts_at": "2030-01-02T10:00:00",
                "ends_at": "2030-01-01T10:00:00",
            },
            "ends_at",
        ),
        ({"resort_lock_id": sc.RESORT_LOCK_ID}, "name"),
    ]:
        assert_resource_error(
            await api.post_attrs("/resort_lock_guests", attrs), attribute
        )
    remotelock_sim.sim.settings["strict_resort_lock_hours"] = True
    assert_resource_error(
        await api.post_attrs(
            "/resort_lock_guests",
            {
                "resort_lock_id": sc.RESORT_LOCK_ID,
                "name": "A",
                "starts_at": "2030-01-01T10:30:00",
                "ends_at": "2030-01-02T10:00:00",
            },
        ),
        "starts_at",
    )
