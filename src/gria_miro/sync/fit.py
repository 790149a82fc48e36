"""Whether a plan's zone resizes fit what stays in the zones (pure), and in which order to resize them.

Miro refuses to resize a frame when a child would end up outside it ("new size would leave a child
outside of the frame boundaries"; a child's position is relative to the frame's top-left corner).
Apply therefore grows zones before anything is placed in them and shrinks them last, after
gria-miro has moved its own items to their new places. What gria-miro never moves (what the
participants placed or moved, and anything the plan leaves where it is) must already fit the new
size: if it does not, :func:`too_small` finds it and push refuses the whole plan before the first write.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gria_miro.board import DesiredBoard
from gria_miro.errors import UserError
from gria_miro.observed import ObservedBoard, ObservedItem
from gria_miro.sync.identity import card_code
from gria_miro.sync.planner import ActionKind, Plan


class Resize(StrEnum):
    SAME = "same"  # same size: nothing to order
    GROW = "grow"  # no side shorter: resize before placing children in it
    SHRINK = "shrink"  # no side longer: resize after moving gria-miro's children
    MIXED = "mixed"  # one side longer, the other shorter: grow to the larger of both first, shrink last


def resize_of(old: tuple[float, float], new: tuple[float, float]) -> Resize:
    """How a frame of size ``old`` (width, height) becomes ``new``."""
    wider, narrower = new[0] > old[0], new[0] < old[0]
    taller, shorter = new[1] > old[1], new[1] < old[1]
    if not (wider or narrower or taller or shorter):
        # same size → no constraint
        return Resize.SAME
    if not (narrower or shorter):
        # only longer sides → grow first
        return Resize.GROW
    if not (wider or taller):
        # only shorter sides → shrink last
        return Resize.SHRINK
    # longer on one side, shorter on the other → both
    return Resize.MIXED


@dataclass(frozen=True)
class ZoneTooSmall:
    """A zone the plan shrinks, and the items that stay in it but would lie outside its new size."""

    title: str
    old: tuple[int, int]
    new: tuple[int, int]
    items: tuple[str, ...]  # what each stuck item is, in words (card code, note text, type)


class ZoneTooSmallError(UserError):
    """A push refused before its first write: a smaller zone would leave items outside it."""

    def __init__(self, zones: list[ZoneTooSmall]) -> None:
        self.zones = zones
        names = ", ".join(f"« {z.title} »" for z in zones)
        count = sum(len(z.items) for z in zones)
        super().__init__(
            f"la disposition rétrécit {len(zones)} zone(s) ({names}) alors que {count} élément(s) que gria-miro "
            "ne déplace pas (posés ou déplacés par les participants) en sortiraient ; rien n'a été modifié. "
            "Rapprochez-les du coin haut-gauche de la zone ou sortez-les-en sur le tableau, ou gardez la zone "
            "plus grande dans la disposition, puis relancez"
        )

    def detail_lines(self) -> list[str]:
        return [
            f"« {z.title} » : {z.old[0]}×{z.old[1]} → {z.new[0]}×{z.new[1]} ; en sortiraient : " + ", ".join(z.items)
            for z in self.zones
        ]


def _described(item: ObservedItem) -> str:
    if item.type in ("card", "app_card"):
        code = card_code(item.data.get("title"))
        if code:
            return f"carte {code}"
    text = " ".join(str(item.data.get("content") or item.data.get("title") or "").split())
    for tag in ("<p>", "</p>", "<br>", "<strong>", "</strong>"):
        text = text.replace(tag, " ")
    text = " ".join(text.split())
    kind = {"sticky_note": "note", "card": "carte", "text": "texte", "shape": "forme"}.get(item.type, item.type)
    return f"{kind} « {text[:40]}{'…' if len(text) > 40 else ''} »" if text else kind


def _inside(child: ObservedItem, frame: ObservedItem, width: float, height: float) -> bool:
    """Whether ``child`` (centre, relative to the frame's top-left) lies inside a frame of this size."""
    rel_x = child.rel_x if child.rel_x is not None else child.x - (frame.x - frame.width / 2)
    rel_y = child.rel_y if child.rel_y is not None else child.y - (frame.y - frame.height / 2)
    return 0 <= rel_x <= width and 0 <= rel_y <= height


def too_small(plan: Plan, desired: DesiredBoard, board: ObservedBoard) -> list[ZoneTooSmall]:
    """Every zone the plan makes smaller than what stays in it (empty: the plan can be applied in order)."""
    wanted = desired.by_key()
    on_board = board.by_id()
    # what leaves its place before the zones shrink: gria-miro's items it moves, and what it deletes
    leaving = {
        a.item_id
        for a in plan.actions
        if (a.kind == ActionKind.UPDATE and a.move) or (a.kind == ActionKind.DELETE and a.type != "frame")
    }
    found: list[ZoneTooSmall] = []
    for action in plan.actions:
        if action.kind != ActionKind.UPDATE or action.type != "frame" or action.item_id not in on_board:
            continue
        frame, item = on_board[str(action.item_id)], wanted[action.key]
        if resize_of((frame.width, frame.height), (item.width, item.height)) in (Resize.SAME, Resize.GROW):
            continue
        stuck = [
            child
            for child in board.items
            if child.parent_id == frame.id
            and child.id not in leaving
            and not _inside(child, frame, item.width, item.height)
        ]
        if stuck:
            title = " ".join(str(frame.data.get("title") or action.key).split())
            old = (round(frame.width), round(frame.height))
            found.append(ZoneTooSmall(title, old, (item.width, item.height), tuple(_described(c) for c in stuck)))
    return found


def check_fits(plan: Plan, desired: DesiredBoard, board: ObservedBoard) -> None:
    """Raise :class:`ZoneTooSmallError` when the plan cannot be applied; nothing is written either way."""
    zones = too_small(plan, desired, board)
    if zones:
        raise ZoneTooSmallError(zones)
