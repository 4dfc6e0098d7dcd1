"""Helpers shared by the Bikeep client tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture(name: str) -> Any:
    """Return a JSON example copied from the integration guide."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))
