"""Progress of a push or a clean that tells the truth: one bar per phase, and the waits for Miro's credits.

``sync.apply`` reports each item written (``advance(n)``) and runs its phases in a fixed order:
zones (frames) are created, then everything placed in them, then updates, then deletions. The
phases and their sizes are known from the plan before anything is sent, so each ``advance`` is
counted against the phase it belongs to and gets its own bar (count, ETA).

When Miro's credit budget makes requests wait (``miro.pacing`` calls :meth:`ApplyProgress.credit_wait`
with the wait about to start, from any thread), the bars say so — « en attente du quota Miro :
reprise dans 23 s » — instead of freezing; the summary says how long the push spent waiting
(the union of the waits, as a wall clock sees them, not their sum over threads). Without a
terminal (logs, CI), nothing is animated and each wait of 2 s or more is written as one line.
The clock is injected, so tests drive the messages without waiting.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from gria_miro.formatting import duration

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from gria_miro.sync.planner import Plan

#: Waits shorter than this are not worth a line in a log (the credit bucket paces in small steps too).
LOGGED_WAIT = 2.0


@dataclass(frozen=True)
class Phase:
    label: str
    total: int


def phases_of(plan: Plan) -> list[Phase]:
    """The phases ``sync.apply`` runs for ``plan``, in its order, with how many writes each makes."""
    from gria_miro.sync.planner import ActionKind

    writes = [action for action in plan.actions if action.writes]
    frames = sum(1 for a in writes if a.kind == ActionKind.CREATE and a.type == "frame")
    placed = sum(1 for a in writes if a.kind == ActionKind.CREATE and a.type != "frame")
    updates = sum(1 for a in writes if a.kind == ActionKind.UPDATE)
    deletes = sum(1 for a in writes if a.kind == ActionKind.DELETE)
    table = (
        ("Création des zones", frames),
        ("Placement des cartes et éléments", placed),
        ("Mise à jour", updates),
        ("Suppression", deletes),
    )
    return [Phase(label, total) for label, total in table if total]


class ApplyProgress:
    """Counts writes per phase and credit waits; shows them on a terminal or as log lines."""

    def __init__(
        self,
        phases: list[Phase],
        *,
        clock: Callable[[], float] = time.monotonic,
        log: TextIO | None = None,
    ) -> None:
        self.phases = phases
        self._clock = clock
        self._log = log
        self._lock = threading.Lock()
        self._done = 0
        self._resume_at = -math.inf
        self.waited = 0.0  # wall-clock seconds during which at least one request waited for credits
        self._bar: Progress | None = None
        self._tasks: list[TaskID] = []

    # -- what apply and the credit bucket call -------------------------------------------------

    def advance(self, count: int) -> None:
        with self._lock:
            before = self._done
            self._done += count
            if self._bar is None:
                return
            start = 0
            for phase, task in zip(self.phases, self._tasks, strict=True):
                end = start + phase.total
                inside = max(0, min(self._done, end) - max(before, start))
                if inside:
                    self._bar.advance(task, inside)
                start = end

    def credit_wait(self, seconds: float) -> None:
        """A request is about to wait ``seconds`` for Miro's credits (called from worker threads)."""
        with self._lock:
            now = self._clock()
            end = now + max(0.0, seconds)
            self.waited += max(0.0, end - max(now, self._resume_at))
            newly = end > self._resume_at + 1.0  # a new wait, or one pushed clearly later
            self._resume_at = max(self._resume_at, end)
        if self._log is not None and newly and seconds >= LOGGED_WAIT:
            print(self.wait_message() or "", file=self._log, flush=True)

    # -- what is shown ----------------------------------------------------------------------

    def wait_message(self) -> str | None:
        """« en attente du quota Miro : reprise dans 23 s » while a wait lasts, else None."""
        left = self._resume_at - self._clock()
        if left <= 0.05:
            return None
        return f"en attente du quota Miro : reprise dans {duration(math.ceil(left) if left >= 10 else left)}"

    def phase_now(self) -> str:
        """The label of the phase the next write belongs to (the last one when all are done)."""
        start = 0
        for phase in self.phases:
            start += phase.total
            if self._done < start:
                return phase.label
        return self.phases[-1].label if self.phases else ""

    @contextmanager
    def shown(self, console_is_terminal: bool, console: object | None = None) -> Iterator[ApplyProgress]:
        """Bars on a terminal (transient: gone once finished), nothing animated otherwise."""
        if not console_is_terminal or not self.phases:
            yield self
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress = self

        class WaitColumn(TextColumn):
            def render(self, task: object) -> object:  # type: ignore[override]
                from rich.text import Text

                return Text(progress.wait_message() or "", style="yellow")

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            WaitColumn(""),
            console=console,  # type: ignore[arg-type]
            transient=True,
        ) as bar:
            self._bar = bar
            self._tasks = [bar.add_task(phase.label, total=phase.total) for phase in self.phases]
            try:
                yield self
            finally:
                self._bar = None


@contextmanager
def reading_board(message: str = "Lecture du tableau et calcul du plateau…") -> Iterator[None]:
    """A spinner on a terminal while the board is read (nothing written otherwise)."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    with console.status(message):
        yield
