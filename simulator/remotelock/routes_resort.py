"""Resort lock guests: PIN guests of offline resort locks."""

from __future__ import annotations

from datetime import datetime
import secrets
from typing import Any

from aiohttp import web

from .api import Api, Ctx
from .store import Record, new_id
from .validate import Checker, naive_iso


def register(api: Api) -> None:
    """Add the routes of this family."""
    api.add("GET", "/resort_lock_guests", list_guests)
    api.add("GET", "/resort_lock_guests/:id", get_guest)
    api.add("POST", "/resort_lock_guests", create_guest)
    api.add("PUT", "/resort_lock_guests/:id", update_guest)
    api.add("DELETE", "/resort_lock_guests/:id", delete_guest)
    api.add("POST", "/resort_lock_guests/:id/email/notify", notify_guest)
    api.add("GET", "/resort_lock_guests/:id/email/preview", preview_guest)


async def list_guests(ctx: Ctx) -> web.Response:
    """GET /resort_lock_guests."""
    return ctx.many(
        list(ctx.sim.state.resort_lock_guests.values()),
        sortable=("created_at", "name", "starts_at", "ends_at"),
    )


def _guest(ctx: Ctx) -> Record:
    return ctx.get(
        ctx.sim.state.resort_lock_guests, ctx.param("id"), "Resort lock guest"
    )


async def get_guest(ctx: Ctx) -> web.Response:
    """GET /resort_lock_guests/:id."""
    return ctx.one(_guest(ctx))


def _hour(check: Checker, name: str, strict: bool) -> datetime | None:
    """Parse a guest time; minutes and seconds become zeros (or 422 when strict)."""
    moment = check.timestamp(name, required=True)
    if moment is None:
        return None
    if moment.minute or moment.second:
        if strict:
            check.add(name, "must be on the hour (only hours are supported)")
        moment = moment.replace(minute=0, second=0, microsecond=0)
    return moment


async def create_guest(ctx: Ctx) -> web.Response:
    """POST /resort_lock_guests: the PIN is generated (10 digits)."""
    attrs = await ctx.attributes()
    check = Checker(attrs)
    check.string("name", required=True)
    check.email("email")
    check.boolean("one_time_access")
    check.reference(
        "resort_lock_id", ctx.sim.state.devices, ("resort_lock",), required=True
    )
    strict = bool(ctx.sim.settings.get("strict_resort_lock_hours"))
    starts = _hour(check, "starts_at", strict)
    ends = _hour(check, "ends_at", strict)
    if starts and ends and starts >= ends:
        check.add("ends_at", "must be after starts_at")
    check.done()
    assert starts is not None
    assert ends is not None
    now = ctx.sim.now_iso()
    record: Record = {
        "id": new_id(),
        "type": "resort_lock_guest",
        "attributes": {
            "name": attrs["name"],
            "email": attrs.get("email"),
            "pin": f"{secrets.randbelow(9 * 10**9) + 10**9}",
            "starts_at": naive_iso(starts),
            "ends_at": naive_iso(ends),
            "one_time_access": bool(attrs.get("one_time_access", False)),
            "rental_source": None,
            "created_at": now,
            "updated_at": now,
            "resort_lock_id": attrs["resort_lock_id"],
        },
    }
    ctx.sim.state.resort_lock_guests[record["id"]] = record
    return ctx.one(record, 201)


async def update_guest(ctx: Ctx) -> web.Response:
    """PUT /resort_lock_guests/:id: name and e-mail only."""
    guest = _guest(ctx)
    attrs = await ctx.attributes()
    check = Checker(attrs)
    check.string("name")
    check.email("email")
    check.done()
    for field in ("name", "email"):
        if field in attrs:
            guest["attributes"][field] = attrs[field]
    ctx.sim.touch(guest)
    return ctx.one(guest)


async def delete_guest(ctx: Ctx) -> web.Response:
    """DELETE /resort_lock_guests/:id."""
    del ctx.sim.state.resort_lock_guests[_guest(ctx)["id"]]
    return ctx.empty()


async def notify_guest(ctx: Ctx) -> web.Response:
    """POST /resort_lock_guests/:id/email/notify: record the e-mail."""
    guest = _guest(ctx)
    if not guest["attributes"].get("email"):
        check = Checker({})
        check.add("email", "can't be blank")
        check.done()
    ctx.sim.emails.append(
        {
            "kind": "resort_lock_guest_instructions",
            "resort_lock_guest_id": guest["id"],
            "at": ctx.sim.now_iso(),
        }
    )
    return ctx.empty(200)


def _pretty(value: str) -> str:
    moment = datetime.fromisoformat(value)
    hour = moment.strftime("%I").lstrip("0")
    return f"{moment.strftime('%B')} {moment.day}, {moment.year}  {hour}:{moment.strftime('%M %p')}"


async def preview_guest(ctx: Ctx) -> web.Response:
    """GET /resort_lock_guests/:id/email/preview: the access instructions e-mail."""
    guest = _guest(ctx)
    attrs = guest["attributes"]
    sim = ctx.sim
    lock = sim.state.devices.get(attrs["resort_lock_id"])
    location = (
        sim.state.locations.get(lock["attributes"].get("location_id", ""))
        if lock
        else None
    )
    pin = attrs["pin"]
    code = "-".join((pin[:3], pin[3:6], pin[6:])) if len(pin) == 10 else pin
    owner = sim.state.user["attributes"]
    body: dict[str, Any] = {
        "subject": "Access instructions",
        "body": (
            f"<p>Dear {attrs['name']},</p>\n\n<p>Here is your access code for your upcoming "
            "stay with us. Our property is equipped with a keyless entry door lock for your "
            f"convenience.</p>\n\n<p>Access Code: {code}</p>\n\n"
            f"<p>{location['attributes']['name'] if location else ''}</p>\n"
            f"<p><b>{lock['attributes']['name'] if lock else ''}</b></p>\n"
            f"<p>Access times: {_pretty(attrs['starts_at'])} to {_pretty(attrs['ends_at'])}</p>\n"
            f"<p>Regards,</p>\n\n<p>{owner['name']}</p>\n"
        ),
        "from_name": owner["name"],
        "reply_to": owner["email"],
        "cc": None,
        "bcc": None,
    }
    return web.json_response(
        {
            "data": {
                "type": "access_instruction_guest_email_template",
                "attributes": body,
                "links": {
                    "self": f"{sim.base_url}/access_instruction_guest_email_template/preview"
                },
            }
        }
    )
