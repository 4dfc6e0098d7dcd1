"""Devices (locks, thermostats, power plugs, resort locks) and ACS doors."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .api import Api, Ctx
from .const import (
    POWER_SOURCES,
    THERMOSTAT_FAN_MODES,
    THERMOSTAT_MODES,
    WAKE_WIFI,
)
from .errors import GeneralError
from .store import Record
from .templates import device_record
from .validate import Checker, normalize_time

UPDATABLE: dict[str, tuple[str, ...]] = {
    "lock": (
        "name",
        "serial_number",
        "programming_code",
        "heartbeat_interval",
        "wake_wifi",
        "muted",
        "auto_lock",
        "auto_lock_timeout",
        "auto_lock_schedule_id",
        "lock_action_schedule_id",
        "location_id",
        "default_guest_start_time",
        "default_guest_end_time",
        "power_source",
        "local_pins",
    ),
    "power_plug": (
        "name",
        "location_id",
        "heartbeat_interval",
        "power_plug_schedule_id",
    ),
    "resort_lock": (
        "name",
        "location_id",
        "serial_number",
        "default_guest_start_time",
        "default_guest_end_time",
    ),
    "thermostat": (
        "name",
        "location_id",
        "heartbeat_interval",
        "thermostat_schedule_id",
        "target_temperature",
        "target_mode",
        "fan_mode",
        "hold",
        "energy_saver",
    ),
    "acs_door": ("name", "location_id"),
}
REGISTER_EXTRA: dict[str, tuple[str, ...]] = {
    "lock": ("programming_code",),
    "power_plug": ("heartbeat_interval", "power_plug_schedule_id"),
    "thermostat": ("heartbeat_interval", "thermostat_schedule_id"),
    "resort_lock": ("default_guest_start_time", "default_guest_end_time"),
}
SCHEDULE_REFS = {
    "lock_action_schedule_id": "lock_action_schedule",
    "auto_lock_schedule_id": "auto_lock_schedule",
    "power_plug_schedule_id": "power_plug_schedule",
    "thermostat_schedule_id": "thermostat_schedule",
}
TEMPERATURE_RANGE = {"F": (40.0, 99.0), "C": (5.0, 37.0)}
DOOR_TYPES = ("lock", "acs_door")


def register(api: Api) -> None:
    """Add the routes of this family."""
    api.add("GET", "/devices", list_devices)
    api.add("GET", "/devices/:id", get_device)
    api.add("POST", "/devices", register_device)
    api.add("PUT", "/devices/:id", update_device)
    api.add("DELETE", "/devices/:id", deregister_device)
    api.add("PUT", "/devices/:id/lock", lock_device)
    api.add("PUT", "/devices/:id/unlock", unlock_device)
    api.add("PUT", "/devices/:id/power_on", power_on)
    api.add("PUT", "/devices/:id/power_off", power_off)
    api.add("GET", "/devices/:id/access_person_accesses", device_accesses)
    api.add("GET", "/acs/doors", list_doors)
    api.add("GET", "/acs/doors/:id", get_door)
    api.add("PUT", "/acs/doors/:id/lock", lock_door)
    api.add("PUT", "/acs/doors/:id/unlock", unlock_door)
    api.add("PUT", "/acs/doors/:id/temporary_unlock", temporary_unlock_door)
    api.add("GET", "/acs/doors/:id/access_person_accesses", door_accesses)


async def list_devices(ctx: Ctx) -> web.Response:
    """GET /devices: every device type, filterable by type and attributes."""
    return ctx.many(
        list(ctx.sim.state.devices.values()),
        sortable=("created_at", "name"),
        typed=True,
    )


async def get_device(ctx: Ctx) -> web.Response:
    """GET /devices/:id."""
    return ctx.one(ctx.get(ctx.sim.state.devices, ctx.param("id"), "Device"))


def _check_settings(
    ctx: Ctx, check: Checker, kind: str, model: Record | None, unit: str
) -> None:
    """Validate the type-specific settings in ``check.attrs``."""
    state = ctx.sim.state
    caps: dict[str, Any] = model["attributes"].get("capabilities", {}) if model else {}
    check.string("name")
    check.string("serial_number")
    check.reference("location_id", state.locations, ("location",))
    for field, schedule_type in SCHEDULE_REFS.items():
        if field in UPDATABLE[kind] or field in REGISTER_EXTRA.get(kind, ()):
            check.reference(field, state.schedules, (schedule_type,))
    if "heartbeat_interval" in check.attrs:
        check.number("heartbeat_interval", minimum=0)
        if caps.get("heartbeat_intervals"):
            check.one_of("heartbeat_interval", caps["heartbeat_intervals"])
    if kind == "lock":
        check.digits("programming_code")
        check.one_of("wake_wifi", caps.get("wake_wifi") or WAKE_WIFI[:2])
        check.boolean("muted")
        check.boolean("auto_lock")
        if "auto_lock_timeout" in check.attrs:
            check.number("auto_lock_timeout", minimum=0)
            if caps.get("auto_lock_timeouts"):
                check.one_of("auto_lock_timeout", caps["auto_lock_timeouts"])
        check.one_of("power_source", caps.get("power_sources") or POWER_SOURCES)
        check.time_of_day("default_guest_start_time")
        check.time_of_day("default_guest_end_time")
        if "local_pins" in check.attrs:
            pins = check.attrs["local_pins"]
            if not isinstance(pins, list) or not all(isinstance(p, str) for p in pins):
                check.add("local_pins", "must be an array of PINs")
    if kind == "resort_lock":
        check.time_of_day("default_guest_start_time")
        check.time_of_day("default_guest_end_time")
    if kind == "thermostat":
        check.one_of("target_mode", caps.get("modes") or THERMOSTAT_MODES)
        check.one_of("fan_mode", caps.get("fan_modes") or THERMOSTAT_FAN_MODES)
        check.boolean("hold")
        check.boolean("energy_saver")
        low, high = TEMPERATURE_RANGE.get(unit, TEMPERATURE_RANGE["F"])
        check.number("target_temperature", minimum=low, maximum=high)


async def register_device(ctx: Ctx) -> web.Response:
    """POST /devices: the model decides the device type."""
    state = ctx.sim.state
    attrs = await ctx.attributes()
    check = Checker(attrs)
    check.required("name", "serial_number", "model_id", "location_id")
    check.reference("location_id", state.locations, ("location",))
    model = state.models.get(str(attrs.get("model_id") or ""))
    if attrs.get("model_id") and model is None:
        check.add("model_id", "does not exist")
    if model is not None and not model["attributes"]["capabilities"].get(
        "registrable", True
    ):
        check.add("model_id", "is not registrable")
    serial = attrs.get("serial_number")
    if serial and any(
        d["attributes"].get("serial_number") == serial for d in state.devices.values()
    ):
        check.add("serial_number", "has already been taken")
    check.done()
    assert model is not None
    kind = model["attributes"]["type"]
    check = Checker(attrs)
    _check_settings(ctx, check, kind, model, "F")
    check.done()
    now = ctx.sim.now_iso()
    record = device_record(
        kind,
        replaceable=bool(model["attributes"]["capabilities"].get("replaceable", True)),
        name=attrs["name"],
        serial_number=str(serial),
        model_id=model["id"],
        location_id=attrs["location_id"],
        now=now,
    )
    for field in REGISTER_EXTRA.get(kind, ()):
        if attrs.get(field) is not None:
            record["attributes"][field] = attrs[field]
    _normalize_times(record)
    state.devices[record["id"]] = record
    return ctx.one(record, 201)


def _normalize_times(record: Record) -> None:
    for field in ("default_guest_start_time", "default_guest_end_time"):
        value = record["attributes"].get(field)
        if value is not None:
            record["attributes"][field] = normalize_time(value)


async def update_device(ctx: Ctx) -> web.Response:
    """PUT /devices/:id: the settings each device type documents."""
    device = ctx.get(ctx.sim.state.devices, ctx.param("id"), "Device")
    kind = device["type"]
    attrs = await ctx.attributes()
    model = ctx.sim.state.models.get(device["attributes"].get("model_id") or "")
    check = Checker(attrs)
    _check_settings(ctx, check, kind, model, device["attributes"].get("unit", "F"))
    if kind == "lock" and isinstance(attrs.get("local_pins"), list):
        current = set(device["attributes"].get("local_pins") or [])
        if not set(attrs["local_pins"]) <= current:
            check.add("local_pins", "can only remove PINs programmed at the keypad")
    serial = attrs.get("serial_number")
    if serial and any(
        d["attributes"].get("serial_number") == serial and d["id"] != device["id"]
        for d in ctx.sim.state.devices.values()
    ):
        check.add("serial_number", "has already been taken")
    check.done()
    for field in UPDATABLE[kind]:
        if field in attrs:
            device["attributes"][field] = attrs[field]
    if kind == "thermostat" and "target_temperature" in attrs:
        device["attributes"]["desired_target_temperature"] = attrs["target_temperature"]
    _normalize_times(device)
    ctx.sim.touch(device)
    return ctx.one(device)


async def deregister_device(ctx: Ctx) -> web.Response:
    """DELETE /devices/:id: also drops its accesses, door group entries and guests."""
    state = ctx.sim.state
    device = ctx.get(state.devices, ctx.param("id"), "Device")
    del state.devices[device["id"]]
    for name, key in (
        ("accesses", "accessible_id"),
        ("door_group_doors", "door_id"),
        ("resort_lock_guests", "resort_lock_id"),
    ):
        collection = state.collection(name)
        for rid in [
            r["id"]
            for r in collection.values()
            if r["attributes"].get(key) == device["id"]
        ]:
            del collection[rid]
    return ctx.empty()


def _command(
    ctx: Ctx, device: Record, new_state: str, *, relock_after: float | None
) -> None:
    """Apply a lock/unlock command from the API and record its event."""
    sim = ctx.sim
    device["attributes"]["state"] = new_state
    sim.touch(device)
    device.pop("_relock_at", None)
    sim.add_event(
        "unlocked" if new_state == "unlocked" else "locked",
        device,
        source="user",
        associated=sim.state.user,
        details={"method": "api"},
    )
    if relock_after:
        sim.schedule_relock(device, relock_after)


def _lock(ctx: Ctx, types: tuple[str, ...], what: str) -> Record:
    device = ctx.get(ctx.sim.state.devices, ctx.param("id"), what)
    if device["type"] not in types:
        raise GeneralError(
            400,
            f"This action is not supported by a {device['type']}",
            "unsupported_action",
        )
    return device


async def lock_device(ctx: Ctx) -> web.Response:
    """PUT /devices/:id/lock."""
    device = _lock(ctx, ("lock",), "Device")
    _command(ctx, device, "locked", relock_after=None)
    return ctx.one(device)


async def unlock_device(ctx: Ctx) -> web.Response:
    """PUT /devices/:id/unlock (auto-lock relocks after auto_lock_timeout seconds)."""
    device = _lock(ctx, ("lock",), "Device")
    attrs = device["attributes"]
    relock = (
        float(attrs.get("auto_lock_timeout") or 0)
        if attrs.get("auto_lock") and ctx.sim.settings.get("auto_relock")
        else None
    )
    _command(ctx, device, "unlocked", relock_after=relock)
    return ctx.one(device)


async def _power(ctx: Ctx, on: bool) -> web.Response:
    device = _lock(ctx, ("power_plug",), "Device")
    device["attributes"]["on"] = on
    ctx.sim.touch(device)
    ctx.sim.add_event(
        "relay_enabled" if on else "relay_disabled",
        device,
        source="user",
        associated=ctx.sim.state.user,
    )
    return ctx.one(device)


async def power_on(ctx: Ctx) -> web.Response:
    """PUT /devices/:id/power_on."""
    return await _power(ctx, True)


async def power_off(ctx: Ctx) -> web.Response:
    """PUT /devices/:id/power_off."""
    return await _power(ctx, False)


def accesses_of(ctx: Ctx, device: Record) -> list[Record]:
    """Accesses that reach ``device``: direct, via its location or a door group."""
    state = ctx.sim.state
    groups = {
        d["attributes"]["door_group_id"]
        for d in state.door_group_doors.values()
        if d["attributes"]["door_id"] == device["id"]
    }
    targets = {device["id"], device["attributes"].get("location_id"), *groups}
    return [
        a
        for a in state.accesses.values()
        if a["attributes"]["accessible_id"] in targets
    ]


async def device_accesses(ctx: Ctx) -> web.Response:
    """GET /devices/:id/access_person_accesses."""
    device = ctx.get(ctx.sim.state.devices, ctx.param("id"), "Device")
    return ctx.many(accesses_of(ctx, device))


async def list_doors(ctx: Ctx) -> web.Response:
    """GET /acs/doors."""
    doors = [d for d in ctx.sim.state.devices.values() if d["type"] == "acs_door"]
    return ctx.many(doors, sortable=("created_at", "name"))


def _door(ctx: Ctx) -> Record:
    return ctx.get(ctx.sim.state.devices, ctx.param("id"), "ACS door", ("acs_door",))


async def get_door(ctx: Ctx) -> web.Response:
    """GET /acs/doors/:id."""
    return ctx.one(_door(ctx))


async def lock_door(ctx: Ctx) -> web.Response:
    """PUT /acs/doors/:id/lock."""
    door = _door(ctx)
    _command(ctx, door, "locked", relock_after=None)
    return ctx.one(door)


async def unlock_door(ctx: Ctx) -> web.Response:
    """PUT /acs/doors/:id/unlock (stays unlocked)."""
    door = _door(ctx)
    _command(ctx, door, "unlocked", relock_after=None)
    return ctx.one(door)


async def temporary_unlock_door(ctx: Ctx) -> web.Response:
    """PUT /acs/doors/:id/temporary_unlock (relocks after temporary_unlock_seconds)."""
    door = _door(ctx)
    seconds = float(ctx.sim.settings.get("temporary_unlock_seconds") or 5)
    _command(ctx, door, "unlocked", relock_after=seconds)
    return ctx.one(door)


async def door_accesses(ctx: Ctx) -> web.Response:
    """GET /acs/doors/:id/access_person_accesses."""
    return ctx.many(accesses_of(ctx, _door(ctx)))
