"""The SQLite board store: answers exactly like the JSON file, writes one row per changed item, keeps
revisions for live feeds, survives two writing processes, opens read-only without creating anything."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from gria_miro.localboard.adapter import local_session, open_local_board
from gria_miro.localboard.sqlstore import NotABoardDatabase, SqliteBoardStore, export_json, import_json
from gria_miro.localboard.store import BoardFile, BoardMissing, ensure_board, open_store
from tests.localboard.conftest import TOKEN, Api
from tests.localboard.test_contract import SCENARIOS, Transcript, _normalise

ROOT = Path(__file__).resolve().parents[2]


def _api(path: Path) -> Api:
    target = open_local_board(path, token=TOKEN)
    return Api(local_session(target, TOKEN), target.base_url, target.board_id)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__.removeprefix("scenario_"))
def test_the_database_answers_exactly_like_the_json_file(tmp_path: Path, scenario: Callable[[Api], Transcript]) -> None:
    on_json, on_db = _api(tmp_path / "board.json"), _api(tmp_path / "board.db")
    assert isinstance(on_db.session.get_adapter(on_db.base_url).engine.backend, SqliteBoardStore)  # type: ignore[attr-defined]
    from_json = [_normalise(e, on_json.base_url, on_json.board_id) for e in scenario(on_json)]
    from_db = [_normalise(e, on_db.base_url, on_db.board_id) for e in scenario(on_db)]
    assert from_db == from_json


def _rows(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {item_id: rev for item_id, rev in conn.execute("SELECT id, rev FROM items")}


def test_a_move_writes_one_row_and_is_the_only_change_since_the_previous_revision(tmp_path: Path) -> None:
    path = tmp_path / "atelier.db"
    api = _api(path)
    status, frame, _ = api.call(
        "POST", "/frames", {"data": {"title": "Étape 1"}, "geometry": {"width": 900, "height": 600}}
    )
    status, made, _ = api.call(
        "POST", "/items/bulk", [{"type": "card", "data": {"title": f"C-{i}"}} for i in range(20)]
    )
    assert status == 201
    before = _rows(path)
    store = SqliteBoardStore(path)
    revision = store.revision()
    moved = made["data"][3]["id"]
    status, _, _ = api.call("PATCH", f"/items/{moved}", {"parent": {"id": frame["id"]}, "position": {"x": 10, "y": 20}})
    assert status == 200
    after = _rows(path)
    assert {k for k in after if after[k] != before.get(k)} == {moved}  # one row written
    changes = store.changes_since(revision)
    assert changes.revision == revision + 1
    assert [(item["id"], item["parent"]) for _, item in changes.items] == [(moved, frame["id"])]
    assert changes.deleted == [] and changes.boards == []
    status, _, _ = api.call("DELETE", f"/items/{made['data'][0]['id']}")
    later = store.changes_since(revision + 1)
    assert [item_id for _, item_id in later.deleted] == [made["data"][0]["id"]] and later.items == []
    status, _, _ = api.call("GET", "/items")
    assert store.revision() == revision + 2  # a read commits nothing


def test_a_failed_request_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "atelier.db"
    api = _api(path)
    store = SqliteBoardStore(path)
    revision, rows = store.revision(), _rows(path)
    good = {"type": "card", "data": {"title": "A"}}
    status, _, _ = api.call("POST", "/items/bulk", [good, {"type": "card", "position": {"x": "far"}}], valid=False)
    assert status == 400
    assert store.revision() == revision and _rows(path) == rows
    status, page, _ = api.call("GET", "/items")
    assert page["total"] == 0


def test_another_process_sees_each_change_and_both_keep_every_write(tmp_path: Path) -> None:
    path = tmp_path / "atelier.db"
    ensure_board(SqliteBoardStore(path))
    writer = """
import sys
from gria_miro.localboard.adapter import local_session, open_local_board
target = open_local_board(sys.argv[1])
session = local_session(target)
url = f"{target.base_url}/v2/boards/{target.board_id}/sticky_notes"
for i in range(30):
    response = session.post(url, json={"data": {"content": f"note {i}"}})
    assert response.status_code == 201, response.text
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    processes = [subprocess.Popen([sys.executable, "-c", writer, str(path)], env=env) for _ in range(2)]
    api = _api(path)  # this process writes too, between theirs
    for i in range(10):
        assert api.call("POST", "/cards", {"data": {"title": f"C-{i}"}})[0] == 201
    for process in processes:
        assert process.wait(timeout=60) == 0
    status, page, _ = api.call("GET", "/items")  # the cache of this process caught up with the others'
    assert status == 200 and page["total"] == 70, page
    with sqlite3.connect(path) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM items")]
    assert len(ids) == len(set(ids)) == 70


def test_json_boards_import_into_a_database_and_export_back(tmp_path: Path) -> None:
    api = _api(tmp_path / "atelier.json")
    status, frame, _ = api.call(
        "POST", "/frames", {"data": {"title": "Pioche"}, "geometry": {"width": 900, "height": 600}}
    )
    api.call(
        "POST", "/cards", {"data": {"title": "GOV-01"}, "parent": {"id": frame["id"]}, "position": {"x": 5, "y": 5}}
    )
    status, _, _ = api.call("POST", "/tags", {"title": "Prioritaire"})
    assert status == 201
    store = import_json(tmp_path / "atelier.json", tmp_path / "atelier.db")
    export_json(store, tmp_path / "copie.json")
    original = json.loads((tmp_path / "atelier.json").read_text(encoding="utf-8"))
    assert json.loads((tmp_path / "copie.json").read_text(encoding="utf-8")) == original
    copy = _api(tmp_path / "atelier.db")
    status, items, _ = copy.call("GET", "/items")
    assert copy.board_id == api.board_id and items["total"] == 2
    status, card, _ = copy.call("POST", "/cards", {"data": {"title": "GOV-02"}})
    assert status == 201 and int(card["id"]) > max(
        int(i["id"]) for i in items["data"]
    )  # ids go on after the imported ones


@pytest.mark.parametrize("name", ["atelier.json", "atelier.db"])
def test_opening_read_only_creates_nothing_and_names_the_closest_board(tmp_path: Path, name: str) -> None:
    (tmp_path / "atelier-2026.json").write_text("{}", encoding="utf-8")
    with pytest.raises(BoardMissing) as caught:
        open_local_board(tmp_path / name, create=False)
    assert not (tmp_path / name).exists()
    message = caught.value.one_line()
    assert "n'existe pas" in message and "local:" in message and "atelier-2026.json" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atelier-2026.json"]


def test_an_existing_board_opens_read_only(tmp_path: Path) -> None:
    for name in ("a.json", "a.db"):
        board_id = ensure_board(open_store(tmp_path / name))
        target = open_local_board(tmp_path / name, create=False)
        assert target.board_id == board_id
    assert isinstance(open_store(tmp_path / "a.json"), BoardFile)


def test_a_file_that_is_not_a_board_database_is_refused_in_french(tmp_path: Path) -> None:
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("pas une base", encoding="utf-8")
    with pytest.raises(NotABoardDatabase) as caught:
        SqliteBoardStore(not_sqlite)
    assert "n'est pas une base de tableau local" in caught.value.one_line()
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('format', 'autre-chose')")
    with pytest.raises(NotABoardDatabase):
        SqliteBoardStore(other)
