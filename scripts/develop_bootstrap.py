"""Bring a fresh scripts/develop Home Assistant to a usable state without clicks.

Waits for Home Assistant, creates the demo user through onboarding (first run only),
then adds Smart Access for both vendors against the simulator through Home Assistant's
own config-flow REST API (advanced mode, so the API URLs can point at the simulator).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

import aiohttp

DEMO_USER = "demo"
DEMO_PASSWORD = "demo-password"
CLIENT_ID_URL = "http://127.0.0.1:8123/"

SIM_REMOTELOCK = {
    "client_id": "sim-remotelock-client",
    "client_secret": "sim-remotelock-secret",
}
SIM_BIKEEP = {"client_id": "sim-bikeep-client", "client_secret": "sim-bikeep-secret"}


async def wait_for_http(
    session: aiohttp.ClientSession, url: str, wait_seconds: float
) -> None:
    """Wait until ``url`` answers with any HTTP status."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=3)):
                return
        except aiohttp.ClientError, TimeoutError:
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"{url} did not come up within {wait_seconds:.0f} s"
                ) from None
            await asyncio.sleep(0.5)


async def access_token(session: aiohttp.ClientSession, ha: str) -> str:
    """Onboard the demo user on the first run, else log in; return an access token."""
    async with session.get(f"{ha}/api/onboarding") as resp:
        needs_user = resp.status == 200 and any(
            step["step"] == "user" and not step["done"] for step in await resp.json()
        )
    if needs_user:
        async with session.post(
            f"{ha}/api/onboarding/users",
            json={
                "client_id": CLIENT_ID_URL,
                "name": "Demo",
                "username": DEMO_USER,
                "password": DEMO_PASSWORD,
                "language": "en",
            },
        ) as resp:
            resp.raise_for_status()
            code = (await resp.json())["auth_code"]
    else:
        code = await login_flow(session, ha)
    async with session.post(
        f"{ha}/auth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": CLIENT_ID_URL,
        },
    ) as resp:
        resp.raise_for_status()
        return str((await resp.json())["access_token"])


async def login_flow(session: aiohttp.ClientSession, ha: str) -> str:
    """Log the demo user in through Home Assistant's login flow; return the auth code."""
    async with session.post(
        f"{ha}/auth/login_flow",
        json={
            "client_id": CLIENT_ID_URL,
            "handler": ["homeassistant", None],
            "redirect_uri": CLIENT_ID_URL,
        },
    ) as resp:
        flow = await resp.json()
    async with session.post(
        f"{ha}/auth/login_flow/{flow['flow_id']}",
        json={
            "client_id": CLIENT_ID_URL,
            "username": DEMO_USER,
            "password": DEMO_PASSWORD,
        },
    ) as resp:
        result = await resp.json()
    if result.get("type") != "create_entry":
        raise SystemExit(
            "could not log in as the demo user; delete config/.storage to start afresh"
        )
    return str(result["result"])


async def promote_http_config(
    session: aiohttp.ClientSession, ha: str, token: str
) -> str:
    """Keep the http: settings of configuration.yaml.

    Home Assistant 2026.10 and later stage changed http: settings as a trial that
    reverts after 5 minutes unless promoted; older releases have no such command.
    """
    async with session.ws_connect(f"{ha}/api/websocket") as ws:
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": token})
        if (await ws.receive_json()).get("type") != "auth_ok":
            return "http settings: not promoted (websocket authentication failed)"
        await ws.send_json({"id": 1, "type": "http/config/promote"})
        answer = await ws.receive_json()
    if answer.get("success"):
        return "http settings: kept"
    return (
        f"http settings: {answer.get('error', {}).get('message', 'nothing to promote')}"
    )


async def configured_titles(
    session: aiohttp.ClientSession, ha: str, headers: dict[str, str]
) -> list[str]:
    """Return the titles of existing Smart Access entries."""
    async with session.get(
        f"{ha}/api/config/config_entries/entry?domain=smart_access", headers=headers
    ) as resp:
        if resp.status != 200:
            return []
        return [entry["title"] for entry in await resp.json()]


async def add_entry(
    session: aiohttp.ClientSession,
    ha: str,
    headers: dict[str, str],
    menu_option: str,
    user_input: dict[str, Any],
) -> str:
    """Run the config flow through the menu option with ``user_input``; return a summary."""
    base = f"{ha}/api/config/config_entries/flow"
    async with session.post(
        base,
        json={"handler": "smart_access"},
        headers=headers,
    ) as resp:
        step = await resp.json()
    if resp.status != 200 or step.get("type") != "menu":
        return f"config flow not available ({resp.status}: {json.dumps(step)[:200]})"
    async with session.post(
        f"{base}/{step['flow_id']}", json={"next_step_id": menu_option}, headers=headers
    ) as resp:
        step = await resp.json()
    async with session.post(
        f"{base}/{step['flow_id']}", json=user_input, headers=headers
    ) as resp:
        step = await resp.json()
    if step.get("type") == "create_entry":
        return f"added '{step['title']}'"
    return f"not added: {step.get('reason') or step.get('errors')}"


async def flow(
    session: aiohttp.ClientSession,
    url: str,
    headers: dict[str, str],
    start: dict[str, Any],
    *steps: dict[str, Any],
) -> dict[str, Any]:
    """Start a (sub)entry flow at ``url`` and feed it ``steps``; return the last step."""
    async with session.post(url, json=start, headers=headers) as resp:
        step: dict[str, Any] = await resp.json()
    for user_input in steps:
        if "flow_id" not in step:
            break
        async with session.post(
            f"{url}/{step['flow_id']}", json=user_input, headers=headers
        ) as resp:
            step = await resp.json()
    return step


async def add_guest_access_demo(
    session: aiohttp.ClientSession, ha: str, headers: dict[str, str]
) -> str:
    """Add a Local Calendar "Rentals" with a booking and link it to the first lock."""
    api = f"{ha}/api/config/config_entries"
    async with session.get(f"{api}/entry?domain=smart_access", headers=headers) as resp:
        entries = await resp.json()
    account = next(
        (e for e in entries if "guest_access" in e.get("supported_subentry_types", {})),
        None,
    )
    if account is None:
        return "no RemoteLock entry to link"
    if account.get("num_subentries"):
        return "already linked"
    step = await flow(
        session,
        f"{api}/flow",
        headers,
        {"handler": "local_calendar"},
        {"calendar_name": "Rentals"},
    )
    if (
        step.get("type") != "create_entry"
        and step.get("reason") != "already_configured"
    ):
        return f"Local Calendar not added: {step.get('reason') or step.get('errors')}"
    now = time.time()
    day = 24 * 3600
    start = time.strftime("%Y-%m-%dT15:00:00", time.localtime(now + day))
    end = time.strftime("%Y-%m-%dT11:00:00", time.localtime(now + 3 * day))
    async with session.post(
        f"{ha}/api/services/calendar/create_event",
        json={
            "entity_id": "calendar.rentals",
            "summary": "Demo Guest",
            "start_date_time": start,
            "end_date_time": end,
            "description": "Booked by phone: +1 303 555 0142",
        },
        headers=headers,
    ) as resp:
        if resp.status != 200:
            return f"demo booking not created ({resp.status})"
    url = f"{api}/subentries/flow"
    async with session.post(
        url, json={"handler": [account["entry_id"], "guest_access"]}, headers=headers
    ) as resp:
        step = await resp.json()
    if step.get("type") != "form":
        return f"guest access flow not available: {json.dumps(step)[:200]}"
    targets = next(field for field in step["data_schema"] if field["name"] == "targets")
    options = targets["selector"]["select"]["options"]
    lock = next(o["value"] for o in options if o["value"].startswith("lock:"))
    async with session.post(
        f"{url}/{step['flow_id']}",
        json={
            "calendar": "calendar.rentals",
            "targets": [lock],
            "times": {"check_in_buffer": 0, "check_out_buffer": 0, "look_ahead": 14},
            "guests": {
                "name_template": "{{ summary }}",
                "pin_source": "event",
                "pin_digits": 4,
                "send_instructions": False,
            },
            "host": {"hands_off": False},
        },
        headers=headers,
    ) as resp:
        step = await resp.json()
    if step.get("type") == "create_entry":
        return f"calendar.rentals linked to {lock.split(':')[0]} (a demo booking)"
    return f"not linked: {step.get('reason') or step.get('errors')}"


async def main() -> int:
    """Wait, onboard, configure; print where to look."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--ha", required=True)
    parser.add_argument("--remotelock", required=True)
    parser.add_argument("--bikeep", required=True)
    args = parser.parse_args()
    async with aiohttp.ClientSession() as session:
        await wait_for_http(session, f"{args.remotelock}/_sim/state", 60)
        await wait_for_http(session, f"{args.bikeep}/_sim/state", 60)
        await wait_for_http(session, f"{args.ha}/api/onboarding", 180)
        token = await access_token(session, args.ha)
        headers = {"Authorization": f"Bearer {token}"}
        print(await promote_http_config(session, args.ha, token))
        titles = await configured_titles(session, args.ha, headers)
        if titles:
            print(f"Smart Access already configured: {', '.join(titles)}")
        else:
            for option, creds, url in (
                ("remotelock_client_credentials", SIM_REMOTELOCK, args.remotelock),
                ("bikeep", SIM_BIKEEP, args.bikeep),
            ):
                summary = await add_entry(
                    session,
                    args.ha,
                    headers,
                    option,
                    {**creds, "connection": {"api_url": url, "auth_url": url}},
                )
                print(f"Smart Access ({option}): {summary}")
        print(f"Guest access: {await add_guest_access_demo(session, args.ha, headers)}")
    print()
    print(f"Home Assistant:  {args.ha}   login: {DEMO_USER} / {DEMO_PASSWORD}")
    print(f"Simulators:      {args.remotelock}/_sim/state   {args.bikeep}/_sim/state")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
