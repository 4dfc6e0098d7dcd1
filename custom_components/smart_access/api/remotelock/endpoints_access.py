"""Access persons (users and guests), their accesses, and resort lock guests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from ..errors import FieldError, ValidationError
from .core import RemoteLockCore, filter_params, sort_params
from .inputs import body
from .models import (
    Access,
    AccessGuest,
    AccessUser,
    EmailPreview,
    Page,
    ResortLockGuest,
    ResourceList,
    parse_access,
    parse_access_person,
    parse_email_preview,
    parse_resort_lock_guest,
)
from .models.access import ACCESS_GUEST, ACCESS_USER


def _person_values(
    name: str | None,
    email: str | None,
    pin: str | None,
    card_number: str | None,
    generate_pin: bool | None,
    department: str | None,
) -> dict[str, Any]:
    """Return the attributes users and guests share (``None`` ones are not sent)."""
    return {
        "name": name,
        "email": email,
        "pin": pin,
        "card_number": card_number,
        "generate_pin": generate_pin,
        "department": department,
    }


def _require_credential(
    pin: str | None, card_number: str | None, generate_pin: bool
) -> None:
    if pin is None and card_number is None and not generate_pin:
        raise ValidationError(
            "pin, card_number or generate_pin is required",
            (FieldError("pin", ("pin, card_number or generate_pin is required",)),),
        )


def _check_window(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise ValidationError(
            "ends_at must be after starts_at",
            (FieldError("ends_at", ("must be after starts_at",)),),
        )


class AccessEndpoints(RemoteLockCore):
    """Endpoints about who may enter where."""

    # -- access persons ----------------------------------------------------------
    async def async_list_access_persons(
        self,
        *,
        statuses: Sequence[str] | None = None,
        types: str | Sequence[str] | None = None,
        sort: str | Sequence[str] | None = None,
    ) -> ResourceList[AccessUser | AccessGuest]:
        """Return access persons (``GET /access_persons``).

        Without ``statuses`` the API returns only ``current`` and ``upcoming`` ones;
        pass e.g. ``("deactivated", "expired")`` for past ones.
        """
        params = filter_params(types=types, status=statuses, sort=sort)
        return await self._list("/access_persons", parse_access_person, params)

    async def async_list_access_persons_page(
        self,
        page: int = 1,
        per_page: int = 50,
        *,
        statuses: Sequence[str] | None = None,
        types: str | Sequence[str] | None = None,
        sort: str | Sequence[str] | None = None,
    ) -> Page[AccessUser | AccessGuest]:
        """Return one page of access persons."""
        params = filter_params(types=types, status=statuses, sort=sort)
        return await self._page(
            "/access_persons", parse_access_person, params, page, per_page
        )

    async def async_get_access_person(self, person_id: str) -> AccessUser | AccessGuest:
        """Return one access person (``GET /access_persons/:id``)."""
        return await self._get_one(f"/access_persons/{person_id}", parse_access_person)

    async def async_create_access_user(
        self,
        *,
        name: str,
        email: str | None = None,
        pin: str | None = None,
        card_number: str | None = None,
        generate_pin: bool = False,
        department: str | None = None,
    ) -> AccessUser | AccessGuest:
        """Create a permanent access user (``POST /access_persons``).

        One of ``pin``, ``card_number`` or ``generate_pin=True`` is required (checked
        before sending); the answer carries the (generated) PIN.
        """
        _require_credential(pin, card_number, generate_pin)
        values = _person_values(
            name, email, pin, card_number, generate_pin or None, department
        )
        return await self._create(
            "/access_persons", parse_access_person, values, ACCESS_USER
        )

    async def async_create_access_guest(
        self,
        *,
        name: str,
        starts_at: datetime,
        ends_at: datetime,
        email: str | None = None,
        pin: str | None = None,
        card_number: str | None = None,
        generate_pin: bool = False,
        department: str | None = None,
    ) -> AccessUser | AccessGuest:
        """Create a time-boxed access guest (``POST /access_persons``).

        ``starts_at``/``ends_at`` are naive local times of the location (see
        :func:`aware_to_local_naive`); an aware value raises ValidationError.
        """
        _require_credential(pin, card_number, generate_pin)
        _check_window(starts_at, ends_at)
        values = _person_values(
            name, email, pin, card_number, generate_pin or None, department
        ) | {"starts_at": starts_at, "ends_at": ends_at}
        return await self._create(
            "/access_persons", parse_access_person, values, ACCESS_GUEST
        )

    async def async_update_access_person(
        self,
        person_id: str,
        *,
        name: str | None = None,
        email: str | None = None,
        pin: str | None = None,
        card_number: str | None = None,
        generate_pin: bool | None = None,
        department: str | None = None,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
    ) -> AccessUser | AccessGuest:
        """Change an access user or guest (``PUT /access_persons/:id``).

        ``starts_at``/``ends_at`` apply to guests only (naive local times).
        """
        _check_window(starts_at, ends_at)
        values = _person_values(
            name, email, pin, card_number, generate_pin, department
        ) | {"starts_at": starts_at, "ends_at": ends_at}
        return await self._update(
            f"/access_persons/{person_id}", parse_access_person, values
        )

    async def async_deactivate_access_person(
        self, person_id: str
    ) -> AccessUser | AccessGuest:
        """Deactivate an access person, keeping its history.

        ``PUT /access_persons/:id/deactivate`` (recommended over deleting).
        """
        return await self._send_one(
            "PUT", f"/access_persons/{person_id}/deactivate", parse_access_person
        )

    async def async_delete_access_person(self, person_id: str) -> None:
        """Delete an access person for good (``DELETE /access_persons/:id``)."""
        await self._delete(f"/access_persons/{person_id}")

    async def async_notify_access_person(
        self, person_id: str, *, days_before: int | None = None
    ) -> None:
        """Send (or schedule) the access instructions e-mail to a guest.

        ``POST /access_persons/:id/email/notify``; without ``days_before`` the e-mail
        goes out at once.
        """
        await self._send_no_content(
            "POST",
            f"/access_persons/{person_id}/email/notify",
            body({"days_before": days_before}),
        )

    # -- accesses ----------------------------------------------------------------
    async def async_list_accesses(self, person_id: str) -> ResourceList[Access]:
        """Return an access person's accesses (``GET /access_persons/:id/accesses``)."""
        return await self._list(f"/access_persons/{person_id}/accesses", parse_access)

    async def async_list_accesses_page(
        self, person_id: str, page: int = 1, per_page: int = 50
    ) -> Page[Access]:
        """Return one page of an access person's accesses."""
        return await self._page(
            f"/access_persons/{person_id}/accesses", parse_access, None, page, per_page
        )

    async def async_get_access(self, person_id: str, access_id: str) -> Access:
        """Return one access (``GET /access_persons/:person_id/accesses/:id``)."""
        return await self._get_one(
            f"/access_persons/{person_id}/accesses/{access_id}", parse_access
        )

    async def async_grant_access(
        self,
        person_id: str,
        *,
        accessible_type: str,
        accessible_id: str,
        access_schedule_id: str | None = None,
        guest_start_time: time | None = None,
        guest_end_time: time | None = None,
    ) -> Access:
        """Grant access to a lock, acs_door, door_group or location.

        ``POST /access_persons/:id/accesses``; guest times override the guest's
        daily start/end (24 hour times).
        """
        values = {
            "accessible_type": accessible_type,
            "accessible_id": accessible_id,
            "access_schedule_id": access_schedule_id,
            "guest_start_time": guest_start_time,
            "guest_end_time": guest_end_time,
        }
        return await self._create(
            f"/access_persons/{person_id}/accesses", parse_access, values
        )

    async def async_update_access(
        self, person_id: str, access_id: str, *, access_schedule_id: str
    ) -> Access:
        """Change the access schedule of an access (the only changeable attribute).

        ``PUT /access_persons/:person_id/accesses/:id``.
        """
        return await self._update(
            f"/access_persons/{person_id}/accesses/{access_id}",
            parse_access,
            {"access_schedule_id": access_schedule_id},
        )

    async def async_revoke_access(self, person_id: str, access_id: str) -> None:
        """Revoke an access (``DELETE /access_persons/:person_id/accesses/:id``)."""
        await self._delete(f"/access_persons/{person_id}/accesses/{access_id}")

    # -- resort lock guests ------------------------------------------------------
    async def async_list_resort_lock_guests(
        self, *, sort: str | Sequence[str] | None = None
    ) -> ResourceList[ResortLockGuest]:
        """Return every resort lock guest (``GET /resort_lock_guests``)."""
        return await self._list(
            "/resort_lock_guests", parse_resort_lock_guest, sort_params(sort)
        )

    async def async_list_resort_lock_guests_page(
        self, page: int = 1, per_page: int = 50
    ) -> Page[ResortLockGuest]:
        """Return one page of resort lock guests."""
        return await self._page(
            "/resort_lock_guests", parse_resort_lock_guest, None, page, per_page
        )

    async def async_get_resort_lock_guest(self, guest_id: str) -> ResortLockGuest:
        """Return one resort lock guest (``GET /resort_lock_guests/:id``)."""
        return await self._get_one(
            f"/resort_lock_guests/{guest_id}", parse_resort_lock_guest
        )

    async def async_create_resort_lock_guest(
        self,
        *,
        resort_lock_id: str,
        name: str,
        starts_at: datetime,
        ends_at: datetime,
        email: str | None = None,
        one_time_access: bool | None = None,
    ) -> ResortLockGuest:
        """Create a resort lock guest (``POST /resort_lock_guests``).

        Times are naive local times; the service keeps whole hours only. The answer
        carries the generated PIN.
        """
        _check_window(starts_at, ends_at)
        values = {
            "resort_lock_id": resort_lock_id,
            "name": name,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "email": email,
            "one_time_access": one_time_access,
        }
        return await self._create(
            "/resort_lock_guests", parse_resort_lock_guest, values
        )

    async def async_update_resort_lock_guest(
        self, guest_id: str, *, name: str | None = None, email: str | None = None
    ) -> ResortLockGuest:
        """Change a resort lock guest's name or e-mail (``PUT /resort_lock_guests/:id``)."""
        return await self._update(
            f"/resort_lock_guests/{guest_id}",
            parse_resort_lock_guest,
            {"name": name, "email": email},
        )

    async def async_delete_resort_lock_guest(self, guest_id: str) -> None:
        """Delete a resort lock guest (``DELETE /resort_lock_guests/:id``)."""
        await self._delete(f"/resort_lock_guests/{guest_id}")

    async def async_notify_resort_lock_guest(self, guest_id: str) -> None:
        """Send the access instructions e-mail (``POST .../:id/email/notify``)."""
        await self._send_no_content(
            "POST", f"/resort_lock_guests/{guest_id}/email/notify"
        )

    async def async_preview_resort_lock_guest_email(
        self, guest_id: str
    ) -> EmailPreview:
        """Return the access instructions e-mail (``GET .../:id/email/preview``)."""
        return await self._get_one(
            f"/resort_lock_guests/{guest_id}/email/preview", parse_email_preview
        )
