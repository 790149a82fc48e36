"""login / whoami / logout and read-only tokens end to end, against the served local board (issue 12.3, 12.4).

The local board answers ``GET /v1/oauth-token`` with the spec's shape and refuses writes from a token
without ``boards:write``, as Miro does; the keychain is in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from gria_miro.errors import ExitStatus
from gria_miro.localboard.server import RunningServer, start_server
from tests.e2e.pushkit import run_cli
from tests.e2e.test_login import MemoryKeyring, paste

WRITER = "local-writer-token-0123456789abcdef"
READER = "local-reader-token-fedcba9876543210"


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningServer]:
    monkeypatch.delenv("MIRO_TOKEN", raising=False)
    monkeypatch.delenv("MIRO_API_URL", raising=False)
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    keyring.set_keyring(MemoryKeyring())
    running = start_server(tmp_path / "atelier.json", token=WRITER)
    running.engine.add_token(READER, ("boards:read",))
    try:
        yield running
    finally:
        running.stop()


def _secrets_absent(text: str) -> bool:
    return WRITER not in text and READER not in text


def test_login_then_whoami_then_logout(served: RunningServer, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    paste(monkeypatch, WRITER)
    login = run_cli(capsys, "login", "--api-url", served.url)
    assert login.code == 0, login.err
    assert "Permissions : boards:read, boards:write." in login.err
    who = run_cli(capsys, "whoami", "--api-url", served.url)
    assert who.code == 0, who.err
    lines = who.out.splitlines()
    assert lines[0].startswith("Équipe : ") and lines[1].startswith("Utilisateur : ")
    assert "Permissions : boards:read, boards:write" in lines
    assert "Jeton : le trousseau du système (gria-miro login)" in lines
    out = run_cli(capsys, "logout")
    assert out.code == 0 and "retiré du trousseau" in out.out
    again = run_cli(capsys, "whoami", "--api-url", served.url)
    assert again.code == ExitStatus.USER_ERROR and "gria-miro login" in again.err
    assert all(_secrets_absent(r.out + r.err) for r in (login, who, out, again))


def test_login_refuses_a_wrong_and_a_read_only_token(
    served: RunningServer, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    paste(monkeypatch, "not-a-token-anyone-knows")
    wrong = run_cli(capsys, "login", "--api-url", served.url)
    assert wrong.code == ExitStatus.API_ERROR and "Miro refuse ce jeton (400)" in wrong.err
    paste(monkeypatch, READER)
    reader = run_cli(capsys, "login", "--api-url", served.url)
    assert reader.code == ExitStatus.API_ERROR
    assert "ce jeton est en lecture seule (boards:read), rien n'a été écrit" in reader.err
    assert keyring.get_keyring().entries == {}  # type: ignore[attr-defined]
    assert _secrets_absent(wrong.out + wrong.err + reader.out + reader.err)


def test_push_with_a_read_only_token_stops_before_writing(served: RunningServer, capsys: Any) -> None:
    args = ["--board", served.board_id, "--api-url", served.url, "--token", READER]
    result = run_cli(capsys, "push", *args, "--yes")
    assert result.code == ExitStatus.API_ERROR
    assert "ce jeton est en lecture seule (boards:read), rien n'a été écrit" in result.err
    assert _secrets_absent(result.out + result.err)
    plan = run_cli(capsys, "plan", *args)  # reading is allowed, and shows nothing was created
    assert plan.code == 0, plan.err
    assert "0 à modifier, 0 à supprimer" in plan.out and " à créer" in plan.out
    pushed = run_cli(capsys, "push", "--board", served.board_id, "--api-url", served.url, "--token", WRITER, "--yes")
    assert pushed.code == 0, pushed.err
