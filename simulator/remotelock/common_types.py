"""Small structural types shared by the RemoteLock simulator modules."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class ClockLike(Protocol):
    """Anything with ``now()`` returning an aware datetime (the simulator Clock)."""

    def now(self) -> datetime:
        """Return the simulated current time."""
