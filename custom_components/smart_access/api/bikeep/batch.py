"""Whitelist entity batches (ADD / REMOVE): validate first, then read partial failures.

Choices, documented for callers:

* Every RFID id is validated with :func:`validate_rfid` before anything is sent.
  Invalid ids never leave the client; they are reported per item in
  ``BatchResult.failed`` (``problem`` set, ``id`` = the raw input). No exception is
  raised for them, not even when no valid id remains - then no request is made and
  every item is in ``failed``.
* Inputs that normalise to the same id are sent once (ADD: the last one wins, as an
  upsert would; REMOVE: once). ``BatchResult.normalised`` maps every accepted input
  to the id that was sent.
* The service processes items one by one: a 400 with ``error_results`` lists only the
  failed items and nothing is rolled back, so it becomes a BatchResult with those
  failures. A 400 without ``error_results`` is a ValidationError.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from custom_components.smart_access.api.errors import ValidationError
from custom_components.smart_access.api.http import HttpResult

from .parsing import as_object
from .responses import error_message, field_errors
from .rfid import validate_rfid
from .whitelists import BatchItemError, BatchResult, RfidEntity, parse_error_result


@dataclass(slots=True)
class PreparedBatch:
    """The items that passed validation, and those rejected before sending."""

    operation: str
    items: dict[str, RfidEntity] = field(default_factory=dict)
    rejected: list[BatchItemError] = field(default_factory=list)
    normalised: dict[str, str] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        """Return the JSON body of the batch request."""
        if self.operation == "ADD":
            entities = [entity.to_json(sent) for sent, entity in self.items.items()]
        else:
            entities = [
                {"id": sent, "id_type": entity.id_type}
                for sent, entity in self.items.items()
            ]
        return {"operation": self.operation, "entities": entities}


def build_batch(operation: str, entities: Sequence[RfidEntity]) -> PreparedBatch:
    """Validate and normalise each id; keep valid items, reject the others."""
    batch = PreparedBatch(operation)
    for entity in entities:
        verdict = validate_rfid(entity.id)
        if verdict.normalised is None:
            batch.rejected.append(
                BatchItemError(
                    id=entity.id,
                    reason=verdict.reason or "invalid RFID id",
                    problem=verdict.problem,
                )
            )
            continue
        sent = verdict.normalised
        batch.normalised[entity.id] = sent
        if operation == "ADD":
            batch.items.pop(sent, None)  # the last occurrence wins, like an upsert
            batch.items[sent] = entity
        else:
            batch.items.setdefault(sent, entity)
    return batch


def _error_results(body: Any) -> list[Any] | None:
    if isinstance(body, Mapping):
        results = body.get("error_results")
        if isinstance(results, list):
            return results
    return None


def finish_batch(batch: PreparedBatch, result: HttpResult | None) -> BatchResult:
    """Combine local rejections with the service's answer (``None``: not sent)."""
    failed = list(batch.rejected)
    sent = list(batch.items)
    if result is None:
        return BatchResult((), tuple(failed), dict(batch.normalised))
    results = _error_results(result.body)
    if result.status == 400 and results is None:
        raise ValidationError(
            error_message(result.body) or "the batch was rejected",
            field_errors(result.body),
        )
    service_failures = [
        parse_error_result(as_object(item, "error result")) for item in results or []
    ]
    failed_ids = {failure.id for failure in service_failures}
    failed.extend(service_failures)
    succeeded = tuple(item for item in sent if item not in failed_ids)
    return BatchResult(succeeded, tuple(failed), dict(batch.normalised))
