"""One HTTP round trip with every transport failure mapped to a typed error."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from .codec import JSONDecodeError, loads
from .errors import (
    ApiConnectionError,
    ApiServerError,
    ApiTimeoutError,
    MalformedResponseError,
)

type QueryParams = Mapping[str, str | int] | Sequence[tuple[str, str | int]]
# Decodes a non-empty body given the status (JSON by default); it may recognise a
# body it has seen before and answer something cheaper (see reuse.PageMemory).
type BodyDecoder = Callable[[bytes, int], Any]


@dataclass(frozen=True, slots=True)
class HttpResult:
    """Status, headers and decoded JSON body (``None`` when the body was empty)."""

    status: int
    headers: CIMultiDictProxy[str]
    body: Any

    def raise_for_common_status(self) -> None:
        """Raise for 5xx answers, which mean the same for every vendor."""
        if self.status >= 500:
            message = (
                self.body.get("message", "") if isinstance(self.body, dict) else ""
            )
            raise ApiServerError(self.status, str(message))


async def request_json(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    params: QueryParams | None = None,
    json_body: Any = None,
    data: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
    decode: BodyDecoder | None = None,
) -> HttpResult:
    """Send one request and decode the JSON answer (with ``decode`` when given).

    Raises ApiTimeoutError, ApiConnectionError, or MalformedResponseError for a body
    that is not JSON (an empty body decodes to ``None``).
    """
    try:
        async with session.request(
            method,
            url,
            params=params,
            json=json_body,
            data=data,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            raw = await response.read()
            status = response.status
            response_headers = response.headers
    except TimeoutError as err:
        raise ApiTimeoutError(f"{method} {url} timed out after {timeout} s") from err
    except asyncio.CancelledError:
        raise
    except aiohttp.ClientError as err:
        raise ApiConnectionError(f"{method} {url} failed: {err}") from err
    if not raw.strip():
        return HttpResult(status, response_headers, None)
    try:
        body = loads(raw) if decode is None else decode(raw, status)
    except (UnicodeDecodeError, JSONDecodeError) as err:
        if status >= 500:
            raise ApiServerError(status) from err
        raise MalformedResponseError(
            f"{method} {url} answered {status} with a body that is not JSON"
        ) from err
    return HttpResult(status, response_headers, body)
