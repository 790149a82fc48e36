"""The desired board: the typed values shared by the layout engine, push (plan) and pull.

The layout engine computes a :class:`DesiredBoard` from a deck and a layout; push turns
it into Miro items; pull uses its zones and card keys to read a finished board back.
Pure values: no I/O, no Miro ids (only stable keys).

Key grammar (stable, never depends on computation order; ``/`` separates levels)::

    <team>/zone:<zone-id>                    a frame (zone) of a team
    <team>/zone:<zone-id>/<part>:<name>      an item inside that frame (header, text, slot…)
    <team>/card:<CODE>                       a GR:IA card of that team
    board/<part>:<name>                      an item outside any team (board title…)

Coordinates are Miro's: integers, x to the right, y downwards, origin at the board
centre, (x, y) is the item's centre. Children of a frame also carry ``rel_x, rel_y``:
their centre relative to the frame's top-left corner, which is what Miro expects in a
request body with ``parent`` (see shared/miro-api-notes.md §2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

ItemType = Literal["frame", "card", "app_card", "sticky_note", "shape", "text"]

#: Miro's default card size (REST default 320 × 94; the height follows the width).
CARD_WIDTH = 320
CARD_HEIGHT = 94


class ZoneRole(StrEnum):
    """What a zone (frame) is for on the board."""

    TITLE = "title"  # board title and instructions
    LEGEND = "legend"  # the scales and their colours
    PILE = "pile"  # the pioche: every card of the deck at the start
    STAGE = "stage"  # a stage of the hike (or a quarter of a timeline): cards the team places
    CORDEE = "cordee"  # who comes and who is responsible for what
    NOTES = "notes"  # notes and points of vigilance (also the backpack, the weather, the compass)
    HORS_PISTE = "hors-piste"  # actions the team decides not to take: renunciations, outside every total


@dataclass(frozen=True)
class Team:
    id: str  # slug used in keys, e.g. "equipe-a"
    name: str  # shown in zone titles, e.g. "Équipe A"


@dataclass(frozen=True)
class Zone:
    """A zone of the desired board; on Miro a frame (the item with the same key)."""

    key: str
    team: str  # Team.id
    zone_id: str  # the id in the layout file, e.g. "etape-2"
    role: ZoneRole
    label: str  # the zone's own label, without team prefix ("En chemin")
    title: str  # the frame title as shown on the board ("Équipe A · En chemin")
    order: int  # position among zones of the same role (stages: 0, 1, 2…)
    x: int
    y: int
    width: int
    height: int

    @property
    def left(self) -> int:
        return self.x - self.width // 2

    @property
    def top(self) -> int:
        return self.y - self.height // 2


@dataclass(frozen=True)
class DesiredItem:
    """One item to have on the board.

    ``data`` and ``style`` are already in Miro's request vocabulary for ``type``
    (e.g. a card's ``{"title": …, "description": …}`` and ``{"cardTheme": "#…"}``),
    with text escaped for Miro's allowed HTML.
    """

    key: str
    type: ItemType
    x: int
    y: int
    width: int
    height: int
    data: Mapping[str, Any]
    style: Mapping[str, Any] = field(default_factory=dict)
    parent_key: str | None = None
    rel_x: int | None = None
    rel_y: int | None = None
    team: str | None = None
    card_code: str | None = None  # set for GR:IA cards

    def geometry_body(self) -> dict[str, int]:
        """The ``geometry`` Miro accepts for this type (notes §2, geometry per type)."""
        if self.type == "frame":
            return {"width": self.width, "height": self.height}
        if self.type in ("sticky_note", "text", "card", "app_card"):
            # sticky notes: width or height, not both; texts: width only;
            # cards: the height follows the width, as Miro draws them.
            return {"width": self.width}
        return {"width": self.width, "height": self.height}

    def position_body(self) -> dict[str, int]:
        """``position`` for a request body: relative to the parent's top-left when framed."""
        if self.parent_key is not None:
            assert self.rel_x is not None and self.rel_y is not None
            return {"x": self.rel_x, "y": self.rel_y}
        return {"x": self.x, "y": self.y}


@dataclass(frozen=True)
class DesiredBoard:
    """Everything the layout engine decided, in a stable order (frames before children)."""

    layout_name: str
    deck_title: str
    teams: tuple[Team, ...]
    zones: tuple[Zone, ...]
    items: tuple[DesiredItem, ...]
    layout_title: str = ""  # the layout's title as the board shows it (layout_name is the file's id)

    def by_key(self) -> dict[str, DesiredItem]:
        return {item.key: item for item in self.items}

    def zone(self, key: str) -> Zone:
        for zone in self.zones:
            if zone.key == key:
                return zone
        raise KeyError(key)
