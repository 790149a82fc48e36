"""The local board as an HTTP server on loopback (``gria-miro serve``), for real sockets.

One responsibility: a ``ThreadingHTTPServer`` in front of the same engine and fault plan as the
in-process adapter. A bearer token is required (generated with :mod:`secrets` when not given) so
that other local users cannot write to the board. No traceback ever reaches a client: a huge body,
a bad ``Content-Length``, malformed JSON or an unknown route get Miro-style error bodies. A dropped
connection (fault plan) closes the socket without answering.
"""

from __future__ import annotations

import contextlib
import secrets
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from gria_miro.localboard.adapter import split_query
from gria_miro.localboard.engine import (
    DEFAULT_CREDITS_PER_MINUTE,
    MAX_BODY_BYTES,
    ApiError,
    BoardEngine,
    error_response,
)
from gria_miro.localboard.faults import FaultPlan
from gria_miro.localboard.store import BoardFile, ensure_board
from gria_miro.localboard.transport import Answer, serve_once

#: How often ``serve_forever`` checks for ``shutdown()``: ``stop()`` lasts at most this long.
SHUTDOWN_POLL_SECONDS = 0.05


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    engine: BoardEngine
    faults: FaultPlan | None
    base_url: str


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    #: TCP_NODELAY: the status line + headers and the body are two writes; with Nagle on, the body
    #: waits for the client's delayed ACK (~40 ms per answer on Linux loopback).
    disable_nagle_algorithm = True
    server_version = "gria-miro-localboard"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # quiet: no request log on stderr
        return

    def _answer(self, answer: Answer, *, close: bool = False) -> None:
        status, headers, payload = answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _serve(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0:
                raise ValueError(length)
        except ValueError:
            error = ApiError(400, "2.0703", "Invalid Content-Length header", {"fields": []})
            self._answer(error_response(error), close=True)
            return
        if length > MAX_BODY_BYTES:  # refuse before reading it
            error = ApiError(413, "payloadTooLarge", f"Request body is larger than {MAX_BODY_BYTES} bytes")
            self._answer(error_response(error), close=True)
            return
        body = self.rfile.read(length) if length else b""
        path, query = split_query(self.path)
        answer = serve_once(
            self.server.engine,
            self.server.faults,
            self.command,
            path,
            query,
            dict(self.headers.items()),
            body,
            base_url=self.server.base_url,
        )
        if answer is None:
            self._drop()
            return
        self._answer(answer)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _serve


@dataclass
class RunningServer:
    """A server running in a background thread; ``stop()`` (or leaving the ``with``) shuts it down."""

    url: str
    token: str = field(repr=False)
    board_id: str
    engine: BoardEngine
    _server: _Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self) -> None:
        """Shut the server down; a throwaway connection wakes its ``select`` so this need not wait a poll."""
        stopper = threading.Thread(target=self._server.shutdown, name="gria-miro-localboard-stop", daemon=True)
        stopper.start()
        while stopper.is_alive() and self._thread.is_alive():
            self._wake()
            stopper.join(timeout=0.005)
        stopper.join(timeout=5)
        self._server.server_close()
        self._thread.join(timeout=5)

    def _wake(self) -> None:
        host, port = self._server.server_address[:2]
        address = host.decode() if isinstance(host, bytes) else str(host)
        with contextlib.suppress(OSError), socket.create_connection((address, port), timeout=0.2):
            pass

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def make_server(
    path_or_engine: Path | str | BoardEngine,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str | None = None,
    faults: FaultPlan | None = None,
) -> tuple[_Server, str, str]:
    """A bound (not yet serving) server, its token and its board id."""
    token = token or secrets.token_urlsafe(24)
    credits = faults.credits_per_minute if faults is not None and faults.credits_per_minute else None
    if isinstance(path_or_engine, BoardEngine):
        engine = path_or_engine
        engine.require_token(token)
        ids = engine.board_ids()
        board_id = ids[0] if ids else engine.create_board()
    else:
        store = BoardFile(Path(path_or_engine))
        board_id = ensure_board(store)
        engine = BoardEngine(store, token=token, credits_per_minute=credits or DEFAULT_CREDITS_PER_MINUTE)
    if credits:
        engine.credits_per_minute = credits
    server = _Server((host, port), _Handler)
    server.engine = engine
    server.faults = faults
    bound_host, bound_port = server.server_address[:2]
    host_text = bound_host.decode() if isinstance(bound_host, bytes) else str(bound_host)
    shown = f"[{host_text}]" if ":" in host_text else host_text
    server.base_url = f"http://{shown}:{bound_port}"
    return server, token, board_id


def start_server(
    path_or_engine: Path | str | BoardEngine,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str | None = None,
    faults: FaultPlan | None = None,
) -> RunningServer:
    """Serve a board file (or an engine) in a background thread; ``port=0`` picks a free port."""
    server, token, board_id = make_server(path_or_engine, host=host, port=port, token=token, faults=faults)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
        name="gria-miro-localboard",
        daemon=True,
    )
    thread.start()
    return RunningServer(server.base_url, token, board_id, server.engine, server, thread)
