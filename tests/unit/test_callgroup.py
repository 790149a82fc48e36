"""Tasks run together are abandoned together: nothing left running once the operation has stopped."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from gria_miro.callgroup import CallAbandoned, CallGroup, current_group


def _wait_until_abandoned(started: threading.Event) -> str:
    """A task that would sleep a minute, as a call backing off does, unless its group is abandoned."""
    group = current_group()
    assert group is not None
    started.set()
    group.wait(60.0)
    return "abandoned" if group.abandoned else "slept"


def test_leaving_the_block_normally_gives_every_result_and_sets_no_group_outside() -> None:
    with ThreadPoolExecutor(max_workers=2) as pool, CallGroup(pool) as group:
        futures = [group.submit(lambda n=n: n * n) for n in range(5)]  # type: ignore[misc]
        results = [future.result() for future in futures]
    assert results == [0, 1, 4, 9, 16]
    assert current_group() is None


def test_leaving_early_wakes_a_running_task_and_cancels_the_ones_not_started() -> None:
    started = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        with pytest.raises(KeyboardInterrupt), CallGroup(pool) as group:
            running = group.submit(lambda: _wait_until_abandoned(started))
            queued = group.submit(lambda: "ran")
            assert started.wait(5.0)
            raise KeyboardInterrupt  # Ctrl-C while the task waits
        assert running.result(timeout=5.0) == "abandoned"  # woken at once, not after a minute
        assert queued.cancelled()
        with pytest.raises(CallAbandoned):
            CallGroup.result(queued)  # read like a call stopped midway, not as concurrent.futures' own error


def test_a_group_started_inside_a_task_is_abandoned_with_its_parent() -> None:
    started = threading.Event()
    inner: list[Any] = []

    def reads_with_its_own_group() -> str:
        with ThreadPoolExecutor(max_workers=1) as own, CallGroup(own) as child:
            inner.append(child)
            return child.submit(lambda: _wait_until_abandoned(started)).result()

    with ThreadPoolExecutor(max_workers=1) as pool:
        with pytest.raises(RuntimeError), CallGroup(pool) as group:
            outer = group.submit(reads_with_its_own_group)
            assert started.wait(5.0)
            raise RuntimeError("le deck est invalide")
        assert outer.result(timeout=5.0) == "abandoned"
    assert inner[0].abandoned


def test_a_task_submitted_after_the_group_was_abandoned_never_runs_its_work() -> None:
    ran: list[str] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        group = CallGroup(pool)
        group.abandon()
        future = group.submit(lambda: ran.append("ran"))
        with pytest.raises(CallAbandoned):
            future.result(timeout=5.0)
    assert ran == []
