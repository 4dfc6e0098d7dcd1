"""The simulated Bikeep cloud: auth host and services host on one aiohttp app.

:class:`BikeepSimulator` is the top of the package: the state and its operations
come from :class:`.cloud.BikeepCloud`, the request log, faults and ``/_sim`` control
routes from ``SimulatorBase``; this module adds the vendor routes (:mod:`.app`), the
vendor's error answers (:mod:`.responses`) and the triggers (:mod:`.triggers`).
Only the package ``__init__`` imports it.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from simulator.common import Clock, SimulatorBase

from . import app as http_app, responses
from .cloud import BikeepCloud
from .triggers import TRIGGERS


class BikeepSimulator(BikeepCloud, SimulatorBase):
    """A faithful fake of the Bikeep cloud (see docs/simulator-bikeep.md)."""

    vendor = "bikeep"

    def __init__(self, clock: Clock | None = None) -> None:
        """Start with no scenario loaded (call :meth:`load_scenario`)."""
        SimulatorBase.__init__(self, clock)
        BikeepCloud.__init__(self, self.clock, self.auth_behaviour)

    def add_routes(self, app: web.Application) -> None:
        """Register the auth host and services host routes."""
        http_app.add_routes(app, self)

    async def control_trigger(
        self, action: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        """Run a trigger from :data:`TRIGGERS` (unknown action -> ``KeyError``)."""
        trigger = TRIGGERS.get(action)
        if trigger is None:
            raise KeyError(f"trigger {action}")
        return await trigger(self, params)

    def unauthorized_response(self) -> web.Response:
        """The services host's 401 body."""
        return responses.unauthorized_response()

    def rate_limited_response(self) -> web.Response:
        """The 429 body with ``Retry-After`` (``fault_retry_after`` seconds)."""
        return responses.rate_limited_response(self.fault_retry_after)

    async def on_cleanup(self, app: web.Application) -> None:
        """Close the webhook session."""
        await self.webhooks.close()
