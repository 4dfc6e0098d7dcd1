"""What a guest-access link keeps in ``.storage`` between runs.

Per link (``smart_access.<entry_id>.guest_access.<subentry_id>``): what it last
wrote per booking and zone (guest id, name, local times, doors), the bookings whose
PIN RemoteLock refused, whether syncing is paused, and when it last synced. No PIN
is stored. When the file is lost, the next sync rebuilds the mapping from the
guests' name markers at RemoteLock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .guest_sync.model import Applied, GuestState
from .guest_sync.sync import LinkState

STORAGE_VERSION = 1
SAVE_DELAY = 5.0


class StoredGuest(TypedDict):
    """One applied guest in the file."""

    ref: str
    zone: str
    guest_id: str
    name: str
    starts_at: str
    ends_at: str
    targets: list[list[str]]


class StoredLink(TypedDict, total=False):
    """The file."""

    applied: list[StoredGuest]
    pin_rejected: list[list[str]]
    email_rejected: list[list[str]]
    mass_held: list[list[str]]
    mass_allowed: list[list[str]]
    paused: bool
    last_sync: str | None


def store_key(entry_id: str, subentry_id: str) -> str:
    """Return the storage key of a link."""
    return f"{DOMAIN}.{entry_id}.guest_access.{subentry_id}"


class LinkIndex:
    """The entry's links: id → title, and the removal chosen for a link being removed.

    Kept so that a link deleted while the account was not loaded (or before its
    removal finished) is noticed at the next set-up and its guests dealt with as
    chosen (the UI's Delete: the upcoming ones).
    """

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Point at the entry's index file."""
        self._store: Store[Any] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.guest_links"
        )

    async def async_load(self) -> dict[str, dict[str, str]]:
        """Return the links last saved: id → {"title", and "removal" if chosen}."""
        data = await self._store.async_load()
        links = data.get("links", {}) if isinstance(data, dict) else {}
        if isinstance(links, list):  # an early form: the ids only
            return {str(key): {} for key in links}
        return {
            str(key): dict(value)
            for key, value in links.items()
            if isinstance(value, dict)
        }

    async def async_save(self, titles: dict[str, str]) -> None:
        """Save the current links (a removal chosen for one of them is kept)."""
        known = await self.async_load()
        await self._store.async_save(
            {
                "links": {
                    key: {**known.get(key, {}), "title": title}
                    for key, title in sorted(titles.items())
                }
            }
        )

    async def async_set_removal(self, subentry_id: str, removal: str) -> None:
        """Note how a link being removed treats its guests."""
        known = await self.async_load()
        known.setdefault(subentry_id, {})["removal"] = removal
        await self._store.async_save({"links": known})

    async def async_remove(self) -> None:
        """Delete the index (the entry was removed)."""
        await self._store.async_remove()


def dump(state: LinkState, paused: bool, last_sync: datetime | None) -> StoredLink:
    """Return the file's content."""
    return {
        "applied": [
            {
                "ref": ref,
                "zone": zone,
                "guest_id": applied.guest_id,
                "name": applied.state.name,
                "starts_at": applied.state.starts_at.isoformat(),
                "ends_at": applied.state.ends_at.isoformat(),
                "targets": [list(target) for target in applied.state.targets],
            }
            for (ref, zone), applied in sorted(state.applied.items())
        ],
        "pin_rejected": [list(key) for key in sorted(state.pin_rejected)],
        "email_rejected": [list(key) for key in sorted(state.email_rejected)],
        # A mass cancellation's hold (and the host's go-ahead) survive a reload.
        "mass_held": [list(key) for key in sorted(state.mass_held)],
        "mass_allowed": [list(key) for key in sorted(state.mass_allowed)],
        "paused": paused,
        "last_sync": last_sync.isoformat() if last_sync else None,
    }


def load(data: StoredLink | None) -> tuple[LinkState, bool, datetime | None]:
    """Return (state, paused, last sync) from the file (an empty state without one)."""
    state = LinkState()
    if not data:
        return state, False, None
    for item in data.get("applied", []):
        state.applied[(item["ref"], item["zone"])] = Applied(
            item["guest_id"],
            GuestState(
                item["name"],
                datetime.fromisoformat(item["starts_at"]),
                datetime.fromisoformat(item["ends_at"]),
                tuple((kind, ident) for kind, ident in item["targets"]),
            ),
        )
    state.pin_rejected = {(ref, zone) for ref, zone in data.get("pin_rejected", [])}
    state.email_rejected = {(ref, zone) for ref, zone in data.get("email_rejected", [])}
    state.mass_held = {(ref, zone) for ref, zone in data.get("mass_held", [])}
    state.mass_allowed = {(ref, zone) for ref, zone in data.get("mass_allowed", [])}
    last = data.get("last_sync")
    return (
        state,
        bool(data.get("paused", False)),
        (datetime.fromisoformat(last) if last else None),
    )


class LinkStore:
    """The link's file, saved a few seconds after each change."""

    def __init__(self, hass: HomeAssistant, entry_id: str, subentry_id: str) -> None:
        """Point at the link's file."""
        self._store: Store[Any] = Store(
            hass, STORAGE_VERSION, store_key(entry_id, subentry_id)
        )
        self._content: StoredLink | None = None

    async def async_load(self) -> tuple[LinkState, bool, datetime | None]:
        """Read the file."""
        return load(await self._store.async_load())

    def schedule_save(
        self, state: LinkState, paused: bool, last_sync: datetime | None
    ) -> None:
        """Save soon (several changes in a row are written once)."""
        self._content = dump(state, paused, last_sync)
        self._store.async_delay_save(self._data, SAVE_DELAY)

    def _data(self) -> StoredLink:
        assert self._content is not None
        return self._content

    async def async_save_now(self) -> None:
        """Write what is pending at once (unload)."""
        if self._content is not None:
            await self._store.async_save(self._content)

    async def async_remove(self) -> None:
        """Delete the file (the link was removed)."""
        await self._store.async_remove()
