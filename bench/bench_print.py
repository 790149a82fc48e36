"""Benchmark of ``print cards``: every card of the shipped French deck (116 today), fronts and backs, in one PDF.

Run from the repository root: ``python -m bench.bench_print`` (target: < 2 s, median of 5 runs; option
``--runs``). Each run renders the whole PDF in memory (fonts registered once, as in one command); the
wall-clock median is judged by ``bench/targets.py`` (margin, a new try after a miss, the machine's load)
and the CPU time is shown beside it. Exit status 1 only when the target is missed on a quiet machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench.targets import Target, check, describe, failed
from gria_miro.deck.loading import load_deck
from gria_miro.deck.model import Deck
from gria_miro.paper.cards import render_cards
from gria_miro.paper.fonts import register_fonts

TARGET_SECONDS = 2.0


def measure(deck: Deck, runs: int) -> tuple[float, str]:
    cards = deck.sorted_cards()
    walls, cpus, size = [], [], 0
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        size = len(render_cards(deck, cards, backs=True))
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    wall = statistics.median(walls)
    detail = (
        f"{len(cards)} cartes recto verso : médiane {wall:.2f} s (CPU {statistics.median(cpus):.2f} s), "
        f"{size // 1024} Kio, {runs} passes"
    )
    return wall, detail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    deck = load_deck("gria-fr")
    start = time.perf_counter()
    register_fonts()
    print(f"polices enregistrées en {time.perf_counter() - start:.2f} s (une fois par commande)")
    target = Target(f"print cards : {len(deck.cards)} cartes recto verso < 2 s", TARGET_SECONDS, "s", strict=True)
    result = check(target, lambda: measure(deck, args.runs))
    print(describe(result))
    return 1 if failed([result]) else 0


if __name__ == "__main__":
    sys.exit(main())
