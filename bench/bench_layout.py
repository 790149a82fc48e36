"""Benchmark of the layout engine: a synthetic 10,000-card deck laid out for 10 teams.

Run from the repository root: ``.venv/bin/python -m bench.bench_layout`` (target: < 0.5 s).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gria_miro.deck.model import Deck
from gria_miro.layout.engine import compute_board
from gria_miro.layout.loading import load_layout

TARGET_SECONDS = 0.5


def synthetic_card(code: str, theme: str, i: int) -> dict[str, Any]:
    """A valid card whose attributes vary with ``i``."""
    level = i % 4 + 1
    costs = {1: (0, 400), 2: (800, 3000), 3: (6000, 20000), 4: (40000, 90000)}
    days = {1: 0.5, 2: 3, 3: 10, 4: 40}
    return {
        "code": code,
        "title": f"Action synthétique n°{i} <&> « test »",
        "description": f"Ce que fait l'équipe pour l'action {i}.",
        "theme": theme,
        "kind": "formelle" if i % 2 else "informelle",
        "difficulty": level,
        "cost": {"level": level, "eur_min": costs[level][0], "eur_max": costs[level][1]},
        "duration": {"level": level, "days": days[level]},
        "gains": {"categories": ["temps", "qualite"], "text": "Du temps gagné."},
        "impact": {"score": i % 5 - 2, "text": "Un impact mesuré."},
    }


def synthetic_deck(cards: int, themes: int = 20) -> Deck:
    """``cards`` cards spread over ``themes`` themes (codes like ``TA-0001`` … ``TT-499``)."""
    theme_list = [
        {"id": f"theme-{t}", "label": f"Thème {t}", "color": f"#{(t * 2654435761) & 0xFFFFFF:06x}"}
        for t in range(themes)
    ]
    per_theme = -(-cards // themes)
    card_list = []
    for i in range(cards):
        t = i % themes
        prefix = "T" + "".join(chr(ord("A") + int(d)) for d in f"{t:02d}")
        card_list.append(synthetic_card(f"{prefix}-{i // themes:03d}", f"theme-{t}", i))
    assert per_theme <= 1000, "codes have at most 3 digits"
    return Deck.model_validate(
        {"title": "Deck synthétique", "licence": "CC0", "themes": theme_list, "cards": card_list}
    )


def main(runs: int = 5) -> float:
    deck = synthetic_deck(10_000)
    layout = load_layout("randonnee")
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        board = compute_board(deck, layout, teams=10)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    verdict = "OK" if median < TARGET_SECONDS else "TROP LENT"
    print(
        f"layout: 10 000 cartes × 10 équipes → {len(board.items)} éléments ; "
        f"médiane de {runs} essais : {median:.3f} s (cible < {TARGET_SECONDS} s) {verdict}"
    )
    return median


if __name__ == "__main__":
    main()
