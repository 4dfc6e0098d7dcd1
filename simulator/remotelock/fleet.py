"""Large generated fleets for benchmarks (thousands of devices, quickly)."""

from __future__ import annotations

from typing import Any

from .state import RemoteLockState
from .store import new_id
from .templates import device_record

FLEET_KINDS = {
    "locks": "lock",
    "thermostats": "thermostat",
    "power_plugs": "power_plug",
}
FLEET_MODELS = {"lock": "LS-6i", "thermostat": "LS-60i", "power_plug": "LS-P50i"}
TIME_ZONES = ("America/Denver", "Europe/Amsterdam", "America/New_York", "Asia/Tokyo")


def _count(params: dict[str, Any], name: str) -> int:
    value = params.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer")
    return int(value)


def generate(sim: RemoteLockState, params: dict[str, Any]) -> dict[str, Any]:
    """Add ``locations`` locations and ``locks``/``thermostats``/``power_plugs`` devices.

    Devices are spread round-robin over the new locations (or the existing ones when
    no new location is asked for). Returns what was added and the new totals.
    """
    state = sim.state
    counts = {name: _count(params, name) for name in (*FLEET_KINDS, "locations")}
    now = sim.now_iso()
    new_locations = []
    for index in range(counts["locations"]):
        rid = new_id()
        state.locations[rid] = {
            "id": rid,
            "type": "location",
            "attributes": {
                "name": f"Fleet Location {len(state.locations) + 1:05d}",
                "phone": None,
                "address": f"{index + 1} Fleet Street",
                "address2": None,
                "city": None,
                "state": None,
                "postal_code": None,
                "country": None,
                "time_zone": TIME_ZONES[index % len(TIME_ZONES)],
                "created_at": now,
                "updated_at": now,
            },
        }
        new_locations.append(rid)
    targets = new_locations or list(state.locations)
    if not targets and any(counts[k] for k in FLEET_KINDS):
        raise ValueError("no location to put devices in: ask for locations too")
    models = {m["attributes"]["number"]: m for m in state.models.values()}
    serial = len(state.devices)
    for name, kind in FLEET_KINDS.items():
        model = models.get(FLEET_MODELS[kind])
        for index in range(counts[name]):
            serial += 1
            record = device_record(
                kind,
                replaceable=bool(
                    model["attributes"]["capabilities"].get("replaceable", True)
                )
                if model
                else True,
                name=f"Fleet {kind.replace('_', ' ').title()} {index + 1:05d}",
                serial_number=f"FLEET{serial:010d}",
                model_id=model["id"] if model else None,
                location_id=targets[index % len(targets)],
                now=now,
            )
            state.devices[record["id"]] = record
    return {
        "added": counts,
        "total_devices": len(state.devices),
        "total_locations": len(state.locations),
    }
