"""The RemoteLock simulator's modules form a layered, acyclic import graph.

Every import counts, also those under ``if TYPE_CHECKING:`` and those inside
functions: state modules (records, events, tokens, webhooks, triggers) know nothing
of HTTP, route modules depend on state, and one module at the top wires both.
"""

from __future__ import annotations

import ast
from pathlib import Path

import simulator.remotelock

PACKAGE = "simulator.remotelock"
PACKAGE_DIR = Path(simulator.remotelock.__file__).parent

# Modules holding simulator state and what operates on it: no HTTP in here.
STATE_MODULES = {
    "common_types",
    "const",
    "events",
    "fleet",
    "oauth",
    "ratelimit",
    "scenario",
    "state",
    "store",
    "templates",
    "triggers",
    "webhooks",
}
# Modules that only the HTTP side and the top-level wiring may import.
HTTP_MODULES = {"api", "app", "responses", "simulator"}
WEB_IMPORTS = {"aiohttp.web", "aiohttp.web_app", "aiohttp.web_request"}


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

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level > 1:
                base = ".".join(PACKAGE.split(".")[: -(node.level - 1)])
            else:
                base = PACKAGE if node.level == 1 else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            if node.module is None or module == PACKAGE:
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
            cycle = visit(target)
            if cycle:
                return cycle
        path.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start)
        if cycle:
            return cycle
    return None


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_import_graph_has_no_cycle() -> None:
    graph, _ = _graph()
    assert {"state", "app", "api"} <= set(graph)
    assert _find_cycle(graph) is None, " -> ".join(_find_cycle(graph) or [])


def test_state_modules_know_nothing_of_http() -> None:
    graph, external = _graph()
    missing = STATE_MODULES - set(graph)
    assert not missing, f"state modules not found: {sorted(missing)}"
    for name in sorted(STATE_MODULES):
        reached = _reachable(graph, name) | {name}
        http = sorted(
            module
            for module in reached
            if module.startswith("routes") or module in HTTP_MODULES
        )
        assert not http, f"{name} imports HTTP modules {http}"
        web = sorted(
            f"{module}: {dotted}"
            for module in reached
            for dotted in external[module]
            if dotted in WEB_IMPORTS
        )
        assert not web, f"{name} reaches aiohttp.web through {web}"


def test_route_modules_register_on_the_app_factory_only() -> None:
    graph, _ = _graph()
    routes = {name for name in graph if name.startswith("routes_")}
    assert routes
    importers = {name for name, targets in graph.items() if targets & routes} - routes
    assert importers == {"app"}
