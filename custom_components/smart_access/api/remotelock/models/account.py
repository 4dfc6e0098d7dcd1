"""Account, user, location, device model, door group and access exception models."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from ...errors import MalformedResponseError
from .base import RemoteLockResource, base_fields
from .fields import Attrs, read_resource


@dataclass(frozen=True, slots=True, kw_only=True)
class Account(RemoteLockResource):
    """The account the token belongs to (``GET /account``)."""

    name: str | None = None
    default_guest_start_time: time | None = None
    default_guest_end_time: time | None = None
    rental_guest_time_override: bool | None = None
    primary_owner_id: str | None = None
    owner_role_id: str | None = None


def parse_account(value: Any) -> Account:
    """Build an :class:`Account` from a resource object."""
    res = read_resource(value)
    a = res.attrs
    return Account(
        **base_fields(res),
        name=a.opt_str("name"),
        default_guest_start_time=a.opt_time("default_guest_start_time"),
        default_guest_end_time=a.opt_time("default_guest_end_time"),
        rental_guest_time_override=a.opt_bool("rental_guest_time_override"),
        primary_owner_id=a.opt_str("primary_owner_id"),
        owner_role_id=a.opt_str("owner_role_id"),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class User(RemoteLockResource):
    """The signed-in user (``GET /user``); e-mail is kept out of ``repr``."""

    name: str | None = None
    email: str | None = field(default=None, repr=False)
    handle: str | None = None
    primary_account_id: str | None = None
    default_account_id: str | None = None


def parse_user(value: Any) -> User:
    """Build a :class:`User` from a resource object."""
    res = read_resource(value)
    a = res.attrs
    return User(
        **base_fields(res),
        name=a.opt_str("name"),
        email=a.opt_str("email"),
        handle=a.opt_str("handle"),
        primary_account_id=a.opt_str("primary_account_id"),
        default_account_id=a.opt_str("default_account_id"),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Location(RemoteLockResource):
    """A location; ``time_zone`` is an IANA name (e.g. ``America/Denver``)."""

    name: str | None = None
    phone: str | None = field(default=None, repr=False)
    address: str | None = None
    address2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    time_zone: str | None = None


def parse_location(value: Any) -> Location:
    """Build a :class:`Location` from a resource object."""
    res = read_resource(value)
    a = res.attrs
    return Location(
        **base_fields(res),
        name=a.opt_str("name"),
        phone=a.opt_str("phone"),
        address=a.opt_str("address"),
        address2=a.opt_str("address2"),
        city=a.opt_str("city"),
        state=a.opt_str("state"),
        postal_code=a.opt_str("postal_code"),
        country=a.opt_str("country"),
        time_zone=a.opt_str("time_zone"),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelCapabilities:
    """What a device model supports (options for settings come from here)."""

    connected: bool | None = None
    registrable: bool | None = None
    replaceable: bool | None = None
    auto_lock_enable: bool | None = None
    auto_lock_schedule: bool | None = None
    auto_lock_timeouts: tuple[int, ...] = ()
    guest_deferrable: bool | None = None
    heartbeat_intervals: tuple[int, ...] = ()
    local_pins: bool | None = None
    lock_action_schedule: bool | None = None
    mute: bool | None = None
    phone_credential: bool | None = None
    pin_credential: bool | None = None
    smart_card_credential: bool | None = None
    programming_code: bool | None = None
    power_sources: tuple[str, ...] = ()
    wake_wifi: tuple[str, ...] = ()
    fan_modes: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()


def parse_capabilities(a: Attrs) -> ModelCapabilities:
    """Build :class:`ModelCapabilities` from the ``capabilities`` object."""
    return ModelCapabilities(
        connected=a.opt_bool("connected"),
        registrable=a.opt_bool("registrable"),
        replaceable=a.opt_bool("replaceable"),
        auto_lock_enable=a.opt_bool("auto_lock_enable"),
        auto_lock_schedule=a.opt_bool("auto_lock_schedule"),
        auto_lock_timeouts=a.int_tuple("auto_lock_timeouts"),
        guest_deferrable=a.opt_bool("guest_deferrable"),
        heartbeat_intervals=a.int_tuple("heartbeat_intervals"),
        local_pins=a.opt_bool("local_pins"),
        lock_action_schedule=a.opt_bool("lock_action_schedule"),
        mute=a.opt_bool("mute"),
        phone_credential=a.opt_bool("phone_credential"),
        pin_credential=a.opt_bool("pin_credential"),
        smart_card_credential=a.opt_bool("smart_card_credential"),
        programming_code=a.opt_bool("programming_code"),
        power_sources=a.str_tuple("power_sources") or (),
        wake_wifi=a.str_tuple("wake_wifi") or (),
        fan_modes=a.str_tuple("fan_modes") or (),
        modes=a.str_tuple("modes") or (),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Model(RemoteLockResource):
    """A device model (``number`` like ``LS-6i``; ``device_type`` like ``lock``)."""

    number: str | None = None
    device_type: str | None = None
    capabilities: ModelCapabilities = field(default_factory=ModelCapabilities)


def parse_model(value: Any) -> Model:
    """Build a :class:`Model` from a resource object."""
    res = read_resource(value)
    a = res.attrs
    return Model(
        **base_fields(res),
        number=a.opt_str("number"),
        device_type=a.opt_str("type"),
        capabilities=parse_capabilities(a.child("capabilities", "capabilities")),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Group(RemoteLockResource):
    """A group of doors (type ``door_group``)."""

    name: str | None = None


def parse_group(value: Any) -> Group:
    """Build a :class:`Group` from a resource object."""
    res = read_resource(value)
    return Group(**base_fields(res), name=res.attrs.opt_str("name"))


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupDoor(RemoteLockResource):
    """Membership of one door (lock or ACS door) in a door group."""

    door_id: str | None = None
    door_type: str | None = None
    door_group_id: str | None = None


def parse_group_door(value: Any) -> GroupDoor:
    """Build a :class:`GroupDoor` from a resource object."""
    res = read_resource(value)
    a = res.attrs
    return GroupDoor(
        **base_fields(res),
        door_id=a.opt_str("door_id"),
        door_type=a.opt_str("door_type"),
        door_group_id=a.opt_str("door_group_id"),
    )


@dataclass(frozen=True, slots=True)
class DateRange:
    """One ``{"start_date", "end_date"}`` item of an access exception (inclusive)."""

    start_date: date
    end_date: date

    def to_json(self) -> dict[str, str]:
        """Return the request form."""
        return {
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
        }


def _parse_date(value: Any, what: str) -> date:
    if not isinstance(value, str):
        raise MalformedResponseError(f"{what} is not a date")
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise MalformedResponseError(f"{what} is not a date") from err


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessException(RemoteLockResource):
    """Dates on which access schedules do not grant access (e.g. holidays)."""

    name: str | None = None
    dates: tuple[DateRange, ...] = ()


def parse_access_exception(value: Any) -> AccessException:
    """Build an :class:`AccessException` from a resource object."""
    res = read_resource(value)
    a = res.attrs
    dates = tuple(
        DateRange(
            _parse_date(item.get("start_date"), "access_exception.dates.start_date"),
            _parse_date(item.get("end_date"), "access_exception.dates.end_date"),
        )
        for item in a.dict_list("dates")
    )
    return AccessException(**base_fields(res), name=a.opt_str("name"), dates=dates)
