"""Events, schedules, notification subscribers, subscriptions and notifications."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .core import RemoteLockCore, expect, filter_params
from .models import (
    AccessSchedule,
    AnySchedule,
    AnySubscriber,
    AutoLockSchedule,
    AutoLockSwitch,
    EmailSubscriber,
    Event,
    LockActionSchedule,
    Notification,
    NotificationSubscription,
    Page,
    PowerPlugSchedule,
    ResourceList,
    ScheduledAction,
    TextSubscriber,
    ThermostatSchedule,
    ThermostatSetpoints,
    TimeWindow,
    WebhookSubscriber,
    Week,
    parse_event,
    parse_notification,
    parse_schedule,
    parse_subscriber,
    parse_subscription,
)
from .models.notifications import EMAIL_SUBSCRIBER, TEXT_SUBSCRIBER, WEBHOOK_SUBSCRIBER
from .models.schedules import (
    ACCESS_SCHEDULE,
    AUTO_LOCK_SCHEDULE,
    LOCK_ACTION_SCHEDULE,
    POWER_PLUG_SCHEDULE,
    THERMOSTAT_SCHEDULE,
)


def _events(events: Sequence[str | Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"event_type": item} if isinstance(item, str) else dict(item) for item in events
    ]


class EventEndpoints(RemoteLockCore):
    """Endpoints about what happened and who hears of it, plus schedules."""

    # -- events ------------------------------------------------------------------
    async def async_list_events(
        self,
        *,
        sort: str | Sequence[str] | None = None,
        types: str | Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
    ) -> ResourceList[Event]:
        """Return events (``GET /events``; default order ``-occurred_at``).

        Reads every page up to the 10,000 cap; prefer :meth:`async_list_events_page`
        for recent events. Sort by ``created_at`` to recover missed webhooks.
        """
        return await self._list(
            "/events", parse_event, filter_params(types=types, ids=ids, sort=sort)
        )

    async def async_list_events_page(
        self,
        page: int = 1,
        per_page: int = 50,
        *,
        sort: str | Sequence[str] | None = None,
        types: str | Sequence[str] | None = None,
    ) -> Page[Event]:
        """Return one page of events."""
        return await self._page(
            "/events",
            parse_event,
            filter_params(types=types, sort=sort),
            page,
            per_page,
        )

    async def async_get_event(self, event_id: str) -> Event:
        """Return one event (``GET /events/:id``)."""
        return await self._get_one(f"/events/{event_id}", parse_event)

    # -- schedules ---------------------------------------------------------------
    async def async_list_schedules(
        self,
        *,
        types: str | Sequence[str] | None = None,
        sort: str | Sequence[str] | None = None,
    ) -> ResourceList[AnySchedule]:
        """Return schedules of every (or the given) type (``GET /schedules``)."""
        return await self._list(
            "/schedules", parse_schedule, filter_params(types=types, sort=sort)
        )

    async def async_list_schedules_page(
        self,
        page: int = 1,
        per_page: int = 50,
        *,
        types: str | Sequence[str] | None = None,
    ) -> Page[AnySchedule]:
        """Return one page of schedules."""
        return await self._page(
            "/schedules", parse_schedule, filter_params(types=types), page, per_page
        )

    async def async_get_schedule(self, schedule_id: str) -> AnySchedule:
        """Return one schedule (``GET /schedules/:id``)."""
        return await self._get_one(f"/schedules/{schedule_id}", parse_schedule)

    async def _create_schedule(
        self, schedule_type: str, name: str, week: Week[Any], **extra: Any
    ) -> AnySchedule:
        values = {"name": name, **week.to_json(), **extra}
        return await self._create("/schedules", parse_schedule, values, schedule_type)

    async def async_create_access_schedule(
        self,
        *,
        name: str,
        week: Week[TimeWindow],
        access_exception_id: str | None = None,
    ) -> AccessSchedule:
        """Create an access schedule (``POST /schedules``)."""
        return expect(
            await self._create_schedule(
                ACCESS_SCHEDULE, name, week, access_exception_id=access_exception_id
            ),
            AccessSchedule,
        )

    async def async_create_auto_lock_schedule(
        self, *, name: str, week: Week[AutoLockSwitch]
    ) -> AutoLockSchedule:
        """Create an auto lock schedule (``POST /schedules``)."""
        return expect(
            await self._create_schedule(AUTO_LOCK_SCHEDULE, name, week),
            AutoLockSchedule,
        )

    async def async_create_lock_action_schedule(
        self, *, name: str, week: Week[ScheduledAction]
    ) -> LockActionSchedule:
        """Create a lock action schedule (actions ``lock``/``unlock``)."""
        return expect(
            await self._create_schedule(LOCK_ACTION_SCHEDULE, name, week),
            LockActionSchedule,
        )

    async def async_create_power_plug_schedule(
        self, *, name: str, week: Week[ScheduledAction]
    ) -> PowerPlugSchedule:
        """Create a power plug schedule (actions ``on``/``off``)."""
        return expect(
            await self._create_schedule(POWER_PLUG_SCHEDULE, name, week),
            PowerPlugSchedule,
        )

    async def async_create_thermostat_schedule(
        self, *, name: str, week: Week[ThermostatSetpoints]
    ) -> ThermostatSchedule:
        """Create a thermostat schedule (``cool``/``heat`` set points)."""
        return expect(
            await self._create_schedule(THERMOSTAT_SCHEDULE, name, week),
            ThermostatSchedule,
        )

    async def async_update_schedule(
        self,
        schedule_id: str,
        *,
        name: str | None = None,
        week: Week[Any] | None = None,
        access_exception_id: str | None = None,
    ) -> AnySchedule:
        """Change a schedule (``PUT /schedules/:id``); ``week`` replaces every day."""
        values: dict[str, Any] = {
            "name": name,
            "access_exception_id": access_exception_id,
        }
        if week is not None:
            values.update(week.to_json())
        return await self._update(f"/schedules/{schedule_id}", parse_schedule, values)

    async def async_delete_schedule(self, schedule_id: str) -> None:
        """Delete a schedule (``DELETE /schedules/:id``)."""
        await self._delete(f"/schedules/{schedule_id}")

    # -- notification subscribers ------------------------------------------------
    async def async_list_notification_subscribers(
        self,
        *,
        types: str | Sequence[str] | None = None,
        sort: str | Sequence[str] | None = None,
    ) -> ResourceList[AnySubscriber]:
        """Return every notification subscriber (``GET /notification_subscribers``)."""
        return await self._list(
            "/notification_subscribers",
            parse_subscriber,
            filter_params(types=types, sort=sort),
        )

    async def async_list_notification_subscribers_page(
        self, page: int = 1, per_page: int = 50
    ) -> Page[AnySubscriber]:
        """Return one page of notification subscribers."""
        return await self._page(
            "/notification_subscribers", parse_subscriber, None, page, per_page
        )

    async def async_get_notification_subscriber(
        self, subscriber_id: str
    ) -> AnySubscriber:
        """Return one subscriber (``GET /notification_subscribers/:id``)."""
        return await self._get_one(
            f"/notification_subscribers/{subscriber_id}", parse_subscriber
        )

    async def _create_subscriber(
        self, subscriber_type: str, values: dict[str, Any]
    ) -> AnySubscriber:
        return await self._create(
            "/notification_subscribers", parse_subscriber, values, subscriber_type
        )

    async def async_create_email_subscriber(
        self, *, name: str, email: str, active: bool | None = None
    ) -> EmailSubscriber:
        """Create an e-mail notification subscriber."""
        return expect(
            await self._create_subscriber(
                EMAIL_SUBSCRIBER, {"name": name, "email": email, "active": active}
            ),
            EmailSubscriber,
        )

    async def async_create_text_subscriber(
        self, *, name: str, phone: str, carrier: str, active: bool | None = None
    ) -> TextSubscriber:
        """Create a text message notification subscriber."""
        return expect(
            await self._create_subscriber(
                TEXT_SUBSCRIBER,
                {"name": name, "phone": phone, "carrier": carrier, "active": active},
            ),
            TextSubscriber,
        )

    async def async_create_webhook_subscriber(
        self,
        *,
        name: str,
        url: str,
        content_type: str = "json",
        secret: str | None = None,
        active: bool | None = None,
    ) -> WebhookSubscriber:
        """Create a webhook subscriber (HTTPS ``url``; ``content_type`` json/form).

        The service sends ``secret`` back in the ``X-Secret`` header of each call.
        """
        values = {
            "name": name,
            "url": url,
            "content_type": content_type,
            "secret": secret,
            "active": active,
        }
        return expect(
            await self._create_subscriber(WEBHOOK_SUBSCRIBER, values), WebhookSubscriber
        )

    async def async_update_notification_subscriber(
        self,
        subscriber_id: str,
        *,
        name: str | None = None,
        active: bool | None = None,
        email: str | None = None,
        phone: str | None = None,
        carrier: str | None = None,
        url: str | None = None,
        content_type: str | None = None,
        secret: str | None = None,
    ) -> AnySubscriber:
        """Change a subscriber (``PUT /notification_subscribers/:id``)."""
        values = {
            "name": name,
            "active": active,
            "email": email,
            "phone": phone,
            "carrier": carrier,
            "url": url,
            "content_type": content_type,
            "secret": secret,
        }
        return await self._update(
            f"/notification_subscribers/{subscriber_id}", parse_subscriber, values
        )

    async def async_delete_notification_subscriber(self, subscriber_id: str) -> None:
        """Delete a subscriber (``DELETE /notification_subscribers/:id``)."""
        await self._delete(f"/notification_subscribers/{subscriber_id}")

    # -- notification subscriptions ----------------------------------------------
    async def async_list_notification_subscriptions(
        self, *, sort: str | Sequence[str] | None = None
    ) -> ResourceList[NotificationSubscription]:
        """Return every subscription (``GET /notification_subscriptions``)."""
        return await self._list(
            "/notification_subscriptions", parse_subscription, filter_params(sort=sort)
        )

    async def async_list_notification_subscriptions_page(
        self, page: int = 1, per_page: int = 50
    ) -> Page[NotificationSubscription]:
        """Return one page of notification subscriptions."""
        return await self._page(
            "/notification_subscriptions", parse_subscription, None, page, per_page
        )

    async def async_get_notification_subscription(
        self, subscription_id: str
    ) -> NotificationSubscription:
        """Return one subscription (``GET /notification_subscriptions/:id``)."""
        return await self._get_one(
            f"/notification_subscriptions/{subscription_id}", parse_subscription
        )

    async def async_create_notification_subscription(
        self,
        *,
        events: Sequence[str | Mapping[str, Any]],
        publisher_type: str,
        publisher_id: str,
        subscriber_type: str,
        subscriber_id: str,
    ) -> NotificationSubscription:
        """Subscribe a subscriber to a publisher's events.

        ``events`` are event type names (``"unlocked"``) or full objects such as
        ``{"event_type": "access_person_used", "first_access": True}``.
        """
        values = {
            "events": _events(events),
            "publisher_type": publisher_type,
            "publisher_id": publisher_id,
            "subscriber_type": subscriber_type,
            "subscriber_id": subscriber_id,
        }
        return await self._create(
            "/notification_subscriptions", parse_subscription, values
        )

    async def async_update_notification_subscription(
        self,
        subscription_id: str,
        *,
        events: Sequence[str | Mapping[str, Any]] | None = None,
        publisher_type: str | None = None,
        publisher_id: str | None = None,
        subscriber_type: str | None = None,
        subscriber_id: str | None = None,
    ) -> NotificationSubscription:
        """Change a subscription (``PUT /notification_subscriptions/:id``)."""
        values = {
            "events": None if events is None else _events(events),
            "publisher_type": publisher_type,
            "publisher_id": publisher_id,
            "subscriber_type": subscriber_type,
            "subscriber_id": subscriber_id,
        }
        return await self._update(
            f"/notification_subscriptions/{subscription_id}", parse_subscription, values
        )

    async def async_delete_notification_subscription(
        self, subscription_id: str
    ) -> None:
        """Delete a subscription (``DELETE /notification_subscriptions/:id``)."""
        await self._delete(f"/notification_subscriptions/{subscription_id}")

    # -- notifications -----------------------------------------------------------
    async def async_list_notifications(self) -> ResourceList[Notification]:
        """Return every notification sent (``GET /notifications``)."""
        return await self._list("/notifications", parse_notification)

    async def async_list_notifications_page(
        self, page: int = 1, per_page: int = 50
    ) -> Page[Notification]:
        """Return one page of notifications."""
        return await self._page(
            "/notifications", parse_notification, None, page, per_page
        )
