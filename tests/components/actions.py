"""Helpers for the action tests: call Smart Access actions, expect refusals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.core import Context, HomeAssistant, SupportsResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest

from custom_components.smart_access.const import DOMAIN

from .helpers import registry_device


def ha_device(hass: HomeAssistant, vendor_id: str) -> str:
    """Return the Home Assistant device id of a vendor device or station."""
    found = registry_device(hass, vendor_id)
    assert found is not None
    return found.id


@dataclass
class Actions:
    """Calls the integration's actions; with ``entry_id``, for that config entry.

    The entry id goes in as ``config_entry_id`` unless the call names another. A
    response is asked for whenever the action can give one, unless ``response``
    says otherwise.
    """

    hass: HomeAssistant
    entry_id: str | None = None

    async def __call__(
        self,
        service: str,
        *,
        response: bool | None = None,
        context: Context | None = None,
        **data: Any,
    ) -> Any:
        """Call ``service`` with ``data`` and wait for it; return its response."""
        if self.entry_id is not None:
            data = {"config_entry_id": self.entry_id, **data}
        if response is None:
            supports = self.hass.services.supports_response(DOMAIN, service)
            response = supports is not SupportsResponse.NONE
        return await self.hass.services.async_call(
            DOMAIN,
            service,
            data,
            blocking=True,
            return_response=response,
            context=context,
        )

    async def refused(
        self,
        service: str,
        *,
        error: type[HomeAssistantError] = ServiceValidationError,
        response: bool | None = None,
        **data: Any,
    ) -> HomeAssistantError:
        """Call ``service``, which must raise ``error``; return the error."""
        with pytest.raises(error) as err:
            await self(service, response=response, **data)
        return err.value
