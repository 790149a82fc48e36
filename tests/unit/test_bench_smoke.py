"""The push/pull benchmark at toy scale (no latency, a small deck, 1 run), so that its code cannot rot.

Timings are not checked here (they live in ``bench/``): only that every scenario runs, does the work it
claims, and reports the figures the table and the JSON need.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench import bounds
from bench.run import Config, render, run_benchmark
from tests.conftest import ROOT

CARDS = 8


def small_deck(tmp_path: Path) -> Path:
    """The shipped deck cut to its first cards (prerequisites dropped: they could point to cut cards)."""
    raw: dict[str, Any] = yaml.safe_load((ROOT / "decks" / "gria-fr.yaml").read_text(encoding="utf-8"))
    raw["cards"] = raw["cards"][:CARDS]
    for card in raw["cards"]:
        card.pop("prerequisites", None)
    path = tmp_path / "petit.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_every_scenario_runs_and_reports_its_figures(tmp_path: Path) -> None:
    config = Config(
        latency=0.0,
        runs=1,
        teams=2,
        deck=str(small_deck(tmp_path)),
        startup_runs=1,
        per_stage=1,
        cli_push=False,
        retries=0,  # timings mean nothing at toy scale: no second try
    )
    results = run_benchmark(config)

    by_name = {s["name"]: s for s in results["scenarios"]}
    assert set(by_name) == {
        "push-1", "naive-1", "seqbulk-1", "repush-1", "push-2", "naive-2", "seqbulk-2", "repush-2", "pull-2",
    }  # fmt: skip
    push1, naive1, seq1 = by_name["push-1"], by_name["naive-1"], by_name["seqbulk-1"]
    items = push1["items"]
    assert push1["extra"]["created"] == items and push1["write_requests"] > 0
    assert naive1["requests"] == naive1["write_requests"] == items  # one create per item
    assert seq1["requests"] == seq1["bound_rounds"] and seq1["requests"] >= math.ceil(items / 20)
    assert naive1["credits"] == seq1["credits"] == 100 * items  # bulk costs level 2 per item, as single creates
    for name in ("repush-1", "repush-2"):
        assert by_name[name]["write_requests"] == 0 and by_name[name]["requests"] > 0
    assert by_name["naive-2"]["extrapolated"] and not by_name["push-2"]["extrapolated"]
    pull = by_name["pull-2"]
    assert pull["extra"]["moved"] == pull["extra"]["cards_in_stages"] > 0  # the moved cards are read in their stages
    for scenario in results["scenarios"]:
        assert scenario["seconds"] >= 0 and scenario["bound_rounds"] > 0
        if not scenario["extrapolated"]:
            assert scenario["rate_limited"] == 0 and scenario["rounds"] >= 1
            assert scenario["peak_mib"] > 0 or not Path("/proc/self/clear_refs").exists()

    assert {r["name"] for r in results["ratios"]} == {
        "naive-1/push-1", "seqbulk-1/push-1", "naive-2/push-2", "seqbulk-2/push-2",
    }  # fmt: skip
    assert all(isinstance(t["met"], bool) and t["detail"] for t in results["targets"])
    for target in results["targets"]:
        assert len(target["tries"]) == 1 and "margin" in target and target["tries"][0]["load"]["cpus"] >= 1
    counted = {t["target"]: t for t in results["targets"] if not t["timing"]}
    assert counted["re-push sans changement : 0 écriture"]["verdict"] == "atteint"
    read = counted["lecture 2 équipe(s) (pull, plan, re-push) ≤ 6 allers-retours en série"]
    assert "sans l'état local" in read["detail"]  # met or not: without latency, rounds mean nothing
    names = {t["target"] for t in results["targets"]}
    assert {"push 2 équipes ≤ 1,03 × plancher de crédits", "gria-miro push --help ≤ 0,2 s"} <= names
    assert by_name["pull-2"]["extra"]["bound_per_type"] >= 1 and by_name["pull-2"]["extra"]["frames"] > 0
    assert results["startup"]["seconds"] > 0
    json.dumps(results)  # the --json output
    table = render(results)
    assert "gria-miro push" in table and "(extrapolé)" in table


def test_round_trip_and_credit_bounds() -> None:
    # A first push of 188 items (9 frames, 179 children) on 8 workers: read, 9 frames (2 rounds), 9 chunks (2 rounds).
    assert bounds.push_rounds(1, 9, bounds.chunks(179), 8) == 5
    assert bounds.push_rounds(1, 112, bounds.chunks(1981), 32) == 1 + 4 + 4  # 10 teams: one POST /frames per frame
    # Cursor chains run side by side, but never faster than the pages divided among the workers.
    assert bounds.read_rounds([1, 1, 2, 19, 6, 5, 1, 1], 8) == 19
    assert bounds.read_rounds([3] * 16, 8) == 6
    # Per frame: 112 frames (3 pages), the fullest holds 130 items (3 pages), 101 small ones; 9 one-page listings.
    children = [130] * 10 + [18] * 101
    assert bounds.frame_read_rounds(112, children, 9, 32) == 3 + 3  # frames' pages, then the fullest frame's
    assert bounds.frame_read_rounds(112, children, 9, 32, frames_known=True) == 5  # 143 pages on 32 workers
    assert bounds.frame_read_rounds(112, children, 9, 64, frames_known=True) == 3
    assert bounds.frame_read_rounds(0, [], 7, 32) == 1  # an empty board: one round of first pages
    # Within the budget nothing waits; 150,000 credits cannot all be spent before the first minute has passed.
    assert bounds.credit_floor_seconds([2000] * 50, 100_000) == 0.0
    assert bounds.credit_floor_seconds([2000] * 75, 100_000) == 60.0
    # The children no sooner than their frames' answers: every later window shifts with them.
    ready = [0.0] * 5 + [0.3] * 70
    assert bounds.credit_floor_seconds([100] * 5 + [2000] * 70, 100_000, ready=ready) == pytest.approx(60.3)
    assert bounds.sequential_seconds([100] * 10, 0.5, 100_000) == 5.0
    # 50 chunks of 20 fill the minute; the 51st waits for the first to leave the window (float-safe: it ends).
    assert bounds.sequential_seconds([2000] * 75, 0.153, 100_000) == pytest.approx(60 + 25 * 0.153)
    assert bounds.observed_rounds([(0, 1), (0.5, 1.5), (1, 2), (2, 3)]) == 3


def test_the_peers_table_says_why_a_peer_has_no_figures() -> None:
    from bench.peers import _bodies, _row, render

    bodies = _bodies("gria-fr", 1)
    frames = {key for key, _ in bodies["frames"]}
    assert frames and all("type" not in body for _, body in bodies["frames"])  # per-type frame bodies
    assert all(body["type"] != "frame" for _, _, body in bodies["children"])  # bulk elements
    assert all(parent in frames for _, parent, _ in bodies["children"] if parent)
    rows = [
        _row("gria-miro", created=248, items=248, requests=25, rate_limited=0, seconds=0.6, finished=True),
        _row("miro-board", created=92, items=248, requests=20, rate_limited=3, seconds=9.0,
             error='MiroError: POST /boards/b/items/bulk -> HTTP 429: {"status": 429}'),
        _row("miro-api", items=248, error="non installé : lancez python -m bench.peers --setup"),
    ]  # fmt: skip
    table = render(rows, 0.15, 100_000, 1)
    assert "| gria-miro | 248 sur 248 | 25 | 0 | 0.6 | oui |" in table
    assert "| miro-board | 92 sur 248 | 20 | 3 | 9.0 | non, arrêté par un 429 (MiroError) |" in table
    assert "| miro-api | — | — | — | — | non, non installé : lancez python -m bench.peers --setup |" in table
