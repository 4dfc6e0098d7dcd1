"""Grant and revoke RemoteLock accesses of an access person."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from homeassistant.core import ServiceCall, ServiceResponse
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv
import probatio

from ..api.errors import NotFoundError, SmartAccessApiError
from .common import (
    ATTR_CONFIG_ENTRY_ID,
    failed,
    failure_reason,
    invalid,
    translated,
)
from .remotelock_persons import ATTR_ACCESS_PERSON_ID
from .remotelock_targets import (
    ATTR_ACCESS_SCHEDULE,
    TARGET_FIELDS,
    AccessTarget,
    Account,
    account,
    async_schedule_id,
    async_targets,
    require_targets,
)

SERVICE_GRANT = "grant_access"
SERVICE_REVOKE = "revoke_access"

TARGETS_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required(ATTR_ACCESS_PERSON_ID): cv.string,
        **TARGET_FIELDS,
    }
)
GRANT_SCHEMA = TARGETS_SCHEMA.extend(
    {probatio.Optional(ATTR_ACCESS_SCHEDULE): cv.string}
)

type Step = Callable[[], Awaitable[dict[str, Any]]]


async def run_steps(
    steps: Iterable[tuple[AccessTarget, Step]], *, fatal: type[Exception] | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Run every step; return the results and ``"target: reason"`` per failure.

    An error of type ``fatal`` before anything succeeded is raised as it is (the
    person itself is unknown, so every step would fail the same way).
    """
    done: list[dict[str, Any]] = []
    failures: list[str] = []
    for target, step in steps:
        try:
            done.append(await step())
        except SmartAccessApiError as err:
            if fatal is not None and isinstance(err, fatal) and not done:
                raise
            failures.append(f"{target.label}: {failure_reason(err)}")
    return done, failures


def _target_info(target: AccessTarget) -> dict[str, Any]:
    return {
        "target": target.label,
        "accessible_type": target.accessible_type,
        "accessible_id": target.accessible_id,
    }


async def async_grant_all(
    acct: Account,
    person_id: str,
    targets: list[AccessTarget],
    schedule_id: str | None,
    *,
    fatal: type[Exception] | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Grant every target, one request each; report what worked and what failed."""
    client = acct.coordinator.client

    def step(target: AccessTarget) -> Step:
        async def grant() -> dict[str, Any]:
            access = await client.async_grant_access(
                person_id,
                accessible_type=target.accessible_type,
                accessible_id=target.accessible_id,
                access_schedule_id=schedule_id,
            )
            return {**_target_info(target), "access_id": access.id}

        return grant

    return await run_steps(((t, step(t)) for t in targets), fatal=fatal)


def incomplete(
    action: str, person: str, done: list[dict[str, Any]], failures: list[str]
) -> HomeAssistantError:
    """Say which steps of a grant or revoke failed and which went through."""
    return failed(
        "access_steps_failed",
        action=action,
        person=person,
        failed="; ".join(failures),
        done=", ".join(item["target"] for item in done) or "-",
    )


def _outcome(
    call: ServiceCall,
    person_id: str,
    key: str,
    done: list[dict[str, Any]],
    failures: list[str],
) -> ServiceResponse:
    """Raise when a step failed; else report the steps done, if asked to."""
    if failures:
        raise incomplete(call.service, person_id, done, failures)
    if not call.return_response:
        return None
    result: dict[str, Any] = {"access_person_id": person_id, key: done}
    return result


@translated
async def async_grant(call: ServiceCall) -> ServiceResponse:
    """Give an existing access person access to more locks, doors, groups or places."""
    acct = account(call.hass, call)
    person_id = call.data[ATTR_ACCESS_PERSON_ID]
    targets = await async_targets(call.hass, acct, call.data)
    require_targets(targets)
    schedule_id = await async_schedule_id(acct, call.data)
    granted, failures = await async_grant_all(
        acct, person_id, targets, schedule_id, fatal=NotFoundError
    )
    return _outcome(call, person_id, "accesses", granted, failures)


@translated
async def async_revoke(call: ServiceCall) -> ServiceResponse:
    """Take accesses away; only accesses granted directly to the targets named."""
    acct = account(call.hass, call)
    client = acct.coordinator.client
    person_id = call.data[ATTR_ACCESS_PERSON_ID]
    targets = await async_targets(call.hass, acct, call.data)
    require_targets(targets)
    accesses = {a.accessible_id: a for a in await client.async_list_accesses(person_id)}
    missing = [t.label for t in targets if t.accessible_id not in accesses]
    if missing:
        raise invalid(
            "access_not_granted", person=person_id, targets=", ".join(missing)
        )

    def step(target: AccessTarget) -> Step:
        access_id = accesses[target.accessible_id].id

        async def revoke() -> dict[str, Any]:
            await client.async_revoke_access(person_id, access_id)
            return {**_target_info(target), "access_id": access_id}

        return revoke

    revoked, failures = await run_steps((t, step(t)) for t in targets)
    return _outcome(call, person_id, "revoked", revoked, failures)
