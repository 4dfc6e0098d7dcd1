"""Fix flows of the fixable repair issues.

* The Bikeep alarm issue: a hardware alarm (case opened, vandalism) is something to
  look at, not something a poll can see end, so the user acknowledges it here once
  dealt with (it also clears when the station comes back online after an outage).
* A guest link's mass cancellation (``guest_mass_cancel``): every current and
  upcoming guest's booking vanished from the calendar at once. Confirming here
  lets the link deactivate them; until then they keep their access.
"""

from __future__ import annotations

from homeassistant.components.repairs import (
    ConfirmRepairFlow,
    RepairsFlow,
    RepairsFlowResult,
)
from homeassistant.core import HomeAssistant

from .guest_link_entity import links
from .guest_link_issues import MASS_CANCEL
from .guest_link_report import SyncStatus


class MassCancelFlow(ConfirmRepairFlow):
    """Confirm that the link's bookings really are cancelled."""

    def __init__(self, entry_id: str, subentry_id: str) -> None:
        """Remember which link the issue is about."""
        super().__init__()
        self._entry_id = entry_id
        self._subentry_id = subentry_id

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Show the guests (from the issue); deactivate them once confirmed."""
        if user_input is None:
            return await super().async_step_confirm(None)
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        link = links(entry).get(self._subentry_id) if entry is not None else None
        if link is None:
            return self.async_abort(reason="link_gone")
        report = await link.async_allow_mass_cancel()
        if report.status is not SyncStatus.SYNCED:
            # Nothing was done (calendar unreadable, rate limit…): the issue stays.
            return self.async_abort(
                reason="sync_not_done",
                description_placeholders={"status": report.status},
            )
        return self.async_create_entry(data={})


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Return the flow that fixes ``issue_id``."""
    if issue_id.startswith(f"{MASS_CANCEL}_") and data:
        return MassCancelFlow(str(data["entry_id"]), str(data["subentry_id"]))
    return ConfirmRepairFlow()
