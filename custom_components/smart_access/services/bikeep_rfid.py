"""Bikeep RFID actions: add, remove and list the cards on a station's whitelists.

Card ids are checked with ``validate_rfid`` before anything is sent: one bad id stops
the whole action (nothing is half-applied), and the error gives the reason per id.
Card ids are never logged; they only travel back to the caller (response or error).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.util.json import JsonValueType
import probatio

from ..api.bikeep.models import Location
from ..api.bikeep.rfid import validate_rfid
from ..api.bikeep.whitelists import BatchResult, EntityStatus, RfidEntity, Whitelist
from ..api.errors import SmartAccessApiError
from ..const import LOGGER, Vendor
from ..coordinator import BikeepCoordinator
from .common import (
    ATTR_DEVICE_ID,
    bikeep_coordinator,
    device_name,
    device_target,
    failed,
    invalid,
    register_actions,
    require_future,
    translated,
)

SERVICE_ADD_RFID_CARDS = "add_rfid_cards"
SERVICE_REMOVE_RFID_CARDS = "remove_rfid_cards"
SERVICE_LIST_RFID_CARDS = "list_rfid_cards"

ATTR_WHITELIST = "whitelist"
ATTR_CARDS = "cards"
ATTR_STATUS = "status"
ATTR_EXPIRES_AT = "expires_at"
ATTR_COMMENT = "comment"

STATUSES = {"active": EntityStatus.ACTIVE, "inactive": EntityStatus.INACTIVE}

STATION_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Optional(ATTR_WHITELIST): cv.string,
    }
)
CARDS_SCHEMA = STATION_SCHEMA.extend(
    {
        probatio.Required(ATTR_CARDS): probatio.All(
            cv.ensure_list, [cv.string], probatio.Length(min=1)
        ),
    }
)
ADD_SCHEMA = CARDS_SCHEMA.extend(
    {
        probatio.Optional(ATTR_STATUS, default="active"): probatio.All(
            cv.string, probatio.Lower, probatio.In(STATUSES)
        ),
        probatio.Optional(ATTR_EXPIRES_AT): cv.datetime,
        probatio.Optional(ATTR_COMMENT): cv.string,
    }
)


def _station(
    hass: HomeAssistant, device_id: str
) -> tuple[BikeepCoordinator, Location, str]:
    """Resolve the target to a station (location) of a loaded Bikeep entry."""
    entry, location_id, device = device_target(hass, device_id, Vendor.BIKEEP)
    coordinator = bikeep_coordinator(entry)
    name = device_name(device)
    location = coordinator.data.locations.get(location_id)
    if location is None:
        raise invalid("bikeep_not_station", device=name)
    return coordinator, location, name


def _describe(lists: Sequence[Whitelist]) -> str:
    return ", ".join(f"{item.name or item.id} ({item.id})" for item in lists)


def _whitelists(
    coordinator: BikeepCoordinator, location: Location, station: str, wanted: str | None
) -> tuple[Whitelist, ...]:
    """Return the whitelist named by ``wanted`` (id or name), or all when omitted."""
    lists = coordinator.data.whitelists.get(location.id, ())
    if not lists:
        raise invalid("bikeep_no_whitelists", station=station)
    if wanted is None:
        return lists
    matches = [item for item in lists if item.id == wanted] or [
        item
        for item in lists
        if item.name and item.name.casefold() == wanted.strip().casefold()
    ]
    if len(matches) != 1:
        raise invalid(
            "bikeep_unknown_whitelist",
            whitelist=wanted,
            station=station,
            whitelists=_describe(lists),
        )
    return (matches[0],)


def _one_whitelist(
    coordinator: BikeepCoordinator, location: Location, station: str, wanted: str | None
) -> Whitelist:
    """Return the single whitelist to change; ask the user to pick among several."""
    lists = _whitelists(coordinator, location, station, wanted)
    if len(lists) > 1:
        raise invalid(
            "bikeep_whitelist_required", station=station, whitelists=_describe(lists)
        )
    return lists[0]


def _check_cards(cards: list[str]) -> None:
    """Reject the action when any id is not a valid RFID id, with every reason."""
    problems = [
        f"{verdict.raw!r}: {verdict.reason}"
        for verdict in map(validate_rfid, cards)
        if not verdict.valid
    ]
    if problems:
        raise invalid(
            "bikeep_invalid_rfid",
            count=str(len(problems)),
            problems="; ".join(problems),
        )


def _card_json(card: RfidEntity) -> dict[str, Any]:
    return {
        "id": card.id,
        "status": str(card.status),
        "expires_at": card.expires_at.isoformat() if card.expires_at else None,
        "comment": card.comment,
        "created_at": card.created_at.isoformat() if card.created_at else None,
        "updated_at": card.updated_at.isoformat() if card.updated_at else None,
    }


async def _async_change(call: ServiceCall, adding: bool) -> ServiceResponse:
    """Add or remove cards on one whitelist; report what was applied and what not."""
    cards: list[str] = call.data[ATTR_CARDS]
    _check_cards(cards)
    expires_at = call.data.get(ATTR_EXPIRES_AT)
    if expires_at is not None:
        expires_at = require_future(expires_at, ATTR_EXPIRES_AT)
    coordinator, location, station = _station(call.hass, call.data[ATTR_DEVICE_ID])
    whitelist = _one_whitelist(
        coordinator, location, station, call.data.get(ATTR_WHITELIST)
    )
    client = coordinator.client
    if adding:
        status = STATUSES[call.data[ATTR_STATUS]]
        comment = call.data.get(ATTR_COMMENT)
        result: BatchResult = await client.async_add_entities(
            whitelist.id,
            [
                RfidEntity(
                    id=card, status=status, expires_at=expires_at, comment=comment
                )
                for card in cards
            ],
        )
    else:
        result = await client.async_remove_entities(whitelist.id, cards)
    try:  # show the new count on the station's RFID card sensor
        count = len(await client.async_list_entities(whitelist.id))
    except SmartAccessApiError as err:
        LOGGER.debug("Could not recount Bikeep whitelist %s: %s", whitelist.id, err)
    else:
        coordinator.async_apply_card_counts({whitelist.id: count})
    if result.failed and not call.return_response:
        raise failed(
            "bikeep_rfid_add_failed" if adding else "bikeep_rfid_remove_failed",
            whitelist=whitelist.name or whitelist.id,
            failed_count=str(len(result.failed)),
            total=str(len(result.failed) + len(result.succeeded)),
            failures="; ".join(f"{f.id}: {f.reason}" for f in result.failed),
            applied_count=str(len(result.succeeded)),
        )
    return {
        "whitelist": {"id": whitelist.id, "name": whitelist.name},
        "added" if adding else "removed": list(result.succeeded),
        "failed": [
            {"id": failure.id, "reason": failure.reason, "code": failure.code}
            for failure in result.failed
        ],
        "normalised": [
            {"input": raw, "id": sent} for raw, sent in result.changed_inputs.items()
        ],
    }


@translated
async def _async_add(call: ServiceCall) -> ServiceResponse:
    """Add (or update: adding is an upsert) RFID cards on a station's whitelist."""
    return await _async_change(call, adding=True)


@translated
async def _async_remove(call: ServiceCall) -> ServiceResponse:
    """Remove RFID cards from a station's whitelist."""
    return await _async_change(call, adding=False)


@translated
async def _async_list(call: ServiceCall) -> ServiceResponse:
    """Return the cards of one whitelist of a station, or of all of them."""
    coordinator, location, station = _station(call.hass, call.data[ATTR_DEVICE_ID])
    lists = _whitelists(coordinator, location, station, call.data.get(ATTR_WHITELIST))
    result: list[JsonValueType] = []
    counts: dict[str, int] = {}
    for whitelist in lists:
        cards = await coordinator.client.async_list_entities(whitelist.id)
        counts[whitelist.id] = len(cards)
        result.append(
            {
                "id": whitelist.id,
                "name": whitelist.name,
                "cards": [_card_json(card) for card in cards],
            }
        )
    coordinator.async_apply_card_counts(counts)  # one update for the sensors
    return {"whitelists": result}


@callback
def async_register(hass: HomeAssistant) -> None:
    """Register the Bikeep RFID actions."""
    register_actions(
        hass,
        (
            (
                SERVICE_ADD_RFID_CARDS,
                _async_add,
                ADD_SCHEMA,
                SupportsResponse.OPTIONAL,
            ),
            (
                SERVICE_REMOVE_RFID_CARDS,
                _async_remove,
                CARDS_SCHEMA,
                SupportsResponse.OPTIONAL,
            ),
            (
                SERVICE_LIST_RFID_CARDS,
                _async_list,
                STATION_SCHEMA,
                SupportsResponse.ONLY,
            ),
        ),
    )
