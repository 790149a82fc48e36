"""Benchmark targets that say how far they are from their limit and do not flip with the machine's load.

One responsibility: judge one measured value against its limit. Every target states its margin (how much
room is left, or how much is missing, as a share of the limit). A target that depends on the machine's
speed (``timing``) is measured again when the first try misses, up to ``retries`` more times, and keeps
its best try. Each try records the machine's load (``os.getloadavg``) before and after it: a timing target
that still misses while the load was above the number of cores is reported as "non concluant", not as a
failure, since another program took the cores. A target that counts things (requests, writes, 429s) does
not depend on the load: it is measured once and a miss is always a failure.

A benchmark exits non-zero only when :func:`failed` finds a target missed on a quiet machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

MET = "atteint"
MISSED = "NON ATTEINT"
INCONCLUSIVE = "non concluant (machine chargée)"


def machine_load() -> dict[str, float]:
    """The 1-, 5- and 15-minute load averages and the number of cores (load 0 where the OS has none)."""
    try:
        one, five, fifteen = os.getloadavg()
    except (AttributeError, OSError):  # Windows has no load average
        one = five = fifteen = 0.0
    return {"load1": round(one, 2), "load5": round(five, 2), "load15": round(fifteen, 2), "cpus": os.cpu_count() or 1}


def is_quiet(load: dict[str, float]) -> bool:
    """No program was waiting for a core: the 1-minute load average at most the number of cores."""
    return load["load1"] <= load["cpus"]


@dataclass(frozen=True)
class Target:
    """``value ≤ limit`` (or ``≥`` with ``at_least``; strict ``<``/``>`` with ``strict``)."""

    name: str  # what is promised, in French: "layout 10 000 cartes × 10 équipes < 0,5 s"
    limit: float
    unit: str = ""  # "s", "×", "requêtes"…
    at_least: bool = False
    strict: bool = False
    timing: bool = True  # depends on the machine's speed and load
    retries: int = 2  # further tries of a timing target that missed

    def meets(self, value: float) -> bool:
        if self.at_least:
            return value > self.limit if self.strict else value >= self.limit
        return value < self.limit if self.strict else value <= self.limit

    def margin(self, value: float) -> float:
        """Room left as a share of the limit: 0.25 = 25 % to spare, −0.1 = 10 % too much (or too little)."""
        if self.limit == 0:
            return 0.0 if self.meets(value) else -1.0
        room = (value - self.limit) if self.at_least else (self.limit - value)
        return room / abs(self.limit)

    def better(self, a: float, b: float) -> float:
        return max(a, b) if self.at_least else min(a, b)


Measure = Callable[[], tuple[float, str]]  # one try: the value, and a line of detail


def check(target: Target, measure: Measure | None = None, first: tuple[float, str] | None = None) -> dict[str, Any]:
    """Judge ``target``: ``first`` (an already measured try) or a try of ``measure``, then more tries of
    ``measure`` while a timing target misses. Returns the JSON-able verdict (value, margin, tries with
    their load, verdict)."""
    assert first is not None or measure is not None, "a target needs a value or a way to measure one"
    tries: list[dict[str, Any]] = []
    best: tuple[float, str] | None = None
    while True:
        before = machine_load()
        if first is not None and not tries:
            value, detail = first
        else:
            assert measure is not None
            value, detail = measure()
        after = machine_load()
        busiest = before if before["load1"] >= after["load1"] else after
        tries.append({"value": value, "detail": detail, "load": busiest, "quiet": is_quiet(busiest)})
        if best is None or target.better(value, best[0]) == value:
            best = (value, detail)
        if target.meets(best[0]) or not target.timing or measure is None or len(tries) > target.retries:
            break
    value, detail = best
    met = target.meets(value)
    quiet = all(t["quiet"] for t in tries)
    verdict = MET if met else (MISSED if (quiet or not target.timing) else INCONCLUSIVE)
    return {
        "target": target.name,
        "limit": target.limit,
        "unit": target.unit,
        "value": value,
        "margin": round(target.margin(value), 3),
        "met": met,
        "verdict": verdict,
        "timing": target.timing,
        "tries": tries,
        "detail": detail,
    }


def describe(result: dict[str, Any]) -> str:
    """One line: ``[atteint] name — detail ; marge +23 % ; 2 essais ; charge 0,4 (2 cœurs)``."""
    margin = result["margin"] * 100
    tries = result["tries"]
    loads = ", ".join(f"{t['load']['load1']:.1f}".replace(".", ",") for t in tries)
    cpus = tries[-1]["load"]["cpus"]
    room = f"marge {margin:+.0f} %" if result["met"] else f"manque {-margin:.0f} %"
    attempts = f"{len(tries)} essai{'s' if len(tries) > 1 else ''}"
    return (
        f"[{result['verdict']}] {result['target']} — {result['detail']} ; {room} ; {attempts} ; "
        f"charge {loads} ({cpus} cœurs)"
    )


def failed(results: Sequence[dict[str, Any]]) -> bool:
    """True when a target was missed on a quiet machine (or a counting target was missed at all)."""
    return any(r["verdict"] == MISSED for r in results)
