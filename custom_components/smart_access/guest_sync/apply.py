"""Read a link's guests at RemoteLock and carry out a reconcile's actions.

Plain async Python against the RemoteLock client. Every action is tried and its
result returned item by item: one refused create or grant does not stop the rest,
and a half-applied change (a guest created, one of its doors refused) is reported
as such; the next reconcile sees the difference and finishes it.

Requests: reading costs the guest list (``GET /access_persons?type=access_guest``,
50 a page) plus one ``GET …/accesses`` per guest of this link; a create costs one
request plus one per target, an update one for name or times plus one per door
granted or revoked, a deactivation one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ..api.errors import SmartAccessApiError, ValidationError
from ..api.remotelock import RemoteLockClient
from ..api.remotelock.models import AccessGuest
from .model import (
    Action,
    ActionKind,
    Applied,
    GuestKey,
    GuestState,
    ManagedGuest,
    TargetRef,
    marked_name,
    split_marked_name,
)


@dataclass(slots=True)
class Actual:
    """The link's guests at RemoteLock, and each one's accesses by target."""

    guests: list[ManagedGuest] = field(default_factory=list)
    accesses: dict[str, dict[TargetRef, str]] = field(default_factory=dict)


async def read_actual(
    client: RemoteLockClient,
    link_tag: str,
    zone_of: Callable[[TargetRef], str | None],
    applied: Mapping[GuestKey, Applied],
) -> Actual:
    """Return the guests carrying ``link_tag``'s marker, keyed by booking and zone.

    A guest's zone is its first door's; a guest without doors (its grants failed)
    takes the zone the link last wrote it under.
    """
    zone_by_guest = {last.guest_id: key[1] for key, last in applied.items()}
    actual = Actual()
    persons = await client.async_list_access_persons(types="access_guest")
    for person in persons:
        if not isinstance(person, AccessGuest):
            continue
        marked = split_marked_name(person.name, link_tag)
        if marked is None or person.starts_at is None or person.ends_at is None:
            continue
        name, ref = marked
        accesses = await client.async_list_accesses(person.id)
        doors = {
            (access.accessible_type, access.accessible_id): access.id
            for access in accesses
            if access.accessible_type and access.accessible_id
        }
        targets = tuple(sorted(doors))
        zone = next(
            (found for ref_ in targets if (found := zone_of(ref_))), None
        ) or zone_by_guest.get(person.id)
        if zone is None:
            continue
        actual.accesses[person.id] = doors
        actual.guests.append(
            ManagedGuest(
                person.id,
                (ref, zone),
                GuestState(name, person.starts_at, person.ends_at, targets),
                person.status,
            )
        )
    return actual


@dataclass(frozen=True, slots=True)
class Result:
    """How one action went. ``pin`` (a secret) is the new guest's PIN, for notify."""

    action: Action
    ok: bool
    guest_id: str | None = None
    errors: tuple[str, ...] = ()
    pin_refused: bool = False
    pin: str | None = field(default=None, repr=False)


def _pin_refused(err: SmartAccessApiError) -> bool:
    return isinstance(err, ValidationError) and any(
        item.attribute == "pin" for item in err.field_errors
    )


async def _set_targets(
    client: RemoteLockClient,
    guest_id: str,
    wanted: Iterable[TargetRef],
    current: Mapping[TargetRef, str],
) -> list[str]:
    """Grant the missing doors and revoke the extra ones; return what failed."""
    errors: list[str] = []
    wanted = set(wanted)
    for kind, target_id in sorted(wanted - set(current)):
        try:
            await client.async_grant_access(
                guest_id, accessible_type=kind, accessible_id=target_id
            )
        except SmartAccessApiError as err:
            errors.append(f"grant {kind} {target_id}: {err}")
    for ref in sorted(set(current) - wanted):
        try:
            await client.async_revoke_access(guest_id, current[ref])
        except SmartAccessApiError as err:
            errors.append(f"revoke {ref[0]} {ref[1]}: {err}")
    return errors


async def _create(client: RemoteLockClient, action: Action, link_tag: str) -> Result:
    desired = action.desired
    assert desired is not None
    state = desired.state
    try:
        person = await client.async_create_access_guest(
            name=marked_name(state.name, link_tag, desired.key[0]),
            starts_at=state.starts_at,
            ends_at=state.ends_at,
            pin=desired.pin,
            generate_pin=desired.pin is None,
        )
    except SmartAccessApiError as err:
        return Result(action, False, errors=(str(err),), pin_refused=_pin_refused(err))
    errors = await _set_targets(client, person.id, state.targets, {})
    return Result(action, not errors, person.id, tuple(errors), pin=person.pin)


async def _update(
    client: RemoteLockClient, action: Action, link_tag: str, actual: Actual
) -> Result:
    desired, guest_id = action.desired, action.guest_id
    assert desired is not None
    assert guest_id is not None
    state = desired.state
    errors: list[str] = []
    if {"name", "starts_at", "ends_at"} & set(action.fields):
        try:
            await client.async_update_access_person(
                guest_id,
                name=marked_name(state.name, link_tag, desired.key[0]),
                starts_at=state.starts_at,
                ends_at=state.ends_at,
            )
        except SmartAccessApiError as err:
            errors.append(str(err))
    if "targets" in action.fields:
        errors += await _set_targets(
            client, guest_id, state.targets, actual.accesses.get(guest_id, {})
        )
    return Result(action, not errors, guest_id, tuple(errors))


async def apply_actions(
    client: RemoteLockClient, actions: Iterable[Action], link_tag: str, actual: Actual
) -> list[Result]:
    """Carry out ``actions`` in order; return one result per action."""
    results: list[Result] = []
    for action in actions:
        if action.kind is ActionKind.CREATE:
            results.append(await _create(client, action, link_tag))
        elif action.kind is ActionKind.UPDATE:
            results.append(await _update(client, action, link_tag, actual))
        elif action.kind is ActionKind.DEACTIVATE:
            assert action.guest_id is not None
            try:
                await client.async_deactivate_access_person(action.guest_id)
            except SmartAccessApiError as err:
                results.append(
                    Result(action, False, action.guest_id, errors=(str(err),))
                )
            else:
                results.append(Result(action, True, action.guest_id))
        else:
            results.append(Result(action, True, action.guest_id))
    return results
