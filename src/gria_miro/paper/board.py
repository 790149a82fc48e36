"""The planning board as a poster: stages with empty slots the size of the printed cards, the other zones
to write in, the legend; on one A1/A2/A3 page, or tiled on A4 sheets with overlaps and assembly marks.

:func:`render_board` returns the PDF's bytes. The poster is drawn once at its natural size (slots at
63 × 88 mm, the printed cards' size) as a reusable PDF form, then placed: scaled to fit one large
sheet (the footer says the scale when slots come out smaller than the cards), or at 100 % across A4
tiles. Tiles overlap by 10 mm; the overlap is marked with a dashed glue line and alignment crosses
drawn at the same poster position on both neighbours, and every tile says its place (row, column).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gria_miro.board import ZoneRole
from gria_miro.deck.model import Deck
from gria_miro.deck.scales import COST, DIFFICULTY, DURATION, IMPACT, impact_sign
from gria_miro.layout.model import HorsPisteZone, Layout, SlotsZone, StageZone, TitleZone, ZoneSpec
from gria_miro.paper import drawing as D
from gria_miro.paper.fonts import register_fonts
from gria_miro.paper.sheet import CARD_HEIGHT, CARD_WIDTH, MM

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

#: Paper sizes (width, height in mm, landscape) a single-sheet poster can be printed on.
PAPERS: dict[str, tuple[float, float]] = {"a1": (841, 594), "a2": (594, 420), "a3": (420, 297)}
A4 = (210.0, 297.0)
TILE_MARGIN = 10.0  # mm of white around each A4 tile (what home printers cannot print)
OVERLAP = 10.0  # mm each tile shares with its neighbour

GAP = 5 * MM
PAD = 6 * MM
MARGIN = 15 * MM
TITLE_H = 30 * MM
HEADER_H = 24 * MM
OTHER_H = 105 * MM


@dataclass(frozen=True)
class Poster:
    width: float  # points
    height: float


def _stages(layout: Layout) -> list[StageZone]:
    ids = [zone_id for row in layout.team_rows for zone_id in row]
    return [z for z in (layout.zone(i) for i in ids) if isinstance(z, StageZone)]


def _others(layout: Layout) -> list[ZoneSpec]:
    """Zones drawn in the bottom row: everything but the title, the legend, the pile and the stages."""
    ids = [zone_id for rows in (layout.team_rows, layout.board_rows) for row in rows for zone_id in row]
    skip = (ZoneRole.TITLE, ZoneRole.LEGEND, ZoneRole.PILE, ZoneRole.STAGE)
    return [z for z in (layout.zone(i) for i in dict.fromkeys(ids)) if z.kind not in skip]


#: On paper a stage is two card slots wide and at most five deep: four stages then fit an A1 sheet at 100 %
#: with the other zones below them. A stage that holds more cards on Miro gets ten slots on the poster.
STAGE_COLUMNS = 2
STAGE_ROWS = 5


def _stage_grid(zone: StageZone) -> tuple[int, int, int]:
    """Columns, rows and number of the empty card slots a stage gets on the poster."""
    columns = min(STAGE_COLUMNS, zone.slots)
    rows = min(STAGE_ROWS, math.ceil(zone.slots / columns))
    return columns, rows, min(zone.slots, columns * rows)


def _stage_size(zone: StageZone) -> tuple[float, float]:
    columns, rows, _ = _stage_grid(zone)
    width = columns * CARD_WIDTH + (columns - 1) * GAP + 2 * PAD
    return width, HEADER_H + rows * CARD_HEIGHT + (rows - 1) * GAP + PAD


def poster_size(layout: Layout) -> Poster:
    stages = [_stage_size(z) for z in _stages(layout)]
    width = sum(w for w, _ in stages) + GAP * max(0, len(stages) - 1)
    width = max(width, 600 * MM)
    height = TITLE_H + GAP + max((h for _, h in stages), default=0) + GAP + OTHER_H
    return Poster(width + 2 * MARGIN, height + 2 * MARGIN)


def _explanation(zone: ZoneSpec) -> str:
    parts = []
    if isinstance(zone, StageZone) and zone.horizon:
        parts.append(f"Horizon indicatif : {zone.horizon}.")
    text = getattr(zone, "text", "")
    if text and not isinstance(zone, TitleZone):
        parts.append(" ".join(text.split()))
    return " ".join(parts)


def _fill(zone: ZoneSpec, default: str = "#f4f6f8") -> tuple[float, float, float]:
    return D.rgb(zone.color or default)


def _draw_poster(canvas: Canvas, deck: Deck, layout: Layout, size: Poster) -> None:
    top = size.height - MARGIN
    left = MARGIN
    inner = size.width - 2 * MARGIN
    # title band
    title_zone = next((z for z in layout.zones if isinstance(z, TitleZone)), None)
    canvas.setFillColorRGB(*D.INK)
    D.one_line(canvas, layout.title, left, top - 11 * MM, size=30, bold=True, max_width=inner * 0.62)
    if title_zone is not None and title_zone.text:
        instructions = " ".join(title_zone.text.split())
        D.text_box(canvas, instructions, left, top - 14 * MM, inner * 0.62, TITLE_H - 15 * MM, size=11, min_size=7)
    _legend(canvas, deck, left + inner * 0.65, top, inner * 0.35, TITLE_H)
    top -= TITLE_H + GAP

    # stages, side by side, each with its empty card slots
    stages = _stages(layout)
    x = left
    tallest = 0.0
    for number, stage in enumerate(stages, start=1):
        width, height = _stage_size(stage)
        tallest = max(tallest, height)
        canvas.setFillColorRGB(*_fill(stage))
        canvas.setStrokeColorRGB(*D.GREY)
        canvas.setLineWidth(1)
        canvas.roundRect(x, top - height, width, height, 3 * MM, stroke=1, fill=1)
        canvas.setFillColorRGB(*D.INK)
        D.one_line(
            canvas,
            f"Étape {number} · {stage.label}",
            x + PAD,
            top - 9 * MM,
            size=18,
            bold=True,
            max_width=width - 2 * PAD,
        )
        D.text_box(
            canvas,
            _explanation(stage),
            x + PAD,
            top - 11 * MM,
            width - 2 * PAD,
            HEADER_H - 12 * MM,
            size=10,
            min_size=7,
            colour=D.GREY,
        )
        columns, _, slots = _stage_grid(stage)
        canvas.setDash(4, 3)
        canvas.setLineWidth(0.8)
        for slot in range(slots):
            row, col = divmod(slot, columns)
            sx = x + PAD + col * (CARD_WIDTH + GAP)
            sy = top - HEADER_H - (row + 1) * CARD_HEIGHT - row * GAP
            canvas.setFillColorRGB(1, 1, 1)
            canvas.setStrokeColorRGB(*D.GREY)
            canvas.roundRect(sx, sy, CARD_WIDTH, CARD_HEIGHT, 2 * MM, stroke=1, fill=1)
            canvas.setFillColorRGB(*D.LIGHT)
            canvas.setFont(D.REGULAR, 9)
            canvas.drawCentredString(sx + CARD_WIDTH / 2, sy + CARD_HEIGHT / 2 - 3, "carte")
        canvas.setDash()
        x += width + GAP
    top -= tallest + GAP

    # the other zones, in one row: what to write (cordée, vigilance…) and the off-trail cards
    others = (
        _others(layout)
        + [layout.zone(z) for row in layout.team_rows for z in row if layout.zone(z).kind == ZoneRole.PILE][:1]
    )
    if not others:
        return
    width = (inner - GAP * (len(others) - 1)) / len(others)
    for index, zone in enumerate(others):
        zx = left + index * (width + GAP)
        canvas.setFillColorRGB(*_fill(zone))
        canvas.setStrokeColorRGB(*D.GREY)
        canvas.setLineWidth(1)
        canvas.roundRect(zx, top - OTHER_H, width, OTHER_H, 3 * MM, stroke=1, fill=1)
        canvas.setFillColorRGB(*D.INK)
        D.one_line(canvas, zone.label, zx + PAD, top - 9 * MM, size=16, bold=True, max_width=width - 2 * PAD)
        used = D.text_box(
            canvas,
            _explanation(zone),
            zx + PAD,
            top - 11 * MM,
            width - 2 * PAD,
            12 * MM,
            size=9,
            min_size=6.5,
            colour=D.GREY,
        )
        body_top = top - 12 * MM - max(used, 0) - 2 * MM
        _zone_body(canvas, zone, zx + PAD, body_top, width - 2 * PAD, body_top - (top - OTHER_H) - PAD)


def _zone_body(canvas: Canvas, zone: ZoneSpec, x: float, top: float, width: float, height: float) -> None:
    """Inside a bottom-row zone: ruled boxes per question (cordée, notes), card slots (hors-piste), a pile spot."""
    canvas.setStrokeColorRGB(*D.GREY)
    if isinstance(zone, SlotsZone):
        share = height / len(zone.groups)
        for i, group in enumerate(zone.groups):
            gy = top - i * share
            canvas.setFillColorRGB(*D.INK)
            D.one_line(canvas, group.label, x, gy - 4 * MM, size=10, bold=True, max_width=width)
            canvas.setLineWidth(0.4)
            line = gy - 11 * MM
            while line > gy - share + 3 * MM:
                canvas.line(x, line, x + width, line)
                line -= 8 * MM
        return
    if isinstance(zone, HorsPisteZone):
        columns = max(1, int((width + GAP) // (CARD_WIDTH * 0.6 + GAP)))
        canvas.setDash(4, 3)
        for slot in range(min(zone.slots, columns)):
            canvas.roundRect(
                x + slot * (CARD_WIDTH * 0.6 + GAP),
                top - CARD_HEIGHT * 0.6,
                CARD_WIDTH * 0.6,
                CARD_HEIGHT * 0.6,
                2 * MM,
                stroke=1,
                fill=0,
            )
        canvas.setDash()
        return
    if zone.kind == ZoneRole.PILE:
        canvas.setDash(4, 3)
        canvas.roundRect(
            x, top - CARD_HEIGHT - 2 * MM, CARD_WIDTH + 4 * MM, CARD_HEIGHT + 4 * MM, 2 * MM, stroke=1, fill=0
        )
        canvas.setDash()
        canvas.setFillColorRGB(*D.GREY)
        D.text_box(
            canvas,
            "Posez ici le paquet de cartes, rangé par thème.",
            x,
            top - CARD_HEIGHT - 5 * MM,
            width,
            max(0.0, height - CARD_HEIGHT - 5 * MM),
            size=11,
            min_size=7,
            colour=D.GREY,
        )


def _legend(canvas: Canvas, deck: Deck, x: float, top: float, width: float, height: float) -> None:
    """The four scales as the cards draw them (marks that read in black and white)."""
    canvas.setFillColorRGB(*D.INK)
    D.one_line(canvas, "Lire une carte", x, top - 5 * MM, size=12, bold=True)
    rows = (
        ("Difficulté", f"1 {DIFFICULTY.levels[0].fr} … 4 {DIFFICULTY.levels[-1].fr}"),
        ("Coût", f"1 {COST.levels[0].fr} … 4 {COST.levels[-1].fr}"),
        ("Travail", f"1 {DURATION.levels[0].fr} … 4 {DURATION.levels[-1].fr}"),
        (
            "Impact",
            f"{impact_sign(IMPACT.levels[0].value)} {IMPACT.levels[0].fr} … "
            f"{impact_sign(IMPACT.levels[-1].value)} {IMPACT.levels[-1].fr}",
        ),
    )
    y = top - 10 * MM
    for name, text in rows:
        D.one_line(canvas, name, x, y, size=9, bold=True)
        D.one_line(canvas, text, x + 20 * MM, y, size=9, max_width=width - 20 * MM)
        y -= 4.6 * MM


def render_board(deck: Deck, layout: Layout, paper: str = "a1") -> bytes:
    """The poster on ``paper``: ``a1``, ``a2``, ``a3`` (one landscape sheet) or ``a4`` (tiles)."""
    register_fonts()
    from reportlab.pdfgen.canvas import Canvas

    size = poster_size(layout)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=1)
    canvas.setTitle(f"{layout.title} · plateau à imprimer")
    canvas.setAuthor("gria-miro")
    canvas.beginForm("poster", lowerx=0, lowery=0, upperx=size.width, uppery=size.height)
    _draw_poster(canvas, deck, layout, size)
    canvas.endForm()
    if paper in PAPERS:
        _single(canvas, size, PAPERS[paper], paper)
    else:
        _tiles(canvas, size)
    canvas.save()
    return buffer.getvalue()


def _single(canvas: Canvas, size: Poster, paper_mm: tuple[float, float], name: str) -> None:
    page_w, page_h = paper_mm[0] * MM, paper_mm[1] * MM
    scale = min(1.0, (page_w - 10 * MM) / size.width, (page_h - 14 * MM) / size.height)
    canvas.setPageSize((page_w, page_h))
    canvas.saveState()
    canvas.translate((page_w - size.width * scale) / 2, (page_h - size.height * scale) / 2 + 2 * MM)
    canvas.scale(scale, scale)
    canvas.doForm("poster")
    canvas.restoreState()
    percent = round(scale * 100)
    note = (
        "échelle 100 % : les emplacements ont la taille des cartes imprimées (63 × 88 mm)"
        if percent >= 100
        else f"échelle {percent} % : emplacements plus petits que les cartes ; pour la taille réelle, "
        "imprimez en A1 ou en tuiles A4 (--paper a4)"
    )
    canvas.setFillColorRGB(*D.GREY)
    canvas.setFont(D.REGULAR, 8)
    canvas.drawCentredString(page_w / 2, 4 * MM, f"Plateau {name.upper()} · {note}")
    canvas.showPage()


def tile_grid(size: Poster) -> tuple[int, int]:
    """Columns and rows of A4 portrait tiles that cover the poster at 100 %, neighbours overlapping."""
    usable_w = (A4[0] - 2 * TILE_MARGIN) * MM
    usable_h = (A4[1] - 2 * TILE_MARGIN) * MM
    step_w, step_h = usable_w - OVERLAP * MM, usable_h - OVERLAP * MM
    columns = max(1, math.ceil((size.width - OVERLAP * MM) / step_w))
    rows = max(1, math.ceil((size.height - OVERLAP * MM) / step_h))
    return columns, rows


def _tiles(canvas: Canvas, size: Poster) -> None:
    page_w, page_h = A4[0] * MM, A4[1] * MM
    margin = TILE_MARGIN * MM
    usable_w, usable_h = page_w - 2 * margin, page_h - 2 * margin
    step_w, step_h = usable_w - OVERLAP * MM, usable_h - OVERLAP * MM
    columns, rows = tile_grid(size)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    canvas.setPageSize((page_w, page_h))
    for row in range(rows):
        for col in range(columns):
            # the poster window this tile shows: from the poster's top-left, row by row
            win_x = col * step_w
            win_top = size.height - row * step_h
            canvas.saveState()
            path = canvas.beginPath()
            path.rect(margin, margin, usable_w, usable_h)
            canvas.clipPath(path, stroke=0, fill=0)
            canvas.translate(margin - win_x, margin + usable_h - win_top)
            canvas.doForm("poster")
            canvas.restoreState()
            _tile_marks(canvas, margin, usable_w, usable_h, col, row, columns, rows)
            canvas.setFillColorRGB(*D.GREY)
            canvas.setFont(D.REGULAR, 8)
            canvas.drawString(
                margin,
                4 * MM,
                f"Tuile {letters[col % 26]}{row + 1} (colonne {letters[col % 26]}, ligne {row + 1}) · "
                f"{columns} × {rows} tuiles A4 · recouvrement {OVERLAP:g} mm : collez sur la bande en pointillés, "
                "croix sur croix",
            )
            canvas.setFont(D.BOLD, 14)
            canvas.drawRightString(page_w - margin, page_h - 7 * MM, f"{letters[col % 26]}{row + 1}")
            canvas.showPage()


def _tile_marks(
    canvas: Canvas, margin: float, usable_w: float, usable_h: float, col: int, row: int, columns: int, rows: int
) -> None:
    """The glue bands (the overlap shared with the right and lower neighbours) and crosses to align them."""
    overlap = OVERLAP * MM
    canvas.setStrokeColorRGB(0.2, 0.2, 0.2)
    canvas.setLineWidth(0.5)
    canvas.setDash(3, 2)
    right_band = margin + usable_w - overlap
    bottom_band = margin + overlap
    if col < columns - 1:
        canvas.line(right_band, margin, right_band, margin + usable_h)
    if col > 0:
        canvas.line(margin + overlap, margin, margin + overlap, margin + usable_h)
    if row < rows - 1:
        canvas.line(margin, bottom_band, margin + usable_w, bottom_band)
    if row > 0:
        canvas.line(margin, margin + usable_h - overlap, margin + usable_w, margin + usable_h - overlap)
    canvas.setDash()
    # crosses in the middle of each shared band, at a third and two thirds of its length: the same
    # poster position on both tiles, so the two sheets line up cross on cross
    arm = 2.5 * MM
    crosses = []
    for fraction in (1 / 3, 2 / 3):
        if col < columns - 1:
            crosses.append((margin + usable_w - overlap / 2, margin + usable_h * fraction))
        if col > 0:
            crosses.append((margin + overlap / 2, margin + usable_h * fraction))
        if row < rows - 1:
            crosses.append((margin + usable_w * fraction, margin + overlap / 2))
        if row > 0:
            crosses.append((margin + usable_w * fraction, margin + usable_h - overlap / 2))
    for cx, cy in crosses:
        canvas.line(cx - arm, cy, cx + arm, cy)
        canvas.line(cx, cy - arm, cx, cy + arm)
        canvas.circle(cx, cy, arm * 0.6, stroke=1, fill=0)
