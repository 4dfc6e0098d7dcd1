"""Base model, page and list containers shared by every RemoteLock resource."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, overload

from ...errors import MalformedResponseError
from .fields import Resource


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoteLockResource:
    """Fields every resource carries.

    ``raw`` is the resource's ``attributes`` object as received, for diagnostics; it
    may hold secrets (PINs, e-mails, programming codes), so it is left out of ``repr``
    and must be redacted before it is shown anywhere.
    """

    id: str
    type: str
    created_at: datetime | None = None
    updated_at: datetime | None = None
    restricted_actions: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )


def base_fields(res: Resource) -> dict[str, Any]:
    """Return the keyword arguments of :class:`RemoteLockResource` for ``res``."""
    return {
        "id": res.id,
        "type": res.type,
        "created_at": res.attrs.opt_datetime("created_at"),
        "updated_at": res.attrs.opt_datetime("updated_at"),
        "restricted_actions": res.restricted_actions,
        "raw": MappingProxyType(dict(res.attrs.data)),
    }


@dataclass(frozen=True, slots=True)
class PageMeta:
    """The ``meta`` object of a collection answer."""

    page: int
    per_page: int
    total_pages: int
    total_count: int

    @classmethod
    def from_json(cls, value: Any) -> PageMeta:
        """Validate a ``meta`` object."""
        if not isinstance(value, dict):
            raise MalformedResponseError("collection has no meta object")
        numbers: list[int] = []
        for name in ("page", "per_page", "total_pages", "total_count"):
            item = value.get(name)
            if not isinstance(item, int) or isinstance(item, bool) or item < 0:
                raise MalformedResponseError(f"meta.{name} is not a count")
            numbers.append(item)
        return cls(*numbers)


@dataclass(frozen=True, slots=True)
class Page[T]:
    """One page of a collection: its items and the pagination ``meta``."""

    items: tuple[T, ...]
    meta: PageMeta

    @property
    def has_next(self) -> bool:
        """Return whether a further page exists."""
        return self.meta.page < self.meta.total_pages


@dataclass(frozen=True, slots=True)
class ResourceList[T](Sequence[T]):
    """Every item of a collection, read page by page.

    ``truncated`` is true when the collection holds more than the API lets a client
    page through (``page * per_page`` may not exceed 10,000): the items then stop at
    the 10,000th and ``total_count`` tells how many exist. A warning is logged too.
    """

    items: tuple[T, ...]
    total_count: int
    truncated: bool = False

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        """Return one item or a slice of the items."""
        return self.items[index]

    def __len__(self) -> int:
        """Return how many items were read."""
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        """Iterate over the items."""
        return iter(self.items)
