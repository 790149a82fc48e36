"""``gria-miro serve`` holds a room: join links and their limits, the live feed, bounded resources, bursts,
chunked bodies, IPv6, and a failed bind that touches no file."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from gria_miro.localboard.server import RunningServer, start_server
from tests.e2e.pushkit import run_cli

TOKEN = "api-token-for-tests"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[RunningServer]:
    with start_server(tmp_path / "board.json", token=TOKEN, teams=2) as server:
        yield server


def _link_token(server: RunningServer, team: int | None) -> str:
    return server.join_url(team).split("#k=", 1)[1].split("&", 1)[0]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _board(server: RunningServer) -> str:
    return f"{server.url}/v2/boards/{server.board_id}"


def _frame(server: RunningServer) -> str:
    body = {"data": {"title": "Étape 2"}, "position": {"x": 0, "y": 0}, "geometry": {"width": 800, "height": 600}}
    response = requests.post(f"{_board(server)}/frames", json=body, headers=_auth(TOKEN), timeout=5)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _address(server: RunningServer) -> tuple[str, int]:
    where = urlsplit(server.url)
    assert where.hostname and where.port
    return where.hostname, where.port


# ----------------------------------------------------------------------------- the web board and its links


def test_the_web_board_is_served_at_the_root_with_a_strict_content_policy(served: RunningServer) -> None:
    page = requests.get(f"{served.url}/", timeout=5)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert '<html lang="fr">' in page.text and "/static/board.js" in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    for name, kind in [("board.js", "text/javascript"), ("board.css", "text/css")]:
        answer = requests.get(f"{served.url}/static/{name}", timeout=5)
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(kind) and answer.content
    for name in ("server.py", "%2e%2e/server.py", "..%2fserver.py"):  # only the shipped web files
        assert requests.get(f"{served.url}/static/{name}", timeout=5).status_code == 404


def test_links_are_one_per_team_plus_the_facilitator_and_carry_the_token_in_the_fragment(
    served: RunningServer,
) -> None:
    links = [served.join_url(None), served.join_url(1), served.join_url(2)]
    assert all(link.startswith(f"{served.url}/#k=") for link in links)
    assert links[1].endswith("&equipe=1") and links[2].endswith("&equipe=2")
    tokens = {_link_token(served, team) for team in (None, 1, 2)}
    assert len(tokens) == 3 and TOKEN not in tokens
    session = requests.get(f"{served.url}/local/session", headers=_auth(_link_token(served, 2)), timeout=5)
    assert session.json() == {
        "boardId": served.board_id,
        "label": "Équipe 2",
        "team": 2,
        "teams": 2,
        "revision": 0,
    }


def test_a_link_edits_items_through_the_same_engine_but_nothing_else(served: RunningServer) -> None:
    frame = _frame(served)
    link = _auth(_link_token(served, 1))
    note = {"data": {"content": "<p>Relire</p>"}, "parent": {"id": frame}, "position": {"x": 100, "y": 100}}
    created = requests.post(f"{_board(served)}/sticky_notes", json=note, headers=link, timeout=5)
    assert created.status_code == 201 and created.json()["parent"]["id"] == frame
    moved = requests.patch(
        f"{_board(served)}/items/{created.json()['id']}",
        json={"position": {"x": 900, "y": 100}},
        headers=link,
        timeout=5,
    )
    assert moved.status_code == 400  # the engine's own rule: outside the frame
    assert "outside of parent" in moved.json()["message"]
    for method, url in [
        ("DELETE", _board(served)),
        ("PATCH", _board(served)),
        ("GET", f"{served.url}/v2/boards"),
        ("GET", f"{served.url}/v1/oauth-token"),
        ("POST", f"{_board(served)}/tags"),
    ]:
        refused = requests.request(method, url, json={"title": "x"}, headers=link, timeout=5)
        assert refused.status_code == 403, (method, url, refused.text)
    assert requests.get(f"{_board(served)}/items", headers=_auth("forged"), timeout=5).status_code == 401
    assert requests.get(f"{served.url}/local/session", timeout=5).status_code == 401
    assert requests.get(_board(served), headers=_auth(TOKEN), timeout=5).status_code == 200  # board still there


def test_joining_adds_a_board_member_that_cards_can_be_assigned_to(served: RunningServer) -> None:
    link = _auth(_link_token(served, 1))
    joined = requests.post(f"{served.url}/local/members", json={"name": "  Camille  Durand "}, headers=link, timeout=5)
    assert joined.status_code == 201 and joined.json()["name"] == "Camille Durand"
    members = requests.get(f"{_board(served)}/members", headers=link, timeout=5).json()["data"]
    assert "Camille Durand" in [m["name"] for m in members]
    refused = requests.post(f"{served.url}/local/members", json={"name": " "}, headers=link, timeout=5)
    assert refused.status_code == 400 and "prénom" in refused.json()["message"]


# ----------------------------------------------------------------------------- live feed


class _Stream:
    """A raw server-sent events reader (what the browser's fetch reader sees)."""

    def __init__(self, server: RunningServer, token: str, since: int | None = None) -> None:
        self.sock = socket.create_connection(_address(server), timeout=5)
        query = f"?since={since}" if since is not None else ""
        self.sock.sendall(
            f"GET /local/events{query} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
        )
        self.buffer = b""
        head = self._until(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200") and b"text/event-stream" in head

    def _until(self, mark: bytes) -> bytes:
        while mark not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("stream closed")
            self.buffer += chunk
        block, self.buffer = self.buffer.split(mark, 1)
        return block

    def next_change(self) -> dict[str, object]:
        while True:
            block = self._until(b"\n\n").decode()
            data = [line[5:] for line in block.split("\n") if line.startswith("data:")]
            if data:
                change: dict[str, object] = json.loads("\n".join(data))
                return change

    def close(self) -> None:
        self.sock.close()


def test_every_write_reaches_open_streams_in_order_within_a_second(served: RunningServer) -> None:
    frame = _frame(served)
    streams = [_Stream(served, _link_token(served, team)) for team in (None, 1, 2)]
    try:
        card = requests.post(
            f"{_board(served)}/cards",
            json={"data": {"title": "GOV-01"}, "parent": {"id": frame}, "position": {"x": 200, "y": 200}},
            headers=_auth(TOKEN),
            timeout=5,
        ).json()
        started = time.monotonic()
        link = _auth(_link_token(served, 1))
        requests.patch(f"{_board(served)}/items/{card['id']}", json={"position": {"x": 300}}, headers=link, timeout=5)
        requests.delete(f"{_board(served)}/items/{card['id']}", headers=link, timeout=5)
        for stream in streams:
            created, moved, deleted = (stream.next_change() for _ in range(3))
            assert [c["rev"] for c in (created, moved, deleted)] == [2, 3, 4]
            assert created["items"][0]["id"] == card["id"]  # type: ignore[index]
            assert moved["items"][0]["position"]["x"] == 300  # type: ignore[index]
            assert deleted["deleted"] == [card["id"]]
        assert time.monotonic() - started < 1.0
    finally:
        for stream in streams:
            stream.close()


def test_tagging_a_card_and_taking_the_tag_off_again_sends_no_deletion(served: RunningServer) -> None:
    """``DELETE …/items/{id}?tag_id=`` takes a tag off an item (Miro's path for it): the card stays on
    every open board. Tags are not drawn on the web board, so neither tag link is an event."""
    frame = _frame(served)
    stream = _Stream(served, TOKEN)
    try:
        api = _auth(TOKEN)
        card = requests.post(
            f"{_board(served)}/cards",
            json={"data": {"title": "GOV-01"}, "parent": {"id": frame}, "position": {"x": 200, "y": 200}},
            headers=api,
            timeout=5,
        ).json()
        tag = requests.post(f"{_board(served)}/tags", json={"title": "prioritaire"}, headers=api, timeout=5).json()
        for method in ("POST", "DELETE"):
            linked = requests.request(
                method, f"{_board(served)}/items/{card['id']}", params={"tag_id": tag["id"]}, headers=api, timeout=5
            )
            assert linked.status_code in (200, 204), linked.text
        requests.patch(f"{_board(served)}/items/{card['id']}", json={"position": {"x": 300}}, headers=api, timeout=5)
        created, moved = stream.next_change(), stream.next_change()
        assert created["items"][0]["id"] == card["id"]  # type: ignore[index]
        assert moved["deleted"] == [] and moved["items"][0]["position"]["x"] == 300  # type: ignore[index]
    finally:
        stream.close()


def test_a_stream_resumes_from_a_revision_and_holds_no_worker(served: RunningServer) -> None:
    frame = _frame(served)  # revision 1
    before = threading.active_count()
    streams = [_Stream(served, TOKEN, since=0) for _ in range(60)]  # more streams than worker threads
    try:
        assert all(s.next_change()["items"][0]["id"] == frame for s in streams)  # type: ignore[index]
        assert threading.active_count() <= before + 1
        assert served.feed.stream_count == 60
        assert requests.get(_board(served), headers=_auth(TOKEN), timeout=2).status_code == 200
    finally:
        for stream in streams:
            stream.close()


# ----------------------------------------------------------------------------- a server that holds a room


def test_idle_and_silent_connections_hold_no_thread_and_do_not_starve_others(served: RunningServer) -> None:
    requests.get(f"{served.url}/", timeout=5)  # workers started
    before = threading.active_count()
    idle = [socket.create_connection(_address(served), timeout=5) for _ in range(320)]
    try:
        time.sleep(0.2)
        assert threading.active_count() == before  # no thread per connection
        started = time.monotonic()
        assert requests.get(_board(served), headers=_auth(TOKEN), timeout=5).status_code == 200
        assert time.monotonic() - started < 1.0
    finally:
        for sock in idle:
            sock.close()


def test_a_connection_that_stops_mid_request_is_closed_after_the_read_timeout(
    served: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gria_miro.localboard import server as server_module

    monkeypatch.setattr(server_module._Handler, "timeout", 0.3)
    with socket.create_connection(_address(served), timeout=5) as sock:
        sock.sendall(b"GET /v2/boards HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        time.sleep(0.6)
        sock.settimeout(2)
        with contextlib.suppress(ConnectionResetError):
            assert sock.recv(100) == b""  # closed by the server


def test_a_burst_of_200_connections_is_answered_without_resets(served: RunningServer) -> None:
    def one(_: int) -> int:
        with socket.create_connection(_address(served), timeout=10) as sock:
            sock.sendall(f"GET /v2/boards/{served.board_id} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n".encode())
            sock.sendall(f"Authorization: Bearer {TOKEN}\r\n\r\n".encode())
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
            return int(data.split(b" ", 2)[1])

    with ThreadPoolExecutor(max_workers=200) as pool:
        statuses = list(pool.map(one, range(200)))
    assert statuses == [200] * 200


def test_chunked_request_bodies_are_read_and_bounded(served: RunningServer) -> None:
    body = json.dumps({"data": {"title": "Carte envoyée par morceaux"}}).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:10], body[10:])) + b"0\r\n\r\n"
    head = (
        f"POST /v2/boards/{served.board_id}/cards HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(_address(served), timeout=5) as sock:
        sock.sendall(head + chunks)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 201")
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["data"]["title"] == "Carte envoyée par morceaux"
    huge = b"ffff\r\n" + b"x" * 0xFFFF + b"\r\n"
    with socket.create_connection(_address(served), timeout=5) as sock:
        sock.sendall(head)
        with contextlib.suppress(OSError):
            for _ in range(20):  # 1.3 MB, more than a request may carry
                sock.sendall(huge)
        status = sock.recv(100)
    assert status.startswith(b"HTTP/1.1 413")


def test_ipv6_loopback(tmp_path: Path) -> None:
    if not socket.has_ipv6:
        pytest.skip("pas d'IPv6 sur cette machine")
    try:
        server = start_server(tmp_path / "b.json", host="::1", token=TOKEN)
    except OSError as exc:
        pytest.skip(f"::1 indisponible ici ({exc})")
    with server:
        assert server.url.startswith("http://[::1]:")
        assert requests.get(f"{server.url}/v2/boards/{server.board_id}", headers=_auth(TOKEN), timeout=5).ok


def test_serve_on_an_impossible_port_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli(capsys, "serve", "atelier.json", "--port", "99999")
    assert run.code == 2 and "--port 99999" in run.err
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = run_cli(capsys, "serve", "atelier.json", "--port", str(port))
    assert run.code == 2 and "Impossible d'écouter" in run.err and "Traceback" not in run.err
    assert list(tmp_path.iterdir()) == []  # no board file, no lock file


def test_no_token_or_link_reaches_a_log(served: RunningServer, capfd: pytest.CaptureFixture[str]) -> None:
    link = _link_token(served, 1)
    requests.get(f"{served.url}/local/session", headers=_auth(link), timeout=5)
    requests.get(f"{_board(served)}/items", headers=_auth("wrong-" + link), timeout=5)
    requests.get(f"{served.url}/nowhere?k={link}", timeout=5)
    with socket.create_connection(_address(served), timeout=5) as sock:
        sock.sendall(b"garbage\r\n\r\n")
        sock.recv(100)
    captured = capfd.readouterr()
    assert link not in captured.out + captured.err and TOKEN not in captured.out + captured.err


def test_participants_spend_no_api_credits_but_the_api_token_does(tmp_path: Path) -> None:
    from gria_miro.localboard.engine import BoardEngine

    with start_server(BoardEngine(credits_per_minute=300), token=TOKEN, teams=1) as server:
        link = _auth(_link_token(server, 1))
        frame = {"data": {"title": "Zone"}, "geometry": {"width": 400, "height": 400}}
        made = requests.post(f"{_board(server)}/frames", json=frame, headers=_auth(TOKEN), timeout=5)
        assert made.status_code == 201
        for n in range(30):  # as a room would: many moves, no Miro budget
            body = {"data": {"content": f"note {n}"}, "parent": {"id": made.json()["id"]}}
            assert (
                requests.post(f"{_board(server)}/sticky_notes", json=body, headers=link, timeout=5).status_code == 201
            )
        statuses = [requests.get(_board(server), headers=_auth(TOKEN), timeout=5).status_code for _ in range(10)]
        assert 429 in statuses  # the facilitator's tool is paced like Miro's REST API


def test_a_multi_team_board_gets_one_link_per_team_named_as_on_the_board(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gria_miro.deck.loading import load_deck
    from gria_miro.layout.engine import compute_board
    from gria_miro.layout.loading import load_layout

    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    board = tmp_path / "atelier.json"
    pushed = run_cli(
        capsys, "push", "--board", f"local:{board}", "--layout", "atelier-multi-equipes", "--teams", "3", "--yes"
    )
    assert pushed.code == 0, pushed.err
    names = [
        team.name for team in compute_board(load_deck("gria-fr"), load_layout("atelier-multi-equipes"), teams=3).teams
    ]
    with start_server(board, token=TOKEN) as server:
        assert [link.label for link in server.access.team_links()] == names
        assert [link.team for link in server.access.team_links()] == [1, 2, 3]
