"""Wire items → observed items with absolute positions, walking the parent chain (pure).

Miro gives a child of a frame its centre relative to the frame's top-left corner
(``relativeTo: parent_top_left``); a top-level item is relative to the board centre
(notes §2). So ``abs_x = parent_abs_x − parent_width / 2 + child_x`` (same for y), applied
up the chain of parents. Decision table per item:

| position.relativeTo          | parent id | parent known | result                                   |
|------------------------------|-----------|--------------|------------------------------------------|
| canvas_center                | any       | any          | x, y as given (already absolute)          |
| parent_top_left or absent    | none      | —            | x, y as given (top-level)                 |
| parent_top_left or absent    | set       | yes          | parent's top-left + x, y (recursively)    |
| parent_top_left or absent    | set       | no           | x, y as given, ``unresolved`` reported    |
| any, parent chain has a cycle| set       | —            | x, y as given, ``unresolved`` reported    |
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from gria_miro.miro.wire import WireItem
from gria_miro.observed import ObservedItem

log = logging.getLogger(__name__)

CANVAS = "canvas_center"


def _size(item: WireItem) -> tuple[float, float]:
    g = item.geometry
    if g is None:
        return 0.0, 0.0
    return float(g.width or 0.0), float(g.height or 0.0)


def _raw(item: WireItem) -> tuple[float, float]:
    p = item.position
    return (p.x, p.y) if p is not None else (0.0, 0.0)


def _is_relative(item: WireItem) -> bool:
    if item.parent_id is None:
        return False
    relative_to = item.position.relative_to if item.position is not None else None
    return relative_to != CANVAS  # absent relativeTo with a parent: assume Miro's documented default


def absolute_positions(
    items: Sequence[WireItem], *, parents: Sequence[WireItem] = ()
) -> tuple[dict[str, tuple[float, float]], set[str]]:
    """Absolute centre of every item, and the ids whose parent chain could not be resolved."""
    known: dict[str, WireItem] = {p.id: p for p in parents}
    known.update({i.id: i for i in items})
    resolved: dict[str, tuple[float, float]] = {}
    unresolved: set[str] = set()

    def resolve(item_id: str, trail: tuple[str, ...]) -> tuple[float, float]:
        if item_id in resolved:
            return resolved[item_id]
        item = known[item_id]
        x, y = _raw(item)
        parent_id = item.parent_id
        if _is_relative(item) and parent_id is not None:
            if parent_id in trail or parent_id not in known:
                unresolved.add(item_id)
            else:
                px, py = resolve(parent_id, (*trail, item_id))
                if parent_id in unresolved:
                    unresolved.add(item_id)
                pw, ph = _size(known[parent_id])
                x, y = px - pw / 2 + x, py - ph / 2 + y
        resolved[item_id] = (x, y)
        return x, y

    for item in items:
        resolve(item.id, ())
    return {i.id: resolved[i.id] for i in items}, unresolved


def _ref_id(ref: object) -> str | None:
    value = getattr(ref, "id", None)
    return str(value) if value else None


def to_observed(
    items: Sequence[WireItem],
    *,
    parents: Sequence[WireItem] = (),
    tags: Mapping[str, Sequence[str]] | None = None,
) -> list[ObservedItem]:
    """Observed items (absolute x, y; raw frame-relative values kept in ``rel_x, rel_y``).

    ``parents`` are extra items used only to resolve positions (e.g. a frame fetched on its
    own); ``tags`` maps item id → tag ids. An item whose parent cannot be found keeps its raw
    coordinates and is logged (see the module table).
    """
    positions, unresolved = absolute_positions(items, parents=parents)
    for item_id in sorted(unresolved):
        log.warning("position of item %s not resolved: its parent frame is missing", item_id)
    out = []
    for item in items:
        x, y = positions[item.id]
        w, h = _size(item)
        relative = _is_relative(item)
        rx, ry = _raw(item)
        out.append(
            ObservedItem(
                id=item.id,
                type=item.type,
                x=x,
                y=y,
                width=w,
                height=h,
                data=dict(item.data or {}),
                style=dict(item.style or {}),
                parent_id=item.parent_id,
                rel_x=rx if relative else None,
                rel_y=ry if relative else None,
                created_at=item.created_at,
                modified_at=item.modified_at,
                created_by=_ref_id(item.created_by),
                modified_by=_ref_id(item.modified_by),
                tag_ids=tuple((tags or {}).get(item.id, ())),
            )
        )
    return out
