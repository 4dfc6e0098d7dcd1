"""Read a link's guests at RemoteLock and carry out a reconcile's actions.

Plain async Python against the RemoteLock client. Every action is tried and its
result returned item by item: one refused create or grant does not stop the rest,
and a half-applied change (a guest created, one of its doors refused) is reported
as such; the next reconcile sees the difference and finishes it.

Requests: reading costs the guest list (``GET /access_persons?type=access_guest``,
50 a page; none when the caller passes a list it already read, e.g. one shared by
several links) plus, per guest of this link, one ``GET …/accesses`` (or one per
lock or ACS door of the link, when fewer); a create costs one request plus one per
target, plus one for the instructions e-mail (``send_instructions``, a guest with
an e-mail), an update one for name or times plus one per door granted or revoked,
a deactivation one. ``apply_actions`` spends at most ``budget`` requests (the rate
limit is shared with polling and commands) and stops at a 429: the actions left
are *deferred*, and the next reconcile finds them again.

Rules:

* Every door is granted under the link's access schedule (``access_schedule_id``,
  None for none); doors granted before keep the schedule they were granted with.
* A create sends the guest's e-mail (if any); with ``send_instructions`` and once
  all its doors are granted, RemoteLock is asked to send the access instructions
  e-mail (``POST /access_persons/:id/email/notify``, at once; RemoteLock needs an
  e-mail, so a guest without one is not asked for). A refused e-mail is an error
  of that create, the guest stays created and it is not retried.
* A refused update of the name or times leaves ``Result.written`` with the name
  and times RemoteLock still holds, so that the next reconcile tries it again as a
  booking change (not as a change made in the portal).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..api.errors import (
    NotFoundError,
    RateLimitError,
    SmartAccessApiError,
    ValidationError,
)
from ..api.remotelock import RemoteLockClient
from ..api.remotelock.models import AccessGuest, AccessUser
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
    # The access persons read (or given), for a caller that shares them.
    persons: Sequence[AccessUser | AccessGuest] = ()
    # Locks and doors whose access list answered 404: deleted at RemoteLock.
    gone: set[TargetRef] = field(default_factory=set)

    def guest(self, guest_id: str) -> ManagedGuest | None:
        """Return the guest with ``guest_id``, if it is one of the link's."""
        return next((g for g in self.guests if g.guest_id == guest_id), None)


async def _doors_by_target(
    client: RemoteLockClient,
    targets: Iterable[TargetRef],
    guests: set[str],
    gone: set[TargetRef],
) -> dict[str, dict[TargetRef, str]]:
    """Read the guests' doors from each lock's and ACS door's access list.

    A lock or door deleted at RemoteLock (404) has no accesses any more; it is
    added to ``gone``.
    """
    doors: dict[str, dict[TargetRef, str]] = {guest_id: {} for guest_id in guests}
    for kind, target_id in sorted(targets):
        try:
            if kind == "acs_door":
                accesses = await client.async_list_acs_door_accesses(
                    target_id, access_person_type="access_guest"
                )
            else:
                accesses = await client.async_list_device_accesses(
                    target_id, access_person_type="access_guest"
                )
        except NotFoundError:
            gone.add((kind, target_id))
            continue
        for access in accesses:
            if access.access_person_id in doors and (
                access.accessible_type,
                access.accessible_id,
            ) == (kind, target_id):
                doors[access.access_person_id][(kind, target_id)] = access.id
    return doors


async def _doors_by_guest(
    client: RemoteLockClient, guests: set[str]
) -> dict[str, dict[TargetRef, str]]:
    """Read each guest's doors from its own access list.

    A guest deleted since the list was read (404) is left out: it is gone.
    """
    doors: dict[str, dict[TargetRef, str]] = {}
    for guest_id in sorted(guests):
        try:
            accesses = await client.async_list_accesses(guest_id)
        except NotFoundError:
            continue
        doors[guest_id] = {
            (access.accessible_type, access.accessible_id): access.id
            for access in accesses
            if access.accessible_type and access.accessible_id
        }
    return doors


async def read_actual(
    client: RemoteLockClient,
    link_tag: str,
    zone_of: Callable[[TargetRef], str | None],
    applied: Mapping[GuestKey, Applied],
    targets: Iterable[TargetRef] = (),
    persons: Iterable[AccessUser | AccessGuest] | None = None,
) -> Actual:
    """Return the guests carrying ``link_tag``'s marker, keyed by booking and zone.

    ``persons``: the access guests already read (``GET /access_persons`` with the
    default statuses, current and upcoming; users in it are skipped), used instead
    of reading them again; ``Actual.persons`` is the list used either way.

    Doors are read per lock or ACS door of the link (``targets``) when that takes
    fewer requests than one per guest and the link has no door groups or locations;
    otherwise per guest. Only the link's own doors are seen the first way, so a door
    added to a guest in the portal shows the second way only. A guest's zone is the
    one the link last wrote it under, else (mapping lost) its first door's.
    """
    zone_by_guest = {last.guest_id: key[1] for key, last in applied.items()}
    people: Sequence[AccessUser | AccessGuest]
    if persons is None:
        # A ResourceList: ``truncated`` tells the caller it saw only the first 10,000.
        people = await client.async_list_access_persons(types="access_guest")
    else:
        people = persons if isinstance(persons, Sequence) else tuple(persons)
    marked: dict[str, tuple[AccessGuest, str, str]] = {}
    for person in people:
        if not isinstance(person, AccessGuest):
            continue
        found = split_marked_name(person.name, link_tag)
        if found is None or person.starts_at is None or person.ends_at is None:
            continue
        marked[person.id] = (person, *found)
    # Doors the link had before count too, so that a door removed is revoked.
    refs = sorted(
        set(targets) | {ref for last in applied.values() for ref in last.state.targets}
    )
    per_target = bool(refs) and all(kind in ("lock", "acs_door") for kind, _ in refs)
    gone: set[TargetRef] = set()
    if per_target and len(refs) < len(marked):
        doors = await _doors_by_target(client, refs, set(marked), gone)
    else:
        doors = await _doors_by_guest(client, set(marked))
    actual = Actual(persons=people, gone=gone)
    for guest_id, (person, name, ref) in marked.items():
        if guest_id not in doors:
            continue  # deleted since the list was read
        own = doors[guest_id]
        ordered = tuple(sorted(own))
        # The zone the link wrote it under first: a door of another zone added in
        # the portal must not move the guest to that zone.
        zone = zone_by_guest.get(guest_id) or next(
            (door_zone for door in ordered if (door_zone := zone_of(door))), None
        )
        if zone is None:
            continue
        actual.accesses[guest_id] = own
        assert person.starts_at is not None
        assert person.ends_at is not None
        actual.guests.append(
            ManagedGuest(
                guest_id,
                (ref, zone),
                GuestState(name, person.starts_at, person.ends_at, ordered),
                person.status,
            )
        )
    return actual


@dataclass(frozen=True, slots=True)
class Result:
    """How one action went. ``pin`` (a secret) is the new guest's PIN, for notify.

    ``emailed``: RemoteLock accepted to send the new guest its access instructions.
    """

    action: Action
    ok: bool
    guest_id: str | None = None
    errors: tuple[str, ...] = ()
    pin_refused: bool = False
    email_refused: bool = False
    pin: str | None = field(default=None, repr=False)
    # Not tried: the budget was spent or RemoteLock answered 429.
    deferred: bool = False
    # Not tried: a cancellation waiting to be confirmed (sync.Confirmation).
    held: bool = False
    # Begun, then a 429 (e.g. a door of a new guest): the rest waits.
    rate_limited: bool = False
    # What RemoteLock now holds as far as this action knows (doors granted so far):
    # what to store, so that the next reconcile finishes a half-done change.
    written: GuestState | None = None
    emailed: bool = False


def _refused(err: SmartAccessApiError, attribute: str) -> bool:
    return isinstance(err, ValidationError) and any(
        item.attribute == attribute for item in err.field_errors
    )


async def _set_targets(
    client: RemoteLockClient,
    guest_id: str,
    wanted: Iterable[TargetRef],
    current: dict[TargetRef, str],
    access_schedule_id: str | None,
) -> tuple[list[str], bool]:
    """Grant the missing doors and revoke the extra ones (``current`` follows).

    Return what failed, and whether a 429 stopped it (the rest is left undone).
    """
    errors: list[str] = []
    wanted = set(wanted)
    try:
        for kind, target_id in sorted(wanted - set(current)):
            try:
                access = await client.async_grant_access(
                    guest_id,
                    accessible_type=kind,
                    accessible_id=target_id,
                    access_schedule_id=access_schedule_id,
                )
                current[(kind, target_id)] = access.id
            except RateLimitError:
                raise
            except SmartAccessApiError as err:
                errors.append(f"grant {kind} {target_id}: {err}")
        for ref in sorted(set(current) - wanted):
            try:
                await client.async_revoke_access(guest_id, current[ref])
                del current[ref]
            except NotFoundError:
                del current[ref]  # gone already (the lock was deleted, say)
            except RateLimitError:
                raise
            except SmartAccessApiError as err:
                errors.append(f"revoke {ref[0]} {ref[1]}: {err}")
    except RateLimitError as err:
        errors.append(f"rate limited: {err}")
        return errors, True
    return errors, False


@dataclass(frozen=True, slots=True)
class _Options:
    """What the link's options ask of every action."""

    send_instructions: bool = False
    access_schedule_id: str | None = None


async def _create(
    client: RemoteLockClient, action: Action, link_tag: str, options: _Options
) -> Result:
    desired = action.desired
    assert desired is not None
    state = desired.state
    try:
        person = await client.async_create_access_guest(
            name=marked_name(state.name, link_tag, desired.key[0]),
            starts_at=state.starts_at,
            ends_at=state.ends_at,
            email=desired.email,
            pin=desired.pin,
            generate_pin=desired.pin is None,
        )
    except RateLimitError:
        raise
    except SmartAccessApiError as err:
        return Result(
            action,
            False,
            errors=(str(err),),
            pin_refused=_refused(err, "pin"),
            email_refused=_refused(err, "email"),
        )
    doors: dict[TargetRef, str] = {}
    errors, limited = await _set_targets(
        client, person.id, state.targets, doors, options.access_schedule_id
    )
    emailed = False
    if options.send_instructions and desired.email and not errors:
        try:
            await client.async_notify_access_person(person.id)
            emailed = True
        except RateLimitError as err:
            errors.append(f"instructions e-mail: rate limited: {err}")
            limited = True
        except SmartAccessApiError as err:
            errors.append(f"instructions e-mail: {err}")
    return Result(
        action,
        not errors,
        person.id,
        tuple(errors),
        pin=person.pin,
        rate_limited=limited,
        written=replace(state, targets=tuple(sorted(doors))),
        emailed=emailed,
    )


async def _update(
    client: RemoteLockClient,
    action: Action,
    link_tag: str,
    actual: Actual,
    options: _Options,
) -> Result:
    desired, guest_id = action.desired, action.guest_id
    assert desired is not None
    assert guest_id is not None
    state = desired.state
    # What RemoteLock holds so far: the desired state once each part is done.
    held = state
    errors: list[str] = []
    if {"name", "starts_at", "ends_at"} & set(action.fields):
        try:
            await client.async_update_access_person(
                guest_id,
                name=marked_name(state.name, link_tag, desired.key[0]),
                starts_at=state.starts_at,
                ends_at=state.ends_at,
            )
        except RateLimitError:
            raise
        except SmartAccessApiError as err:
            errors.append(str(err))
            # Refused: the guest keeps its name and times (stored as such, the next
            # reconcile sees the booking's change still to make).
            if (current := actual.guest(guest_id)) is not None:
                held = replace(
                    state,
                    name=current.state.name,
                    starts_at=current.state.starts_at,
                    ends_at=current.state.ends_at,
                )
    limited = False
    doors = dict(actual.accesses.get(guest_id, {}))
    if "targets" in action.fields:
        more, limited = await _set_targets(
            client, guest_id, state.targets, doors, options.access_schedule_id
        )
        errors += more
    return Result(
        action,
        not errors,
        guest_id,
        tuple(errors),
        rate_limited=limited,
        written=replace(held, targets=tuple(sorted(doors))),
    )


def cost(action: Action, actual: Actual, *, send_instructions: bool = False) -> int:
    """Return the requests an action takes (at most; a failed create stops early)."""
    desired = action.desired
    if action.kind is ActionKind.CREATE:
        assert desired is not None
        email = send_instructions and bool(desired.email)
        return 1 + len(desired.state.targets) + int(email)
    if action.kind is ActionKind.UPDATE:
        assert desired is not None
        requests = int(bool({"name", "starts_at", "ends_at"} & set(action.fields)))
        if "targets" in action.fields:
            current = set(actual.accesses.get(action.guest_id or "", {}))
            requests += len(current ^ set(desired.state.targets))
        return requests
    return int(action.kind is ActionKind.DEACTIVATE)


async def apply_actions(
    client: RemoteLockClient,
    actions: Iterable[Action],
    link_tag: str,
    actual: Actual,
    *,
    budget: int | None = None,
    send_instructions: bool = False,
    access_schedule_id: str | None = None,
) -> list[Result]:
    """Carry out ``actions`` in order within ``budget`` requests; one result each.

    ``send_instructions``: have RemoteLock e-mail each new guest with an e-mail its
    access instructions. ``access_schedule_id``: the schedule doors are granted
    under (see the module's docstring).
    """
    options = _Options(send_instructions, access_schedule_id)
    results: list[Result] = []
    left = budget
    stopped = False
    for action in actions:
        needs = cost(action, actual, send_instructions=send_instructions)
        # An action larger than the whole budget still goes, alone and first; one
        # that does not fit what is left waits, and cheaper ones after it go on.
        too_big = left is not None and needs > left and left != budget
        if stopped or too_big:
            results.append(Result(action, False, action.guest_id, deferred=True))
            continue
        if left is not None:
            left -= needs
        try:
            result = await _apply_one(client, action, link_tag, actual, options)
        except RateLimitError:
            stopped = True
            result = Result(action, False, action.guest_id, deferred=True)
        stopped = stopped or result.rate_limited
        results.append(result)
    return results


async def _apply_one(
    client: RemoteLockClient,
    action: Action,
    link_tag: str,
    actual: Actual,
    options: _Options,
) -> Result:
    """Carry out one action; a 429 before anything changed is raised."""
    if action.kind is ActionKind.CREATE:
        return await _create(client, action, link_tag, options)
    if action.kind is ActionKind.UPDATE:
        return await _update(client, action, link_tag, actual, options)
    if action.kind is ActionKind.DEACTIVATE:
        assert action.guest_id is not None
        try:
            await client.async_deactivate_access_person(action.guest_id)
        except RateLimitError:
            raise
        except SmartAccessApiError as err:
            return Result(action, False, action.guest_id, errors=(str(err),))
    return Result(action, True, action.guest_id)
