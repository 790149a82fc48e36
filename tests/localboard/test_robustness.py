"""Robustness: the board file under kills, bad files and two writers; the server's error answers; faults."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from gria_miro.localboard.adapter import local_session, open_local_board
from gria_miro.localboard.faults import FaultPlan
from gria_miro.localboard.server import start_server
from gria_miro.localboard.sqlstore import SqliteBoardStore
from gria_miro.localboard.store import BoardFile, NotABoardFile, ensure_board

ROOT = Path(__file__).resolve().parents[2]

_WRITER = """
import sys
from gria_miro.localboard.adapter import local_session, open_local_board
target = open_local_board(sys.argv[1])
session = local_session(target)
url = f"{target.base_url}/v2/boards/{target.board_id}/sticky_notes"
count = int(sys.argv[2])
print("ready", flush=True)
i = 0
while count < 0 or i < count:
    response = session.post(url, json={"data": {"content": "x" * 2000 + str(i)}})
    assert response.status_code == 201, response.text
    i += 1
"""


def _writer(path: Path, count: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), str(count)], stdout=subprocess.PIPE, text=True, env=env
    )


def _items(path: Path) -> int:
    state = json.loads(path.read_text(encoding="utf-8"))
    return sum(len(board["items"]) for board in state["boards"].values())


def test_board_file_survives_sigkill_mid_write(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    process = _writer(path, -1)
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 10
    while (not path.exists() or _items(path) < 20) and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    count = _items(path)  # still valid JSON, still a board
    assert count >= 20
    target = open_local_board(path)
    response = local_session(target).get(f"{target.base_url}/v2/boards/{target.board_id}/items")
    assert response.status_code == 200 and response.json()["total"] == count


def test_two_processes_writing_the_same_file_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "board.json"
    ensure_board(BoardFile(path))
    writers = [_writer(path, 25) for _ in range(2)]
    for process in writers:
        assert process.wait(timeout=60) == 0
    assert _items(path) == 50
    ids = [i for b in json.loads(path.read_text())["boards"].values() for i in b["items"]]
    assert len(set(ids)) == 50


@pytest.mark.parametrize(
    "content",
    ['{"name": "pas un tableau"}', "not json at all", '{"format": "gria-miro-localboard", "version": 99}'],
)
def test_a_file_that_is_not_a_board_is_refused_in_french(tmp_path: Path, content: str) -> None:
    path = tmp_path / "deck.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NotABoardFile) as caught:
        open_local_board(path)
    assert str(path) in caught.value.one_line() and "n'est pas un tableau local" in caught.value.one_line()
    assert path.read_text(encoding="utf-8") == content  # untouched


def test_a_missing_file_is_created_with_one_empty_board(tmp_path: Path) -> None:
    target = open_local_board(tmp_path / "new.json")
    assert list(json.loads((tmp_path / "new.json").read_text())["boards"]) == [target.board_id]


def test_server_answers_garbage_with_miro_errors_never_a_traceback(tmp_path: Path) -> None:
    with start_server(tmp_path / "b.json", token="tok") as server:
        auth = {"Authorization": "Bearer tok", "Content-Type": "application/json"}
        base = f"{server.url}/v2/boards/{server.board_id}"
        for method, url, data in [
            ("POST", f"{base}/cards", b"{oops"),
            ("POST", f"{base}/cards", b"\xff\xfe"),
            ("GET", f"{server.url}/v1/anything", None),
            ("GET", f"{server.url}/static/absent.js", None),  # "/" is the web board (tests/web)
            ("POST", f"{base}/cards", b"x" * 1_500_000),
        ]:
            response = requests.request(method, url, data=data, headers=auth, timeout=5)
            body = response.json()
            assert response.status_code in (400, 404, 413) and body["type"] == "error", (url, body)
            assert "Traceback" not in response.text
        assert requests.get(f"{base}/items", timeout=5).status_code == 401
        assert requests.get(f"{base}/items", headers={"Authorization": "Bearer nope"}, timeout=5).status_code == 401
        where = urlsplit(server.url)
        with socket.create_connection((where.hostname, where.port)) as s:
            s.sendall(b"POST /v2/boards HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n")
            assert b"400" in s.recv(4096).split(b"\r\n")[0]


def _kinds(plan: FaultPlan, n: int = 200) -> list[str | None]:
    return [plan.next().kind for _ in range(n)]


def test_fault_plan_is_deterministic_per_seed() -> None:
    shares = {"p_500": 0.1, "p_429": 0.1, "p_drop_before": 0.05, "p_drop_after": 0.05}
    first, again, other = (_kinds(FaultPlan(seed=s, **shares)) for s in (7, 7, 8))
    assert first == again and first != other
    assert {"500", "429", "drop_before", "drop_after", None} <= set(first)
    assert set(_kinds(FaultPlan(seed=7))) == {None}  # off by default


def test_drop_after_commits_the_write_then_raises_connection_error(tmp_path: Path) -> None:
    target = open_local_board(tmp_path / "b.json", faults=FaultPlan(seed=1, p_drop_after=1.0))
    session = local_session(target)
    with pytest.raises(requests.ConnectionError):
        session.post(f"{target.base_url}/v2/boards/{target.board_id}/cards", json={"data": {"title": "x"}})
    assert _items(tmp_path / "b.json") == 1


def test_drop_before_and_429_over_http(tmp_path: Path) -> None:
    plan = FaultPlan(seed=3, p_drop_before=1.0)
    with start_server(tmp_path / "b.db", token="tok", faults=plan) as server:
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{server.url}/v2/boards/{server.board_id}", headers={"Authorization": "Bearer tok"})
    store = SqliteBoardStore(tmp_path / "b.db", create=False)
    assert sum(len(board["items"]) for board in store.load_state()["boards"].values()) == 0
    store.close()
    plan = FaultPlan(seed=3, p_429=1.0, p_429_retry_after=True)
    with start_server(tmp_path / "c.json", token="tok", faults=plan) as server:
        response = requests.get(f"{server.url}/v2/boards/{server.board_id}", headers={"Authorization": "Bearer tok"})
        assert response.status_code == 429 and response.headers["Retry-After"] == "1"
        assert response.json()["code"] == "tooManyRequests"
