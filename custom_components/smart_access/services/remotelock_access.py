"""RemoteLock access-person actions: create users and guests; registration of all.

Creating is several requests: the person, one grant per target, the optional
instructions e-mail. Everything that can be checked is checked before the first
request; if a later step fails, the error names the person that was created and
exactly which steps failed.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
import probatio

from ..api.errors import SmartAccessApiError
from . import remotelock_grants as grants, remotelock_persons as persons
from .common import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_EMAIL,
    ATTR_ENDS_AT,
    ATTR_NAME,
    ATTR_SEND_INSTRUCTIONS,
    ATTR_STARTS_AT,
    DAYS_BEFORE,
    GUEST_WINDOW_FIELDS,
    SEND_INSTRUCTIONS_FIELD,
    Handler,
    failed,
    failure_reason,
    invalid,
    register_actions,
    translated,
)
from .remotelock_persons import CREDENTIAL_FIELDS, person_fields, person_summary
from .remotelock_targets import (
    ATTR_ACCESS_SCHEDULE,
    TARGET_FIELDS,
    account,
    async_schedule_id,
    async_targets,
)
from .remotelock_times import (
    as_aware,
    async_target_zones,
    check_local_order,
    check_order,
    pick_zone,
    to_local,
)

SERVICE_CREATE_USER = "create_access_user"
SERVICE_CREATE_GUEST = "create_access_guest"

ATTR_DAYS_BEFORE = "instructions_days_before"

USER_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required(ATTR_NAME): cv.string,
        **CREDENTIAL_FIELDS,
        **TARGET_FIELDS,
        probatio.Optional(ATTR_ACCESS_SCHEDULE): cv.string,
        **SEND_INSTRUCTIONS_FIELD,
    }
)
GUEST_SCHEMA = USER_SCHEMA.extend(
    {**GUEST_WINDOW_FIELDS, probatio.Optional(ATTR_DAYS_BEFORE): DAYS_BEFORE}
)


async def _async_create(call: ServiceCall, *, guest: bool) -> ServiceResponse:
    acct = account(call.hass, call)
    client = acct.coordinator.client
    data = call.data
    fields = person_fields(data, create=True)
    days_before: int | None = data.get(ATTR_DAYS_BEFORE)
    notify = bool(data[ATTR_SEND_INSTRUCTIONS]) or days_before is not None
    if notify and ATTR_EMAIL not in fields:
        raise invalid("access_instructions_need_email")
    window: tuple[datetime, datetime] | None = None
    if guest:
        window = as_aware(data[ATTR_STARTS_AT]), as_aware(data[ATTR_ENDS_AT])
        check_order(*window)
    targets = await async_targets(call.hass, acct, data)
    schedule_id = await async_schedule_id(acct, data)
    zone: str | None = None
    if window is not None:
        zone = pick_zone(acct, await async_target_zones(acct, targets))
        local_start, local_end = (to_local(value, zone) for value in window)
        check_local_order(local_start, local_end, zone)
        person = await client.async_create_access_guest(
            starts_at=local_start, ends_at=local_end, **fields
        )
    else:
        person = await client.async_create_access_user(**fields)

    name = person.name or fields[ATTR_NAME]
    granted, failures = await grants.async_grant_all(
        acct, person.id, targets, schedule_id
    )
    if failures:
        raise failed(
            "access_create_grants_failed",
            name=name,
            person_id=person.id,
            failed="; ".join(failures),
            done=", ".join(item["target"] for item in granted) or "-",
        )
    instructions = "not_requested"
    if notify:
        try:
            await client.async_notify_access_person(person.id, days_before=days_before)
        except SmartAccessApiError as err:
            raise failed(
                "access_create_email_failed",
                name=name,
                person_id=person.id,
                error=failure_reason(err),
            ) from err
        instructions = "sent" if days_before is None else "scheduled"
    if not call.return_response:
        return None
    result = person_summary(person, zone=zone)
    result.update(accesses=granted, instructions=instructions)
    return result


@translated
async def async_create_user(call: ServiceCall) -> ServiceResponse:
    """Create a permanent access user and grant the chosen accesses."""
    return await _async_create(call, guest=False)


@translated
async def async_create_guest(call: ServiceCall) -> ServiceResponse:
    """Create a time-boxed access guest and grant the chosen accesses."""
    return await _async_create(call, guest=True)


_ACTIONS: tuple[tuple[str, Handler, probatio.Schema, SupportsResponse], ...] = (
    (SERVICE_CREATE_USER, async_create_user, USER_SCHEMA, SupportsResponse.OPTIONAL),
    (SERVICE_CREATE_GUEST, async_create_guest, GUEST_SCHEMA, SupportsResponse.OPTIONAL),
    (
        persons.SERVICE_UPDATE,
        persons.async_update,
        persons.UPDATE_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    (
        persons.SERVICE_DEACTIVATE,
        persons.async_deactivate,
        persons.PERSON_SCHEMA,
        SupportsResponse.NONE,
    ),
    (
        persons.SERVICE_DELETE,
        persons.async_delete,
        persons.PERSON_SCHEMA,
        SupportsResponse.NONE,
    ),
    (
        persons.SERVICE_LIST,
        persons.async_list,
        persons.LIST_SCHEMA,
        SupportsResponse.ONLY,
    ),
    (
        grants.SERVICE_GRANT,
        grants.async_grant,
        grants.GRANT_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    (
        grants.SERVICE_REVOKE,
        grants.async_revoke,
        grants.TARGETS_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
)


@callback
def async_register(hass: HomeAssistant) -> None:
    """Register the RemoteLock access-person actions."""
    register_actions(hass, _ACTIONS)
