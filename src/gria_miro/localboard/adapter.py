"""The local board served in-process through ``requests`` (``--board local:PATH``), with no socket.

One responsibility: :class:`LocalBoardAdapter` turns a ``requests.PreparedRequest`` into an engine
call and the engine's answer into a ``requests.Response``, so the client's real code path (session,
headers, JSON, errors, retries) is exercised. A dropped connection (fault plan) raises
``requests.ConnectionError`` as a real network failure would.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from gria_miro.localboard.conversion import played_copy
from gria_miro.localboard.engine import DEFAULT_CREDITS_PER_MINUTE, BoardEngine
from gria_miro.localboard.faults import FaultPlan
from gria_miro.localboard.store import ensure_board, open_store
from gria_miro.localboard.transport import serve_once

LOCAL_BASE_URL = "https://localboard.invalid"

_REASONS = {200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}


def split_query(url: str) -> tuple[str, dict[str, str]]:
    """The path of ``url`` (still percent-encoded) and its query as a dict (first value wins)."""
    parts = urlsplit(url)
    query: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        query.setdefault(key, value)
    return parts.path, query


class LocalBoardAdapter(BaseAdapter):
    """A ``requests`` transport adapter answering from a :class:`BoardEngine`."""

    def __init__(self, engine: BoardEngine, *, faults: FaultPlan | None = None, base_url: str = LOCAL_BASE_URL) -> None:
        super().__init__()
        self.engine = engine
        self.faults = faults
        self.base_url = base_url.rstrip("/")

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        path, query = split_query(request.url or "")
        body: Any = request.body
        raw_body = body.encode() if isinstance(body, str) else bytes(body or b"")
        answer = serve_once(
            self.engine,
            self.faults,
            (request.method or "GET").upper(),
            path,
            query,
            dict(request.headers),
            raw_body,
            base_url=self.base_url,
        )
        if answer is None:
            raise requests.ConnectionError("connection to the local board dropped (fault plan)", request=request)
        status, headers, payload = answer
        response = requests.Response()
        response.status_code = status
        response.reason = _REASONS.get(status, "")
        response.headers = CaseInsensitiveDict(headers)
        response.raw = io.BytesIO(payload)
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        """Nothing to release: no socket."""


@dataclass(frozen=True)
class LocalTarget:
    """Where a client reaches a local board: mount ``adapter`` on ``base_url``, use ``board_id``."""

    board_id: str
    base_url: str
    adapter: LocalBoardAdapter


def open_local_board(
    path: Path, *, token: str | None = None, faults: FaultPlan | None = None, create: bool = True
) -> LocalTarget:
    """The board at ``path`` (a JSON board file or an SQLite board database), served in-process.

    A missing board is created with one empty board, unless ``create=False`` (commands that only
    read): then :class:`~gria_miro.localboard.store.BoardMissing` says so and creates nothing.
    Raises :class:`~gria_miro.localboard.store.NotABoardFile` (a ``UserError``) for a file that is not a board.
    """
    played, _ = played_copy(Path(path))  # a JSON board file played by a room is read and written in its copy
    store = open_store(played, create=create)
    board_id = ensure_board(store)
    credits = faults.credits_per_minute if faults is not None and faults.credits_per_minute else None
    engine = BoardEngine(store, token=token, credits_per_minute=credits or DEFAULT_CREDITS_PER_MINUTE)
    adapter = LocalBoardAdapter(engine, faults=faults)
    return LocalTarget(board_id=board_id, base_url=LOCAL_BASE_URL, adapter=adapter)


def local_session(target: LocalTarget, token: str = "local") -> requests.Session:
    """A ``requests.Session`` with the adapter mounted and a bearer token set (tests, participants)."""
    session = requests.Session()
    session.mount(target.base_url, target.adapter)
    session.headers["Authorization"] = f"Bearer {token}"
    return session
