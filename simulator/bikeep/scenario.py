"""The built-in scenario (the guide's example ids and payloads) and fleet generation."""

from __future__ import annotations

from typing import Any

from . import const

LOCKERS_LOCATION_ID = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"
DOCKS_LOCATION_ID = "b2c3d4e5-f6a7-8901-bcde-f12345678901"
SECOND_OPERATOR_LOCATION_ID = "c3d4e5f6-a7b8-9012-cdef-123456789012"
PUBLIC_AREA_ID = "pa-0000-0000-0000-000000000001"

GUARD_C1 = "guard-uuid-0000-0000-000000000001"
GUARD_C2 = "guard-uuid-0000-0000-000000000002"
GUARD_D1 = "guard-uuid-0000-0000-000000000003"
GUARD_E1 = "guard-uuid-0000-0000-000000000004"
LOCKER_1 = "f1e2d3c4-b5a6-7890-abcd-ef1234567890"  # UNLOCKED (guide example)
LOCKER_2 = "a9b8c7d6-e5f4-3210-abcd-ef1234567890"  # LOCKED (guide example)
LOCKER_3 = "locker-uuid-0000-0000-000000000003"  # BOOKED for another 30 min
LOCKER_4 = "locker-uuid-0000-0000-000000000004"  # UNLOCKED, on guard C2
LOCKER_5 = "locker-uuid-0000-0000-000000000005"  # UNLOCKED but DEAD (offline 1 h)
LOCKER_6 = "locker-uuid-0000-0000-000000000006"  # LOCKED, on guard C2
DOCK_1 = "dock-uuid-0000-0000-000000000001"
DOCK_2 = "dock-uuid-0000-0000-000000000002"
DOCK_3 = "dock-uuid-0000-0000-000000000003"
DOCK_4 = "dock-uuid-0000-0000-000000000004"  # LOCKED
DOCK_5 = "dock-uuid-0000-0000-000000000005"  # LONG_DEAD (offline 3 h)
OTHER_LOCKER = "locker-uuid-0000-0000-000000000101"

WHITELIST_EMPLOYEES = "wl-0000-0000-0000-000000000001"
WHITELIST_CONTRACTORS = "wl-0000-0000-0000-000000000002"
WHITELIST_COMMUTERS = "wl-0000-0000-0000-000000000003"
WHITELIST_OTHER = "wl-0000-0000-0000-000000000101"

RFID_JOHN = "04a2b3c4d5e6f7"
RFID_JANE = "04b3c4d5e6f7a8"


def _device(
    device_id: str,
    kind: str,
    alias: str,
    code: str,
    state: str,
    changed_at: str = "2025-12-15T09:00:00Z",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": device_id,
        "type": kind,
        "alias": alias,
        "code": code,
        "state": state,
        "changed_at": changed_at,
        "hardware_state": const.HARDWARE_NORMAL,
        **extra,
    }


def default_scenario() -> dict[str, Any]:
    """Two operators, lockers and docks, a dead device, a public area, whitelists."""
    guard = const.GUARD
    locker = const.LOCKER
    dock = const.BIKE_DOCK
    return {
        "settings": {"latency": 1.0, "secure_delay": 1.0},
        "operators": [
            {
                "id": const.DEFAULT_OPERATOR_ID,
                "name": "Simulated Operator",
                "client_id": const.DEFAULT_CLIENT_ID,
                "client_secret": const.DEFAULT_CLIENT_SECRET,
            },
            {
                "id": const.SECOND_OPERATOR_ID,
                "name": "Other Operator",
                "client_id": const.SECOND_CLIENT_ID,
                "client_secret": const.SECOND_CLIENT_SECRET,
            },
        ],
        "public_areas": [
            {
                "id": PUBLIC_AREA_ID,
                "name": "City centre",
                "location_ids": [LOCKERS_LOCATION_ID, DOCKS_LOCATION_ID],
            }
        ],
        "locations": [
            {
                "id": LOCKERS_LOCATION_ID,
                "operator_id": const.DEFAULT_OPERATOR_ID,
                "type": const.BIKE_LOCKERS,
                "label": "#1234",
                "name": "#1234 Office Building A",
                "status": "LAUNCHED",
                "address": "123 Main Street",
                "devices": [
                    _device(GUARD_C1, guard, "C1", "123455", const.LOCKED),
                    _device(GUARD_C2, guard, "C2", "123454", const.LOCKED),
                    _device(
                        LOCKER_1,
                        locker,
                        "1",
                        "123456",
                        const.UNLOCKED,
                        "2025-12-15T10:30:00Z",
                        guard_id=GUARD_C1,
                    ),
                    _device(
                        LOCKER_2,
                        locker,
                        "2",
                        "123457",
                        const.LOCKED,
                        "2025-12-15T08:00:00Z",
                        guard_id=GUARD_C1,
                    ),
                    _device(
                        LOCKER_3,
                        locker,
                        "3",
                        "123458",
                        const.BOOKED,
                        guard_id=GUARD_C1,
                        state_timeout_in=1800,
                    ),
                    _device(
                        LOCKER_4,
                        locker,
                        "4",
                        "123459",
                        const.UNLOCKED,
                        guard_id=GUARD_C2,
                    ),
                    _device(
                        LOCKER_5,
                        locker,
                        "5",
                        "123460",
                        const.UNLOCKED,
                        guard_id=GUARD_C2,
                        connected=False,
                        offline_for=3600,
                    ),
                    _device(
                        LOCKER_6, locker, "6", "123461", const.LOCKED, guard_id=GUARD_C2
                    ),
                ],
            },
            {
                "id": DOCKS_LOCATION_ID,
                "operator_id": const.DEFAULT_OPERATOR_ID,
                "type": const.BIKE_DOCKS,
                "label": "#5678",
                "name": "#5678 Train Station B",
                "status": "LAUNCHED",
                "address": "456 Station Road",
                "devices": [
                    _device(GUARD_D1, guard, "D1", "223455", const.LOCKED),
                    _device(
                        DOCK_1, dock, "1", "223456", const.UNLOCKED, guard_id=GUARD_D1
                    ),
                    _device(
                        DOCK_2, dock, "2", "223457", const.UNLOCKED, guard_id=GUARD_D1
                    ),
                    _device(
                        DOCK_3, dock, "3", "223458", const.UNLOCKED, guard_id=GUARD_D1
                    ),
                    _device(
                        DOCK_4, dock, "4", "223459", const.LOCKED, guard_id=GUARD_D1
                    ),
                    _device(
                        DOCK_5,
                        dock,
                        "5",
                        "223460",
                        const.UNLOCKED,
                        guard_id=GUARD_D1,
                        connected=False,
                        offline_for=3 * 3600,
                    ),
                ],
            },
            {
                "id": SECOND_OPERATOR_LOCATION_ID,
                "operator_id": const.SECOND_OPERATOR_ID,
                "type": const.BIKE_LOCKERS,
                "label": "#9012",
                "name": "#9012 Harbour Hub",
                "status": "LAUNCHED",
                "address": "9 Quay Street",
                "devices": [
                    _device(GUARD_E1, guard, "E1", "323455", const.LOCKED),
                    _device(
                        OTHER_LOCKER,
                        locker,
                        "1",
                        "323456",
                        const.UNLOCKED,
                        guard_id=GUARD_E1,
                    ),
                ],
            },
        ],
        "whitelists": [
            {
                "id": WHITELIST_EMPLOYEES,
                "location_id": LOCKERS_LOCATION_ID,
                "name": "Employees",
                "targets": [{"type": "location", "id": LOCKERS_LOCATION_ID}],
                "entities": [
                    {
                        "id": RFID_JOHN,
                        "id_type": const.ID_TYPE_RFID,
                        "status": "ACTIVE",
                        "comment": "Employee badge - John",
                    }
                ],
            },
            {
                "id": WHITELIST_CONTRACTORS,
                "location_id": LOCKERS_LOCATION_ID,
                "name": "Contractors",
                "targets": [
                    {"type": "device", "id": LOCKER_1},
                    {"type": "device", "id": LOCKER_2},
                    {"type": "location", "id": LOCKERS_LOCATION_ID},
                ],
                "entities": [
                    {
                        "id": RFID_JANE,
                        "id_type": const.ID_TYPE_RFID,
                        "status": "ACTIVE",
                        "expires_at": "2026-06-30T23:59:59Z",
                        "comment": "Contractor badge - Jane (temp)",
                    }
                ],
            },
            {
                "id": WHITELIST_COMMUTERS,
                "location_id": DOCKS_LOCATION_ID,
                "name": "Commuters",
                "targets": [{"type": "location", "id": DOCKS_LOCATION_ID}],
                "entities": [],
            },
            {
                "id": WHITELIST_OTHER,
                "location_id": SECOND_OPERATOR_LOCATION_ID,
                "name": "Harbour staff",
                "targets": [{"type": "location", "id": SECOND_OPERATOR_LOCATION_ID}],
                "entities": [{"id": "0badc0de", "id_type": const.ID_TYPE_RFID}],
            },
        ],
    }


def fleet_locations(
    operator_id: str, start: int, locations: int, devices_per_location: int
) -> list[dict[str, Any]]:
    """Scenario data for ``locations`` generated stations (one GUARD + N devices each)."""
    result = []
    for index in range(start, start + locations):
        lockers = index % 2 == 0
        location_id = f"fleet-loc-{index:06d}"
        guard_id = f"fleet-guard-{index:06d}"
        kind = const.LOCKER if lockers else const.BIKE_DOCK
        devices = [
            _device(guard_id, const.GUARD, f"G{index}", f"9{index:05d}", const.LOCKED)
        ]
        for number in range(1, devices_per_location + 1):
            state = const.LOCKED if number % 3 == 0 else const.UNLOCKED
            devices.append(
                _device(
                    f"fleet-dev-{index:06d}-{number:04d}",
                    kind,
                    str(number),
                    f"{index:06d}{number:04d}",
                    state,
                    guard_id=guard_id,
                )
            )
        result.append(
            {
                "id": location_id,
                "operator_id": operator_id,
                "type": const.BIKE_LOCKERS if lockers else const.BIKE_DOCKS,
                "label": f"#F{index}",
                "name": f"#F{index} Fleet station {index}",
                "status": "LAUNCHED",
                "address": f"{index} Fleet Road",
                "devices": devices,
            }
        )
    return result
