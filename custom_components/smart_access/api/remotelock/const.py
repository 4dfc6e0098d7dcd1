"""Constants of the RemoteLock API v1 (see the vendor document, "Production environment")."""

from __future__ import annotations

from typing import Final

DEFAULT_API_URL: Final = "https://api.remotelock.com"
DEFAULT_OAUTH_URL: Final = "https://connect.remotelock.com"
AUTHORIZE_PATH: Final = "/oauth/authorize"
TOKEN_PATH: Final = "/oauth/token"
REVOKE_PATH: Final = "/oauth/revoke"

#: Media type that pins the API version (document, "Specifying API version").
ACCEPT_HEADER: Final = "application/vnd.lockstate+json; version=1"

#: Largest page the API serves (document, "Pagination").
MAX_PER_PAGE: Final = 50
#: The API refuses to page past ``page * per_page > 10,000`` resources.
MAX_RESOURCES: Final = 10_000

#: Documented rate limit per account (document, "Rate Limiting").
RATE_LIMIT_PER_MINUTE: Final = 120
#: The window the rate limit counts in, in seconds.
RATE_WINDOW_SECONDS: Final = 60
