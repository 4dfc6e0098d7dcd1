"""hacs.json and manifest.json as Home Assistant's Marketplace (HACS) reads them.

The rules are those of the Marketplace in Home Assistant 2026.11
(homeassistant/components/marketplace/utils/validate.py: REPOSITORY_MANIFEST_VALUES
and INTEGRATION_MANIFEST_VALUES; repositories/integration.py: the installed manifest
must name the domain and a version the loader accepts). The Marketplace ignores a
key of hacs.json it does not know or whose value has the wrong type, so each would
silently lose its meaning: both are failures here.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant.const import __version__ as ha_version
import pytest

ROOT = Path(__file__).resolve().parent.parent
HACS = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
INTEGRATION = ROOT / "custom_components" / "smart_access"
MANIFEST = json.loads((INTEGRATION / "manifest.json").read_text(encoding="utf-8"))


def _valid_version(value: Any) -> bool:
    return isinstance(value, str) and AwesomeVersion(value).valid


HACS_VALUES: dict[str, Any] = {
    "content_in_root": lambda v: isinstance(v, bool),
    "filename": lambda v: isinstance(v, str),
    "hacs": lambda v: isinstance(v, str),
    "hide_default_branch": lambda v: isinstance(v, bool),
    "homeassistant": _valid_version,
    "name": lambda v: isinstance(v, str),
    "persistent_directory": lambda v: isinstance(v, str),
    "zip_release": lambda v: isinstance(v, bool),
}
LOADABLE = [
    AwesomeVersionStrategy.CALVER,
    AwesomeVersionStrategy.SEMVER,
    AwesomeVersionStrategy.SIMPLEVER,
    AwesomeVersionStrategy.BUILDVER,
    AwesomeVersionStrategy.PEP440,
]


def _pin(path: str) -> str:
    text = (ROOT / path).read_text(encoding="utf-8")
    found = re.search(r"^homeassistant==(\S+)$", text, re.MULTILINE)
    assert found, f"{path} pins no homeassistant"
    return found.group(1)


@pytest.mark.parametrize("key", sorted(HACS))
def test_hacs_json_keys_are_read(key: str) -> None:
    """Every key of hacs.json is one the Marketplace reads, with a valid value."""
    assert key in HACS_VALUES, f"the Marketplace ignores {key!r}"
    assert HACS_VALUES[key](HACS[key]), f"the Marketplace ignores {key}={HACS[key]!r}"


def test_hacs_json_names_the_tested_minimum() -> None:
    """hacs.json's minimum Home Assistant is the one the minimum test run installs."""
    assert HACS["homeassistant"] == _pin("requirements-min.txt")
    assert AwesomeVersion(_pin("requirements.txt")) >= AwesomeVersion(
        HACS["homeassistant"]
    )
    assert AwesomeVersion(ha_version) >= AwesomeVersion(HACS["homeassistant"])


def test_integration_manifest_is_loadable() -> None:
    """The manifest names its folder's domain and a version the loader accepts."""
    assert MANIFEST["domain"] == INTEGRATION.name
    assert re.fullmatch(r"[a-z0-9_]+", MANIFEST["domain"])
    version = MANIFEST["version"]
    assert isinstance(version, str)
    AwesomeVersion(version, ensure_strategy=LOADABLE)  # raises if not loadable
    assert isinstance(MANIFEST["name"], str)
    assert isinstance(MANIFEST["config_flow"], bool)
    assert isinstance(MANIFEST["codeowners"], list)
    assert all(isinstance(owner, str) for owner in MANIFEST["codeowners"])


def test_one_integration_in_custom_components() -> None:
    """The Marketplace installs the single folder under custom_components/."""
    folders = [p.name for p in (ROOT / "custom_components").iterdir() if p.is_dir()]
    assert [f for f in folders if f != "__pycache__"] == ["smart_access"]


@pytest.mark.parametrize("prefix", ["", "dark_"])
def test_brand_images(prefix: str) -> None:
    """brand/ holds what Home Assistant 2026.3+ shows: square icons, wide logos."""
    from PIL import Image

    brand = INTEGRATION / "brand"
    for name, size in (("icon", 256), ("icon@2x", 512)):
        with Image.open(brand / f"{prefix}{name}.png") as image:
            assert image.size == (size, size)
    for name, height in (("logo", 128), ("logo@2x", 256)):
        with Image.open(brand / f"{prefix}{name}.png") as image:
            assert image.height == height
            assert image.width > 2 * height  # the name beside the mark
            assert image.mode == "RGBA"
