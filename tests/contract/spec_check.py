"""Validate request bodies against Miro's official request schemas (the committed spec subset).

``validate_request(method, path, body)`` maps a request to its schema and raises
``AssertionError`` with a clear message when the body does not match. Stricter than the spec
on purpose: unknown properties are errors (Miro's server rejects them although the spec does
not say so, notes §4), and a bulk body is checked element by element against the per-type
``*CreateRequest`` schema (the spec's bulk ``oneOf`` rejects every valid body, notes §6).

Importing this module has no side effect; the subset is read on first use.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jsonschema import Draft7Validator

SUBSET_PATH = Path(__file__).resolve().parents[1] / "data" / "miro_spec_subset.json"

#: Per-type endpoint segment → (create schema, update schema).
ITEM_SCHEMAS: dict[str, tuple[str, str]] = {
    "frames": ("FrameCreateRequest", "FrameUpdateRequest"),
    "cards": ("CardCreateRequest", "CardUpdateRequest"),
    "app_cards": ("AppCardCreateRequest", "AppCardUpdateRequest"),
    "sticky_notes": ("StickyNoteCreateRequest", "StickyNoteUpdateRequest"),
    "shapes": ("ShapeCreateRequest", "ShapeUpdateRequest"),
    "texts": ("TextCreateRequest", "TextUpdateRequest"),
}

#: Bulk element ``type`` → its per-type create schema.
BULK_SCHEMAS: dict[str, str] = {
    "frame": "FrameCreateRequest",
    "card": "CardCreateRequest",
    "app_card": "AppCardCreateRequest",
    "sticky_note": "StickyNoteCreateRequest",
    "shape": "ShapeCreateRequest",
    "text": "TextCreateRequest",
}

BULK_MAX = 20

#: ``type`` filter values of GET …/items (spec).
ITEM_TYPE_FILTER = frozenset(
    "text shape sticky_note image document card app_card preview frame embed doc_format data_table_format".split()
)

_NO_BODY = "no body"


def _strict(node: Any) -> Any:
    """Every object schema that declares properties refuses the others."""
    if isinstance(node, dict):
        out = {key: _strict(value) for key, value in node.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        if "properties" in node:
            out["properties"] = {name: _strict(schema) for name, schema in node["properties"].items()}
        return out
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


@functools.cache
def _components() -> dict[str, Any]:
    subset = json.loads(SUBSET_PATH.read_text(encoding="utf-8"))
    return {"schemas": _strict(copy.deepcopy(subset["components"]["schemas"]))}


@functools.cache
def _validator(schema_name: str) -> Draft7Validator:
    components = _components()
    if schema_name not in components["schemas"]:
        raise AssertionError(f"schema {schema_name} is not in {SUBSET_PATH.name}; re-run make_spec_subset.py")
    return Draft7Validator({"$ref": f"#/components/schemas/{schema_name}", "components": components})


def _check(schema_name: str, body: Any, where: str) -> None:
    errors = sorted(_validator(schema_name).iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{where}: body does not match {schema_name}:"]
        for error in errors[:5]:
            at = "/".join(str(p) for p in error.absolute_path) or "(root)"
            lines.append(f"  at {at}: {error.message}")
        raise AssertionError("\n".join(lines))


def _route(method: str, segments: list[str]) -> tuple[str, str | None]:
    """(kind, schema name) for a request; kind is "schema", "bulk", "attach" or "none"."""
    n = len(segments)
    if method == "GET" and segments == ["v1", "oauth-token"]:
        return "none", None  # token information (spec: operationId token-info), no body
    if n < 2 or segments[0] != "v2" or segments[1] != "boards":
        raise AssertionError(f"{method} /{'/'.join(segments)}: not a Miro board endpoint gria-miro knows")
    table: dict[tuple[str, int], Any] = {
        ("POST", 2): ("schema", "BoardChanges"),  # create board
        ("GET", 3): ("none", None),  # get board
        ("PATCH", 3): ("schema", "BoardChanges"),  # update board
        ("DELETE", 3): ("none", None),  # delete board
    }
    if (method, n) in table:
        kind, schema = table[(method, n)]
        return kind, schema
    collection = segments[3] if n > 3 else ""
    if n == 4:
        if method == "POST" and collection in ITEM_SCHEMAS:
            return "schema", ITEM_SCHEMAS[collection][0]  # create one item
        if method == "POST" and collection == "tags":
            return "schema", "TagCreateRequest"
        if method == "GET" and collection in {"items", "tags", "members"}:
            return "none", None  # listings
    if n == 5:
        if collection == "items" and segments[4] == "bulk" and method == "POST":
            return "bulk", None
        if collection in ITEM_SCHEMAS:
            if method == "PATCH":
                return "schema", ITEM_SCHEMAS[collection][1]
            if method in {"GET", "DELETE"}:
                return "none", None
        if collection == "items":
            if method == "PATCH":
                return "schema", "GenericItemUpdate"  # move / re-parent
            if method == "POST":
                return "attach", None  # attach tag: ?tag_id=, no body
            if method in {"GET", "DELETE"}:
                return "none", None  # get any item, delete any item / detach tag
        if collection == "tags":
            if method == "PATCH":
                return "schema", "TagUpdateRequest"
            if method in {"GET", "DELETE"}:
                return "none", None
    if n == 6 and collection == "items" and segments[5] == "tags" and method == "GET":
        return "none", None
    raise AssertionError(f"{method} /{'/'.join(segments)}: no known Miro operation for this method and path")


def _check_query(method: str, segments: list[str], query: Mapping[str, list[str]], where: str) -> None:
    if method == "GET" and len(segments) == 4 and "limit" in query:
        limit = int(query["limit"][0])
        cursor_paged = segments[3] == "items" and "tag_id" not in query
        low = 10 if cursor_paged else 1
        if not low <= limit <= 50:
            raise AssertionError(f"{where}: limit={limit} outside {low}..50")
        if cursor_paged and "offset" in query:
            raise AssertionError(f"{where}: cursor-paged listing must not use offset")
        for value in query.get("type", []):
            if value not in ITEM_TYPE_FILTER:
                raise AssertionError(f"{where}: type={value!r} is not a valid item type filter")


def validate_request(method: str, path: str, body: Any) -> None:
    """Raise AssertionError unless ``body`` is what the spec accepts for ``method path``.

    ``path`` may be a full URL or a path, with or without a query string; ``body`` is the
    decoded JSON (``None`` when the request has no body).
    """
    method = method.upper()
    parts = urlsplit(path)
    segments = [s for s in parts.path.split("/") if s]
    where = f"{method} {parts.path}"
    kind, schema = _route(method, segments)
    query = parse_qs(parts.query)
    _check_query(method, segments, query, where)
    if kind == "none":
        if body not in (None, b"", ""):
            raise AssertionError(f"{where}: this operation takes {_NO_BODY}, got {body!r}")
        return
    if kind == "attach":
        if body not in (None, b"", ""):
            raise AssertionError(f"{where}: attaching a tag takes {_NO_BODY}")
        if not query.get("tag_id"):
            raise AssertionError(f"{where}: attaching a tag needs ?tag_id=")
        return
    if kind == "bulk":
        if not isinstance(body, list):
            raise AssertionError(f"{where}: a bulk body is a bare JSON array, got {type(body).__name__}")
        if not 1 <= len(body) <= BULK_MAX:
            raise AssertionError(f"{where}: a bulk body has 1 to {BULK_MAX} elements, got {len(body)}")
        for index, element in enumerate(body):
            if not isinstance(element, dict) or element.get("type") not in BULK_SCHEMAS:
                got = element.get("type") if isinstance(element, dict) else element
                raise AssertionError(f"{where}: element {index} has no supported type ({got!r})")
            rest = {k: v for k, v in element.items() if k != "type"}
            _check(BULK_SCHEMAS[element["type"]], rest, f"{where} element {index}")
        return
    assert schema is not None
    if body is None:
        raise AssertionError(f"{where}: a JSON body ({schema}) is required")
    _check(schema, body, where)


def _decode(raw: bytes | str | None) -> Any:
    if raw in (None, b"", ""):
        return None
    return json.loads(raw)


def validate_prepared(request: Any) -> None:
    """Validate a ``requests.PreparedRequest`` (or anything with method, url, body)."""
    validate_request(str(request.method), str(request.url), _decode(request.body))


def validate_calls(calls: Iterable[Any]) -> int:
    """Validate every recorded call (``responses``' ``calls``); returns how many were checked."""
    count = 0
    for call in calls:
        validate_prepared(call.request)
        count += 1
    return count


def record_and_validate(responses_mock: Any) -> int:
    """Validate every request a ``responses.RequestsMock`` recorded so far; returns the count."""
    return validate_calls(responses_mock.calls)


def validate_response(operation: str, body: Any) -> None:
    """Raise AssertionError unless ``body`` is what the spec answers for ``operation`` (e.g. "token-info")."""
    subset = json.loads(SUBSET_PATH.read_text(encoding="utf-8"))
    schema = subset.get("responses", {}).get(operation)
    if schema is None:
        raise AssertionError(f"response of {operation} is not in {SUBSET_PATH.name}; re-run make_spec_subset.py")
    errors = sorted(Draft7Validator(schema).iter_errors(body), key=lambda e: list(e.path))
    if errors:
        where = "/".join(str(p) for p in errors[0].path) or "(racine)"
        raise AssertionError(f"{operation} answer: {where}: {errors[0].message}")
