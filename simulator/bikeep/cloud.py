"""The state of the simulated Bikeep cloud and what operates on it; no HTTP.

:class:`BikeepCloud` holds the records (:class:`.model.BikeepState`), the issued
tokens, the rate-limit window, the auth behaviour and the registered webhook
endpoints, with the clock they are computed from. Route modules and triggers
operate on it; :mod:`.simulator` adds the HTTP app on top (``SimulatorBase``).
"""

from __future__ import annotations

from typing import Any

from simulator.common import AuthBehaviour, Clock

from . import const
from .auth import RateLimiter, TokenStore
from .loader import _whitelist, dump_state_dict, load_state
from .machine import settle_all, settle_device
from .model import BikeepState, Device, Location, Whitelist
from .scenario import default_scenario, fleet_locations
from .webhooks import WebhookSender


class BikeepCloud:
    """Records, tokens, rate limit and webhooks of the simulated Bikeep cloud."""

    clock: Clock
    auth_behaviour: AuthBehaviour

    def __init__(
        self, clock: Clock | None = None, auth_behaviour: AuthBehaviour | None = None
    ) -> None:
        """Start with no scenario loaded (call :meth:`load_scenario`)."""
        self.clock = clock or Clock()
        self.auth_behaviour = auth_behaviour or AuthBehaviour()
        self.state = BikeepState()
        self.tokens = TokenStore()
        self.limiter = RateLimiter()
        self.webhooks = WebhookSender()
        self.fault_retry_after = 1

    def default_scenario(self) -> dict[str, Any]:
        """Return the built-in scenario (a fresh copy)."""
        return default_scenario()

    def load_scenario(self, scenario: dict[str, Any]) -> None:
        """Replace all state (tokens and the rate-limit window included).

        Registered webhook endpoints are not part of a scenario and stay.
        """
        self.state = load_state(scenario, self.clock.now())
        self.tokens = TokenStore()
        self.limiter.reset()

    def dump_state(self) -> dict[str, Any]:
        """Return the whole state, settled to now, in (reloadable) scenario form."""
        now = self.clock.now()
        settle_all(self.state, now)
        return dump_state_dict(self.state, now)

    def generate_fleet(self, params: dict[str, Any]) -> dict[str, Any]:
        """Add ``locations`` stations with ``devices_per_location`` devices plus a GUARD."""
        locations = params.get("locations", 10)
        per_location = params.get("devices_per_location", 10)
        operator_id = params.get("operator_id", const.DEFAULT_OPERATOR_ID)
        for name, value in (
            ("locations", locations),
            ("devices_per_location", per_location),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer")
        if operator_id not in self.state.operators:
            raise KeyError(f"operator {operator_id}")
        now = self.clock.now()
        start = sum(1 for key in self.state.locations if key.startswith("fleet-loc-"))
        added = 0
        for raw in fleet_locations(operator_id, start, locations, per_location):
            location = Location.from_dict(raw, now)
            self.state.locations[location.id] = location
            for device_raw in raw["devices"]:
                self.state.add_device(Device.from_dict(device_raw, location.id, now))
                added += 1
        return {
            "locations_added": locations,
            "devices_added": added,
            "locations": len(self.state.locations),
            "devices": len(self.state.devices),
        }

    def add_whitelist(self, raw: dict[str, Any]) -> Whitelist:
        """Add (or replace) a whitelist given in scenario form; return it.

        Validated as a scenario's whitelists are (``ValueError`` on bad data).
        """
        whitelist = _whitelist(raw, self.state, self.clock.now())
        self.state.whitelists[whitelist.id] = whitelist
        return whitelist

    def settle(self, device: Device) -> None:
        """Advance one device to the clock's now."""
        settle_device(self.state, device, self.clock.now())
