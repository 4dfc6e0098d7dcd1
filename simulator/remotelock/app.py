"""The aiohttp side of the RemoteLock simulator: every route module registered on an app.

``SimulatorBase.build_app`` creates the application (shared middleware and ``/_sim``
control routes) and calls the vendor's ``add_routes``, which is :func:`add_routes`.
Route modules depend on the state; the state never imports them.
"""

from __future__ import annotations

from aiohttp import web

from . import (
    routes_access,
    routes_account,
    routes_config,
    routes_devices,
    routes_notify,
    routes_oauth,
    routes_resort,
)
from .api import Api
from .state import RemoteLockState

API_ROUTE_MODULES = (
    routes_account,
    routes_devices,
    routes_access,
    routes_resort,
    routes_config,
    routes_notify,
)


def build_api(sim: RemoteLockState) -> Api:
    """Return the API route table of ``sim`` with every route family added."""
    api = Api(sim)
    for module in API_ROUTE_MODULES:
        module.register(api)
    return api


def add_routes(app: web.Application, sim: RemoteLockState) -> Api:
    """Register the OAuth routes and the API routes (also under ``/v1``) on ``app``.

    Return the API route table (what ``sim.api`` shows).
    """
    routes_oauth.register(app, sim.oauth)
    api = build_api(sim)
    api.register(app)
    return api
