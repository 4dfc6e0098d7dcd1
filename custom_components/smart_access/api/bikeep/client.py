"""The Bikeep client: locations, devices, asynchronous commands and RFID whitelists."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Sequence
from datetime import UTC, datetime
import logging
from typing import Any
from urllib.parse import quote

import aiohttp

from custom_components.smart_access.api.errors import ValidationError
from custom_components.smart_access.api.http import (
    HttpResult,
    QueryParams,
    request_json,
)

from ..auth import RefusedResources, TokenSource, send_authorized
from .batch import build_batch, finish_batch
from .commands import Command, CommandName
from .const import (
    COMMAND_PATH,
    DEFAULT_API_URL,
    DEVICE_COMMANDS_PATH,
    DEVICE_PATH,
    LOCATION_DEVICES_PATH,
    LOCATION_WHITELISTS_PATH,
    LOCATIONS_PATH,
    PUBLIC_AREA_LOCATIONS_PATH,
    WHITELIST_ENTITIES_PATH,
    WHITELIST_TARGETS_PATH,
)
from .follower import (
    DEFAULT_FALLBACK_TIMEOUT,
    DEFAULT_MAX_POLL_ERRORS,
    DEFAULT_POLL_INTERVAL,
    DEFAULT_TIMEOUT_GRACE,
    ProgressCallback,
    follow_command,
    iter_command,
)
from .models import Device, Location
from .parsing import data_list, data_object, format_timestamp
from .responses import raise_for_status
from .whitelists import BatchResult, RfidEntity, TargetType, Whitelist, WhitelistTarget

_LOGGER = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _path(template: str, **ids: str) -> str:
    """Fill a path template, escaping each id so it stays one path segment."""
    return template.format(**{key: quote(value, safe="") for key, value in ids.items()})


class BikeepClient:
    """Async client of the Bikeep services API (server-to-server OAuth2).

    ``token_source`` is usually ``ClientCredentialsTokenSource(session, auth_url +
    TOKEN_PATH, client_id, client_secret)``. After a 401 the token is invalidated and
    the request retried once. ``clock`` (aware UTC ``now``) is used for rate-limit
    reset times and command deadlines; tests pass the simulator's clock.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token_source: TokenSource,
        *,
        api_url: str = DEFAULT_API_URL,
        request_timeout: float = 30.0,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        """Store the session and settings; nothing is requested yet."""
        self._session = session
        self._token_source = token_source
        self._refused = RefusedResources()
        self._api_url = api_url.rstrip("/")
        self._timeout = request_timeout
        self._clock = clock

    @property
    def api_url(self) -> str:
        """Return the base URL of the services API."""
        return self._api_url

    # -- transport ----------------------------------------------------------------
    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None,
        json_body: Any,
        token: str | None,
    ) -> HttpResult:
        headers = {"Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        result = await request_json(
            self._session,
            method,
            self._api_url + path,
            params=params,
            json_body=json_body,
            headers=headers,
            timeout=self._timeout,
        )
        _LOGGER.debug("%s %s -> %s", method, path, result.status)
        return result

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json_body: Any = None,
        authenticated: bool = True,
        accept_400: bool = False,
    ) -> HttpResult:
        """Send a request; retry once with a fresh token after a 401; map errors.

        With ``accept_400`` a 400 answer is returned instead of raised (batch calls).
        """
        if authenticated:
            result = await send_authorized(
                self._token_source,
                lambda token: self._send(
                    method, path, params=params, json_body=json_body, token=token
                ),
                refused=self._refused,
                key=f"{method} {path}",
            )
        else:
            result = await self._send(
                method, path, params=params, json_body=json_body, token=None
            )
        if accept_400 and result.status == 400:
            return result
        raise_for_status(result, self._clock)
        return result

    async def _get(
        self,
        path: str,
        params: QueryParams | None = None,
        *,
        authenticated: bool = True,
    ) -> Any:
        return (
            await self._request("GET", path, params=params, authenticated=authenticated)
        ).body

    # -- locations and devices ----------------------------------------------------
    async def async_list_locations(self) -> list[Location]:
        """Return every location the operator has access to."""
        body = await self._get(LOCATIONS_PATH)
        return [Location.from_json(item) for item in data_list(body, "locations")]

    async def async_list_public_area_locations(
        self, public_area_id: str
    ) -> list[Location]:
        """Return the locations of a public area (no token is sent)."""
        body = await self._get(
            _path(PUBLIC_AREA_LOCATIONS_PATH, public_area_id=public_area_id),
            authenticated=False,
        )
        return [Location.from_json(item) for item in data_list(body, "locations")]

    async def async_list_devices(self, location_id: str) -> list[Device]:
        """Return every device (GUARDs included) of a location."""
        body = await self._get(_path(LOCATION_DEVICES_PATH, location_id=location_id))
        return [Device.from_json(item) for item in data_list(body, "devices")]

    async def async_get_device(self, device_id: str) -> Device:
        """Return one device."""
        body = await self._get(_path(DEVICE_PATH, device_id=device_id))
        return Device.from_json(data_object(body, "device"))

    # -- commands -----------------------------------------------------------------
    async def async_send_command(
        self,
        device_id: str,
        command: CommandName | str,
        *,
        timeout_at: datetime | None = None,
    ) -> Command:
        """Send a command; the answer is the command in state SENT (poll it next).

        ``timeout_at`` (aware) is the booking expiry and is only valid for ``book``;
        without it the service books for one hour.
        """
        try:
            name = CommandName(command)
        except ValueError as err:
            raise ValidationError(f"unknown command {command!r}") from err
        payload: dict[str, Any] = {"command": str(name)}
        if timeout_at is not None:
            if name is not CommandName.BOOK:
                raise ValidationError(
                    f"timeout_at is only accepted by book, not {name}"
                )
            if timeout_at.tzinfo is None:
                raise ValidationError("timeout_at must be timezone-aware")
            payload["timeout_at"] = format_timestamp(timeout_at)
        result = await self._request(
            "POST", _path(DEVICE_COMMANDS_PATH, device_id=device_id), json_body=payload
        )
        return Command.from_json(data_object(result.body, "command"))

    async def async_get_command(self, command_id: str) -> Command:
        """Return the current state of a command."""
        body = await self._get(_path(COMMAND_PATH, command_id=command_id))
        return Command.from_json(data_object(body, "command"))

    async def async_follow_command(
        self,
        command: Command,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_progress: ProgressCallback | None = None,
        watch_device: bool = True,
        timeout_grace: float = DEFAULT_TIMEOUT_GRACE,
        fallback_timeout: float = DEFAULT_FALLBACK_TIMEOUT,
        max_poll_errors: int = DEFAULT_MAX_POLL_ERRORS,
    ) -> Command:
        """Poll a command until SUCCESS and return the final version.

        ``on_progress`` (sync or async) receives the command first and then every
        changed version (state value, deadline or events). The command stays SENT
        while the device is ALLOCATED/LOCKING/UNLOCKING, so with ``watch_device``
        the device is read once per change and its state attached
        (``Command.device_state``, ``Command.phase``) for a LOCKING/UNLOCKING display.
        ERROR raises CommandFailedError with the events (``timed_out`` when the last
        event is a timeout); a state whose ``timeout_at`` (plus ``timeout_grace``
        seconds) passes without progress raises it with ``timed_out=True``. Up to
        ``max_poll_errors`` consecutive connection failures while polling are
        tolerated. Cancellation propagates.
        """
        return await follow_command(
            self.async_get_command,
            command,
            poll_interval=poll_interval,
            on_progress=on_progress,
            fetch_device=self.async_get_device if watch_device else None,
            now=self._clock,
            timeout_grace=timeout_grace,
            fallback_timeout=fallback_timeout,
            max_poll_errors=max_poll_errors,
        )

    def iter_command(
        self,
        command: Command,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        watch_device: bool = True,
        timeout_grace: float = DEFAULT_TIMEOUT_GRACE,
        fallback_timeout: float = DEFAULT_FALLBACK_TIMEOUT,
        max_poll_errors: int = DEFAULT_MAX_POLL_ERRORS,
    ) -> AsyncGenerator[Command]:
        """Async-iterator variant of :meth:`async_follow_command` (same rules).

        Close it (``aclose``) or exhaust it; breaking out of ``async for`` early
        leaves it to the garbage collector.
        """
        return iter_command(
            self.async_get_command,
            command,
            poll_interval=poll_interval,
            fetch_device=self.async_get_device if watch_device else None,
            now=self._clock,
            timeout_grace=timeout_grace,
            fallback_timeout=fallback_timeout,
            max_poll_errors=max_poll_errors,
        )

    # -- whitelists ---------------------------------------------------------------
    async def async_list_whitelists(self, location_id: str) -> list[Whitelist]:
        """Return the whitelists configured for a location."""
        body = await self._get(_path(LOCATION_WHITELISTS_PATH, location_id=location_id))
        return [Whitelist.from_json(item) for item in data_list(body, "whitelists")]

    async def async_list_entities(self, whitelist_id: str) -> list[RfidEntity]:
        """Return the RFID cards of a whitelist."""
        body = await self._get(
            _path(WHITELIST_ENTITIES_PATH, whitelist_id=whitelist_id)
        )
        return [RfidEntity.from_json(item) for item in data_list(body, "entities")]

    async def async_list_targets(
        self, whitelist_id: str, target_type: TargetType | str | None = None
    ) -> list[WhitelistTarget]:
        """Return the devices/locations a whitelist grants, optionally of one type."""
        params = {"type": str(target_type)} if target_type is not None else None
        body = await self._get(
            _path(WHITELIST_TARGETS_PATH, whitelist_id=whitelist_id), params
        )
        return [WhitelistTarget.from_json(item) for item in data_list(body, "targets")]

    async def async_add_entities(
        self, whitelist_id: str, entities: Sequence[RfidEntity]
    ) -> BatchResult:
        """Add (or replace: ADD is an upsert) RFID cards; see :mod:`.batch`."""
        return await self._async_batch(whitelist_id, "ADD", entities)

    async def async_remove_entities(
        self, whitelist_id: str, ids: Sequence[str]
    ) -> BatchResult:
        """Remove RFID cards by id; unknown ids come back as failed items."""
        return await self._async_batch(
            whitelist_id, "REMOVE", [RfidEntity(id=item) for item in ids]
        )

    async def _async_batch(
        self, whitelist_id: str, operation: str, entities: Sequence[RfidEntity]
    ) -> BatchResult:
        batch = build_batch(operation, entities)
        if not batch.items:
            return finish_batch(batch, None)
        result = await self._request(
            "POST",
            _path(WHITELIST_ENTITIES_PATH, whitelist_id=whitelist_id),
            json_body=batch.payload(),
            accept_400=True,
        )
        return finish_batch(batch, result)
