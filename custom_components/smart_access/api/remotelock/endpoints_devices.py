"""Devices (locks, thermostats, power plugs, resort locks) and ACS doors."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from ..reuse import ModelCache
from .core import RemoteLockCore, expect, filter_params, sort_params
from .inputs import DeviceUpdate
from .models import (
    Access,
    AcsDoor,
    AnyDevice,
    Lock,
    Page,
    PowerPlug,
    ResourceList,
    parse_access,
    parse_acs_door,
    parse_device,
)


class DeviceEndpoints(RemoteLockCore):
    """Endpoints about devices and ACS doors."""

    async def async_list_devices(
        self,
        *,
        types: str | Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
        location_id: str | None = None,
        sort: str | Sequence[str] | None = None,
        cache: ModelCache[AnyDevice] | None = None,
    ) -> ResourceList[AnyDevice]:
        """Return every device (``GET /devices``), all pages at 50 per page.

        ``types`` are API type filters (``lock``, ``thermostat``, ``power_plug``,
        ``resort_lock``, ``acs_door``), ``ids`` device ids. With a ``cache`` (kept
        by the caller from read to read), unchanged devices are the same model
        instances as in the previous read.
        """
        params = filter_params(types=types, ids=ids, location_id=location_id, sort=sort)
        return await self._list("/devices", parse_device, params, cache)

    async def async_list_devices_page(
        self,
        page: int = 1,
        per_page: int = 50,
        *,
        types: str | Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
        location_id: str | None = None,
        sort: str | Sequence[str] | None = None,
    ) -> Page[AnyDevice]:
        """Return one page of devices."""
        params = filter_params(types=types, ids=ids, location_id=location_id, sort=sort)
        return await self._page("/devices", parse_device, params, page, per_page)

    async def async_get_device(self, device_id: str) -> AnyDevice:
        """Return one device (``GET /devices/:id``)."""
        return await self._get_one(f"/devices/{device_id}", parse_device)

    async def async_register_device(
        self,
        *,
        name: str,
        serial_number: str,
        model_id: str,
        location_id: str,
        programming_code: str | None = None,
        heartbeat_interval: int | None = None,
        thermostat_schedule_id: str | None = None,
        power_plug_schedule_id: str | None = None,
        default_guest_start_time: time | None = None,
        default_guest_end_time: time | None = None,
    ) -> AnyDevice:
        """Register a device (``POST /devices``); the model decides its type."""
        values = {
            "name": name,
            "serial_number": serial_number,
            "model_id": model_id,
            "location_id": location_id,
            "programming_code": programming_code,
            "heartbeat_interval": heartbeat_interval,
            "thermostat_schedule_id": thermostat_schedule_id,
            "power_plug_schedule_id": power_plug_schedule_id,
            "default_guest_start_time": default_guest_start_time,
            "default_guest_end_time": default_guest_end_time,
        }
        return await self._create("/devices", parse_device, values)

    async def async_update_device(
        self, device_id: str, changes: DeviceUpdate
    ) -> AnyDevice:
        """Change a device's settings (``PUT /devices/:id``).

        Pass the update type of the device: :class:`LockUpdate`,
        :class:`ThermostatUpdate`, :class:`PowerPlugUpdate` or
        :class:`ResortLockUpdate`.
        """
        return await self._update(
            f"/devices/{device_id}", parse_device, changes.to_attributes()
        )

    async def async_deregister_device(self, device_id: str) -> None:
        """Deregister a device (``DELETE /devices/:id``)."""
        await self._delete(f"/devices/{device_id}")

    async def async_lock_device(self, device_id: str) -> Lock:
        """Lock a lock (``PUT /devices/:id/lock``); return the lock as answered."""
        device = await self._send_one("PUT", f"/devices/{device_id}/lock", parse_device)
        return expect(device, Lock)

    async def async_unlock_device(self, device_id: str) -> Lock:
        """Unlock a lock (``PUT /devices/:id/unlock``); return the lock as answered."""
        device = await self._send_one(
            "PUT", f"/devices/{device_id}/unlock", parse_device
        )
        return expect(device, Lock)

    async def async_power_on(self, device_id: str) -> PowerPlug:
        """Switch a power plug on (``PUT /devices/:id/power_on``)."""
        device = await self._send_one(
            "PUT", f"/devices/{device_id}/power_on", parse_device
        )
        return expect(device, PowerPlug)

    async def async_power_off(self, device_id: str) -> PowerPlug:
        """Switch a power plug off (``PUT /devices/:id/power_off``)."""
        device = await self._send_one(
            "PUT", f"/devices/{device_id}/power_off", parse_device
        )
        return expect(device, PowerPlug)

    async def async_list_device_accesses(
        self, device_id: str, *, access_person_type: str | None = None
    ) -> ResourceList[Access]:
        """Return the access person accesses of a lock.

        ``GET /devices/:id/access_person_accesses``; filter by ``access_user`` or
        ``access_guest``.
        """
        return await self._list(
            f"/devices/{device_id}/access_person_accesses",
            parse_access,
            filter_params(access_person_type=access_person_type),
        )

    async def async_list_device_accesses_page(
        self,
        device_id: str,
        page: int = 1,
        per_page: int = 50,
        *,
        access_person_type: str | None = None,
    ) -> Page[Access]:
        """Return one page of the access person accesses of a lock."""
        return await self._page(
            f"/devices/{device_id}/access_person_accesses",
            parse_access,
            filter_params(access_person_type=access_person_type),
            page,
            per_page,
        )

    # -- ACS doors ---------------------------------------------------------------
    async def async_list_acs_doors(
        self, *, sort: str | Sequence[str] | None = None
    ) -> ResourceList[AcsDoor]:
        """Return every ACS door (``GET /acs/doors``)."""
        return await self._list("/acs/doors", parse_acs_door, sort_params(sort))

    async def async_list_acs_doors_page(
        self, page: int = 1, per_page: int = 50
    ) -> Page[AcsDoor]:
        """Return one page of ACS doors."""
        return await self._page("/acs/doors", parse_acs_door, None, page, per_page)

    async def async_get_acs_door(self, door_id: str) -> AcsDoor:
        """Return one ACS door (``GET /acs/doors/:id``)."""
        return await self._get_one(f"/acs/doors/{door_id}", parse_acs_door)

    async def async_lock_acs_door(self, door_id: str) -> AcsDoor:
        """Lock an ACS door (``PUT /acs/doors/:id/lock``)."""
        return await self._send_one("PUT", f"/acs/doors/{door_id}/lock", parse_acs_door)

    async def async_unlock_acs_door(self, door_id: str) -> AcsDoor:
        """Unlock an ACS door (``PUT /acs/doors/:id/unlock``)."""
        return await self._send_one(
            "PUT", f"/acs/doors/{door_id}/unlock", parse_acs_door
        )

    async def async_temporary_unlock_acs_door(self, door_id: str) -> AcsDoor:
        """Unlock an ACS door briefly (``PUT /acs/doors/:id/temporary_unlock``)."""
        return await self._send_one(
            "PUT", f"/acs/doors/{door_id}/temporary_unlock", parse_acs_door
        )

    async def async_list_acs_door_accesses(
        self, door_id: str, *, access_person_type: str | None = None
    ) -> ResourceList[Access]:
        """Return the access person accesses of an ACS door.

        ``GET /acs/doors/:id/access_person_accesses``.
        """
        return await self._list(
            f"/acs/doors/{door_id}/access_person_accesses",
            parse_access,
            filter_params(access_person_type=access_person_type),
        )

    async def async_list_acs_door_accesses_page(
        self,
        door_id: str,
        page: int = 1,
        per_page: int = 50,
        *,
        access_person_type: str | None = None,
    ) -> Page[Access]:
        """Return one page of the access person accesses of an ACS door."""
        return await self._page(
            f"/acs/doors/{door_id}/access_person_accesses",
            parse_access,
            filter_params(access_person_type=access_person_type),
            page,
            per_page,
        )
