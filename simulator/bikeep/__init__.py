"""Simulated Bikeep cloud (lockers, docks, commands, whitelists, heartbeats)."""

from .const import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_OPERATOR_ID,
    SECOND_CLIENT_ID,
    SECOND_CLIENT_SECRET,
    SECOND_OPERATOR_ID,
)
from .simulator import BikeepSimulator

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_OPERATOR_ID",
    "SECOND_CLIENT_ID",
    "SECOND_CLIENT_SECRET",
    "SECOND_OPERATOR_ID",
    "BikeepSimulator",
]
