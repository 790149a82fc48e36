"""A room on ``gria-miro serve``: many participants moving cards at once while the facilitator pulls.

One responsibility: measure what a workshop room asks of the served local board. The real command
(``python -m gria_miro serve FILE``) runs in a child process on a fresh board file; the board is pushed
(``--layout``, ``--teams``); then ``--clients`` threads, each with its own keep-alive connection and a
team's join link (as a browser would), move cards between the pile and the stages, ``--streams``
live-event streams follow the changes (open browsers), and after ``--warmup`` seconds a
``gria-miro pull`` runs. Each client asks one move every ``clients / rate`` seconds (a person moves a
card every few seconds: 50 people at 4 moves/s each is far more than a room does). Reported: writes
per second, latency percentiles, errors, the pull's duration and the events each stream received.

    python -m bench.bench_room                       # 50 clients asking 220 moves/s in all, 10 streams, 20 s
    python -m bench.bench_room --rate 0              # as fast as the server answers (its ceiling)
    python -m bench.bench_room --layout atelier-multi-equipes --teams 8 --seconds 30
    python -m bench.bench_room --memory              # the board kept in memory: the server without its store

The board is an SQLite database (``serve atelier.db``; ``serve atelier.json`` serves the JSON file's SQLite
copy, so a JSON board file is never served as such any more). Printed beside the figures: the machine's cores
and load average before and after (other work on a shared machine), the latency of the moves made while the
pull ran, and the server's CPU per write.

Target (issue 17): 50 concurrent clients at ≥ 200 writes/s with p95 < 100 ms while a pull runs, on a
2-core machine. Exit status 1 when the target is not met.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

TOKEN = "bench-room-api-token"
TARGET_WRITES_PER_SECOND = 200.0
TARGET_P95_MS = 100.0


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    board_id: str
    links: list[str]  # join-link tokens, the teams' first


@dataclass
class ClientStats:
    latencies: list[float] = field(default_factory=list)
    #: when each request started (``time.perf_counter``), to tell the moves made while the pull ran
    started: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)


def _serve(board_file: Path, teams: int, memory: bool) -> Served:
    command = [sys.executable, "-m", "gria_miro", "serve", str(board_file), "--token", TOKEN, "--teams", str(teams)]
    # the set-up push of 8 teams would wait a minute for Miro credits: not what a room measures
    command += ["--credits-per-minute", "100000000"]
    if memory:  # the same server on a board kept in memory: what the server costs without the store
        command = [sys.executable, "-m", "bench.bench_room", "--serve-in-memory", str(teams)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    lines: list[str] = []
    while not any(line.startswith("Ctrl-C") for line in lines):
        line = process.stdout.readline()
        if not line:
            raise SystemExit("gria-miro serve stopped: " + (process.stderr.read() if process.stderr else ""))
        lines.append(line.strip())
    text = "\n".join(lines)
    url = re.search(r"servi sur : (\S+)", text)
    board = re.search(r"--board (\S+) --api-url", text)
    assert url and board, text
    links = re.findall(r"#k=([^&\s]+)", text)
    team_links = re.findall(r"#k=([^&\s]+)&equipe=", text)
    return Served(process, url.group(1), board.group(1), team_links or links)


def _serve_in_memory(teams: int) -> None:
    """Child process of ``--memory``: print what ``gria-miro serve`` prints, serve until killed."""
    from gria_miro.localboard.engine import BoardEngine
    from gria_miro.localboard.server import join_url, make_server

    server, token, board_id = make_server(BoardEngine(), token=TOKEN, teams=teams)
    print(f"Plateau local servi sur : {server.base_url}")
    for team in range(1, teams + 1):
        print(f"Équipe {team} : {join_url(server.base_url, server.access, team)}")
    print(f"  --board {board_id} --api-url {server.base_url} --token {token}")
    print("Ctrl-C pour arrêter.", flush=True)
    server.serve_forever()


def _cli(*args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "gria_miro", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"gria-miro {args[0]} failed ({done.returncode}): {done.stderr.strip()}")
    return time.perf_counter() - started, done.stdout


def _board_items(served: Served) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    session = requests.Session()
    # a join link, as a browser reads the board: participants spend no API credits (the push spent them)
    session.headers["Authorization"] = f"Bearer {served.links[0]}"
    url = f"{served.url}/v2/boards/{served.board_id}/items?limit=50"
    cursor = ""
    while True:
        page = session.get(url + (f"&cursor={cursor}" if cursor else ""), timeout=30).json()
        assert "data" in page, page
        items += page["data"]
        cursor = page.get("cursor") or ""
        if not cursor:
            return items


def _moves(items: list[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """The cards, and the zones they may go to (the pile and the stages: frames that hold cards or are empty)."""
    frames = {it["id"]: it for it in items if it["type"] == "frame"}
    cards = [it["id"] for it in items if it["type"] == "card"]
    title = re.compile(r"pioche|sac|départ|chemin|sommet|trimestre|T\d", re.I)
    zones = [f for f in frames.values() if title.search(str(f["data"].get("title", "")))] or list(frames.values())
    return cards, zones


def _client(
    served: Served,
    token: str,
    cards: list[str],
    zones: list[dict[str, Any]],
    stop: threading.Event,
    seed: int,
    interval: float,
) -> ClientStats:
    """Move cards every ``interval`` seconds (0: as fast as the server answers)."""
    rng = random.Random(seed)
    stats = ClientStats()
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    base = f"{served.url}/v2/boards/{served.board_id}/items/"
    due = time.perf_counter() + rng.uniform(0, interval)
    while not stop.is_set():
        if interval:
            pause = due - time.perf_counter()
            if pause > 0 and stop.wait(pause):
                break
            due = max(due + interval, time.perf_counter())  # late: no burst to catch up
        card = rng.choice(cards)
        zone = rng.choice(zones)
        width, height = zone["geometry"]["width"], zone["geometry"]["height"]
        body = {
            "parent": {"id": zone["id"]},
            "position": {"x": rng.uniform(170, width - 170), "y": rng.uniform(60, height - 60)},
        }
        started = time.perf_counter()
        try:
            answer = session.patch(base + card, json=body, timeout=30)
            status = str(answer.status_code)
        except requests.RequestException as exc:
            status = type(exc).__name__
        stats.latencies.append(time.perf_counter() - started)
        stats.started.append(started)
        if status != "200":
            stats.errors[status] = stats.errors.get(status, 0) + 1
    return stats


def _stream(served: Served, token: str, stop: threading.Event, counts: list[int], index: int) -> None:
    where = urlsplit(served.url)
    assert where.hostname and where.port
    with socket.create_connection((where.hostname, where.port), timeout=2) as sock:
        sock.sendall(f"GET /local/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
        while not stop.is_set():
            try:
                chunk = sock.recv(1 << 16)
            except TimeoutError:
                continue
            if not chunk:
                return
            counts[index] += chunk.count(b"\ndata: ")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _latency_ms(values: list[float]) -> dict[str, float | None]:
    return {
        "p50": round(statistics.median(values) * 1000, 1) if values else None,
        "p95": round(_percentile(values, 0.95) * 1000, 1),
        "p99": round(_percentile(values, 0.99) * 1000, 1),
        "max": round(max(values) * 1000, 1) if values else None,
    }


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far (Linux ``/proc``; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine() -> dict[str, Any]:
    """What the figures depend on: cores, the load average (other work on the machine), Python."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {
        "cpus": os.cpu_count(),
        "load_average_1_5_15": [round(x, 2) for x in load],
        "python": sys.version.split()[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--rate", type=float, default=220.0, help="writes per second asked of the room in all (0: as fast as possible)"
    )
    parser.add_argument("--streams", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of moves before the pull starts")
    parser.add_argument("--layout", default="randonnee")
    parser.add_argument("--teams", type=int, default=1)
    parser.add_argument("--memory", action="store_true", help="board kept in memory (the server's own ceiling)")
    parser.add_argument("--sqlite", action="store_true", help=argparse.SUPPRESS)  # the default now
    parser.add_argument("--json", type=Path, default=Path("bench/results/room.json"))
    parser.add_argument("--serve-in-memory", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_in_memory is not None:
        _serve_in_memory(args.serve_in_memory)
        return 0

    machine_before = _machine()
    with tempfile.TemporaryDirectory(prefix="gria-room-") as folder:
        os.environ["GRIA_MIRO_STATE_DIR"] = str(Path(folder) / "state")
        served = _serve(Path(folder) / "atelier.db", args.teams, args.memory)
        try:
            connection = ["--board", served.board_id, "--api-url", served.url, "--token", TOKEN]
            push_args = ["--layout", args.layout] + (["--teams", str(args.teams)] if args.teams > 1 else [])
            push_seconds, _ = _cli("push", *connection, *push_args, "--yes")
            items = _board_items(served)
            cards, zones = _moves(items)
            stop = threading.Event()
            counts = [0] * args.streams
            streams = [
                threading.Thread(target=_stream, args=(served, served.links[i % len(served.links)], stop, counts, i))
                for i in range(args.streams)
            ]
            results: list[ClientStats] = []
            lock = threading.Lock()

            def run_client(n: int) -> None:
                token = served.links[n % len(served.links)]
                interval = args.clients / args.rate if args.rate > 0 else 0.0
                stats = _client(served, token, cards, zones, stop, n, interval)
                with lock:
                    results.append(stats)

            clients = [threading.Thread(target=run_client, args=(n,)) for n in range(args.clients)]
            cpu_before = _cpu_seconds(served.process.pid)
            for thread in streams + clients:
                thread.start()
            started = time.perf_counter()
            time.sleep(args.warmup)
            out = Path(folder) / "feuille-de-route.md"
            pull_started = time.perf_counter()
            pull_seconds, _ = _cli("pull", *connection, *push_args, "-o", str(out))
            pull_ended = time.perf_counter()
            time.sleep(max(0.0, args.seconds - (time.perf_counter() - started)))
            stop.set()
            for thread in clients:
                thread.join()
            elapsed = time.perf_counter() - started
            cpu_after = _cpu_seconds(served.process.pid)
            for thread in streams:
                thread.join(timeout=3)
        finally:
            served.process.terminate()
            served.process.wait(timeout=10)

    latencies = [value for stats in results for value in stats.latencies]
    during_pull = [
        value
        for stats in results
        for value, at in zip(stats.latencies, stats.started, strict=True)
        if pull_started <= at <= pull_ended
    ]
    errors: dict[str, int] = {}
    for stats in results:
        for status, count in stats.errors.items():
            errors[status] = errors.get(status, 0) + count
    writes = len(latencies) - sum(errors.values())
    report = {
        "store": "memory" if args.memory else "sqlite",
        "clients": args.clients,
        "offered_writes_per_second": args.rate or "as fast as possible",
        "streams": args.streams,
        "layout": args.layout,
        "teams": args.teams,
        "items": len(items),
        "seconds": round(elapsed, 2),
        "writes": writes,
        "writes_per_second": round(writes / elapsed, 1),
        "latency_ms": _latency_ms(latencies),
        "latency_ms_while_the_pull_ran": _latency_ms(during_pull),
        "errors": errors,
        "push_seconds": round(push_seconds, 2),
        "pull_seconds_during_load": round(pull_seconds, 2),
        "events_per_stream": {"min": min(counts, default=0), "max": max(counts, default=0)},
        # the server's own CPU over the run (its share of the 2 cores), per write answered
        "server_cpu_ms_per_write": (
            round((cpu_after - cpu_before) * 1000 / writes, 2)
            if cpu_before is not None and cpu_after and writes
            else None
        ),
        "machine_before": machine_before,
        "machine_after": _machine(),
    }
    met = report["writes_per_second"] >= TARGET_WRITES_PER_SECOND and report["latency_ms"]["p95"] < TARGET_P95_MS
    report["target"] = {"writes_per_second": TARGET_WRITES_PER_SECOND, "p95_ms": TARGET_P95_MS, "met": met}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
