"""Snapshot files: round trip, and malformed files reported with line numbers (never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gria_miro.errors import InputFileError
from gria_miro.pull.snapshot import load_snapshot, save_snapshot, snapshot_text
from tests.unit.pull.boards import card, note, observed


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    board = observed(card("GOV-01", -700, 1000, assigneeId="u1"), note("n", "<p>é</p>", 0, 0))
    path = tmp_path / "snap.json"
    save_snapshot(path, board, deck="gria-fr", layout="randonnee", teams=2)
    loaded, saved = load_snapshot(path)
    assert loaded == board
    assert (saved.deck, saved.layout, saved.teams) == ("gria-fr", "randonnee", 2)
    with pytest.raises(InputFileError, match="--force"):
        save_snapshot(path, board)
    save_snapshot(path, board, force=True)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "snap.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_broken_json_is_located(tmp_path: Path) -> None:
    text = snapshot_text(observed(card("GOV-01", 0, 0)))
    broken = text.replace('"type": "card"', '"type": "card",,')
    with pytest.raises(InputFileError) as caught:
        load_snapshot(write(tmp_path, broken))
    [problem] = caught.value.problems
    assert problem.line == next(i for i, line in enumerate(broken.splitlines(), 1) if ",," in line)
    assert "JSON invalide" in problem.message


def test_wrong_values_are_located_at_their_line(tmp_path: Path) -> None:
    text = snapshot_text(observed(card("GOV-01", 0, 0)))
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if '"c-GOV-01"' in line)
    lines[index] = lines[index].replace('"x": 0', '"x": "gauche"')
    with pytest.raises(InputFileError) as caught:
        load_snapshot(write(tmp_path, "\n".join(lines)))
    [problem] = caught.value.problems
    assert problem.line == index + 1 and "nombre" in problem.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[]", "format_version"),
        ('{"format_version": 9, "board": {"id": "b"}, "items": []}', "version d'instantané 9"),
        ('{"format_version": 1, "board": {"id": "b"}}', "items"),
        ('{"format_version": 1, "board": {"id": "b"}, "items": [], "token": "x"}', "token"),
    ],
)
def test_not_a_snapshot(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(InputFileError) as caught:
        load_snapshot(write(tmp_path, text))
    assert expected in caught.value.one_line() + " ".join(caught.value.detail_lines())


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="introuvable"):
        load_snapshot(tmp_path / "absent.json")
    with pytest.raises(InputFileError, match="vide"):
        load_snapshot(write(tmp_path, ""))


def test_snapshot_is_valid_json_one_item_per_line() -> None:
    board = observed(card("GOV-01", 0, 0))
    text = snapshot_text(board)
    assert len(json.loads(text)["items"]) == len(board.items)
    assert sum('"id": "f-' in line for line in text.splitlines()) == 5
