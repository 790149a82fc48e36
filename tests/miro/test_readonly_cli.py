"""``gria-miro push`` with a read-only token stops before any write, saying so in French (issue 12.4)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests
import responses

from gria_miro.errors import ExitStatus
from tests.conftest import SECRET_TOKEN
from tests.e2e.pushkit import run_cli
from tests.miro.conftest import API, BOARD, BOARD_ID
from tests.miro.test_token import TOKEN_URL, token_info


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    state = tmp_path / "state"
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(state))
    monkeypatch.setenv("MIRO_TOKEN", SECRET_TOKEN)
    monkeypatch.delenv("MIRO_API_URL", raising=False)
    return state


def _board(mock: responses.RequestsMock, scopes: list[str]) -> None:
    def items(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        return 200, {}, json.dumps({"data": [], "limit": 50})

    mock.get(BOARD, json={"id": BOARD_ID, "name": "Atelier"})
    mock.get(f"{BOARD}/members", json={"data": [], "limit": 50})
    mock.add_callback(responses.GET, f"{BOARD}/items", callback=items)
    mock.get(TOKEN_URL, json=token_info(scopes))
    mock.add(responses.POST, re.compile(f"{re.escape(API)}/.*"), status=405)
    mock.add(responses.PATCH, re.compile(f"{re.escape(API)}/.*"), status=405)


@pytest.mark.parametrize("command", ["push", "clean"])
def test_a_read_only_token_is_named_before_any_write(
    env: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        _board(mock, ["boards:read"])
        result = run_cli(capsys, command, "--board", BOARD_ID, "--yes")
        methods = {call.request.method for call in mock.calls}
    assert result.code == ExitStatus.API_ERROR
    assert "ce jeton est en lecture seule (boards:read), rien n'a été écrit" in result.err
    assert "docs/jeton-miro.md" in result.err and "Traceback" not in result.err
    assert methods == {"GET"}  # not one write was attempted
    assert SECRET_TOKEN not in result.out + result.err
    assert not env.exists() or all(SECRET_TOKEN not in p.read_text() for p in env.rglob("*") if p.is_file())


def test_plan_with_a_read_only_token_still_works(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        _board(mock, ["boards:read"])
        result = run_cli(capsys, "plan", "--board", BOARD_ID)
        asked_token = any("oauth-token" in str(call.request.url) for call in mock.calls)
    assert result.code == 0, result.err
    assert "à créer" in result.out and not asked_token
