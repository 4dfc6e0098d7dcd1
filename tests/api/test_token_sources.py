"""The renewal rules shared by both clients, without a service in between.

The caller-backed token source (Home Assistant's OAuth session behind it), the
memory of resources a new token did not cure, and :func:`send_authorized` on top.
The ``Account`` below plays the caller: it holds one current token and renews it
only when asked to renew the token that is still current, as the integration's
OAuth renewer does with the config entry.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from multidict import CIMultiDict, CIMultiDictProxy
import pytest

from custom_components.smart_access.api.auth import (
    REFUSAL_MEMORY,
    CallbackTokenSource,
    RefusedResources,
    send_authorized,
)
from custom_components.smart_access.api.errors import (
    AuthenticationError,
    ForbiddenError,
)
from custom_components.smart_access.api.http import HttpResult


class Account:
    """A caller that owns one current token and renews it on request."""

    def __init__(self) -> None:
        self.number = 1
        self.renewals = 0
        self.fail_with: Exception | None = None
        self.gate: asyncio.Event | None = None

    @property
    def token(self) -> str:
        return f"T{self.number}"

    async def get_token(self) -> str:
        return self.token

    async def force_renew(self, refused: str) -> str:
        if refused == self.token:
            if self.gate is not None:
                await self.gate.wait()
            if self.fail_with is not None:
                raise self.fail_with
            self.renewals += 1
            self.number += 1
        return self.token


def _result(status: int) -> HttpResult:
    return HttpResult(status, CIMultiDictProxy(CIMultiDict()), None)


class Service:
    """Answers by token: refused ones get ``refuse_with``; some keys always 403."""

    def __init__(self, account: Account) -> None:
        self.account = account
        self.refused_tokens: set[str] = set()
        self.refuse_with = 403
        self.sent: list[str] = []

    def sender(self, forbidden: bool = False) -> Callable[[str], Awaitable[HttpResult]]:
        async def send(token: str) -> HttpResult:
            self.sent.append(token)
            if token in self.refused_tokens:
                return _result(self.refuse_with)
            return _result(403 if forbidden else 200)

        return send


@pytest.fixture
def account() -> Account:
    return Account()


@pytest.fixture
def source(account: Account) -> CallbackTokenSource:
    return CallbackTokenSource(account.get_token, account.force_renew)


async def test_a_refused_token_is_renewed_once_and_the_request_retried(
    account: Account, source: CallbackTokenSource
) -> None:
    service = Service(account)
    service.refused_tokens.add("T1")
    result = await send_authorized(source, service.sender())
    assert result.status == 200
    assert service.sent == ["T1", "T2"]
    assert account.renewals == 1


async def test_concurrent_refusals_of_one_token_share_one_renewal(
    account: Account, source: CallbackTokenSource
) -> None:
    service = Service(account)
    service.refused_tokens.add("T1")
    account.gate = asyncio.Event()
    calls = [
        asyncio.create_task(send_authorized(source, service.sender())) for _ in range(5)
    ]
    await asyncio.sleep(0)
    account.gate.set()
    results = await asyncio.gather(*calls)
    assert [result.status for result in results] == [200] * 5
    assert account.renewals == 1
    assert service.sent.count("T2") == 5


async def test_a_late_refusal_of_a_replaced_token_renews_nothing(
    account: Account, source: CallbackTokenSource
) -> None:
    """An answer to a request sent with T1 arrives after T2 replaced it."""
    service = Service(account)
    account.number = 2
    assert (await send_authorized(source, service.sender())).status == 200
    assert await source.async_invalidate("T1") is True
    assert account.renewals == 0
    assert await source.async_get_access_token() == "T2"
    # T2 was accepted before: it is not "just obtained", so its own refusal later
    # renews as usual instead of being taken for a missing permission.
    assert not source.is_fresh("T2")
    service.refused_tokens.add("T2")
    service.refuse_with = 401
    assert (await send_authorized(source, service.sender())).status == 200
    assert account.renewals == 1


async def test_a_refused_renewal_raises_and_a_later_one_can_succeed(
    account: Account, source: CallbackTokenSource
) -> None:
    service = Service(account)
    service.refused_tokens.add("T1")
    account.fail_with = AuthenticationError("refresh token revoked")
    with pytest.raises(AuthenticationError):
        await send_authorized(source, service.sender())
    assert account.renewals == 0
    account.fail_with = None
    assert (await send_authorized(source, service.sender())).status == 200
    assert account.renewals == 1


async def test_a_401_for_the_renewed_token_is_a_missing_permission(
    account: Account, source: CallbackTokenSource
) -> None:
    service = Service(account)
    service.refused_tokens.update({"T1", "T2"})
    service.refuse_with = 401
    with pytest.raises(ForbiddenError):
        await send_authorized(source, service.sender())
    assert account.renewals == 1


async def test_without_a_renewer_a_refusal_is_returned_as_is(
    account: Account,
) -> None:
    source = CallbackTokenSource(account.get_token)
    service = Service(account)
    service.refused_tokens.add("T1")
    assert (await send_authorized(source, service.sender())).status == 403
    assert service.sent == ["T1"]


async def test_a_403_a_new_token_did_not_cure_renews_nothing_for_a_while(
    account: Account, source: CallbackTokenSource
) -> None:
    now = [0.0]
    refused = RefusedResources(cooldown=900, clock=lambda: now[0])
    service = Service(account)

    async def call(key: str, forbidden: bool) -> int:
        result = await send_authorized(
            source, service.sender(forbidden), refused=refused, key=key
        )
        return result.status

    assert await call("GET /a", forbidden=True) == 403
    assert account.renewals == 1
    for _ in range(3):
        assert await call("GET /b", forbidden=False) == 200  # T2 accepted
        assert await call("GET /a", forbidden=True) == 403
    assert account.renewals == 1
    assert "GET /a" in refused
    assert "GET /b" not in refused
    # A token refused by the other resource still renews.
    service.refused_tokens.add("T2")
    assert await call("GET /b", forbidden=False) == 200
    assert account.renewals == 2
    # After the cooldown the refused resource may renew again (the vendor may have
    # revoked the token since).
    now[0] = 901.0
    assert await call("GET /b", forbidden=False) == 200
    assert await call("GET /a", forbidden=True) == 403
    assert account.renewals == 3
    # Served once, it is forgotten at once.
    assert await call("GET /a", forbidden=False) == 200
    assert "GET /a" not in refused


def test_refused_resources_keep_a_bounded_memory() -> None:
    now = [0.0]
    refused = RefusedResources(cooldown=10, clock=lambda: now[0])
    for number in range(REFUSAL_MEMORY + 5):
        refused.refused(f"GET /x/{number}")
    assert "GET /x/0" not in refused
    assert f"GET /x/{REFUSAL_MEMORY + 4}" in refused
    assert 42 not in refused
    now[0] = 11.0
    refused.refused("GET /y")
    assert f"GET /x/{REFUSAL_MEMORY + 4}" not in refused
    assert "GET /y" in refused
