"""Unchanged devices keep their model instance from read to read (a poll parses
only what changed); orjson decodes where installed, the standard library otherwise.
"""

from __future__ import annotations

import builtins
import importlib
from typing import Any

import pytest

from custom_components.smart_access.api import codec, reuse
from custom_components.smart_access.api.errors import ApiServerError
from custom_components.smart_access.api.remotelock import RemoteLockClient
from custom_components.smart_access.api.remotelock.models import AnyDevice, Lock
from custom_components.smart_access.api.reuse import ModelCache, fingerprint
from simulator.remotelock import RemoteLockSimulator


def _lock_id(sim: RemoteLockSimulator) -> str:
    return next(key for key, value in sim.devices.items() if value["type"] == "lock")


async def test_unchanged_devices_are_the_same_models(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """A second read reuses every model; a changed device alone is parsed again."""
    cache: ModelCache[AnyDevice] = ModelCache()
    first = {
        device.id: device for device in await client.async_list_devices(cache=cache)
    }
    assert len(cache) == len(first) == len(sim.devices)

    second = {
        device.id: device for device in await client.async_list_devices(cache=cache)
    }
    assert all(second[key] is first[key] for key in first)

    lock_id = _lock_id(sim)
    sim.devices[lock_id]["attributes"]["power_level"] = 3
    third = {
        device.id: device for device in await client.async_list_devices(cache=cache)
    }
    changed = {key for key in first if third[key] is not first[key]}
    assert changed == {lock_id}
    lock = third[lock_id]
    assert isinstance(lock, Lock)
    assert lock.power_level == 3


async def test_a_failed_read_keeps_the_previous_models(
    client: RemoteLockClient, sim: RemoteLockSimulator
) -> None:
    """A read that fails half-way changes nothing in the cache."""
    cache: ModelCache[AnyDevice] = ModelCache()
    first = {
        device.id: device for device in await client.async_list_devices(cache=cache)
    }
    sim.devices[_lock_id(sim)]["attributes"]["power_level"] = 3
    sim.faults.add("server_error", path="/devices", method="GET")
    with pytest.raises(ApiServerError):
        await client.async_list_devices(cache=cache)
    assert len(cache) == len(first)
    again = {
        device.id: device for device in await client.async_list_devices(cache=cache)
    }
    assert {key for key in first if again[key] is not first[key]} == {_lock_id(sim)}


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Collect the page bodies a cached read decodes."""
    bodies: list[bytes] = []

    def counting(raw: bytes) -> Any:
        bodies.append(raw)
        return codec.loads(raw)

    monkeypatch.setattr(reuse, "loads", counting)
    return bodies


async def test_unchanged_pages_are_not_decoded(
    client: RemoteLockClient, sim: RemoteLockSimulator, decoded: list[bytes]
) -> None:
    """A page byte for byte as last time is taken as it was; a changed one is read."""
    sim.generate_fleet({"locks": 140, "locations": 2})
    cache: ModelCache[AnyDevice] = ModelCache()
    first = {
        device.id: device for device in await client.async_list_devices(cache=cache)
    }
    pages = len(decoded)
    assert pages == -(-len(sim.devices) // 50) >= 3

    decoded.clear()
    second = {
        device.id: device for device in await client.async_list_devices(cache=cache)
    }
    assert decoded == []
    assert second.keys() == first.keys()
    assert all(second[key] is first[key] for key in first)
    assert len(cache) == len(first)

    # One device on the second page changes: that page alone is decoded again.
    changed_id = list(first)[60]
    sim.devices[changed_id]["attributes"]["name"] = "Renamed"
    third = {
        device.id: device for device in await client.async_list_devices(cache=cache)
    }
    assert len(decoded) == 1
    assert {key for key in first if third[key] is not first[key]} == {changed_id}
    assert third[changed_id].name == "Renamed"

    # The third read's pages are what the fourth compares with.
    decoded.clear()
    fourth = await client.async_list_devices(cache=cache)
    assert decoded == []
    assert fourth[60] is third[changed_id]


async def test_error_answers_are_never_taken_for_a_known_page(
    client: RemoteLockClient, sim: RemoteLockSimulator, decoded: list[bytes]
) -> None:
    """Only a 200 answer is compared with the last read's pages."""
    cache: ModelCache[AnyDevice] = ModelCache()
    await client.async_list_devices(cache=cache)
    decoded.clear()
    sim.faults.add("server_error", path="/devices", method="GET")
    with pytest.raises(ApiServerError):
        await client.async_list_devices(cache=cache)
    assert len(decoded) == 1
    decoded.clear()
    await client.async_list_devices(cache=cache)
    assert decoded == []


def test_resources_without_an_id_are_parsed_every_time() -> None:
    """Nothing to key the model by: parsed, not kept."""
    cache: ModelCache[dict[str, Any]] = ModelCache()
    read = cache.reading(dict)
    value = {"type": "lock"}
    assert read(value) == value
    assert read(value) is not read(value)
    assert read.parsed == 3
    read.commit()
    assert len(cache) == 0


def test_fingerprints_follow_the_data() -> None:
    """Equal data, equal fingerprint; any change, another one."""
    value = {"id": "a", "attributes": {"state": "locked", "power_level": 80}}
    same = {"id": "a", "attributes": {"state": "locked", "power_level": 80}}
    assert fingerprint(value) == fingerprint(same)
    same["attributes"]["power_level"] = 79
    assert fingerprint(value) != fingerprint(same)


def test_the_standard_library_serves_without_orjson(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without orjson installed, the codec falls back to the json module."""
    real_import = builtins.__import__

    def no_orjson(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "orjson":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_orjson)
    fallback = importlib.reload(codec)
    try:
        assert fallback.loads(b'{"a": [1, 2]}') == {"a": [1, 2]}
        assert fallback.dumps({"a": [1, 2]}) == b'{"a":[1,2]}'
        with pytest.raises(fallback.JSONDecodeError):
            fallback.loads(b"not json")
    finally:
        monkeypatch.undo()
        importlib.reload(codec)
    assert codec.loads.__module__ == "orjson"
