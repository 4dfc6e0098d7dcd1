"""The guard against deprecations: it sees Home Assistant's reports about our code."""

from __future__ import annotations

import logging

import pytest

from .deprecations import collect_reports, is_report_about_us


def _record(name: str, level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


@pytest.mark.parametrize(
    "message",
    [
        (
            "Detected that custom integration 'smart_access' calls `device_registry."
            "async_get_or_create` with a deprecated `via_device` parameter; use "
            "`via_device_id` instead at custom_components/smart_access/entity.py, line 1"
        ),
        (
            "The deprecated function show_advanced_options was called from smart_access."
            " It will be removed in HA Core 2027.6."
        ),
        (
            "Detected code that calls `device_registry.async_get_device`, which is "
            "deprecated. Please report this issue"
        ),
    ],
)
def test_reports_about_us_are_caught(message: str) -> None:
    """Home Assistant's usage reports about our code are recognised."""
    assert is_report_about_us(
        _record("homeassistant.helpers.frame", logging.WARNING, message)
    )


@pytest.mark.parametrize(
    ("level", "message"),
    [
        (
            logging.WARNING,
            (
                "We found a custom integration smart_access which has not "
                "been tested by Home Assistant."
            ),
        ),
        (
            logging.WARNING,
            "Detected that custom integration 'other' uses a deprecated thing",
        ),
        (logging.DEBUG, "The deprecated function x was called from smart_access."),
    ],
)
def test_other_lines_pass(level: int, message: str) -> None:
    """Other integrations' reports, plain warnings and debug lines are left alone."""
    assert not is_report_about_us(_record("homeassistant.loader", level, message))


@pytest.mark.reports_expected
def test_collector_sees_any_logger() -> None:
    """Reports are collected from every logger while the guard is active."""
    with collect_reports() as found:
        logging.getLogger("homeassistant.helpers.deprecation").warning(
            "The deprecated constant X was used from smart_access. Use Y instead"
        )
        logging.getLogger("homeassistant.helpers.deprecation").warning("unrelated")
    assert found == [
        (
            "homeassistant.helpers.deprecation: The deprecated constant X was used "
            "from smart_access. Use Y instead"
        )
    ]
