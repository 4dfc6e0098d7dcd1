"""The five schedule types and their weekly entries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from ...errors import MalformedResponseError
from .base import RemoteLockResource, base_fields
from .fields import Attrs, parse_time, read_resource

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

ACCESS_SCHEDULE = "access_schedule"
AUTO_LOCK_SCHEDULE = "auto_lock_schedule"
LOCK_ACTION_SCHEDULE = "lock_action_schedule"
POWER_PLUG_SCHEDULE = "power_plug_schedule"
THERMOSTAT_SCHEDULE = "thermostat_schedule"


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """Access is granted from ``start_time`` to ``end_time`` (access schedule)."""

    start_time: time
    end_time: time

    def to_json(self) -> dict[str, Any]:
        """Return the request form."""
        return {"start_time": _hhmm(self.start_time), "end_time": _hhmm(self.end_time)}


@dataclass(frozen=True, slots=True)
class AutoLockSwitch:
    """At ``time`` auto-lock is switched on (``enable``) or off."""

    time: time
    enable: bool

    def to_json(self) -> dict[str, Any]:
        """Return the request form."""
        return {"time": _hhmm(self.time), "enable": self.enable}


@dataclass(frozen=True, slots=True)
class ScheduledAction:
    """At ``time`` do ``action``: ``lock``/``unlock`` or (power plug) ``on``/``off``."""

    time: time
    action: str

    def to_json(self) -> dict[str, Any]:
        """Return the request form."""
        return {"time": _hhmm(self.time), "action": self.action}


@dataclass(frozen=True, slots=True)
class ThermostatSetpoints:
    """From ``time`` on, cool above ``cool`` and heat below ``heat``."""

    time: time
    cool: float
    heat: float

    def to_json(self) -> dict[str, Any]:
        """Return the request form."""
        return {"time": _hhmm(self.time), "cool": self.cool, "heat": self.heat}


type ScheduleEntry = TimeWindow | AutoLockSwitch | ScheduledAction | ThermostatSetpoints


@dataclass(frozen=True, slots=True, kw_only=True)
class Week[T: ScheduleEntry]:
    """Entries per weekday (an empty tuple means nothing that day)."""

    mon: tuple[T, ...] = ()
    tue: tuple[T, ...] = ()
    wed: tuple[T, ...] = ()
    thu: tuple[T, ...] = ()
    fri: tuple[T, ...] = ()
    sat: tuple[T, ...] = ()
    sun: tuple[T, ...] = ()

    def day(self, name: str) -> tuple[T, ...]:
        """Return the entries of ``name`` (``mon`` … ``sun``)."""
        entries: tuple[T, ...] = getattr(self, name)
        return entries

    def to_json(self) -> dict[str, list[dict[str, Any]]]:
        """Return the request form: every day, as a list."""
        return {name: [entry.to_json() for entry in self.day(name)] for name in DAYS}


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule(RemoteLockResource):
    """Fields shared by every schedule."""

    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessSchedule(Schedule):
    """When access persons may enter."""

    week: Week[TimeWindow] = field(default_factory=Week)
    access_exception_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AutoLockSchedule(Schedule):
    """When a lock's auto-lock is switched on and off."""

    week: Week[AutoLockSwitch] = field(default_factory=Week)


@dataclass(frozen=True, slots=True, kw_only=True)
class LockActionSchedule(Schedule):
    """When a lock or door locks and unlocks by itself."""

    week: Week[ScheduledAction] = field(default_factory=Week)


@dataclass(frozen=True, slots=True, kw_only=True)
class PowerPlugSchedule(Schedule):
    """When a power plug switches on and off."""

    week: Week[ScheduledAction] = field(default_factory=Week)


@dataclass(frozen=True, slots=True, kw_only=True)
class ThermostatSchedule(Schedule):
    """Thermostat set points over the week."""

    week: Week[ThermostatSetpoints] = field(default_factory=Week)


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownSchedule(Schedule):
    """A schedule type this client does not know (see ``raw``)."""


type AnySchedule = (
    AccessSchedule
    | AutoLockSchedule
    | LockActionSchedule
    | PowerPlugSchedule
    | ThermostatSchedule
    | UnknownSchedule
)


def _entry_time(item: Mapping[str, Any], name: str, what: str) -> time:
    value = item.get(name)
    if not isinstance(value, str):
        raise MalformedResponseError(f"{what}.{name} is not a time")
    return parse_time(value, f"{what}.{name}")


def _number(item: Mapping[str, Any], name: str, what: str) -> float:
    value = item.get(name)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise MalformedResponseError(f"{what}.{name} is not a number")
    return float(value)


def _window(item: Mapping[str, Any], what: str) -> TimeWindow:
    return TimeWindow(
        _entry_time(item, "start_time", what), _entry_time(item, "end_time", what)
    )


def _switch(item: Mapping[str, Any], what: str) -> AutoLockSwitch:
    enable = item.get("enable")
    if not isinstance(enable, bool):
        raise MalformedResponseError(f"{what}.enable is not a boolean")
    return AutoLockSwitch(_entry_time(item, "time", what), enable)


def _action(item: Mapping[str, Any], what: str) -> ScheduledAction:
    action = item.get("action")
    if not isinstance(action, str):
        raise MalformedResponseError(f"{what}.action is not a string")
    return ScheduledAction(_entry_time(item, "time", what), action)


def _setpoints(item: Mapping[str, Any], what: str) -> ThermostatSetpoints:
    return ThermostatSetpoints(
        _entry_time(item, "time", what),
        _number(item, "cool", what),
        _number(item, "heat", what),
    )


def _week[T: ScheduleEntry](
    a: Attrs, parse: Callable[[Mapping[str, Any], str], T]
) -> Week[T]:
    days = {
        name: tuple(parse(item, f"{a.kind}.{name}") for item in a.dict_list(name))
        for name in DAYS
    }
    return Week(**days)


def parse_schedule(value: Any) -> AnySchedule:
    """Build the schedule model matching the resource's ``type``."""
    res = read_resource(value)
    a = res.attrs
    common = {**base_fields(res), "name": a.opt_str("name")}
    if res.type == ACCESS_SCHEDULE:
        return AccessSchedule(
            **common,
            week=_week(a, _window),
            access_exception_id=a.opt_str("access_exception_id"),
        )
    if res.type == AUTO_LOCK_SCHEDULE:
        return AutoLockSchedule(**common, week=_week(a, _switch))
    if res.type == LOCK_ACTION_SCHEDULE:
        return LockActionSchedule(**common, week=_week(a, _action))
    if res.type == POWER_PLUG_SCHEDULE:
        return PowerPlugSchedule(**common, week=_week(a, _action))
    if res.type == THERMOSTAT_SCHEDULE:
        return ThermostatSchedule(**common, week=_week(a, _setpoints))
    return UnknownSchedule(**common)
