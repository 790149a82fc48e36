"""Credit pacing: a burst beyond the budget waits instead of earning a 429."""

from __future__ import annotations

import threading

import pytest
import responses

from gria_miro.miro.pacing import CreditBucket, credits_for
from tests.miro.conftest import BOARD, BOARD_ID, FakeClock, make_client


@pytest.mark.parametrize(
    ("method", "route", "items", "credits"),
    [
        ("GET", "board", 1, 50),
        ("GET", "items", 1, 100),
        ("POST", "create", 1, 100),
        ("DELETE", "item", 1, 500),
        ("POST", "boards", 1, 500),
        ("POST", "tags", 1, 50),
        ("POST", "bulk", 20, 2000),
        ("POST", "bulk", 3, 300),
    ],
)
def test_costs_follow_the_levels(method: str, route: str, items: int, credits: int) -> None:
    assert credits_for(method, route, items=items) == credits


def test_bucket_waits_for_refill(clock: FakeClock) -> None:
    bucket = CreditBucket(600, clock=clock.now, sleep=clock.sleep)  # 10 credits per second
    for _ in range(6):
        assert bucket.acquire(100) == 0.0
    assert bucket.acquire(100) == pytest.approx(10.0)
    assert clock.t == pytest.approx(10.0)
    assert bucket.waited_seconds == pytest.approx(10.0)


def test_bucket_adopts_miro_remaining_and_waits_for_reset(clock: FakeClock) -> None:
    bucket = CreditBucket(100_000, clock=clock.now, sleep=clock.sleep)
    bucket.observe(remaining=0, reset_in=20.0)
    bucket.acquire(50)
    assert clock.t == pytest.approx(20.0)
    bucket.observe(remaining=120, reset_in=None, limit=6000)
    assert bucket.available == pytest.approx(120)
    assert bucket.capacity == 6000


def test_bucket_is_shared_between_threads(clock: FakeClock) -> None:
    bucket = CreditBucket(6000, clock=clock.now, sleep=clock.sleep)  # 100 credits per second
    threads = [threading.Thread(target=lambda: [bucket.acquire(100) for _ in range(20)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 8000 credits taken from a bucket of 6000 refilling at 100/s: at least 20 s must have passed.
    assert clock.t >= 20.0 - 1e-6


def test_a_burst_beyond_the_budget_paces_itself(mock: responses.RequestsMock, clock: FakeClock) -> None:
    mock.get(BOARD, json={"id": BOARD_ID})
    with make_client(clock, credits_per_minute=1000) as client:  # 20 level-1 calls a minute
        for _ in range(25):
            client.get_board(BOARD_ID)
        assert len(mock.calls) == 25
        assert client.stats.rate_limited == 0
        assert client.stats.pacing_wait_seconds == pytest.approx(5 * 3.0)  # 50 credits at 1000/60 per second
        assert client.stats.credits_spent == 25 * 50


def test_ratelimit_headers_slow_the_client_down(mock: responses.RequestsMock, clock: FakeClock) -> None:
    mock.get(BOARD, json={"id": BOARD_ID}, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "15"})
    mock.get(BOARD, json={"id": BOARD_ID})
    with make_client(clock) as client:
        client.get_board(BOARD_ID)
        client.get_board(BOARD_ID)
        assert client.stats.pacing_wait_seconds == pytest.approx(15.0)
