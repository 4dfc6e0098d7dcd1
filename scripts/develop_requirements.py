"""Print the packages a real Home Assistant needs for scripts/develop, one a line.

scripts/develop starts Home Assistant with --skip-pip (no package installs at start-up),
so the packages of every integration it sets up must be installed first: the
integrations Home Assistant always sets up (bootstrap.DEFAULT_INTEGRATIONS), those that
the frontend needs (recorder, history, logbook), those named in the configuration, and
Smart Access, each with the integrations it depends on, read from the installed
manifests. Packages already installed at the wanted version are left out.
"""

from __future__ import annotations

from importlib import metadata
import json
from pathlib import Path
import re
import sys
from typing import Any

from homeassistant import bootstrap
import homeassistant.components

ROOT = Path(__file__).resolve().parent.parent
COMPONENTS = Path(homeassistant.components.__path__[0])
# local_calendar: the guest-access demo (scripts/develop_bootstrap.py) adds one.
EXTRA = {"recorder", "history", "logbook", "frontend", "local_calendar"}


def _manifest(domain: str) -> dict[str, Any] | None:
    path = COMPONENTS / domain / "manifest.json"
    if domain == "smart_access":
        path = ROOT / "custom_components" / "smart_access" / "manifest.json"
    if not path.exists():
        return None
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


def _configured_domains() -> set[str]:
    text = (ROOT / "config" / "configuration.yaml").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z_]+):", text, re.MULTILINE))


def _closure(domains: set[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(domains)
    while todo:
        domain = todo.pop()
        if domain in seen:
            continue
        manifest = _manifest(domain)
        if manifest is None:
            continue
        seen.add(domain)
        for key in ("dependencies",):
            todo.extend(str(dep) for dep in manifest.get(key, []) or [])
    return seen


def _missing(requirement: str) -> bool:
    name, _, version = requirement.partition("==")
    name = re.split(r"[\[<>=~!; ]", name, maxsplit=1)[0]
    try:
        installed = metadata.version(name)
    except metadata.PackageNotFoundError:
        return True
    return bool(version) and installed != version.split(";")[0].strip()


def main() -> int:
    """Print the missing requirements."""
    domains = (
        set(bootstrap.DEFAULT_INTEGRATIONS)
        | EXTRA
        | _configured_domains()
        | {"smart_access"}
    )
    requirements: set[str] = set()
    for domain in sorted(_closure(domains)):
        manifest = _manifest(domain) or {}
        requirements.update(str(r) for r in manifest.get("requirements", []) or [])
    for requirement in sorted(r for r in requirements if _missing(r)):
        print(requirement)
    return 0


if __name__ == "__main__":
    sys.exit(main())
