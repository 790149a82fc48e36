"""What was read from a board: items with absolute positions, members and tags.

Shared by push (the planner compares it with the desired board and the state) and pull
(assignment of cards to zones, roadmap). Built from Miro's wire JSON by
``gria_miro.miro`` (which resolves frame-relative positions through the parent chain);
saved and re-read as a snapshot file by pull. Pure values, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ObservedItem:
    """One item as it is on the board now.

    ``x, y`` are absolute (board centre origin, item centre), whatever Miro returned;
    ``rel_x, rel_y`` are the raw frame-relative values when the item has a parent.
    """

    id: str
    type: str
    x: float
    y: float
    width: float
    height: float
    data: Mapping[str, Any] = field(default_factory=dict)
    style: Mapping[str, Any] = field(default_factory=dict)
    parent_id: str | None = None
    rel_x: float | None = None
    rel_y: float | None = None
    created_at: str | None = None
    modified_at: str | None = None
    created_by: str | None = None
    modified_by: str | None = None
    tag_ids: tuple[str, ...] = ()

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def top(self) -> float:
        return self.y - self.height / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height / 2


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: str | None = None


@dataclass(frozen=True)
class Tag:
    id: str
    title: str
    fill_color: str | None = None


@dataclass(frozen=True)
class ObservedBoard:
    """Every item of a board (complete pagination), plus members and tags when read."""

    board_id: str
    name: str | None
    view_link: str | None
    items: tuple[ObservedItem, ...]
    members: tuple[Member, ...] = ()
    tags: tuple[Tag, ...] = ()

    def by_id(self) -> dict[str, ObservedItem]:
        return {item.id: item for item in self.items}
