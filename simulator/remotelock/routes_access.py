"""Access persons (users and guests) and their accesses."""

from __future__ import annotations

import secrets
from typing import Any

from aiohttp import web

from .api import Api, Ctx
from .const import ACCESS_PERSON_STATUSES, ACCESS_PERSON_TYPES, ACCESSIBLE_TYPES
from .errors import GeneralError, NotFoundError, resource_error
from .query import values
from .store import Record, new_id
from .templates import access_attributes
from .validate import Checker, naive_iso

PERSON_SORT = ("created_at", "updated_at", "name", "department", "starts_at", "ends_at")
ACCESSIBLE_COLLECTION = {
    "lock": ("devices", ("lock",)),
    "acs_door": ("devices", ("acs_door",)),
    "door_group": ("groups", ("door_group",)),
    "location": ("locations", ("location",)),
}


def register(api: Api) -> None:
    """Add the routes of this family."""
    api.add("GET", "/access_persons", list_persons)
    api.add("GET", "/access_persons/:id", get_person)
    api.add("POST", "/access_persons", create_person)
    api.add("PUT", "/access_persons/:id", update_person)
    api.add("PUT", "/access_persons/:id/deactivate", deactivate_person)
    api.add("DELETE", "/access_persons/:id", delete_person)
    api.add("POST", "/access_persons/:id/email/notify", notify_person)
    api.add("GET", "/access_persons/:access_person_id/accesses", list_accesses)
    api.add("GET", "/access_persons/:access_person_id/accesses/:id", get_access)
    api.add("POST", "/access_persons/:access_person_id/accesses", grant_access)
    api.add("PUT", "/access_persons/:access_person_id/accesses/:id", update_access)
    api.add("DELETE", "/access_persons/:access_person_id/accesses/:id", revoke_access)


async def list_persons(ctx: Ctx) -> web.Response:
    """GET /access_persons: current and upcoming unless attributes[status] says otherwise."""
    wanted = set(values(ctx.query, "attributes[status]")) or {"current", "upcoming"}
    unknown = wanted - set(ACCESS_PERSON_STATUSES)
    if unknown:
        raise GeneralError(
            400,
            f"Unknown status filter: {', '.join(sorted(unknown))}",
            "invalid_filter",
        )
    persons = [
        p
        for p in ctx.sim.state.access_persons.values()
        if ctx.sim.person_status(p) in wanted
    ]
    return ctx.many(
        persons, sortable=PERSON_SORT, typed=True, skip_attributes=("status",)
    )


def _person(ctx: Ctx, name: str = "id") -> Record:
    return ctx.get(ctx.sim.state.access_persons, ctx.param(name), "Access person")


async def get_person(ctx: Ctx) -> web.Response:
    """GET /access_persons/:id."""
    return ctx.one(_person(ctx))


def _pin_taken(ctx: Ctx, pin: str, exclude: str | None = None) -> bool:
    return any(
        p["attributes"].get("pin") == pin
        and p["id"] != exclude
        and ctx.sim.person_status(p) != "deactivated"
        for p in ctx.sim.state.access_persons.values()
    )


def _generate_pin(ctx: Ctx) -> str:
    while True:
        pin = f"{secrets.randbelow(10**6):06d}"
        if not _pin_taken(ctx, pin):
            return pin


def _check_person(
    ctx: Ctx, kind: str, attrs: dict[str, Any], current: Record | None
) -> tuple[str | None, str | None]:
    """Validate create/update attributes; return normalized (starts_at, ends_at)."""
    check = Checker(attrs)
    check.string("name", required=current is None)
    check.email("email")
    check.digits("pin")
    check.digits("card_number")
    check.boolean("generate_pin")
    if attrs.get("pin") and _pin_taken(
        ctx, str(attrs["pin"]), current["id"] if current else None
    ):
        check.add("pin", "has already been taken")
    has_credential = bool(
        attrs.get("pin") or attrs.get("card_number") or attrs.get("generate_pin")
    )
    if current is None and not has_credential:
        check.add(None, "pin, generate_pin or card_number is required")
    if current is not None and ("pin" in attrs or "card_number" in attrs):
        pin = attrs.get("pin", current["attributes"].get("pin"))
        card = attrs.get("card_number", current["attributes"].get("card_number"))
        if not (pin or card or attrs.get("generate_pin")):
            check.add(None, "pin, generate_pin or card_number is required")
    starts = ends = None
    if kind == "access_guest":
        starts_dt = check.timestamp("starts_at", required=current is None)
        ends_dt = check.timestamp("ends_at", required=current is None)
        starts = naive_iso(starts_dt) if starts_dt else None
        ends = naive_iso(ends_dt) if ends_dt else None
        first = starts or (current["attributes"]["starts_at"] if current else None)
        last = ends or (current["attributes"]["ends_at"] if current else None)
        if first and last and first >= last:
            check.add("ends_at", "must be after starts_at")
    check.done()
    return starts, ends


async def create_person(ctx: Ctx) -> web.Response:
    """POST /access_persons: an access_user or an access_guest."""
    body = await ctx.body()
    attrs = await ctx.attributes()
    kind = body.get("type")
    if kind not in ACCESS_PERSON_TYPES:
        raise resource_error(attrs, "type", "must be access_user or access_guest")
    starts, ends = _check_person(ctx, kind, attrs, None)
    now = ctx.sim.now_iso()
    pin = attrs.get("pin")
    if attrs.get("generate_pin"):
        pin = _generate_pin(ctx)
    record_attrs: dict[str, Any] = {
        "name": attrs["name"],
        "email": attrs.get("email"),
        "phone": attrs.get("phone"),
        "pin": pin,
        "card_number": attrs.get("card_number"),
        "department": attrs.get("department"),
        "status": "current",
        "rental_source": None,
        "created_at": now,
        "updated_at": now,
    }
    if kind == "access_guest":
        record_attrs["starts_at"] = starts
        record_attrs["ends_at"] = ends
    record: Record = {"id": new_id(), "type": kind, "attributes": record_attrs}
    ctx.sim.state.access_persons[record["id"]] = record
    return ctx.one(record, 201)


async def update_person(ctx: Ctx) -> web.Response:
    """PUT /access_persons/:id (refused for deactivated or expired persons)."""
    person = _person(ctx)
    if ctx.sim.person_status(person) in ("deactivated", "expired"):
        raise GeneralError(
            403, "This access person can no longer be updated", "restricted_action"
        )
    attrs = await ctx.attributes()
    starts, ends = _check_person(ctx, person["type"], attrs, person)
    target = person["attributes"]
    for field in ("name", "email", "phone", "pin", "card_number", "department"):
        if field in attrs:
            target[field] = attrs[field]
    if attrs.get("generate_pin"):
        target["pin"] = _generate_pin(ctx)
    if starts:
        target["starts_at"] = starts
    if ends:
        target["ends_at"] = ends
    ctx.sim.touch(person)
    return ctx.one(person)


async def deactivate_person(ctx: Ctx) -> web.Response:
    """PUT /access_persons/:id/deactivate: keeps the record with status deactivated."""
    person = _person(ctx)
    person["attributes"]["status"] = "deactivated"
    ctx.sim.touch(person)
    return ctx.one(person)


async def delete_person(ctx: Ctx) -> web.Response:
    """DELETE /access_persons/:id: gone for good, with its accesses."""
    person = _person(ctx)
    state = ctx.sim.state
    del state.access_persons[person["id"]]
    for rid in [
        a["id"]
        for a in state.accesses.values()
        if a["attributes"]["access_person_id"] == person["id"]
    ]:
        del state.accesses[rid]
    return ctx.empty()


async def notify_person(ctx: Ctx) -> web.Response:
    """POST /access_persons/:id/email/notify: record the (scheduled) e-mail."""
    person = _person(ctx)
    attrs = await ctx.attributes()
    check = Checker(attrs)
    check.number("days_before", minimum=0)
    if not person["attributes"].get("email"):
        check.add("email", "can't be blank")
    check.done()
    ctx.sim.emails.append(
        {
            "kind": "access_instructions",
            "access_person_id": person["id"],
            "days_before": attrs.get("days_before"),
            "at": ctx.sim.now_iso(),
        }
    )
    return ctx.empty(200)


async def list_accesses(ctx: Ctx) -> web.Response:
    """GET /access_persons/:access_person_id/accesses."""
    person = _person(ctx, "access_person_id")
    items = [
        a
        for a in ctx.sim.state.accesses.values()
        if a["attributes"]["access_person_id"] == person["id"]
    ]
    return ctx.many(items)


def _access(ctx: Ctx) -> tuple[Record, Record]:
    person = _person(ctx, "access_person_id")
    access = ctx.get(ctx.sim.state.accesses, ctx.param("id"), "Access")
    if access["attributes"]["access_person_id"] != person["id"]:
        raise NotFoundError("Access")
    return person, access


async def get_access(ctx: Ctx) -> web.Response:
    """GET /access_persons/:access_person_id/accesses/:id."""
    return ctx.one(_access(ctx)[1])


def devices_count(ctx: Ctx, accessible_type: str, accessible_id: str) -> int:
    """Return how many devices an accessible reaches."""
    state = ctx.sim.state
    if accessible_type in ("lock", "acs_door"):
        return 1
    if accessible_type == "door_group":
        return sum(
            1
            for d in state.door_group_doors.values()
            if d["attributes"]["door_group_id"] == accessible_id
        )
    return sum(
        1
        for d in state.devices.values()
        if d["type"] in ("lock", "acs_door")
        and d["attributes"].get("location_id") == accessible_id
    )


async def grant_access(ctx: Ctx) -> web.Response:
    """POST /access_persons/:access_person_id/accesses."""
    person = _person(ctx, "access_person_id")
    attrs = await ctx.attributes()
    check = Checker(attrs)
    check.one_of("accessible_type", ACCESSIBLE_TYPES, required=True)
    kind = attrs.get("accessible_type")
    if kind in ACCESSIBLE_COLLECTION:
        name, types = ACCESSIBLE_COLLECTION[kind]
        check.reference(
            "accessible_id", ctx.sim.state.collection(name), types, required=True
        )
    else:
        check.required("accessible_id")
    check.reference("access_schedule_id", ctx.sim.state.schedules, ("access_schedule",))
    start = check.time_of_day("guest_start_time")
    end = check.time_of_day("guest_end_time")
    if any(
        a["attributes"]["access_person_id"] == person["id"]
        and a["attributes"]["accessible_id"] == attrs.get("accessible_id")
        for a in ctx.sim.state.accesses.values()
    ):
        check.add("accessible_id", "has already been taken")
    check.done()
    assert isinstance(kind, str)
    record: Record = {
        "id": new_id(),
        "type": "access_person_access",
        "attributes": access_attributes(
            person=person,
            accessible_type=kind,
            accessible_id=str(attrs["accessible_id"]),
            devices_count=devices_count(ctx, kind, str(attrs["accessible_id"])),
            now=ctx.sim.now_iso(),
            access_schedule_id=attrs.get("access_schedule_id"),
            guest_start_time=start,
            guest_end_time=end,
        ),
    }
    ctx.sim.state.accesses[record["id"]] = record
    return ctx.one(record, 201)


async def update_access(ctx: Ctx) -> web.Response:
    """PUT /access_persons/:access_person_id/accesses/:id: only the access schedule."""
    _, access = _access(ctx)
    attrs = await ctx.attributes()
    check = Checker(attrs)
    check.reference("access_schedule_id", ctx.sim.state.schedules, ("access_schedule",))
    check.done()
    if "access_schedule_id" in attrs:
        access["attributes"]["access_schedule_id"] = attrs["access_schedule_id"]
    ctx.sim.touch(access)
    return ctx.one(access)


async def revoke_access(ctx: Ctx) -> web.Response:
    """DELETE /access_persons/:access_person_id/accesses/:id."""
    _, access = _access(ctx)
    del ctx.sim.state.accesses[access["id"]]
    return ctx.empty()
