"""Account, user, locations and models."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from aiohttp import web

from .api import Api, Ctx
from .errors import resource_error
from .store import Record, new_id
from .validate import Checker

_COUNTRY = re.compile(r"^[A-Z]{2}$")
LOCATION_FIELDS = (
    "name",
    "phone",
    "address",
    "address2",
    "city",
    "state",
    "postal_code",
    "country",
    "time_zone",
)


def register(api: Api) -> None:
    """Add the routes of this family."""
    api.add("GET", "/account", get_account)
    api.add("PUT", "/account", update_account)
    api.add("GET", "/user", get_user)
    api.add("GET", "/locations", list_locations)
    api.add("GET", "/locations/:id", get_location)
    api.add("POST", "/locations", create_location)
    api.add("PUT", "/locations/:id", update_location)
    api.add("DELETE", "/locations/:id", delete_location)
    api.add("GET", "/models", list_models)
    api.add("GET", "/models/:id", get_model)


async def get_account(ctx: Ctx) -> web.Response:
    """GET /account."""
    return ctx.one(ctx.sim.state.account)


async def update_account(ctx: Ctx) -> web.Response:
    """PUT /account: name and default guest times."""
    attrs = await ctx.attributes()
    check = Checker(attrs)
    check.string("name")
    start = check.time_of_day("default_guest_start_time")
    end = check.time_of_day("default_guest_end_time")
    check.done()
    account = ctx.sim.state.account["attributes"]
    if "name" in attrs:
        account["name"] = attrs["name"]
    if start:
        account["default_guest_start_time"] = start
    if end:
        account["default_guest_end_time"] = end
    ctx.sim.touch(ctx.sim.state.account)
    return ctx.one(ctx.sim.state.account)


async def get_user(ctx: Ctx) -> web.Response:
    """GET /user: the signed-in user (the account owner for client credentials)."""
    return ctx.one(ctx.sim.state.user)


async def list_locations(ctx: Ctx) -> web.Response:
    """GET /locations (default sort: name)."""
    return ctx.many(
        list(ctx.sim.state.locations.values()),
        sortable=("created_at", "name"),
        default_sort=("name",),
    )


async def get_location(ctx: Ctx) -> web.Response:
    """GET /locations/:id."""
    return ctx.one(ctx.get(ctx.sim.state.locations, ctx.param("id"), "Location"))


def _check_location(attrs: dict[str, object], *, create: bool) -> None:
    check = Checker(attrs)
    if "address_2" in attrs and "address2" not in attrs:
        attrs["address2"] = attrs.pop("address_2")
    check.string("name", required=create)
    check.string("time_zone", required=create)
    zone = attrs.get("time_zone")
    if isinstance(zone, str) and zone.strip():
        try:
            ZoneInfo(zone)
            valid = zone in available_timezones()
        except ZoneInfoNotFoundError, ValueError:
            valid = False
        if not valid:
            check.add("time_zone", "is not included in the list")
    country = attrs.get("country")
    if country is not None and (
        not isinstance(country, str) or not _COUNTRY.match(country)
    ):
        check.add("country", "must be an ISO 3166-1 alpha-2 code")
    check.done()


async def create_location(ctx: Ctx) -> web.Response:
    """POST /locations."""
    attrs = await ctx.attributes()
    _check_location(attrs, create=True)
    now = ctx.sim.now_iso()
    record: Record = {
        "id": new_id(),
        "type": "location",
        "attributes": {
            **{name: attrs.get(name) for name in LOCATION_FIELDS},
            "created_at": now,
            "updated_at": now,
        },
    }
    ctx.sim.state.locations[record["id"]] = record
    return ctx.one(record, 201)


async def update_location(ctx: Ctx) -> web.Response:
    """PUT /locations/:id."""
    record = ctx.get(ctx.sim.state.locations, ctx.param("id"), "Location")
    attrs = await ctx.attributes()
    _check_location(attrs, create=False)
    for name in LOCATION_FIELDS:
        if name in attrs:
            record["attributes"][name] = attrs[name]
    ctx.sim.touch(record)
    return ctx.one(record)


async def delete_location(ctx: Ctx) -> web.Response:
    """DELETE /locations/:id (refused while devices are registered there)."""
    record = ctx.get(ctx.sim.state.locations, ctx.param("id"), "Location")
    if any(
        device["attributes"].get("location_id") == record["id"]
        for device in ctx.sim.state.devices.values()
    ):
        raise resource_error(
            record["attributes"],
            None,
            "Location has devices; move or deregister them first",
        )
    del ctx.sim.state.locations[record["id"]]
    for access in [
        a
        for a in ctx.sim.state.accesses.values()
        if a["attributes"]["accessible_id"] == record["id"]
    ]:
        del ctx.sim.state.accesses[access["id"]]
    return ctx.empty()


async def list_models(ctx: Ctx) -> web.Response:
    """GET /models (sortable by number; no default order)."""
    return ctx.many(
        list(ctx.sim.state.models.values()), sortable=("number",), default_sort=()
    )


async def get_model(ctx: Ctx) -> web.Response:
    """GET /models/:id."""
    return ctx.one(ctx.get(ctx.sim.state.models, ctx.param("id"), "Model"))
