"""Helpers of the client end-to-end tests: the real ``MiroClient`` on the local board, both ways in.

One responsibility: open the same board file in-process (adapter, no socket) or behind the loopback
HTTP server, hand out clients with a fake clock (no real sleeping), and check every request the
clients send against the official spec (``tests/contract/spec_check.py``) by wrapping the transport
adapter's ``send``. Violations are recorded and asserted at teardown, so a request sent from a pool
thread cannot escape the check.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from requests.adapters import BaseAdapter, HTTPAdapter

from gria_miro.localboard.adapter import LOCAL_BASE_URL, LocalBoardAdapter, open_local_board
from gria_miro.localboard.engine import BoardEngine
from gria_miro.localboard.faults import FaultPlan
from gria_miro.localboard.server import start_server
from gria_miro.localboard.store import BoardFile, ensure_board
from gria_miro.miro import MiroClient, WireItem
from gria_miro.observed import ObservedItem
from tests.contract.spec_check import validate_prepared
from tests.miro.conftest import FakeClock

TOKEN = "e2e-SECRET-board-token-9876543210"

WAYS = ("in-process", "http")


class SpecRecorder:
    """Validates every prepared request; keeps the violations for the teardown (thread-safe)."""

    def __init__(self) -> None:
        self.checked = 0
        self.violations: list[str] = []
        self._lock = threading.Lock()

    def check(self, request: requests.PreparedRequest) -> None:
        try:
            validate_prepared(request)
        except AssertionError as error:
            with self._lock:
                self.violations.append(str(error))
        with self._lock:
            self.checked += 1

    def take_violations(self) -> list[str]:
        """The violations so far, forgotten (for a test that sends an invalid body on purpose)."""
        with self._lock:
            taken, self.violations = self.violations, []
        return taken


class ValidatingLocalAdapter(LocalBoardAdapter):
    """The in-process board adapter, checking each request against the spec first."""

    def __init__(self, engine: BoardEngine, recorder: SpecRecorder, *, faults: FaultPlan | None = None) -> None:
        super().__init__(engine, faults=faults)
        self.recorder = recorder

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        self.recorder.check(request)
        return super().send(request, *args, **kwargs)


class ValidatingHTTPAdapter(HTTPAdapter):
    """A plain socket adapter (no urllib3 retries), checking each request against the spec first."""

    def __init__(self, recorder: SpecRecorder) -> None:
        super().__init__(max_retries=0)
        self.recorder = recorder

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        self.recorder.check(request)
        return super().send(request, *args, **kwargs)


@dataclass
class Target:
    """One way into one board: where to send, with which token, and the engine behind it."""

    way: str
    board_id: str
    base_url: str
    token: str
    engine: BoardEngine
    adapter: BaseAdapter


class Boards:
    """Opens the test's board file (``path``) one way or the other and makes clients for it."""

    def __init__(self, way: str, path: Path, stack: ExitStack) -> None:
        self.way = way
        self.path = path
        self.recorder = SpecRecorder()
        self.clients: list[MiroClient] = []
        self._stack = stack

    def open(self, *, faults: FaultPlan | None = None, engine: BoardEngine | None = None) -> Target:
        """The board at ``self.path`` (or ``engine``), behind this test's way in, with ``faults``."""
        if self.way == "http":
            server = self._stack.enter_context(
                start_server(engine if engine is not None else self.path, token=TOKEN, faults=faults)
            )
            adapter: BaseAdapter = ValidatingHTTPAdapter(self.recorder)
            return Target(self.way, server.board_id, server.url, TOKEN, server.engine, adapter)
        if engine is None:
            engine = open_local_board(self.path, token=TOKEN, faults=faults).adapter.engine
        board_id = engine.board_ids()[0]
        local = ValidatingLocalAdapter(engine, self.recorder, faults=faults)
        return Target(self.way, board_id, LOCAL_BASE_URL, TOKEN, engine, local)

    def healthy(self) -> Target:
        """The same board file in-process and without faults, whatever the way under test (setup, checks).

        It saves starting one more server per test; the engine reads the file again when another wrote it.
        """
        engine = open_local_board(self.path, token=TOKEN).adapter.engine
        local = ValidatingLocalAdapter(engine, self.recorder)
        return Target("in-process", engine.board_ids()[0], LOCAL_BASE_URL, TOKEN, engine, local)

    def engine_with_clock(self, clock: FakeClock, credits_per_minute: int) -> BoardEngine:
        """An engine on the board file whose rolling credit window follows ``clock`` (wall time)."""
        store = BoardFile(self.path)
        ensure_board(store)
        return BoardEngine(store, token=TOKEN, credits_per_minute=credits_per_minute, clock=clock.wall)

    def client(self, target: Target, clock: FakeClock, *, token: str | None = None, **options: Any) -> MiroClient:
        """A real client on ``target``: fake sleep and clocks, seeded jitter, closed at teardown."""
        settings: dict[str, Any] = {
            "base_url": target.base_url,
            "adapter": target.adapter,
            "sleep": clock.sleep,
            "clock": clock.now,
            "wall_clock": clock.wall,
            "rng": random.Random(0),
            "timeout": 5.0,
        }
        settings.update(options)
        client = MiroClient(token if token is not None else target.token, **settings)
        self.clients.append(client)
        self._stack.callback(client.close)
        return client

    def requests_sent(self) -> int:
        return sum(client.stats.requests for client in self.clients)


def card(title: str, **extra: Any) -> dict[str, Any]:
    """A card body for the per-type endpoint."""
    return {"data": {"title": title}, **extra}


def element(item_type: str, **body: Any) -> dict[str, Any]:
    """A bulk element: the per-type body with its ``type``."""
    return {"type": item_type, **body}


def counts(items: Iterable[WireItem | ObservedItem]) -> dict[str, int]:
    """Item type → how many, for a list of wire or observed items."""
    out: dict[str, int] = {}
    for item in items:
        out[item.type] = out.get(item.type, 0) + 1
    return out
