"""A link's calendar: the guest accesses it manages (who, from, to, which doors).

Read-only, from what the link last wrote (no request per view). An event's uid is
the RemoteLock guest id; its description lists the doors. Never a PIN.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .guest_link import GuestLink, ManagedStay
from .guest_link_entity import GuestLinkEntity

LINK_CALENDAR = CalendarEntityDescription(
    key="guests", translation_key="guest_link_guests"
)


def stay_event(stay: ManagedStay) -> CalendarEvent:
    """Return the calendar event of a managed stay."""
    return CalendarEvent(
        start=dt_util.as_local(stay.check_in),
        end=dt_util.as_local(stay.check_out),
        summary=stay.name,
        description=", ".join(stay.doors),
        uid=stay.guest_id,
    )


class GuestLinkCalendar(GuestLinkEntity, CalendarEntity):
    """The guests one link manages."""

    def __init__(self, link: GuestLink) -> None:
        """Describe the calendar on the link's device."""
        super().__init__(link, LINK_CALENDAR)

    @property
    def event(self) -> CalendarEvent | None:
        """Return the current stay, else the next one."""
        now = dt_util.utcnow()
        for stay in self.link.stays():
            if stay.check_out > now:
                return stay_event(stay)
        return None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the stays that overlap the range."""
        return [
            stay_event(stay)
            for stay in self.link.stays()
            if stay.check_in < end_date and stay.check_out > start_date
        ]
