"""The simulated RemoteLock cloud (API v1): OAuth host and API host on one app.

:class:`RemoteLockSimulator` is the top of the package: it adds to the state
(:class:`.state.RemoteLockState`) the vendor hooks of ``SimulatorBase`` that need the
HTTP side (:mod:`.app`, :mod:`.responses`) or operate on the state (:mod:`.triggers`,
:mod:`.fleet`). Only the package `__init__` imports this module.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from simulator.common import Clock

from . import app as http_app, fleet, responses, triggers
from .api import Api
from .state import RemoteLockState


class RemoteLockSimulator(RemoteLockState):
    """A faithful fake of the RemoteLock cloud, API v1 (see docs/simulator-remotelock.md).

    State and the Python-level helpers come from :class:`RemoteLockState`;
    ``build_app()`` (from ``SimulatorBase``) serves it over HTTP, and ``self.api``
    is the API route table of the last app built (None before).
    """

    def __init__(self, clock: Clock | None = None) -> None:
        """Create an empty simulator (call :meth:`load_scenario` to fill it)."""
        super().__init__(clock)
        self.api: Api | None = None

    def add_routes(self, app: web.Application) -> None:
        """Register OAuth and API routes (API ones also under ``/v1``)."""
        self.api = http_app.add_routes(app, self)

    async def on_cleanup(self, app: web.Application) -> None:
        """Cancel webhook deliveries in flight and close their HTTP session."""
        await self.webhooks.close()

    def unauthorized_response(self) -> web.Response:
        """401 (or 403, see auth_behaviour) for a missing, expired or revoked token."""
        return responses.unauthorized_response(self)

    def rate_limited_response(self) -> web.Response:
        """429 with the documented body."""
        return responses.rate_limited_response(self)

    async def control_trigger(
        self, action: str, params: dict[str, Any]
    ) -> dict[str, Any]:
        """Perform a device-side change (see :mod:`.triggers`)."""
        return triggers.run(self, action, params)

    def generate_fleet(self, params: dict[str, Any]) -> dict[str, Any]:
        """Add a large generated fleet; return counts."""
        return fleet.generate(self, params)
