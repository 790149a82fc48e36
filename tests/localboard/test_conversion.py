"""A JSON board file served to a room: converted once to SQLite beside it, found again, never lost or stale;
the JSON export is atomic and never overwrites another file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests

from gria_miro.localboard import conversion
from gria_miro.localboard.conversion import (
    BothChangedSinceConversion,
    CopyNameTaken,
    board_for_room,
    played_copy,
)
from gria_miro.localboard.server import start_server
from gria_miro.localboard.sqlstore import SqliteBoardStore
from gria_miro.localboard.store import BoardFile, NotABoardFile
from tests.e2e.pushkit import run_cli

TOKEN = "conversion-test-token"


@pytest.fixture
def pushed_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A facilitator pushed the deck to ``local:atelier.json`` (the JSON board file of earlier versions)."""
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    board = tmp_path / "atelier.json"
    run = run_cli(capsys, "push", "--board", f"local:{board}", "--yes")
    assert run.code == 0, run.err
    return board


def _items(state: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    [board] = state["boards"].values()
    return dict(board["items"])


def _db_items(path: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    store = SqliteBoardStore(path, create=False)
    try:
        return _items(dict(store.load_state()))
    finally:
        store.close()


def test_serving_a_json_board_converts_it_once_beside_it_and_leaves_the_json_as_it_was(pushed_json: Path) -> None:
    before = pushed_json.read_bytes()
    room = board_for_room(pushed_json)
    copy = pushed_json.with_suffix(".db")
    assert room.path == copy and copy.is_file()
    assert room.notice is not None and "converti en" in room.notice and f"local:{copy}" in room.notice
    assert pushed_json.read_bytes() == before  # never rewritten
    assert _db_items(copy) == _items(json.loads(before))  # every item, as it was
    assert sorted(p.name for p in pushed_json.parent.iterdir() if p.is_file()) == ["atelier.db", "atelier.json"]

    again = board_for_room(pushed_json)  # a second start finds the same board
    assert again.path == copy and again.notice is not None and "se joue dans" in again.notice


def test_a_second_start_serves_what_was_played_and_commands_on_the_json_path_use_the_database(
    pushed_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with start_server(pushed_json, token=TOKEN) as server:
        assert server.board_file == pushed_json.with_suffix(".db")
        board = f"{server.url}/v2/boards/{server.board_id}"
        headers = {"Authorization": f"Bearer {TOKEN}"}
        items = requests.get(f"{board}/items?type=card&limit=50", headers=headers, timeout=5).json()["data"]
        frames = requests.get(f"{board}/items?type=frame&limit=50", headers=headers, timeout=5).json()["data"]
        stage = next(f for f in frames if "départ" in f["data"]["title"].lower())
        card = next(i for i in items if i["type"] == "card")
        moved = requests.patch(
            f"{board}/items/{card['id']}",
            json={"parent": {"id": stage["id"]}, "position": {"x": 200, "y": 200}},
            headers=headers,
            timeout=5,
        )
        assert moved.status_code == 200
        first_id = server.board_id
    with start_server(pushed_json, token=TOKEN) as server:  # the same board, with the move
        assert server.board_id == first_id
        item = requests.get(
            f"{server.url}/v2/boards/{server.board_id}/items/{card['id']}", headers=headers, timeout=5
        ).json()
        assert item["parent"]["id"] == stage["id"]

    # pull given the JSON path reads what was played (the database), and says so
    out_json, out_db = pushed_json.parent / "depuis-json.json", pushed_json.parent / "depuis-db.json"
    from_json = run_cli(capsys, "pull", "--board", f"local:{pushed_json}", "--format", "json", "-o", str(out_json))
    assert from_json.code == 0, from_json.err
    assert f"gria-miro utilise {pushed_json.with_suffix('.db')}" in from_json.err
    from_db = run_cli(
        capsys, "pull", "--board", f"local:{pushed_json.with_suffix('.db')}", "--format", "json", "-o", str(out_db)
    )
    assert from_db.code == 0, from_db.err
    roadmap = json.loads(out_json.read_text(encoding="utf-8"))
    assert roadmap == json.loads(out_db.read_text(encoding="utf-8"))
    code = re.search(r"[A-Z]+-\d+", card["data"]["title"])
    assert code is not None
    [departure] = [s for s in roadmap["teams"][0]["stages"] if "départ" in s["label"].lower()]
    assert code.group(0) in [c["code"] for c in departure["cards"]]  # the move made during play


def test_a_json_changed_after_the_conversion_is_refused_naming_both_files(pushed_json: Path) -> None:
    board_for_room(pushed_json)
    copy = pushed_json.with_suffix(".db")
    state = json.loads(pushed_json.read_text(encoding="utf-8"))
    state["next_id"] += 1  # e.g. a push to the JSON file made with an older gria-miro
    pushed_json.write_text(json.dumps(state), encoding="utf-8")
    json_before, db_before = pushed_json.read_bytes(), copy.read_bytes()
    for call in (board_for_room, played_copy):
        with pytest.raises(BothChangedSinceConversion) as refused:
            call(pushed_json)
        message = str(refused.value)
        assert str(pushed_json) in message and f"gria-miro serve {copy}" in message and "renommez" in message
    assert pushed_json.read_bytes() == json_before and copy.read_bytes() == db_before  # nothing touched


def test_a_database_of_the_same_name_that_is_another_board_is_never_overwritten(pushed_json: Path) -> None:
    other = SqliteBoardStore(pushed_json.with_suffix(".db"))
    other.close()
    before = pushed_json.with_suffix(".db").read_bytes()
    with pytest.raises(CopyNameTaken) as refused:
        board_for_room(pushed_json)
    assert "n'est pas la copie" in str(refused.value)
    assert pushed_json.with_suffix(".db").read_bytes() == before
    assert played_copy(pushed_json) == (pushed_json, None)  # commands keep using the JSON file itself


def test_a_conversion_cut_short_leaves_no_database_and_the_next_start_converts(
    pushed_json: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: SqliteBoardStore, state: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C in the middle of the conversion

    before = pushed_json.read_bytes()
    monkeypatch.setattr(SqliteBoardStore, "import_state", crash)
    with pytest.raises(KeyboardInterrupt):
        board_for_room(pushed_json)
    assert [p.name for p in pushed_json.parent.iterdir() if p.is_file()] == ["atelier.json"]  # no half database
    assert pushed_json.read_bytes() == before
    monkeypatch.undo()
    assert board_for_room(pushed_json).path.is_file()


def test_a_missing_json_board_is_created_as_a_database(tmp_path: Path) -> None:
    room = board_for_room(tmp_path / "nouveau.json")
    assert room.path == tmp_path / "nouveau.db" and room.notice is not None and "créé dans" in room.notice
    assert not (tmp_path / "nouveau.json").exists()


def test_export_writes_the_board_as_json_atomically_and_never_over_another_file(
    pushed_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = board_for_room(pushed_json).path
    target = pushed_json.parent / "apres-la-partie.json"
    run = run_cli(capsys, "serve", str(copy), "--export-json", str(target))
    assert run.code == 0, run.err
    assert f"exporté en JSON : {target}" in run.out
    with BoardFile(target, create=False).transaction() as tx:  # a board file gria-miro opens
        assert _items(dict(tx.state)) == _db_items(copy)
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temporary file left

    target.write_text("mes notes", encoding="utf-8")
    refused = run_cli(capsys, "serve", str(copy), "--export-json", str(target))
    assert refused.code == 2 and "existe déjà" in refused.err and target.read_text(encoding="utf-8") == "mes notes"
    wrong = run_cli(capsys, "serve", str(copy), "--export-json", str(pushed_json.parent / "fin.txt"))
    assert wrong.code == 2 and ".json" in wrong.err

    # back into the JSON it came from: allowed, and the pair is still recognised (not "both changed")
    again = run_cli(capsys, "serve", str(pushed_json), "--export-json", str(pushed_json))
    assert again.code == 0, again.err
    assert board_for_room(pushed_json).path == copy
    assert played_copy(pushed_json)[0] == copy


def test_the_conversion_module_names_its_copy_beside_the_json_file() -> None:
    assert conversion.room_copy_path(Path("salle/atelier.json")) == Path("salle/atelier.db")


def test_serve_of_a_json_board_says_in_one_line_what_it_serves(pushed_json: Path) -> None:
    """What the facilitator reads in the terminal: the conversion, the database served, what to use next."""
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "gria_miro", "serve", str(pushed_json), "--token", TOKEN]
    for attempt in ("first", "second"):
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ)
        try:
            assert process.stdout is not None
            lines: list[str] = []
            while not lines or not lines[-1].startswith("Ctrl-C"):
                line = process.stdout.readline()
                assert line, process.stderr.read() if process.stderr else ""
                lines.append(line.rstrip("\n"))
        finally:
            process.terminate()
            process.wait(timeout=10)
        copy = pushed_json.with_suffix(".db")
        expected = "est converti en" if attempt == "first" else "se joue dans"
        assert expected in lines[0] and str(copy) in lines[0]
        assert f"Fichier : {copy}" in lines and f"  --board local:{copy}" in lines


def test_a_json_file_that_is_no_board_is_refused_with_its_line_and_nothing_is_converted(tmp_path: Path) -> None:
    """The conversion reads a JSON board file as every command does: a broken file names its line."""
    broken = tmp_path / "atelier.json"
    broken.write_text('{"format": "gria-miro-local-board",\n "boards": [\n', encoding="utf-8")
    with pytest.raises(NotABoardFile, match="JSON invalide ligne 3"):
        board_for_room(broken)
    assert not conversion.room_copy_path(broken).exists()
