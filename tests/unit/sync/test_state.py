"""The state store: validated on load, journaled during a push, compacted at the end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gria_miro.errors import InputFileError
from gria_miro.sync.state import BoardState, ItemState, StateWriter, journal_path, load_state, save_state

ITEM = ItemState("101", "card", "dfp", "bfp", "9", 10, -20)


def _state_with(n: int) -> BoardState:
    state = BoardState("b", deck="gria-fr", layout="randonnee", teams=2)
    for i in range(n):
        state.record(f"equipe-a/card:C-{i:03}", ItemState(str(i), "card", "d", "b", None, i, i))
    return state


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    state = _state_with(3)
    save_state(path, state)
    again = load_state(path, "b")
    assert again.items == state.items
    assert (again.deck, again.layout, again.teams) == ("gria-fr", "randonnee", 2)


def test_a_wrong_value_is_refused_in_french_naming_the_file_and_the_key(tmp_path: Path) -> None:
    path = tmp_path / "board-b.json"
    save_state(path, _state_with(1))
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["items"]["equipe-a/card:C-000"]["x"] = "oops"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_state(path, "b")
    message = caught.value.one_line()
    assert str(path) in message
    assert "equipe-a/card:C-000" in message and "champ x" in message and "oops" in message
    assert "supprimez-le" in message


def test_an_unknown_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    save_state(path, _state_with(1))
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["items"]["equipe-a/card:C-000"]["colour"] = "red"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(InputFileError, match="colour"):
        load_state(path, "b")


def test_another_boards_state_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    save_state(path, _state_with(1))
    with pytest.raises(InputFileError, match="décrit le tableau 'b'"):
        load_state(path, "other")


def test_an_interrupted_push_is_replayed_from_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    save_state(path, _state_with(2))
    state = load_state(path, "b")
    writer = StateWriter(path)
    state.record("equipe-a/card:NEW", ITEM)
    writer.save(state)
    state.forget("equipe-a/card:C-000")
    writer.save(state)
    # no close(): the process died here
    again = load_state(path, "b")
    assert again.items["equipe-a/card:NEW"] == ITEM
    assert "equipe-a/card:C-000" not in again.items
    assert "equipe-a/card:C-001" in again.items


def test_a_torn_last_journal_line_is_ignored_but_a_bad_middle_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    state = _state_with(1)
    writer = StateWriter(path)
    state.record("k1", ITEM)
    writer.save(state)
    journal = journal_path(path)
    journal.write_text(journal.read_text(encoding="utf-8") + '{"k": "k2", "v": {"id": "1', encoding="utf-8")
    assert set(load_state(path, "b").items) == {"equipe-a/card:C-000", "k1"}
    journal.write_text(journal.read_text(encoding="utf-8") + '\n{"k": "k3", "v": null}\n', encoding="utf-8")
    with pytest.raises(InputFileError, match="journal"):
        load_state(path, "b")


def test_close_rewrites_once_and_removes_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    state = _state_with(0)
    writer = StateWriter(path)
    for i in range(50):
        state.record(f"k{i}", ITEM)
        writer.save(state)
    assert journal_path(path).exists()
    # the journal grows by the changed keys only, not by the whole state each time
    assert journal_path(path).read_text(encoding="utf-8").count("\n") == 51
    writer.close(state)
    assert not journal_path(path).exists()
    assert len(load_state(path, "b").items) == 50


def test_a_journal_left_from_an_older_file_is_not_replayed(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    state = _state_with(0)
    writer = StateWriter(path)
    state.record("k1", ITEM)
    writer.save(state)
    stale = journal_path(path).read_text(encoding="utf-8")
    state.forget("k1")
    writer.close(state)  # k1 is gone for good
    journal_path(path).write_text(stale, encoding="utf-8")  # compaction died before unlinking
    assert "k1" not in load_state(path, "b").items
