"""Fix flows of the fixable repair issues.

Only the Bikeep alarm issue is fixable: a hardware alarm (case opened, vandalism) is
something to look at, not something a poll can see end, so the user acknowledges it
here once dealt with (it also clears when the station comes back online after an
outage).
"""

from __future__ import annotations

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Return the flow that fixes ``issue_id``: acknowledge it."""
    return ConfirmRepairFlow()
