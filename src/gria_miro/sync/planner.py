"""The pure planner: desired board + observed board + state → the plan of a push.

A plan is a value (Terraform's plan → apply): one :class:`Action` per key, each of a
closed set of kinds, decided by the table in :func:`decide`. Nothing here performs I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from gria_miro.board import DesiredBoard, DesiredItem
from gria_miro.observed import ObservedBoard, ObservedItem
from gria_miro.sync.identity import (
    POSITION_TOLERANCE,
    board_fingerprint,
    changed_fields,
    desired_fingerprint,
    match_items,
    same_content,
)

if TYPE_CHECKING:  # the planner only reads state records; the store (files) is not imported
    from gria_miro.sync.state import BoardState, ItemState


class ActionKind(StrEnum):
    CREATE = "create"  # put a new item on the board
    UPDATE = "update"  # change an item gria-miro owns
    KEEP = "keep"  # leave the item as it is (possibly with something to report)
    CONFLICT = "conflict"  # changed on the board and in the deck: left as is until --force
    DELETE = "delete"  # remove an item gria-miro created (only with --prune, or clean)
    FORGET = "forget"  # drop a key from the state: the item is gone on both sides


class Note(StrEnum):
    """Why an action is what it is; shown in the plan and in push's summary."""

    NEW = "new"
    ADOPTED = "adopted"  # found on the board by identity, recorded in the state
    DECK_CHANGED = "deck_changed"
    LAYOUT_MOVED = "layout_moved"  # the layout puts it elsewhere (and nobody moved it)
    MOVED_BY_PARTICIPANTS = "moved_by_participants"  # kept where the team put it
    EDITED_ON_BOARD = "edited_on_board"  # drift: kept as the participants left it
    DELETED_ON_BOARD = "deleted_on_board"  # reported; recreated only with --restore
    RESTORED = "restored"
    REMOVED_FROM_DECK = "removed_from_deck"  # reported; deleted only with --prune
    FORCED = "forced"
    CLEAN = "clean"


@dataclass(frozen=True)
class PlanOptions:
    prune: bool = False
    restore: bool = False
    force: bool = False


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    key: str
    type: str
    item_id: str | None = None
    notes: tuple[Note, ...] = ()
    changes: tuple[str, ...] = ()  # fields that change (update) or differ (conflict)
    move: bool = False  # an update that also sets position/parent (never for a participant's move)
    parent_key: str | None = None

    @property
    def writes(self) -> bool:
        return self.kind in (ActionKind.CREATE, ActionKind.UPDATE, ActionKind.DELETE)


@dataclass(frozen=True)
class Plan:
    board_id: str
    actions: tuple[Action, ...]
    adopted: Mapping[str, str] = field(default_factory=dict)  # key → id found on the board

    def of(self, kind: ActionKind) -> list[Action]:
        return [a for a in self.actions if a.kind == kind]

    def counts(self) -> dict[str, int]:
        return {kind.value: sum(1 for a in self.actions if a.kind == kind) for kind in ActionKind}

    def noted(self, note: Note) -> list[Action]:
        return [a for a in self.actions if note in a.notes]

    @property
    def has_changes(self) -> bool:
        return any(a.writes for a in self.actions)


def moved_on_board(observed: ObservedItem, record: ItemState) -> bool:
    """Whether someone moved or re-parented the item since gria-miro put it there."""
    return (
        observed.parent_id != record.parent_id
        or abs(observed.x - record.x) > POSITION_TOLERANCE
        or abs(observed.y - record.y) > POSITION_TOLERANCE
    )


def layout_moved(item: DesiredItem, record: ItemState, parent_id: str | None) -> bool:
    """Whether the layout now puts the item somewhere else than where it was put."""
    # within the tolerance: an item recorded where it was found may sit half a unit off (odd frame sizes)
    return (
        parent_id != record.parent_id
        or abs(item.x - record.x) > POSITION_TOLERANCE
        or abs(item.y - record.y) > POSITION_TOLERANCE
    )


def decide(
    item: DesiredItem,
    record: ItemState | None,
    observed: ObservedItem | None,
    desired_parent_id: str | None,
    options: PlanOptions,
    adopted: bool,
) -> Action:
    """The push decision table for one desired key (shared/ARCHITECTURE.md)."""
    base: dict[str, Any] = {"key": item.key, "type": item.type, "parent_key": item.parent_key}
    if observed is None:
        if record is None:
            # new in the deck/layout, nowhere on the board → create
            return Action(ActionKind.CREATE, notes=(Note.NEW,), **base)
        if options.restore:
            # deleted on the board by participants, and --restore asked → create it again
            return Action(ActionKind.CREATE, notes=(Note.DELETED_ON_BOARD, Note.RESTORED), **base)
        # deleted on the board by participants → report only
        return Action(ActionKind.KEEP, notes=(Note.DELETED_ON_BOARD,), **base)
    base["item_id"] = observed.id
    if adopted or record is None:
        # found by identity with no usable history: the board keeps its positions;
        # the deck decides the content (an item created by a lost response already matches)
        if same_content(item, observed):
            return Action(ActionKind.KEEP, notes=(Note.ADOPTED,), **base)
        return Action(
            ActionKind.UPDATE, notes=(Note.ADOPTED, Note.DECK_CHANGED), changes=changed_fields(item, observed), **base
        )
    deck_changed = desired_fingerprint(item) != record.desired_fp
    board_edited = board_fingerprint(observed) != record.board_fp
    moved = moved_on_board(observed, record)
    relocate = not moved and layout_moved(item, record, desired_parent_id)
    notes: list[Note] = [Note.MOVED_BY_PARTICIPANTS] if moved else []
    if board_edited and deck_changed and not options.force:
        # edited on the board and changed in the deck → conflict, left as is
        return Action(
            ActionKind.CONFLICT,
            notes=(*notes, Note.EDITED_ON_BOARD, Note.DECK_CHANGED),
            changes=changed_fields(item, observed),
            **base,
        )
    if board_edited and deck_changed:
        # both changed, --force → the deck wins (the position stays where participants put it)
        return Action(
            ActionKind.UPDATE,
            notes=(*notes, Note.DECK_CHANGED, Note.FORCED),
            changes=changed_fields(item, observed),
            move=relocate,
            **base,
        )
    if board_edited:
        # edited on the board only → keep the participants' version, report the drift
        return Action(ActionKind.KEEP, notes=(*notes, Note.EDITED_ON_BOARD), **base)
    if deck_changed or relocate:
        # changed in the deck/layout, untouched on the board → update (text; position only if nobody moved it)
        why = ([Note.DECK_CHANGED] if deck_changed else []) + ([Note.LAYOUT_MOVED] if relocate else [])
        changes = changed_fields(item, observed) + (("position",) if relocate else ())
        return Action(ActionKind.UPDATE, notes=(*notes, *why), changes=changes, move=relocate, **base)
    # unchanged (or only moved by participants) → nothing
    return Action(ActionKind.KEEP, notes=tuple(notes), **base)


def plan_push(desired: DesiredBoard, board: ObservedBoard, state: BoardState, options: PlanOptions) -> Plan:
    """Every action a push would take, frames first, in the desired board's stable order."""
    on_board = board.by_id()
    bound = {key: rec.id for key, rec in state.items.items() if rec.id in on_board}
    adopted = match_items(desired, board.items, bound)
    ids = {**bound, **adopted}
    actions: list[Action] = []
    for item in desired.items:
        item_id = ids.get(item.key)
        observed = on_board.get(item_id) if item_id else None
        parent_id = ids.get(item.parent_key) if item.parent_key else None
        record = state.items.get(item.key)
        if record is not None and record.id not in on_board and item.key in adopted:
            record = None  # stale id in the state, but the item was found again on the board
        actions.append(decide(item, record, observed, parent_id, options, item.key in adopted))
    desired_keys = {item.key for item in desired.items}
    orphans = sorted(
        (k for k in state.items if k not in desired_keys), key=lambda k: _children_first(k, state.items[k].type)
    )
    for key in orphans:
        record = state.items[key]
        base: dict[str, Any] = {"key": key, "type": record.type, "item_id": record.id}
        if record.id not in on_board:
            # gone on both sides → forget it in the state
            actions.append(Action(ActionKind.FORGET, **base))
        elif options.prune:
            # removed from the deck/layout, --prune asked → delete it
            actions.append(Action(ActionKind.DELETE, notes=(Note.REMOVED_FROM_DECK,), **base))
        else:
            # removed from the deck/layout → report only
            actions.append(Action(ActionKind.KEEP, notes=(Note.REMOVED_FROM_DECK,), **base))
    return Plan(board.board_id, tuple(actions), adopted)


def plan_clean(board: ObservedBoard, state: BoardState, desired: DesiredBoard | None = None) -> Plan:
    """Delete everything gria-miro created on the board (state + items found by identity), and nothing else."""
    on_board = board.by_id()
    bound = {key: rec.id for key, rec in state.items.items() if rec.id in on_board}
    found = match_items(desired, board.items, bound) if desired is not None else {}
    types = {
        **{k: r.type for k, r in state.items.items()},
        **({i.key: i.type for i in desired.items} if desired else {}),
    }
    actions = []
    for key in sorted({**bound, **found}, key=lambda k: _children_first(k, types[k])):
        item_id = bound.get(key) or found[key]
        actions.append(Action(ActionKind.DELETE, key=key, type=types[key], item_id=item_id, notes=(Note.CLEAN,)))
    for key, rec in sorted(state.items.items()):
        if rec.id not in on_board:
            actions.append(Action(ActionKind.FORGET, key=key, type=rec.type, item_id=rec.id))
    return Plan(board.board_id, tuple(actions), found)


def _children_first(key: str, item_type: str) -> tuple[bool, str]:
    """Delete children (and cards participants put in frames) before the frames."""
    return (item_type == "frame", key)
