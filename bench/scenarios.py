"""The measured work: gria-miro's push and pull, and the naive ways, each timed against a served board.

One responsibility: run one scenario once against a board served by :mod:`bench.serverproc` and return
what it cost (wall time, requests, credits, 429s, pacing, the requests' timings). Every scenario goes
through the same ``MiroClient`` the CLI builds, with a recording transport that notes when each request
started and ended (to count the round trips paid one after another).
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from bench.bounds import observed_rounds
from bench.serverproc import Served
from gria_miro.board import DesiredBoard, DesiredItem
from gria_miro.miro.client import DEFAULT_MAX_WORKERS, MiroClient


@dataclass(frozen=True)
class Sent:
    """One HTTP request as the transport saw it."""

    method: str
    phase: str
    start: float
    end: float
    status: int


class RecordingAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` like the client's own, that also records each request's phase and timing."""

    def __init__(self, pool_maxsize: int) -> None:
        super().__init__(pool_connections=4, pool_maxsize=pool_maxsize, max_retries=0)
        self.sent: list[Sent] = []

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        start = time.perf_counter()
        status = 0
        try:
            response = super().send(request, *args, **kwargs)
            status = response.status_code
            return response
        finally:
            self.sent.append(Sent(str(request.method), _phase(request), start, time.perf_counter(), status))


def _phase(request: requests.PreparedRequest) -> str:
    """read / frames / children / update / delete: which part of the work a request belongs to."""
    method = str(request.method)
    if method == "GET":
        return "read"
    if method == "PATCH":
        return "update"
    if method == "DELETE":
        return "delete"
    url = str(request.url or "")
    if url.endswith("/frames"):
        return "frames"
    try:
        sent = json.loads(request.body or b"null")
    except ValueError:
        sent = None
    items = sent if isinstance(sent, list) else []
    frames = bool(items) and all(isinstance(e, dict) and e.get("type") == "frame" for e in items)
    return "frames" if frames else "children"


@dataclass
class RunResult:
    """What one run of a scenario cost."""

    seconds: float
    requests: int
    requests_by_method: dict[str, int]
    write_requests: int
    credits: int
    rate_limited: int
    retries: int
    pacing_wait_seconds: float
    sent: list[Sent]
    peak_bytes: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    started_at: float = 0.0  # perf_counter at the start of the run (client creation)

    @property
    def rounds(self) -> int:
        return observed_rounds((s.start, s.end) for s in self.sent)

    def phases(self) -> dict[str, dict[str, float]]:
        """Per phase: requests, round trips paid one after another, and the span from first send to last answer."""
        out: dict[str, dict[str, float]] = {}
        if self.sent:  # local work: before the first request, and after the last answer
            first_send = min(s.start for s in self.sent)
            last_answer = max(s.end for s in self.sent)
            out["local_before"] = {"seconds": round(first_send - self.started_at, 4)}
            out["local_after"] = {"seconds": round(self.started_at + self.seconds - last_answer, 4)}
        for name in ("read", "frames", "children", "update", "delete"):
            own = [s for s in self.sent if s.phase == name]
            if own:
                first = min(s.start for s in own)
                out[name] = {
                    "requests": len(own),
                    "rounds": observed_rounds((s.start, s.end) for s in own),
                    "start": round(first - self.started_at, 4),
                    "span": round(max(s.end for s in own) - first, 4),
                }
        return out


def make_client(
    served: Served, *, max_workers: int = DEFAULT_MAX_WORKERS, credits_per_minute: int = 100_000
) -> tuple[MiroClient, RecordingAdapter]:
    """The client the CLI builds (``connect.open_client``), with the recording transport."""
    adapter = RecordingAdapter(pool_maxsize=max(1, max_workers))
    client = MiroClient(
        served.token,
        base_url=served.url,
        adapter=adapter,
        timeout=30.0,
        network_retry_deadline=30.0,
        max_workers=max_workers,
        credits_per_minute=credits_per_minute,
    )
    return client, adapter


def _status_kib(field_name: str) -> int | None:
    """A ``VmRSS``/``VmHWM`` figure of this process, in KiB (None where /proc is absent)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


@contextmanager
def _peak_rss() -> Iterator[list[int | None]]:
    """This process's peak resident memory during the block, in bytes (high-water mark reset first).

    No tracing, so no slowdown: tracemalloc made a 10-team push several times slower than the push itself.
    """
    peak: list[int | None] = [None]
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")  # reset VmHWM to the current RSS
        reset = True
    except OSError:
        reset = False
    try:
        yield peak
    finally:
        high = _status_kib("VmHWM") if reset else None
        peak[0] = high * 1024 if high is not None else None


def timed(
    served: Served,
    work: Callable[[MiroClient], dict[str, Any]],
    *,
    max_workers: int = DEFAULT_MAX_WORKERS,
    credits_per_minute: int = 100_000,
) -> RunResult:
    """Run ``work`` with a fresh client; the clock covers the client's creation too, as in the CLI."""
    with _peak_rss() as peak:
        start = time.perf_counter()
        client, adapter = make_client(served, max_workers=max_workers, credits_per_minute=credits_per_minute)
        try:
            extra = work(client)
        finally:
            client.close()
        seconds = time.perf_counter() - start
    stats = client.stats
    return RunResult(
        seconds=seconds,
        requests=stats.requests,
        requests_by_method=dict(stats.requests_by_method),
        write_requests=stats.write_requests,
        credits=stats.credits_spent,
        rate_limited=stats.rate_limited,
        retries=stats.retries,
        pacing_wait_seconds=stats.pacing_wait_seconds,
        sent=list(adapter.sent),
        peak_bytes=peak[0],
        extra=extra,
        started_at=start,
    )


# --------------------------------------------------------------------------- the scenarios


def compute(deck_ref: str, layout_ref: str, teams: int | None) -> DesiredBoard:
    from gria_miro.deck.loading import load_deck
    from gria_miro.layout.engine import compute_board
    from gria_miro.layout.loading import load_layout

    return compute_board(load_deck(deck_ref), load_layout(layout_ref), teams=teams)


def gria_push(
    board_id: str, deck_ref: str, layout_ref: str, teams: int | None, state_path: Path
) -> Callable[[MiroClient], dict[str, Any]]:
    """What ``gria-miro push --yes`` does: load state, compute the board, read it, plan, print the plan, apply."""

    def work(client: MiroClient) -> dict[str, Any]:
        from gria_miro.render.plan import render_plan_text
        from gria_miro.sync.apply import apply_plan
        from gria_miro.sync.planner import ActionKind, PlanOptions, plan_push
        from gria_miro.sync.push import read_push_inputs
        from gria_miro.sync.state import StateWriter, save_state

        inputs = read_push_inputs(client, board_id, state_path, deck=deck_ref, layout=layout_ref, teams=teams)
        desired, observed, state = inputs.desired, inputs.observed, inputs.state
        plan = plan_push(desired, observed, state, PlanOptions())
        io.StringIO().write(render_plan_text(plan, desired))
        inputs.remember_inputs()
        created = 0
        if plan.has_changes or plan.adopted or plan.of(ActionKind.FORGET):
            writer = StateWriter(state_path)  # as the CLI saves: journal per chunk, one rewrite at the end
            report = apply_plan(client, plan, desired, observed, state, save=writer.save)
            writer.close(state)
            created = report.created
        else:
            save_state(state_path, state)
        return {"items": len(desired.items), "created": created, "planned_writes": sum(a.writes for a in plan.actions)}

    return work


def _frames_first(desired: DesiredBoard) -> tuple[list[DesiredItem], list[DesiredItem]]:
    frames = [item for item in desired.items if item.type == "frame"]
    return frames, [item for item in desired.items if item.type != "frame"]


def naive_push(
    board_id: str, deck_ref: str, layout_ref: str, teams: int | None
) -> Callable[[MiroClient], dict[str, Any]]:
    """What most scripts do: one create request per item, one after another (frames first, for their ids)."""

    def work(client: MiroClient) -> dict[str, Any]:
        from gria_miro.sync.bodies import create_body

        desired = compute(deck_ref, layout_ref, teams)
        ids: dict[str, str] = {}
        frames, children = _frames_first(desired)
        for item in [*frames, *children]:
            parent = ids.get(item.parent_key) if item.parent_key else None
            ids[item.key] = client.create_item(board_id, item.type, create_body(item, parent, bulk=False)).id
        return {"items": len(desired.items), "created": len(ids)}

    return work


def sequential_bulk_push(
    board_id: str, deck_ref: str, layout_ref: str, teams: int | None
) -> Callable[[MiroClient], dict[str, Any]]:
    """What the best existing CLI does: bulk calls of 20, one after another (frames first)."""

    def work(client: MiroClient) -> dict[str, Any]:
        from gria_miro.sync.bodies import create_body

        desired = compute(deck_ref, layout_ref, teams)
        ids: dict[str, str] = {}
        frames, children = _frames_first(desired)
        for frame in frames:  # items/bulk takes no frame (docs/miro-choices.md): one POST /frames each
            ids[frame.key] = client.create_item(board_id, "frame", create_body(frame, None, bulk=False)).id
        for group in (children,):
            for start in range(0, len(group), 20):
                chunk = group[start : start + 20]
                bodies = [create_body(i, ids.get(i.parent_key) if i.parent_key else None, bulk=True) for i in chunk]
                for item, wire in zip(chunk, client.bulk_create(board_id, bodies), strict=True):
                    ids[item.key] = wire.id
        return {"items": len(desired.items), "created": len(ids)}

    return work


def gria_pull(
    board_id: str, deck_ref: str, layout_ref: str, teams: int | None, state_path: Path
) -> Callable[[MiroClient], dict[str, Any]]:
    """What ``gria-miro pull`` does: read the board (with tags), assign, build and render the roadmap."""

    def work(client: MiroClient) -> dict[str, Any]:
        from gria_miro.deck.loading import load_deck
        from gria_miro.layout.engine import compute_board
        from gria_miro.layout.loading import load_layout
        from gria_miro.pull.assign import assign
        from gria_miro.pull.roadmap import build_roadmap
        from gria_miro.render.roadmap import render_roadmap
        from gria_miro.sync.state import load_state

        state = load_state(state_path, board_id)
        observed = client.read_board(board_id, with_tags=True, frames_hint=state.frames_hint())
        deck = load_deck(deck_ref)
        desired = compute_board(deck, load_layout(layout_ref), teams=teams)
        placement = assign(desired, observed, {key: item.id for key, item in state.items.items()})
        roadmap = build_roadmap(deck, desired, placement, observed, date.today())
        io.StringIO().write(render_roadmap(roadmap, "md", "fr"))
        by_type: dict[str, int] = {}
        for item in observed.items:
            by_type[item.type] = by_type.get(item.type, 0) + 1
        chosen = sum(len(stage.cards) for team in roadmap.teams for stage in team.stages)
        held: dict[str, int] = {}
        for item in observed.items:
            if item.parent_id is not None:
                held[item.parent_id] = held.get(item.parent_id, 0) + 1
        return {
            "items": len(observed.items),
            "by_type": by_type,
            "children": sorted(held.values(), reverse=True),  # items per frame that holds any
            "cards_in_stages": chosen,
            "tags": len(observed.tags),
        }

    return work


def play_session(client: MiroClient, board_id: str, desired: DesiredBoard, state_path: Path, per_stage: int) -> int:
    """Participants at work: in every team, ``per_stage`` cards dragged into each stage; returns the moves."""
    from gria_miro.board import ZoneRole
    from gria_miro.sync.state import load_state

    state = load_state(state_path, board_id)
    moves: list[Callable[[], Any]] = []
    for team in desired.teams:
        cards = sorted(k for k in state.items if k.startswith(f"{team.id}/card:"))
        own = (z for z in desired.zones if z.team == team.id and z.role == ZoneRole.STAGE)
        stages = sorted(own, key=lambda z: z.order)
        for s, stage in enumerate(stages):
            frame_id = state.items[stage.key].id
            for n in range(per_stage):
                card = cards[s * per_stage + n]
                x, y = 200 + 344 * (n % 2), 87 + 118 * (n // 2)
                moves.append(_mover(client, board_id, state.items[card].id, x, y, frame_id))
    failures = [r for r in client.run_concurrently(moves) if isinstance(r, Exception)]
    if failures:
        raise failures[0]
    return len(moves)


def _mover(client: MiroClient, board_id: str, item_id: str, x: float, y: float, parent: str) -> Callable[[], Any]:
    return lambda: client.move_item(board_id, item_id, x=x, y=y, parent_id=parent)


def item_types(desired: DesiredBoard) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in desired.items:
        counts[item.type] = counts.get(item.type, 0) + 1
    return counts


def children_per_frame(desired: DesiredBoard) -> list[int]:
    """Items in each frame that holds any, fullest first."""
    held: dict[str, int] = {}
    for item in desired.items:
        if item.parent_key is not None:
            held[item.parent_key] = held.get(item.parent_key, 0) + 1
    return sorted(held.values(), reverse=True)


def read_bound(
    frames: int, children: Sequence[int], read_types: Sequence[str], *, tags: int | None, frames_known: bool
) -> int:
    """The sequential rounds ``read_board`` needs (per frame, ``bounds.frame_read_rounds``) on the CLI's pool.

    Beside the frames and their children: board info, members, the first page of each other type, and with
    ``tags`` (a pull) the tags listing and one items-by-tag listing per tag.
    """
    from bench.bounds import frame_read_rounds

    others = 2 + sum(1 for t in read_types if t != "frame") + (1 + tags if tags is not None else 0)
    return frame_read_rounds(frames, children, others, DEFAULT_MAX_WORKERS, frames_known=frames_known)


def frame_and_child_counts(desired: DesiredBoard) -> tuple[int, int]:
    frames = sum(1 for item in desired.items if item.type == "frame")
    return frames, len(desired.items) - frames


def listing_chains(by_type: dict[str, int], read_types: Sequence[str], *, with_tags: bool) -> list[int]:
    """The cursor chains of the former read, one listing per type (board info, members, tags beside):
    kept in the JSON to show what the per-frame read replaced."""
    from bench.bounds import pages

    chains = [1, 1] + [pages(by_type.get(t, 0)) for t in read_types]
    if with_tags:
        chains.append(1)
    return chains
