"""Run both simulated clouds standalone.

    python -m simulator [--host 127.0.0.1] [--remotelock-port 8181] [--bikeep-port 8182]
                        [--scenario FILE]

A scenario file is a JSON object ``{"remotelock": {...}, "bikeep": {...}}``; a vendor
left out gets its built-in default scenario (every device type of that vendor).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from .bikeep import BikeepSimulator
from .remotelock import RemoteLockSimulator
from .server import load_scenario_file, start_simulator


async def _main(args: argparse.Namespace) -> None:
    scenario = load_scenario_file(args.scenario) if args.scenario else {}
    remotelock = RemoteLockSimulator()
    remotelock.load_scenario(
        scenario.get("remotelock") or remotelock.default_scenario()
    )
    bikeep = BikeepSimulator()
    bikeep.load_scenario(scenario.get("bikeep") or bikeep.default_scenario())
    running = [
        await start_simulator(remotelock, args.host, args.remotelock_port),
        await start_simulator(bikeep, args.host, args.bikeep_port),
    ]
    print(
        f"RemoteLock simulator: {running[0].url}  (control: {running[0].url}/_sim/state)"
    )
    print(
        f"Bikeep simulator:     {running[1].url}  (control: {running[1].url}/_sim/state)"
    )
    print("Ctrl-C stops.", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for server in running:
        await server.stop()


def main() -> None:
    """Parse arguments and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--remotelock-port", type=int, default=8181)
    parser.add_argument("--bikeep-port", type=int, default=8182)
    parser.add_argument("--scenario", default=None)
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
