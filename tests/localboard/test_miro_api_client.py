"""Contract test: Miro's official Python client (``miro_api``, PyPI ``miro-api``) drives ``gria-miro serve``.

The client pins ``urllib3<2``, which would clash with this project's environment, so it lives in its
own venv (created once per machine in the temp folder, reused after). The driver
(``miro_api_driver/drive.py``) goes through boards, token information, frames, cards, app cards,
bulk, cursor and offset pagination, moves into a frame, rich text, tags, members, deletes and a
wrong token, asserting what the client deserializes. Without PyPI the test is skipped, saying so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from gria_miro.localboard.server import start_server

pytestmark = pytest.mark.slow

MIRO_API = "miro-api==2.2.4"
DRIVER = Path(__file__).with_name("miro_api_driver") / "drive.py"


def _python_with_miro_api() -> Path:
    venv = Path(tempfile.gettempdir()) / f"gria-miro-tests-{MIRO_API.replace('==', '-')}"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if python.exists() and subprocess.run([python, "-c", "import miro_api"], capture_output=True).returncode == 0:
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True)
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", MIRO_API], capture_output=True, text=True, timeout=600
    )
    if install.returncode != 0:
        pytest.skip(f"{MIRO_API} could not be installed (no access to PyPI?): {install.stderr.strip()[-300:]}")
    return python


def test_miro_official_client_drives_the_served_board(tmp_path: Path) -> None:
    python = _python_with_miro_api()
    with start_server(tmp_path / "board.json", token="contract-token-miro-api") as server:
        done = subprocess.run(
            [python, str(DRIVER), server.url, server.token, server.board_id],
            capture_output=True,
            text=True,
            timeout=300,
            env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)},
        )
    steps = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0, (steps, done.stderr[-3000:])
    assert [s["step"] for s in steps] == [
        "token_info", "boards", "get_board", "frame", "cards", "bulk", "pagination", "moves", "tags", "members",
        "deletes", "unauthorized", "done",
    ]  # fmt: skip
    assert "contract-token-miro-api" not in done.stdout + done.stderr
