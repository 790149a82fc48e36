"""Fixtures of the local board tests: one API helper over the in-process adapter or the loopback server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
import requests

from gria_miro.localboard.adapter import local_session, open_local_board
from gria_miro.localboard.server import start_server
from tests.contract.spec_check import validate_request

TOKEN = "contract-token-0123456789"


class Api:
    """Requests to one board through a real ``requests.Session``; valid bodies are checked against the spec."""

    def __init__(self, session: requests.Session, base_url: str, board_id: str) -> None:
        self.session = session
        self.base_url = base_url
        self.board_id = board_id
        self.board_path = f"/v2/boards/{quote(board_id, safe='')}"

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        params: dict[str, str] | None = None,
        valid: bool = True,
        raw: bytes | None = None,
    ) -> tuple[int, Any, requests.Response]:
        """(status, JSON or None, response). ``path`` is relative to the board unless it starts with /v2."""
        full = path if path.startswith("/v2") else f"{self.board_path}{path}"
        if params:
            full = f"{full}?{urlencode(params)}"
        if valid and raw is None:
            validate_request(method, full, body)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {"Content-Type": "application/json"} if data is not None else {}
        response = self.session.request(method, f"{self.base_url}{full}", data=data, headers=headers)
        payload = response.json() if response.content else None
        return response.status_code, payload, response


@pytest.fixture
def local_api(tmp_path: Path) -> Api:
    target = open_local_board(tmp_path / "board.json", token=TOKEN)
    return Api(local_session(target, TOKEN), target.base_url, target.board_id)


@pytest.fixture
def http_api(tmp_path: Path) -> Iterator[Api]:
    with start_server(tmp_path / "board.json", token=TOKEN) as server:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {TOKEN}"
        yield Api(session, server.url, server.board_id)
        session.close()


@pytest.fixture(params=["in-process", "http"])
def api(request: pytest.FixtureRequest) -> Api:
    """The same board API, in-process then over a loopback socket."""
    name = "local_api" if request.param == "in-process" else "http_api"
    fixture: Api = request.getfixturevalue(name)
    return fixture
