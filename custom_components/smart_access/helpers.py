"""Small helpers shared by the platforms: running vendor calls for entities."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant

from .api.errors import SmartAccessApiError
from .error_mapping import command_error

if TYPE_CHECKING:
    from .coordinator import SmartAccessConfigEntry


async def run_command[T](
    label: str,
    call: Callable[[], Awaitable[T]],
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry | None = None,
) -> T:
    """Await ``call``; translate client errors for the user.

    ``label`` names what failed the way the user reads it ("Front Door unlock");
    ``entry`` is reauthenticated when the vendor rejects its credentials.
    """
    try:
        return await call()
    except SmartAccessApiError as err:
        raise command_error(err, label, hass, entry) from err
