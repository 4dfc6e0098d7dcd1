"""State of the simulated RemoteLock cloud: records, tokens, rate limit, events, webhooks.

:class:`RemoteLockState` holds everything the API changes and the event machinery
(notifications, webhook deliveries, auto-relock). It knows nothing of HTTP: the route
modules operate on it, and :mod:`.simulator` wires it to the aiohttp app.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from simulator.common import Clock, SimulatorBase

from . import scenario
from .const import DEFAULT_RATE_LIMIT, DEFAULT_RATE_WINDOW
from .events import build_event
from .oauth import OAuthServer
from .ratelimit import RateLimit
from .store import (
    COLLECTIONS,
    Collection,
    Record,
    State,
    iso,
    links_for,
    new_id,
    parse_iso,
    public,
)
from .webhooks import WebhookDispatcher

DEFAULT_SETTINGS: dict[str, Any] = {
    "rate_limit": DEFAULT_RATE_LIMIT,
    "rate_limit_window": DEFAULT_RATE_WINDOW,
    "guest_time_zone": "America/Denver",
    "auto_relock": True,
    "temporary_unlock_seconds": 5,
    "require_https_webhooks": False,
    "strict_resort_lock_hours": False,
}


class RemoteLockState(SimulatorBase):
    """The state of the RemoteLock cloud, API v1, and what changes it.

    State is plain records in ``self.state`` (also reachable as ``sim.devices``,
    ``sim.locations``, ``sim.events``, ...), tokens in ``self.oauth``, the request
    budget in ``self.rate_limit``, webhook delivery attempts in
    ``self.webhooks.attempts`` and the e-mails the API "sent" in ``self.emails``.
    """

    vendor = "remotelock"

    def __init__(self, clock: Clock | None = None) -> None:
        """Create an empty simulator (call :meth:`load_scenario` to fill it)."""
        super().__init__(clock)
        self.state = State()
        self.oauth = OAuthServer(self.clock)
        self.rate_limit = RateLimit()
        self.webhooks = WebhookDispatcher(self.clock, self.subscriber, self.render)
        self.emails: list[dict[str, Any]] = []
        self.base_url = "http://127.0.0.1"

    # -- collections (Python-level access for tests) ---------------------------------
    @property
    def settings(self) -> dict[str, Any]:
        """Return the scenario settings (rate limit, time zone, behaviour switches)."""
        return self.state.settings

    @property
    def account(self) -> Record:
        """Return the account record."""
        return self.state.account

    @property
    def locations(self) -> Collection:
        """Return locations by id."""
        return self.state.locations

    @property
    def models(self) -> Collection:
        """Return models by id."""
        return self.state.models

    @property
    def devices(self) -> Collection:
        """Return devices (locks, thermostats, power plugs, resort locks, ACS doors) by id."""
        return self.state.devices

    @property
    def access_persons(self) -> Collection:
        """Return access users and guests by id."""
        return self.state.access_persons

    @property
    def accesses(self) -> Collection:
        """Return access person accesses by id."""
        return self.state.accesses

    @property
    def events(self) -> Collection:
        """Return events by id (insertion order)."""
        return self.state.events

    @property
    def schedules(self) -> Collection:
        """Return schedules by id."""
        return self.state.schedules

    @property
    def resort_lock_guests(self) -> Collection:
        """Return resort lock guests by id."""
        return self.state.resort_lock_guests

    @property
    def notification_subscribers(self) -> Collection:
        """Return notification subscribers by id."""
        return self.state.notification_subscribers

    def subscriber(self, subscriber_id: str) -> Record | None:
        """Return the notification subscriber ``subscriber_id`` (None when gone)."""
        return self.state.notification_subscribers.get(subscriber_id)

    # -- scenarios (SimulatorBase) ------------------------------------------------------
    def default_scenario(self) -> dict[str, Any]:
        """Return the built-in scenario (every device type, two time zones)."""
        return scenario.default_scenario(self.clock.now())

    def load_scenario(self, data: dict[str, Any]) -> None:
        """Replace the whole state with ``data`` (see :meth:`dump_state` for the format)."""
        data = copy.deepcopy(data)
        state = State()
        state.account = data["account"]
        state.account.setdefault("type", "account")
        state.user = data["user"]
        state.user.setdefault("type", "user")
        state.password = state.user.pop("password", data.get("password", ""))
        state.applications = data.get("applications", [])
        state.settings = {**DEFAULT_SETTINGS, **data.get("settings", {})}
        for name in COLLECTIONS:
            collection = state.collection(name)
            for record in data.get(name, []):
                collection[record["id"]] = record
        self.state = state
        self.oauth.reset(
            state.applications,
            state.account["id"],
            state.user["id"],
            state.user["attributes"]["email"],
            state.password,
        )
        self.rate_limit = RateLimit(
            limit=int(state.settings["rate_limit"]),
            window_seconds=int(state.settings["rate_limit_window"]),
        )
        self.webhooks.clear()
        self.emails.clear()

    def dump_state(self) -> dict[str, Any]:
        """Return the whole state in scenario format (``load_scenario`` accepts it)."""
        user = copy.deepcopy(self.state.user)
        user["password"] = self.state.password
        data: dict[str, Any] = {
            "account": copy.deepcopy(self.state.account),
            "user": user,
            "applications": copy.deepcopy(self.state.applications),
            "settings": {
                **self.state.settings,
                "rate_limit": self.rate_limit.limit,
                "rate_limit_window": self.rate_limit.window_seconds,
            },
        }
        for name in COLLECTIONS:
            data[name] = copy.deepcopy(list(self.state.collection(name).values()))
        data["webhook_deliveries"] = self.webhooks.dump()
        data["emails"] = copy.deepcopy(self.emails)
        return data

    async def async_flush_webhooks(self) -> None:
        """Wait for every webhook delivery in flight (for tests)."""
        await self.webhooks.flush()

    # -- helpers used by the route modules and triggers -------------------------------
    def now(self) -> datetime:
        """Return the simulated time."""
        return self.clock.now()

    def now_iso(self) -> str:
        """Return the simulated time in API format."""
        return iso(self.clock.now())

    def touch(self, record: Record) -> None:
        """Set ``updated_at`` to now."""
        record["attributes"]["updated_at"] = self.now_iso()

    def guest_zone(self) -> ZoneInfo:
        """Return the time zone that naive guest times are read in."""
        return ZoneInfo(self.settings.get("guest_time_zone", "UTC"))

    def person_status(self, record: Record) -> str:
        """Return the current status of an access person (guests change with time)."""
        attrs = record["attributes"]
        if attrs.get("status") == "deactivated" or record["type"] == "access_user":
            return str(attrs.get("status") or "current")
        zone = self.guest_zone()
        now = self.clock.now()
        starts = datetime.fromisoformat(attrs["starts_at"]).replace(tzinfo=zone)
        ends = datetime.fromisoformat(attrs["ends_at"]).replace(tzinfo=zone)
        if now >= ends:
            return "expired"
        return "upcoming" if now < starts else "current"

    def render(self, record: Record) -> Record:
        """Return the JSON form of a record (links, computed status, meta)."""
        data = public(record)
        if record["type"] in ("access_user", "access_guest"):
            status = self.person_status(record)
            data["attributes"]["status"] = status
            data["links"] = links_for(record, self.base_url)
            if status in ("deactivated", "expired"):
                data["meta"] = {"restricted_actions": ["update"]}
            return data
        data["links"] = links_for(record, self.base_url)
        restricted = record.get("_restricted_actions")
        if restricted:
            data["meta"] = {"restricted_actions": list(restricted)}
        return data

    def time_zone_of(self, record: Record | None) -> str:
        """Return the time zone of a device's location (guest zone otherwise)."""
        if record is not None:
            location = self.state.locations.get(
                record["attributes"].get("location_id") or ""
            )
            if location is not None:
                return str(location["attributes"]["time_zone"])
        return str(self.settings.get("guest_time_zone", "UTC"))

    def add_event(
        self,
        event_type: str,
        publisher: Record,
        *,
        source: str = "device",
        status: str = "succeeded",
        associated: Record | None = None,
        details: dict[str, Any] | None = None,
        occurred_at: datetime | None = None,
        device: Record | None = None,
    ) -> Record:
        """Record a new event, create notifications and start webhook deliveries."""
        now = self.clock.now()
        event = build_event(
            event_type,
            publisher=publisher,
            occurred_at=occurred_at or now,
            created_at=now,
            time_zone=self.time_zone_of(device or publisher),
            source=source,
            status=status,
            associated=associated,
            details=details,
        )
        self.state.events[event["id"]] = event
        self._notify(event, device or publisher)
        return event

    def _publishers_of(self, event: Record, device: Record) -> set[str]:
        attrs = event["attributes"]
        ids = {self.state.account["id"], attrs["publisher_id"]}
        if attrs.get("associated_resource_id"):
            ids.add(attrs["associated_resource_id"])
        if device["attributes"].get("location_id"):
            ids.add(device["attributes"]["location_id"])
        return ids

    def _notify(self, event: Record, device: Record) -> None:
        base_type = event["type"].removesuffix("_event")
        publishers = self._publishers_of(event, device)
        notified: set[str] = set()
        for subscription in self.state.notification_subscriptions.values():
            attrs = subscription["attributes"]
            if attrs["publisher_id"] not in publishers:
                continue
            if base_type not in {e.get("event_type") for e in attrs.get("events", [])}:
                continue
            subscriber = self.state.notification_subscribers.get(attrs["subscriber_id"])
            if subscriber is None or subscriber["id"] in notified:
                continue
            if not subscriber["attributes"].get("active", True):
                continue
            notified.add(subscriber["id"])
            now = self.now_iso()
            notification: Record = {
                "id": new_id(),
                "type": "notification",
                "attributes": {
                    "created_at": now,
                    "updated_at": now,
                    "subscriber_id": subscriber["id"],
                    "subscriber_type": subscriber["type"],
                    "publisher_id": event["attributes"]["publisher_id"],
                    "publisher_type": event["attributes"]["publisher_type"],
                    "event_id": event["id"],
                    "event_type": event["type"],
                },
            }
            self.state.notifications[notification["id"]] = notification
            if subscriber["type"] == "webhook_notification_subscriber":
                self.webhooks.deliver(subscriber, event)

    def settle(self) -> None:
        """Apply time-based changes that are due (auto-relock, webhook retries)."""
        now = self.clock.now()
        for device in self.state.devices.values():
            due = device.get("_relock_at")
            if due and parse_iso(due) <= now:
                device.pop("_relock_at")
                device["attributes"]["state"] = "locked"
                device["attributes"]["updated_at"] = iso(now)
                self.add_event(
                    "locked",
                    device,
                    source="device",
                    details={"method": "auto_lock"},
                    occurred_at=parse_iso(due),
                )
        self.webhooks.retry_due()

    def schedule_relock(self, device: Record, seconds: float) -> None:
        """Relock ``device`` ``seconds`` from now (applied lazily by :meth:`settle`)."""
        device["_relock_at"] = iso(self.clock.now() + timedelta(seconds=seconds))
