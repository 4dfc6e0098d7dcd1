"""Only administrators hand out access: who may call which action.

Every action that creates, changes or reveals credentials or access (PINs, cards,
guests, grants, resort-lock guests, bookings, RFID allowlists) and every forced
command is an admin action. A user who is not an administrator gets Home
Assistant's Unauthorized error and nothing reaches either vendor; automations and
scripts (no user) and administrators are served.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import Unauthorized, UnknownUser
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smart_access.services.common import OPEN_ACTIONS
from simulator.bikeep import scenario as bk
from simulator.remotelock.scenario import (
    FRONT_DOOR_ID,
    GUEST_UPCOMING_ID,
    RESORT_LOCK_ID,
    USER_ANN_ID,
    USER_OWNER_ID,
)
from simulator.server import RunningSimulator

from .actions import Actions, ha_device

Payload = Callable[[HomeAssistant, str], dict[str, Any]]


def _later(days: int) -> str:
    moment = dt_util.now().replace(minute=0, second=0, microsecond=0)
    return (moment + timedelta(days=days)).isoformat()


def _locker(hass: HomeAssistant, _: str) -> dict[str, Any]:
    return {"device_id": ha_device(hass, bk.LOCKER_1)}


def _station(hass: HomeAssistant, _: str) -> dict[str, Any]:
    return {"device_id": ha_device(hass, bk.LOCKERS_LOCATION_ID)}


def _cards(hass: HomeAssistant, entry: str) -> dict[str, Any]:
    return {**_station(hass, entry), "cards": ["04a2b3c4d5e6f7"]}


def _account(_: HomeAssistant, entry: str) -> dict[str, Any]:
    return {"config_entry_id": entry}


def _person(hass: HomeAssistant, entry: str) -> dict[str, Any]:
    return {**_account(hass, entry), "access_person_id": USER_OWNER_ID}


def _targets(hass: HomeAssistant, entry: str) -> dict[str, Any]:
    return {
        **_account(hass, entry),
        "access_person_id": USER_ANN_ID,
        "devices": [ha_device(hass, FRONT_DOOR_ID)],
    }


ADMIN_CALLS: dict[str, Payload] = {
    "book": _locker,
    "cancel_booking": _locker,
    "force_lock": _locker,
    "force_unlock": _locker,
    "force_cancel_booking": _locker,
    "add_rfid_cards": _cards,
    "remove_rfid_cards": _cards,
    "list_rfid_cards": _station,
    "create_access_user": lambda h, e: {
        **_account(h, e),
        "name": "Mallory",
        "generate_pin": True,
    },
    "create_access_guest": lambda h, e: {
        **_account(h, e),
        "name": "Mallory",
        "generate_pin": True,
        "starts_at": _later(1),
        "ends_at": _later(2),
        "devices": [ha_device(h, FRONT_DOOR_ID)],
    },
    "update_access_person": lambda h, e: {**_person(h, e), "name": "Mallory"},
    "deactivate_access_person": _person,
    "delete_access_person": _person,
    "grant_access": _targets,
    "revoke_access": _targets,
    "list_access_persons": lambda h, e: {**_account(h, e), "include_secrets": True},
    "sync_guest_access": _account,
    "create_resort_lock_guest": lambda h, e: {
        "device_id": ha_device(h, RESORT_LOCK_ID),
        "name": "Mallory",
        "starts_at": _later(1),
        "ends_at": _later(2),
    },
    "delete_resort_lock_guest": lambda h, e: {
        **_account(h, e),
        "resort_lock_guest_id": "any-guest",
    },
    "send_access_instructions": lambda h, e: {
        **_account(h, e),
        "access_person_id": GUEST_UPCOMING_ID,
    },
}


@pytest.fixture
async def both(
    hass: HomeAssistant,
    remotelock_loaded: RunningSimulator,
    bikeep_loaded: RunningSimulator,
    remotelock_entry: MockConfigEntry,
) -> tuple[RunningSimulator, RunningSimulator, str]:
    """Both vendors' entries loaded; the RemoteLock entry's id."""
    return remotelock_loaded, bikeep_loaded, remotelock_entry.entry_id


async def test_every_action_is_classified(
    hass: HomeAssistant, both: tuple[RunningSimulator, RunningSimulator, str]
) -> None:
    """Each registered action is either an admin call above or openly readable."""
    registered = set(hass.services.async_services_for_domain("smart_access"))
    assert registered == set(ADMIN_CALLS) | OPEN_ACTIONS


@pytest.mark.parametrize("service", sorted(ADMIN_CALLS))
async def test_non_admin_is_refused_and_nothing_is_sent(
    hass: HomeAssistant,
    hass_read_only_user: User,
    both: tuple[RunningSimulator, RunningSimulator, str],
    service: str,
) -> None:
    """A plain user cannot give themselves a door code (or anything else here)."""
    remotelock, bikeep, entry_id = both
    data = ADMIN_CALLS[service](hass, entry_id)
    remotelock.sim.requests.clear()
    bikeep.sim.requests.clear()
    with pytest.raises(Unauthorized):
        await Actions(hass)(
            service, context=Context(user_id=hass_read_only_user.id), **data
        )
    assert remotelock.sim.requests.count() == 0
    assert bikeep.sim.requests.count() == 0


@pytest.mark.parametrize(
    "service", ["create_access_user", "list_rfid_cards", "list_access_persons"]
)
async def test_admin_is_served(
    hass: HomeAssistant,
    hass_admin_user: User,
    both: tuple[RunningSimulator, RunningSimulator, str],
    service: str,
) -> None:
    """An administrator's call goes through."""
    _, _, entry_id = both
    result = await Actions(hass)(
        service,
        context=Context(user_id=hass_admin_user.id),
        **ADMIN_CALLS[service](hass, entry_id),
    )
    assert result


async def test_anyone_lists_access_persons_without_secrets(
    hass: HomeAssistant,
    hass_read_only_user: User,
    both: tuple[RunningSimulator, RunningSimulator, str],
) -> None:
    """Names and validity are open to every user; PINs and e-mails are not."""
    _, _, entry_id = both
    result = await Actions(hass)(
        "list_access_persons",
        context=Context(user_id=hass_read_only_user.id),
        config_entry_id=entry_id,
    )
    persons = result["access_persons"]
    assert persons
    secrets = {"pin", "card_number", "email", "phone"}
    assert all(not secrets & set(person) for person in persons)
    # The same call by an administrator shows them: the scenario has some to hide.
    revealed = await Actions(hass)(
        "list_access_persons", config_entry_id=entry_id, include_secrets=True
    )
    assert all(secrets <= set(person) for person in revealed["access_persons"])
    assert any(person["email"] for person in revealed["access_persons"])
    assert any(person["card_number"] for person in revealed["access_persons"])


async def test_unknown_user_is_refused(
    hass: HomeAssistant, both: tuple[RunningSimulator, RunningSimulator, str]
) -> None:
    """A call in the name of a user that does not exist is refused, secrets or not."""
    remotelock, _, entry_id = both
    remotelock.sim.requests.clear()
    with pytest.raises(UnknownUser):
        await Actions(hass)(
            "list_access_persons",
            context=Context(user_id="no-such-user"),
            config_entry_id=entry_id,
            include_secrets=True,
        )
    assert remotelock.sim.requests.count() == 0
