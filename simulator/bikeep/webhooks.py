"""Webhooks the simulated Bikeep cloud sends to endpoints "registered by Bikeep staff".

The guide lists the types (``connection``, ``connection_confirmed``, ``alarm``,
``status``) but points elsewhere for the payload, so the body is the simulator's
guess (see :func:`event_body`); the ``send_webhook`` trigger can also send any body.

An endpoint gets *direct* deliveries (one POST per event, at once: the guide's
on-request sub-second delivery) or, with ``aggregate``, collects events until the
``flush_webhooks`` trigger POSTs them as one JSON list (the default 1-15 minute
aggregation). A delivery is awaited (at most 3 s) and logged; failures are not
retried (the guide says nothing about retries).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
import json
from typing import Any

import aiohttp

from .model import Device, Location
from .timeutil import fmt

DELIVERY_TIMEOUT = 3.0
JSON = "application/json"
WEBHOOK_TYPES = ("connection", "connection_confirmed", "alarm", "status")


@dataclass
class Endpoint:
    """A URL registered for some webhook types."""

    url: str
    types: tuple[str, ...] = WEBHOOK_TYPES
    aggregate: bool = False
    pending: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the control API form."""
        return {
            "url": self.url,
            "types": list(self.types),
            "aggregate": self.aggregate,
            "pending": len(self.pending),
        }


@dataclass
class Delivery:
    """One POST to an endpoint (what tests inspect)."""

    url: str
    types: list[str]
    content_type: str
    body: str
    at: str
    status: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Return whether the endpoint answered 2xx."""
        return self.status is not None and 200 <= self.status < 300


def event_body(
    kind: str,
    now: datetime,
    location: Location,
    device: Device | None = None,
    message: str | None = None,
    connection: str | None = None,
) -> dict[str, Any]:
    """Return one event as the simulator sends it (the guide has no format)."""
    body: dict[str, Any] = {
        "type": kind,
        "created_at": fmt(now),
        "location": {
            "id": location.id,
            "label": location.label,
            "name": location.name,
        },
    }
    if device is not None:
        body["device"] = {
            "id": device.id,
            "type": device.type,
            "alias": device.alias,
            "code": device.code,
            "uri": f"/device/v1/devices/{device.id}",
        }
    if connection is not None:
        body["connection"] = connection
    if message is not None:
        body["message"] = message
    return body


@dataclass
class WebhookSender:
    """Registered endpoints, their deliveries and the HTTP session that sends them."""

    endpoints: list[Endpoint] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    _session: aiohttp.ClientSession | None = None

    def register(
        self, url: str, types: tuple[str, ...] = WEBHOOK_TYPES, aggregate: bool = False
    ) -> Endpoint:
        """Register (or replace) the endpoint for ``url``."""
        unknown = sorted(set(types) - set(WEBHOOK_TYPES))
        if unknown or not types:
            raise ValueError(f"types must be some of {', '.join(WEBHOOK_TYPES)}")
        self.unregister(url)
        endpoint = Endpoint(url=url, types=tuple(types), aggregate=aggregate)
        self.endpoints.append(endpoint)
        return endpoint

    def unregister(self, url: str | None = None) -> int:
        """Remove the endpoint of ``url`` (every endpoint without one); return how many."""
        before = len(self.endpoints)
        self.endpoints = [e for e in self.endpoints if url is not None and e.url != url]
        return before - len(self.endpoints)

    async def send(self, event: dict[str, Any], now: datetime) -> list[Delivery]:
        """Send ``event`` to every endpoint of its type (aggregating ones: queue it)."""
        sent = []
        for endpoint in self.endpoints:
            if event.get("type") not in endpoint.types:
                continue
            if endpoint.aggregate:
                endpoint.pending.append(event)
            else:
                sent.append(await self.post(endpoint.url, event, [event["type"]], now))
        return sent

    async def flush(self, now: datetime) -> list[Delivery]:
        """POST each aggregating endpoint's queued events as one JSON list."""
        sent = []
        for endpoint in self.endpoints:
            if endpoint.pending:
                events, endpoint.pending = endpoint.pending, []
                types = [str(event.get("type")) for event in events]
                sent.append(await self.post(endpoint.url, events, types, now))
        return sent

    async def post(
        self,
        url: str,
        payload: Any,
        types: list[str],
        now: datetime,
        *,
        raw: str | None = None,
        content_type: str = JSON,
    ) -> Delivery:
        """POST ``payload`` as JSON (or ``raw`` text as given) and log the delivery."""
        body = raw if raw is not None else json.dumps(payload)
        delivery = Delivery(
            url=url,
            types=types,
            content_type=content_type,
            body=body,
            at=now.isoformat(),
        )
        self.deliveries.append(delivery)
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        try:
            async with self._session.post(
                url,
                data=body.encode(),
                headers={"Content-Type": content_type},
                timeout=aiohttp.ClientTimeout(total=DELIVERY_TIMEOUT),
            ) as response:
                delivery.status = response.status
                await response.read()
        except (aiohttp.ClientError, TimeoutError) as err:
            delivery.error = type(err).__name__
        return delivery

    def log(self) -> list[dict[str, Any]]:
        """Return the deliveries in control API form."""
        return [asdict(delivery) | {"ok": delivery.ok} for delivery in self.deliveries]

    async def close(self) -> None:
        """Close the HTTP session (app clean-up)."""
        if self._session is not None:
            await self._session.close()
            self._session = None
