"""RemoteLock access persons: update, deactivate, delete and list them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from homeassistant.core import ServiceCall, ServiceResponse
from homeassistant.helpers import config_validation as cv
import probatio

from ..api.remotelock.models import AccessGuest, AccessUser
from .common import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_EMAIL,
    ATTR_ENDS_AT,
    ATTR_NAME,
    ATTR_STARTS_AT,
    async_require_admin,
    invalid,
    translated,
)
from .remotelock_targets import AccessTarget, account, text
from .remotelock_times import (
    as_aware,
    async_target_zones,
    check_local_order,
    check_order,
    local_iso,
    pick_zone,
    to_local,
)

SERVICE_UPDATE = "update_access_person"
SERVICE_DEACTIVATE = "deactivate_access_person"
SERVICE_DELETE = "delete_access_person"
SERVICE_LIST = "list_access_persons"

ATTR_ACCESS_PERSON_ID = "access_person_id"
ATTR_DEPARTMENT = "department"
ATTR_PIN = "pin"
ATTR_GENERATE_PIN = "generate_pin"
ATTR_CARD_NUMBER = "card_number"
ATTR_STATUSES = "statuses"
ATTR_TYPE = "type"
ATTR_INCLUDE_SECRETS = "include_secrets"

STATUSES = ("current", "upcoming", "expired", "deactivated")
PERSON_TYPES = ("access_user", "access_guest")

CREDENTIAL_FIELDS: dict[probatio.Marker, Any] = {
    probatio.Optional(ATTR_EMAIL): cv.string,
    probatio.Optional(ATTR_DEPARTMENT): cv.string,
    probatio.Optional(ATTR_PIN): cv.string,
    probatio.Optional(ATTR_GENERATE_PIN, default=False): cv.boolean,
    probatio.Optional(ATTR_CARD_NUMBER): cv.string,
}
PERSON_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required(ATTR_ACCESS_PERSON_ID): cv.string,
    }
)
UPDATE_SCHEMA = PERSON_SCHEMA.extend(
    {
        probatio.Optional(ATTR_NAME): cv.string,
        **CREDENTIAL_FIELDS,
        probatio.Optional(ATTR_STARTS_AT): cv.datetime,
        probatio.Optional(ATTR_ENDS_AT): cv.datetime,
    }
)
LIST_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Optional(ATTR_STATUSES): probatio.All(
            cv.ensure_list, [probatio.In(STATUSES)]
        ),
        probatio.Optional(ATTR_TYPE): probatio.In(PERSON_TYPES),
        probatio.Optional(ATTR_INCLUDE_SECRETS, default=False): cv.boolean,
    }
)


def person_fields(data: Mapping[str, Any], *, create: bool) -> dict[str, Any]:
    """Return name, e-mail, department and credentials, checked before sending.

    A PIN is digits only (the document states no length); it cannot be combined
    with ``generate_pin``; a new person needs a PIN, a card or a generated PIN. A
    card number may come with a PIN (the document's own example sends both).
    """
    pin = text(data, ATTR_PIN)
    card = text(data, ATTR_CARD_NUMBER)
    generate = bool(data.get(ATTR_GENERATE_PIN))
    if pin is not None and not (pin.isascii() and pin.isdigit()):
        raise invalid("access_pin_not_digits")
    if pin is not None and generate:
        raise invalid("access_pin_and_generate")
    if create and not (pin or card or generate):
        raise invalid("access_credential_required")
    fields = {
        ATTR_NAME: text(data, ATTR_NAME),
        ATTR_EMAIL: text(data, ATTR_EMAIL),
        ATTR_DEPARTMENT: text(data, ATTR_DEPARTMENT),
        ATTR_PIN: pin,
        ATTR_CARD_NUMBER: card,
        ATTR_GENERATE_PIN: generate or None,
    }
    if create and fields[ATTR_NAME] is None:
        raise invalid("access_name_required")
    return {key: value for key, value in fields.items() if value is not None}


def _when(value: datetime | None, zone: str | None) -> str | None:
    if value is not None and zone is not None:
        return local_iso(value, zone)
    return value.isoformat() if value is not None else None


def person_summary(
    person: AccessUser | AccessGuest, *, zone: str | None = None, secrets: bool = True
) -> dict[str, Any]:
    """Describe an access person for response data.

    Guest times carry their UTC offset when ``zone`` is known, else they are the
    location's wall-clock times as stored. PINs, cards, e-mail and phone only with
    ``secrets`` (the caller asked for them).
    """
    result: dict[str, Any] = {
        "access_person_id": person.id,
        "type": person.type,
        "name": person.name,
        "department": person.department,
        "status": person.status,
    }
    if secrets:
        result.update(
            pin=person.pin,
            card_number=person.card_number,
            email=person.email,
            phone=person.phone,
        )
    if isinstance(person, AccessGuest):
        result["starts_at"] = _when(person.starts_at, zone)
        result["ends_at"] = _when(person.ends_at, zone)
        if zone:
            result["time_zone"] = zone
    return result


@translated
async def async_update(call: ServiceCall) -> ServiceResponse:
    """Change an access person; guest times are converted like on creation."""
    acct = account(call.hass, call)
    client = acct.coordinator.client
    person_id = call.data[ATTR_ACCESS_PERSON_ID]
    changes = person_fields(call.data, create=False)
    start = call.data.get(ATTR_STARTS_AT)
    end = call.data.get(ATTR_ENDS_AT)
    if not changes and start is None and end is None:
        raise invalid("access_nothing_to_update")
    zone: str | None = None
    if start is not None or end is not None:
        start = as_aware(start) if start is not None else None
        end = as_aware(end) if end is not None else None
        if start is not None and end is not None:
            check_order(start, end)
        person = await client.async_get_access_person(person_id)
        if not isinstance(person, AccessGuest):
            raise invalid("access_times_for_user", name=person.name or person_id)
        accesses = await client.async_list_accesses(person_id)
        targets = [
            AccessTarget(access.accessible_type or "", access.accessible_id or "", "")
            for access in accesses
        ]
        zone = pick_zone(acct, await async_target_zones(acct, targets))
        if start is not None:
            changes[ATTR_STARTS_AT] = to_local(start, zone)
        if end is not None:
            changes[ATTR_ENDS_AT] = to_local(end, zone)
        first = changes.get(ATTR_STARTS_AT, person.starts_at)
        last = changes.get(ATTR_ENDS_AT, person.ends_at)
        if first is not None and last is not None:
            check_local_order(first, last, zone)
    updated = await client.async_update_access_person(person_id, **changes)
    return person_summary(updated, zone=zone) if call.return_response else None


@translated
async def async_deactivate(call: ServiceCall) -> ServiceResponse:
    """Deactivate an access person on every device, keeping the history."""
    acct = account(call.hass, call)
    await acct.coordinator.client.async_deactivate_access_person(
        call.data[ATTR_ACCESS_PERSON_ID]
    )
    return None


@translated
async def async_delete(call: ServiceCall) -> ServiceResponse:
    """Delete an access person for good (no history is kept)."""
    acct = account(call.hass, call)
    await acct.coordinator.client.async_delete_access_person(
        call.data[ATTR_ACCESS_PERSON_ID]
    )
    return None


@translated
async def async_list(call: ServiceCall) -> ServiceResponse:
    """List access persons; by default the current and upcoming ones.

    Anyone may list names and validity; PINs, cards, e-mails and phones
    (include_secrets) only an administrator.
    """
    if call.data[ATTR_INCLUDE_SECRETS]:
        await async_require_admin(call)
    acct = account(call.hass, call)
    persons = await acct.coordinator.client.async_list_access_persons(
        statuses=call.data.get(ATTR_STATUSES) or None,
        types=call.data.get(ATTR_TYPE),
    )
    secrets = call.data[ATTR_INCLUDE_SECRETS]
    return {
        "access_persons": [person_summary(p, secrets=secrets) for p in persons],
        "total_count": persons.total_count,
        "truncated": persons.truncated,
    }
