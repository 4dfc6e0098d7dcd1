"""HTTP handlers of the auth host (``/oauth2/token``) and the services host.

They serve a :class:`.cloud.BikeepCloud`; :mod:`.app` registers them on the app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
import json
from typing import Any

from aiohttp import web

from . import const
from .auth import basic_credentials
from .cloud import BikeepCloud
from .errors import BikeepApiError, bad_request, not_found
from .machine import submit
from .model import Device, Location, Whitelist
from .responses import error_response
from .timeutil import parse
from .views import (
    command_body,
    device_body,
    entity_body,
    location_body,
    whitelist_body,
)
from .whitelists import add_entities, remove_entities

type _Handler = Callable[[web.Request, str | None], Awaitable[web.Response]]

_FORM = "application/x-www-form-urlencoded"


def _oauth_error(status: int, code: str, description: str) -> web.Response:
    return web.json_response(
        {"error": code, "error_description": description}, status=status
    )


async def _json_object(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise bad_request("the body must be a JSON object") from err
    if not isinstance(body, dict):
        raise bad_request("the body must be a JSON object")
    return body


class BikeepRoutes:
    """Registers and serves the vendor routes of one :class:`BikeepCloud`."""

    def __init__(self, sim: BikeepCloud) -> None:
        """Serve ``sim``'s state."""
        self.sim = sim

    def register(self, app: web.Application) -> None:
        """Add every vendor route to ``app``."""
        router = app.router
        router.add_post("/oauth2/token", self._limited(self.token))
        router.add_get("/location/v1/locations", self._api(self.locations))
        router.add_get(
            "/location/v1/public-areas/{area_id}/locations",
            self._api(self.public_area_locations, auth=False),
        )
        router.add_get(
            "/device/v1/locations/{location_id}/devices", self._api(self.devices)
        )
        router.add_get("/device/v1/devices/{device_id}", self._api(self.device))
        router.add_post(
            "/device/v1/devices/{device_id}/commands", self._api(self.post_command)
        )
        router.add_get("/device/v1/commands/{command_id}", self._api(self.command))
        router.add_get(
            "/whitelist/v1/locations/{location_id}/whitelists",
            self._api(self.whitelists),
        )
        router.add_get(
            "/whitelist/v1/whitelists/{whitelist_id}/entities",
            self._api(self.entities),
        )
        router.add_post(
            "/whitelist/v1/whitelists/{whitelist_id}/entities",
            self._api(self.change_entities),
        )
        router.add_get(
            "/whitelist/v1/whitelists/{whitelist_id}/targets", self._api(self.targets)
        )

    # -- plumbing --------------------------------------------------------------
    def _limited(
        self, handler: Callable[[web.Request], Awaitable[web.Response]]
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def wrapped(request: web.Request) -> web.Response:
            try:
                self.sim.limiter.check(self.sim.state, self.sim.clock.now())
            except BikeepApiError as err:
                return error_response(err)
            return await handler(request)

        return wrapped

    def _api(
        self, handler: _Handler, *, auth: bool = True
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def wrapped(request: web.Request) -> web.Response:
            now = self.sim.clock.now()
            try:
                self.sim.limiter.check(self.sim.state, now)
                operator_id = self._operator(request, now) if auth else None
                return await handler(request, operator_id)
            except BikeepApiError as err:
                return error_response(err)

        return wrapped

    def _operator(self, request: web.Request, now: datetime) -> str:
        """Return the caller's operator, or raise as ``auth_behaviour`` says."""
        behaviour = self.sim.auth_behaviour
        try:
            operator_id = self.sim.tokens.operator_id(
                request.headers.get("Authorization"), now
            )
        except BikeepApiError as err:
            if behaviour.expired_token_status == 403:
                raise BikeepApiError(403, "forbidden", str(err)) from err
            raise
        refusal = behaviour.refusal(request.path)
        if refusal == 402:
            raise BikeepApiError(402, "payment_required", "API access is disabled")
        if refusal == 403:
            raise BikeepApiError(403, "forbidden", "no access to this resource")
        return operator_id

    def _location(self, location_id: str, operator_id: str | None) -> Location:
        location = self.sim.state.locations.get(location_id)
        if location is None or location.operator_id != operator_id:
            raise not_found("location", location_id)
        return location

    def _device(self, device_id: str, operator_id: str | None) -> Device:
        device = self.sim.state.devices.get(device_id)
        if device is None:
            raise not_found("device", device_id)
        location = self.sim.state.locations[device.location_id]
        if location.operator_id != operator_id:
            raise not_found("device", device_id)
        return device

    def _whitelist(self, whitelist_id: str, operator_id: str | None) -> Whitelist:
        whitelist = self.sim.state.whitelists.get(whitelist_id)
        if whitelist is None:
            raise not_found("whitelist", whitelist_id)
        if self.sim.state.locations[whitelist.location_id].operator_id != operator_id:
            raise not_found("whitelist", whitelist_id)
        return whitelist

    # -- auth host -------------------------------------------------------------
    async def token(self, request: web.Request) -> web.Response:
        """Client-credentials grant (form-encoded; client auth in body or Basic)."""
        if request.content_type != _FORM:
            return _oauth_error(400, "invalid_request", f"the body must be {_FORM}")
        form = await request.post()
        grant_type = form.get("grant_type")
        if not grant_type:
            return _oauth_error(400, "invalid_request", "grant_type is required")
        if grant_type != "client_credentials":
            return _oauth_error(
                400, "unsupported_grant_type", "only client_credentials is supported"
            )
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        basic = basic_credentials(request.headers.get("Authorization"))
        if basic is not None and client_id is None:
            client_id, client_secret = basic
        operator = (
            self.sim.state.operator_by_client(client_id)
            if isinstance(client_id, str)
            else None
        )
        if operator is None or operator.client_secret != client_secret:
            return _oauth_error(401, "invalid_client", "client authentication failed")
        lifetime = self.sim.state.settings.token_lifetime
        token = self.sim.tokens.issue(operator, self.sim.clock.now(), lifetime)
        return web.json_response(
            {"access_token": token, "token_type": "Bearer", "expires_in": int(lifetime)}
        )

    # -- locations ------------------------------------------------------------
    async def locations(
        self, request: web.Request, operator_id: str | None
    ) -> web.Response:
        """The operator's locations with computed counts."""
        now = self.sim.clock.now()
        state = self.sim.state
        return web.json_response(
            {
                "data": [
                    location_body(state, location, now)
                    for location in state.locations.values()
                    if location.operator_id == operator_id
                ]
            }
        )

    async def public_area_locations(
        self, request: web.Request, operator_id: str | None
    ) -> web.Response:
        """Locations of a public area (no token needed)."""
        state = self.sim.state
        area = state.public_areas.get(request.match_info["area_id"])
        if area is None:
            raise not_found("public area", request.match_info["area_id"])
        now = self.sim.clock.now()
        return web.json_response(
            {
                "data": [
                    location_body(state, state.locations[location_id], now)
                    for location_id in area.location_ids
                    if location_id in state.locations
                ]
            }
        )

    # -- devices and commands -------------------------------------------------
    async def devices(
        self, request: web.Request, operator_id: str | None
    ) -> web.Response:
        """Devices of one of the operator's locations."""
        location = self._location(request.match_info["location_id"], operator_id)
        now = self.sim.clock.now()
        state = self.sim.state
        return web.json_response(
            {
                "data": [
                    device_body(state, device, now)
                    for device in state.location_devices(location.id)
                ]
            }
        )

    async def device(
        self, request: web.Request, operator_id: str | None
    ) -> web.Response:
        """One device in detail."""
        device = self._device(request.match_info["device_id"], operator_id)
        return web.json_response(
            device_body(self.sim.state, device, self.sim.clock.now())
        )

    async def post_command(
        self, request: web.Request, operator_id: str | None
    ) -> web.Response:
        """Send an asynchronous command to a LOCKER or BIKE_DOCK."""
        device = self._device(request.match_info["device_id"], operator_id)
        body = await _json_object(request)
        name = body.get("command")
        if name not in const.COMMANDS:
            raise bad_request(
                f"command must be one of {', '.join(const.COMMANDS)}", "invalid_command"
            )
        if device.type == const.GUARD:
            raise bad_request("GUARD devices do not take commands", "invalid_command")
        now = self.sim.clock.now()
        booking_until = None
        if name == const.CMD_BOOK and body.get("timeout_at") is not None:
            try:
                booking_until = parse(body["timeout_at"], "timeout_at")
            except ValueError as err:
                raise bad_request(str(err), "validation_error") from err
            if booking_until <= now:
                raise bad_request(
                    "timeout_at must be in the future", "validation_error"
                )
        command = submit(self.sim.state, device, str(name), booking_until, now)
        return web.json_response(command_body(command))

    async def command(
        self, request: web.Request, operator_id: str | None
    ) -> web.Response:
        """Poll a command."""
        command_id = request.match_info["command_id"]
        command = self.sim.state.commands.get(command_id)
        if command is None:
            raise not_found("command", command_id)
        device = self._device(command.device_id, operator_id)
        self.sim.settle(device)
        return web.json_response(command_body(command))

    # -- whitelists -----------------------------------------------------------
    async def whitelists(
        self, request: web.Request, operator_id: str | None
    ) -> web.Response:
        """Whitelists of one of the operator's locations."""
        location = self._location(request.match_info["location_id"], operator_id)
        return web.json_response(
            {
                "data": [
                    whitelist_body(whitelist)
                    for whitelist in self.sim.state.whitelists.values()
                    if whitelist.location_id == location.id
                ]
            }
        )

    async def entities(
        self, request: web.Request, operator_id: str | None
    ) -> web.Response:
        """RFID cards of a whitelist."""
        whitelist = self._whitelist(request.match_info["whitelist_id"], operator_id)
        return web.json_response(
            {
                "data": [
                    entity_body(entity.to_dict())
                    for entity in whitelist.entities.values()
                ]
            }
        )

    async def targets(
        self, request: web.Request, operator_id: str | None
    ) -> web.Response:
        """Targets of a whitelist, optionally only ``?type=device|location``."""
        whitelist = self._whitelist(request.match_info["whitelist_id"], operator_id)
        kind = request.query.get("type")
        if kind is not None and kind not in const.TARGET_TYPES:
            raise bad_request("type must be device or location")
        return web.json_response(
            {
                "data": [
                    target.to_dict()
                    for target in whitelist.targets
                    if kind is None or target.type == kind
                ]
            }
        )

    async def change_entities(
        self, request: web.Request, operator_id: str | None
    ) -> web.Response:
        """ADD or REMOVE RFID cards, item by item (no rollback)."""
        whitelist = self._whitelist(request.match_info["whitelist_id"], operator_id)
        body = await _json_object(request)
        operation = body.get("operation")
        items = body.get("entities")
        if operation not in ("ADD", "REMOVE"):
            raise bad_request("operation must be ADD or REMOVE", "validation_error")
        if not isinstance(items, list) or not items:
            raise bad_request("entities must be a non-empty list", "validation_error")
        if operation == "ADD":
            result = add_entities(whitelist, items, self.sim.clock.now())
        else:
            result = remove_entities(whitelist, items)
        if result.errors:
            raise BikeepApiError(
                400,
                "partial_failure",
                f"{len(result.errors)} of {len(items)} entities failed",
                extra={"error_results": result.errors},
            )
        return web.json_response(
            {"data": [entity_body(entity) for entity in result.processed]}
        )
