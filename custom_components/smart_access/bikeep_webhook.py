"""The Bikeep webhook: a Home Assistant webhook that Bikeep staff register for us.

Bikeep sends ``connection``, ``connection_confirmed``, ``alarm`` and ``status``
webhooks to an endpoint the operator gives them; the payload format is not
documented. Each Bikeep entry therefore registers a Home Assistant webhook whose
unguessable id is the credential, and the config flow and the options step show its
URL for the operator to pass on.

A delivery never sets state from its body. It pokes a refresh of the stations it
names (their ids, or the ids of their devices, matched against the snapshot), or of
the whole account when it names none we know, at most one refresh per 10 seconds.
A delivery that recognisably carries ``alarm`` or ``connection_confirmed`` also fires
the ``smart_access_bikeep_alarm`` bus event and raises a repair issue naming the
station. Bodies and the webhook id are never logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.util import dt as dt_util

from .api.bikeep import (
    ALARM_KINDS,
    MalformedWebhookError,
    WebhookEvent,
    WebhookKind,
    parse_webhook,
)
from .const import DOMAIN, LOGGER
from .coordinator import BikeepCoordinator, SmartAccessConfigEntry

EVENT_BIKEEP_ALARM = f"{DOMAIN}_bikeep_alarm"
# Repair issues, one per station: f"{kind}_{entry_id}_{location_id}".
ISSUE_BIKEEP_ALARM = "bikeep_alarm"
ISSUE_BIKEEP_OUTAGE = "bikeep_outage"
_ISSUE_KINDS = {
    WebhookKind.ALARM: ISSUE_BIKEEP_ALARM,
    WebhookKind.CONNECTION_CONFIRMED: ISSUE_BIKEEP_OUTAGE,
}


def ensure_webhook_id(hass: HomeAssistant, entry: SmartAccessConfigEntry) -> str:
    """Return the entry's webhook id, giving it one first if it has none.

    Entries made before the webhook lack it; an entry whose data was copied from
    another one (its id already taken) gets a new one too.
    """
    taken = {
        other.data.get(CONF_WEBHOOK_ID)
        for other in hass.config_entries.async_entries(DOMAIN)
        if other.entry_id != entry.entry_id
    }
    webhook_id = entry.data.get(CONF_WEBHOOK_ID)
    if isinstance(webhook_id, str) and webhook_id and webhook_id not in taken:
        return webhook_id
    webhook_id = webhook.async_generate_id()
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_WEBHOOK_ID: webhook_id}
    )
    return webhook_id


def bikeep_webhook_url(hass: HomeAssistant, webhook_id: str) -> str | None:
    """Return the URL to give Bikeep (external URL preferred); None without one."""
    try:
        return webhook.async_generate_url(hass, webhook_id)
    except NoURLAvailableError:
        return None


@dataclass(slots=True)
class _OpenIssue:
    """A repair issue raised by a delivery, until its station is online again."""

    kind: WebhookKind
    location_id: str
    # Only polls that started after the delivery tell whether the station is back.
    after_poll: int
    # An alarm clears when the station comes back after being seen offline.
    seen_offline: bool


@dataclass(slots=True)
class _Alarm:
    kind: WebhookKind
    location_id: str | None
    device_id: str | None


class BikeepWebhook:
    """The webhook of one Bikeep entry: deliveries poke refreshes; alarms, issues."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartAccessConfigEntry,
        coordinator: BikeepCoordinator,
    ) -> None:
        """Use the entry's webhook id (see :func:`ensure_webhook_id`)."""
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self.webhook_id: str = entry.data[CONF_WEBHOOK_ID]
        self._registered = False
        self._issues: dict[str, _OpenIssue] = {}
        # For diagnostics: how deliveries went (never what they said).
        self.deliveries = 0
        self.rejected = 0
        self.last_delivery: datetime | None = None

    # -- set-up and tear-down ----------------------------------------------------
    @callback
    def async_register(self) -> None:
        """Listen on the Home Assistant webhook; follow polls to clear issues."""
        webhook.async_register(
            self.hass,
            DOMAIN,
            f"Smart Access {self.entry.title}",
            self.webhook_id,
            self._async_handle,
            allowed_methods=["POST"],
        )
        self._registered = True
        self.entry.async_on_unload(
            self.coordinator.async_add_listener(self._async_check_issues)
        )

    @callback
    def async_unregister(self) -> None:
        """Stop listening (unload)."""
        if self._registered:
            webhook.async_unregister(self.hass, self.webhook_id)
            self._registered = False

    # -- deliveries --------------------------------------------------------------
    async def _async_handle(
        self, hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        """Read the delivery, answer at once; the refresh runs in the background."""
        body = await request.read()
        try:
            events = parse_webhook(body)
        except MalformedWebhookError as err:
            self.rejected += 1
            LOGGER.debug("Bikeep webhook delivery refused: %s", err)
            return web.Response(status=HTTPStatus.BAD_REQUEST)
        self.deliveries += 1
        self.last_delivery = dt_util.utcnow()
        self._async_deliver(events)
        return web.Response(status=HTTPStatus.OK)

    @callback
    def _async_deliver(self, events: list[WebhookEvent]) -> None:
        """Poke the refresh the events call for; announce alarms."""
        data = self.coordinator.data
        stations: set[str] = set()
        whole_account = not events
        alarms: list[_Alarm] = []
        for event in events:
            locations = event.matching(data.locations)
            devices = event.matching(data.devices)
            locations |= {data.device_location[device] for device in devices}
            if not locations:
                whole_account = True
            stations |= locations
            for kind in sorted(event.kinds & ALARM_KINDS):
                alarms.extend(self._alarms(kind, locations, devices))
        LOGGER.debug(
            "Bikeep webhook delivery: %d event(s), refreshing %s",
            len(events),
            "the account" if whole_account else f"{len(stations)} station(s)",
        )
        # Issues first: the poll the poke starts is the first that may clear them.
        for alarm in alarms:
            self._async_alarm(alarm)
        self.coordinator.async_poke(None if whole_account else stations)

    def _alarms(
        self, kind: WebhookKind, locations: set[str], devices: set[str]
    ) -> list[_Alarm]:
        """Return one alarm per station named (one without a station if none)."""
        if not locations:
            return [_Alarm(kind, None, None)]
        device_location = self.coordinator.data.device_location
        alarms = []
        for location_id in sorted(locations):
            named = [d for d in devices if device_location[d] == location_id]
            device_id = named[0] if len(named) == 1 else None
            alarms.append(_Alarm(kind, location_id, device_id))
        return alarms

    @callback
    def _async_alarm(self, alarm: _Alarm) -> None:
        """Fire the bus event; raise the station's repair issue."""
        data = self.coordinator.data
        location = data.locations.get(alarm.location_id or "")
        self.hass.bus.async_fire(
            EVENT_BIKEEP_ALARM,
            {
                "config_entry_id": self.entry.entry_id,
                "kind": str(alarm.kind),
                "location_id": alarm.location_id,
                "location_name": location.display_name if location else None,
                "station_device_id": self._ha_device_id(alarm.location_id),
                "bikeep_device_id": alarm.device_id,
                "device_id": self._ha_device_id(alarm.device_id),
            },
        )
        if location is None:
            LOGGER.debug(
                "Bikeep %s for no station we know: no repair issue", alarm.kind
            )
            return
        issue_kind = _ISSUE_KINDS[alarm.kind]
        issue_id = f"{issue_kind}_{self.entry.entry_id}_{location.id}"
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=alarm.kind is WebhookKind.ALARM,
            severity=ir.IssueSeverity.WARNING,
            translation_key=issue_kind,
            translation_placeholders={
                "title": self.entry.title,
                "location": location.display_name,
            },
        )
        self._issues[issue_id] = _OpenIssue(
            kind=alarm.kind,
            location_id=location.id,
            after_poll=self.coordinator.poll_number,
            seen_offline=location.is_online is False,
        )

    def _ha_device_id(self, vendor_id: str | None) -> str | None:
        if vendor_id is None:
            return None
        device = dr.async_get(self.hass).async_get_device_by_identifier(
            (DOMAIN, vendor_id), self.entry.entry_id
        )
        return device.id if device else None

    # -- clearing ----------------------------------------------------------------
    @callback
    def _async_check_issues(self) -> None:
        """Clear the issues of stations online again (or gone), after a new poll."""
        if not self._issues or not self.coordinator.last_update_success:
            return
        registry = ir.async_get(self.hass)
        data = self.coordinator.data
        for issue_id, issue in list(self._issues.items()):
            if registry.async_get_issue(DOMAIN, issue_id) is None:
                # Acknowledged in Repairs.
                del self._issues[issue_id]
                continue
            if self.coordinator.data_poll_number <= issue.after_poll:
                continue
            location = data.locations.get(issue.location_id)
            online = location.is_online if location is not None else None
            if online is False:
                issue.seen_offline = True
            if location is None or (
                online is True
                and (issue.kind is not WebhookKind.ALARM or issue.seen_offline)
            ):
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)
                del self._issues[issue_id]

    # -- diagnostics -------------------------------------------------------------
    def diagnostics(self) -> dict[str, Any]:
        """Return how deliveries went; never their content, the id or the URL."""
        return {
            "registered": self._registered,
            "deliveries": self.deliveries,
            "rejected": self.rejected,
            "last_delivery": self.last_delivery,
            "open_issues": sorted(
                f"{issue.kind}: {issue.location_id}" for issue in self._issues.values()
            ),
        }


def async_setup_bikeep_webhook(
    hass: HomeAssistant, entry: SmartAccessConfigEntry, coordinator: BikeepCoordinator
) -> BikeepWebhook:
    """Give the entry its webhook id if needed; register the webhook until unload."""
    ensure_webhook_id(hass, entry)
    hook = BikeepWebhook(hass, entry, coordinator)
    hook.async_register()
    entry.async_on_unload(hook.async_unregister)
    return hook
