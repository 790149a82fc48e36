"""The contract checker itself: it accepts valid bodies, rejects invalid ones, and its subset is current."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract import make_spec_subset
from tests.contract.spec_check import validate_request

BOARD = "/v2/boards/uXjVOD6LSME%3D"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v2/boards", {"name": "GR:IA", "description": "atelier"}),
        ("POST", f"{BOARD}/cards", {"data": {"title": "GOV-03"}, "position": {"x": 1, "y": 2}, "parent": {"id": "9"}}),
        ("POST", f"{BOARD}/frames", {"data": {"title": "Pile", "format": "custom", "type": "freeform"}}),
        ("POST", f"{BOARD}/sticky_notes", {"data": {"content": "note"}, "style": {"fillColor": "yellow"}}),
        (
            "POST",
            f"{BOARD}/shapes",
            {"data": {"shape": "round_rectangle", "content": "x"}, "style": {"fontSize": "14"}},
        ),
        ("POST", f"{BOARD}/texts", {"data": {"content": "Titre"}}),
        ("POST", f"{BOARD}/app_cards", {"data": {"title": "t", "fields": [{"value": "v"}]}}),
        ("PATCH", f"{BOARD}/cards/12", {"data": {"description": "d"}}),
        ("PATCH", f"{BOARD}/items/12", {"position": {"x": 1, "y": 2}, "parent": {"id": "3"}}),
        (
            "POST",
            f"{BOARD}/items/bulk",
            [{"type": "card", "data": {"title": "a"}}, {"type": "text", "data": {"content": "b"}}],
        ),
        ("POST", f"{BOARD}/tags", {"title": "prioritaire", "fillColor": "red"}),
        ("POST", f"{BOARD}/items/12?tag_id=7", None),
        ("GET", f"https://api.miro.com{BOARD}/items?limit=50&type=card", None),
        ("DELETE", f"{BOARD}/items/12", None),
    ],
)
def test_valid_requests_pass(method: str, path: str, body: object) -> None:
    validate_request(method, path, body)


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("POST", f"{BOARD}/cards", {"data": {"title": "x"}, "metadata": {"k": "v"}}, "'metadata' was unexpected"),
        ("POST", f"{BOARD}/texts", {"style": {"fontSize": "14"}}, "'data' is a required property"),
        ("POST", f"{BOARD}/items/bulk", {"data": [{"type": "card"}]}, "bare JSON array"),
        ("POST", f"{BOARD}/items/bulk", [{"type": "card"}] * 21, "1 to 20"),
        (
            "POST",
            f"{BOARD}/items/bulk",
            [{"type": "card"}, {"type": "sticky_note", "style": {"fillColor": "#fff"}}],
            "element 1",
        ),
        ("POST", f"{BOARD}/items/bulk", [{"type": "connector"}], "no supported type"),
        ("PATCH", f"{BOARD}/items/1", {"position": {"x": 1, "y": 2, "relativeTo": "parent_top_left"}}, "relativeTo"),
        ("POST", f"{BOARD}/items/1", None, "tag_id"),
        ("GET", f"{BOARD}/items?limit=5", None, "outside 10..50"),
        ("GET", f"{BOARD}/items", {"x": 1}, "no body"),
        ("PUT", f"{BOARD}/cards/1", {}, "no known Miro operation"),
    ],
)
def test_invalid_requests_fail_with_a_clear_message(method: str, path: str, body: object, expected: str) -> None:
    with pytest.raises(AssertionError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        validate_request(method, path, body)


def _shared_spec() -> Path | None:
    for candidate in (Path("/work/shared/miro-openapi/spec.json"), make_spec_subset.DEFAULT_SPEC):
        if candidate.is_file():
            return candidate
    return None


def test_committed_subset_is_what_the_script_extracts() -> None:
    spec = _shared_spec()
    if spec is None:
        pytest.skip("../shared/miro-openapi/spec.json not available")
    expected = make_spec_subset.render(make_spec_subset.extract(spec.read_bytes()))
    committed = make_spec_subset.SUBSET.read_text(encoding="utf-8")
    assert committed == expected, "tests/data/miro_spec_subset.json is stale: run tests/contract/make_spec_subset.py"
