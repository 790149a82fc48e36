"""The served board's change feed: what each write changed, streamed to browsers as server-sent events.

One responsibility: number the changes (a revision), keep the recent ones, and deliver them to every
open event stream from ONE thread, whatever the number of browsers. A stream is a socket handed over
by the HTTP server after its token was checked: it holds no worker thread. Sockets are non-blocking;
a browser that does not read its stream (its buffer above :data:`MAX_BACKLOG_BYTES`) is dropped and
reconnects later, it never slows the others.

A change is ``{"rev": n, "items": [item JSON…], "deleted": [id…]}`` (plus ``"members": true`` when
someone joined); a browser that asks for
changes older than the kept window gets ``{"rev": n, "reload": true}`` and reads the board again.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

#: How many changes are kept for browsers that reconnect.
KEPT_CHANGES = 2000
#: A comment line sent on idle streams so that proxies and browsers keep them open.
HEARTBEAT_SECONDS = 15.0
#: A stream whose unread output passes this is dropped (the browser reconnects and catches up).
MAX_BACKLOG_BYTES = 4_000_000
#: Open streams at most (a room of 50 people with a few tabs each fits many times).
MAX_STREAMS = 1000


@dataclass
class _Stream:
    sock: socket.socket
    since: int
    pending: bytearray = field(default_factory=bytearray)
    last_sent: float = field(default_factory=time.monotonic)


class ChangeFeed:
    """Revisions of a served board and the streams that follow them."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._rev = 0
        self._changes: deque[JSON] = deque(maxlen=KEPT_CHANGES)
        self._streams: list[_Stream] = []
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="gria-miro-events", daemon=True)
        self._thread.start()

    @property
    def revision(self) -> int:
        with self._lock:
            return self._rev

    def publish(self, items: list[JSON], deleted: list[str], *, members: bool = False) -> int:
        """Record one write's effect (``members``: the member list changed); returns its revision."""
        with self._lock:
            self._rev += 1
            change: JSON = {"rev": self._rev, "items": items, "deleted": deleted}
            if members:
                change["members"] = True
            change["wire"] = _event(change)  # encoded once, whatever the number of streams
            self._changes.append(change)
            self._lock.notify_all()
            return self._rev

    def changes_since(self, since: int) -> list[JSON]:
        """The changes after revision ``since`` (one ``reload`` marker when they are no longer kept)."""
        with self._lock:
            return [{k: v for k, v in c.items() if k != "wire"} for c in self._since(since)]

    def _since(self, since: int) -> list[JSON]:
        if since >= self._rev:
            return []
        oldest = self._changes[0]["rev"] if self._changes else self._rev + 1
        if since < oldest - 1:
            reload: JSON = {"rev": self._rev, "reload": True}
            return [{**reload, "wire": _event(reload)}]
        first = len(self._changes) - (self._rev - since)  # revisions are consecutive: index, no scan
        return list(itertools.islice(self._changes, max(first, 0), None))

    def subscribe(self, sock: socket.socket, since: int) -> bool:
        """Hand over ``sock`` (headers already sent) to the feed; False when too many streams are open."""
        with self._lock:
            if self._closed or len(self._streams) >= MAX_STREAMS:
                return False
            sock.setblocking(False)
            self._streams.append(_Stream(sock, since))
            self._lock.notify_all()
            return True

    @property
    def stream_count(self) -> int:
        with self._lock:
            return len(self._streams)

    def close(self) -> None:
        """Stop the feed and close every stream."""
        with self._lock:
            self._closed = True
            streams, self._streams = self._streams, []
            self._lock.notify_all()
        for stream in streams:
            _close(stream.sock)
        self._thread.join(timeout=2)

    def _run(self) -> None:
        while True:
            with self._lock:
                waiting = any(s.pending for s in self._streams)
                self._lock.wait(timeout=0.05 if waiting else 1.0)
                if self._closed:
                    return
                streams = list(self._streams)
                for stream in streams:
                    for change in self._since(stream.since):
                        stream.pending += change["wire"]
                        stream.since = change["rev"]
            now = time.monotonic()
            dead = []
            for stream in streams:
                if not stream.pending and now - stream.last_sent >= HEARTBEAT_SECONDS:
                    stream.pending += b": ping\n\n"
                if not _flush(stream, now):
                    dead.append(stream)
            if dead:
                with self._lock:
                    self._streams = [s for s in self._streams if s not in dead]
                for stream in dead:
                    _close(stream.sock)


def _event(change: JSON) -> bytes:
    data = json.dumps(change, ensure_ascii=False, separators=(",", ":"))
    return f"id: {change['rev']}\ndata: {data}\n\n".encode()


def _flush(stream: _Stream, now: float) -> bool:
    """Send what the socket takes now; False when the stream is gone or too far behind."""
    while stream.pending:
        try:
            sent = stream.sock.send(stream.pending)
        except (BlockingIOError, InterruptedError):
            return len(stream.pending) <= MAX_BACKLOG_BYTES
        except OSError:
            return False
        del stream.pending[:sent]
        stream.last_sent = now
    return True


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
