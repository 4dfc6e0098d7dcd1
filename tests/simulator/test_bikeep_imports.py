"""The Bikeep simulator's modules form a layered, acyclic import graph.

Every import counts, also those under ``if TYPE_CHECKING:`` and those inside
functions. State modules (records, tokens, machine, triggers, webhooks) know nothing
of HTTP serving: no route module, no ``aiohttp.web``, not the app-building
``SimulatorBase``. Routes depend on state, and the app factory (``app``) is the only
module that registers them; ``simulator`` wires state and app together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import simulator.bikeep

PACKAGE = "simulator.bikeep"
PACKAGE_DIR = Path(simulator.bikeep.__file__).parent

# Modules holding the simulated cloud's state and what operates on it.
STATE_MODULES = {
    "auth",
    "cloud",
    "const",
    "errors",
    "heartbeat",
    "loader",
    "machine",
    "model",
    "scenario",
    "timeutil",
    "triggers",
    "views",
    "webhooks",
    "whitelists",
}
# The HTTP side: only it and the top-level wiring may import these.
HTTP_MODULES = {"app", "responses", "routes", "simulator"}
# What serving HTTP means outside the package.
HTTP_NAMES = ("aiohttp.web", "simulator.common.SimulatorBase", "simulator.server")


def _modules() -> dict[str, ast.Module]:
    return {
        path.stem: ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(PACKAGE_DIR.glob("*.py"))
    }


def _imports(tree: ast.Module, names: set[str]) -> tuple[set[str], set[str]]:
    """Return (package modules, other dotted names) imported anywhere in ``tree``."""
    local: set[str] = set()
    other: set[str] = set()

    def add(dotted: str) -> None:
        if dotted == PACKAGE:
            local.add("__init__")
        elif dotted.startswith(f"{PACKAGE}."):
            local.add(dotted.removeprefix(f"{PACKAGE}.").split(".")[0])
        else:
            other.add(dotted)

    for node in ast.walk(tree):  # every level: TYPE_CHECKING blocks, functions
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = PACKAGE.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
            else:
                base = ""
            module = ".".join(part for part in (base, node.module or "") if part)
            if module == PACKAGE:
                for alias in node.names:  # from . import x: a submodule or a name
                    add(f"{PACKAGE}.{alias.name}" if alias.name in names else module)
            else:
                add(module)
                for alias in node.names:  # from aiohttp import web
                    other.add(f"{module}.{alias.name}")
    return local, other


def _graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    modules = _modules()
    names = set(modules)
    graph: dict[str, set[str]] = {}
    external: dict[str, set[str]] = {}
    for name, tree in modules.items():
        graph[name], external[name] = _imports(tree, names)
        graph[name].discard(name)
    return graph, external


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if cycle := visit(target):
                return cycle
        path.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        if cycle := visit(start):
            return cycle
    return None


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_parser_sees_every_kind_of_import() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "from . import cloud, const as c\n"
        "from .model import Device\n"
        "import simulator.bikeep.views\n"
        "if TYPE_CHECKING:\n"
        "    from .simulator import BikeepSimulator\n"
        "def f():\n"
        "    from .routes import BikeepRoutes\n"
        "    from aiohttp import web\n"
    )
    local, other = _imports(tree, {"cloud", "const", "model", "routes", "simulator"})
    assert local == {"cloud", "const", "model", "views", "simulator", "routes"}
    assert "aiohttp.web" in other


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_import_graph_has_no_cycle() -> None:
    graph, _ = _graph()
    assert {"cloud", "app", "routes", "simulator", "triggers"} <= set(graph)
    cycle = _find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_state_modules_know_nothing_of_http() -> None:
    graph, external = _graph()
    assert set(graph) == STATE_MODULES | HTTP_MODULES | {"__init__"}, (
        "classify every module of simulator/bikeep as state or HTTP"
    )
    for name in sorted(STATE_MODULES):
        reached = _reachable(graph, name)
        http = sorted(reached & HTTP_MODULES)
        assert not http, f"{name} imports HTTP modules {http}"
        web = sorted(
            f"{module}: {dotted}"
            for module in reached
            for dotted in external[module]
            if dotted.startswith(HTTP_NAMES)
        )
        assert not web, f"{name} reaches HTTP serving through {web}"


def test_routes_are_registered_by_the_app_factory_only() -> None:
    graph, _ = _graph()
    importers = {name for name, targets in graph.items() if "routes" in targets}
    assert importers == {"app"}
    assert {name for name, targets in graph.items() if "app" in targets} == {
        "simulator"
    }
    assert {name for name, targets in graph.items() if "simulator" in targets} == {
        "__init__"
    }
