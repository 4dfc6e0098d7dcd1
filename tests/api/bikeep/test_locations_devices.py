"""Locations and devices against the simulator (the guide's Steps 2, 3, 9, 9b)."""

from __future__ import annotations

import aiohttp
import pytest

from custom_components.smart_access.api.auth import ClientCredentialsTokenSource
from custom_components.smart_access.api.bikeep import (
    BikeepClient,
    DeviceStateValue,
    DeviceType,
    HeartbeatHealth,
    LocationType,
    gateways,
    lockables,
)
from custom_components.smart_access.api.errors import AuthenticationError, NotFoundError
from simulator.bikeep import BikeepSimulator, scenario as sc
from simulator.server import RunningSimulator


async def test_list_locations(client: BikeepClient) -> None:
    locations = {
        location.id: location for location in await client.async_list_locations()
    }
    # Only the operator's own locations, never the second operator's.
    assert set(locations) == {sc.LOCKERS_LOCATION_ID, sc.DOCKS_LOCATION_ID}
    lockers = locations[sc.LOCKERS_LOCATION_ID]
    assert lockers.type is LocationType.BIKE_LOCKERS
    assert lockers.label == "#1234"
    assert lockers.name == "#1234 Office Building A"
    assert lockers.status == "LAUNCHED"
    assert lockers.address == "123 Main Street"
    assert lockers.is_online is True
    # Six lockers (GUARDs not counted), one is DEAD; free and online: lockers 1 and 4.
    assert (
        lockers.devices.total,
        lockers.devices.online,
        lockers.devices.available,
    ) == (
        6,
        5,
        2,
    )
    docks = locations[sc.DOCKS_LOCATION_ID]
    assert docks.type is LocationType.BIKE_DOCKS
    assert (docks.devices.total, docks.devices.online, docks.devices.available) == (
        5,
        4,
        3,
    )


async def test_location_goes_offline(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    await sim.control_trigger("location_offline", {"location_id": sc.DOCKS_LOCATION_ID})
    sim.clock.advance(60)
    locations = {
        location.id: location for location in await client.async_list_locations()
    }
    assert locations[sc.DOCKS_LOCATION_ID].is_online is False
    assert locations[sc.DOCKS_LOCATION_ID].connection == "offline"
    assert locations[sc.DOCKS_LOCATION_ID].devices.available == 0
    assert locations[sc.LOCKERS_LOCATION_ID].is_online is True


async def test_public_area_locations_send_no_token(
    client: BikeepClient, sim: BikeepSimulator, tokens: ClientCredentialsTokenSource
) -> None:
    locations = await client.async_list_public_area_locations(sc.PUBLIC_AREA_ID)
    assert {location.id for location in locations} == {
        sc.LOCKERS_LOCATION_ID,
        sc.DOCKS_LOCATION_ID,
    }
    assert tokens.token_requests == 0
    with pytest.raises(NotFoundError):
        await client.async_list_public_area_locations("no-such-area")


async def test_public_area_401_is_not_retried(
    client: BikeepClient, sim: BikeepSimulator, tokens: ClientCredentialsTokenSource
) -> None:
    sim.faults.add("unauthorized", path="/location/v1/public-areas")
    with pytest.raises(AuthenticationError):
        await client.async_list_public_area_locations(sc.PUBLIC_AREA_ID)
    assert sim.requests.count("GET", "/location/v1/public-areas") == 1
    assert tokens.token_requests == 0


async def test_list_devices_with_several_guards(client: BikeepClient) -> None:
    devices = await client.async_list_devices(sc.LOCKERS_LOCATION_ID)
    by_id = {device.id: device for device in devices}
    assert [guard.id for guard in gateways(devices)] == [sc.GUARD_C1, sc.GUARD_C2]
    assert len(lockables(devices)) == 6
    guard = by_id[sc.GUARD_C1]
    assert guard.type is DeviceType.GUARD
    assert guard.is_gateway
    assert guard.health is HeartbeatHealth.HEALTHY
    locker = by_id[sc.LOCKER_1]
    assert locker.type is DeviceType.LOCKER
    assert (locker.alias, locker.code) == ("1", "123456")
    assert locker.state is not None
    assert locker.state.value is DeviceStateValue.UNLOCKED
    assert locker.state.changed_at is not None
    assert locker.hardware_state == "NORMAL"
    assert locker.location_id == sc.LOCKERS_LOCATION_ID
    assert locker.is_available
    assert by_id[sc.LOCKER_2].state_value is DeviceStateValue.LOCKED
    booked = by_id[sc.LOCKER_3]
    assert booked.state is not None
    assert booked.state.value is DeviceStateValue.BOOKED
    assert booked.state.timeout_at is not None
    dead = by_id[sc.LOCKER_5]
    assert dead.heartbeat_v2 is not None
    assert dead.heartbeat_v2.health is HeartbeatHealth.DEAD
    assert dead.heartbeat_v2.dead_since is not None
    assert dead.is_online is False
    assert not dead.is_available


async def test_bike_docks_and_long_dead(client: BikeepClient) -> None:
    devices = await client.async_list_devices(sc.DOCKS_LOCATION_ID)
    docks = lockables(devices)
    assert {device.type for device in docks} == {DeviceType.BIKE_DOCK}
    long_dead = next(device for device in devices if device.id == sc.DOCK_5)
    assert long_dead.health is HeartbeatHealth.LONG_DEAD
    assert long_dead.heartbeat_health is HeartbeatHealth.DEAD  # deprecated field
    assert long_dead.is_online is False


async def test_get_device_and_heartbeat_ageing(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    device = await client.async_get_device(sc.LOCKER_4)
    assert device.id == sc.LOCKER_4
    assert device.is_online
    await sim.control_trigger("device_offline", {"device_id": sc.LOCKER_4})
    sim.clock.advance(20)
    assert (
        await client.async_get_device(sc.LOCKER_4)
    ).health is HeartbeatHealth.UNHEALTHY
    sim.clock.advance(20)
    device = await client.async_get_device(sc.LOCKER_4)
    assert device.health is HeartbeatHealth.DEAD
    assert device.is_online is False
    assert device.heartbeat_v2 is not None
    assert device.heartbeat_v2.dead_since is not None
    await sim.control_trigger("device_online", {"device_id": sc.LOCKER_4})
    assert (await client.async_get_device(sc.LOCKER_4)).is_online is True


async def test_guard_offline_is_visible(
    client: BikeepClient, sim: BikeepSimulator
) -> None:
    await sim.control_trigger("guard_offline", {"device_id": sc.GUARD_C2})
    sim.clock.advance(40)
    devices = await client.async_list_devices(sc.LOCKERS_LOCATION_ID)
    health = {device.id: device.health for device in devices}
    assert health[sc.GUARD_C2] is HeartbeatHealth.DEAD
    assert health[sc.GUARD_C1] is HeartbeatHealth.HEALTHY


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.async_list_devices(sc.SECOND_OPERATOR_LOCATION_ID),
        lambda c: c.async_list_devices("no-such-location"),
        lambda c: c.async_get_device(sc.OTHER_LOCKER),
        lambda c: c.async_get_device("no-such-device"),
        lambda c: c.async_get_device("../../location/v1/locations"),
    ],
)
async def test_not_found(client: BikeepClient, call: object) -> None:
    with pytest.raises(NotFoundError):
        await call(client)  # type: ignore[operator]


async def test_default_urls_and_trailing_slash(
    bikeep_sim: RunningSimulator,
    http_session: aiohttp.ClientSession,
    tokens: ClientCredentialsTokenSource,
) -> None:
    client = BikeepClient(http_session, tokens, api_url=bikeep_sim.url + "/")
    assert client.api_url == bikeep_sim.url
    assert len(await client.async_list_locations()) == 2
    assert BikeepClient(http_session, tokens).api_url == "https://services.bikeep.com"
