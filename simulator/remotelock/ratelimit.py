"""Per-account request budget: fixed windows computed from the simulator clock."""

from __future__ import annotations

from dataclasses import dataclass, field

from .const import DEFAULT_RATE_LIMIT, DEFAULT_RATE_WINDOW


@dataclass
class RateLimitResult:
    """Outcome of one request against the budget (values for the X-RateLimit-* headers)."""

    allowed: bool
    limit: int
    remaining: int
    reset: int


@dataclass
class RateLimit:
    """``limit`` requests per ``window_seconds`` per account.

    Windows are aligned to multiples of ``window_seconds`` since the epoch (a new
    minute starts a new window); ``X-RateLimit-Reset`` is the end of the current one.
    """

    limit: int = DEFAULT_RATE_LIMIT
    window_seconds: int = DEFAULT_RATE_WINDOW
    counters: dict[str, tuple[int, int]] = field(default_factory=dict)

    def hit(self, account_id: str, now: float) -> RateLimitResult:
        """Count one request of ``account_id`` at epoch second ``now``."""
        window_start = int(now // self.window_seconds) * self.window_seconds
        reset = window_start + self.window_seconds
        start, count = self.counters.get(account_id, (window_start, 0))
        if start != window_start:
            count = 0
        if count >= self.limit:
            self.counters[account_id] = (window_start, count)
            return RateLimitResult(False, self.limit, 0, reset)
        count += 1
        self.counters[account_id] = (window_start, count)
        return RateLimitResult(True, self.limit, self.limit - count, reset)

    def peek(self, account_id: str, now: float) -> RateLimitResult:
        """Return the current numbers without counting a request."""
        window_start = int(now // self.window_seconds) * self.window_seconds
        start, count = self.counters.get(account_id, (window_start, 0))
        if start != window_start:
            count = 0
        return RateLimitResult(
            count < self.limit,
            self.limit,
            max(self.limit - count, 0),
            window_start + self.window_seconds,
        )

    def reset_counters(self) -> None:
        """Forget every account's usage."""
        self.counters.clear()
