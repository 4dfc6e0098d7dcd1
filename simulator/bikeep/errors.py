"""The simulator's API error: status plus a JSON body ``{"error", "message"}``.

Plain data: :mod:`.responses` (the HTTP side) renders it.
"""

from __future__ import annotations

from typing import Any


class BikeepApiError(Exception):
    """Raised by handlers; rendered as ``{"error": code, "message": text}``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        """Keep what the response needs."""
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        """Return the JSON body of the error answer."""
        return {"error": self.code, "message": self.message, **self.extra}


def not_found(kind: str, ident: str) -> BikeepApiError:
    """404 for an unknown (or not visible) object."""
    del ident  # ids are not echoed back
    return BikeepApiError(404, "not_found", f"{kind} not found")


def bad_request(message: str, code: str = "invalid_request") -> BikeepApiError:
    """400 for a request the API refuses."""
    return BikeepApiError(400, code, message)
