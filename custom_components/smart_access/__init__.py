"""Smart Access: RemoteLock and Bikeep in Home Assistant."""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
    ConfigSubentry,
)
from homeassistant.const import CONF_WEBHOOK_ID, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
)
from homeassistant.helpers import (
    config_entry_oauth2_flow,
    config_validation as cv,
    issue_registry as ir,
)
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.storage import Store
from homeassistant.helpers.typing import ConfigType

from .api.auth import CallbackTokenSource, TokenSource
from .api.errors import AuthenticationError, SmartAccessApiError
from .bikeep_webhook import async_setup_bikeep_webhook
from .client_factory import bikeep_client, client_credentials_source, remotelock_client
from .cloudhook import async_delete_cloudhook, async_listen_cloud_connected
from .const import (
    CONF_AUTH_TYPE,
    CONF_AUTH_URL,
    CONF_CLOUDHOOK_URL,
    CONF_SUBSCRIBER_ID,
    CONF_VENDOR,
    DOMAIN,
    LOGGER,
    AuthType,
    Vendor,
)
from .coordinator import (
    BikeepCoordinator,
    RemoteLockCoordinator,
    SmartAccessConfigEntry,
    SmartAccessData,
)
from .guest_directory import GuestDirectory
from .guest_link import GuestLink
from .guest_link_config import CONF_CALENDAR, CONF_TARGETS, SUBENTRY_GUEST_ACCESS
from .guest_link_entity import links
from .guest_link_removal import Removal
from .guest_link_store import LinkIndex, LinkStore
from .oauth import oauth_token_getter, oauth_token_renewer, with_auth_url
from .remotelock_event_log import STORAGE_VERSION, RemoteLockEventLog
from .remotelock_push import RemoteLockPush, ensure_push_keys
from .remotelock_subscriber import async_delete_subscriber
from .services import async_setup_services

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.CALENDAR,
    Platform.CLIMATE,
    Platform.EVENT,
    Platform.LOCK,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration: register its actions once."""
    async_setup_services(hass)
    return True


async def _remotelock_token_source(
    hass: HomeAssistant, entry: SmartAccessConfigEntry
) -> TokenSource:
    session = async_get_clientsession(hass)
    if entry.data.get(CONF_AUTH_TYPE) != AuthType.OAUTH:
        return client_credentials_source(session, Vendor.REMOTELOCK, entry.data)
    try:
        implementation = (
            await config_entry_oauth2_flow.async_get_config_entry_implementation(
                hass, entry
            )
        )
    except config_entry_oauth2_flow.ImplementationUnavailableError as err:
        # A provider of credentials (e.g. Home Assistant Cloud) is down: retry later.
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="oauth_implementation_not_ready",
        ) from err
    except ValueError as err:
        # The entry's application credential was removed (UnknownImplementationError,
        # a ValueError): signing in again with another credential repairs the entry.
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key="oauth_implementation_unavailable",
        ) from err
    implementation = with_auth_url(hass, implementation, entry.data.get(CONF_AUTH_URL))
    oauth_session = config_entry_oauth2_flow.OAuth2Session(hass, entry, implementation)
    return CallbackTokenSource(
        oauth_token_getter(oauth_session), oauth_token_renewer(hass, oauth_session)
    )


async def async_setup_entry(hass: HomeAssistant, entry: SmartAccessConfigEntry) -> bool:
    """Set up one vendor account."""
    session = async_get_clientsession(hass)
    if entry.data[CONF_VENDOR] == Vendor.BIKEEP:
        bikeep_source = client_credentials_source(session, Vendor.BIKEEP, entry.data)
        coordinator: RemoteLockCoordinator | BikeepCoordinator = BikeepCoordinator(
            hass, entry, bikeep_client(session, bikeep_source, entry.data)
        )
    else:
        source = await _remotelock_token_source(hass, entry)
        coordinator = RemoteLockCoordinator(
            hass, entry, remotelock_client(session, source, entry.data)
        )
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = SmartAccessData(coordinator=coordinator)
    if isinstance(coordinator, RemoteLockCoordinator):
        guests = entry.runtime_data.guests = GuestDirectory(hass, coordinator)
        entry.runtime_data.push = await _async_setup_push(
            hass, entry, coordinator, guests
        )
        guests.async_start(entry)
    if isinstance(coordinator, BikeepCoordinator):
        entry.runtime_data.bikeep_webhook = async_setup_bikeep_webhook(
            hass, entry, coordinator
        )
    if isinstance(coordinator, RemoteLockCoordinator):
        await _async_setup_links(hass, entry, coordinator)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


def _link_subentries(
    entry: SmartAccessConfigEntry,
) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        subentry_id: (subentry.title, dict(subentry.data))
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == SUBENTRY_GUEST_ACCESS
    }


async def _async_setup_links(
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry,
    coordinator: RemoteLockCoordinator,
) -> None:
    """Start the entry's guest-access links; a change to them reloads the entry."""
    running: dict[str, GuestLink] = {}
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type != SUBENTRY_GUEST_ACCESS:
            continue
        link = GuestLink(hass, entry, subentry, coordinator)
        await link.async_start()
        running[subentry_id] = link
    entry.runtime_data.extra["guest_links"] = running
    entry.runtime_data.extra["guest_link_data"] = _link_subentries(entry)
    # Links deleted while the account was not loaded: nothing deactivated their
    # guests then; it is done now, as the UI's Delete does (upcoming ones).
    index = LinkIndex(hass, entry.entry_id)
    known = await index.async_load()
    for subentry_id in set(known) - set(running):
        stored = known[subentry_id]
        orphan = GuestLink(
            hass,
            entry,
            ConfigSubentry(
                data=MappingProxyType({CONF_CALENDAR: "", CONF_TARGETS: []}),
                subentry_id=subentry_id,
                subentry_type=SUBENTRY_GUEST_ACCESS,
                title=stored.get("title", subentry_id),
                unique_id=None,
            ),
            coordinator,
        )
        await orphan.async_load()
        done = await orphan.async_remove(
            Removal(stored.get("removal", Removal.UPCOMING))
        )
        LOGGER.info(
            "Guest access link %s was removed while the account was not loaded: "
            "%d upcoming guests deactivated",
            subentry_id,
            sum(1 for item in done if item.error is None),
        )
    await index.async_save({sid: link.title for sid, link in running.items()})
    if (push := entry.runtime_data.push) is not None:
        push.events.guest_booking = _booking_of_guest(entry)
    # Not an update listener: those make Home Assistant expect every reauth and
    # reconfigure to leave the reload to them. Token refreshes change the entry
    # too; only a change of its links matters here.

    @callback
    def changed(change: ConfigEntryChange, changed_entry: ConfigEntry) -> None:
        if change is ConfigEntryChange.UPDATED and changed_entry is entry:
            entry.async_create_task(
                hass, _async_entry_updated(hass, entry), f"{DOMAIN} links changed"
            )

    entry.async_on_unload(
        async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, changed)
    )


def _booking_of_guest(entry: SmartAccessConfigEntry) -> Callable[[str], str | None]:
    def booking(guest_id: str) -> str | None:
        for link in links(entry).values():
            if (name := link.booking_of_guest(guest_id)) is not None:
                return f"{name} ({link.title})"
        return None

    return booking


async def _async_entry_updated(
    hass: HomeAssistant, entry: SmartAccessConfigEntry
) -> None:
    """Reload when a link was added, changed or removed.

    A removed link first deactivates its guests still ahead, unless its removal
    said to keep them.
    """
    if _link_subentries(entry) == entry.runtime_data.extra.get("guest_link_data"):
        return
    removal = entry.runtime_data.extra.setdefault("guest_link_removal", {})
    running = links(entry)
    for subentry_id in set(running) - set(entry.subentries):
        link = running.pop(subentry_id)
        done = await link.async_remove(removal.pop(subentry_id, Removal.UPCOMING))
        LOGGER.info(
            "Guest access %s removed: %d guests deactivated, %d could not be",
            link.title,
            sum(1 for item in done if item.error is None),
            sum(1 for item in done if item.error is not None),
        )
    entry.runtime_data.extra["guest_link_data"] = _link_subentries(entry)
    await LinkIndex(hass, entry.entry_id).async_save(
        {sid: link.title for sid, link in running.items()}
    )
    hass.config_entries.async_schedule_reload(entry.entry_id)


async def _async_setup_push(
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry,
    coordinator: RemoteLockCoordinator,
    guests: GuestDirectory,
) -> RemoteLockPush:
    """Listen for RemoteLock's webhook; subscribe once Home Assistant has started.

    The account's guest list is first read then too (after the subscription).
    """
    ensure_push_keys(hass, entry)
    events = RemoteLockEventLog(hass, entry, coordinator)
    await events.async_load()
    push = RemoteLockPush(hass, entry, coordinator, events)
    push.async_register_webhook()
    entry.async_on_unload(push.async_unregister_webhook)
    coordinator.set_safety_net(push.async_check)

    async def connect() -> None:
        try:
            await push.async_connect()
            await events.async_recover()
        except AuthenticationError:
            entry.async_start_reauth(hass)
        except SmartAccessApiError as err:
            LOGGER.debug("RemoteLock push set-up postponed to the next poll: %s", err)
        # The account's guest list is read first (its failure is its own), so the
        # rate-limit sensor shows what all the start-up requests left, and Last
        # access what the first-start recovery read without announcing it.
        await guests.async_read_due()
        coordinator.mark_changed(events.last_access)
        coordinator.async_update_listeners()

    @callback
    def started(_: HomeAssistant) -> None:
        entry.async_create_task(hass, connect(), f"{DOMAIN} push set-up")

    entry.async_on_unload(async_at_started(hass, started))

    @callback
    def cloud_connected() -> None:
        # HA Cloud came up: move the subscriber to the cloudhook at once.
        entry.async_create_task(hass, connect(), f"{DOMAIN} push to cloudhook")

    if unsubscribe := async_listen_cloud_connected(hass, cloud_connected):
        entry.async_on_unload(unsubscribe)
    return push


async def async_unload_entry(
    hass: HomeAssistant, entry: SmartAccessConfigEntry
) -> bool:
    """Unload one vendor account (a RemoteLock entry's event log is saved)."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        for link in links(entry).values():
            await link.async_stop()
    if unloaded and (push := entry.runtime_data.push) is not None:
        await push.events.async_save()
    return unloaded


async def async_remove_entry(
    hass: HomeAssistant, entry: SmartAccessConfigEntry
) -> None:
    """Forget a removed vendor account: its repair issues go with it.

    A RemoteLock entry also deletes its webhook subscriber (and subscriptions) at
    RemoteLock, its cloudhook and its event log.
    """
    if entry.data.get(CONF_VENDOR) == Vendor.REMOTELOCK:
        await _async_remove_push(hass, entry)
    registry = ir.async_get(hass)
    suffix = f"_{entry.entry_id}"
    for domain, issue_id in list(registry.issues):
        if domain == DOMAIN and (issue_id.endswith(suffix) or f"{suffix}_" in issue_id):
            ir.async_delete_issue(hass, DOMAIN, issue_id)


async def _async_remove_push(
    hass: HomeAssistant, entry: SmartAccessConfigEntry
) -> None:
    """Delete what push left at RemoteLock; the account may be unreachable by now."""
    if entry.data.get(CONF_SUBSCRIBER_ID):
        try:
            source = await _remotelock_token_source(hass, entry)
            client = remotelock_client(
                async_get_clientsession(hass), source, entry.data
            )
            await async_delete_subscriber(client, entry.data[CONF_SUBSCRIBER_ID])
        except (SmartAccessApiError, HomeAssistantError) as err:
            LOGGER.warning(
                "Could not delete the webhook subscriber at RemoteLock (%s); "
                "delete it in the RemoteLock portal",
                err,
            )
    if entry.data.get(CONF_CLOUDHOOK_URL) and CONF_WEBHOOK_ID in entry.data:
        await async_delete_cloudhook(hass, entry.data[CONF_WEBHOOK_ID])
    await Store[dict[str, object]](
        hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}.events"
    ).async_remove()
    index = LinkIndex(hass, entry.entry_id)
    for subentry_id in set(await index.async_load()) | set(_link_subentries(entry)):
        await LinkStore(hass, entry.entry_id, subentry_id).async_remove()
    await index.async_remove()
    hass.data.get(f"{DOMAIN}_guest_sync", {}).pop(entry.entry_id, None)
