"""The "Guest access from a calendar" subentry flow of a RemoteLock entry.

Add: pick a calendar and targets; the collapsed sections hold the times (buffers,
look-ahead), the guests (name template, PIN source, access schedule, instructions
e-mail) and the host (notify target, hands off). Reconfigure: change the settings,
or remove the link and choose whether its guests still ahead are deactivated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.data_entry_flow import section
from homeassistant.exceptions import TemplateError
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TemplateSelector,
    TextSelector,
)
from homeassistant.helpers.template import Template
from homeassistant.util import dt as dt_util
import probatio

from .api.errors import SmartAccessApiError
from .api.remotelock.models import AccessSchedule, Group
from .const import CONF_VENDOR, Vendor
from .coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .guest_link_config import (
    CONF_ACCESS_SCHEDULE,
    CONF_CALENDAR,
    CONF_CHECK_IN_BUFFER,
    CONF_CHECK_OUT_BUFFER,
    CONF_HANDS_OFF,
    CONF_LOOK_AHEAD,
    CONF_NAME_TEMPLATE,
    CONF_NOTIFY,
    CONF_PIN_DIGITS,
    CONF_PIN_SOURCE,
    CONF_SEND_INSTRUCTIONS,
    CONF_TARGETS,
    DEFAULT_LOOK_AHEAD_DAYS,
    DEFAULT_NAME_TEMPLATE,
    DEFAULT_PIN_DIGITS,
    SECTION_GUESTS,
    SECTION_HOST,
    SECTION_TIMES,
    LinkConfig,
    PinSource,
)
from .guest_link_entity import links
from .guest_link_notify import notify_target_exists
from .guest_link_removal import Removal
from .guest_link_store import LinkIndex
from .guest_link_targets import (
    GroupCache,
    resolve_targets,
    target_label,
    target_options,
)
from .guest_sync.pin_rule import MAX_DIGITS, MIN_DIGITS

CONF_DEACTIVATE = "deactivate_guests"
_SECTIONS = {
    SECTION_TIMES: (CONF_CHECK_IN_BUFFER, CONF_CHECK_OUT_BUFFER, CONF_LOOK_AHEAD),
    SECTION_GUESTS: (
        CONF_NAME_TEMPLATE,
        CONF_PIN_SOURCE,
        CONF_PIN_DIGITS,
        CONF_ACCESS_SCHEDULE,
        CONF_SEND_INSTRUCTIONS,
    ),
    SECTION_HOST: (CONF_NOTIFY, CONF_HANDS_OFF),
}
_INTEGER_KEYS = (
    CONF_CHECK_IN_BUFFER,
    CONF_CHECK_OUT_BUFFER,
    CONF_LOOK_AHEAD,
    CONF_PIN_DIGITS,
)


def _minutes() -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=0,
            max=1440,
            step=5,
            unit_of_measurement="min",
            mode=NumberSelectorMode.BOX,
        )
    )


def flatten(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the form's values without sections, numbers as integers."""
    data: dict[str, Any] = {}
    for key, value in user_input.items():
        if key in _SECTIONS and isinstance(value, Mapping):
            data.update(value)
        else:
            data[key] = value
    for key in _INTEGER_KEYS:
        if key in data:
            data[key] = int(data[key])
    for key in (CONF_NOTIFY, CONF_ACCESS_SCHEDULE):
        if not str(data.get(key) or "").strip():
            data.pop(key, None)
        else:
            data[key] = str(data[key]).strip()
    return data


class GuestAccessSubentryFlow(ConfigSubentryFlow):
    """Add, change or remove a guest-access link."""

    def __init__(self) -> None:
        """Start with nothing read."""
        self._groups = GroupCache()
        self._schedules: list[SelectOptionDict] | None = None
        # Read once per flow, like the schedules (the form is shown more than once).
        self._group_list: list[Group] | None = None

    def _coordinator(self) -> RemoteLockCoordinator | None:
        entry: SmartAccessConfigEntry = self._get_entry()
        if entry.data.get(CONF_VENDOR) != Vendor.REMOTELOCK:
            return None
        if entry.state is not ConfigEntryState.LOADED:
            return None
        coordinator = entry.runtime_data.coordinator
        return coordinator if isinstance(coordinator, RemoteLockCoordinator) else None

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a link."""
        return await self._async_form("user", user_input, {})

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change the link's settings, or remove it."""
        return self.async_show_menu(
            step_id="reconfigure", menu_options=["settings", "remove"]
        )

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change the link's settings."""
        return await self._async_form(
            "settings", user_input, dict(self._get_reconfigure_subentry().data)
        )

    async def async_step_remove(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Remove the link; deactivate its guests still ahead unless told not to."""
        entry: SmartAccessConfigEntry = self._get_entry()
        subentry = self._get_reconfigure_subentry()
        if self._coordinator() is None:
            # Only a loaded account can deactivate the link's guests.
            return self.async_abort(reason="entry_not_loaded")
        link = links(entry).get(subentry.subentry_id)
        now = dt_util.utcnow()
        ahead = [stay for stay in link.stays() if stay.check_out > now] if link else []
        if user_input is not None:
            removal = entry.runtime_data.extra.setdefault("guest_link_removal", {})
            choice = Removal.ALL if user_input[CONF_DEACTIVATE] else Removal.KEEP
            removal[subentry.subentry_id] = choice
            # Also on disk: should Home Assistant stop before the removal is done,
            # the next set-up finishes it as chosen.
            await LinkIndex(self.hass, entry.entry_id).async_set_removal(
                subentry.subentry_id, choice
            )
            self.hass.config_entries.async_remove_subentry(entry, subentry.subentry_id)
            return self.async_abort(reason="link_removed")
        return self.async_show_form(
            step_id="remove",
            data_schema=probatio.Schema(
                {probatio.Required(CONF_DEACTIVATE, default=True): BooleanSelector()}
            ),
            description_placeholders={
                "link": subentry.title,
                "count": str(len(ahead)),
            },
        )

    async def _async_choices(
        self, coordinator: RemoteLockCoordinator
    ) -> tuple[list[SelectOptionDict], list[SelectOptionDict]]:
        """Return the targets and access schedules to choose from (read once a flow)."""
        client = coordinator.client
        if self._group_list is None:
            self._group_list = list(await client.async_list_groups())
        groups = self._group_list
        self._groups.names = {group.id: group.name or group.id for group in groups}
        if self._schedules is None:
            schedules = await client.async_list_schedules(types="access_schedule")
            self._schedules = [
                SelectOptionDict(value=schedule.id, label=schedule.name or schedule.id)
                for schedule in schedules
                if isinstance(schedule, AccessSchedule)
            ]
        return target_options(coordinator.data, groups), self._schedules

    async def _async_form(
        self, step_id: str, user_input: dict[str, Any] | None, current: dict[str, Any]
    ) -> SubentryFlowResult:
        coordinator = self._coordinator()
        if coordinator is None:
            return self.async_abort(reason="entry_not_loaded")
        try:
            targets, schedules = await self._async_choices(coordinator)
        except SmartAccessApiError:
            return self.async_abort(reason="cannot_connect")
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            data = flatten(user_input)
            errors, placeholders = await self._async_validate(coordinator, data)
            if not errors:
                title = self._title(data)
                if step_id == "user":
                    return self.async_create_entry(title=title, data=data)
                return self.async_update_and_abort(
                    self._get_entry(), self._get_reconfigure_subentry(), data=data
                )
            current = data
        return self.async_show_form(
            step_id=step_id,
            data_schema=self._schema(current, targets, schedules),
            errors=errors,
            description_placeholders=placeholders,
        )

    def _title(self, data: Mapping[str, Any]) -> str:
        state = self.hass.states.get(data[CONF_CALENDAR])
        name = state.name if state else data[CONF_CALENDAR]
        return str(name)

    async def _async_validate(
        self, coordinator: RemoteLockCoordinator, data: dict[str, Any]
    ) -> tuple[dict[str, str], dict[str, str]]:
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if self.hass.states.get(data[CONF_CALENDAR]) is None:
            errors[CONF_CALENDAR] = "calendar_not_found"
        if not data.get(CONF_TARGETS):
            errors[CONF_TARGETS] = "no_targets"
        try:
            Template(
                data.get(CONF_NAME_TEMPLATE) or DEFAULT_NAME_TEMPLATE, self.hass
            ).ensure_valid()
        except TemplateError:
            errors["base"] = "invalid_template"
        if (target := data.get(CONF_NOTIFY)) and not notify_target_exists(
            self.hass, target
        ):
            errors["base"] = "notify_not_found"
        if errors:
            return errors, placeholders
        config = LinkConfig.from_data(data)
        try:
            await self._groups.async_refresh(
                coordinator.client,
                config.door_groups,
                dt_util.utcnow(),
                listed=self._group_list,
            )
        except SmartAccessApiError:
            errors["base"] = "cannot_connect"
            return errors, placeholders
        resolved = resolve_targets(coordinator.data, config.targets, self._groups)
        if resolved.unplaced or resolved.missing:
            errors[CONF_TARGETS] = "targets_without_time_zone"
            placeholders["targets"] = ", ".join(
                target_label(coordinator.data, self._groups, ref)
                for ref in [*resolved.unplaced, *resolved.missing]
            )
        return errors, placeholders

    def _schema(
        self,
        current: Mapping[str, Any],
        targets: list[SelectOptionDict],
        schedules: list[SelectOptionDict],
    ) -> probatio.Schema:
        def suggested(key: str) -> dict[str, Any]:
            return {"suggested_value": current.get(key)} if key in current else {}

        guests: dict[probatio.Marker, Any] = {
            probatio.Required(
                CONF_NAME_TEMPLATE,
                default=current.get(CONF_NAME_TEMPLATE, DEFAULT_NAME_TEMPLATE),
            ): TemplateSelector(),
            probatio.Required(
                CONF_PIN_SOURCE,
                default=current.get(CONF_PIN_SOURCE, PinSource.GENERATED),
            ): SelectSelector(
                SelectSelectorConfig(
                    options=[str(source) for source in PinSource],
                    translation_key=CONF_PIN_SOURCE,
                    mode=SelectSelectorMode.LIST,
                )
            ),
            probatio.Required(
                CONF_PIN_DIGITS,
                default=current.get(CONF_PIN_DIGITS, DEFAULT_PIN_DIGITS),
            ): NumberSelector(
                NumberSelectorConfig(
                    min=MIN_DIGITS,
                    max=MAX_DIGITS,
                    step=1,
                    mode=NumberSelectorMode.BOX,
                )
            ),
        }
        if schedules:
            guests[
                probatio.Optional(
                    CONF_ACCESS_SCHEDULE, description=suggested(CONF_ACCESS_SCHEDULE)
                )
            ] = SelectSelector(SelectSelectorConfig(options=schedules))
        guests[
            probatio.Required(
                CONF_SEND_INSTRUCTIONS,
                default=current.get(CONF_SEND_INSTRUCTIONS, False),
            )
        ] = BooleanSelector()
        return probatio.Schema(
            {
                probatio.Required(
                    CONF_CALENDAR, description=suggested(CONF_CALENDAR)
                ): EntitySelector(EntitySelectorConfig(domain="calendar")),
                probatio.Required(
                    CONF_TARGETS, description=suggested(CONF_TARGETS)
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=targets, multiple=True, mode=SelectSelectorMode.DROPDOWN
                    )
                ),
                probatio.Required(SECTION_TIMES): section(
                    probatio.Schema(
                        {
                            probatio.Required(
                                CONF_CHECK_IN_BUFFER,
                                default=current.get(CONF_CHECK_IN_BUFFER, 0),
                            ): _minutes(),
                            probatio.Required(
                                CONF_CHECK_OUT_BUFFER,
                                default=current.get(CONF_CHECK_OUT_BUFFER, 0),
                            ): _minutes(),
                            probatio.Required(
                                CONF_LOOK_AHEAD,
                                default=current.get(
                                    CONF_LOOK_AHEAD, DEFAULT_LOOK_AHEAD_DAYS
                                ),
                            ): NumberSelector(
                                NumberSelectorConfig(
                                    min=1,
                                    max=90,
                                    step=1,
                                    unit_of_measurement="d",
                                    mode=NumberSelectorMode.BOX,
                                )
                            ),
                        }
                    ),
                    {"collapsed": True},
                ),
                probatio.Required(SECTION_GUESTS): section(
                    probatio.Schema(guests), {"collapsed": True}
                ),
                probatio.Required(SECTION_HOST): section(
                    probatio.Schema(
                        {
                            probatio.Optional(
                                CONF_NOTIFY, description=suggested(CONF_NOTIFY)
                            ): TextSelector(),
                            probatio.Required(
                                CONF_HANDS_OFF,
                                default=current.get(CONF_HANDS_OFF, False),
                            ): BooleanSelector(),
                        }
                    ),
                    {"collapsed": True},
                ),
            }
        )
