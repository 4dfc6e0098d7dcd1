"""RemoteLock push: a Home Assistant webhook that RemoteLock calls for every event.

Set-up registers the webhook, finds its public URL (an HA Cloud cloudhook, else the
external URL; RemoteLock requires HTTPS unless the API URL is overridden, as for the
simulator) and adopts or creates the entry's notification subscriber. Without a
usable URL the entry keeps polling and a repair issue says how to enable push.

A delivery is checked (``X-Secret``, in constant time), parsed by the same code
that reads ``/events``, answered at once and processed in the background by
:class:`~.remotelock_event_log.RemoteLockEventLog`. Each safety-net poll checks that
the subscriber is still active (re-activating or re-creating it) and recovers missed
events from ``/events``.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
import hmac
from http import HTTPStatus
import secrets
from typing import Any

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import instance_id, issue_registry as ir
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.util import dt as dt_util
from yarl import URL

from .api.errors import (
    AuthenticationError,
    MalformedResponseError,
    SmartAccessApiError,
)
from .api.remotelock import RemoteLockClient
from .api.remotelock.models import Event
from .api.remotelock.models.events import parse_webhook_payload
from .cloudhook import async_cloudhook_url, cloud_active
from .const import (
    CONF_API_URL,
    CONF_SUBSCRIBER_ID,
    CONF_WEBHOOK_SECRET,
    DOMAIN,
    LOGGER,
)
from .coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .remotelock_event_log import RemoteLockEventLog
from .remotelock_events import SUBSCRIBED_EVENT_TYPES
from .remotelock_subscriber import (
    WantedSubscriber,
    async_ensure_subscriber,
    async_subscriber_active,
    subscriber_name,
)

ISSUE_PUSH_NEEDS_HTTPS = "push_needs_https"
ISSUE_PUSH_REFUSED = "push_refused"
ISSUE_PUSH_NOT_ARRIVING = "push_not_arriving"
# An event recovered from /events although push was healthy, and older than this
# (by RemoteLock's clock, or by Home Assistant's with room for skew), was a delivery
# that did not arrive: RemoteLock posts each event at once and allows 3 seconds.
DELIVERY_GRACE = timedelta(minutes=1)
CLOCK_SKEW = timedelta(minutes=5)
# Checks in a row that find missed deliveries, with no delivery in between, before
# the repair issue: one outage of a few minutes only switches back to polling.
MISSED_CHECKS_FOR_ISSUE = 2


def ensure_push_keys(hass: HomeAssistant, entry: SmartAccessConfigEntry) -> None:
    """Give an entry its own webhook id and secret.

    Entries made before push lack them; an entry whose data was copied from
    another one (its webhook id already taken) gets new ones too.
    """
    taken = {
        other.data.get(CONF_WEBHOOK_ID)
        for other in hass.config_entries.async_entries(DOMAIN)
        if other.entry_id != entry.entry_id
    }
    webhook_id = entry.data.get(CONF_WEBHOOK_ID)
    if webhook_id and webhook_id not in taken and CONF_WEBHOOK_SECRET in entry.data:
        return
    hass.config_entries.async_update_entry(
        entry,
        data={
            **entry.data,
            CONF_WEBHOOK_ID: webhook.async_generate_id(),
            CONF_WEBHOOK_SECRET: secrets.token_hex(32),
        },
    )


class RemoteLockPush:
    """The push channel of one RemoteLock entry."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartAccessConfigEntry,
        coordinator: RemoteLockCoordinator,
        events: RemoteLockEventLog,
    ) -> None:
        """Use the entry's webhook id and secret (see :func:`ensure_push_keys`)."""
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self.events = events
        self.webhook_id: str = entry.data[CONF_WEBHOOK_ID]
        self._secret: str = entry.data[CONF_WEBHOOK_SECRET]
        self._lock = asyncio.Lock()
        self._registered = False
        # Whether RemoteLock has an active subscriber for our URL: push is healthy.
        self.healthy = False
        self.deliveries = 0
        self.rejected = 0
        # Which URL RemoteLock was given: "cloudhook", "external" or "internal".
        self.url_source: str | None = None
        # The URL RemoteLock was last given, and since when its active subscriber
        # has had it (deliveries are expected from then on).
        self._url: str | None = None
        self._subscribed_since: datetime | None = None
        # Safety-net checks in a row that found deliveries missing.
        self.missed_checks = 0
        self.missed_deliveries = 0

    @property
    def client(self) -> RemoteLockClient:
        """Return the entry's RemoteLock client."""
        return self.coordinator.client

    # -- set-up and tear-down ----------------------------------------------------
    def async_register_webhook(self) -> None:
        """Listen on the Home Assistant webhook (before anything can call it)."""
        webhook.async_register(
            self.hass,
            DOMAIN,
            f"Smart Access {self.entry.title}",
            self.webhook_id,
            self._async_handle,
            allowed_methods=["POST"],
        )
        self._registered = True

    def async_unregister_webhook(self) -> None:
        """Stop listening (unload)."""
        if self._registered:
            webhook.async_unregister(self.hass, self.webhook_id)
            self._registered = False

    async def async_public_url(self) -> str | None:
        """Return the URL RemoteLock can call, or ``None`` (issue raised)."""
        overridden = bool(self.entry.data.get(CONF_API_URL))
        url: str | None = None
        source = "cloudhook"
        if cloud_active(self.hass):
            url = await async_cloudhook_url(self.hass, self.entry, self.webhook_id)
        if url is None:
            source = "external"
            # No HA Cloud, or it is not connected yet (a cloudhook follows when it
            # connects): the external URL, if there is one.
            try:
                url = webhook.async_generate_url(
                    self.hass,
                    self.webhook_id,
                    allow_internal=overridden,
                    prefer_external=True,
                )
            except NoURLAvailableError:
                url = None
            external = self.hass.config.external_url
            if url is not None and not (external and url.startswith(external)):
                source = "internal"
        if url is not None and (URL(url).scheme == "https" or overridden):
            ir.async_delete_issue(
                self.hass, DOMAIN, self._issue(ISSUE_PUSH_NEEDS_HTTPS)
            )
            self.url_source = source
            return url
        self.url_source = None
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self._issue(ISSUE_PUSH_NEEDS_HTTPS),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_PUSH_NEEDS_HTTPS,
            translation_placeholders={"title": self.entry.title},
            learn_more_url="https://www.home-assistant.io/integrations/http/",
        )
        return None

    async def async_connect(self) -> None:
        """Adopt or create the subscriber; push is healthy once it exists."""
        async with self._lock:
            url = await self.async_public_url()
            if url is None:
                self._subscribed_since = None
                self._set_healthy(False)
                return
            wanted = WantedSubscriber(
                name=subscriber_name(await instance_id.async_get(self.hass)),
                url=url,
                secret=self._secret,
            )
            try:
                state = await async_ensure_subscriber(
                    self.client, wanted, self.entry.data.get(CONF_SUBSCRIBER_ID)
                )
            except AuthenticationError:
                raise
            except SmartAccessApiError as err:
                LOGGER.info("RemoteLock push not set up yet (%s); polling", err)
                self._refused(err)
                return
            ir.async_delete_issue(self.hass, DOMAIN, self._issue(ISSUE_PUSH_REFUSED))
            if (
                self._subscribed_since is None
                or url != self._url
                or state.created
                or state.changed
            ):
                # A new address or a revived subscriber: deliveries get a new chance.
                self._subscribed_since = dt_util.utcnow()
                self.missed_checks = 0
            self._url = url
            if self.entry.data.get(CONF_SUBSCRIBER_ID) != state.subscriber_id:
                self.hass.config_entries.async_update_entry(
                    self.entry,
                    data={**self.entry.data, CONF_SUBSCRIBER_ID: state.subscriber_id},
                )
            self._set_healthy(self.missed_checks == 0)

    async def async_check(self) -> None:
        """Safety net (each poll): subscriber still active? Then recover missed events.

        A deactivated or deleted subscriber (72 hours of failed deliveries, or
        someone removed it in the portal) is re-activated or re-created, and a
        changed address (HA Cloud, the external URL) is handed to RemoteLock.
        Events recovered although push was healthy are deliveries that did not
        arrive: push counts as not working (normal polling) until one arrives, and
        a repair issue says so when it happens at two checks in a row.
        """
        subscriber_id = self.entry.data.get(CONF_SUBSCRIBER_ID)
        try:
            active = subscriber_id is not None and await async_subscriber_active(
                self.client, subscriber_id
            )
        except AuthenticationError:
            raise
        except SmartAccessApiError as err:
            LOGGER.debug("Could not check the RemoteLock subscriber: %s", err)
            active = self.healthy
        if not active:
            if self.healthy:
                LOGGER.info("RemoteLock push subscriber inactive; setting it up again")
            self._subscribed_since = None
            self._set_healthy(False)
            await self.async_connect()
        elif await self.async_public_url() != self._url:
            await self.async_connect()
        since = self._subscribed_since
        recovered = await self.events.async_recover()
        if since is not None and (missed := self._missed(recovered, since)):
            self._deliveries_missing(missed)

    def _missed(self, recovered: list[Event], since: datetime) -> int:
        """Count recovered events that push should have brought."""
        if not recovered:
            return 0
        times = [e.created_at for e in recovered if e.created_at is not None]
        head = max(times, default=None)
        now = dt_util.utcnow()
        return sum(
            1
            for event in recovered
            if event.kind in SUBSCRIBED_EVENT_TYPES
            and (created := event.created_at) is not None
            and created >= since - CLOCK_SKEW
            and (
                (head is not None and created < head - DELIVERY_GRACE)
                or created < now - CLOCK_SKEW
            )
        )

    def _deliveries_missing(self, missed: int) -> None:
        self.missed_deliveries += missed
        self.missed_checks += 1
        LOGGER.info(
            "%s RemoteLock event(s) reached Home Assistant only through /events; "
            "polling at the normal interval until deliveries arrive again",
            missed,
        )
        self._set_healthy(False)
        if self.missed_checks >= MISSED_CHECKS_FOR_ISSUE:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                self._issue(ISSUE_PUSH_NOT_ARRIVING),
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=ISSUE_PUSH_NOT_ARRIVING,
                translation_placeholders={
                    "title": self.entry.title,
                    "source": self.url_source or "unknown",
                },
            )

    def diagnostics(self) -> dict[str, Any]:
        """Return how push goes; never the secret, the webhook id or the URL."""
        return {
            "healthy": self.healthy,
            "registered": self._registered,
            "url_source": self.url_source,
            "deliveries": self.deliveries,
            "rejected": self.rejected,
            "missed_deliveries": self.missed_deliveries,
            **self.events.diagnostics(),
        }

    def _set_healthy(self, healthy: bool) -> None:
        if healthy != self.healthy:
            self.healthy = healthy
            self.coordinator.set_push_healthy(healthy)

    def _refused(self, err: SmartAccessApiError) -> None:
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self._issue(ISSUE_PUSH_REFUSED),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_PUSH_REFUSED,
            translation_placeholders={"title": self.entry.title, "error": str(err)},
        )
        self._subscribed_since = None
        self._set_healthy(False)

    def _issue(self, kind: str) -> str:
        return f"{kind}_{self.entry.entry_id}"

    # -- deliveries --------------------------------------------------------------
    async def _async_handle(
        self, hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        """Check, parse, acknowledge; process in the background."""
        given = request.headers.get("X-Secret", "")
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            self.rejected += 1
            LOGGER.debug("RemoteLock webhook call without the right secret refused")
            return web.Response(status=HTTPStatus.UNAUTHORIZED)
        body = await request.read()
        try:
            event = parse_webhook_payload(body, request.headers.get("Content-Type"))
        except MalformedResponseError as err:
            self.rejected += 1
            LOGGER.debug("RemoteLock webhook call with a malformed body: %s", err)
            return web.Response(status=HTTPStatus.BAD_REQUEST)
        self.deliveries += 1
        if self.missed_checks:
            self.missed_checks = 0
            ir.async_delete_issue(
                self.hass, DOMAIN, self._issue(ISSUE_PUSH_NOT_ARRIVING)
            )
        if not self.healthy:
            # Deliveries arrive: whatever the last check said, push works.
            self._set_healthy(True)
        self.entry.async_create_background_task(
            hass,
            self.events.async_process([event]),
            f"{DOMAIN} remotelock event",
        )
        return web.Response(status=HTTPStatus.OK)
