"""Schedules (five types), access exceptions, door groups and their doors."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .api import Api, Ctx
from .const import (
    LOCK_ACTIONS,
    POWER_PLUG_ACTIONS,
    SCHEDULE_TYPES,
    TYPE_ALIASES,
    WEEKDAYS,
)
from .errors import NotFoundError, resource_error
from .store import Record, new_id
from .validate import Checker, parse_date, short_time

SCHEDULE_REFS = (
    "lock_action_schedule_id",
    "auto_lock_schedule_id",
    "power_plug_schedule_id",
    "thermostat_schedule_id",
)


def register(api: Api) -> None:
    """Add the routes of this family."""
    api.add("GET", "/schedules", list_schedules)
    api.add("GET", "/schedules/:id", get_schedule)
    api.add("POST", "/schedules", create_schedule)
    api.add("PUT", "/schedules/:id", update_schedule)
    api.add("DELETE", "/schedules/:id", delete_schedule)
    api.add("GET", "/access_exceptions", list_exceptions)
    api.add("GET", "/access_exceptions/:id", get_exception)
    api.add("POST", "/access_exceptions", create_exception)
    api.add("PUT", "/access_exceptions/:id", update_exception)
    api.add("DELETE", "/access_exceptions/:id", delete_exception)
    api.add("GET", "/groups", list_groups)
    api.add("GET", "/groups/:id", get_group)
    api.add("POST", "/groups", create_group)
    api.add("PUT", "/groups/:id", update_group)
    api.add("DELETE", "/groups/:id", delete_group)
    api.add("GET", "/groups/:group_id/doors", list_group_doors)
    api.add("GET", "/groups/:group_id/doors/:id", get_group_door)
    api.add("POST", "/groups/:group_id/doors", add_group_door)
    api.add("DELETE", "/groups/:group_id/doors/:id", remove_group_door)


# -- schedules ---------------------------------------------------------------------
def _check_entry(kind: str, entry: Any) -> str | None:
    """Return a message when one day entry of a ``kind`` schedule is invalid."""
    if not isinstance(entry, dict):
        return "entries must be objects"
    if kind == "access_schedule":
        start, end = (
            short_time(entry.get("start_time")),
            short_time(entry.get("end_time")),
        )
        if not start or not end:
            return "start_time and end_time must be HH:MM"
        if start >= end:
            return "end_time must be after start_time"
        return None
    if not short_time(entry.get("time")):
        return "time must be HH:MM"
    if kind == "auto_lock_schedule" and not isinstance(entry.get("enable"), bool):
        return "enable must be true or false"
    if kind == "lock_action_schedule" and entry.get("action") not in LOCK_ACTIONS:
        return "action must be lock or unlock"
    if kind == "power_plug_schedule" and entry.get("action") not in POWER_PLUG_ACTIONS:
        return "action must be on or off"
    if kind == "thermostat_schedule":
        for key in ("cool", "heat"):
            value = entry.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                return f"{key} must be a number"
    return None


def _normalize_entry(kind: str, entry: dict[str, Any]) -> dict[str, Any]:
    if kind == "access_schedule":
        return {
            "start_time": short_time(entry["start_time"]),
            "end_time": short_time(entry["end_time"]),
        }
    result = {"time": short_time(entry["time"])}
    for key in ("enable", "action", "cool", "heat"):
        if key in entry:
            result[key] = entry[key]
    return result


def _check_schedule(
    ctx: Ctx, kind: str, attrs: dict[str, Any], *, create: bool
) -> None:
    check = Checker(attrs)
    check.string("name", required=create)
    for day in WEEKDAYS:
        if day not in attrs:
            continue
        entries = attrs[day]
        if entries is None:
            continue
        if not isinstance(entries, list):
            check.add(day, "must be an array")
            continue
        for entry in entries:
            message = _check_entry(kind, entry)
            if message:
                check.add(day, message)
                break
    if kind == "access_schedule":
        check.reference("access_exception_id", ctx.sim.state.access_exceptions)
    check.done()


def _apply_schedule(kind: str, record: Record, attrs: dict[str, Any]) -> None:
    target = record["attributes"]
    if "name" in attrs:
        target["name"] = attrs["name"]
    for day in WEEKDAYS:
        if day in attrs:
            target[day] = [_normalize_entry(kind, e) for e in attrs[day] or []]
    if kind == "access_schedule" and "access_exception_id" in attrs:
        target["access_exception_id"] = attrs["access_exception_id"]


async def list_schedules(ctx: Ctx) -> web.Response:
    """GET /schedules: every schedule type."""
    return ctx.many(
        list(ctx.sim.state.schedules.values()),
        sortable=("created_at", "name"),
        typed=True,
    )


def _schedule(ctx: Ctx) -> Record:
    return ctx.get(ctx.sim.state.schedules, ctx.param("id"), "Schedule")


async def get_schedule(ctx: Ctx) -> web.Response:
    """GET /schedules/:id."""
    return ctx.one(_schedule(ctx))


async def create_schedule(ctx: Ctx) -> web.Response:
    """POST /schedules: days left out are empty."""
    body = await ctx.body()
    attrs = await ctx.attributes()
    kind = body.get("type")
    if kind not in SCHEDULE_TYPES:
        raise resource_error(
            attrs, "type", f"must be one of {', '.join(SCHEDULE_TYPES)}"
        )
    _check_schedule(ctx, kind, attrs, create=True)
    now = ctx.sim.now_iso()
    record: Record = {
        "id": new_id(),
        "type": kind,
        "attributes": {"name": attrs["name"], **{day: [] for day in WEEKDAYS}},
    }
    _apply_schedule(kind, record, attrs)
    record["attributes"]["created_at"] = now
    record["attributes"]["updated_at"] = now
    ctx.sim.state.schedules[record["id"]] = record
    return ctx.one(record, 201)


async def update_schedule(ctx: Ctx) -> web.Response:
    """PUT /schedules/:id: same attributes as create (the type cannot change)."""
    record = _schedule(ctx)
    attrs = await ctx.attributes()
    _check_schedule(ctx, record["type"], attrs, create=False)
    _apply_schedule(record["type"], record, attrs)
    ctx.sim.touch(record)
    return ctx.one(record)


async def delete_schedule(ctx: Ctx) -> web.Response:
    """DELETE /schedules/:id: devices and accesses using it lose the reference."""
    record = _schedule(ctx)
    state = ctx.sim.state
    del state.schedules[record["id"]]
    for device in state.devices.values():
        for field in SCHEDULE_REFS:
            if device["attributes"].get(field) == record["id"]:
                device["attributes"][field] = None
    for access in state.accesses.values():
        if access["attributes"].get("access_schedule_id") == record["id"]:
            access["attributes"]["access_schedule_id"] = None
    return ctx.empty()


# -- access exceptions ---------------------------------------------------------------
def _check_exception(attrs: dict[str, Any], *, create: bool) -> None:
    check = Checker(attrs)
    check.string("name", required=create)
    if "dates" not in attrs:
        check.add("dates", "can't be blank")
    else:
        dates = attrs["dates"]
        if not isinstance(dates, list) or not dates:
            check.add("dates", "must be a non-empty array")
        else:
            for entry in dates:
                start = (
                    parse_date(entry.get("start_date"))
                    if isinstance(entry, dict)
                    else None
                )
                end = (
                    parse_date(entry.get("end_date"))
                    if isinstance(entry, dict)
                    else None
                )
                if start is None or end is None:
                    check.add("dates", "start_date and end_date must be YYYY-MM-DD")
                    break
                if end < start:
                    check.add("dates", "end_date must not be before start_date")
                    break
    check.done()


async def list_exceptions(ctx: Ctx) -> web.Response:
    """GET /access_exceptions."""
    return ctx.many(
        list(ctx.sim.state.access_exceptions.values()), sortable=("created_at", "name")
    )


def _exception(ctx: Ctx) -> Record:
    return ctx.get(ctx.sim.state.access_exceptions, ctx.param("id"), "Access exception")


async def get_exception(ctx: Ctx) -> web.Response:
    """GET /access_exceptions/:id."""
    return ctx.one(_exception(ctx))


def _dates(attrs: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"start_date": d["start_date"], "end_date": d["end_date"]}
        for d in attrs["dates"]
    ]


async def create_exception(ctx: Ctx) -> web.Response:
    """POST /access_exceptions."""
    attrs = await ctx.attributes()
    _check_exception(attrs, create=True)
    now = ctx.sim.now_iso()
    record: Record = {
        "id": new_id(),
        "type": "access_exception",
        "attributes": {
            "name": attrs["name"],
            "dates": _dates(attrs),
            "created_at": now,
            "updated_at": now,
        },
    }
    ctx.sim.state.access_exceptions[record["id"]] = record
    return ctx.one(record, 201)


async def update_exception(ctx: Ctx) -> web.Response:
    """PUT /access_exceptions/:id (dates required, as documented)."""
    record = _exception(ctx)
    attrs = await ctx.attributes()
    _check_exception(attrs, create=False)
    if "name" in attrs:
        record["attributes"]["name"] = attrs["name"]
    record["attributes"]["dates"] = _dates(attrs)
    ctx.sim.touch(record)
    return ctx.one(record)


async def delete_exception(ctx: Ctx) -> web.Response:
    """DELETE /access_exceptions/:id."""
    record = _exception(ctx)
    del ctx.sim.state.access_exceptions[record["id"]]
    for schedule in ctx.sim.state.schedules.values():
        if schedule["attributes"].get("access_exception_id") == record["id"]:
            schedule["attributes"]["access_exception_id"] = None
    return ctx.empty()


# -- groups ----------------------------------------------------------------------------
async def list_groups(ctx: Ctx) -> web.Response:
    """GET /groups."""
    return ctx.many(
        list(ctx.sim.state.groups.values()), sortable=("created_at", "name"), typed=True
    )


def _group(ctx: Ctx, name: str = "id") -> Record:
    return ctx.get(ctx.sim.state.groups, ctx.param(name), "Group")


async def get_group(ctx: Ctx) -> web.Response:
    """GET /groups/:id."""
    return ctx.one(_group(ctx))


async def create_group(ctx: Ctx) -> web.Response:
    """POST /groups (type door_group)."""
    body = await ctx.body()
    attrs = await ctx.attributes()
    check = Checker(attrs)
    if body.get("type") != "door_group":
        check.add("type", "must be door_group")
    check.string("name", required=True)
    check.done()
    now = ctx.sim.now_iso()
    record: Record = {
        "id": new_id(),
        "type": "door_group",
        "attributes": {"name": attrs["name"], "created_at": now, "updated_at": now},
    }
    ctx.sim.state.groups[record["id"]] = record
    return ctx.one(record, 201)


async def update_group(ctx: Ctx) -> web.Response:
    """PUT /groups/:id."""
    record = _group(ctx)
    attrs = await ctx.attributes()
    check = Checker(attrs)
    check.string("name")
    check.done()
    if "name" in attrs:
        record["attributes"]["name"] = attrs["name"]
    ctx.sim.touch(record)
    return ctx.one(record)


async def delete_group(ctx: Ctx) -> web.Response:
    """DELETE /groups/:id (its door entries and accesses go too)."""
    record = _group(ctx)
    state = ctx.sim.state
    del state.groups[record["id"]]
    for rid in [
        d["id"]
        for d in state.door_group_doors.values()
        if d["attributes"]["door_group_id"] == record["id"]
    ]:
        del state.door_group_doors[rid]
    for rid in [
        a["id"]
        for a in state.accesses.values()
        if a["attributes"]["accessible_id"] == record["id"]
    ]:
        del state.accesses[rid]
    return ctx.empty()


async def list_group_doors(ctx: Ctx) -> web.Response:
    """GET /groups/:group_id/doors (attributes[door_type] accepts Lock / ACS::Door too)."""
    group = _group(ctx, "group_id")
    doors = [
        d
        for d in ctx.sim.state.door_group_doors.values()
        if d["attributes"]["door_group_id"] == group["id"]
    ]
    return ctx.many(doors)


def _group_door(ctx: Ctx) -> Record:
    group = _group(ctx, "group_id")
    door = ctx.get(ctx.sim.state.door_group_doors, ctx.param("id"), "Door group door")
    if door["attributes"]["door_group_id"] != group["id"]:
        raise NotFoundError("Door group door")
    return door


async def get_group_door(ctx: Ctx) -> web.Response:
    """GET /groups/:group_id/doors/:id."""
    return ctx.one(_group_door(ctx))


async def add_group_door(ctx: Ctx) -> web.Response:
    """POST /groups/:group_id/doors: a lock or an ACS door."""
    group = _group(ctx, "group_id")
    attrs = await ctx.attributes()
    door_type = TYPE_ALIASES.get(str(attrs.get("door_type")), attrs.get("door_type"))
    check = Checker({**attrs, "door_type": door_type})
    check.one_of("door_type", ("lock", "acs_door"), required=True)
    if door_type in ("lock", "acs_door"):
        check.reference(
            "door_id", ctx.sim.state.devices, (str(door_type),), required=True
        )
    if any(
        d["attributes"]["door_group_id"] == group["id"]
        and d["attributes"]["door_id"] == attrs.get("door_id")
        for d in ctx.sim.state.door_group_doors.values()
    ):
        check.add("door_id", "has already been taken")
    check.done()
    now = ctx.sim.now_iso()
    record: Record = {
        "id": new_id(),
        "type": "door_group_door",
        "attributes": {
            "created_at": now,
            "updated_at": now,
            "door_id": attrs["door_id"],
            "door_type": door_type,
            "door_group_id": group["id"],
        },
    }
    ctx.sim.state.door_group_doors[record["id"]] = record
    return ctx.one(record, 201)


async def remove_group_door(ctx: Ctx) -> web.Response:
    """DELETE /groups/:group_id/doors/:id."""
    del ctx.sim.state.door_group_doors[_group_door(ctx)["id"]]
    return ctx.empty()
