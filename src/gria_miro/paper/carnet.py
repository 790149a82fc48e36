"""A blank carnet de suivi to fill by hand: cover, cordée, one page per stage, vigilance, off-trail, next meeting.

:func:`render_carnet` returns the PDF's bytes (A4 portrait). The stages, their horizons and the
questions of the cordée and notes zones come from the layout, so the carnet matches the board the
team played on; every table has empty rows, tall enough to write in by hand.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from gria_miro.board import ZoneRole
from gria_miro.layout.model import HorsPisteZone, Layout, SlotsZone, StageZone
from gria_miro.paper.drawing import a4_document
from gria_miro.paper.fonts import BOLD, REGULAR, register_fonts
from gria_miro.paper.sheet import MM
from gria_miro.typography import french

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

ROW = 11 * MM  # height of a row to write in


def _zones(layout: Layout) -> list[Any]:
    ids = [zone_id for rows in (layout.team_rows, layout.board_rows) for row in rows for zone_id in row]
    return [layout.zone(i) for i in dict.fromkeys(ids)]


def render_carnet(layout: Layout, deck_title: str = "") -> bytes:
    register_fonts()
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

    base = ParagraphStyle("base", fontName=REGULAR, fontSize=11, leading=15)
    h1 = ParagraphStyle("h1", base, fontName=BOLD, fontSize=24, leading=30, spaceAfter=6)
    h2 = ParagraphStyle("h2", base, fontName=BOLD, fontSize=17, leading=22, spaceBefore=4, spaceAfter=6)
    muted = ParagraphStyle("muted", base, textColor=HexColor("#555555"), spaceAfter=8)
    head = ParagraphStyle("head", base, fontName=BOLD, fontSize=10, leading=13)
    width = 174 * MM
    story: list[Flowable] = []

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        """Layout text in a paragraph: escaped for reportlab's markup, with French typography."""
        return Paragraph(escape(french(text)), style)

    def grid(header: list[str], widths: list[float], rows: int, label_rows: list[str] | None = None) -> Table:
        data: list[list[Any]] = [[para(h, head) for h in header]]
        for i in range(rows):
            first = para(label_rows[i], head) if label_rows and i < len(label_rows) else ""
            data.append([first] + [""] * (len(header) - 1))
        table = Table(data, colWidths=[width * w for w in widths], rowHeights=[None] + [ROW] * rows, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.6, HexColor("#8a8a8a")),
                    ("BACKGROUND", (0, 0), (-1, 0), HexColor("#e6ebf0")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return table

    # cover
    story += [
        para("Carnet de suivi", h1),
        para(layout.title, h2),
        para(
            "À remplir pendant et après la séance : qui vient, qui porte quoi, les actions de chaque étape avec "
            "leur responsable et leur échéance, les points de vigilance et le prochain rendez-vous.",
            muted,
        ),
    ]
    if deck_title:
        story.append(para(f"Cartes : {deck_title}", muted))
    fields = ["Institution", "Séance", "Date", "Animation", "Équipe", "Prochain rendez-vous"]
    story += [grid(["", ""], [0.3, 0.7], len(fields), fields), Spacer(1, 8 * MM)]

    zones = _zones(layout)
    # the cordée: one table per question of the layout's cordée zone (who comes, who carries what)
    for zone in zones:
        if isinstance(zone, SlotsZone) and zone.kind == ZoneRole.CORDEE:
            story += [PageBreak(), para(zone.label, h2)]
            for group in zone.groups:
                story.append(para(group.label, head))
                story += [
                    grid(["Nom", "Rôle, responsabilité", "Contact"], [0.32, 0.4, 0.28], group.slots),
                    Spacer(1, 5 * MM),
                ]
    # one page per stage: the cards chosen, who carries them, by when, where they stand
    stages = [z for z in zones if isinstance(z, StageZone)]
    for number, stage in enumerate(stages, start=1):
        # two stages to a page when they fit: a stage's table is never split
        block: list[Flowable] = [para(f"Étape {number} · {stage.label}", h2)]
        horizon = f"Horizon indicatif : {stage.horizon}." if stage.horizon else ""
        text = " ".join(part for part in (horizon, " ".join(stage.text.split())) if part)
        if text:
            block.append(para(text, muted))
        columns = ["Code", "Action", "Responsable", "Échéance", "Fait"]
        block.append(grid(columns, [0.12, 0.42, 0.2, 0.15, 0.11], stage.slots))
        story += [PageBreak() if number == 1 else Spacer(1, 8 * MM), KeepTogether(block)]
    # the other zones: vigilance and notes, off-trail cards
    for zone in zones:
        if isinstance(zone, SlotsZone) and zone.kind == ZoneRole.NOTES:
            story += [Spacer(1, 6 * MM), para(zone.label, h2)]
            for group in zone.groups:
                story += [
                    para(group.label, head),
                    grid(["Date", "Note"], [0.18, 0.82], group.slots),
                    Spacer(1, 5 * MM),
                ]
        elif isinstance(zone, HorsPisteZone):
            story += [
                PageBreak(),
                para(zone.label, h2),
                para("Les actions que l'équipe décide de ne pas mener, et pourquoi.", muted),
                grid(["Code", "Action", "Pourquoi"], [0.14, 0.4, 0.46], zone.slots),
            ]
    story += [PageBreak(), para("Prochain rendez-vous", h2)]
    story.append(grid(["", ""], [0.3, 0.7], 4, ["Date et heure", "Lieu", "Qui convoque", "Qui est invité"]))
    story += [Spacer(1, 6 * MM), para("Ordre du jour", head), grid(["Point", "Qui"], [0.75, 0.25], 8)]

    buffer = io.BytesIO()

    template, footer = a4_document(buffer, f"Carnet de suivi · {layout.title}", "fr")
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
