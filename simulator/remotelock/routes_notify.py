"""Events, notification subscribers, subscriptions and notifications."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from .api import Api, Ctx
from .const import PUBLISHER_EVENT_TYPES, SUBSCRIBER_TYPES
from .errors import resource_error
from .store import Record, new_id
from .validate import Checker

SUBSCRIBER_FIELDS = {
    "email_notification_subscriber": ("name", "email", "active"),
    "text_notification_subscriber": ("name", "phone", "carrier", "active"),
    "webhook_notification_subscriber": (
        "name",
        "url",
        "content_type",
        "secret",
        "active",
    ),
}
REQUIRED_FIELDS = {
    "email_notification_subscriber": ("name", "email"),
    "text_notification_subscriber": ("name", "phone", "carrier"),
    "webhook_notification_subscriber": ("name", "url"),
}
PUBLISHER_COLLECTIONS = {
    "location": "locations",
    "access_user": "access_persons",
    "access_guest": "access_persons",
    "lock": "devices",
    "thermostat": "devices",
    "power_plug": "devices",
    "acs_door": "devices",
    "acs_controller": "devices",
}


def register(api: Api) -> None:
    """Add the routes of this family."""
    api.add("GET", "/events", list_events)
    api.add("GET", "/events/:id", get_event)
    api.add("GET", "/notification_subscribers", list_subscribers)
    api.add("GET", "/notification_subscribers/:id", get_subscriber)
    api.add("POST", "/notification_subscribers", create_subscriber)
    api.add("PUT", "/notification_subscribers/:id", update_subscriber)
    api.add("DELETE", "/notification_subscribers/:id", delete_subscriber)
    api.add("GET", "/notification_subscriptions", list_subscriptions)
    api.add("GET", "/notification_subscriptions/:id", get_subscription)
    api.add("POST", "/notification_subscriptions", create_subscription)
    api.add("PUT", "/notification_subscriptions/:id", update_subscription)
    api.add("DELETE", "/notification_subscriptions/:id", delete_subscription)
    api.add("GET", "/notifications", list_notifications)


# -- events ----------------------------------------------------------------------------
async def list_events(ctx: Ctx) -> web.Response:
    """GET /events (default: occurred_at descending; type filter takes *_event names)."""
    query_types = ctx.query.getall("type", []) + ctx.query.getall("type[]", [])
    events = list(ctx.sim.state.events.values())
    if query_types:
        wanted = {t if t.endswith("_event") else f"{t}_event" for t in query_types}
        events = [e for e in events if e["type"] in wanted]
    if not ctx.query.getall("sort", []) and not ctx.query.getall("sort[]", []):
        events.reverse()  # newest first among events of the same second
    return ctx.many(
        events, sortable=("created_at", "occurred_at"), default_sort=("-occurred_at",)
    )


async def get_event(ctx: Ctx) -> web.Response:
    """GET /events/:id."""
    return ctx.one(ctx.get(ctx.sim.state.events, ctx.param("id"), "Event"))


# -- subscribers -------------------------------------------------------------------------
def _check_subscriber(
    ctx: Ctx, kind: str, attrs: dict[str, Any], *, create: bool
) -> None:
    check = Checker(attrs)
    for name in REQUIRED_FIELDS[kind]:
        check.string(name, required=create)
    check.boolean("active")
    if kind == "email_notification_subscriber":
        check.email("email")
    if kind == "webhook_notification_subscriber":
        check.one_of("content_type", ("form", "json"))
        url = attrs.get("url")
        if isinstance(url, str) and url.strip():
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                check.add("url", "is not a valid URL")
            elif parts.scheme != "https" and ctx.sim.settings.get(
                "require_https_webhooks"
            ):
                check.add("url", "must be a secure (HTTPS) URL")
    check.done()


async def list_subscribers(ctx: Ctx) -> web.Response:
    """GET /notification_subscribers."""
    return ctx.many(
        list(ctx.sim.state.notification_subscribers.values()),
        sortable=("created_at", "name"),
        typed=True,
    )


def _subscriber(ctx: Ctx) -> Record:
    return ctx.get(
        ctx.sim.state.notification_subscribers,
        ctx.param("id"),
        "Notification subscriber",
    )


async def get_subscriber(ctx: Ctx) -> web.Response:
    """GET /notification_subscribers/:id."""
    return ctx.one(_subscriber(ctx))


async def create_subscriber(ctx: Ctx) -> web.Response:
    """POST /notification_subscribers: e-mail, text or webhook."""
    body = await ctx.body()
    attrs = await ctx.attributes()
    kind = body.get("type")
    if kind not in SUBSCRIBER_TYPES:
        raise resource_error(
            attrs, "type", f"must be one of {', '.join(SUBSCRIBER_TYPES)}"
        )
    _check_subscriber(ctx, kind, attrs, create=True)
    now = ctx.sim.now_iso()
    values: dict[str, Any] = {name: attrs.get(name) for name in SUBSCRIBER_FIELDS[kind]}
    values["active"] = attrs.get("active", True)
    if kind == "webhook_notification_subscriber":
        values["content_type"] = attrs.get("content_type") or "form"
    record: Record = {
        "id": new_id(),
        "type": kind,
        "attributes": {**values, "created_at": now, "updated_at": now},
    }
    ctx.sim.state.notification_subscribers[record["id"]] = record
    return ctx.one(record, 201)


async def update_subscriber(ctx: Ctx) -> web.Response:
    """PUT /notification_subscribers/:id."""
    record = _subscriber(ctx)
    attrs = await ctx.attributes()
    _check_subscriber(ctx, record["type"], attrs, create=False)
    for name in SUBSCRIBER_FIELDS[record["type"]]:
        if name in attrs:
            record["attributes"][name] = attrs[name]
    ctx.sim.touch(record)
    return ctx.one(record)


async def delete_subscriber(ctx: Ctx) -> web.Response:
    """DELETE /notification_subscribers/:id (its subscriptions go too)."""
    record = _subscriber(ctx)
    state = ctx.sim.state
    del state.notification_subscribers[record["id"]]
    for rid in [
        s["id"]
        for s in state.notification_subscriptions.values()
        if s["attributes"]["subscriber_id"] == record["id"]
    ]:
        del state.notification_subscriptions[rid]
    return ctx.empty()


# -- subscriptions -----------------------------------------------------------------------
def _check_subscription(
    ctx: Ctx, attrs: dict[str, Any], current: Record | None
) -> dict[str, Any]:
    """Validate; return the merged attributes."""
    merged = {**(current["attributes"] if current else {}), **attrs}
    check = Checker(attrs)
    state = ctx.sim.state
    for name in (
        "events",
        "publisher_type",
        "publisher_id",
        "subscriber_type",
        "subscriber_id",
    ):
        if current is None and attrs.get(name) in (None, "", []):
            check.add(name, "can't be blank")
    publisher_type = merged.get("publisher_type")
    if publisher_type is not None and publisher_type not in PUBLISHER_EVENT_TYPES:
        check.add("publisher_type", "is not included in the list")
    elif publisher_type == "account":
        if merged.get("publisher_id") not in (None, state.account["id"]):
            check.add("publisher_id", "does not exist")
    elif publisher_type is not None and merged.get("publisher_id"):
        collection = state.collection(PUBLISHER_COLLECTIONS[publisher_type])
        record = collection.get(str(merged["publisher_id"]))
        if record is None or record["type"] != publisher_type:
            check.add("publisher_id", "does not exist")
    subscriber_type = merged.get("subscriber_type")
    if subscriber_type is not None and subscriber_type not in SUBSCRIBER_TYPES:
        check.add("subscriber_type", "is not included in the list")
    elif merged.get("subscriber_id"):
        check_sub = state.notification_subscribers.get(str(merged["subscriber_id"]))
        if check_sub is None or check_sub["type"] != subscriber_type:
            check.add("subscriber_id", "does not exist")
    events = merged.get("events")
    if events is not None:
        allowed = PUBLISHER_EVENT_TYPES.get(str(publisher_type), ())
        if not isinstance(events, list) or not events:
            check.add("events", "must be a non-empty array")
        else:
            for event in events:
                kind = event.get("event_type") if isinstance(event, dict) else None
                if kind not in allowed:
                    check.add(
                        "events",
                        f"event_type {kind!r} is not supported by a {publisher_type} publisher",
                    )
    check.done()
    return merged


async def list_subscriptions(ctx: Ctx) -> web.Response:
    """GET /notification_subscriptions."""
    return ctx.many(list(ctx.sim.state.notification_subscriptions.values()))


def _subscription(ctx: Ctx) -> Record:
    return ctx.get(
        ctx.sim.state.notification_subscriptions,
        ctx.param("id"),
        "Notification subscription",
    )


async def get_subscription(ctx: Ctx) -> web.Response:
    """GET /notification_subscriptions/:id."""
    return ctx.one(_subscription(ctx))


def _subscription_attributes(
    merged: dict[str, Any], created: str, updated: str
) -> dict[str, Any]:
    return {
        "events": [dict(e) for e in merged["events"]],
        "created_at": created,
        "updated_at": updated,
        "subscriber_id": merged["subscriber_id"],
        "subscriber_type": merged["subscriber_type"],
        "publisher_id": merged["publisher_id"],
        "publisher_type": merged["publisher_type"],
    }


async def create_subscription(ctx: Ctx) -> web.Response:
    """POST /notification_subscriptions."""
    attrs = await ctx.attributes()
    merged = _check_subscription(ctx, attrs, None)
    now = ctx.sim.now_iso()
    record: Record = {
        "id": new_id(),
        "type": "notification_subscription",
        "attributes": _subscription_attributes(merged, now, now),
    }
    ctx.sim.state.notification_subscriptions[record["id"]] = record
    return ctx.one(record, 201)


async def update_subscription(ctx: Ctx) -> web.Response:
    """PUT /notification_subscriptions/:id."""
    record = _subscription(ctx)
    attrs = await ctx.attributes()
    merged = _check_subscription(ctx, attrs, record)
    record["attributes"] = _subscription_attributes(
        merged, record["attributes"]["created_at"], ctx.sim.now_iso()
    )
    return ctx.one(record)


async def delete_subscription(ctx: Ctx) -> web.Response:
    """DELETE /notification_subscriptions/:id."""
    del ctx.sim.state.notification_subscriptions[_subscription(ctx)["id"]]
    return ctx.empty()


async def list_notifications(ctx: Ctx) -> web.Response:
    """GET /notifications (created_at ascending)."""
    return ctx.many(list(ctx.sim.state.notifications.values()))
