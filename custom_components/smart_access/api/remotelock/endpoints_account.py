"""Account, user, locations, models, door groups and access exceptions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any

from .core import RemoteLockCore, filter_params, sort_params
from .models import (
    AccessException,
    Account,
    DateRange,
    Group,
    GroupDoor,
    Location,
    Model,
    Page,
    ResourceList,
    User,
    parse_access_exception,
    parse_account,
    parse_group,
    parse_group_door,
    parse_location,
    parse_model,
    parse_user,
)


def _location_values(
    name: str | None,
    time_zone: str | None,
    phone: str | None,
    address: str | None,
    address2: str | None,
    city: str | None,
    state: str | None,
    postal_code: str | None,
    country: str | None,
) -> dict[str, Any]:
    """Return a location's attributes (``None`` ones are not sent)."""
    return {
        "name": name,
        "phone": phone,
        "address": address,
        "address2": address2,
        "city": city,
        "state": state,
        "postal_code": postal_code,
        "country": country,
        "time_zone": time_zone,
    }


class AccountEndpoints(RemoteLockCore):
    """Endpoints about the account and its organisation."""

    # -- account and user --------------------------------------------------------
    async def async_get_account(self) -> Account:
        """Return the current account (``GET /account``)."""
        return await self._get_one("/account", parse_account)

    async def async_update_account(
        self,
        *,
        name: str | None = None,
        default_guest_start_time: time | None = None,
        default_guest_end_time: time | None = None,
    ) -> Account:
        """Change the account (``PUT /account``)."""
        values = {
            "name": name,
            "default_guest_start_time": default_guest_start_time,
            "default_guest_end_time": default_guest_end_time,
        }
        return await self._update("/account", parse_account, values)

    async def async_get_user(self) -> User:
        """Return the signed-in user (``GET /user``)."""
        return await self._get_one("/user", parse_user)

    # -- locations ---------------------------------------------------------------
    async def async_list_locations(
        self, *, sort: str | Sequence[str] | None = None
    ) -> ResourceList[Location]:
        """Return every location (``GET /locations``)."""
        return await self._list("/locations", parse_location, sort_params(sort))

    async def async_list_locations_page(
        self,
        page: int = 1,
        per_page: int = 50,
        *,
        sort: str | Sequence[str] | None = None,
    ) -> Page[Location]:
        """Return one page of locations."""
        return await self._page(
            "/locations", parse_location, sort_params(sort), page, per_page
        )

    async def async_get_location(self, location_id: str) -> Location:
        """Return one location (``GET /locations/:id``)."""
        return await self._get_one(f"/locations/{location_id}", parse_location)

    async def async_create_location(
        self,
        *,
        name: str,
        time_zone: str,
        phone: str | None = None,
        address: str | None = None,
        address2: str | None = None,
        city: str | None = None,
        state: str | None = None,
        postal_code: str | None = None,
        country: str | None = None,
    ) -> Location:
        """Create a location (``POST /locations``); ``time_zone`` is an IANA name."""
        values = _location_values(
            name, time_zone, phone, address, address2, city, state, postal_code, country
        )
        return await self._create("/locations", parse_location, values)

    async def async_update_location(
        self,
        location_id: str,
        *,
        name: str | None = None,
        time_zone: str | None = None,
        phone: str | None = None,
        address: str | None = None,
        address2: str | None = None,
        city: str | None = None,
        state: str | None = None,
        postal_code: str | None = None,
        country: str | None = None,
    ) -> Location:
        """Change a location (``PUT /locations/:id``)."""
        values = _location_values(
            name, time_zone, phone, address, address2, city, state, postal_code, country
        )
        return await self._update(f"/locations/{location_id}", parse_location, values)

    async def async_delete_location(self, location_id: str) -> None:
        """Delete a location (``DELETE /locations/:id``)."""
        await self._delete(f"/locations/{location_id}")

    # -- models ------------------------------------------------------------------
    async def async_list_models(
        self, *, sort: str | Sequence[str] | None = None
    ) -> ResourceList[Model]:
        """Return every device model (``GET /models``)."""
        return await self._list("/models", parse_model, sort_params(sort))

    async def async_list_models_page(
        self,
        page: int = 1,
        per_page: int = 50,
        *,
        sort: str | Sequence[str] | None = None,
    ) -> Page[Model]:
        """Return one page of device models."""
        return await self._page(
            "/models", parse_model, sort_params(sort), page, per_page
        )

    async def async_get_model(self, model_id: str) -> Model:
        """Return one device model (``GET /models/:id``)."""
        return await self._get_one(f"/models/{model_id}", parse_model)

    # -- groups ------------------------------------------------------------------
    async def async_list_groups(
        self, *, sort: str | Sequence[str] | None = None
    ) -> ResourceList[Group]:
        """Return every door group (``GET /groups``)."""
        return await self._list("/groups", parse_group, sort_params(sort))

    async def async_list_groups_page(
        self,
        page: int = 1,
        per_page: int = 50,
        *,
        sort: str | Sequence[str] | None = None,
    ) -> Page[Group]:
        """Return one page of door groups."""
        return await self._page(
            "/groups", parse_group, sort_params(sort), page, per_page
        )

    async def async_get_group(self, group_id: str) -> Group:
        """Return one group (``GET /groups/:id``)."""
        return await self._get_one(f"/groups/{group_id}", parse_group)

    async def async_create_group(self, *, name: str) -> Group:
        """Create a door group (``POST /groups``)."""
        return await self._create("/groups", parse_group, {"name": name}, "door_group")

    async def async_update_group(self, group_id: str, *, name: str) -> Group:
        """Rename a group (``PUT /groups/:id``)."""
        return await self._update(f"/groups/{group_id}", parse_group, {"name": name})

    async def async_delete_group(self, group_id: str) -> None:
        """Delete a group (``DELETE /groups/:id``)."""
        await self._delete(f"/groups/{group_id}")

    async def async_list_group_doors(
        self, group_id: str, *, door_type: str | None = None
    ) -> ResourceList[GroupDoor]:
        """Return the doors of a group (``GET /groups/:group_id/doors``).

        ``door_type`` filters by ``lock`` or ``acs_door``.
        """
        params = filter_params(door_type=door_type)
        return await self._list(f"/groups/{group_id}/doors", parse_group_door, params)

    async def async_list_group_doors_page(
        self, group_id: str, page: int = 1, per_page: int = 50
    ) -> Page[GroupDoor]:
        """Return one page of the doors of a group."""
        return await self._page(
            f"/groups/{group_id}/doors", parse_group_door, None, page, per_page
        )

    async def async_get_group_door(self, group_id: str, door_id: str) -> GroupDoor:
        """Return one group membership (``GET /groups/:group_id/doors/:id``)."""
        return await self._get_one(
            f"/groups/{group_id}/doors/{door_id}", parse_group_door
        )

    async def async_add_group_door(
        self, group_id: str, *, door_id: str, door_type: str
    ) -> GroupDoor:
        """Add a lock or ACS door to a group (``POST /groups/:group_id/doors``)."""
        values = {"door_id": door_id, "door_type": door_type}
        return await self._create(f"/groups/{group_id}/doors", parse_group_door, values)

    async def async_remove_group_door(self, group_id: str, membership_id: str) -> None:
        """Remove a door from a group (``DELETE /groups/:group_id/doors/:id``).

        ``membership_id`` is the :class:`GroupDoor` id, not the door's.
        """
        await self._delete(f"/groups/{group_id}/doors/{membership_id}")

    # -- access exceptions -------------------------------------------------------
    async def async_list_access_exceptions(
        self, *, sort: str | Sequence[str] | None = None
    ) -> ResourceList[AccessException]:
        """Return every access exception (``GET /access_exceptions``)."""
        return await self._list(
            "/access_exceptions", parse_access_exception, sort_params(sort)
        )

    async def async_list_access_exceptions_page(
        self,
        page: int = 1,
        per_page: int = 50,
        *,
        sort: str | Sequence[str] | None = None,
    ) -> Page[AccessException]:
        """Return one page of access exceptions."""
        return await self._page(
            "/access_exceptions",
            parse_access_exception,
            sort_params(sort),
            page,
            per_page,
        )

    async def async_get_access_exception(self, exception_id: str) -> AccessException:
        """Return one access exception (``GET /access_exceptions/:id``)."""
        return await self._get_one(
            f"/access_exceptions/{exception_id}", parse_access_exception
        )

    async def async_create_access_exception(
        self, *, name: str, dates: Sequence[DateRange]
    ) -> AccessException:
        """Create an access exception (``POST /access_exceptions``)."""
        values = {"name": name, "dates": [item.to_json() for item in dates]}
        return await self._create("/access_exceptions", parse_access_exception, values)

    async def async_update_access_exception(
        self,
        exception_id: str,
        *,
        dates: Sequence[DateRange],
        name: str | None = None,
    ) -> AccessException:
        """Change an access exception (``PUT /access_exceptions/:id``; dates required)."""
        values = {"name": name, "dates": [item.to_json() for item in dates]}
        return await self._update(
            f"/access_exceptions/{exception_id}", parse_access_exception, values
        )

    async def async_delete_access_exception(self, exception_id: str) -> None:
        """Delete an access exception (``DELETE /access_exceptions/:id``)."""
        await self._delete(f"/access_exceptions/{exception_id}")
