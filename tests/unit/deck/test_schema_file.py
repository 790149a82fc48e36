"""The committed JSON Schema matches the model, and really validates deck files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from samples import sample

from gria_miro.deck.schema_file import deck_file_schema, deck_file_schema_text

ROOT = Path(__file__).resolve().parents[3]


def _errors(data: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(deck_file_schema())
    return [e.message for e in validator.iter_errors(data)]


def test_committed_schema_is_what_the_model_generates_now() -> None:
    committed = (ROOT / "decks" / "deck.schema.json").read_text(encoding="utf-8")
    assert committed == deck_file_schema_text(), "régénérez : gria-miro deck schema -o decks/deck.schema.json --force"


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(deck_file_schema_text()))


def test_schema_accepts_a_valid_deck() -> None:
    assert _errors(sample()) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["cards"][0].update(colour="rouge"), "Additional properties are not allowed ('colour'"),
        (lambda d: d["cards"][0].update(kind="formal"), "'formal' is not one of ['formelle', 'informelle']"),
        (lambda d: d["cards"][0].update(difficulty=5), "5 is not one of [1, 2, 3, 4]"),
        (lambda d: d["cards"][1]["gains"].update(categories=["argent"]), "'argent' is not one of"),
        (lambda d: d.update(cards=[]), "[] should be non-empty"),
        (lambda d: d["cards"][1].update(prerequisites=["gov-1"]), "'gov-1' does not match"),
    ],
)
def test_schema_rejects_unknown_field_and_bad_values(change: Any, expected: str) -> None:
    data = sample()
    change(data)
    assert any(expected in message for message in _errors(data)), _errors(data)


def test_scale_levels_are_described_in_french_for_editors() -> None:
    difficulty = deck_file_schema()["$defs"]["Card"]["properties"]["difficulty"]
    assert difficulty["enum"] == [1, 2, 3, 4]
    assert "1 = Balade (facile)" in difficulty["description"]
