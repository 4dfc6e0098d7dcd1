"""Delivery of events to webhook notification subscribers.

Each delivery runs in a tracked background task: POST to the subscriber's URL with
the ``X-Secret`` header, body ``{"data": <event>}`` as JSON or as a Rails-style
form (``data[attributes][source]=user``). A failed delivery (non-2xx, error or no
answer within 3 s) is retried every hour (simulator clock) for 72 hours after the
first failure; then the subscriber is deactivated, as the document describes.

The dispatcher is given the clock, a subscriber lookup and the event renderer, so it
does not depend on the simulator class that owns it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
import json
from typing import Any
from urllib.parse import urlencode

import aiohttp

from .common_types import ClockLike
from .store import Record, iso

DELIVERY_TIMEOUT = 3.0
RETRY_EVERY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=72)


@dataclass
class DeliveryAttempt:
    """One POST to a webhook (what tests inspect)."""

    subscriber_id: str
    event_id: str
    event_type: str
    url: str
    content_type: str
    attempt: int
    at: str
    status: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Return whether the receiver acknowledged with a 2xx status."""
        return self.status is not None and 200 <= self.status < 300


@dataclass
class PendingRetry:
    """A delivery that failed and waits for its next hourly attempt."""

    subscriber_id: str
    event: Record
    first_failure: datetime
    next_attempt: datetime
    attempts: int


def form_encode(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Flatten nested data into Rails-style form pairs (``a[b][]=c``)."""
    pairs: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            pairs.extend(form_encode(value, f"{prefix}[{key}]" if prefix else str(key)))
    elif isinstance(data, list):
        for value in data:
            pairs.extend(form_encode(value, f"{prefix}[]"))
    elif data is None:
        pairs.append((prefix, ""))
    elif isinstance(data, bool):
        pairs.append((prefix, "true" if data else "false"))
    else:
        pairs.append((prefix, str(data)))
    return pairs


@dataclass
class WebhookDispatcher:
    """Background deliveries, their log and the retry queue.

    ``subscriber`` looks a notification subscriber up by id (None when it is gone);
    ``render`` gives the JSON form of an event (the webhook body's ``data``).
    """

    clock: ClockLike
    subscriber: Callable[[str], Record | None]
    render: Callable[[Record], Record]
    attempts: list[DeliveryAttempt] = field(default_factory=list)
    retries: list[PendingRetry] = field(default_factory=list)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _session: aiohttp.ClientSession | None = None

    def deliver(self, subscriber: Record, event: Record, attempt: int = 1) -> None:
        """Start delivering ``event`` to ``subscriber`` in the background.

        Without a running event loop (synchronous test code) the delivery is queued as
        a retry, so the next ``settle`` inside the loop sends it.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._schedule_retry(subscriber["id"], event, attempt - 1)
            self.retries[-1].next_attempt = self.clock.now()
            return
        task = loop.create_task(self._deliver(subscriber["id"], event, attempt))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _deliver(self, subscriber_id: str, event: Record, attempt: int) -> None:
        subscriber = self.subscriber(subscriber_id)
        if subscriber is None:
            return
        attrs = subscriber["attributes"]
        payload = {"data": self.render(event)}
        headers = {"X-Secret": attrs.get("secret") or ""}
        if attrs.get("content_type") == "json":
            body = json.dumps(payload)
            headers["Content-Type"] = "application/json"
        else:
            body = urlencode(form_encode(payload))
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        record = DeliveryAttempt(
            subscriber_id=subscriber_id,
            event_id=event["id"],
            event_type=event["type"],
            url=attrs["url"],
            content_type=attrs.get("content_type") or "form",
            attempt=attempt,
            at=iso(self.clock.now()),
        )
        self.attempts.append(record)
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        try:
            async with self._session.post(
                attrs["url"],
                data=body.encode(),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=DELIVERY_TIMEOUT),
            ) as response:
                record.status = response.status
                await response.read()
        except Exception as err:  # noqa: BLE001 - any failure is a failed delivery
            record.error = type(err).__name__
        if record.ok:
            self.acknowledge(subscriber_id, event["id"])
        else:
            self._schedule_retry(subscriber_id, event, attempt)

    def _schedule_retry(self, subscriber_id: str, event: Record, attempt: int) -> None:
        now = self.clock.now()
        for retry in self.retries:
            if (
                retry.subscriber_id == subscriber_id
                and retry.event["id"] == event["id"]
            ):
                retry.attempts = attempt
                retry.next_attempt = now + RETRY_EVERY
                return
        self.retries.append(
            PendingRetry(subscriber_id, event, now, now + RETRY_EVERY, attempt)
        )

    def retry_due(self) -> int:
        """Start every retry that is due; deactivate subscribers failing for 72 h."""
        now = self.clock.now()
        started = 0
        for retry in list(self.retries):
            if retry.next_attempt > now:
                continue
            self.retries.remove(retry)
            subscriber = self.subscriber(retry.subscriber_id)
            if subscriber is None or not subscriber["attributes"].get("active", True):
                continue
            if now - retry.first_failure > GIVE_UP_AFTER:
                subscriber["attributes"]["active"] = False
                subscriber["attributes"]["updated_at"] = iso(now)
                continue
            self.retries.append(
                PendingRetry(
                    retry.subscriber_id,
                    retry.event,
                    retry.first_failure,
                    now + RETRY_EVERY,
                    retry.attempts + 1,
                )
            )
            self.deliver(subscriber, retry.event, retry.attempts + 1)
            started += 1
        return started

    def acknowledge(self, subscriber_id: str, event_id: str) -> None:
        """Drop the pending retry of a delivery that finally succeeded."""
        self.retries = [
            r
            for r in self.retries
            if not (r.subscriber_id == subscriber_id and r.event["id"] == event_id)
        ]

    async def flush(self) -> None:
        """Wait until every delivery in flight has finished."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    async def close(self) -> None:
        """Cancel deliveries in flight and close the HTTP session."""
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
        self.tasks.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def clear(self) -> None:
        """Forget the log and the retry queue (scenario reload)."""
        self.attempts.clear()
        self.retries.clear()

    def dump(self) -> list[dict[str, Any]]:
        """Return the attempts as JSON-able dicts."""
        return [asdict(attempt) for attempt in self.attempts]
