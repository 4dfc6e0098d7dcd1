"""Request core of the RemoteLock client: auth retry, errors, rate limit, paging."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
import logging
from typing import Any, cast

import aiohttp

from ..auth import RefusedResources, TokenSource, send_authorized
from ..errors import (
    ApiResponseError,
    AuthenticationError,
    FieldError,
    ForbiddenError,
    MalformedResponseError,
    NotFoundError,
    PaymentRequiredError,
    RateLimitError,
    ValidationError,
)
from ..http import BodyDecoder, HttpResult, request_json
from ..reuse import UNCHANGED, CachedRead, ModelCache
from .const import (
    ACCEPT_HEADER,
    DEFAULT_API_URL,
    MAX_PER_PAGE,
    MAX_RESOURCES,
    RATE_WINDOW_SECONDS,
)
from .inputs import body as request_body
from .models.base import Page, PageMeta, ResourceList

_LOGGER = logging.getLogger(__name__)

type Params = list[tuple[str, str | int]]
type Parser[T] = Callable[[Any], T]


@dataclass(frozen=True, slots=True)
class RateLimit:
    """The latest ``X-RateLimit-*`` headers: budget, what is left, when it resets."""

    limit: int
    remaining: int
    reset_at: datetime
    observed_at: datetime


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(float(value.strip()))
    except ValueError:
        return None


def _reset_at(headers: Mapping[str, str]) -> datetime | None:
    reset = _header_int(headers, "X-RateLimit-Reset")
    if reset is None:
        return None
    try:
        return datetime.fromtimestamp(reset, UTC)
    except OverflowError, OSError, ValueError:
        return None


def read_rate_limit(headers: Mapping[str, str], now: datetime) -> RateLimit | None:
    """Return the rate limit the headers carry (``None`` when incomplete)."""
    limit = _header_int(headers, "X-RateLimit-Limit")
    remaining = _header_int(headers, "X-RateLimit-Remaining")
    reset_at = _reset_at(headers)
    if limit is None or remaining is None or reset_at is None:
        return None
    return RateLimit(limit, remaining, reset_at, now)


def _field_errors(errors: list[Any]) -> tuple[FieldError, ...]:
    result: list[FieldError] = []
    for item in errors:
        if not isinstance(item, dict):
            continue
        attribute = item.get("attribute")
        messages = item.get("messages")
        full = item.get("full_messages")
        result.append(
            FieldError(
                attribute if isinstance(attribute, str) else None,
                tuple(str(m) for m in messages) if isinstance(messages, list) else (),
                tuple(str(m) for m in full) if isinstance(full, list) else (),
            )
        )
    return tuple(result)


def raise_for_status(result: HttpResult, what: str) -> None:
    """Map a non-2xx answer to the typed error the document implies.

    Resource errors (``errors`` list) become :class:`ValidationError`; general errors
    (``message``/``type``) :class:`ApiResponseError`. Bodies are never echoed whole:
    a resource error repeats the submitted attributes, which may hold a PIN.
    """
    status = result.status
    if 200 <= status < 300:
        return
    body = result.body if isinstance(result.body, dict) else {}
    message = body.get("message")
    message = message if isinstance(message, str) else ""
    error_type = body.get("type")
    error_type = error_type if isinstance(error_type, str) else None
    if status == 401:
        raise AuthenticationError(f"{what}: access token rejected")
    if status == 402:
        raise PaymentRequiredError(
            f"{what}: payment required{': ' + message if message else ''}"
        )
    if status == 403:
        raise ForbiddenError(f"{what}: forbidden{': ' + message if message else ''}")
    if status == 404:
        raise NotFoundError(f"{what}: not found")
    if status == 429:
        raise RateLimitError(f"{what}: rate limit exceeded", _reset_at(result.headers))
    result.raise_for_common_status()
    if isinstance(body.get("errors"), list):
        fields = _field_errors(body["errors"])
        texts = [t for err in fields for t in (err.full_messages or err.messages)]
        raise ValidationError(f"{what}: {'; '.join(texts) or 'rejected'}", fields)
    if message:
        raise ApiResponseError(status, message, error_type)
    raise ApiResponseError(status, f"{what}: unexpected answer", error_type)


def extract_data(body: Any, what: str) -> Any:
    """Return ``body["data"]`` or raise :class:`MalformedResponseError`."""
    if not isinstance(body, dict) or "data" not in body:
        raise MalformedResponseError(f"{what}: answer has no data")
    return body["data"]


def add_list(params: Params, name: str, value: str | Sequence[str] | None) -> None:
    """Add ``name=value`` or, for several values, ``name[]=v1&name[]=v2``.

    A plain ``str`` is one value (``name=value``), never split into characters.
    """
    if value is None:
        return
    if isinstance(value, str):
        params.append((name, value))
        return
    params.extend((f"{name}[]", item) for item in value)


def filter_params(
    *,
    types: str | Sequence[str] | None = None,
    ids: str | Sequence[str] | None = None,
    sort: str | Sequence[str] | None = None,
    **attributes: str | Sequence[str] | None,
) -> Params:
    """Return a collection's filter query: ``type``, ``id``, ``attributes[...]``, ``sort``.

    Each goes through :func:`add_list` in that order (``attributes`` in the order
    given): one ``str`` is ``name=value``, a sequence ``name[]=...`` per item, and
    ``None`` leaves the filter out.
    """
    params: Params = []
    add_list(params, "type", types)
    add_list(params, "id", ids)
    for name, value in attributes.items():
        add_list(params, f"attributes[{name}]", value)
    add_list(params, "sort", sort)
    return params


def expect[T](value: object, cls: type[T]) -> T:
    """Return ``value`` if it is a ``cls``, else raise :class:`MalformedResponseError`."""
    if not isinstance(value, cls):
        raise MalformedResponseError(f"expected {cls.__name__} in the answer")
    return value


def sort_params(sort: str | Sequence[str] | None) -> Params:
    """Return the ``sort`` query of a collection (none when ``sort`` is None)."""
    return filter_params(sort=sort)


class RemoteLockCore:
    """Sends requests with a bearer token and turns answers into models."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token_source: TokenSource,
        *,
        api_url: str = DEFAULT_API_URL,
        request_timeout: float = 30.0,
    ) -> None:
        """Store the session and token source; no request is made yet."""
        self._session = session
        self._token_source = token_source
        self._refused = RefusedResources()
        self._api_url = api_url.rstrip("/")
        self._timeout = request_timeout
        self.rate_limit: RateLimit | None = None
        # Multi-page reads pause for the rate-limit window to reset once no more
        # than this many requests are left (0: only when the window is spent), so a
        # large account's bulk read leaves what commands and actions need.
        self.page_reserve = 0

    @property
    def api_url(self) -> str:
        """Return the base URL requests go to."""
        return self._api_url

    async def _send(
        self,
        method: str,
        path: str,
        token: str,
        params: Params | None,
        body: Any,
        decode: BodyDecoder | None = None,
    ) -> HttpResult:
        result = await request_json(
            self._session,
            method,
            self._api_url + path,
            params=params,
            json_body=body,
            headers={"Accept": ACCEPT_HEADER, "Authorization": f"Bearer {token}"},
            timeout=self._timeout,
            decode=decode,
        )
        observed = read_rate_limit(result.headers, datetime.now(UTC))
        if observed is not None:
            self.rate_limit = observed
        _LOGGER.debug("%s %s -> %s", method, path, result.status)
        return result

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        body: Any = None,
        decode: BodyDecoder | None = None,
    ) -> Any:
        """Send one request (retried once after a 401 the token source can fix)."""
        result = await send_authorized(
            self._token_source,
            lambda token: self._send(method, path, token, params, body, decode),
            refused=self._refused,
            key=f"{method} {path}",
        )
        raise_for_status(result, f"{method} {path}")
        return result.body

    async def _get_one[T](self, path: str, parser: Parser[T]) -> T:
        return await self._send_one("GET", path, parser)

    async def _send_one[T](
        self, method: str, path: str, parser: Parser[T], body: Any = None
    ) -> T:
        answer = await self._request(method, path, body=body)
        return parser(extract_data(answer, f"{method} {path}"))

    async def _send_no_content(self, method: str, path: str, body: Any = None) -> None:
        await self._request(method, path, body=body)

    async def _create[T](
        self,
        path: str,
        parser: Parser[T],
        values: Mapping[str, Any],
        resource_type: str | None = None,
    ) -> T:
        """``POST`` ``values`` (``None`` ones left out) and parse the new resource."""
        return await self._send_one(
            "POST", path, parser, request_body(values, resource_type)
        )

    async def _update[T](
        self, path: str, parser: Parser[T], values: Mapping[str, Any]
    ) -> T:
        """``PUT`` ``values`` (``None`` ones are not sent: they keep their value)."""
        return await self._send_one("PUT", path, parser, request_body(values))

    async def _delete(self, path: str) -> None:
        await self._send_no_content("DELETE", path)

    async def _page[T](
        self,
        path: str,
        parser: Parser[T],
        params: Params | None = None,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
    ) -> Page[T]:
        """Read one page of a collection."""
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            raise ValidationError(f"page must be >= 1 and per_page 1-{MAX_PER_PAGE}")
        if page * per_page > MAX_RESOURCES:
            raise ValidationError(
                f"page * per_page may not exceed {MAX_RESOURCES} (API limit)"
            )
        query: Params = [*(params or []), ("page", page), ("per_page", per_page)]
        # A cached read skips a page whose body is the one it read last time.
        read = parser if isinstance(parser, CachedRead) else None
        decode = read.page_decoder(page) if read is not None else None
        body = await self._request("GET", path, params=query, decode=decode)
        if read is not None and body is UNCHANGED:
            return cast("Page[T]", read.reuse_page(page))
        data = extract_data(body, f"GET {path}")
        if not isinstance(data, list):
            raise MalformedResponseError(f"GET {path}: data is not a list")
        meta = PageMeta.from_json(body.get("meta"))
        result = Page(tuple(parser(item) for item in data), meta)
        if read is not None:
            read.page_read(page, result)
        return result

    @staticmethod
    async def _sleep(seconds: float) -> None:
        """Wait (a seam for tests and benchmarks that run on simulated time)."""
        await asyncio.sleep(seconds)

    async def _pace(self, path: str) -> None:
        """Before the next page, wait for the window to reset if the reserve is reached."""
        limit = self.rate_limit
        if limit is None or limit.remaining > self.page_reserve:
            return
        wait = (limit.reset_at - datetime.now(UTC)).total_seconds()
        if wait <= 0:
            return
        _LOGGER.debug(
            "GET %s: %s requests left; next page after the reset in %.0f s",
            path,
            limit.remaining,
            wait,
        )
        await self._sleep(min(wait, RATE_WINDOW_SECONDS) + 0.5)

    async def _list[T](
        self,
        path: str,
        parser: Parser[T],
        params: Params | None = None,
        cache: ModelCache[T] | None = None,
    ) -> ResourceList[T]:
        """Read every page at ``per_page=50`` up to the API's 10,000-resource cap.

        With a ``cache``, resources whose raw data is unchanged since the cache's
        last complete read get their previous model instance (not parsed again).
        """
        if cache is not None:
            read = cache.reading(parser)
            result = await self._list(path, read, params)
            read.commit()
            return result
        items: list[T] = []
        page = 1
        while True:
            current = await self._page(path, parser, params, page, MAX_PER_PAGE)
            items.extend(current.items)
            total = max(current.meta.total_count, len(items))
            if page >= current.meta.total_pages or not current.items:
                return ResourceList(tuple(items), total)
            if (page + 1) * MAX_PER_PAGE > MAX_RESOURCES:
                _LOGGER.warning(
                    "GET %s: %s resources exist but the API serves only the first %s",
                    path,
                    total,
                    len(items),
                )
                return ResourceList(tuple(items), total, truncated=True)
            page += 1
            await self._pace(path)
