"""RemoteLock simulator: account, user, locations, models, devices, ACS doors."""

from __future__ import annotations

import aiohttp

from simulator.remotelock import scenario as sc
from simulator.server import RunningSimulator

from .remotelock_helpers import (
    assert_collection,
    assert_general_error,
    assert_resource,
    assert_resource_error,
    make_api,
)

DOCUMENTED = {
    ("GET", "/access_exceptions"),
    ("GET", "/access_exceptions/:id"),
    ("POST", "/access_exceptions"),
    ("PUT", "/access_exceptions/:id"),
    ("DELETE", "/access_exceptions/:id"),
    ("GET", "/access_persons"),
    ("GET", "/access_persons/:id"),
    ("POST", "/access_persons"),
    ("PUT", "/access_persons/:id"),
    ("PUT", "/access_persons/:id/deactivate"),
    ("DELETE", "/access_persons/:id"),
    ("POST", "/access_persons/:id/email/notify"),
    ("GET", "/access_persons/:access_person_id/accesses"),
    ("GET", "/access_persons/:access_person_id/accesses/:id"),
    ("POST", "/access_persons/:access_person_id/accesses"),
    ("PUT", "/access_persons/:access_person_id/accesses/:id"),
    ("DELETE", "/access_persons/:access_person_id/accesses/:id"),
    ("GET", "/account"),
    ("PUT", "/account"),
    ("GET", "/acs/doors"),
    ("GET", "/acs/doors/:id"),
    ("PUT", "/acs/doors/:id/lock"),
    ("PUT", "/acs/doors/:id/unlock"),
    ("PUT", "/acs/doors/:id/temporary_unlock"),
    ("GET", "/acs/doors/:id/access_person_accesses"),
    ("GET", "/devices"),
    ("GET", "/devices/:id"),
    ("DELETE", "/devices/:id"),
    ("POST", "/devices"),
    ("PUT", "/devices/:id"),
    ("PUT", "/devices/:id/lock"),
    ("PUT", "/devices/:id/unlock"),
    ("GET", "/devices/:id/access_person_accesses"),
    ("PUT", "/devices/:id/power_on"),
    ("PUT", "/devices/:id/power_off"),
    ("GET", "/events"),
    ("GET", "/events/:id"),
    ("GET", "/groups"),
    ("GET", "/groups/:id"),
    ("POST", "/groups"),
    ("PUT", "/groups/:id"),
    ("DELETE", "/groups/:id"),
    ("GET", "/groups/:group_id/doors"),
    ("GET", "/groups/:group_id/doors/:id"),
    ("POST", "/groups/:group_id/doors"),
    ("DELETE", "/groups/:group_id/doors/:id"),
    ("GET", "/locations"),
    ("GET", "/locations/:id"),
    ("POST", "/locations"),
    ("PUT", "/locations/:id"),
    ("DELETE", "/locations/:id"),
    ("GET", "/models"),
    ("GET", "/models/:id"),
    ("GET", "/notification_subscribers"),
    ("GET", "/notification_subscribers/:id"),
    ("PUT", "/notification_subscribers/:id"),
    ("DELETE", "/notification_subscribers/:id"),
    ("POST", "/notification_subscribers"),
    ("GET", "/notification_subscriptions"),
    ("GET", "/notification_subscriptions/:id"),
    ("POST", "/notification_subscriptions"),
    ("PUT", "/notification_subscriptions/:id"),
    ("DELETE", "/notification_subscriptions/:id"),
    ("GET", "/notifications"),
    ("GET", "/resort_lock_guests"),
    ("GET", "/resort_lock_guests/:id"),
    ("POST", "/resort_lock_guests"),
    ("PUT", "/resort_lock_guests/:id"),
    ("DELETE", "/resort_lock_guests/:id"),
    ("POST", "/resort_lock_guests/:id/email/notify"),
    ("GET", "/resort_lock_guests/:id/email/preview"),
    ("GET", "/schedules"),
    ("GET", "/schedules/:id"),
    ("PUT", "/schedules/:id"),
    ("DELETE", "/schedules/:id"),
    ("POST", "/schedules"),
    ("GET", "/user"),
}

# Attributes every Wi-Fi device (lock, thermostat, power plug) carries.
CONNECTED_KEYS = {
    "name",
    "serial_number",
    "model_id",
    "location_id",
    "heartbeat_interval",
    "wifi_level",
    "signal_quality",
    "connected",
    "alive",
    "power_source",
    "connected_at",
}
LOCK_KEYS = CONNECTED_KEYS | {
    "wake_wifi",
    "muted",
    "auto_lock",
    "auto_lock_timeout",
    "programming_code",
    "state",
    "power_level",
    "created_at",
    "updated_at",
    "default_guest_start_time",
    "default_guest_end_time",
    "local_pins",
}
THERMOSTAT_KEYS = CONNECTED_KEYS | {
    "current_mode",
    "target_mode",
    "fan_mode",
    "hold",
    "temperature",
    "target_temperature",
    "unit",
    "humidity",
    "energy_saver",
    "scheduled_target_temperature",
    "desired_target_temperature",
    "created_at",
    "updated_at",
}
PLUG_KEYS = CONNECTED_KEYS | {
    "on",
    "voltage",
    "power",
    "power_factor",
    "current",
    "frequency",
    "total_power",
    "occupied",
}
RESORT_KEYS = {
    "name",
    "default_guest_start_time",
    "default_guest_end_time",
    "created_at",
    "updated_at",
    "serial_number",
    "model_id",
    "location_id",
}
DOOR_KEYS = {"name", "state", "connected", "created_at", "updated_at", "location_id"}
LOCATION_KEYS = {
    "name",
    "phone",
    "address",
    "address2",
    "city",
    "state",
    "postal_code",
    "country",
    "time_zone",
    "created_at",
    "updated_at",
}


def test_exactly_the_77_documented_endpoints(remotelock_sim: RunningSimulator) -> None:
    routes = {(method, path) for method, path, _ in remotelock_sim.sim.api.routes}
    assert len(DOCUMENTED) == 77
    assert routes == DOCUMENTED


async def test_account_get_and_update(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    reply = await api.get("/account")
    assert reply.status == 200
    data = reply.body["data"]
    assert_resource(
        data,
        "account",
        {
            "name",
            "created_at",
            "updated_at",
            "default_guest_start_time",
            "default_guest_end_time",
            "rental_guest_time_override",
            "primary_owner_id",
            "owner_role_id",
        },
    )
    assert data["id"] == remotelock_sim.sim.account["id"]
    assert data["attributes"]["name"] == "Sim Property Management"
    assert data["links"]["primary_owner"].endswith("/user")
    reply = await api.put_attrs(
        "/account",
        {"default_guest_start_time": "15:30", "default_guest_end_time": "02:15:00"},
    )
    assert reply.status == 200
    assert reply.body["data"]["attributes"]["default_guest_start_time"] == "15:30:00"
    assert reply.body["data"]["attributes"]["default_guest_end_time"] == "02:15:00"
    assert_resource_error(
        await api.put_attrs("/account", {"default_guest_start_time": "25:00"}),
        "default_guest_start_time",
    )
    assert_resource_error(await api.put_attrs("/account", {"name": ""}), "name")


async def test_user(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    reply = await api.get("/user")
    assert reply.status == 200
    assert_resource(
        reply.body["data"],
        "user",
        {
            "name",
            "email",
            "handle",
            "created_at",
            "updated_at",
            "primary_account_id",
            "default_account_id",
        },
    )
    assert reply.body["data"]["links"]["primary_account"].endswith("/account")


async def test_locations_crud(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    items = await api.items("/locations")
    assert [i["attributes"]["name"] for i in items] == [
        "Canal House",
        "LockState Headquarters",
    ]
    assert {i["attributes"]["time_zone"] for i in items} == {
        "America/Denver",
        "Europe/Amsterdam",
    }
    reply = await api.get(f"/locations/{sc.DENVER_ID}")
    assert_resource(reply.body["data"], "location", LOCATION_KEYS)
    body = {
        "attributes": {
            "name": "LockState HQ",
            "phone": "(877) 254-5625",
            "address": "1325 S. Colorado Blvd",
            "address2": "Suite B400",
            "city": "Denver",
            "state": "CO",
            "postal_code": "80222",
            "country": "US",
            "time_zone": "America/Denver",
        }
    }
    created = await api.post("/locations", body)
    assert created.status == 201
    assert_resource(created.body["data"], "location", LOCATION_KEYS)
    assert created.body["data"]["attributes"]["address2"] == "Suite B400"
    rid = created.body["data"]["id"]
    updated = await api.put_attrs(f"/locations/{rid}", {"name": "Renamed"})
    assert updated.status == 200
    assert updated.body["data"]["attributes"]["name"] == "Renamed"
    assert updated.body["data"]["attributes"]["city"] == "Denver"
    assert_resource_error(
        await api.post_attrs("/locations", {"name": "x"}), "time_zone"
    )
    assert_resource_error(
        await api.post_attrs("/locations", {"time_zone": "Mars/Base"}), "name"
    )
    assert_resource_error(
        await api.put_attrs(f"/locations/{rid}", {"time_zone": "Mars/Base"}),
        "time_zone",
    )
    assert_resource_error(
        await api.put_attrs(f"/locations/{rid}", {"country": "USA"}), "country"
    )
    assert (await api.delete(f"/locations/{rid}")).status == 204
    assert_general_error(await api.get(f"/locations/{rid}"), 404)
    # A location with devices cannot be deleted.
    assert_resource_error(await api.delete(f"/locations/{sc.DENVER_ID}"), None)


async def test_models(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    reply = await api.get("/models")
    items = assert_collection(reply.body)
    assert reply.body["meta"]["total_count"] == 15
    assert {"LS-6i", "LS-DB500i", "LS-60i", "LS-P50i", "RL-4000"} <= {
        i["attributes"]["number"] for i in items
    }
    numbers = [
        i["attributes"]["number"]
        for i in await api.items("/models", params={"sort": "-number"})
    ]
    assert numbers == sorted(numbers, key=str.lower, reverse=True)
    one = await api.get(f"/models/{sc.MODEL_IDS['LS-6i']}")
    assert_resource(one.body["data"], "model", {"number", "type", "capabilities"})
    caps = one.body["data"]["attributes"]["capabilities"]
    assert caps["wake_wifi"] == ["user_action", "heartbeat_interval"]
    assert 20 in caps["auto_lock_timeouts"]


async def test_devices_list_and_get(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    items = await api.items("/devices")
    by_type: dict[str, list[dict]] = {}
    for item in items:
        by_type.setdefault(item["type"], []).append(item)
    assert set(by_type) == {
        "lock",
        "thermostat",
        "power_plug",
        "resort_lock",
        "acs_door",
    }
    for lock in by_type["lock"]:
        assert_resource(lock, "lock", LOCK_KEYS)
        assert lock["links"]["model"].endswith(lock["attributes"]["model_id"])
    assert len({lock["attributes"]["model_id"] for lock in by_type["lock"]}) >= 2
    assert_resource(by_type["thermostat"][0], "thermostat", THERMOSTAT_KEYS)
    assert_resource(by_type["power_plug"][0], "power_plug", PLUG_KEYS)
    assert_resource(by_type["resort_lock"][0], "resort_lock", RESORT_KEYS)
    door = by_type["acs_door"][0]
    assert set(door["attributes"]) == DOOR_KEYS
    assert "/acs/doors/" in door["links"]["self"]
    back = next(i for i in by_type["lock"] if i["id"] == sc.BACK_DOOR_ID)
    assert back["meta"] == {"restricted_actions": ["replace"]}
    reply = await api.get(f"/devices/{sc.FRONT_DOOR_ID}")
    assert reply.status == 200
    assert reply.body["data"]["links"]["lock_action_schedule"].endswith(
        sc.LOCK_ACTION_SCHEDULE_ID
    )
    assert_general_error(await api.get("/devices/does-not-exist"), 404)


async def test_register_every_device_type(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    cases = [
        ("LS-6i", "lock", LOCK_KEYS, {}),
        ("LS-DB500i", "lock", LOCK_KEYS, {"programming_code": "12345678"}),
        ("LS-P100mi", "power_plug", PLUG_KEYS, {}),
        (
            "RL-4000",
            "resort_lock",
            RESORT_KEYS,
            {"default_guest_start_time": "11:30:00", "default_guest_end_time": "14:15"},
        ),
        ("LS-90i", "thermostat", THERMOSTAT_KEYS, {}),
    ]
    models = {
        m["attributes"]["number"]: m["id"] for m in remotelock_sim.sim.models.values()
    }
    for index, (number, kind, keys, extra) in enumerate(cases):
        reply = await api.post_attrs(
            "/devices",
            {
                "name": f"New {number}",
                "location_id": sc.AMSTERDAM_ID,
                "serial_number": f"SER{index}",
                "model_id": models[number],
                **extra,
            },
        )
        assert reply.status == 201, reply.body
        assert_resource(reply.body["data"], kind, keys)
        assert reply.body["data"]["id"] in remotelock_sim.sim.devices
        for key, value in extra.items():
            expected = "14:15:00" if value == "14:15" else value
            assert reply.body["data"]["attributes"][key] == expected
    assert_resource_error(
        await api.post_attrs("/devices", {"name": "x"}), "serial_number"
    )
    dup = await api.post_attrs(
        "/devices",
        {
            "name": "dup",
            "location_id": sc.DENVER_ID,
            "serial_number": "SER0",
            "model_id": models["LS-6i"],
        },
    )
    assert_resource_error(dup, "serial_number")
    bad = await api.post_attrs(
        "/devices",
        {
            "name": "bad",
            "location_id": "nowhere",
            "serial_number": "S9",
            "model_id": "nothing",
        },
    )
    assert_resource_error(bad, "location_id")
    assert_resource_error(bad, "model_id")


async def test_update_each_device_type(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    reply = await api.put_attrs(
        f"/devices/{sc.FRONT_DOOR_ID}",
        {
            "name": "Backdoor Lock",
            "location_id": sc.AMSTERDAM_ID,
            "default_guest_start_time": "11:15:00",
            "power_source": "alkaline_battery",
            "local_pins": [],
            "auto_lock_timeout": 10,
            "wake_wifi": "heartbeat_interval",
            "muted": True,
        },
    )
    assert reply.status == 200, reply.body
    attrs = reply.body["data"]["attributes"]
    assert (attrs["name"], attrs["location_id"], attrs["default_guest_start_time"]) == (
        "Backdoor Lock",
        sc.AMSTERDAM_ID,
        "11:15:00",
    )
    assert attrs["local_pins"] == []
    assert (attrs["auto_lock_timeout"], attrs["wake_wifi"], attrs["muted"]) == (
        10,
        "heartbeat_interval",
        True,
    )
    for attrs, attribute in [
        ({"local_pins": ["9999"]}, "local_pins"),
        ({"wake_wifi": "user_action_except_manual"}, "wake_wifi"),
        ({"auto_lock_timeout": 99}, "auto_lock_timeout"),
        ({"programming_code": "12ab"}, "programming_code"),
        ({"lock_action_schedule_id": sc.ACCESS_SCHEDULE_ID}, "lock_action_schedule_id"),
    ]:
        assert_resource_error(
            await api.put_attrs(f"/devices/{sc.FRONT_DOOR_ID}", attrs), attribute
        )
    reply = await api.put_attrs(
        f"/devices/{sc.CANAL_DOOR_ID}", {"wake_wifi": "user_action_except_manual"}
    )
    assert reply.status == 200  # LS-5i only
    reply = await api.put_attrs(
        f"/devices/{sc.THERMOSTAT_ID}",
        {
            "name": "Another Test Thermostat",
            "target_temperature": 70,
            "target_mode": "heat",
            "fan_mode": "on",
            "hold": True,
        },
    )
    assert reply.status == 200
    attrs = reply.body["data"]["attributes"]
    assert (
        attrs["target_temperature"],
        attrs["desired_target_temperature"],
        attrs["target_mode"],
    ) == (70, 70, "heat")
    for attrs, attribute in [
        ({"target_mode": "auto"}, "target_mode"),
        ({"target_temperature": 150}, "target_temperature"),
        ({"hold": "yes"}, "hold"),
    ]:
        assert_resource_error(
            await api.put_attrs(f"/devices/{sc.THERMOSTAT_ID}", attrs), attribute
        )
    reply = await api.put_attrs(
        f"/devices/{sc.POWER_PLUG_ID}",
        {"name": "Another Test PowerPlug", "heartbeat_interval": 600},
    )
    assert reply.status == 200
    assert reply.body["data"]["attributes"]["heartbeat_interval"] == 600
    assert_resource_error(
        await api.put_attrs(f"/devices/{sc.POWER_PLUG_ID}", {"heartbeat_interval": 7}),
        "heartbeat_interval",
    )
    reply = await api.put_attrs(
        f"/devices/{sc.RESORT_LOCK_ID}",
        {"name": "Backdoor Resort Lock", "default_guest_start_time": "10:00"},
    )
    assert reply.status == 200
    assert reply.body["data"]["attributes"]["default_guest_start_time"] == "10:00:00"
    assert_general_error(await api.put_attrs("/devices/nope", {}), 404)


async def test_deregister_device(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    assert (await api.delete(f"/devices/{sc.FRONT_DOOR_ID}")).status == 204
    assert_general_error(await api.get(f"/devices/{sc.FRONT_DOOR_ID}"), 404)
    sim = remotelock_sim.sim
    assert all(
        a["attributes"]["accessible_id"] != sc.FRONT_DOOR_ID
        for a in sim.accesses.values()
    )
    assert_general_error(await api.delete(f"/devices/{sc.FRONT_DOOR_ID}"), 404)


async def test_lock_unlock_and_power(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    reply = await api.put(f"/devices/{sc.BACK_DOOR_ID}/lock")
    assert reply.status == 200
    assert_resource(reply.body["data"], "lock", LOCK_KEYS)
    assert reply.body["data"]["attributes"]["state"] == "locked"
    reply = await api.put(f"/devices/{sc.BACK_DOOR_ID}/unlock")
    assert reply.body["data"]["attributes"]["state"] == "unlocked"
    reply = await api.put(f"/devices/{sc.POWER_PLUG_ID}/power_off")
    assert reply.status == 200
    assert_resource(reply.body["data"], "power_plug", PLUG_KEYS)
    assert reply.body["data"]["attributes"]["on"] is False
    reply = await api.put(f"/devices/{sc.POWER_PLUG_ID}/power_on")
    assert reply.body["data"]["attributes"]["on"] is True
    assert_general_error(await api.put(f"/devices/{sc.THERMOSTAT_ID}/lock"), 400)
    assert_general_error(await api.put(f"/devices/{sc.FRONT_DOOR_ID}/power_on"), 400)
    assert_general_error(await api.put("/devices/nope/unlock"), 404)


async def test_device_access_person_accesses(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    items = await api.items(f"/devices/{sc.FRONT_DOOR_ID}/access_person_accesses")
    kinds = {i["attributes"]["accessible_type"] for i in items}
    assert kinds == {"lock", "door_group", "location"}
    users = await api.items(
        f"/devices/{sc.FRONT_DOOR_ID}/access_person_accesses",
        params={"attributes[access_person_type]": "access_user"},
    )
    assert users
    assert {i["attributes"]["access_person_type"] for i in users} == {"access_user"}
    assert len(users) < len(items)


async def test_acs_doors(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    items = await api.items("/acs/doors")
    assert [i["id"] for i in items] == [sc.ACS_DOOR_ID]
    reply = await api.get(f"/acs/doors/{sc.ACS_DOOR_ID}")
    assert set(reply.body["data"]["attributes"]) == DOOR_KEYS
    assert reply.body["data"]["links"]["location"].endswith(sc.DENVER_ID)
    assert (await api.put(f"/acs/doors/{sc.ACS_DOOR_ID}/unlock")).body["data"][
        "attributes"
    ]["state"] == "unlocked"
    assert (await api.put(f"/acs/doors/{sc.ACS_DOOR_ID}/lock")).body["data"][
        "attributes"
    ]["state"] == "locked"
    assert (await api.put(f"/acs/doors/{sc.ACS_DOOR_ID}/temporary_unlock")).body[
        "data"
    ]["attributes"]["state"] == "unlocked"
    items = await api.items(f"/acs/doors/{sc.ACS_DOOR_ID}/access_person_accesses")
    assert {i["attributes"]["accessible_type"] for i in items} >= {
        "acs_door",
        "location",
        "door_group",
    }
    guests = await api.items(
        f"/acs/doors/{sc.ACS_DOOR_ID}/access_person_accesses",
        params={"attributes[access_person_type]": "access_guest"},
    )
    assert [g["attributes"]["access_person_id"] for g in guests] == [
        sc.GUEST_CURRENT_ID
    ]
    # A lock is not an ACS door.
    assert_general_error(await api.get(f"/acs/doors/{sc.FRONT_DOOR_ID}"), 404)


async def test_body_must_be_a_json_object(
    remotelock_sim: RunningSimulator, http_session: aiohttp.ClientSession
) -> None:
    api = await make_api(http_session, remotelock_sim)
    headers = {
        "Authorization": f"Bearer {api.token}",
        "Content-Type": "application/json",
    }
    async with http_session.post(
        f"{remotelock_sim.url}/locations", data=b"{not json", headers=headers
    ) as resp:
        assert resp.status == 400
        body = await resp.json()
    assert body["type"] == "invalid_json"
    async with http_session.post(
        f"{remotelock_sim.url}/locations", data=b"[1, 2]", headers=headers
    ) as resp:
        assert resp.status == 400
    assert_resource_error(
        await api.post("/locations", {"attributes": "name"}), "attributes"
    )
