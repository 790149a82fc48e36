"""The local board served from a separate process, so that the client measured has the process to itself.

One responsibility: a child process that runs ``start_server`` on in-memory boards and obeys one-line
JSON commands on stdin (answers one JSON line on stdout). Keeping the server out of the client's process
means the client's wall time is not slowed by the server's share of the GIL, and the client's peak memory
(the client's peak resident memory) counts the client only.

Commands (``{"cmd": …}``), each answered with ``{"url", "token", "board_id", "handle"}`` or ``{"ok": true}``:

| cmd      | what it does                                                                          |
|----------|---------------------------------------------------------------------------------------|
| ``new``    | a fresh empty board in memory, served with ``latency`` seconds and ``credits`` per min |
| ``reopen`` | the same board, served anew (a fresh credit window), with new latency and credits     |
| ``stop``   | stop serving ``handle``                                                              |
| ``quit``   | stop everything and exit                                                             |
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Served:
    """Where a board is served: what a client needs to reach it."""

    url: str
    token: str
    board_id: str
    handle: int


def _serve_commands(stdin: IO[str], stdout: IO[str]) -> None:
    """The child's loop: one command per line, one answer per line."""
    from gria_miro.localboard.engine import BoardEngine, MemoryBackend
    from gria_miro.localboard.faults import FaultPlan
    from gria_miro.localboard.server import RunningServer, start_server

    backends: dict[int, MemoryBackend] = {}
    running: dict[int, RunningServer] = {}
    handles = 0

    def serve(handle: int, latency: float, credits: int) -> dict[str, Any]:
        if handle in running:
            running.pop(handle).stop()
        engine = BoardEngine(backends[handle], credits_per_minute=credits)
        if not engine.board_ids():
            engine.create_board("Banc d'essai gria-miro")
        faults = FaultPlan(seed=handle, latency=latency, credits_per_minute=credits)
        server = start_server(engine, faults=faults)
        running[handle] = server
        return {"url": server.url, "token": server.token, "board_id": server.board_id, "handle": handle}

    for line in stdin:
        command = json.loads(line)
        kind = command["cmd"]
        if kind == "new":
            handles += 1
            handle = handles
            backends[handle] = MemoryBackend()
            answer = serve(handle, float(command["latency"]), int(command["credits"]))
        elif kind == "reopen":
            answer = serve(int(command["handle"]), float(command["latency"]), int(command["credits"]))
        elif kind == "stop":
            server = running.pop(int(command["handle"]), None)
            if server is not None:
                server.stop()
            backends.pop(int(command["handle"]), None)
            answer = {"ok": True}
        elif kind == "quit":
            for server in running.values():
                server.stop()
            stdout.write(json.dumps({"ok": True}) + "\n")
            stdout.flush()
            return
        else:
            answer = {"error": f"unknown command {kind!r}"}
        stdout.write(json.dumps(answer) + "\n")
        stdout.flush()


class ServerProcess:
    """The parent's side: starts the child and sends it commands (use as a context manager)."""

    def __init__(self) -> None:
        env_path = f"{ROOT / 'src'}:{ROOT}"
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "bench.serverproc"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**_environ(), "PYTHONPATH": env_path},
        )

    def _ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps(command) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("the local board process ended unexpectedly")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer

    def new_board(self, *, latency: float, credits: int) -> Served:
        return Served(**self._ask({"cmd": "new", "latency": latency, "credits": credits}))

    def reopen(self, served: Served, *, latency: float, credits: int) -> Served:
        return Served(**self._ask({"cmd": "reopen", "handle": served.handle, "latency": latency, "credits": credits}))

    def stop(self, served: Served) -> None:
        self._ask({"cmd": "stop", "handle": served.handle})

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self._ask({"cmd": "quit"})
                self._proc.wait(timeout=10)
            except (RuntimeError, OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


if __name__ == "__main__":
    _serve_commands(sys.stdin, sys.stdout)
