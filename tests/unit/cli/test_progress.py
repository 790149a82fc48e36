"""Progress of a push: phases from the plan, credit waits said with a countdown (fake clock, no waiting)."""

from __future__ import annotations

import io

import pytest

from gria_miro.cli._progress import ApplyProgress, Phase, reading_board
from gria_miro.miro.pacing import CreditBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_credit_wait_is_announced_with_its_countdown_and_counted_once() -> None:
    clock = FakeClock()
    progress = ApplyProgress([Phase("Suppression", 10)], clock=clock)
    seen: list[str | None] = []

    def sleep(seconds: float) -> None:  # what a user sees while the request sleeps, then time passes
        seen.append(progress.wait_message())
        clock.now += seconds

    bucket = CreditBucket(6000, clock=clock, sleep=sleep)  # 100 credits per second
    bucket.on_wait = progress.credit_wait
    bucket.acquire(6000)  # the whole minute's budget
    assert progress.wait_message() is None and progress.waited == 0
    bucket.acquire(2300)  # 23 s until enough credits are back
    assert seen == ["en attente du quota Miro : reprise dans 23 s"]
    assert progress.wait_message() is None
    assert progress.waited == 23


def test_the_countdown_goes_down_and_concurrent_waits_are_not_added_up() -> None:
    clock = FakeClock()
    progress = ApplyProgress([], clock=clock)
    for _ in range(16):  # sixteen threads told to wait for the same 30 s
        progress.credit_wait(30)
    assert progress.wait_message() == "en attente du quota Miro : reprise dans 30 s"
    clock.now += 10.5
    assert progress.wait_message() == "en attente du quota Miro : reprise dans 20 s"
    clock.now += 15
    assert progress.wait_message() == "en attente du quota Miro : reprise dans 4,5 s"
    progress.credit_wait(10)  # a later wait overlapping the first: only the extra 5.5 s count
    clock.now += 20
    assert progress.wait_message() is None
    assert progress.waited == 35.5


def test_without_a_terminal_each_long_wait_is_one_log_line() -> None:
    clock = FakeClock()
    log = io.StringIO()
    progress = ApplyProgress([], clock=clock, log=log)
    progress.credit_wait(0.5)  # the pacing's small steps are not worth a line
    clock.now += 1
    progress.credit_wait(61)
    progress.credit_wait(61)  # another thread, same wait
    assert log.getvalue().splitlines() == ["en attente du quota Miro : reprise dans 1 min 01 s"]


def test_writes_are_counted_against_their_phase() -> None:
    progress = ApplyProgress([Phase("Création des zones", 3), Phase("Placement des cartes et éléments", 5)])
    assert progress.phase_now() == "Création des zones"
    progress.advance(2)
    assert progress.phase_now() == "Création des zones"
    progress.advance(1)
    assert progress.phase_now() == "Placement des cartes et éléments"
    progress.advance(5)
    assert progress.phase_now() == "Placement des cartes et éléments"


def test_reading_the_board_writes_nothing_without_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with reading_board():
        pass
    assert capsys.readouterr() == ("", "")
