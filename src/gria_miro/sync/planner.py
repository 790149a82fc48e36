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
    SEALED_TYPES,
    Seal,
    board_fingerprint,
    changed_fields,
    desired_fingerprint,
    match_items,
    pushed_seal,
    same_content,
    seal_of,
    seal_state,
)
from gria_miro.sync.manifest import Manifest, cards_fingerprint, find_manifest, zones_fingerprint

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
    UNCERTAIN = "uncertain"  # no local state and no proof on the board: deck change or participants' edit?
    TOUCHED = "touched"  # participants filled, edited, moved, assigned or annotated it: deleted only with --force
    MANIFEST = "manifest"  # the board's manifest (clean removes it last)


@dataclass(frozen=True)
class BoardHistory:
    """What the board's manifest says gria-miro pushed: the memory used where the local state has none."""

    manifest: Manifest | None = None
    cards_same: bool = False  # the cards pushed are exactly the desired ones (same deck, layout, teams)
    zones_same: bool = False  # the other items pushed are exactly the desired ones

    @classmethod
    def of(cls, desired: DesiredBoard, board: ObservedBoard) -> BoardHistory:
        manifest = find_manifest(board).manifest
        if manifest is None:
            return cls()
        return cls(
            manifest,
            cards_same=manifest.cards_fp == cards_fingerprint(desired.items),
            zones_same=manifest.zones_fp == zones_fingerprint(desired.items),
        )

    @property
    def sealed(self) -> bool:
        """Cards on this board carry seals: one without a seal is a participant's."""
        return self.manifest is not None

    def _team_pushed(self, item: DesiredItem) -> bool:
        assert self.manifest is not None
        return item.team is None or item.team in self.manifest.team_ids or item.key.startswith("board/")

    def pushed(self, item: DesiredItem) -> bool:
        """Whether a finished push put ``item`` on the board (so if it is gone, participants deleted it)."""
        if self.manifest is None or not self.manifest.complete or not self._team_pushed(item):
            return False
        if item.card_code is not None:
            return item.card_code in self.manifest.codes
        return self.zones_same

    def shows_pushed(self, item: DesiredItem) -> bool:
        """Whether what was pushed for ``item`` is exactly what is desired now (so a difference is an edit)."""
        if self.manifest is None or not self._team_pushed(item):
            return False
        return self.cards_same if item.card_code is not None else self.zones_same


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
    history: BoardHistory = BoardHistory(),
) -> Action:
    """The push decision table for one desired key (docs/architecture.md)."""
    base: dict[str, Any] = {"key": item.key, "type": item.type, "parent_key": item.parent_key}
    if observed is None:
        if record is None and not history.pushed(item):
            # new in the deck/layout, nowhere on the board → create
            return Action(ActionKind.CREATE, notes=(Note.NEW,), **base)
        if options.restore:
            # deleted on the board by participants (state, or the board's manifest, says it was pushed), --restore
            return Action(ActionKind.CREATE, notes=(Note.DELETED_ON_BOARD, Note.RESTORED), **base)
        # deleted on the board by participants (state, or the board's manifest, says it was pushed) → report only
        return Action(ActionKind.KEEP, notes=(Note.DELETED_ON_BOARD,), **base)
    base["item_id"] = observed.id
    if adopted or record is None:
        return _decide_without_record(item, observed, options, history, base)
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


def _decide_without_record(
    item: DesiredItem, observed: ObservedItem, options: PlanOptions, history: BoardHistory, base: dict[str, Any]
) -> Action:
    """The "state absent" rows: found on the board by identity, no local record of it."""
    if same_content(item, observed):
        # shows what the deck says (untouched, or a create whose answer was lost) → keep, record it
        return Action(ActionKind.KEEP, notes=(Note.ADOPTED,), **base)
    changes = changed_fields(item, observed)
    seal = seal_state(observed) if item.type in SEALED_TYPES else Seal.ABSENT
    if seal == Seal.INTACT:
        # its seal proves nobody edited it since it was pushed: the deck changed → update (never moved)
        return Action(ActionKind.UPDATE, notes=(Note.ADOPTED, Note.DECK_CHANGED), changes=changes, **base)
    if seal == Seal.BROKEN and pushed_seal(observed) == seal_of(item):
        # edited by participants, and the deck still says what was pushed → keep theirs, report
        return Action(ActionKind.KEEP, notes=(Note.ADOPTED, Note.EDITED_ON_BOARD), **base)
    if seal == Seal.BROKEN:
        if options.force:
            # edited by participants and changed in the deck, --force → the deck wins
            return Action(
                ActionKind.UPDATE, notes=(Note.ADOPTED, Note.DECK_CHANGED, Note.FORCED), changes=changes, **base
            )
        # edited by participants and changed in the deck → conflict, left as is
        notes = (Note.ADOPTED, Note.EDITED_ON_BOARD, Note.DECK_CHANGED)
        return Action(ActionKind.CONFLICT, notes=notes, changes=changes, **base)
    if history.shows_pushed(item):
        # the manifest proves the board was pushed with this very content: the difference is participants' → keep
        return Action(ActionKind.KEEP, notes=(Note.ADOPTED, Note.EDITED_ON_BOARD), **base)
    if never_modified(observed):
        # never modified since it was created (Miro's own timestamps): the deck/layout changed → update
        return Action(ActionKind.UPDATE, notes=(Note.ADOPTED, Note.DECK_CHANGED), changes=changes, **base)
    if options.force:
        # cannot tell a deck/layout change from participants' edit, --force → the deck wins
        return Action(ActionKind.UPDATE, notes=(Note.ADOPTED, Note.UNCERTAIN, Note.FORCED), changes=changes, **base)
    # cannot tell a deck/layout change from participants' edit → keep the board's version, report (--force)
    return Action(ActionKind.CONFLICT, notes=(Note.ADOPTED, Note.UNCERTAIN), changes=changes, **base)


def never_modified(observed: ObservedItem) -> bool:
    """Whether Miro says the item was never modified since it was created (so it shows what was pushed)."""
    return observed.created_at is not None and observed.created_at == observed.modified_at


def touched(observed: ObservedItem, record: ItemState | None, desired: DesiredItem | None) -> bool:
    """Whether participants did something to one of gria-miro's items (filled, edited, moved, assigned it)."""
    if observed.data.get("assigneeId") or observed.data.get("dueDate"):
        return True  # assigned or given a date by the team
    if record is not None:
        return board_fingerprint(observed) != record.board_fp or moved_on_board(observed, record)
    if observed.type in SEALED_TYPES and seal_state(observed) == Seal.BROKEN:
        return True
    if desired is None:
        return False
    moved = abs(observed.x - desired.x) > POSITION_TOLERANCE or abs(observed.y - desired.y) > POSITION_TOLERANCE
    return moved or not same_content(desired, observed)


def plan_push(
    desired: DesiredBoard,
    board: ObservedBoard,
    state: BoardState,
    options: PlanOptions,
    history: BoardHistory | None = None,
) -> Plan:
    """Every action a push would take, frames first, in the desired board's stable order.

    ``history`` (by default read from the board's manifest) stands in for the state's missing records.
    """
    history = BoardHistory.of(desired, board) if history is None else history
    on_board = board.by_id()
    bound = {key: rec.id for key, rec in state.items.items() if rec.id in on_board}
    adopted = match_items(desired, board.items, bound, sealed_only=history.sealed)
    ids = {**bound, **adopted}
    actions: list[Action] = []
    for item in desired.items:
        item_id = ids.get(item.key)
        observed = on_board.get(item_id) if item_id else None
        parent_id = ids.get(item.parent_key) if item.parent_key else None
        record = state.items.get(item.key)
        if record is not None and record.id not in on_board and item.key in adopted:
            record = None  # stale id in the state, but the item was found again on the board
        actions.append(decide(item, record, observed, parent_id, options, item.key in adopted, history))
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
        elif options.prune and touched(on_board[record.id], record, None) and not options.force:
            # removed from the deck/layout, but participants touched it → kept, shown apart (--prune --force)
            actions.append(Action(ActionKind.KEEP, notes=(Note.REMOVED_FROM_DECK, Note.TOUCHED), **base))
        elif options.prune:
            # removed from the deck/layout, --prune asked (and untouched, or --force) → delete it
            actions.append(Action(ActionKind.DELETE, notes=(Note.REMOVED_FROM_DECK,), **base))
        else:
            # removed from the deck/layout → report only
            actions.append(Action(ActionKind.KEEP, notes=(Note.REMOVED_FROM_DECK,), **base))
    return Plan(board.board_id, tuple(actions), adopted)


def plan_clean(
    board: ObservedBoard,
    state: BoardState,
    desired: DesiredBoard | None = None,
    *,
    force: bool = False,
) -> Plan:
    """Delete everything gria-miro created on the board (state + items found by identity), and nothing else.

    Items participants touched are kept and shown apart unless ``force``; a zone still holding
    anything that stays (their notes, their cards, a kept item) stays too. The manifest goes last,
    and only when nothing of gria-miro's is left.
    """
    on_board = board.by_id()
    bound = {key: rec.id for key, rec in state.items.items() if rec.id in on_board}
    found_manifest = find_manifest(board)
    found = (
        match_items(desired, board.items, bound, sealed_only=found_manifest.manifest is not None)
        if desired is not None
        else {}
    )
    wanted = desired.by_key() if desired is not None else {}
    types = {**{k: r.type for k, r in state.items.items()}, **{k: i.type for k, i in wanted.items()}}
    ours = {**bound, **found}
    kept: set[str] = set()  # ids that stay on the board
    decided: dict[str, Action] = {}
    for key in sorted(ours, key=lambda k: _children_first(k, types[k])):
        item_id = ours[key]
        record = state.items.get(key) if key in bound else None
        base: dict[str, Any] = {"key": key, "type": types[key], "item_id": item_id}
        if types[key] != "frame" and touched(on_board[item_id], record, wanted.get(key)):
            if not force:
                # participants filled, edited, moved or assigned it → kept, shown apart (--force deletes it)
                decided[key] = Action(ActionKind.KEEP, notes=(Note.TOUCHED,), **base)
                kept.add(item_id)
                continue
            # touched by participants, --force → delete it anyway
            decided[key] = Action(ActionKind.DELETE, notes=(Note.CLEAN, Note.TOUCHED, Note.FORCED), **base)
            continue
        # created by gria-miro and untouched → delete
        decided[key] = Action(ActionKind.DELETE, notes=(Note.CLEAN,), **base)
    deleted = {a.item_id for a in decided.values() if a.kind == ActionKind.DELETE}
    for key, action in decided.items():
        if action.type != "frame" or action.kind != ActionKind.DELETE:
            continue
        staying = [i for i in board.items if i.parent_id == action.item_id and i.id not in deleted]
        if staying and not force:
            # a zone still holding something that stays (participants' notes or cards, a kept item) → kept
            decided[key] = Action(ActionKind.KEEP, notes=(Note.TOUCHED,), key=key, type="frame", item_id=action.item_id)
            kept.add(str(action.item_id))
    actions = list(decided.values())
    for key, rec in sorted(state.items.items()):
        if rec.id not in on_board:
            actions.append(Action(ActionKind.FORGET, key=key, type=rec.type, item_id=rec.id))
    if not kept:
        for number, item in enumerate(found_manifest.items):
            key = "board/manifest" if number == 0 else f"board/manifest-{number + 1}"
            actions.append(Action(ActionKind.DELETE, key=key, type="text", item_id=item.id, notes=(Note.MANIFEST,)))
    return Plan(board.board_id, tuple(actions), found)


def _children_first(key: str, item_type: str) -> tuple[bool, str]:
    """Delete children (and cards participants put in frames) before the frames."""
    return (item_type == "frame", key)
