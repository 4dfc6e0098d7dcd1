"""Bikeep webhook deliveries, read without relying on their (undocumented) format.

The guide names four webhook types (``connection``, ``connection_confirmed``,
``alarm``, ``status``) that Bikeep staff register for an operator's endpoint, but not
their payload. So a delivery is only read for what can be recognised whatever its
shape:

* its **kind**: a recognised type under a key such as ``type``, ``event`` or
  ``event_type`` (case and separators ignored, ``location.alarm`` counts as
  ``alarm``);
* every **string** in it (and each ``/``-separated part of one, for ``uri`` fields),
  for the caller to match against the ids it knows. Names are never trusted.

A body may be JSON (an object, or a list of objects for an aggregated delivery) or a
form (``a=b&c=d``), whatever its content type says; an empty body is a delivery
without details. Anything else is :class:`MalformedWebhookError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
import json
import re
from typing import Any
from urllib.parse import parse_qsl

from ..errors import SmartAccessApiError


class WebhookKind(StrEnum):
    """The webhook types the guide names."""

    CONNECTION = "connection"
    CONNECTION_CONFIRMED = "connection_confirmed"
    ALARM = "alarm"
    STATUS = "status"


ALARM_KINDS = frozenset({WebhookKind.ALARM, WebhookKind.CONNECTION_CONFIRMED})
"""Kinds that need someone's attention: a hardware alarm, or a confirmed outage."""

# Keys whose value names the webhook type (compared lower-case, without "_" / "-").
_KIND_KEYS = frozenset({"type", "event", "eventtype", "webhooktype", "kind", "topic"})
_SEPARATORS = re.compile(r"[\s\-]+")
# A form field name's last part: ``data[location][id]`` -> ``id``.
_FORM_KEY = re.compile(r"\[([^\[\]]*)\]$")


class MalformedWebhookError(SmartAccessApiError):
    """The body is neither JSON (objects) nor a form, or not text at all."""


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One event of a delivery: its recognised kinds and every string it carries."""

    kinds: frozenset[WebhookKind]
    values: frozenset[str] = field(repr=False)

    def matching(self, known: Iterable[str]) -> set[str]:
        """Return the ``known`` ids that this event mentions."""
        return {item for item in known if item in self.values}


def _kind(value: object) -> WebhookKind | None:
    """Return the webhook kind ``value`` names, if any (``ALARM``, ``device.alarm``)."""
    if not isinstance(value, str):
        return None
    text = _SEPARATORS.sub("_", value.strip().lower())
    for part in (text, re.split(r"[./:]", text)[-1]):
        try:
            return WebhookKind(part)
        except ValueError:
            continue
    return None


def _key_name(key: str) -> str:
    """Return a key as compared with ``_KIND_KEYS`` (form keys: their last part)."""
    if match := _FORM_KEY.search(key):
        key = match.group(1)
    return key.lower().replace("_", "").replace("-", "")


def _direct_kinds(node: dict[str, Any]) -> frozenset[WebhookKind]:
    return frozenset(
        kind
        for key, value in node.items()
        if _key_name(str(key)) in _KIND_KEYS and (kind := _kind(value)) is not None
    )


def _strings(node: object) -> Iterator[str]:
    """Yield every string inside ``node`` (keys excluded), and its path parts."""
    if isinstance(node, str):
        yield node
        if "/" in node:
            yield from (part for part in node.split("/") if part)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _scalars(node: dict[str, Any]) -> Iterator[str]:
    """Yield the strings held directly by ``node`` (not inside its children)."""
    for value in node.values():
        if isinstance(value, str):
            yield from _strings(value)


def _events(root: dict[str, Any]) -> list[WebhookEvent]:
    """Split a delivery object into its events.

    An event is an object that carries a recognised kind itself; it sees its own
    strings and those held directly by the objects around it (a batch's
    ``location_id``, say). A delivery without any such object is one event of no
    known kind.
    """
    found: list[WebhookEvent] = []

    def visit(node: object, context: frozenset[str]) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item, context)
            return
        if not isinstance(node, dict):
            return
        kinds = _direct_kinds(node)
        if kinds:
            found.append(WebhookEvent(kinds, context | frozenset(_strings(node))))
            return
        inner = context | frozenset(_scalars(node))
        for value in node.values():
            visit(value, inner)

    visit(root, frozenset())
    return found or [WebhookEvent(frozenset(), frozenset(_strings(root)))]


def _decode(text: str) -> Any:
    """Return the JSON value of ``text``, or its form fields as an object."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError as err:
        raise MalformedWebhookError("the body is neither JSON nor a form") from err
    fields: dict[str, list[str]] = {}
    for key, value in pairs:
        fields.setdefault(key, []).append(value)
    # A repeated field (``ids[]=a&ids[]=b``) keeps every value.
    return {
        key: values[0] if len(values) == 1 else values for key, values in fields.items()
    }


def parse_webhook(body: bytes) -> list[WebhookEvent]:
    """Return the events of a delivery (none for an empty body).

    Raises :class:`MalformedWebhookError` for a body that is not UTF-8 text, not
    JSON or a form, or JSON other than an object or a list of objects.
    """
    try:
        text = body.decode("utf-8").strip()
    except UnicodeDecodeError as err:
        raise MalformedWebhookError("the body is not UTF-8 text") from err
    if not text:
        return []
    value = _decode(text)
    if isinstance(value, dict):
        return _events(value)
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return [event for item in value for event in _events(item)]
    raise MalformedWebhookError("the body is not a JSON object or list of objects")
