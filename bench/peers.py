"""gria-miro beside the real peers: the same 10-team board pushed by each tool, same latency, same credits.

Run from the repository root:

    .venv/bin/python -m bench.peers --setup     # once: a separate venv with the peers, from PyPI
    .venv/bin/python -m bench.peers             # 10 teams, 150 ms per request, 100,000 credits a minute

One responsibility: push the board of ``atelier-multi-equipes`` (10 teams) through gria-miro and through
each peer, each on a fresh local board served by :mod:`bench.serverproc` with the same injected latency
and Miro's credit budget, and print one row per tool: items created, requests, 429 answers, wall time,
whether it finished. The peers (``miro-board`` 0.3.1, Miro's official ``miro-api`` 2.2.4) are never
dependencies of gria-miro: ``--setup`` installs them into ``bench/.peers-venv`` (git-ignored), and each
runs there, in its own process, through :mod:`bench.peers_driver`. A peer that cannot be installed or
run gets a row saying why, never a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:  # runnable from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

from bench.scenarios import compute, gria_push, timed  # noqa: E402
from bench.serverproc import ServerProcess  # noqa: E402

VENV = ROOT / "bench" / ".peers-venv"
PEERS = {"miro-board": "miro-board==0.3.1", "miro-api": "miro-api==2.2.4"}
LAYOUT = "atelier-multi-equipes"


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def setup() -> int:
    """A venv of its own for the peers, installed from PyPI with pip (never into gria-miro's venv)."""
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(_venv_python()), "-m", "pip", "install", "-q", *PEERS.values()], check=True)
    print(f"pairs installés dans {VENV} : {', '.join(PEERS.values())}")
    return 0


def _bodies(deck: str, teams: int) -> dict[str, Any]:
    """Frames (per-type bodies) and children (bulk elements, parent filled in by the driver), in push order."""
    from gria_miro.sync.bodies import create_body

    desired = compute(deck, LAYOUT, teams)
    frames = [[i.key, create_body(i, None, bulk=False)] for i in desired.items if i.type == "frame"]
    children = [
        [i.key, i.parent_key, create_body(i, "PARENT" if i.parent_key else None, bulk=True)]
        for i in desired.items
        if i.type != "frame"
    ]
    return {"frames": frames, "children": children}


def _row(tool: str, **figures: Any) -> dict[str, Any]:
    return {"tool": tool, "created": None, "items": None, "requests": None, "rate_limited": None,
            "seconds": None, "finished": False, "error": None, **figures}  # fmt: skip


def run(deck: str, teams: int, latency: float, credits: int, tools: list[str]) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="gria-peers-") as tmp, ServerProcess() as server:
        bodies_path = Path(tmp) / "bodies.json"
        bodies = _bodies(deck, teams)
        bodies_path.write_text(json.dumps(bodies), encoding="utf-8")
        items = len(bodies["frames"]) + len(bodies["children"])
        for tool in tools:
            served = server.new_board(latency=latency, credits=credits)
            print(f"  {tool} : push de {items} éléments…", file=sys.stderr, flush=True)
            if tool == "gria-miro":
                result = timed(served, gria_push(served.board_id, deck, LAYOUT, teams, Path(tmp) / "state.json"))
                created = result.extra["created"]
                rows.append(_row(tool, created=created, items=items, requests=result.requests,
                                 rate_limited=result.rate_limited, seconds=round(result.seconds, 2),
                                 finished=created == items))  # fmt: skip
            elif not _venv_python().exists():
                rows.append(_row(tool, items=items, error="non installé : lancez python -m bench.peers --setup"))
            else:
                env = {**os.environ, "MIRO_TOKEN": served.token}
                command = [str(_venv_python()), str(ROOT / "bench" / "peers_driver.py"), tool, served.url,
                           served.board_id, str(bodies_path)]  # fmt: skip
                done = subprocess.run(command, capture_output=True, text=True, env=env)
                try:
                    rows.append(_row(**json.loads(done.stdout.strip().splitlines()[-1])))
                except (ValueError, IndexError):
                    rows.append(_row(tool, items=items, error=f"le pilote a échoué : {done.stderr.strip()[-300:]}"))
            server.stop(served)
            print(f"  {tool} : {rows[-1]}", file=sys.stderr, flush=True)
    return rows


def _why(error: Any) -> str:
    """The peer's error in a table cell: a 429 said as such, anything else cut short."""
    text = " ".join(str(error).split())
    if "429" in text:
        return f"arrêté par un 429 ({text.split(':')[0]})"
    return text[:160]


def render(rows: list[dict[str, Any]], latency: float, credits: int, teams: int) -> str:
    budget = f"{credits:,}".replace(",", " ")
    head = (
        f"Même plateau ({teams} équipe(s), {LAYOUT}), tableau local servi, {latency * 1000:g} ms par requête, "
        f"{budget} crédits par minute"
    )
    lines = [head, "", "| outil | éléments créés | requêtes | 429 | temps (s) | terminé |", "|---|---|---|---|---|---|"]
    for r in rows:
        if r["created"] is None:
            lines.append(f"| {r['tool']} | — | — | — | — | non, {_why(r['error'])} |")
            continue
        done = "oui" if r["finished"] else f"non, {_why(r['error'])}"
        lines.append(
            f"| {r['tool']} | {r['created']} sur {r['items']} | {r['requests']} | {r['rate_limited']} | "
            f"{r['seconds']:.1f} | {done} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__.split("\n")[0])
    parser.add_argument("--setup", action="store_true", help="installe les pairs (PyPI) dans bench/.peers-venv")
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--credits", type=int, default=100_000, help="crédits Miro par minute (défaut 100 000)")
    parser.add_argument("--deck", default="gria-fr")
    parser.add_argument("--tools", default="gria-miro,miro-board,miro-api")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "peers.json")
    args = parser.parse_args(argv)
    if args.setup:
        return setup()
    started = time.perf_counter()
    latency = args.latency_ms / 1000
    rows = run(args.deck, args.teams, latency, args.credits, args.tools.split(","))
    sys.stdout.write(render(rows, latency, args.credits, args.teams))
    meta = {"teams": args.teams, "latency_ms": args.latency_ms, "credits_per_minute": args.credits,
            "load": os.getloadavg() if hasattr(os, "getloadavg") else None,
            "total_seconds": round(time.perf_counter() - started, 1)}  # fmt: skip
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"meta": meta, "rows": rows}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
