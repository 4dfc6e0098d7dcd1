"""The hassfest checks that apply to a custom integration, reproduced offline.

hassfest (script/hassfest in Home Assistant core) and the HACS action cannot run
here; these tests hold manifest.json, services.yaml, translations/en.json and
icons.json to the same rules: manifest keys and order, every action described
and translated field by field with valid selectors, an icon per action, and
every exception translation key that the code raises present.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

from homeassistant.helpers import selector
import pytest
import yaml

INTEGRATION = (
    Path(__file__).resolve().parent.parent / "custom_components" / "smart_access"
)
MANIFEST = json.loads((INTEGRATION / "manifest.json").read_text(encoding="utf-8"))
SERVICES: dict[str, Any] = yaml.safe_load(
    (INTEGRATION / "services.yaml").read_text(encoding="utf-8")
)
STRINGS = json.loads(
    (INTEGRATION / "translations" / "en.json").read_text(encoding="utf-8")
)
ICONS = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))
ACTIONS = sorted(name for name in SERVICES if not name.startswith("."))


def test_manifest_keys() -> None:
    """domain and name first, the rest sorted; a custom integration has a version."""
    keys = list(MANIFEST)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    for key in ("codeowners", "documentation", "integration_type", "iot_class",
                "issue_tracker", "requirements", "version"):  # fmt: skip
        assert key in MANIFEST, key
    assert MANIFEST["iot_class"] in {"cloud_polling", "cloud_push"}
    assert MANIFEST["integration_type"] == "hub"
    assert all(dep for dep in MANIFEST["dependencies"])


@pytest.mark.parametrize("action", ACTIONS)
def test_action_described_and_translated(action: str) -> None:
    """Each action has a translated name and description, and so has each field."""
    translated = STRINGS["services"][action]
    assert translated["name"]
    assert translated["description"]
    fields = (SERVICES[action] or {}).get("fields", {})
    flat: dict[str, Any] = {}
    for key, field in fields.items():
        if "fields" in field:  # a collapsible section of fields
            assert translated["sections"][key]["name"]
            flat.update(field["fields"])
        else:
            flat[key] = field
    for key, field in flat.items():
        assert translated["fields"][key]["name"], f"{action}.{key}"
        assert translated["fields"][key]["description"], f"{action}.{key}"
        selector.validate_selector(field["selector"])
    assert set(translated.get("fields", {})) == set(flat)


@pytest.mark.parametrize("action", ACTIONS)
def test_action_has_icon(action: str) -> None:
    """icons.json names an icon for every action (hassfest's icons check)."""
    assert re.fullmatch(r"mdi:[a-z0-9-]+", ICONS["services"][action]["service"])


def test_no_icon_or_translation_for_unknown_actions() -> None:
    """No leftovers for actions that no longer exist."""
    assert set(ICONS["services"]) == set(ACTIONS)
    assert set(STRINGS["services"]) == set(ACTIONS)


def test_raised_translation_keys_exist() -> None:
    """Every translation_key the code uses is in the exceptions, issues or entity section."""
    used: set[str] = set()
    for path in INTEGRATION.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used.update(re.findall(r'translation_key="([a-z0-9_]+)"', text))
    known = set(STRINGS["exceptions"]) | set(STRINGS["issues"])
    # Entity translation keys (a name=None entity may have an icon only).
    entity_keys = {
        key
        for section in (STRINGS["entity"], ICONS["entity"])
        for platform in section.values()
        for key in platform
    }
    missing = used - known - entity_keys
    assert not missing, f"no translation for {sorted(missing)}"
