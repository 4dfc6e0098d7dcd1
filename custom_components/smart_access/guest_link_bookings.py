"""Read a link's calendar: its events in the window become bookings.

Any calendar entity works (Local/Remote Calendar, CalDAV, Google, an iCal feed):
the events are read from the entity itself, as the calendar panel does, because
only the entity gives each event's ``uid`` (and ``recurrence_id``), which is what
a booking is known by. A calendar that is missing, unavailable or fails to answer
raises :class:`CalendarUnavailableError`: the link then changes nothing, since "could
not read the bookings" must never read as "no bookings".

The guest's name comes from the link's template (``{{ summary }}`` by default),
rendered with the event's ``summary``, ``description``, ``location``, ``start``,
``end`` and ``all_day``; a template that fails falls back to the summary.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from homeassistant.components.calendar import CalendarEvent
from homeassistant.components.calendar.const import DATA_COMPONENT
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, TemplateError
from homeassistant.helpers.template import Template
from homeassistant.util import dt as dt_util

from .const import LOGGER
from .guest_sync.model import Booking, booking_uid

# Events are read from this far back: an all-day booking that ended (its end date
# is exclusive) at midnight still checks out later that day, plus the buffer.
READ_BACK = timedelta(days=2)
# A calendar that does not answer within this is unavailable for this sync (the
# account's links sync one at a time: one hung calendar must not stall them all).
READ_TIMEOUT = 60.0


class CalendarUnavailableError(HomeAssistantError):
    """The link's calendar could not be read."""


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt_util.get_default_time_zone())
    return value


def _render_name(template: Template, event: CalendarEvent) -> str:
    variables = {
        "summary": event.summary,
        "description": event.description or "",
        "location": event.location or "",
        "start": event.start,
        "end": event.end,
        "all_day": event.all_day,
    }
    try:
        rendered = template.async_render(variables, parse_result=False)
    except TemplateError as err:
        LOGGER.warning(
            "Guest access: the guest name template failed (%s); using the summary",
            type(err).__name__,
        )
        return event.summary
    return str(rendered).strip() or event.summary


def booking_of(template: Template, event: CalendarEvent) -> Booking:
    """Return the booking an event stands for."""
    start = event.start if event.all_day else _aware(event.start)  # type: ignore[arg-type]
    end = event.end if event.all_day else _aware(event.end)  # type: ignore[arg-type]
    return Booking(
        uid=booking_uid(event.uid, event.recurrence_id, event.summary, start),
        summary=_render_name(template, event),
        start=start,
        end=end,
        description=event.description or "",
        location=event.location or "",
    )


async def async_read_bookings(
    hass: HomeAssistant,
    entity_id: str,
    template: Template,
    now: datetime,
    look_ahead: timedelta,
) -> list[Booking]:
    """Return the bookings of the events in [now - 2 days, now + look-ahead + 1 day]."""
    component = hass.data.get(DATA_COMPONENT)
    entity = component.get_entity(entity_id) if component else None
    state = hass.states.get(entity_id)
    if entity is None or state is None or state.state == STATE_UNAVAILABLE:
        raise CalendarUnavailableError(f"{entity_id} is not available")
    try:
        async with asyncio.timeout(READ_TIMEOUT):
            events = await entity.async_get_events(
                hass, now - READ_BACK, now + look_ahead + timedelta(days=1)
            )
    except TimeoutError as err:
        raise CalendarUnavailableError(f"{entity_id}: no answer") from err
    except Exception as err:
        raise CalendarUnavailableError(f"{entity_id}: {type(err).__name__}") from err
    return [booking_of(template, event) for event in events]
