"""Climate: RemoteLock thermostats."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import ClimateEntity, ClimateEntityDescription
from homeassistant.components.climate.const import (
    ATTR_HVAC_MODE,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.remotelock.inputs import ThermostatUpdate
from .api.remotelock.models import Device, Thermostat
from .coordinator import RemoteLockCoordinator, SmartAccessConfigEntry
from .entity import RemoteLockEntity, async_add_dynamic_entities

PARALLEL_UPDATES = 1

THERMOSTAT = ClimateEntityDescription(
    key="climate", name=None, translation_key="thermostat"
)

HVAC_MODES = {
    "heat": HVACMode.HEAT,
    "cool": HVACMode.COOL,
    "auto": HVACMode.HEAT_COOL,
    "off": HVACMode.OFF,
}
HVAC_MODES_TO_API = {mode: api for api, mode in HVAC_MODES.items()}
HVAC_ACTIONS = {
    "heat": HVACAction.HEATING,
    "cool": HVACAction.COOLING,
    "off": HVACAction.IDLE,
}
FAN_MODES = ["auto", "auto_circulate", "on", "off"]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartAccessConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a climate entity per thermostat."""
    async_add_dynamic_entities(entry, async_add_entities, remotelock=_thermostats)


def _thermostats(
    coordinator: RemoteLockCoordinator, device: Device
) -> list[ClimateEntity]:
    if not isinstance(device, Thermostat):
        return []
    return [RemoteLockThermostat(coordinator, device.id, THERMOSTAT)]


class RemoteLockThermostat(RemoteLockEntity, ClimateEntity):
    """A RemoteLock thermostat."""

    unavailable_when_offline = True

    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.FAN_MODE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )
    _enable_turn_on_off_backwards_compatibility = False

    def __init__(
        self,
        coordinator: RemoteLockCoordinator,
        device_id: str,
        description: ClimateEntityDescription,
    ) -> None:
        """Offer the modes the model's capabilities list (all documented ones if none)."""
        super().__init__(coordinator, device_id, description)
        model = coordinator.data.models.get(self.device.model_id or "")
        capabilities = model.capabilities if model else None
        modes = [
            mode
            for mode in (capabilities.modes if capabilities else ())
            if mode in HVAC_MODES
        ] or list(HVAC_MODES)
        if "off" not in modes:
            modes.append("off")
        self._attr_hvac_modes = [HVAC_MODES[mode] for mode in modes]
        self._attr_fan_modes = [
            mode
            for mode in (capabilities.fan_modes if capabilities else ())
            if mode in FAN_MODES
        ] or list(FAN_MODES)

    @property
    def thermostat(self) -> Thermostat:
        """Return the thermostat's latest data."""
        device = self.device
        assert isinstance(device, Thermostat)
        return device

    @property
    def temperature_unit(self) -> str:
        """Return the unit the thermostat reports in."""
        return (
            UnitOfTemperature.CELSIUS
            if self.thermostat.unit == "C"
            else UnitOfTemperature.FAHRENHEIT
        )

    @property
    def current_temperature(self) -> float | None:
        """Return the measured temperature."""
        return self.thermostat.temperature

    @property
    def current_humidity(self) -> float | None:
        """Return the measured humidity."""
        return self.thermostat.humidity

    @property
    def target_temperature(self) -> float | None:
        """Return the target temperature."""
        return self.thermostat.target_temperature

    @property
    def hvac_mode(self) -> HVACMode | None:
        """Return the selected mode."""
        return HVAC_MODES.get(self.thermostat.target_mode or "")

    @property
    def hvac_action(self) -> HVACAction | None:
        """Return what the thermostat does right now."""
        if self.thermostat.target_mode == "off":
            return HVACAction.OFF
        return HVAC_ACTIONS.get(self.thermostat.current_mode or "")

    @property
    def fan_mode(self) -> str | None:
        """Return the fan mode."""
        mode = self.thermostat.fan_mode
        return mode if mode in (self.fan_modes or ()) else None

    async def _async_update(self, action: str, changes: ThermostatUpdate) -> None:
        await self.async_device_command(
            action,
            lambda client, device_id: client.async_update_device(device_id, changes),
        )

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Change the mode."""
        await self._async_update(
            "mode change", ThermostatUpdate(target_mode=HVAC_MODES_TO_API[hvac_mode])
        )

    async def async_turn_on(self) -> None:
        """Turn on: automatic mode when the model has it, else its first mode."""
        modes = [mode for mode in self.hvac_modes if mode != HVACMode.OFF]
        await self.async_set_hvac_mode(
            HVACMode.HEAT_COOL if HVACMode.HEAT_COOL in modes else modes[0]
        )

    async def async_turn_off(self) -> None:
        """Turn off."""
        await self.async_set_hvac_mode(HVACMode.OFF)

    async def async_set_fan_mode(self, fan_mode: str) -> None:
        """Change the fan mode."""
        await self._async_update("fan mode change", ThermostatUpdate(fan_mode=fan_mode))

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Change the target temperature (and the mode, when given)."""
        mode = kwargs.get(ATTR_HVAC_MODE)
        await self._async_update(
            "temperature change",
            ThermostatUpdate(
                target_temperature=kwargs.get(ATTR_TEMPERATURE),
                target_mode=HVAC_MODES_TO_API[mode] if mode is not None else None,
            ),
        )
