"""Applying a plan to a board: frames, then their children, in concurrent bulk chunks.

The state is saved after every successful chunk (and every batch of updates or deletes),
so an interrupted push loses nothing. A chunk whose answer was lost
(:class:`OutcomeUnknownError`) is never blindly re-sent: the board is re-read, the items
that did get created are recognised by identity and recorded, and only the missing ones
are created again (bounded number of rounds). That is what makes a push converge to the
same board, without duplicates, whatever happens on the way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gria_miro.board import DesiredBoard, DesiredItem
from gria_miro.errors import ExitStatus, GriaError
from gria_miro.observed import ObservedBoard, ObservedItem
from gria_miro.sync.bodies import create_body, update_body
from gria_miro.sync.fit import Resize, resize_of
from gria_miro.sync.identity import board_fingerprint, desired_fingerprint, match_items
from gria_miro.sync.planner import Action, ActionKind, Plan
from gria_miro.sync.state import BoardState, ItemState

if TYPE_CHECKING:
    from gria_miro.sync.ports import BoardPort

BULK_LIMIT = 20  # Miro's maximum per bulk call (notes §1)
MAX_ROUNDS = 4  # re-read-and-recreate rounds after lost answers, before giving up
SAVE_EVERY = 20  # updates/deletes between two state saves


@dataclass
class ApplyReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    recorded: int = 0  # found on the board and recorded in the state (adopted or recovered)
    forgotten: int = 0
    skipped: list[str] = field(default_factory=list)  # keys not applied (e.g. deleted meanwhile)
    seconds: float = 0.0

    @property
    def writes(self) -> int:
        return self.created + self.updated + self.deleted


class ApplyError(GriaError):
    """A push stopped on an error; what was done is saved in the state, re-running resumes."""

    def __init__(self, cause: GriaError, report: ApplyReport) -> None:
        self.cause = cause
        self.report = report
        self.exit_status = cause.exit_status
        super().__init__(
            f"{cause.one_line()} — déjà fait : {report.created} créé(s), {report.updated} modifié(s), "
            f"{report.deleted} supprimé(s), enregistré(s) dans l'état ; relancez la même commande pour reprendre"
        )

    def detail_lines(self) -> list[str]:
        return self.cause.detail_lines()


def _observed_from_wire(wire: Any) -> ObservedItem:
    """Just enough of a create/update answer to fingerprint the content the board now shows."""
    return ObservedItem(
        id=str(wire.id), type=str(wire.type), x=0, y=0, width=0, height=0, data=wire.data or {}, style=wire.style or {}
    )


class Applier:
    """Runs one plan against one board, keeping the state file in step."""

    def __init__(
        self,
        client: BoardPort,
        plan: Plan,
        desired: DesiredBoard,
        board: ObservedBoard,
        state: BoardState,
        save: Callable[[BoardState], None],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.client = client
        self.plan = plan
        self.desired = desired
        self.items = desired.by_key()
        self.on_board = board.by_id()
        self.state = state
        self._save = save
        self._progress = progress or (lambda n: None)
        self.report = ApplyReport()

    # -- state bookkeeping --------------------------------------------------------------

    def _record(self, key: str, item_id: str, shown: ObservedItem, parent_id: str | None, x: float, y: float) -> None:
        item = self.items[key]
        self.state.record(
            key,
            ItemState(
                id=item_id,
                type=item.type,
                desired_fp=desired_fingerprint(item),
                board_fp=board_fingerprint(shown),
                parent_id=parent_id,
                x=round(x),
                y=round(y),
            ),
        )

    def _record_found(self, key: str, observed: ObservedItem) -> None:
        """An item recognised on the board: recorded where it is now (never moved back)."""
        self._record(key, observed.id, observed, observed.parent_id, observed.x, observed.y)
        self.report.recorded += 1

    def _parent_id(self, item: DesiredItem) -> str | None:
        if item.parent_key is None:
            return None
        record = self.state.items.get(item.parent_key)
        return record.id if record else None

    # -- the phases -----------------------------------------------------------------------

    def run(self) -> ApplyReport:
        started = time.monotonic()
        try:
            self._adopt()
            creates = [a for a in self.plan.actions if a.kind == ActionKind.CREATE]
            updates = [a for a in self.plan.actions if a.kind == ActionKind.UPDATE]
            deletes = [a for a in self.plan.actions if a.kind == ActionKind.DELETE]
            # zones grow before anything is placed in them and shrink last (sync/fit.py)
            growing, shrinking = self._frames_by_resize([a for a in updates if a.type == "frame"])
            self._create([a.key for a in creates if a.type == "frame"])
            self._widen(shrinking)
            self._update(growing)
            self._create([a.key for a in creates if a.type != "frame"])
            self._update([a for a in updates if a.type != "frame"])
            self._delete([a for a in deletes if a.type != "frame"])
            self._update(shrinking)
            self._delete([a for a in deletes if a.type == "frame"])
            for action in self.plan.actions:
                if action.kind == ActionKind.FORGET and self.state.forget(action.key):
                    self.report.forgotten += 1
        except GriaError as exc:
            self._save(self.state)
            self.report.seconds = time.monotonic() - started
            raise ApplyError(exc, self.report) from exc
        self._save(self.state)
        self.report.seconds = time.monotonic() - started
        return self.report

    def _adopt(self) -> None:
        """Items found on the board by identity and left as they are: record them now."""
        for action in self.plan.actions:
            if action.key in self.plan.adopted and action.kind == ActionKind.KEEP and action.item_id:
                self._record_found(action.key, self.on_board[action.item_id])
        if self.plan.adopted:
            self._save(self.state)

    def _create(self, keys: Sequence[str]) -> None:
        pending = list(keys)
        for _round in range(MAX_ROUNDS):
            if not pending:
                return
            unknown = self._create_round(pending)
            if not unknown:
                return
            # Some answers were lost: look at the board before creating anything again.
            board = self.client.read_board(self.plan.board_id)
            bound = {k: r.id for k, r in self.state.items.items()}
            found = match_items(self.desired, board.items, bound)
            by_id = board.by_id()
            for key in unknown:
                if key in found:
                    self._record_found(key, by_id[found[key]])
            self._save(self.state)
            pending = [k for k in unknown if k not in found]
        if pending:
            error = GriaError(
                f"{len(pending)} élément(s) n'ont pas pu être créés après {MAX_ROUNDS} tentatives "
                "(réponses perdues) ; vérifiez la connexion et relancez la commande"
            )
            error.exit_status = ExitStatus.NETWORK_ERROR
            raise error

    def _create_round(self, keys: Sequence[str]) -> list[str]:
        """Create ``keys`` in concurrent bulk chunks; return the keys whose outcome is unknown."""
        from gria_miro.miro.errors import OutcomeUnknownError

        ready = [k for k in keys if self.items[k].parent_key is None or self._parent_id(self.items[k])]
        for key in keys:
            if key not in ready:
                self.report.skipped.append(key)  # its zone could not be created: nothing to attach it to
        # a frame goes alone (the client creates it by POST /frames); the others in bulk chunks of 20
        others = [k for k in ready if self.items[k].type != "frame"]
        chunks = [[k] for k in ready if self.items[k].type == "frame"]
        chunks += [others[i : i + BULK_LIMIT] for i in range(0, len(others), BULK_LIMIT)]
        bodies = [[create_body(self.items[k], self._parent_id(self.items[k]), bulk=True) for k in c] for c in chunks]
        unknown: list[str] = []
        failures: list[GriaError] = []

        def on_result(index: int, result: Any) -> None:
            chunk = chunks[index]
            if isinstance(result, OutcomeUnknownError):
                unknown.extend(chunk)
                return
            if isinstance(result, GriaError):
                failures.append(result)
                return
            for key, wire in zip(chunk, result, strict=True):
                item = self.items[key]
                self._record(key, str(wire.id), _observed_from_wire(wire), self._parent_id(item), item.x, item.y)
            self.report.created += len(chunk)
            self._save(self.state)
            self._progress(len(chunk))

        if bodies:
            self.client.bulk_create_chunks(self.plan.board_id, bodies, on_result)
        if failures:
            raise failures[0]
        return unknown

    def _update(self, actions: Sequence[Action]) -> None:
        from gria_miro.miro.errors import MiroNotFoundError

        for start in range(0, len(actions), SAVE_EVERY):
            batch = actions[start : start + SAVE_EVERY]
            calls = []
            for action in batch:
                item = self.items[action.key]
                body = update_body(item, self._parent_id(item), move=action.move)
                calls.append(self._updater(item.type, str(action.item_id), body))
            results = self.client.run_concurrently(calls)
            first_error: GriaError | None = None
            for action, result in zip(batch, results, strict=True):
                if isinstance(result, MiroNotFoundError):
                    self.report.skipped.append(action.key)  # deleted meanwhile; the next plan will say so
                elif isinstance(result, GriaError):
                    first_error = first_error or result
                else:
                    item = self.items[action.key]
                    old = self.state.items.get(action.key)
                    observed = self.on_board[str(action.item_id)]
                    if action.move:
                        where = (self._parent_id(item), float(item.x), float(item.y))
                    elif old is not None and action.key not in self.plan.adopted:
                        where = (old.parent_id, float(old.x), float(old.y))
                    else:
                        where = (observed.parent_id, observed.x, observed.y)
                    self._record(action.key, str(action.item_id), _observed_from_wire(result), *where)
                    self.report.updated += 1
            self._save(self.state)
            self._progress(len(batch))
            if first_error is not None:
                raise first_error

    def _frames_by_resize(self, frames: Sequence[Action]) -> tuple[list[Action], list[Action]]:
        """Frame updates that keep or grow the size (first), and those that shrink a side (last)."""
        growing: list[Action] = []
        shrinking: list[Action] = []
        for action in frames:
            shown = self.on_board.get(str(action.item_id))
            item = self.items[action.key]
            old = (shown.width, shown.height) if shown is not None else (item.width, item.height)
            kind = resize_of(old, (item.width, item.height))
            (shrinking if kind in (Resize.SHRINK, Resize.MIXED) else growing).append(action)
        return growing, shrinking

    def _widen(self, frames: Sequence[Action]) -> None:
        """Frames that get longer on one side and shorter on the other: first the larger of both sizes,
        so that gria-miro's items can reach their new places before the frame takes its final size."""
        calls = []
        for action in frames:
            shown = self.on_board[str(action.item_id)]
            item = self.items[action.key]
            if resize_of((shown.width, shown.height), (item.width, item.height)) != Resize.MIXED:
                continue
            size = {"width": max(item.width, round(shown.width)), "height": max(item.height, round(shown.height))}
            calls.append(self._updater("frame", str(action.item_id), {"geometry": size}))
        for result in self.client.run_concurrently(calls) if calls else []:
            if isinstance(result, GriaError):
                raise result

    def _updater(self, item_type: str, item_id: str, body: dict[str, Any]) -> Callable[[], Any]:
        return lambda: self.client.update_item(self.plan.board_id, item_type, item_id, body)

    def _delete(self, actions: Sequence[Action]) -> None:
        from gria_miro.miro.errors import MiroNotFoundError

        # children and cards first, frames last (a frame's deletion may take its children along)
        for group in ([a for a in actions if a.type != "frame"], [a for a in actions if a.type == "frame"]):
            for start in range(0, len(group), SAVE_EVERY):
                batch = group[start : start + SAVE_EVERY]
                calls = [self._deleter(str(a.item_id)) for a in batch]
                results = self.client.run_concurrently(calls)
                first_error: GriaError | None = None
                for action, result in zip(batch, results, strict=True):
                    if isinstance(result, GriaError) and not isinstance(result, MiroNotFoundError):
                        first_error = first_error or result
                        continue
                    self.state.forget(action.key)
                    self.report.deleted += 1
                self._save(self.state)
                self._progress(len(batch))
                if first_error is not None:
                    raise first_error

    def _deleter(self, item_id: str) -> Callable[[], Any]:
        return lambda: self.client.delete_item(self.plan.board_id, item_id)


def apply_plan(
    client: BoardPort,
    plan: Plan,
    desired: DesiredBoard,
    board: ObservedBoard,
    state: BoardState,
    *,
    save: Callable[[BoardState], None],
    progress: Callable[[int], None] | None = None,
) -> ApplyReport:
    """Apply ``plan``; the state is saved as it goes. Raises :class:`ApplyError` on failure."""
    return Applier(client, plan, desired, board, state, save, progress).run()
