"""The aiohttp side of the Bikeep simulator: the vendor routes registered on an app.

``SimulatorBase.build_app`` creates the application (shared middleware and ``/_sim``
control routes) and calls the simulator's ``add_routes``, which is
:func:`add_routes`. Routes depend on the state (:class:`.cloud.BikeepCloud`); the
state never imports them.
"""

from __future__ import annotations

from aiohttp import web

from .cloud import BikeepCloud
from .routes import BikeepRoutes


def add_routes(app: web.Application, cloud: BikeepCloud) -> BikeepRoutes:
    """Register the auth host and services host routes of ``cloud`` on ``app``."""
    routes = BikeepRoutes(cloud)
    routes.register(app)
    return routes
