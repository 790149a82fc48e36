"""The layout engine: (deck, layout, teams) → the desired board. Pure, deterministic, O(cards × teams).

Each placed zone becomes a frame sized to its content, built once as a *template* (its
size and its children relative to the frame's top-left) and stamped for every team.
Rows are laid out top to bottom and the zones of a row left to right, separated by
``spacing.zone_gap``; ``board_rows`` come first, then one block of ``team_rows`` per team
on a grid of ``teams.columns``. The whole board is centred on (0, 0).

Guarantees (checked by property tests): frames are never nested; each child lies inside
its frame; siblings never overlap; zones never overlap; coordinates are integers (frame
and child sizes are even, so centres are whole); keys and frame titles are unique.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from gria_miro.board import CARD_HEIGHT, CARD_WIDTH, DesiredBoard, DesiredItem, ItemType, Team, Zone, ZoneRole
from gria_miro.deck.model import Card, Deck
from gria_miro.deck.scales import KIND_LABELS, SCALES, Scale
from gria_miro.errors import UserError
from gria_miro.layout.content import card_content, paragraphs, shown, text_colour_on, zone_title
from gria_miro.layout.model import (
    HorsPisteZone,
    Layout,
    LegendZone,
    PileZone,
    SlotsZone,
    StageZone,
    TitleZone,
    ZoneSpec,
)

BOARD_TEAM = "board"  # the "team" part of keys of items drawn once for the whole board

STICKY_WIDTH = 200
STICKY_HEIGHT = 230  # a square sticky note of width 200 is drawn about 200 × 228; room for it
HEADER_HEIGHT = 56  # theme headers in the pile, question headers in the cordée / notes
LEGEND_COLUMN = 320
LEGEND_SWATCH = 48
LEGEND_HEADER = 56
LEGEND_GAP = 8
MIN_FRAME = 100  # Miro's smallest frame
EXPLANATION_FONT = 16  # what a zone is for, at the top of its frame

#: Frame fill when the layout gives none (one line per role).
DEFAULT_FILL: dict[ZoneRole, str] = {
    ZoneRole.TITLE: "#ffffff",  # plain white
    ZoneRole.LEGEND: "#fafafa",  # near white
    ZoneRole.PILE: "#f5f6f8",  # light grey, the table the cards lie on
    ZoneRole.STAGE: "#eef7ee",  # light green, the path
    ZoneRole.CORDEE: "#fffbea",  # light yellow
    ZoneRole.NOTES: "#fdf0f3",  # light pink
    ZoneRole.HORS_PISTE: "#eceff1",  # blue-grey, off the path
}


class LayoutError(UserError):
    """The layout cannot be drawn for these options (e.g. ``--teams 0``, two frames with the same title)."""


def _even(n: int) -> int:
    """``n`` rounded up to an even number, so that a centre ``left + n // 2`` is exact."""
    return n + (n & 1)


@dataclass(frozen=True)
class _Part:
    """One child of a zone, its centre relative to the frame's top-left corner."""

    name: str  # key part: "header:gouvernance"; for a card, its code
    type: ItemType
    cx: int
    cy: int
    width: int
    height: int
    data: dict[str, Any]
    style: dict[str, Any]
    card_code: str | None = None


@dataclass
class _Template:
    """A zone's frame size and children, the same for every team."""

    zone: ZoneSpec
    width: int
    height: int
    parts: list[_Part] = field(default_factory=list)

    @cached_property
    def rows(self) -> list[tuple[str, ItemType, int, int, int, int, dict[str, Any], dict[str, Any], str | None]]:
        """The parts as plain tuples, built once and stamped for every team."""
        return [(p.name, p.type, p.cx, p.cy, p.width, p.height, p.data, p.style, p.card_code) for p in self.parts]

    def fit(self, content_width: int, content_height: int, padding: int) -> None:
        self.width = _even(max(MIN_FRAME, content_width + 2 * padding))
        self.height = _even(max(MIN_FRAME, content_height + 2 * padding))


@dataclass(frozen=True)
class _Context:
    deck: Deck
    layout: Layout
    card_parts: dict[str, tuple[dict[str, Any], dict[str, Any]]]  # code → (data, style), computed once

    @property
    def padding(self) -> int:
        return self.layout.spacing.padding

    @property
    def gap(self) -> int:
        return self.layout.cards.gap


def _text_height(plain: str, width: int, font_size: int) -> int:
    """A generous estimate of a text item's height (Miro computes it from the content)."""
    per_line = max(1, int(width / (font_size * 0.55)))
    lines = sum(max(1, math.ceil(len(line) / per_line)) for line in plain.splitlines() or [""])
    return _even(int(lines * font_size * 1.5) + font_size)


def _text(name: str, content: str, left: int, top: int, width: int, height: int, font_size: int) -> _Part:
    style = {"fontSize": str(font_size), "textAlign": "left", "color": "#1a1a1a"}
    return _Part(name, "text", left + width // 2, top + height // 2, width, height, {"content": content}, style)


def _shape(name: str, content: str, left: int, top: int, width: int, height: int, fill: str, size: int) -> _Part:
    data = {"content": content, "shape": "round_rectangle"}
    style = {
        "fillColor": fill,
        "color": text_colour_on(fill),
        "fontSize": str(size),
        "textAlign": "center",
        "textAlignVertical": "middle",
        "borderColor": "#1a1a1a",
        "borderWidth": "1",
    }
    return _Part(name, "shape", left + width // 2, top + height // 2, width, height, data, style)


def _title_template(zone: TitleZone, ctx: _Context) -> _Template:
    pad, gap = ctx.padding, ctx.gap
    template = _Template(zone, 0, 0)
    inner = _even(zone.width) - 2 * pad if _even(zone.width) > 2 * pad + 100 else 100
    inner -= inner & 1
    heading_h = _text_height(ctx.layout.title, inner, 48)
    template.parts.append(
        _text("text:titre", f"<p><strong>{shown(ctx.layout.title)}</strong></p>", pad, pad, inner, heading_h, 48)
    )
    height = heading_h
    if zone.text.strip():
        body_h = _text_height(zone.text, inner, 20)
        template.parts.append(
            _text("text:consignes", paragraphs(zone.text), pad, pad + heading_h + gap, inner, body_h, 20)
        )
        height += gap + body_h
    template.fit(inner, height, pad)
    return template


def _scale_entries(scale: Scale) -> list[tuple[str, str, str]]:
    """(key part, label, colour) of each level of a scale, as the legend shows it."""
    return [(f"{scale.name}-{scale.key_part(lv.value)}", scale.legend_fr(lv.value), lv.colour) for lv in scale.levels]


def _legend_template(zone: LegendZone, ctx: _Context) -> _Template:
    pad = ctx.padding
    columns: list[tuple[str, str, list[tuple[str, str, str]]]] = [
        (scale.name, scale.fr, _scale_entries(scale)) for scale in SCALES
    ]
    columns.append(("kind", "Nature", [(f"kind-{k.value}", v[0], v[2]) for k, v in KIND_LABELS.items()]))
    if zone.themes:
        columns.append(("themes", "Thèmes", [(f"theme-{t.id}", t.label, t.color) for t in ctx.deck.themes]))
    template = _Template(zone, 0, 0)
    height = 0
    for c, (name, label, entries) in enumerate(columns):
        left = pad + c * (LEGEND_COLUMN + 2 * LEGEND_GAP)
        template.parts.append(
            _text(
                f"header:{name}",
                f"<p><strong>{shown(label)}</strong></p>",
                left,
                pad,
                LEGEND_COLUMN,
                LEGEND_HEADER,
                18,
            )
        )
        top = pad + LEGEND_HEADER + LEGEND_GAP
        for key, text, colour in entries:
            content = f"<p>{shown(text)}</p>"
            template.parts.append(_shape(f"swatch:{key}", content, left, top, LEGEND_COLUMN, LEGEND_SWATCH, colour, 12))
            top += LEGEND_SWATCH + LEGEND_GAP
        height = max(height, top - LEGEND_GAP - pad)
    width = len(columns) * LEGEND_COLUMN + (len(columns) - 1) * 2 * LEGEND_GAP
    template.fit(width, height, pad)
    return template


def _desired_item(
    key: str,
    type: ItemType,
    x: int,
    y: int,
    width: int,
    height: int,
    data: dict[str, Any],
    style: dict[str, Any],
    parent_key: str,
    rel_x: int,
    rel_y: int,
    team: str | None,
    card_code: str | None,
    _new: Callable[..., DesiredItem] = object.__new__,
    _set: Callable[[object, str, object], None] = object.__setattr__,
) -> DesiredItem:
    """``DesiredItem(key, type, …)``, what its generated ``__init__`` does, a sixth faster.

    A 10,000-card board for 10 teams stamps 100,000 children. The frozen dataclass's ``__init__`` looks
    ``object.__setattr__`` up again for each of the 13 fields; here it is bound once. Same fields, same
    order, same object (``test_engine_properties`` checks the signature against the dataclass).
    """
    item = _new(DesiredItem)
    _set(item, "key", key)
    _set(item, "type", type)
    _set(item, "x", x)
    _set(item, "y", y)
    _set(item, "width", width)
    _set(item, "height", height)
    _set(item, "data", data)
    _set(item, "style", style)
    _set(item, "parent_key", parent_key)
    _set(item, "rel_x", rel_x)
    _set(item, "rel_y", rel_y)
    _set(item, "team", team)
    _set(item, "card_code", card_code)
    return item


def _grid_width(columns: int, item_width: int, gap: int) -> int:
    return columns * item_width + (columns - 1) * gap


def _pile_template(zone: PileZone, ctx: _Context) -> _Template:
    """Every card, theme by theme; each theme opens with its coloured label in the first card slot.

    The label takes a slot rather than a full-width bar so that rows stay full and the pile
    takes no more room than its cards need (the stages get it instead).
    """
    pad, gap = ctx.padding, ctx.gap
    inner = _grid_width(zone.columns, CARD_WIDTH, gap)
    groups: dict[str, list[Card]] = {}
    for card in ctx.deck.sorted_cards():
        groups.setdefault(card.theme, []).append(card)
    template = _Template(zone, 0, 0)
    parts = template.parts
    top = pad
    step_x, step_y = CARD_WIDTH + gap, CARD_HEIGHT + gap
    half_w, half_h = CARD_WIDTH // 2, CARD_HEIGHT // 2
    item_type: ItemType = ctx.layout.cards.item
    for theme in ctx.deck.themes:
        cards = groups.get(theme.id)
        if not cards:
            continue
        label = f"<p><strong>{shown(theme.label)}</strong></p>"
        parts.append(_shape(f"header:{theme.id}", label, pad, top, CARD_WIDTH, CARD_HEIGHT, theme.color, 18))
        for i, card in enumerate(cards, start=1):
            row, col = divmod(i, zone.columns)
            data, style = ctx.card_parts[card.code]
            cx, cy = pad + col * step_x + half_w, top + row * step_y + half_h
            parts.append(_Part(card.code, item_type, cx, cy, CARD_WIDTH, CARD_HEIGHT, data, style, card.code))
        rows = math.ceil((len(cards) + 1) / zone.columns)
        top += rows * step_y + gap  # one more gap between themes
    template.fit(inner, max(0, top - 2 * gap - pad), pad)
    return template


def _explanation(template: _Template, lines: Sequence[str], ctx: _Context, width: int) -> int:
    """A short text at the top of a zone (what goes there, its horizon); returns the height it takes."""
    lines = [line for line in lines if line.strip()]
    if not lines:
        return 0
    height = _text_height("\n".join(lines), width, EXPLANATION_FONT)
    html = "".join(f"<p>{shown(line)}</p>" for line in lines)
    template.parts.append(_text("text:explication", html, ctx.padding, ctx.padding, width, height, EXPLANATION_FONT))
    return height + ctx.gap


def _card_area_template(zone: StageZone | HorsPisteZone, ctx: _Context) -> _Template:
    """An empty frame with room for ``slots`` cards, under its explanation (stages and hors-piste)."""
    columns = min(zone.columns, zone.slots)
    rows = math.ceil(zone.slots / columns)
    template = _Template(zone, 0, 0)
    gap = ctx.gap
    width = _grid_width(columns, CARD_WIDTH, gap)
    horizon = f"Horizon indicatif : {zone.horizon}" if isinstance(zone, StageZone) and zone.horizon else ""
    top = _explanation(template, [horizon, zone.text], ctx, width - (width & 1))
    template.fit(width, top + rows * CARD_HEIGHT + (rows - 1) * gap, ctx.padding)
    return template


def _slots_template(zone: SlotsZone, ctx: _Context) -> _Template:
    pad, gap = ctx.padding, ctx.gap
    inner = _even(max(_grid_width(min(g.columns, g.slots), STICKY_WIDTH, gap) for g in zone.groups))
    template = _Template(zone, 0, 0)
    top = pad + _explanation(template, [zone.text], ctx, inner)
    for group in zone.groups:
        template.parts.append(
            _shape(
                f"header:{group.id}",
                f"<p><strong>{shown(group.label)}</strong></p>",
                pad,
                top,
                inner,
                HEADER_HEIGHT,
                "#ffffff",
                16,
            )
        )
        top += HEADER_HEIGHT + gap
        columns = min(group.columns, group.slots)
        for i in range(group.slots):
            row, col = divmod(i, columns)
            cx = pad + col * (STICKY_WIDTH + gap) + STICKY_WIDTH // 2
            cy = top + row * (STICKY_HEIGHT + gap) + STICKY_HEIGHT // 2
            data = {"content": "", "shape": "square"}
            style = {"fillColor": group.sticky_color, "textAlign": "center", "textAlignVertical": "middle"}
            template.parts.append(
                _Part(f"sticky:{group.id}-{i + 1}", "sticky_note", cx, cy, STICKY_WIDTH, STICKY_HEIGHT, data, style)
            )
        top += math.ceil(group.slots / columns) * (STICKY_HEIGHT + gap) - gap + 2 * gap
    template.fit(inner, top - 2 * gap - pad, pad)
    return template


#: How each kind of zone is filled (one line per kind).
_BUILDERS: dict[type[Any], Callable[[Any, _Context], _Template]] = {
    TitleZone: _title_template,  # heading and instructions
    LegendZone: _legend_template,  # one column per scale, plus kinds and themes
    PileZone: _pile_template,  # every card, by theme under a header
    StageZone: _card_area_template,  # its meaning and horizon, then room for N cards
    HorsPisteZone: _card_area_template,  # its meaning, then room for the renounced cards
    SlotsZone: _slots_template,  # questions and empty sticky notes
}


def _arrange(
    rows: Sequence[Sequence[str]], templates: dict[str, _Template], gap: int
) -> tuple[dict[str, tuple[int, int]], int, int]:
    """Top-left corner of each zone of ``rows`` (relative to the block), and the block's size."""
    positions: dict[str, tuple[int, int]] = {}
    width = top = 0
    for row in rows:
        left = row_height = 0
        for zone_id in row:
            template = templates[zone_id]
            positions[zone_id] = (left, top)
            left += template.width + gap
            row_height = max(row_height, template.height)
        width = max(width, left - gap)
        top += row_height + gap
    return positions, width, max(0, top - gap)


def _letters(index: int) -> str:
    """0 → a, 25 → z, 26 → aa: spreadsheet-style team letters."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def make_teams(count: int, names: Sequence[str] = ()) -> tuple[Team, ...]:
    """``equipe-a`` / « Équipe A »… (ids never depend on names, so renaming keeps the keys)."""
    return tuple(
        Team(f"equipe-{_letters(i)}", names[i] if i < len(names) else f"Équipe {_letters(i).upper()}")
        for i in range(count)
    )


def _role_order(layout: Layout) -> dict[str, int]:
    """Each placed zone's rank among the zones of its role and scope, in row order (stages: 0, 1, 2…)."""
    ranks: dict[str, int] = {}
    for rows in (layout.board_rows, layout.team_rows):
        seen: dict[str, int] = {}
        for row in rows:
            for zone_id in row:
                kind = str(layout.zone(zone_id).kind)
                ranks[zone_id] = seen.get(kind, 0)
                seen[kind] = ranks[zone_id] + 1
    return ranks


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the board is built.

    The engine allocates ~10 objects per card and team (100,000 items for 10,000 cards ×
    10 teams) and creates no reference cycles; left on, the collector rescans them again and
    again and takes about 40 % of the time. It is switched back on (if it was on) afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compute_board(deck: Deck, layout: Layout, *, teams: int | None = None) -> DesiredBoard:
    """The board ``layout`` draws for ``deck`` with ``teams`` teams (default: the layout's count)."""
    with _gc_paused():
        return _compute_board(deck, layout, teams)


def _compute_board(deck: Deck, layout: Layout, teams: int | None) -> DesiredBoard:
    count = layout.teams.count if teams is None else teams
    if count < 1:
        raise LayoutError(f"nombre d'équipes invalide ({count}) : au moins 1 (option --teams)")
    team_list = make_teams(count, layout.teams.names)
    colours = {theme.id: theme.color for theme in deck.themes}
    card_parts = {card.code: card_content(card, colours[card.theme], layout.cards.item) for card in deck.cards}
    ctx = _Context(deck, layout, card_parts)
    placed = [zone_id for rows in (layout.board_rows, layout.team_rows) for row in rows for zone_id in row]
    templates: dict[str, _Template] = {}
    for zone_id in placed:
        zone = layout.zone(zone_id)
        templates[zone_id] = _BUILDERS[type(zone)](zone, ctx)

    gap = layout.spacing.zone_gap
    board_pos, board_w, board_h = _arrange(layout.board_rows, templates, gap)
    team_pos, block_w, block_h = _arrange(layout.team_rows, templates, gap)
    grid_cols = min(layout.teams.columns, count)
    grid_rows = math.ceil(count / grid_cols)
    team_gap = layout.teams.gap
    teams_top = board_h + gap if layout.board_rows else 0
    total_w = max(board_w, grid_cols * block_w + (grid_cols - 1) * team_gap)
    total_h = teams_top + grid_rows * block_h + (grid_rows - 1) * team_gap
    origin_x, origin_y = -(total_w // 2), -(total_h // 2)

    zones: list[Zone] = []
    frames: list[DesiredItem] = []
    children: list[DesiredItem] = []
    prefixed = count > 1
    role_order = _role_order(layout)

    def stamp(team: Team | None, zone_id: str, left: int, top: int) -> None:
        template = templates[zone_id]
        spec = template.zone
        team_id = team.id if team is not None else BOARD_TEAM
        key = f"{team_id}/zone:{zone_id}"
        title = zone_title(team if prefixed else None, spec.label)
        role = ZoneRole(spec.kind)
        index = role_order[zone_id]
        width, height = template.width, template.height
        x, y = left + width // 2, top + height // 2
        zones.append(Zone(key, team_id, zone_id, role, spec.label, title, index, x, y, width, height))
        frames.append(
            DesiredItem(
                key=key,
                type="frame",
                x=x,
                y=y,
                width=width,
                height=height,
                data={"title": title, "format": "custom", "type": "freeform"},
                style={"fillColor": spec.color or DEFAULT_FILL[role]},
                team=team.id if team is not None else None,
            )
        )
        item_team = team.id if team is not None else None
        card_prefix, part_prefix = f"{team_id}/card:", f"{key}/"
        children.extend(
            [
                _desired_item(
                    (card_prefix if code is not None else part_prefix) + name,
                    kind,
                    left + cx,
                    top + cy,
                    width,
                    height,
                    data,
                    style,
                    key,
                    cx,
                    cy,
                    item_team,
                    code,
                )
                for name, kind, cx, cy, width, height, data, style, code in template.rows
            ]
        )

    for row in layout.board_rows:
        for zone_id in row:
            left, top = board_pos[zone_id]
            stamp(None, zone_id, origin_x + left, origin_y + top)
    for t, team in enumerate(team_list):
        grid_row, grid_col = divmod(t, grid_cols)
        block_left = origin_x + grid_col * (block_w + team_gap)
        block_top = origin_y + teams_top + grid_row * (block_h + team_gap)
        for row in layout.team_rows:
            for zone_id in row:
                left, top = team_pos[zone_id]
                stamp(team, zone_id, block_left + left, block_top + top)

    items = (*frames, *children)
    _check_unique(items, zones)
    return DesiredBoard(layout.name, deck.title, team_list, tuple(zones), items, layout.title)


def _check_unique(items: Sequence[DesiredItem], zones: Sequence[Zone]) -> None:
    """Keys and frame titles identify items on the board: two alike would make push and pull guess."""
    if len({item.key for item in items}) != len(items):
        seen: set[str] = set()
        for item in items:
            if item.key in seen:
                raise LayoutError(f"deux éléments du plateau auraient la même clé « {item.key} »")
            seen.add(item.key)
    titles: dict[str, str] = {}
    for zone in zones:
        if zone.title in titles:
            raise LayoutError(
                f"deux zones auraient le même titre « {zone.title} » ({titles[zone.title]} et {zone.key}) ; "
                "changez un libellé ou un nom d'équipe (teams.names)"
            )
        titles[zone.title] = zone.key
