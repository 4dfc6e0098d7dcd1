"""Collection queries: id/type/attribute filters, sorting and pagination."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
import math
import re
from typing import Any

from multidict import MultiMapping

from .const import (
    PAGE_DEFAULT,
    PAGINATION_CAP,
    PER_PAGE_DEFAULT,
    PER_PAGE_MAX,
    TYPE_ALIASES,
)
from .errors import GeneralError
from .store import Record

_ATTR_KEY = re.compile(r"^attributes\[([a-z_]+)\](\[\])?$")


def values(query: MultiMapping[str], name: str) -> list[str]:
    """Return every value of ``name`` and ``name[]`` in the query string."""
    return [*query.getall(name, []), *query.getall(f"{name}[]", [])]


def type_filter(query: MultiMapping[str]) -> set[str]:
    """Return the requested types (``type`` / ``type[]``), aliases resolved."""
    return {TYPE_ALIASES.get(value, value) for value in values(query, "type")}


def attribute_filters(
    query: MultiMapping[str], skip: Iterable[str] = ()
) -> dict[str, set[str]]:
    """Return ``attributes[name]`` / ``attributes[name][]`` filters."""
    skipped = set(skip)
    filters: dict[str, set[str]] = {}
    for key, value in query.items():
        match = _ATTR_KEY.match(key)
        if match and match.group(1) not in skipped:
            filters.setdefault(match.group(1), set()).add(
                TYPE_ALIASES.get(value, value)
            )
    return filters


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def apply_filters(
    records: Iterable[Record],
    query: MultiMapping[str],
    *,
    typed: bool = False,
    skip_attributes: Iterable[str] = (),
) -> list[Record]:
    """Apply ``id[]``, ``type`` (when ``typed``) and ``attributes[...]`` filters."""
    ids = set(values(query, "id"))
    types = type_filter(query) if typed else set()
    attrs = attribute_filters(query, skip_attributes)
    result = []
    for record in records:
        if ids and record["id"] not in ids:
            continue
        if types and record["type"] not in types:
            continue
        if any(
            _as_text(record["attributes"].get(name)) not in wanted
            for name, wanted in attrs.items()
        ):
            continue
        result.append(record)
    return result


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, str):
        return (1, value.lower())
    return (1, value)


def apply_sort(
    records: list[Record],
    query: MultiMapping[str],
    allowed: Sequence[str],
    default: Sequence[str],
    value_of: Callable[[Record, str], Any] | None = None,
) -> list[Record]:
    """Sort by ``sort`` / ``sort[]`` (``-`` prefix: descending) or ``default``.

    An attribute that the endpoint does not document as sortable is refused with a
    general error (400, type ``invalid_sort``).
    """
    keys = values(query, "sort") or list(default)
    getter = value_of or (lambda record, name: record["attributes"].get(name))
    for key in keys:
        name = key.removeprefix("-")
        if name not in allowed:
            raise GeneralError(
                400,
                f"Invalid sort attribute {name!r}; sortable: {', '.join(allowed) or 'none'}",
                "invalid_sort",
            )
    result = list(records)
    for key in reversed(keys):  # stable sort: least significant key first
        name = key.removeprefix("-")
        result.sort(
            key=lambda record, name=name: _sort_key(getter(record, name)),  # type: ignore[misc]
            reverse=key.startswith("-"),
        )
    return result


def _int_param(query: MultiMapping[str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as err:
        raise GeneralError(
            400, f"{name} must be an integer", "invalid_pagination"
        ) from err


def paginate(
    records: Sequence[Record], query: MultiMapping[str]
) -> tuple[Sequence[Record], dict[str, int]]:
    """Return one page and its ``meta``.

    ``per_page`` is clamped to 1..50 and ``page`` to 1..total_pages (the documented
    minimum and maximum); a page whose ``page * per_page`` exceeds 10,000 is refused
    with a 400 general error of type ``pagination_limit_exceeded``.
    """
    per_page = min(
        max(_int_param(query, "per_page", PER_PAGE_DEFAULT), 1), PER_PAGE_MAX
    )
    page = max(_int_param(query, "page", PAGE_DEFAULT), 1)
    if page * per_page > PAGINATION_CAP:
        raise GeneralError(
            400,
            "Pagination is limited to 10,000 resources: page * per_page must not exceed 10000",
            "pagination_limit_exceeded",
        )
    total = len(records)
    total_pages = math.ceil(total / per_page)
    page = min(page, max(total_pages, 1))
    start = (page - 1) * per_page
    meta = {
        "page": page,
        "per_page": per_page,
        "total_pages": total_pages,
        "total_count": total,
    }
    return records[start : start + per_page], meta
