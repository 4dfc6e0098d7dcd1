"""Notification subscribers (e-mail, text, webhook), subscriptions, notifications."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...errors import MalformedResponseError
from .base import RemoteLockResource, base_fields
from .fields import read_resource

EMAIL_SUBSCRIBER = "email_notification_subscriber"
TEXT_SUBSCRIBER = "text_notification_subscriber"
WEBHOOK_SUBSCRIBER = "webhook_notification_subscriber"


@dataclass(frozen=True, slots=True, kw_only=True)
class NotificationSubscriber(RemoteLockResource):
    """Fields shared by every subscriber type (also used for unknown types)."""

    name: str | None = None
    active: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailSubscriber(NotificationSubscriber):
    """Notifications by e-mail (``email`` is a secret)."""

    email: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class TextSubscriber(NotificationSubscriber):
    """Notifications by text message (``phone`` is a secret)."""

    phone: str | None = field(default=None, repr=False)
    carrier: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookSubscriber(NotificationSubscriber):
    """Notifications by HTTPS POST; ``secret`` comes back as the ``X-Secret`` header."""

    url: str | None = field(default=None, repr=False)
    content_type: str | None = None
    secret: str | None = field(default=None, repr=False)


type AnySubscriber = (
    EmailSubscriber | TextSubscriber | WebhookSubscriber | NotificationSubscriber
)


def parse_subscriber(value: Any) -> AnySubscriber:
    """Build the subscriber model matching the resource's ``type``."""
    res = read_resource(value)
    a = res.attrs
    common = {
        **base_fields(res),
        "name": a.opt_str("name"),
        "active": a.opt_bool("active"),
    }
    if res.type == EMAIL_SUBSCRIBER:
        return EmailSubscriber(**common, email=a.opt_str("email"))
    if res.type == TEXT_SUBSCRIBER:
        return TextSubscriber(
            **common, phone=a.opt_str("phone"), carrier=a.opt_str("carrier")
        )
    if res.type == WEBHOOK_SUBSCRIBER:
        return WebhookSubscriber(
            **common,
            url=a.opt_str("url"),
            content_type=a.opt_str("content_type"),
            secret=a.opt_str("secret"),
        )
    return NotificationSubscriber(**common)


@dataclass(frozen=True, slots=True, kw_only=True)
class NotificationSubscription(RemoteLockResource):
    """Which events of a publisher are sent to a subscriber.

    ``events`` holds the ``event_type`` names; ``event_options`` the full objects
    (some publishers accept ``first_access``/``created_by_integration`` flags).
    """

    events: tuple[str, ...] = ()
    event_options: tuple[dict[str, Any], ...] = ()
    subscriber_id: str | None = None
    subscriber_type: str | None = None
    publisher_id: str | None = None
    publisher_type: str | None = None


def parse_subscription(value: Any) -> NotificationSubscription:
    """Build a :class:`NotificationSubscription`."""
    res = read_resource(value)
    a = res.attrs
    items = a.dict_list("events")
    names: list[str] = []
    for item in items:
        name = item.get("event_type")
        if not isinstance(name, str):
            raise MalformedResponseError(f"{res.type}.events has no event_type")
        names.append(name)
    return NotificationSubscription(
        **base_fields(res),
        events=tuple(names),
        event_options=tuple(dict(item) for item in items),
        subscriber_id=a.opt_str("subscriber_id"),
        subscriber_type=a.opt_str("subscriber_type"),
        publisher_id=a.opt_str("publisher_id"),
        publisher_type=a.opt_str("publisher_type"),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Notification(RemoteLockResource):
    """One notification sent about an event to a subscriber."""

    subscriber_id: str | None = None
    subscriber_type: str | None = None
    publisher_id: str | None = None
    publisher_type: str | None = None
    event_id: str | None = None
    event_type: str | None = None


def parse_notification(value: Any) -> Notification:
    """Build a :class:`Notification`."""
    res = read_resource(value)
    a = res.attrs
    return Notification(
        **base_fields(res),
        subscriber_id=a.opt_str("subscriber_id"),
        subscriber_type=a.opt_str("subscriber_type"),
        publisher_id=a.opt_str("publisher_id"),
        publisher_type=a.opt_str("publisher_type"),
        event_id=a.opt_str("event_id"),
        event_type=a.opt_str("event_type"),
    )
