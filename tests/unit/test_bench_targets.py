"""Benchmark targets: margin, a new try after a miss, and no failure blamed on a loaded machine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench import targets
from bench.targets import INCONCLUSIVE, MET, MISSED, Target, check, describe, failed


def _load(load1: float, cpus: int = 2) -> dict[str, float]:
    return {"load1": load1, "load5": load1, "load15": load1, "cpus": cpus}


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The 1-minute loads the next calls of ``machine_load`` return (the last one repeats)."""
    queue: list[float] = [0.5]

    def fake() -> dict[str, float]:
        return _load(queue.pop(0) if len(queue) > 1 else queue[0])

    monkeypatch.setattr(targets, "machine_load", fake)
    return queue


def _tries(*values: float) -> Iterator[tuple[float, str]]:
    for value in values:
        yield value, f"{value} s"


def test_a_met_target_is_measured_once_and_states_its_margin(loads: list[float]) -> None:
    tries = _tries(0.4, 0.1)
    result = check(Target("layout < 0,5 s", 0.5, "s", strict=True), lambda: next(tries))
    assert (result["verdict"], result["value"], result["margin"], len(result["tries"])) == (MET, 0.4, 0.2, 1)
    assert "marge +20 %" in describe(result) and "1 essai ;" in describe(result)


def test_a_timing_miss_is_tried_again_and_the_best_try_kept(loads: list[float]) -> None:
    tries = _tries(0.7, 0.45, 0.9)
    result = check(Target("layout < 0,5 s", 0.5, "s", strict=True), lambda: next(tries))
    assert (result["verdict"], result["value"], len(result["tries"])) == (MET, 0.45, 2)


def test_a_miss_on_a_quiet_machine_fails(loads: list[float]) -> None:
    tries = _tries(0.7, 0.8, 0.6)
    result = check(Target("layout < 0,5 s", 0.5, "s", strict=True, retries=2), lambda: next(tries))
    assert (result["verdict"], result["value"], len(result["tries"])) == (MISSED, 0.6, 3)
    assert result["margin"] == pytest.approx(-0.2)
    assert "manque 20 %" in describe(result)
    assert failed([result])


def test_a_miss_while_other_programs_held_the_cores_is_inconclusive(loads: list[float]) -> None:
    loads[:] = [0.5, 0.5, 6.0, 6.0, 0.5]  # before/after each try: the second try ran on a busy machine
    tries = _tries(0.7, 0.8, 0.6)
    result = check(Target("layout < 0,5 s", 0.5, "s", strict=True), lambda: next(tries))
    assert result["verdict"] == INCONCLUSIVE
    assert [t["quiet"] for t in result["tries"]] == [True, False, True]
    assert not failed([result])


def test_a_counting_target_is_measured_once_and_fails_whatever_the_load(loads: list[float]) -> None:
    loads[:] = [9.0]
    tries = _tries(3, 0)
    result = check(Target("re-push : 0 écriture", 0, "écritures", timing=False), lambda: next(tries))
    assert (result["verdict"], len(result["tries"])) == (MISSED, 1)
    assert failed([result])


def test_an_already_measured_first_try_is_used_then_measured_again(loads: list[float]) -> None:
    tries = _tries(12.0)
    target = Target("≥ 10× plus rapide", 10, "×", at_least=True)
    result = check(target, lambda: next(tries), first=(8.0, "8×"))
    assert (result["verdict"], result["value"], [t["value"] for t in result["tries"]]) == (MET, 12.0, [8.0, 12.0])
    assert result["margin"] == pytest.approx(0.2)


def test_machine_load_has_the_number_of_cores() -> None:
    load = targets.machine_load()
    assert load["cpus"] >= 1 and load["load1"] >= 0
