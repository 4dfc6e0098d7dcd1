"""Async, typed client of the RemoteLock API v1 (no Home Assistant imports).

Start with :class:`RemoteLockClient`; models live in :mod:`.models`.
"""

from __future__ import annotations

from . import models
from .client import RemoteLockClient
from .const import (
    AUTHORIZE_PATH,
    DEFAULT_API_URL,
    DEFAULT_OAUTH_URL,
    REVOKE_PATH,
    TOKEN_PATH,
)
from .core import RateLimit
from .inputs import (
    DeviceUpdate,
    LockUpdate,
    PowerPlugUpdate,
    ResortLockUpdate,
    ThermostatUpdate,
)
from .models import *  # noqa: F403
from .oauth import (
    RefreshTokenSource,
    async_exchange_code,
    async_refresh_token,
    async_revoke_token,
    build_authorize_url,
)
from .timezones import aware_to_local_naive, local_naive_to_aware

__all__ = [
    "AUTHORIZE_PATH",
    "DEFAULT_API_URL",
    "DEFAULT_OAUTH_URL",
    "REVOKE_PATH",
    "TOKEN_PATH",
    "DeviceUpdate",
    "LockUpdate",
    "PowerPlugUpdate",
    "RateLimit",
    "RefreshTokenSource",
    "RemoteLockClient",
    "ResortLockUpdate",
    "ThermostatUpdate",
    "async_exchange_code",
    "async_refresh_token",
    "async_revoke_token",
    "aware_to_local_naive",
    "build_authorize_url",
    "local_naive_to_aware",
]
# Every model is re-exported: models.__all__ is the one list of them.
__all__ += models.__all__
