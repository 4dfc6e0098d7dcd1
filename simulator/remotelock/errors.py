"""The two documented error shapes: resource errors (422) and general errors."""

from __future__ import annotations

from typing import Any

from aiohttp import web


class ApiError(Exception):
    """An error the API answers with instead of the normal response."""

    def response(self) -> web.Response:
        """Return the HTTP answer."""
        raise NotImplementedError


class GeneralError(ApiError):
    """``{"message": ..., "type": ...}`` with an HTTP status."""

    def __init__(self, status: int, message: str, error_type: str) -> None:
        """Remember status, message and type."""
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type

    def response(self) -> web.Response:
        """Return the general-error JSON body."""
        return web.json_response(
            {"message": self.message, "type": self.error_type}, status=self.status
        )


class NotFoundError(GeneralError):
    """404 for an unknown id or route."""

    def __init__(self, what: str = "Resource") -> None:
        """Build the not-found error."""
        super().__init__(404, f"{what} not found", "not_found")


class ResourceError(ApiError):
    """422 with the submitted attributes and per-attribute messages."""

    def __init__(self, attributes: dict[str, Any]) -> None:
        """Start with no messages."""
        super().__init__("resource error")
        self.attributes = attributes
        self.errors: list[dict[str, Any]] = []

    def add(self, attribute: str | None, message: str) -> None:
        """Add one message for ``attribute`` (None: not tied to one attribute)."""
        for entry in self.errors:
            if entry["attribute"] == attribute:
                entry["messages"].append(message)
                entry["full_messages"].append(_full(attribute, message))
                return
        self.errors.append(
            {
                "attribute": attribute,
                "messages": [message],
                "full_messages": [_full(attribute, message)],
            }
        )

    def raise_if_any(self) -> None:
        """Raise self when a message was added."""
        if self.errors:
            raise self

    def response(self) -> web.Response:
        """Return the resource-error JSON body."""
        return web.json_response(
            {"attributes": self.attributes, "errors": self.errors}, status=422
        )


def _full(attribute: str | None, message: str) -> str:
    return message if attribute is None else f"{attribute} {message}"


def resource_error(
    attributes: dict[str, Any], attribute: str | None, message: str
) -> ResourceError:
    """Return a resource error with a single message."""
    err = ResourceError(attributes)
    err.add(attribute, message)
    return err
