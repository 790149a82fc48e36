"""A served SQLite board shows live what other processes write to it (``push --board local:atelier.db``
while ``serve atelier.db`` runs), as fine-grained changes, and the server's own writes stay one event each."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

from gria_miro.localboard.engine import BoardEngine
from gria_miro.localboard.server import RunningServer, start_server
from gria_miro.localboard.sqlstore import SqliteBoardStore
from tests.web.test_server_room import TOKEN, _auth, _board, _frame, _Stream

OTHER = "token-of-another-process"


def _other_engine(path: Path) -> BoardEngine:
    """What another ``gria-miro`` process opens: its own store object and connection on the same file."""
    return BoardEngine(SqliteBoardStore(path), token=OTHER)


def _call(engine: BoardEngine, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    headers = {**_auth(OTHER), "Content-Type": "application/json"}
    status, _, payload = engine.handle(method, path, {}, headers, json.dumps(body).encode() if body else b"")
    assert status < 300, payload
    return json.loads(payload) if payload else {}


def _changes_until_quiet(stream: _Stream, quiet: float) -> list[dict[str, Any]]:
    """Every change the stream delivers until none comes for ``quiet`` seconds."""
    changes: list[dict[str, Any]] = []
    stream.sock.settimeout(quiet)
    try:
        while True:
            changes.append(stream.next_change())
    except TimeoutError:
        return changes


@contextlib.contextmanager
def _served_beside_another_writer(tmp_path: Path) -> Iterator[tuple[RunningServer, str, _Stream, BoardEngine]]:
    """A served board with a frame, an open event stream, and another process's engine on the same file."""
    board = tmp_path / "atelier.db"
    with start_server(board, token=TOKEN) as server:
        frame = _frame(server)
        stream = _Stream(server, TOKEN)
        other = _other_engine(board)
        try:
            yield server, frame, stream, other
        finally:
            stream.close()
            other.backend.close()  # type: ignore[attr-defined]


def test_a_write_by_another_process_reaches_open_streams_within_a_second_as_items(tmp_path: Path) -> None:
    with _served_beside_another_writer(tmp_path) as (server, frame, stream, other):
        started = time.monotonic()
        note = _call(
            other,
            "POST",
            f"/v2/boards/{server.board_id}/sticky_notes",
            {"data": {"content": "écrit à côté"}, "parent": {"id": frame}, "position": {"x": 100, "y": 100}},
        )
        change = stream.next_change()
        assert time.monotonic() - started < 1.0
        assert "reload" not in change
        [item] = change["items"]  # type: ignore[misc]
        assert item["id"] == note["id"] and item["data"]["content"] == "écrit à côté"
        assert item["parent"]["id"] == frame and item["links"]["self"].startswith(server.url)  # as the API shows

        _call(other, "DELETE", f"/v2/boards/{server.board_id}/sticky_notes/{note['id']}")
        assert stream.next_change()["deleted"] == [note["id"]]


def test_own_writes_are_one_event_each_while_another_process_writes_and_nothing_is_lost(tmp_path: Path) -> None:
    with _served_beside_another_writer(tmp_path) as (server, frame, stream, other):
        own_ids: list[str] = []
        other_ids: list[str] = []

        def own_writes() -> None:
            with requests.Session() as session:
                for n in range(25):
                    body = {"data": {"content": f"ici {n}"}, "parent": {"id": frame}, "position": {"x": 50, "y": 50}}
                    made = session.post(f"{_board(server)}/sticky_notes", json=body, headers=_auth(TOKEN), timeout=5)
                    assert made.status_code == 201
                    own_ids.append(made.json()["id"])
                    moved = session.patch(
                        f"{_board(server)}/items/{own_ids[-1]}",
                        json={"position": {"x": 60 + n}},
                        headers=_auth(TOKEN),
                        timeout=5,
                    )
                    assert moved.status_code == 200

        def other_writes() -> None:
            for n in range(25):
                body = {"data": {"content": f"là {n}"}, "parent": {"id": frame}, "position": {"x": 300, "y": 300}}
                other_ids.append(_call(other, "POST", f"/v2/boards/{server.board_id}/sticky_notes", body)["id"])

        threads = [threading.Thread(target=own_writes), threading.Thread(target=other_writes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        changes = _changes_until_quiet(stream, quiet=1.0)  # five looks of the watcher with nothing new

    assert not [c for c in changes if c.get("reload")]
    revisions = [c["rev"] for c in changes]
    assert revisions == list(range(revisions[0], revisions[0] + len(revisions)))  # in order, none missing
    seen = Counter(item["id"] for change in changes for item in change["items"])
    # the server's own writes: one event per request (a create, then a move), never repeated by the watcher
    own_events = [c for c in changes if len(c["items"]) == 1 and c["items"][0]["id"] in own_ids]
    assert len(own_events) == 2 * len(own_ids) == 50
    assert all(seen[item_id] == 2 for item_id in own_ids)
    # the other process's writes: each note exactly once, as it is on the board
    assert all(seen[item_id] == 1 for item_id in other_ids), seen
    final = {item["id"]: item for change in changes for item in change["items"]}
    for n, item_id in enumerate(own_ids):
        assert final[item_id]["position"]["x"] == 60 + n


def test_a_server_that_is_the_only_writer_sends_nothing_more_than_its_own_writes(tmp_path: Path) -> None:
    with start_server(tmp_path / "atelier.db", token=TOKEN) as server:
        stream = _Stream(server, TOKEN, since=0)
        try:
            frame = _frame(server)
            link = server.join_url(1).split("#k=", 1)[1].split("&", 1)[0]
            joined = requests.post(f"{server.url}/local/members", json={"name": "Camille"}, headers=_auth(link))
            assert joined.status_code == 201
            changes = _changes_until_quiet(stream, quiet=0.8)
        finally:
            stream.close()
    assert [(c["rev"], [i["id"] for i in c["items"]], c.get("members")) for c in changes] == [
        (1, [frame], None),
        (2, [], True),
    ]


def test_a_server_started_on_a_board_already_written_sends_no_old_change(tmp_path: Path) -> None:
    board = tmp_path / "atelier.db"
    other = _other_engine(board)
    board_id = other.create_board()
    _call(other, "POST", f"/v2/boards/{board_id}/frames", {"data": {"title": "Zone"}})
    with start_server(board, token=TOKEN) as server:
        assert server.board_id == board_id
        stream = _Stream(server, TOKEN, since=0)
        try:
            assert _changes_until_quiet(stream, quiet=0.6) == []  # the board as it was is read, not replayed
            assert server.feed.revision == 0
        finally:
            stream.close()
            other.backend.close()  # type: ignore[attr-defined]
