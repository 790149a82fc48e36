"""The same loop as with Miro on a served board: push, participants play through join links, re-push keeps
their moves, and pull through the server gives the roadmap pull gives from the board file itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from gria_miro.localboard.server import start_server
from tests.e2e.pushkit import run_cli

TOKEN = "served-loop-api-token"


def _json(path: Path) -> dict[str, object]:
    roadmap: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    roadmap.pop("board")  # the address differs: the server's URL or the file
    return roadmap


def test_pull_through_the_server_equals_pull_from_the_file_after_play_and_repush(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    board_file = tmp_path / "atelier.json"
    with start_server(board_file, token=TOKEN) as server:
        served = ["--board", server.board_id, "--api-url", server.url, "--token", TOKEN]
        assert run_cli(capsys, "push", *served, "--yes").code == 0
        link = {"Authorization": "Bearer " + server.join_url(1).split("#k=")[1].split("&")[0]}
        base = f"{server.url}/v2/boards/{server.board_id}"
        frames = requests.get(f"{base}/items?type=frame&limit=50", headers=link, timeout=5).json()["data"]
        stage = next(f for f in frames if "départ" in f["data"]["title"])
        cards = requests.get(f"{base}/items?type=card&limit=10", headers=link, timeout=5).json()["data"]
        member = requests.post(f"{server.url}/local/members", json={"name": "Inès"}, headers=link, timeout=5).json()
        for n, card in enumerate(cards[:3]):
            body = {"parent": {"id": stage["id"]}, "position": {"x": 180 + 360 * (n % 2), "y": 120 + 130 * (n // 2)}}
            assert requests.patch(f"{base}/items/{card['id']}", json=body, headers=link, timeout=5).ok
        owner = {"data": {"assigneeId": member["id"], "dueDate": "2026-11-30T00:00:00Z"}}
        assert requests.patch(f"{base}/cards/{cards[0]['id']}", json=owner, headers=link, timeout=5).ok

        repush = run_cli(capsys, "push", *served, "--yes")
        assert repush.code == 0 and "Aucun changement" in repush.out, repush.out
        assert run_cli(capsys, "pull", *served, "--format", "json", "-o", str(tmp_path / "served.json")).code == 0
    assert (
        run_cli(
            capsys, "pull", "--board", f"local:{board_file}", "--format", "json", "-o", str(tmp_path / "file.json")
        ).code
        == 0
    )

    through_server, from_file = _json(tmp_path / "served.json"), _json(tmp_path / "file.json")
    assert through_server == from_file
    placed = through_server["teams"][0]["stages"][1]["cards"]  # type: ignore[index]
    assert len(placed) == 3 and placed[0]["owner"] == "Inès" and placed[0]["due_date"] == "2026-11-30"
