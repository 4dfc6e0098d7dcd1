"""The RemoteLock API v1 client: every documented endpoint as a typed method."""

from __future__ import annotations

from .endpoints_access import AccessEndpoints
from .endpoints_account import AccountEndpoints
from .endpoints_devices import DeviceEndpoints
from .endpoints_events import EventEndpoints


class RemoteLockClient(
    AccountEndpoints, DeviceEndpoints, AccessEndpoints, EventEndpoints
):
    """Async client of the RemoteLock API v1.

    ``RemoteLockClient(session, token_source, api_url=..., request_timeout=30.0)``.
    Every request sends ``Accept: application/vnd.lockstate+json; version=1`` and a
    bearer token from ``token_source``; after a 401 the token is handed back to
    ``token_source.async_invalidate`` and, if it says a retry may help, the request
    is sent once more. ``async_list_*`` read every page (50 per page) up to the
    API's 10,000-resource cap (``ResourceList.truncated`` tells when it bit);
    ``async_list_*_page`` read one page. ``rate_limit`` holds the latest
    ``X-RateLimit-*`` headers. Errors are the typed tree of ``api.errors``.
    """
