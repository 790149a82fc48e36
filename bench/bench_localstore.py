"""Benchmark: one card move on a workshop-size local board, JSON board file vs SQLite board database.

Run from the repository root: ``python -m bench.bench_localstore`` (``--items N``, ``--moves M``).

A board of ``--items`` items (default 1,493, a 10-team workshop) is built in each store: 40 frames,
then cards with a description of about 900 characters, so the JSON file weighs about what a real
one does (1.4 MB). Then ``--moves`` cards are moved, one request each, through the in-process engine
(no network, no injected latency), and the time of each request is recorded. The JSON store rewrites
the whole file on every move; the SQLite store writes the moved card's row.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from gria_miro.localboard.adapter import local_session, open_local_board
from gria_miro.localboard.faults import FaultPlan

FRAMES = 40
DESCRIPTION = (
    "Rédiger avec l'équipe une première version de la charte d'usage de l'IA générative : objectifs, "
    "usages autorisés, données interdites, relecture humaine, mention des contenus produits. "
) * 5


def _build(path: Path, items: int) -> tuple[Any, str, list[str], list[str]]:
    target = open_local_board(path, faults=FaultPlan(seed=0, credits_per_minute=10**9))  # no credit limit here
    session = local_session(target)
    base = f"{target.base_url}/v2/boards/{target.board_id}"
    frames = []
    for index in range(FRAMES):
        body = {"data": {"title": f"Étape {index}"}, "position": {"x": index * 3000, "y": 0},
                "geometry": {"width": 2800, "height": 2000}}  # fmt: skip
        frames.append(session.post(f"{base}/frames", json=body).json()["id"])
    cards: list[str] = []
    remaining = items - FRAMES
    while remaining > 0:
        chunk = min(20, remaining)
        bulk = [
            {"type": "card", "data": {"title": f"C-{len(cards) + i:04d} · Action", "description": DESCRIPTION},
             "parent": {"id": frames[(len(cards) + i) % FRAMES]}, "position": {"x": 200, "y": 150}}
            for i in range(chunk)
        ]  # fmt: skip
        response = session.post(f"{base}/items/bulk", json=bulk)
        assert response.status_code == 201, response.text
        cards += [item["id"] for item in response.json()["data"]]
        remaining -= chunk
    return session, base, frames, cards


def _moves(session: Any, base: str, frames: list[str], cards: list[str], moves: int) -> list[float]:
    timings = []
    for index in range(moves):
        card = cards[(index * 37) % len(cards)]
        body = {"parent": {"id": frames[index % FRAMES]}, "position": {"x": 100 + index % 50, "y": 120}}
        start = time.perf_counter()
        response = session.patch(f"{base}/items/{card}", json=body)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text
    return timings


def run(items: int, moves: int) -> dict[str, Any]:
    results: dict[str, Any] = {"items": items, "moves": moves, "stores": {}}
    with tempfile.TemporaryDirectory() as folder:
        for name in ("atelier.json", "atelier.db"):
            path = Path(folder) / name
            session, base, frames, cards = _build(path, items)
            timings = _moves(session, base, frames, cards, moves)
            size = sum(p.stat().st_size for p in Path(folder).glob(name + "*"))
            results["stores"][name] = {
                "file_bytes": size,
                "median_ms": round(statistics.median(timings), 2),
                "p95_ms": round(statistics.quantiles(timings, n=20)[18], 2),
                "max_ms": round(max(timings), 2),
            }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1493)
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    results = run(args.items, args.moves)
    print(f"Un déplacement de carte sur un tableau de {results['items']} éléments ({results['moves']} déplacements)")
    print(f"{'stockage':<14}{'fichier':>12}{'médiane':>10}{'p95':>10}{'max':>10}")
    for name, row in results["stores"].items():
        kind = "JSON" if name.endswith(".json") else "SQLite"
        print(
            f"{kind:<14}{row['file_bytes'] / 1e6:>10.2f} Mo{row['median_ms']:>8.2f} ms"
            f"{row['p95_ms']:>7.2f} ms{row['max_ms']:>7.2f} ms"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
