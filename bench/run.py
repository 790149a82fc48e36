"""Push and pull at workshop scale against a local board with injected latency, beside the naive ways.

Run from the repository root: ``python -m bench.run`` (options: ``--latency-ms 150 --runs 3 --teams 10
--json bench/results/latest.json --quick --full``). The local board is served on 127.0.0.1 from a separate
process (``bench.serverproc``) with Miro's credit budget (100,000 per minute); each scenario gets its own
board. Prints a table and the targets, and writes everything as JSON. Each target states its margin; a
timing target that misses is measured again (``--retries``), and a miss while the machine was loaded is
reported as not conclusive (``bench/targets.py``): the exit status is 1 only for a target missed on a
quiet machine, or for a counting target (writes, 429s, round trips) missed at all.

Scenarios: gria-miro's push (1 team, ``randonnee``; N teams, ``atelier-multi-equipes``), the naive push
(one create per item, in sequence), sequential bulk (calls of 20, no concurrency), a no-op re-push, and a
pull after participants moved cards. Without ``--full`` the naive and sequential-bulk pushes of N teams
are not run: they are extrapolated from the 1-team runs (per-request time × requests, with the credit
waits of a 100k/min rolling window), and labelled so.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:  # runnable from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from bench import bounds  # noqa: E402
from bench.scenarios import (  # noqa: E402
    RunResult,
    children_per_frame,
    compute,
    frame_and_child_counts,
    gria_pull,
    gria_push,
    item_types,
    listing_chains,
    naive_push,
    play_session,
    read_bound,
    sequential_bulk_push,
    timed,
)
from bench.serverproc import Served, ServerProcess  # noqa: E402
from bench.targets import Target, check, describe, failed  # noqa: E402
from gria_miro.miro.client import DEFAULT_MAX_WORKERS  # noqa: E402

MIRO_CREDITS_PER_MINUTE = 100_000
UNLIMITED_CREDITS = 10**12
WORKERS = DEFAULT_MAX_WORKERS  # as the CLI uses it
LEVEL = {1: 50, 2: 100}
STARTUP_TARGET = 0.3
PUSH_HELP_TARGET = 0.2  # issue 18: option parsing must not import the world
CLI_TARGET = 2.0  # issue 18: the whole 1-team push process ≤ 2 × the round-trip bound
CREDIT_TARGET = 1.03  # issue 18: a push that exceeds a minute of credits ends within 1.03 × the credit floor
READ_ROUNDS_TARGET = 6  # issue 18: reading a 10-team board (pull, plan, no-op re-push)


@dataclass(frozen=True)
class Config:
    latency: float = 0.150
    runs: int = 3
    teams: int = 10
    full: bool = False
    deck: str = "gria-fr"
    single_layout: str = "randonnee"
    multi_layout: str = "atelier-multi-equipes"
    per_stage: int = 2  # cards each team drags into each stage before the pull
    startup_runs: int = 5
    cli_push: bool = True  # also time the 1-team push as a CLI subprocess
    credits: int = MIRO_CREDITS_PER_MINUTE
    retries: int = 2  # further tries of a timing target that missed


# --------------------------------------------------------------------------- measuring


def _summary(
    name: str,
    label: str,
    teams: int,
    results: list[RunResult],
    bound_rounds: int,
    bound_seconds: float,
    latency: float,
    note: str = "",
) -> dict[str, Any]:
    """Median wall time; the other figures from the median run (they do not vary between runs)."""
    times = [r.seconds for r in results]
    median = statistics.median(times)
    middle = min(results, key=lambda r: abs(r.seconds - median))
    peaks = [r.peak_bytes for r in results if r.peak_bytes is not None]
    return {
        "name": name,
        "label": label,
        "teams": teams,
        "extrapolated": False,
        "items": middle.extra.get("items"),
        "seconds": round(median, 4),
        "seconds_runs": [round(t, 4) for t in times],
        "requests": middle.requests,
        "requests_by_method": middle.requests_by_method,
        "write_requests": middle.write_requests,
        "credits": middle.credits,
        "rate_limited": max(r.rate_limited for r in results),
        "retries": max(r.retries for r in results),
        "pacing_wait_seconds": round(middle.pacing_wait_seconds, 3),
        "rounds": middle.rounds,
        "bound_rounds": bound_rounds,
        "bound_seconds": round(bound_seconds, 4),
        "rounds_seconds": round(bound_rounds * latency, 4),
        "vs_bound": round(median / bound_seconds, 2) if bound_seconds > 0 else None,
        "peak_mib": round(max(peaks) / 2**20, 2) if peaks else None,
        "phases": middle.phases(),
        "extra": middle.extra,
        "note": note,
    }


def _bound(rounds: int, latency: float, credit_floor: float) -> float:
    """Round trips × latency, or the credit wait plus the round trip after it, whichever is longer."""
    return max(rounds * latency, credit_floor + latency if credit_floor > 0 else 0.0)


class Bench:
    """Runs the scenarios of one configuration against one server process."""

    def __init__(self, config: Config, server: ServerProcess, work_dir: Path, log: Callable[[str], None]) -> None:
        self.config = config
        self.server = server
        self.work_dir = work_dir
        self.log = log
        self.latency = config.latency
        self._states = 0

    def state_path(self) -> Path:
        self._states += 1
        return self.work_dir / f"state-{self._states}.json"

    def fresh(self) -> Served:
        return self.server.new_board(latency=self.latency, credits=self.config.credits)

    def repeat(self, name: str, once: Callable[[int], RunResult]) -> list[RunResult]:
        results = []
        for run in range(self.config.runs):
            started = time.perf_counter()
            results.append(once(run))
            self.log(f"  {name} : essai {run + 1}/{self.config.runs} en {time.perf_counter() - started:.2f} s")
        return results

    # -- push, the three ways -------------------------------------------------------------

    def push(self, layout: str, teams: int | None) -> tuple[dict[str, Any], Served, Path]:
        desired = compute(self.config.deck, layout, teams)
        frames, children = frame_and_child_counts(desired)
        last: list[tuple[Served, Path]] = []

        def once(run: int) -> RunResult:
            served, state = self.fresh(), self.state_path()
            result = timed(served, gria_push(served.board_id, self.config.deck, layout, teams, state))
            if last:
                self.server.stop(last.pop()[0])
            last.append((served, state))
            return result

        n = teams or 1
        results = self.repeat(f"push gria-miro ({n} équipe·s)", once)
        read = read_bound(0, [], _read_types(), tags=None, frames_known=False)  # an empty board
        rounds = bounds.push_rounds(read, frames, bounds.chunks(children), WORKERS)
        costs, ready = _push_costs(frames, children), _push_ready(frames, children, self.latency)
        floor = bounds.credit_floor_seconds(costs, self.config.credits, ready=ready)
        credit_wait = floor - ready[-1]  # beyond what the round trips impose
        summary = _summary(
            f"push-{n}",
            "gria-miro push",
            n,
            results,
            rounds,
            _bound(rounds, self.latency, floor),
            self.latency,
            note=f"attente de crédits minimale {credit_wait:.0f} s" if credit_wait > 0 else "",
        )
        summary["credit_floor_seconds"] = round(floor, 3)
        return summary, *last[0]

    def naive(self, layout: str, teams: int | None) -> dict[str, Any]:
        desired = compute(self.config.deck, layout, teams)
        n = teams or 1

        def once(run: int) -> RunResult:
            served = self.fresh()
            try:
                return timed(served, naive_push(served.board_id, self.config.deck, layout, teams),
                             max_workers=1)  # fmt: skip
            finally:
                self.server.stop(served)

        results = self.repeat(f"push naïf ({n} équipe·s)", once)
        costs = [LEVEL[2]] * len(desired.items)
        bound_seconds = bounds.sequential_seconds(costs, self.latency, self.config.credits)
        label = "naïf : 1 requête/élément"
        return _summary(f"naive-{n}", label, n, results, len(costs), bound_seconds, self.latency)

    def sequential_bulk(self, layout: str, teams: int | None) -> dict[str, Any]:
        desired = compute(self.config.deck, layout, teams)
        n = teams or 1

        def once(run: int) -> RunResult:
            served = self.fresh()
            try:
                work = sequential_bulk_push(served.board_id, self.config.deck, layout, teams)
                return timed(served, work, max_workers=1)
            finally:
                self.server.stop(served)

        results = self.repeat(f"lots séquentiels ({n} équipe·s)", once)
        costs = _bulk_costs(*frame_and_child_counts(desired))
        bound_seconds = bounds.sequential_seconds(costs, self.latency, self.config.credits)
        label = "lots de 20 en séquence"
        return _summary(f"seqbulk-{n}", label, n, results, len(costs), bound_seconds, self.latency)

    def extrapolate(self, measured: dict[str, Any], layout: str, teams: int, *, bulk: bool) -> dict[str, Any]:
        """The N-team figure from the 1-team one: per-request time × requests, credit waits simulated."""
        desired = compute(self.config.deck, layout, teams)
        costs = _bulk_costs(*frame_and_child_counts(desired)) if bulk else [LEVEL[2]] * len(desired.items)
        per_request = measured["seconds"] / max(1, measured["requests"])
        seconds = bounds.sequential_seconds(costs, per_request, self.config.credits)
        plain = len(costs) * per_request
        bound_seconds = bounds.sequential_seconds(costs, self.latency, self.config.credits)
        kind = "seqbulk" if bulk else "naive"
        return {
            **{k: None for k in measured},
            "name": f"{kind}-{teams}",
            "label": measured["label"],
            "teams": teams,
            "extrapolated": True,
            "items": len(desired.items),
            "seconds": round(seconds, 2),
            "seconds_runs": [],
            "requests": len(costs),
            "write_requests": len(costs),
            "credits": sum(costs),
            "rate_limited": None,
            "pacing_wait_seconds": round(max(0.0, seconds - plain), 2),
            "rounds": None,
            "bound_rounds": len(costs),
            "bound_seconds": round(bound_seconds, 4),
            "rounds_seconds": round(len(costs) * self.latency, 4),
            "vs_bound": round(seconds / bound_seconds, 2) if bound_seconds > 0 else None,
            "phases": {},
            "extra": {"per_request_seconds": round(per_request, 5)},
            "note": "extrapolé (1 équipe → N : temps par requête × requêtes, attente de crédits simulée)",
        }

    def cli_push(self, layout: str, teams: int | None, library: dict[str, Any]) -> dict[str, Any]:
        """``gria-miro push --yes`` as a user runs it: a new process (start-up, imports) on a fresh board."""
        import os

        n = teams or 1
        times = []
        for run in range(self.config.runs):
            served, state = self.fresh(), self.state_path()
            command = [*_cli_command(), "push", "--board", served.board_id, "--api-url", served.url, "--yes"]
            command += ["--layout", layout, "--deck", self.config.deck, "--state", str(state)]
            if teams is not None:
                command += ["--teams", str(teams)]
            env = {**os.environ, "MIRO_TOKEN": served.token}  # not on the command line, where ps shows it
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            times.append(time.perf_counter() - started)
            self.server.stop(served)
            self.log(
                f"  push en ligne de commande ({n} équipe·s) : essai {run + 1}/{self.config.runs} en {times[-1]:.2f} s"
            )
        median = statistics.median(times)
        summary: dict[str, Any] = dict.fromkeys(library)
        summary.update(
            {
                "name": f"cli-push-{n}",
                "label": "gria-miro push (processus CLI)",
                "teams": n,
                "extrapolated": False,
                "items": library["items"],
                "seconds": round(median, 4),
                "seconds_runs": [round(t, 4) for t in times],
                "bound_rounds": library["bound_rounds"],
                "bound_seconds": library["bound_seconds"],
                "rounds_seconds": library["rounds_seconds"],
                "vs_bound": round(median / library["bound_seconds"], 2) if library["bound_seconds"] else None,
                "phases": {},
                "extra": {},
                "note": "sous-processus : démarrage, imports, verrou du tableau (créer, relire, libérer) et manifeste "
                "compris ; requêtes de la bibliothèque dans la ligne précédente",
            }
        )
        return summary

    # -- re-push and pull -------------------------------------------------------------------

    def repush(self, served: Served, state: Path, layout: str, teams: int | None) -> dict[str, Any]:
        """A second push of an unchanged deck onto the board pushed before (fresh credit window)."""
        served = self.server.reopen(served, latency=self.latency, credits=self.config.credits)
        desired = compute(self.config.deck, layout, teams)
        n = teams or 1

        def once(run: int) -> RunResult:
            return timed(served, gria_push(served.board_id, self.config.deck, layout, teams, state))

        results = self.repeat(f"re-push sans changement ({n} équipe·s)", once)
        frames = frame_and_child_counts(desired)[0]
        rounds = read_bound(frames, children_per_frame(desired), _read_types(), tags=None, frames_known=True)
        summary = _summary(
            f"repush-{n}", "re-push sans changement", n, results, rounds, rounds * self.latency, self.latency
        )
        chains = listing_chains(item_types(desired), _read_types(), with_tags=False)
        summary["extra"].update(_read_shape(frames, children_per_frame(desired), chains))
        return summary

    def pull(self, served: Served, state: Path, layout: str, teams: int | None) -> dict[str, Any]:
        """Participants move cards (no latency), then the pull is measured with latency."""
        n = teams or 1
        desired = compute(self.config.deck, layout, teams)
        setup = self.server.reopen(served, latency=0.0, credits=UNLIMITED_CREDITS)
        from bench.scenarios import make_client

        client, _ = make_client(setup, credits_per_minute=UNLIMITED_CREDITS)
        try:
            moved = play_session(client, setup.board_id, desired, state, self.config.per_stage)
        finally:
            client.close()
        served = self.server.reopen(setup, latency=self.latency, credits=self.config.credits)

        def once(run: int) -> RunResult:
            work = gria_pull(served.board_id, self.config.deck, layout, teams, state)
            return timed(served, work)

        results = self.repeat(f"pull ({n} équipe·s)", once)
        extra = results[0].extra
        frames, children, tags = extra["by_type"].get("frame", 0), extra["children"], extra["tags"]
        rounds = read_bound(frames, children, _read_types(), tags=tags, frames_known=True)
        summary = _summary(f"pull-{n}", "gria-miro pull", n, results, rounds, rounds * self.latency, self.latency)
        chains = listing_chains(extra["by_type"], _read_types(), with_tags=True)
        summary["extra"].update({"moved": moved, **_read_shape(frames, children, chains)})
        return summary


def _read_shape(frames: int, children: list[int], per_type: list[int]) -> dict[str, Any]:
    """What the read's bound is made of, and the bound of the one-listing-per-type read it replaced."""
    return {
        "frames": frames,
        "fullest_frame": max(children, default=0),
        "bound_frames_unknown": read_bound(frames, children, _read_types(), tags=None, frames_known=False),
        "listing_pages": per_type,
        "bound_per_type": bounds.read_rounds(per_type, WORKERS),
    }


def _read_types() -> tuple[str, ...]:
    from gria_miro.miro.client import READ_TYPES

    return READ_TYPES


def _bulk_costs(frames: int, children: int) -> list[int]:
    costs = [LEVEL[2]] * frames  # one POST /frames per frame (items/bulk takes no frame: docs/miro-choices.md)
    costs += [LEVEL[2] * min(20, children - start) for start in range(0, children, 20)]
    return costs


def _push_costs(frames: int, children: int) -> list[int]:
    """Credits of a first push, in order: the read (board, members, one listing per type), then the chunks."""
    return [LEVEL[1], LEVEL[1]] + [LEVEL[2]] * len(_read_types()) + _bulk_costs(frames, children)


def _push_ready(frames: int, children: int, latency: float) -> list[float]:
    """When each request of ``_push_costs`` may be sent at the earliest: the read at once, the frames after
    it (at most ``WORKERS`` at a time), the children once every frame is created (they need their ids)."""
    read = [0.0] * (2 + len(_read_types()))
    frame_ready = [latency * (1 + k // WORKERS) for k in range(frames)]
    children_ready = latency * (1 + math.ceil(frames / WORKERS))
    return read + frame_ready + [children_ready] * bounds.chunks(children)


def _cli_command() -> list[str]:
    """The installed ``gria-miro`` script next to this interpreter, else ``python -m gria_miro``."""
    script = Path(sys.executable).parent / "gria-miro"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gria_miro"]


def cli_startup(runs: int, *args: str) -> dict[str, Any]:
    """``gria-miro --help`` (or ``gria-miro ARGS``) in a subprocess, median of ``runs``."""
    words = args or ("--help",)
    command = [*_cli_command(), *words]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return {
        "command": " ".join([*(Path(c).name for c in _cli_command()), *words]),
        "seconds": round(statistics.median(times), 4),
        "seconds_runs": [round(t, 4) for t in times],
    }


# --------------------------------------------------------------------------- the whole run


def run_benchmark(config: Config, log: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """Every scenario of ``config``; returns the JSON-able results (scenarios, ratios, targets)."""
    scenarios: list[dict[str, Any]] = []
    multi = config.teams > 1
    with tempfile.TemporaryDirectory(prefix="gria-bench-") as tmp, ServerProcess() as server:
        bench = Bench(config, server, Path(tmp), log)
        push1, board1, state1 = bench.push(config.single_layout, None)
        scenarios.append(push1)
        if config.cli_push:
            scenarios.append(bench.cli_push(config.single_layout, None, push1))
        naive1 = bench.naive(config.single_layout, None)
        seq1 = bench.sequential_bulk(config.single_layout, None)
        scenarios += [naive1, seq1, bench.repush(board1, state1, config.single_layout, None)]
        if multi:
            push_n, board_n, state_n = bench.push(config.multi_layout, config.teams)
            scenarios.append(push_n)
            if config.full:
                scenarios.append(bench.naive(config.multi_layout, config.teams))
                scenarios.append(bench.sequential_bulk(config.multi_layout, config.teams))
            else:
                scenarios.append(bench.extrapolate(naive1, config.multi_layout, config.teams, bulk=False))
                scenarios.append(bench.extrapolate(seq1, config.multi_layout, config.teams, bulk=True))
            scenarios.append(bench.repush(board_n, state_n, config.multi_layout, config.teams))
            scenarios.append(bench.pull(board_n, state_n, config.multi_layout, config.teams))
        else:
            scenarios.append(bench.pull(board1, state1, config.single_layout, None))
        startup = cli_startup(config.startup_runs)
        push_help = cli_startup(config.startup_runs, "push", "--help")
        by_name = {s["name"]: s for s in scenarios}
        ratios = _ratios(by_name, config.teams)
        targets = _targets(bench, by_name, ratios, startup, push_help)
    return {
        "meta": _meta(config),
        "scenarios": scenarios,
        "ratios": ratios,
        "startup": startup,
        "push_help": push_help,
        "targets": targets,
    }


def _ratios(by_name: dict[str, dict[str, Any]], teams: int) -> list[dict[str, Any]]:
    out = []
    for n in sorted({1, teams}):
        ours = by_name.get(f"push-{n}")
        for other in ("naive", "seqbulk"):
            theirs = by_name.get(f"{other}-{n}")
            if ours and theirs:
                out.append(
                    {
                        "name": f"{other}-{n}/push-{n}",
                        "teams": n,
                        "against": theirs["label"],
                        "times_faster": round(theirs["seconds"] / ours["seconds"], 2),
                        "requests_ratio": round(theirs["requests"] / max(1, ours["requests"]), 2),
                        "extrapolated": theirs["extrapolated"],
                    }
                )
    return out


def _targets(
    bench: Bench,
    by_name: dict[str, dict[str, Any]],
    ratios: list[dict[str, Any]],
    startup: dict[str, Any],
    push_help: dict[str, Any],
) -> list[dict[str, Any]]:
    """Every target judged (``bench.targets.check``); a timing target that misses re-runs its scenarios."""
    config = bench.config
    single, teams = config.single_layout, config.teams
    ratio = {r["name"]: r["times_faster"] for r in ratios}

    def timing(name: str, limit: float, unit: str, *, at_least: bool = False, strict: bool = False) -> Target:
        return Target(name, limit, unit, at_least=at_least, strict=strict, retries=config.retries)

    def counting(name: str, limit: float, unit: str) -> Target:
        return Target(name, limit, unit, timing=False)

    def push_again() -> dict[str, Any]:
        push, served, _ = bench.push(single, None)
        bench.server.stop(served)
        return push

    def vs_bound(push: dict[str, Any]) -> tuple[float, str]:
        value = round(push["seconds"] / max(push["bound_seconds"], 0.001), 2)  # no latency (tests): a 1 ms bound
        return value, f"{push['seconds']:.2f} s pour une borne de {push['bound_seconds']:.2f} s ({value}×)"

    def faster(other: dict[str, Any], push: dict[str, Any]) -> tuple[float, str]:
        value = round(other["seconds"] / push["seconds"], 2)
        return value, f"{value}× ({other['seconds']:.2f} s contre {push['seconds']:.2f} s)"

    def startup_time(run: dict[str, Any]) -> tuple[float, str]:
        return run["seconds"], f"{run['command']} : {run['seconds']:.3f} s (médiane de {len(run['seconds_runs'])})"

    def credit_ratio(push: dict[str, Any]) -> tuple[float, str]:
        value = round(push["seconds"] / max(push["bound_seconds"], 0.001), 3)
        return value, (
            f"{push['seconds']:.1f} s pour un plancher de {push['bound_seconds']:.1f} s ({value}×), "
            f"{push['rate_limited']} × 429, attente de crédits {push['pacing_wait_seconds']:.0f} s (Σ fils)"
        )

    naive_ratio, seq_ratio = ratio["naive-1/push-1"], ratio["seqbulk-1/push-1"]
    results = [
        check(
            timing("push 1 équipe ≤ 1,5 × borne", 1.5, "× borne"),
            lambda: vs_bound(push_again()),
            first=vs_bound(by_name["push-1"]),
        ),
        check(
            timing("≥ 10× plus rapide que le naïf (1 équipe)", 10, "×", at_least=True),
            lambda: faster(bench.naive(single, None), push_again()),
            first=(naive_ratio, f"{naive_ratio}×"),
        ),
        check(
            timing("≥ 2× plus rapide que les lots séquentiels (1 équipe)", 2, "×", at_least=True),
            lambda: faster(bench.sequential_bulk(single, None), push_again()),
            first=(seq_ratio, f"{seq_ratio}×"),
        ),
    ]
    repushes = [s for s in by_name.values() if s["name"].startswith("repush-")]
    writes = ", ".join(f"{s['name']} : {s['write_requests']} écriture(s), {s['requests']} lecture(s)" for s in repushes)
    results.append(
        check(
            counting("re-push sans changement : 0 écriture", 0, "écritures"),
            first=(sum(s["write_requests"] for s in repushes), writes),
        )
    )
    push_n = by_name.get(f"push-{teams}")
    if teams > 1 and push_n:
        detail = (
            f"{push_n['rate_limited']} × 429, {push_n['credits']} crédits, "
            f"attente de crédits {push_n['pacing_wait_seconds']:.1f} s"
        )
        results.append(
            check(counting(f"push {teams} équipes : 0 réponse 429", 0, "réponses 429"),
                  first=(push_n["rate_limited"], detail))
        )  # fmt: skip
    reads = [s for s in by_name.values() if s["name"] in (f"repush-{teams}", f"pull-{teams}")]
    worst = max(reads, key=lambda s: s["rounds"])
    detail = " ; ".join(
        f"{s['name']} : {s['rounds']} en série (borne {s['bound_rounds']}, "
        f"{s['extra']['bound_frames_unknown']} sans l'état local, {s['extra']['bound_per_type']} liste par type)"
        for s in reads
    )
    name = f"lecture {teams} équipe(s) (pull, plan, re-push) ≤ {READ_ROUNDS_TARGET} allers-retours en série"
    results.append(check(counting(name, READ_ROUNDS_TARGET, "allers-retours"), first=(worst["rounds"], detail)))
    if teams > 1 and push_n:
        results.append(
            check(
                Target(f"push {teams} équipes ≤ {CREDIT_TARGET:g} × plancher de crédits".replace(".", ","),
                       CREDIT_TARGET, "× borne", retries=min(1, config.retries)),
                lambda: credit_ratio(bench.push(config.multi_layout, teams)[0]),
                first=credit_ratio(push_n),
            )
        )  # fmt: skip
    cli = by_name.get("cli-push-1")
    if cli:
        results.append(
            check(
                timing(f"push 1 équipe en processus CLI ≤ {CLI_TARGET:g} × borne", CLI_TARGET, "× borne"),
                lambda: vs_bound(bench.cli_push(single, None, by_name["push-1"])),
                first=vs_bound(cli),
            )
        )
    results.append(
        check(
            timing(f"démarrage de la CLI < {STARTUP_TARGET} s", STARTUP_TARGET, "s", strict=True),
            lambda: startup_time(cli_startup(config.startup_runs)),
            first=startup_time(startup),
        )
    )
    results.append(
        check(
            timing(f"gria-miro push --help ≤ {PUSH_HELP_TARGET} s".replace(".", ","), PUSH_HELP_TARGET, "s"),
            lambda: startup_time(cli_startup(config.startup_runs, "push", "--help")),
            first=startup_time(push_help),
        )
    )
    return results


def _meta(config: Config) -> dict[str, Any]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {_cpus()} cœur(s)",
        "latency_ms": round(config.latency * 1000, 1),
        "runs": config.runs,
        "teams": config.teams,
        "full": config.full,
        "credits_per_minute": config.credits,
        "max_workers": WORKERS,
        "memory": "pic de mémoire résidente (VmHWM) du processus client, interpréteur compris, remis à zéro avant "
        "chaque essai ; le serveur tourne dans un autre processus",
    }


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


# --------------------------------------------------------------------------- output


def render(results: dict[str, Any]) -> str:
    """The table, the ratios and the targets, as plain text (rich when the terminal allows)."""
    from rich.console import Console
    from rich.table import Table

    meta = results["meta"]
    table = Table(
        title=(
            f"gria-miro — latence {meta['latency_ms']:g} ms/requête, médiane de {meta['runs']} essai(s), "
            f"budget {meta['credits_per_minute']:,} crédits/min".replace(",", " ")
        )
    )
    for column in ("scénario", "éq.", "élém.", "req.", "écr.", "crédits", "429", "attente Σ fils", "temps (s)",
                   "borne (s)", "× borne", "série obs./min", "pic RSS Mio"):  # fmt: skip
        table.add_column(column, justify="left" if column == "scénario" else "right")
    for s in results["scenarios"]:
        label = s["label"] + (" (extrapolé)" if s["extrapolated"] else "")
        table.add_row(
            label,
            str(s["teams"]),
            _fmt(s["items"]),
            _fmt(s["requests"]),
            _fmt(s["write_requests"]),
            _fmt(s["credits"]),
            _fmt(s["rate_limited"]),
            _fmt(s["pacing_wait_seconds"], ".1f"),
            _fmt(s["seconds"], ".2f"),
            _fmt(s["bound_seconds"], ".2f"),
            _fmt(s["vs_bound"], ".2f"),
            f"{_fmt(s['rounds'])}/{s['bound_rounds']}",
            _fmt(s["peak_mib"], ".1f"),
        )
    console = Console(file=io.StringIO(), record=True, width=170, color_system=None, markup=False, highlight=False)
    console.print(table)
    for r in results["ratios"]:
        mark = " (extrapolé)" if r["extrapolated"] else ""
        console.print(
            f"gria-miro {r['teams']} équipe(s) : {r['times_faster']}× plus rapide que « {r['against']} »{mark}, "
            f"{r['requests_ratio']}× moins de requêtes"
        )
    for key in ("startup", "push_help"):
        console.print(f"démarrage : {results[key]['command']} en {results[key]['seconds']:.3f} s")
    for t in results["targets"]:
        console.print(describe(t))
    for s in results["scenarios"]:
        if s["phases"] and s["name"].startswith(("push-", "pull-", "repush-")):
            parts = ", ".join(
                f"{name} {p['seconds']:.2f} s"
                if "seconds" in p
                else f"{name} {p['requests']:.0f} req./{p['rounds']:.0f} en série à +{p['start']:.2f} s "
                f"pendant {p['span']:.2f} s"
                for name, p in s["phases"].items()
            )
            console.print(f"phases de {s['name']} : {parts}")
    return console.export_text()


def _fmt(value: Any, spec: str = "") -> str:
    if value is None:
        return "—"
    return format(value, spec)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--latency-ms", type=float, default=None, help="latence injectée par requête (défaut 150)")
    parser.add_argument("--runs", type=int, default=None, help="essais par scénario (médiane ; défaut 3)")
    parser.add_argument("--teams", type=int, default=10, help="équipes du grand plateau (défaut 10)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    parser.add_argument("--quick", action="store_true", help="1 essai, 1 équipe, latence 50 ms")
    parser.add_argument("--full", action="store_true", help="mesure aussi le naïf et les lots séquentiels à N équipes")
    parser.add_argument("--retries", type=int, default=2, help="nouveaux essais d'une cible de temps manquée")
    args = parser.parse_args(argv)
    latency_ms = args.latency_ms if args.latency_ms is not None else (50.0 if args.quick else 150.0)
    config = Config(
        latency=latency_ms / 1000,
        runs=args.runs if args.runs is not None else (1 if args.quick else 3),
        teams=1 if args.quick else max(1, args.teams),
        full=args.full,
        startup_runs=5,
        retries=max(0, args.retries),
    )
    started = time.perf_counter()
    results = run_benchmark(config, log=lambda line: print(line, file=sys.stderr, flush=True))
    results["meta"]["total_seconds"] = round(time.perf_counter() - started, 1)
    sys.stdout.write(render(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"résultats : {args.json}", file=sys.stderr)
    return 1 if failed(results["targets"]) else 0


if __name__ == "__main__":
    sys.exit(main())
