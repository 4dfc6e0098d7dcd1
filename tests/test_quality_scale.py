"""quality_scale.yaml follows the current Integration Quality Scale, rule by rule.

hassfest grades only core integrations, so its rule set (Home Assistant 2026.10) is
reproduced here; the test also compares it with a Platinum core integration's file in
the installed Home Assistant, so a rule added upstream fails here when the pin moves.
"""

from __future__ import annotations

from pathlib import Path

import homeassistant.components
import pytest
import yaml

RULES = {
    "bronze": [
        "action-setup", "appropriate-polling", "brands", "common-modules",
        "config-flow-test-coverage", "config-flow", "dependency-transparency",
        "docs-actions", "docs-conditions", "docs-high-level-description",
        "docs-installation-instructions", "docs-removal-instructions", "docs-triggers",
        "entity-event-setup", "entity-unique-id", "has-entity-name", "runtime-data",
        "test-before-configure", "test-before-setup", "unique-config-entry",
    ],
    "silver": [
        "action-exceptions", "config-entry-unloading", "docs-configuration-parameters",
        "docs-installation-parameters", "entity-unavailable", "integration-owner",
        "log-when-unavailable", "parallel-updates", "reauthentication-flow",
        "test-coverage",
    ],
    "gold": [
        "devices", "diagnostics", "discovery-update-info", "discovery",
        "docs-data-update", "docs-examples", "docs-known-limitations",
        "docs-supported-devices", "docs-supported-functions", "docs-troubleshooting",
        "docs-use-cases", "dynamic-devices", "entity-category", "entity-device-class",
        "entity-disabled-by-default", "entity-translations", "exception-translations",
        "icon-translations", "reconfiguration-flow", "repair-issues", "stale-devices",
    ],
    "platinum": ["async-dependency", "inject-websession", "strict-typing"],
}  # fmt: skip
ALL_RULES = {rule for tier in RULES.values() for rule in tier}
OURS = yaml.safe_load(
    (
        Path(__file__).resolve().parent.parent
        / "custom_components"
        / "smart_access"
        / "quality_scale.yaml"
    ).read_text(encoding="utf-8")
)["rules"]


def test_rule_counts() -> None:
    """Bronze has 20 rules since docs-triggers and docs-conditions were added."""
    assert {tier: len(rules) for tier, rules in RULES.items()} == {
        "bronze": 20,
        "silver": 10,
        "gold": 21,
        "platinum": 3,
    }


def test_every_current_rule_is_answered() -> None:
    """No rule missing, none unknown."""
    assert set(OURS) == ALL_RULES


@pytest.mark.parametrize("rule", sorted(ALL_RULES))
def test_rule_has_status_and_comment(rule: str) -> None:
    """Each rule says done or exempt, and where (or why) in a comment."""
    answer = OURS[rule]
    assert isinstance(answer, dict), f"{rule}: give a status and a comment"
    assert answer["status"] in {"done", "exempt", "todo"}
    assert len(str(answer.get("comment", ""))) > 10, f"{rule}: comment missing"


def test_rule_set_matches_installed_home_assistant() -> None:
    """A Platinum core integration of the installed release answers the same rules."""
    core = Path(homeassistant.components.__path__[0]) / "peblar" / "quality_scale.yaml"
    if not core.exists():  # pragma: no cover - peblar ships with every release
        pytest.skip("peblar is not part of this Home Assistant")
    assert set(yaml.safe_load(core.read_text(encoding="utf-8"))["rules"]) == ALL_RULES
