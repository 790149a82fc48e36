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


def test_below_the_cost_with_a_reset_known_waits_for_the_reset_not_for_refill(clock: FakeClock) -> None:
    # The end-to-end reproduction: 1000 credits a minute, 7 single creates, then a bulk of 5.
    bucket = CreditBucket(1000, clock=clock.now, sleep=clock.sleep)
    for spent in range(1, 8):
        assert bucket.acquire(100) == 0.0
        sent = bucket.answered()
        bucket.observe(remaining=1000 - 100 * spent, reset_in=60.0, limit=1000, sent_at=sent)
    assert bucket.available == pytest.approx(300)
    clock.sleep(12.0)  # refill at 1000/60 per second would have given the 200 missing credits by now...
    assert bucket.available == pytest.approx(300)  # ...but Miro frees nothing before its Reset
    assert bucket.acquire(500) == pytest.approx(48.0)  # the bulk waits until the reset, then goes
    assert clock.t == pytest.approx(60.0)
    assert bucket.available == pytest.approx(500)  # after the reset the whole limit is trusted again


def test_calls_cheaper_than_remaining_go_at_once_and_count_against_the_window(clock: FakeClock) -> None:
    bucket = CreditBucket(1000, clock=clock.now, sleep=clock.sleep)
    bucket.observe(remaining=300, reset_in=40.0)
    assert [bucket.acquire(100) for _ in range(3)] == [0.0, 0.0, 0.0]  # no answer seen yet: counted locally
    assert bucket.acquire(50) == pytest.approx(40.0)


def test_out_of_order_answers_keep_the_lowest_remaining_and_the_latest_reset(clock: FakeClock) -> None:
    bucket = CreditBucket(1000, clock=clock.now, sleep=clock.sleep)
    bucket.observe(remaining=200, reset_in=30.0)
    bucket.observe(remaining=400, reset_in=20.0)  # an older answer arriving late
    assert bucket.available == pytest.approx(200)
    assert bucket.acquire(300) == pytest.approx(30.0)


def test_without_reset_the_own_budget_paces_under_miros_remaining(clock: FakeClock) -> None:
    bucket = CreditBucket(600, clock=clock.now, sleep=clock.sleep)  # 10 credits per second
    bucket.observe(remaining=100, reset_in=None)
    assert bucket.acquire(300) == pytest.approx(20.0)  # refill from 100 up to 300
    bucket.observe(remaining=0, reset_in=3600.0)  # a reset beyond a minute is not a per-minute window
    assert bucket.acquire(100) == pytest.approx(10.0)


def test_threads_waiting_for_a_reset_take_the_new_window_without_overdrawing_it(clock: FakeClock) -> None:
    bucket = CreditBucket(1000, clock=clock.now, sleep=clock.sleep)
    bucket.observe(remaining=0, reset_in=60.0)
    took_at: list[float] = []  # clock time when each worker got its credits (the fake clock adds every sleep)
    lock = threading.Lock()

    def worker() -> None:
        bucket.acquire(500)
        with lock:
            took_at.append(clock.now())

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(took_at) == 3 and min(took_at) >= 60.0 - 1e-6  # nobody went before the reset
    # 1500 credits from a 1000 budget: the last had to wait beyond the reset for the own bucket's refill.
    assert max(took_at) >= 60.0 + 500 / (1000 / 60) - 1e-6


def test_a_wait_for_credits_ends_when_enough_of_our_own_calls_leave_the_window(clock: FakeClock) -> None:
    """Issue 18: never later than needed. Calls spread over a minute free their credits one by one,
    while Miro's Reset (the newest call + 60 s) promises everything back only at the end."""
    bucket = CreditBucket(1000, clock=clock.now, sleep=clock.sleep)
    for spent in range(1, 11):  # 10 calls of 100 credits, one every 5 s: the budget is used up at t=45
        assert bucket.acquire(100) == 0.0
        bucket.answered()  # answered at once (the fake clock only moves when someone sleeps)
        bucket.observe(remaining=1000 - 100 * spent, reset_in=60.0, limit=1000)
        if spent < 10:
            clock.sleep(5.0)
    assert clock.t == pytest.approx(45.0)
    # the call sent at t=0 leaves the window at t=60; Reset says t=105: wait for the first, not the second
    assert bucket.acquire(100) == pytest.approx(15.0)
    assert bucket.acquire(200) == pytest.approx(10.0)  # the calls of t=5 and t=10 are back at t=70
    assert clock.t == pytest.approx(70.0)


def test_credits_spent_before_miros_figure_left_the_window_are_not_given_back_twice(clock: FakeClock) -> None:
    bucket = CreditBucket(1000, clock=clock.now, sleep=clock.sleep)
    assert bucket.acquire(400) == 0.0  # t=0
    bucket.answered()
    clock.sleep(61.0)  # that call has left the window...
    bucket.observe(remaining=100, reset_in=30.0)  # ...and Miro counts 900 spent by others
    assert bucket.acquire(300) == pytest.approx(30.0)  # only Reset brings credits back


def test_a_call_not_yet_answered_gives_nothing_back_before_reset(clock: FakeClock) -> None:
    """Miro counts a call when it receives it, later than we sent it: only its answer bounds that."""
    bucket = CreditBucket(1000, clock=clock.now, sleep=clock.sleep)
    assert bucket.acquire(600) == 0.0  # sent at t=0, its answer not in yet
    bucket.observe(remaining=400, reset_in=64.0)  # Miro promises everything back at t=64
    clock.sleep(2.0)
    bucket.answered()  # the answer arrives at t=2: Miro counted the call at t=2 at the latest
    assert bucket.acquire(900) == pytest.approx(60.0)  # back at t=62 (answer + 60): before Reset, not at t=60


def test_credits_our_calls_free_are_used_at_once_not_at_the_own_buckets_refill_rate(clock: FakeClock) -> None:
    """Issue 18: with Miro's window known, its figure and our ledger decide. The own bucket (refilled at
    limit/60 per second) once capped by each answer's Remaining paced a second minute at one 2,000-credit
    chunk every 1.2 s, while the chunks of the first minute were leaving Miro's window all at once."""
    bucket = CreditBucket(1000, clock=clock.now, sleep=clock.sleep)
    for spent in range(1, 11):  # the budget spent within a second: 100 credits every 0.1 s
        assert bucket.acquire(100) == 0.0
        bucket.answered()
        bucket.observe(remaining=1000 - 100 * spent, reset_in=60.0, limit=1000)  # Reset: newest call + 60 s
        clock.sleep(0.1)
    for _ in range(10):  # a second minute: each call goes as soon as a call of the first one has left
        bucket.acquire(100)
        bucket.answered()
        bucket.observe(remaining=0, reset_in=60.0, limit=1000)  # Miro's window is full again at every answer
    assert clock.t == pytest.approx(60.9)  # the last call of the first minute left at 60.9 (not ~114 s)


def test_a_reset_frees_the_calls_answered_before_it_was_counted_not_the_later_ones(clock: FakeClock) -> None:
    """Miro's Reset ("when the credits will be reset") frees what it counted, however recent; a call
    answered after the call that carried the figure was sent may not be in it: it waits for its own minute."""
    bucket = CreditBucket(1000, clock=clock.now, sleep=clock.sleep)
    assert bucket.acquire(600) == 0.0
    bucket.answered()  # t=0
    clock.sleep(1.0)
    assert bucket.acquire(100) == 0.0  # sent at t=1, counted by Miro with the first one
    sent = bucket.answered()
    bucket.observe(remaining=300, reset_in=5.0, limit=1000, sent_at=sent)  # everything back at t=6
    assert bucket.acquire(900) == pytest.approx(5.0)  # at the Reset, not at t=60
    assert bucket.available == pytest.approx(100)


def test_credits_spent_by_another_program_come_back_with_their_figure(clock: FakeClock) -> None:
    bucket = CreditBucket(1000, clock=clock.now, sleep=clock.sleep)
    assert bucket.acquire(100) == 0.0
    sent = bucket.answered()
    bucket.observe(remaining=200, reset_in=50.0, limit=1000, sent_at=sent)  # Miro counts 800, we spent 100
    assert bucket.available == pytest.approx(200)
    assert bucket.acquire(500) == pytest.approx(50.0)  # the others' 700 are trusted back only at the Reset


def test_the_ledger_forgets_calls_out_of_the_window(clock: FakeClock) -> None:
    """A long session keeps only the last minute or so of calls, with or without rate-limit headers."""
    bucket = CreditBucket(100_000, clock=clock.now, sleep=clock.sleep)
    for _ in range(500):
        bucket.acquire(100)
        bucket.answered()
        clock.sleep(1.0)
    assert len(bucket._uncovered) <= 61 and len(bucket._leaving) <= 61


def test_miros_limit_is_adopted_even_above_the_budget_assumed(clock: FakeClock) -> None:
    """X-RateLimit-Limit is Miro's own figure for the minute (a plan with more credits): trusted both ways."""
    bucket = CreditBucket(1000, clock=clock.now, sleep=clock.sleep)
    assert bucket.acquire(1000) == 0.0
    sent = bucket.answered()
    bucket.observe(remaining=9000, reset_in=60.0, limit=10_000, sent_at=sent)
    assert bucket.available == pytest.approx(9000)
    assert bucket.acquire(5000) == 0.0


def test_a_call_freed_early_by_a_reset_is_counted_back_once_in_the_announced_wait(clock: FakeClock) -> None:
    """A Reset that frees a call sooner leaves its first leaving time in the ledger's heap: that stale
    entry must not count its credits a second time, or the wait announced (and slept) ends too early."""
    bucket = CreditBucket(1000, clock=clock.now, sleep=clock.sleep)
    announced: list[float] = []
    bucket.on_wait = announced.append
    assert bucket.acquire(600) == 0.0
    bucket.answered()  # t=0: leaves the window at t=60
    clock.sleep(1.0)
    assert bucket.acquire(400) == 0.0
    bucket.answered()  # t=1: leaves at t=61
    bucket.observe(remaining=0, reset_in=10.0, limit=1000, sent_at=0.5)  # the Reset (t=11) frees the first only
    assert bucket.acquire(700) == pytest.approx(60.0)  # 600 back at t=11 are not enough: the 400 of t=61 are needed
    assert announced == [pytest.approx(60.0)]  # one wait, announced right (not 10 s, then 50 s more)
