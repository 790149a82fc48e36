"""The local board as an HTTP server (``gria-miro serve``): Miro's REST API, the web board, its live feed.

One responsibility: the sockets. A server that holds a room of browsers on a laptop:

- **bounded resources**: a fixed pool of worker threads takes accepted connections from a bounded
  queue (a full queue answers 503 at once); every read has a timeout (:data:`READ_TIMEOUT_SECONDS`,
  also the keep-alive idle time), so slow or idle clients cannot hold workers;
- **bursts**: a listen backlog of :data:`LISTEN_BACKLOG` connections (200 at once are not reset);
- **bodies**: ``Content-Length`` or ``Transfer-Encoding: chunked``, at most ``MAX_BODY_BYTES``;
- **addresses**: IPv4 and IPv6 (``::1``); the socket is bound BEFORE the board file is opened, so a
  port that cannot be used creates and touches nothing;
- **routes**: ``/`` and ``/static/…`` the web board (files shipped in the package, see ``web/``);
  ``/local/session``, ``/local/events`` (server-sent events, :mod:`~gria_miro.localboard.events`) and
  ``/local/members`` for the browsers; every other path is Miro's REST API, answered by the same
  engine and fault plan as the in-process adapter. Tokens are checked by
  :mod:`~gria_miro.localboard.access` (API token or a join link's); every committed change, the
  server's own or another process's, reaches the feed through :mod:`~gria_miro.localboard.publisher`.

No traceback ever reaches a client, and no request is logged (links and tokens never reach a log).
"""

from __future__ import annotations

import contextlib
import io
import json
import queue
import secrets
import selectors
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, cast
from urllib.parse import unquote

from gria_miro.localboard.access import Access, JoinLink, Verdict, bearer, decide
from gria_miro.localboard.adapter import split_query
from gria_miro.localboard.conversion import board_for_room
from gria_miro.localboard.engine import (
    DEFAULT_CREDITS_PER_MINUTE,
    MAX_BODY_BYTES,
    ApiError,
    Backend,
    BoardEngine,
    error_response,
)
from gria_miro.localboard.events import ChangeFeed
from gria_miro.localboard.faults import FaultPlan
from gria_miro.localboard.publisher import Publisher
from gria_miro.localboard.store import ensure_board, open_store
from gria_miro.localboard.transport import Answer, serve_once

#: How often ``serve_forever`` checks for ``shutdown()``: ``stop()`` lasts at most this long.
SHUTDOWN_POLL_SECONDS = 0.05
#: Seconds a client may stay silent in the middle of a request (request line, headers, body).
READ_TIMEOUT_SECONDS = 5.0
#: Seconds a kept-alive connection may stay idle between two requests (it holds no thread meanwhile).
IDLE_SECONDS = 30.0
#: Idle connections kept at most; beyond, the oldest is closed.
MAX_PARKED = 4000
#: Worker threads answering requests (the engine serialises writes; more would only queue).
WORKER_THREADS = 32
#: Accepted connections waiting for a worker; beyond this the server answers 503 at once.
QUEUE_LIMIT = 512
#: Connections the kernel keeps waiting for ``accept`` (a 200-connection burst must not be reset).
LISTEN_BACKLOG = 1024
#: Longest name a participant may give when joining.
MAX_NAME_LENGTH = 60

_WEB_FILES = {
    "index.html": "text/html; charset=utf-8",
    "board.css": "text/css; charset=utf-8",
    "board.js": "text/javascript; charset=utf-8",
}
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
}


def _load_web_files() -> dict[str, bytes]:
    folder = resources.files("gria_miro.localboard").joinpath("web")
    return {name: folder.joinpath(name).read_bytes() for name in _WEB_FILES}


class _Server(socketserver.TCPServer):
    """A TCP server where a connection holds a worker thread only while one of its requests is served.

    Accepted connections wait in a selector (the "parking", one thread for all of them) until bytes
    arrive; only then does a worker of the fixed pool read and answer ONE request, and a kept-alive
    connection goes back to the parking. Idle connections cost no thread and are closed after
    :data:`IDLE_SECONDS`; a full worker queue answers 503 at once.
    """

    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG
    engine: BoardEngine
    publisher: Publisher
    feed: ChangeFeed
    access: Access
    board_id: str
    faults: FaultPlan | None
    base_url: str
    web_files: dict[str, bytes]
    #: The board database served (None: an engine given in memory) and what to tell about it.
    board_file: Path | None = None
    notice: str | None = None

    def __init__(self, address: tuple[str, int], family: socket.AddressFamily) -> None:
        self.address_family = family
        super().__init__(address, _Handler, bind_and_activate=False)
        try:
            if family == socket.AF_INET6:
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            self.server_bind()
            self.server_activate()
        except BaseException:
            self.server_close()
            raise
        self._stopping = False
        self._queue: queue.Queue[socket.socket | None] = queue.Queue(QUEUE_LIMIT)
        self._handed_off: set[socket.socket] = set()
        self._handed_lock = threading.Lock()
        self._incoming: queue.SimpleQueue[socket.socket] = queue.SimpleQueue()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_write.setblocking(False)
        self._threads = [threading.Thread(target=self._park_loop, name="gria-miro-parking", daemon=True)]
        self._threads += [
            threading.Thread(target=self._work, name=f"gria-miro-worker-{n}", daemon=True)
            for n in range(WORKER_THREADS)
        ]
        for thread in self._threads:
            thread.start()

    # --- accepted connections wait here, holding no thread, until a request arrives --------------

    def process_request(self, request: Any, client_address: Any) -> None:
        self._park(request)

    def _park(self, sock: socket.socket) -> None:
        self._incoming.put(sock)
        with contextlib.suppress(OSError):  # a full wake-up pipe already wakes the parking
            self._wake_write.send(b"\0")

    def _park_loop(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._wake_read, selectors.EVENT_READ)
        parked: dict[socket.socket, float] = {}
        next_sweep = time.monotonic() + 1.0
        while not self._stopping:
            for key, _ in selector.select(timeout=1.0):
                sock = cast(socket.socket, key.fileobj)
                if sock is self._wake_read:
                    with contextlib.suppress(OSError):
                        self._wake_read.recv(4096)
                    continue
                selector.unregister(sock)
                parked.pop(sock, None)
                self._dispatch(sock)
            while True:
                try:
                    sock = self._incoming.get_nowait()
                except queue.Empty:
                    break
                try:
                    selector.register(sock, selectors.EVENT_READ)
                except (ValueError, OSError):  # closed meanwhile
                    _close(sock)
                    continue
                parked[sock] = time.monotonic()
                if len(parked) > MAX_PARKED:  # too many idle connections: the oldest goes
                    oldest = min(parked, key=parked.__getitem__)
                    selector.unregister(oldest)
                    del parked[oldest]
                    _close(oldest)
            now = time.monotonic()
            if now >= next_sweep:
                next_sweep = now + 1.0
                for sock in [s for s, since in parked.items() if now - since > IDLE_SECONDS]:
                    selector.unregister(sock)
                    del parked[sock]
                    _close(sock)
        for sock in parked:
            _close(sock)
        selector.close()

    def _dispatch(self, sock: socket.socket) -> None:
        try:
            self._queue.put_nowait(sock)
        except queue.Full:  # every worker busy and the queue full: say so now rather than hang
            with contextlib.suppress(OSError):
                sock.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n"
                    b"Connection: close\r\n\r\n"
                )
            _close(sock)

    # --- workers: one request each time ------------------------------------------------------------

    def _work(self) -> None:
        while True:
            sock = self._queue.get()
            if sock is None:
                return
            keep = False
            try:
                handler = _Handler(sock, _peer(sock), self)
                keep = not handler.close_connection
            except Exception:
                keep = False
            with self._handed_lock:
                handed = sock in self._handed_off
                self._handed_off.discard(sock)
            if handed:
                continue
            if keep and not self._stopping:
                self._park(sock)
            else:
                _close(sock)

    def hand_off(self, request: socket.socket) -> None:
        """``request`` now belongs to the change feed: the worker must not close or park it."""
        with self._handed_lock:
            self._handed_off.add(request)

    def handle_error(self, request: Any, client_address: Any) -> None:  # quiet: no traceback on stderr
        return

    def server_close(self) -> None:
        super().server_close()
        if not hasattr(self, "_queue"):
            return
        self._stopping = True
        with contextlib.suppress(OSError):
            self._wake_write.send(b"\0")
        for _ in range(WORKER_THREADS):
            with contextlib.suppress(queue.Full):
                self._queue.put_nowait(None)
        self._threads[0].join(timeout=2)
        for sock in (self._wake_read, self._wake_write):
            _close(sock)
        if hasattr(self, "publisher"):
            self.publisher.stop()
        if hasattr(self, "feed"):
            self.feed.close()


def _peer(sock: socket.socket) -> Any:
    try:
        return sock.getpeername()
    except OSError:
        return ("", 0)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


class _BodyError(Exception):
    def __init__(self, error: ApiError) -> None:
        super().__init__(error.message)
        self.error = error


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    #: TCP_NODELAY: the status line + headers and the body are two writes; with Nagle on, the body
    #: waits for the client's delayed ACK (~40 ms per answer on Linux loopback).
    disable_nagle_algorithm = True
    #: Every read on the socket (request line, headers, body) waits at most this.
    timeout = READ_TIMEOUT_SECONDS
    server_version = "gria-miro-localboard"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # quiet: no request log (links carry tokens)
        return

    def handle(self) -> None:
        """The requests already arrived; then the server parks a kept-alive connection until the next one.

        Reads are buffered, so a next request may already sit in the buffer: it is answered now, and the
        connection is parked only with an empty buffer (nothing read ahead is ever lost).
        """
        self.close_connection = True
        self.handle_one_request()
        while not self.close_connection and self._next_request_arrived():
            self.handle_one_request()

    def _next_request_arrived(self) -> bool:
        self.connection.setblocking(False)  # a look, never a wait
        try:
            return bool(cast(io.BufferedReader, self.rfile).peek(1))
        except OSError:
            return False
        finally:
            self.connection.settimeout(self.timeout)

    def _read_exact(self, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = self.rfile.read(size - len(data))
            if not chunk:
                raise _BodyError(ApiError(400, "2.0703", "Request body shorter than announced", {"fields": []}))
            data += chunk
        return bytes(data)

    def _answer(self, answer: Answer, *, close: bool = False) -> None:
        status, headers, payload = answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        # the head and the body in ONE send (end_headers would send the head alone, then the body: two
        # system calls per answer, a third of the time a move costs the server on loopback)
        self._headers_buffer.append(b"\r\n")  # type: ignore[attr-defined]  # BaseHTTPRequestHandler's own
        if payload and self.command != "HEAD":
            self._headers_buffer.append(payload)  # type: ignore[attr-defined]
        self.flush_headers()

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0:
                raise ValueError(length)
        except ValueError:
            raise _BodyError(ApiError(400, "2.0703", "Invalid Content-Length header", {"fields": []})) from None
        if length > MAX_BODY_BYTES:  # refuse before reading it
            raise _BodyError(_too_large())
        return self._read_exact(length) if length else b""

    def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            line = self.rfile.readline(100)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                raise _BodyError(ApiError(400, "2.0703", "Invalid chunked request body", {"fields": []})) from None
            if size < 0:
                raise _BodyError(ApiError(400, "2.0703", "Invalid chunked request body", {"fields": []}))
            if size == 0:
                while self.rfile.readline(1000).strip():  # trailers, up to the empty line
                    pass
                return bytes(body)
            if len(body) + size > MAX_BODY_BYTES:
                raise _BodyError(_too_large())
            body += self._read_exact(size)
            self.rfile.readline(10)  # the CRLF after each chunk

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except _BodyError as exc:
            self._answer(error_response(exc.error), close=True)
            return
        path, query = split_query(self.path)
        headers = dict(self.headers.items())
        if self.command in ("GET", "HEAD") and (path in ("/", "/index.html") or path.startswith("/static/")):
            self._static(path)
            return
        if path.startswith("/local/"):
            self._local(path, query, headers, body)
            return
        self._miro(path, query, headers, body)

    def _static(self, path: str) -> None:
        name = "index.html" if path in ("/", "/index.html") else path.removeprefix("/static/")
        if name not in _WEB_FILES:
            self._answer(_json_answer(404, _error(404, "notFound", f"No file {path}")))
            return
        headers = {"Content-Type": _WEB_FILES[name], "Cache-Control": "no-cache", **_SECURITY_HEADERS}
        self._answer((200, headers, self.server.web_files[name]))

    def _link(self, headers: dict[str, str]) -> JoinLink | None:
        token = bearer(headers)
        if not token:
            return None
        if self.server.access.is_api_token(token):  # the API token may use the web board too
            return JoinLink(token, self.server.board_id, None, "Animation")
        return self.server.access.link(token)

    def _local(self, path: str, query: dict[str, str], headers: dict[str, str], body: bytes) -> None:
        link = self._link(headers)
        if link is None:
            self._answer(_json_answer(401, _error(401, "unauthorized", "Lien d'accès absent ou invalide")))
            return
        route = (self.command, path)
        if route == ("GET", "/local/session"):
            session = {
                "boardId": link.board_id,
                "label": link.label,
                "team": link.team,
                "teams": len(self.server.access.team_links()),
                "revision": self.server.feed.revision,
            }
            self._answer(_json_answer(200, session))
        elif route == ("GET", "/local/events"):
            self._events(query, headers)
        elif route == ("POST", "/local/members"):
            self._join(link, body)
        else:
            self._answer(_json_answer(404, _error(404, "notFound", f"No route {self.command} {path}")))

    def _events(self, query: dict[str, str], headers: dict[str, str]) -> None:
        since_text = query.get("since") or next((v for k, v in headers.items() if k.lower() == "last-event-id"), "")
        try:
            since = int(since_text) if since_text else self.server.feed.revision
        except ValueError:
            since = self.server.feed.revision
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.send_header("X-Accel-Buffering", "no")
        self.end_headers()
        self.wfile.write(b": flux des changements du plateau\n\n")
        self.wfile.flush()
        self.close_connection = True
        if self.server.feed.subscribe(self.connection, since):
            self.server.hand_off(self.connection)

    def _join(self, link: JoinLink, body: bytes) -> None:
        try:
            name = json.loads(body or b"{}").get("name", "")
        except (ValueError, AttributeError):
            name = ""
        name = " ".join(str(name).split()) if isinstance(name, str) else ""
        if not name or len(name) > MAX_NAME_LENGTH:
            problem = f"Donnez un prénom ou un nom de 1 à {MAX_NAME_LENGTH} caractères."
            self._answer(_json_answer(400, _error(400, "2.0703", problem)))
            return
        member_id = self.server.publisher.add_member(name, "editor")
        self._answer(_json_answer(201, {"id": member_id, "name": name, "role": "editor", "type": "board_member"}))

    def _miro(self, path: str, query: dict[str, str], headers: dict[str, str], body: bytes) -> None:
        segments = [unquote(s) for s in path.removeprefix("/").split("/")]
        verdict, _ = decide(self.server.access, bearer(headers), self.command, segments)
        if verdict is Verdict.FORBIDDEN:
            message = "A join link may only read this board and edit its items"
            self._answer(_json_answer(403, _error(403, "insufficientPermissions", message)))
            return
        if verdict is Verdict.LINK:  # on the link's behalf: the engine knows only the API token
            headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
            headers["Authorization"] = f"Bearer {self.server.access.api_token}"
        self.server.publisher.participant.active = verdict is Verdict.LINK
        try:
            answer = serve_once(
                cast(BoardEngine, self.server.publisher),  # same ``handle`` signature, publishing writes
                self.server.faults,
                self.command,
                path,
                query,
                headers,
                body,
                base_url=self.server.base_url,
            )
        finally:
            self.server.publisher.participant.active = False
        if answer is None:
            self._drop()
            return
        self._answer(answer)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _serve


def _too_large() -> ApiError:
    return ApiError(413, "payloadTooLarge", f"Request body is larger than {MAX_BODY_BYTES} bytes")


def _error(status: int, code: str, message: str) -> dict[str, Any]:
    return {"status": status, "code": code, "message": message, "type": "error", "context": None}


def _json_answer(status: int, payload: dict[str, Any]) -> Answer:
    headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
    return status, headers, json.dumps(payload, ensure_ascii=False).encode()


@dataclass
class RunningServer:
    """A server running in a background thread; ``stop()`` (or leaving the ``with``) shuts it down."""

    url: str
    token: str = field(repr=False)
    board_id: str
    engine: BoardEngine
    _server: _Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def access(self) -> Access:
        """The API token and the join links."""
        return self._server.access

    @property
    def feed(self) -> ChangeFeed:
        return self._server.feed

    @property
    def board_file(self) -> Path | None:
        """The board database served (a JSON board file is served from its SQLite copy)."""
        return self._server.board_file

    def join_url(self, team: int | None = None) -> str:
        """The join link of a team (1-based), or the facilitator's (``None``)."""
        return join_url(self.url, self._server.access, team)

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


def join_url(base_url: str, access: Access, team: int | None) -> str:
    """The link to open in a browser: the token in the fragment, which browsers never send to servers."""
    for token, link in access.links.items():
        if link.team == team:
            suffix = f"&equipe={team}" if team is not None else ""
            return f"{base_url}/#k={token}{suffix}"
    raise KeyError(team)


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def make_server(
    path_or_engine: Path | str | BoardEngine,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str | None = None,
    faults: FaultPlan | None = None,
    teams: int | None = None,
) -> tuple[_Server, str, str]:
    """A bound (not yet serving) server, its API token and its board id.

    The socket is bound first: a port in use or out of range raises ``OSError``/``OverflowError``
    before the board file is created or read. A JSON board file is served from its SQLite copy
    (:func:`~gria_miro.localboard.conversion.board_for_room`; ``server.notice`` says what happened).
    ``teams`` join links are made (default: one per team found on the board, at least one).
    """
    if not 0 <= port <= 65535:
        raise OverflowError(f"port must be 0-65535, not {port}")
    server = _Server((host, port), _family(host))
    try:
        token = token or secrets.token_urlsafe(24)
        credits = faults.credits_per_minute if faults is not None and faults.credits_per_minute else None
        if isinstance(path_or_engine, BoardEngine):
            engine = path_or_engine
            engine.require_token(token)
            ids = engine.board_ids()
            board_id = ids[0] if ids else engine.create_board()
        else:
            room = board_for_room(Path(path_or_engine))  # a JSON board file is served from its SQLite copy
            server.board_file, server.notice = room.path, room.notice
            store = open_store(room.path)
            board_id = ensure_board(store)
            engine = BoardEngine(store, token=token, credits_per_minute=credits or DEFAULT_CREDITS_PER_MINUTE)
        if credits:
            engine.credits_per_minute = credits
        server.engine = engine
        server.feed = ChangeFeed()
        server.publisher = Publisher(engine, server.feed, board_id)
        server.board_id = board_id
        names = team_names_on_board(engine.backend, token)
        server.access = Access.for_board(token, board_id, teams if teams is not None else max(1, len(names)), names)
        server.faults = faults
        server.web_files = _load_web_files()
    except BaseException:
        server.server_close()
        raise
    bound_host, bound_port = server.server_address[:2]
    host_text = bound_host.decode() if isinstance(bound_host, bytes) else str(bound_host)
    server.base_url = f"http://{_shown(host_text)}:{bound_port}"
    server.publisher.base_url = server.base_url
    server.publisher.start_watching()  # other processes' writes on the board reach the browsers too
    return server, token, board_id


def team_names_on_board(backend: Backend, token: str) -> list[str]:
    """The teams the first board shows: the distinct ``Équipe … · `` prefixes of its frame titles, in reading
    order of their zones (top to bottom, then left to right).

    Read through a throwaway engine on the same backend, so the served engine's credit window is untouched.
    """
    from gria_miro.layout.content import SEPARATOR, plain_text

    engine = BoardEngine(backend, token=token)
    ids = engine.board_ids()
    if not ids:
        return []
    corners: dict[str, tuple[float, float]] = {}  # team → its top-most, then left-most frame corner
    query = {"type": "frame", "limit": "50"}
    while True:
        status, _, payload = engine.handle(
            "GET", f"/v2/boards/{ids[0]}/items", query, {"Authorization": f"Bearer {token}"}, b""
        )
        if status != 200:
            break
        page = json.loads(payload)
        for frame in page.get("data", []):
            title = plain_text(str((frame.get("data") or {}).get("title") or ""))
            if SEPARATOR in title:
                team = title.split(SEPARATOR, 1)[0]
                position, geometry = frame.get("position") or {}, frame.get("geometry") or {}
                corner = (
                    float(position.get("y", 0)) - float(geometry.get("height", 0)) / 2,
                    float(position.get("x", 0)) - float(geometry.get("width", 0)) / 2,
                )
                corners[team] = min(corners.get(team, corner), corner)
        if not page.get("cursor"):
            break
        query = {**query, "cursor": str(page["cursor"])}
    return sorted(corners, key=lambda team: corners[team])  # reading order of the board, as the web board


def start_server(
    path_or_engine: Path | str | BoardEngine,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str | None = None,
    faults: FaultPlan | None = None,
    teams: int | None = None,
) -> RunningServer:
    """Serve a board file (or an engine) in a background thread; ``port=0`` picks a free port."""
    server, token, board_id = make_server(path_or_engine, host=host, port=port, token=token, faults=faults, teams=teams)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
        name="gria-miro-localboard",
        daemon=True,
    )
    thread.start()
    return RunningServer(server.base_url, token, board_id, server.engine, server, thread)
