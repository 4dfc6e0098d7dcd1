"""Start a simulator on a TCP port (used by tests, benchmarks and scripts/develop)."""

from __future__ import annotations

from dataclasses import dataclass
import json
from pathlib import Path
from typing import Any

from aiohttp import web

from .common import SimulatorBase


def load_scenario_file(path: Path | str) -> dict[str, Any]:
    """Read a scenario file: ``{"remotelock": {...}, "bikeep": {...}}``."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TypeError(f"{path}: a scenario file holds a JSON object")
    return data


@dataclass
class RunningSimulator:
    """A simulator listening on ``url`` (``http://127.0.0.1:<port>``)."""

    sim: SimulatorBase
    runner: web.AppRunner
    url: str

    async def stop(self) -> None:
        """Stop listening and release everything."""
        await self.runner.cleanup()


async def serve_app(
    app: web.Application, host: str = "127.0.0.1", port: int = 0, **runner: Any
) -> tuple[web.AppRunner, str]:
    """Serve ``app`` on ``host:port`` (port 0 picks a free one).

    Return the runner (``cleanup()`` stops it) and the base URL. ``runner`` holds
    extra :class:`aiohttp.web.AppRunner` arguments.
    """
    app_runner = web.AppRunner(app, **runner)
    await app_runner.setup()
    site = web.TCPSite(app_runner, host, port)
    await site.start()
    server = site._server  # noqa: SLF001 - aiohttp exposes the bound port only here
    assert server is not None
    bound = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    return app_runner, f"http://{host}:{bound}"


async def start_simulator(
    sim: SimulatorBase, host: str = "127.0.0.1", port: int = 0
) -> RunningSimulator:
    """Serve ``sim`` on ``host:port`` (port 0 picks a free one)."""
    runner, url = await serve_app(
        sim.build_app(), host, port, access_log=None, shutdown_timeout=1.0
    )
    return RunningSimulator(sim=sim, runner=runner, url=url)
