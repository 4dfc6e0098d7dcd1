"""The one webhook notification subscriber of an entry at RemoteLock, kept in shape.

:func:`async_ensure_subscriber` adopts the subscriber this Home Assistant made
before (by the id the entry stores, else by its name, which holds Home Assistant's
instance id), brings it to the wanted URL, secret, JSON content type and active
state, deletes duplicates, and keeps exactly one subscription on the account for
:data:`SUBSCRIBED_EVENT_TYPES`. Calling it again changes nothing and writes nothing.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from .api.errors import NotFoundError
from .api.remotelock import RemoteLockClient
from .api.remotelock.models import NotificationSubscription, WebhookSubscriber
from .api.remotelock.models.notifications import WEBHOOK_SUBSCRIBER
from .const import LOGGER
from .remotelock_events import SUBSCRIBED_EVENT_TYPES

SUBSCRIBER_NAME_PREFIX = "Home Assistant Smart Access"


def subscriber_name(instance_id: str) -> str:
    """Return the name that marks a subscriber as this Home Assistant's."""
    return f"{SUBSCRIBER_NAME_PREFIX} {instance_id}"


@dataclass(frozen=True, kw_only=True)
class WantedSubscriber:
    """What the entry's subscriber must look like."""

    name: str
    url: str
    secret: str


@dataclass(frozen=True, kw_only=True)
class SubscriberState:
    """What :func:`async_ensure_subscriber` found or made."""

    subscriber_id: str
    created: bool = False
    changed: bool = False


async def async_ensure_subscriber(
    client: RemoteLockClient, wanted: WantedSubscriber, known_id: str | None
) -> SubscriberState:
    """Adopt or create the subscriber and its account subscription; no duplicates."""
    subscribers = [
        item
        for item in await client.async_list_notification_subscribers(
            types=WEBHOOK_SUBSCRIBER
        )
        if isinstance(item, WebhookSubscriber)
    ]
    ours = [
        item for item in subscribers if item.id == known_id or item.name == wanted.name
    ]
    ours.sort(key=lambda item: item.id != known_id)
    created = changed = False
    if ours:
        subscriber = ours[0]
        for duplicate in ours[1:]:
            LOGGER.debug("Deleting a duplicate RemoteLock webhook subscriber")
            await async_delete_subscriber(client, duplicate.id)
        if (
            subscriber.url != wanted.url
            or subscriber.secret != wanted.secret
            or subscriber.content_type != "json"
            or subscriber.active is False
            or subscriber.name != wanted.name
        ):
            await client.async_update_notification_subscriber(
                subscriber.id,
                name=wanted.name,
                url=wanted.url,
                secret=wanted.secret,
                content_type="json",
                active=True,
            )
            changed = True
        subscriber_id = subscriber.id
    else:
        made = await client.async_create_webhook_subscriber(
            name=wanted.name,
            url=wanted.url,
            content_type="json",
            secret=wanted.secret,
            active=True,
        )
        subscriber_id = made.id
        created = True
    changed |= await _async_ensure_subscription(client, subscriber_id)
    return SubscriberState(
        subscriber_id=subscriber_id, created=created, changed=changed
    )


async def _async_ensure_subscription(
    client: RemoteLockClient, subscriber_id: str
) -> bool:
    """Keep one account subscription with every wanted event type; say if it changed."""
    account = await client.async_get_account()
    mine: list[NotificationSubscription] = [
        item
        for item in await client.async_list_notification_subscriptions()
        if item.subscriber_id == subscriber_id
    ]
    keep = next(
        (
            item
            for item in mine
            if item.publisher_type == "account" and item.publisher_id == account.id
        ),
        None,
    )
    changed = False
    for extra in mine:
        if extra is not keep:
            await client.async_delete_notification_subscription(extra.id)
            changed = True
    if keep is None:
        await client.async_create_notification_subscription(
            events=SUBSCRIBED_EVENT_TYPES,
            publisher_type="account",
            publisher_id=account.id,
            subscriber_type=WEBHOOK_SUBSCRIBER,
            subscriber_id=subscriber_id,
        )
        return True
    if set(keep.events) != set(SUBSCRIBED_EVENT_TYPES):
        await client.async_update_notification_subscription(
            keep.id, events=SUBSCRIBED_EVENT_TYPES
        )
        changed = True
    return changed


async def async_subscriber_active(client: RemoteLockClient, subscriber_id: str) -> bool:
    """Return whether the subscriber still exists and is active."""
    try:
        subscriber = await client.async_get_notification_subscriber(subscriber_id)
    except NotFoundError:
        return False
    return subscriber.active is not False


async def async_delete_subscriber(client: RemoteLockClient, subscriber_id: str) -> None:
    """Delete the subscriber and every subscription of it (gone already: fine)."""
    for item in await client.async_list_notification_subscriptions():
        if item.subscriber_id == subscriber_id:
            with contextlib.suppress(NotFoundError):
                await client.async_delete_notification_subscription(item.id)
    await _async_delete_subscriber(client, subscriber_id)


async def _async_delete_subscriber(
    client: RemoteLockClient, subscriber_id: str
) -> None:
    with contextlib.suppress(NotFoundError):
        await client.async_delete_notification_subscriber(subscriber_id)
