"""Simulated RemoteLock cloud (API v1) for tests, benchmarks and scripts/develop."""

from __future__ import annotations

from .const import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_USER_EMAIL,
    DEFAULT_USER_PASSWORD,
)
from .simulator import RemoteLockSimulator

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_USER_EMAIL",
    "DEFAULT_USER_PASSWORD",
    "RemoteLockSimulator",
]
