"""Ctrl-C during a real ``gria-miro push`` process: French message, exit 130, state saved, resumable."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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
