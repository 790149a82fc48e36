"""Fixtures for the Miro client tests: a fake clock, a validating ``responses`` mock, a client."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import responses

from gria_miro.miro import MiroClient
from tests.conftest import SECRET_TOKEN
from tests.contract.spec_check import record_and_validate

API = "https://api.miro.com"
BOARD_ID = "uXjVOD6LSME="
BOARD = f"{API}/v2/boards/uXjVOD6LSME%3D"
EPOCH = 1_700_000_000.0


class FakeClock:
    """Monotonic time that only moves when someone sleeps; records every sleep."""

    def __init__(self) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self.t

    def wall(self) -> float:
        return EPOCH + self.now()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.t += max(0.0, seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    """Every request the client sends in a test is validated against the spec at teardown."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps
        record_and_validate(rsps)


def make_client(clock: FakeClock, **kwargs: Any) -> MiroClient:
    options: dict[str, Any] = {
        "sleep": clock.sleep,
        "clock": clock.now,
        "wall_clock": clock.wall,
        "rng": random.Random(0),
    }
    options.update(kwargs)
    return MiroClient(SECRET_TOKEN, **options)


@pytest.fixture
def client(clock: FakeClock) -> Iterator[MiroClient]:
    with make_client(clock) as c:
        yield c


def wire_item(
    item_id: str,
    type: str = "card",
    *,
    x: float = 0.0,
    y: float = 0.0,
    width: float = 320.0,
    height: float = 94.0,
    parent: str | None = None,
    relative_to: str | None = None,
) -> dict[str, Any]:
    """An item as Miro returns it."""
    item: dict[str, Any] = {
        "id": item_id,
        "type": type,
        "data": {"title": f"item {item_id}"},
        "style": {},
        "position": {
            "x": x,
            "y": y,
            "origin": "center",
            "relativeTo": relative_to or ("parent_top_left" if parent else "canvas_center"),
        },
        "geometry": {"width": width, "height": height},
        "createdAt": "2026-01-01T00:00:00Z",
        "modifiedAt": "2026-01-01T00:00:00Z",
        "createdBy": {"id": "42", "type": "user"},
        "modifiedBy": {"id": "43", "type": "user"},
        "links": {"self": "x"},
        "someFutureField": {"kept": True},
    }
    if parent:
        item["parent"] = {"id": parent, "links": {"self": "x"}}
    return item
