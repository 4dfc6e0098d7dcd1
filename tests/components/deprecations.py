"""Catch what Home Assistant reports about our code: deprecations, misuse, breakage.

Home Assistant logs a warning (instead of raising) when a custom integration uses a
deprecated or wrong API: "Detected that custom integration 'smart_access' ...",
"The deprecated function ... was called from smart_access ...", "... is deprecated
... custom_components/smart_access/...". An autouse fixture in conftest.py fails
every test during which such a line is logged, so none can creep back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
import logging
import re

_OURS = re.compile(r"smart_access|custom_components/|tests/components/")
_REPORTS = (
    # helpers/frame.py report_usage, for an integration's frame or for none.
    re.compile(r"Detected that custom integration 'smart_access'"),
    re.compile(r"Detected code that "),
    # helpers/deprecation.py and data_entry_flow/config_entries deprecations.
    re.compile(r"deprecat", re.IGNORECASE),
)


def is_report_about_us(record: logging.LogRecord) -> bool:
    """Return whether ``record`` is Home Assistant reporting on our code."""
    if record.levelno < logging.WARNING:
        return False
    message = record.getMessage()
    if not any(pattern.search(message) for pattern in _REPORTS):
        return False
    return bool(_OURS.search(message)) or message.startswith("Detected code that ")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if is_report_about_us(record):
            self.found.append(f"{record.name}: {record.getMessage()}")


@contextmanager
def collect_reports() -> Iterator[list[str]]:
    """Collect, while active, every report about our code logged anywhere."""
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield collector.found
    finally:
        root.removeHandler(collector)


def describe(found: Iterable[str]) -> str:
    """Format collected reports for a test failure."""
    return "Home Assistant reported our code:\n" + "\n".join(
        f"  {line}" for line in found
    )
