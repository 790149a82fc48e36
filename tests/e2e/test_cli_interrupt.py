"""Ctrl-C during a real ``gria-miro push`` process: French message, exit 130, state saved, resumable."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest

from gria_miro.sync.manifest import is_lock, is_manifest
from tests.e2e.pushkit import card_counts, expected_items, read_local


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", "from gria_miro.cli import main; main()", *args]
    return subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _state_files(folder: Path) -> list[Path]:
    """The saved state files (not the temporary files of an atomic write, nor lock files)."""
    return sorted(folder.glob("board-*.json")) if folder.is_dir() else []


@pytest.mark.slow
def test_sigint_mid_push_prints_the_resume_message_and_keeps_the_state(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    env = dict(os.environ, GRIA_MIRO_STATE_DIR=str(state_dir), GRIA_MIRO_LOCAL_LATENCY_MS="1000")
    process = _cli("push", "--board", "local:atelier.json", "--yes", env=env, cwd=tmp_path)
    deadline = time.monotonic() + 60
    while not _state_files(state_dir):  # the frames are written and saved, the cards in flight
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)

    assert process.returncode == 130, err
    assert err.strip().splitlines()[-1] == (
        "Interrompu. Ce qui a déjà été fait est enregistré ; relancez la commande pour reprendre."
    )
    assert "Traceback" not in err
    (state_file,) = _state_files(state_dir)
    saved = json.loads(state_file.read_text(encoding="utf-8"))
    assert saved["items"], "what was written before Ctrl-C is in the state"

    env.pop("GRIA_MIRO_LOCAL_LATENCY_MS")
    resumed = _cli("push", "--board", "local:atelier.json", "--yes", env=env, cwd=tmp_path)
    _, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    board = read_local(tmp_path / "atelier.json")
    assert len(board.items) == expected_items() + 1, "each item once, plus the manifest"
    assert sum(is_manifest(i) for i in board.items) == 1 and not any(is_lock(i) for i in board.items)
    assert set(card_counts(board).values()) == {1}


class _BusyMiro(http.server.BaseHTTPRequestHandler):
    """A Miro that shows the board but answers every listing 429, come back in a minute."""

    board_id = "uXjVOD6LSME="
    refused: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        if self.path.split("?")[0].rstrip("/").endswith("/v2/boards/uXjVOD6LSME%3D"):
            self._answer(200, {"id": self.board_id, "name": "Atelier"})
        else:
            self.refused.append(self.path)
            self._answer(429, {"status": 429, "code": "tooManyRequests", "message": "Too many requests"}, wait="60")

    def _answer(self, status: int, body: dict[str, object], wait: str | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if wait is not None:
            self.send_header("Retry-After", wait)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.slow
def test_sigint_while_miro_says_wait_a_minute_ends_the_process_at_once(tmp_path: Path) -> None:
    """Before, the listings waiting for their 429 went on waiting (then retrying) in pool threads and
    the process could only end once they had: a minute or more after the « Interrompu » line."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BusyMiro)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _BusyMiro.refused.clear()
    with contextlib.ExitStack() as stop:
        stop.callback(server.server_close)
        stop.callback(server.shutdown)
        env = dict(os.environ, GRIA_MIRO_STATE_DIR=str(tmp_path / "state"), MIRO_TOKEN="eyJmiro-test-token-0123456789")
        api = f"http://127.0.0.1:{server.server_address[1]}"
        process = _cli("pull", "--board", _BusyMiro.board_id, "--api-url", api, env=env, cwd=tmp_path)
        stop.callback(process.kill)  # never left running, whatever fails
        deadline = time.monotonic() + 30
        # the read has started and waits: a listing for its 429, the others for the credits that 429 blocked
        while not _BusyMiro.refused:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.3)
        asked = len(_BusyMiro.refused)
        interrupted = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=90)
        ended_after = time.monotonic() - interrupted
    assert process.returncode == 130, err
    assert "Interrompu" in err and "Traceback" not in err
    assert ended_after < 5.0, f"le processus a mis {ended_after:.1f} s à s'arrêter après Ctrl-C"
    assert len(_BusyMiro.refused) == asked  # no listing asked again after Ctrl-C
