"""The roadmap as a PDF document (A4 portrait), written with reportlab from :mod:`.document`'s blocks.

Pure: returns the bytes. Text is set in the bundled Atkinson Hyperlegible Next, escaped for
reportlab's paragraph markup; the timeline is drawn as vector shapes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, cast
from xml.sax.saxutils import escape

from gria_miro.paper.drawing import a4_document
from gria_miro.paper.fonts import BOLD, REGULAR, register_fonts
from gria_miro.pull.roadmap import Roadmap
from gria_miro.render.roadmap import document as doc
from gria_miro.render.roadmap.labels import Lang, t
from gria_miro.render.roadmap.timeline import Diamond, Label, Line, Rect, scene

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable

MM = 72 / 25.4


def _styles() -> dict[str, ParagraphStyle]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=REGULAR, fontSize=10, leading=13.5, textColor=HexColor("#1a1a1a"))
    return {
        "h1": ParagraphStyle("h1", base, fontName=BOLD, fontSize=19, leading=23, spaceAfter=8),
        "h2": ParagraphStyle(
            "h2",
            base,
            fontName=BOLD,
            fontSize=15,
            leading=19,
            spaceBefore=12,
            spaceAfter=6,
            textColor=HexColor("#1f3a5f"),
        ),
        "h3": ParagraphStyle(
            "h3", base, fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=4, keepWithNext=1
        ),
        "normal": ParagraphStyle("normal", base, spaceAfter=4),
        "muted": ParagraphStyle("muted", base, textColor=HexColor("#555555"), spaceAfter=4),
        "warning": ParagraphStyle("warning", base, textColor=HexColor("#8a1c1c")),
        "caption": ParagraphStyle("caption", base, fontSize=8.5, leading=11, textColor=HexColor("#444444")),
        "label": ParagraphStyle("label", base, fontName=BOLD, spaceBefore=4, spaceAfter=2, keepWithNext=1),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=11.5),
        "cellhead": ParagraphStyle("cellhead", base, fontName=BOLD, fontSize=9, leading=11.5),
        "cardtitle": ParagraphStyle("cardtitle", base, fontName=BOLD, fontSize=10, spaceBefore=5, keepWithNext=1),
        "cardline": ParagraphStyle("cardline", base, fontSize=9, leading=11.8, leftIndent=10),
        "small": ParagraphStyle("small", base, fontSize=8, leading=10),
        "smallhead": ParagraphStyle("smallhead", base, fontName=BOLD, fontSize=8, leading=10),
        "bullet": ParagraphStyle("bullet", base, leftIndent=12, bulletIndent=2, spaceAfter=1),
    }


def _x(text: str, lang: Lang = "fr") -> str:
    return escape(doc.prose(text, lang)).replace("\n", "<br/>")


def _drawing(picture: doc.Picture, lang: Lang, width: float) -> Drawing:
    from reportlab.graphics.shapes import Drawing, Polygon, String
    from reportlab.graphics.shapes import Line as RLine
    from reportlab.graphics.shapes import Rect as RRect
    from reportlab.lib.colors import HexColor

    s = scene(picture.data, lang)
    k = width / s.width
    drawing = Drawing(width, s.height * k)

    def y(value: float) -> float:
        return (s.height - value) * k

    for shape in s.shapes:
        if isinstance(shape, Rect):
            box = RRect(shape.x * k, y(shape.y + shape.height), shape.width * k, shape.height * k, rx=3, ry=3)
            box.fillColor = HexColor(shape.fill)
            box.strokeColor = HexColor(shape.stroke) if shape.stroke else None
            box.strokeWidth = 0.5
            drawing.add(box)
        elif isinstance(shape, Diamond):
            r = shape.r * k
            cx, cy = shape.cx * k, y(shape.cy)
            drawing.add(
                Polygon(
                    [cx, cy + r, cx + r, cy, cx, cy - r, cx - r, cy], fillColor=HexColor(shape.fill), strokeColor=None
                )
            )
        elif isinstance(shape, Line):
            drawing.add(
                RLine(
                    shape.x1 * k,
                    y(shape.y1),
                    shape.x2 * k,
                    y(shape.y2),
                    strokeColor=HexColor(shape.colour),
                    strokeWidth=0.5,
                )
            )
        elif isinstance(shape, Label):
            drawing.add(
                String(
                    shape.x * k,
                    y(shape.y),
                    shape.text,
                    fontName=BOLD if shape.bold else REGULAR,
                    fontSize=shape.size * k * 1.1,
                    fillColor=HexColor(shape.colour),
                    textAnchor=shape.anchor,
                )
            )
    return drawing


def render_pdf(roadmap: Roadmap, lang: Lang = "fr") -> bytes:
    register_fonts()
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import (
        KeepTogether,
        ListFlowable,
        ListItem,
        PageBreak,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    styles = _styles()
    buffer = io.BytesIO()
    title = f"{t('roadmap', lang)} · {roadmap.title}"
    frame_width = 210 * MM - 36 * MM

    template, footer = a4_document(buffer, title, lang)
    story: list[Flowable] = []
    for block in doc.blocks(roadmap, lang):
        if isinstance(block, doc.Heading):
            story.append(Paragraph(_x(block.text, lang), styles[f"h{min(block.level, 3)}"]))
        elif isinstance(block, doc.Para):
            lead = f"<b>{_x(block.label, lang)}{doc.colon(lang)}</b> " if block.label else ""
            story.append(Paragraph(lead + _x(block.text, lang), styles.get(block.style, styles["normal"])))
        elif isinstance(block, doc.Bullets):
            style = styles["warning" if block.style == "warning" else "normal"]
            story.append(
                ListFlowable(
                    cast(
                        "list[Flowable]",
                        [ListItem(Paragraph(_x(item, lang), style), leftIndent=12) for item in block.items],
                    ),
                    bulletType="bullet",
                    start="•",
                    leftIndent=12,
                    bulletFontName=REGULAR,
                )
            )
        elif isinstance(block, doc.Fields):
            cell, head = styles["cell"], styles["cellhead"]
            rows = [[Paragraph(_x(k, lang), head), Paragraph(_x(v, lang), cell)] for k, v in block.rows]
            if block.style == "annex":
                cell, head = styles["small"], styles["smallhead"]
            first = 0.28
            table = Table(rows, colWidths=[frame_width * first, frame_width * (1 - first)])
            commands: list[Any] = [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, HexColor("#d0d0d0")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
            if block.style == "title":
                commands.append(("BACKGROUND", (0, 0), (-1, -1), HexColor("#f1f4f8")))
            table.setStyle(TableStyle(commands))
            story += [table, Spacer(1, 6)]
        elif isinstance(block, doc.Table):
            cell, head = styles["cell"], styles["cellhead"]
            data = [[Paragraph(_x(h, lang), head) for h in block.header]]
            data += [[Paragraph(_x(v, lang), cell) for v in row] for row in block.rows]
            table = Table(data, colWidths=[frame_width * w for w in block.widths], repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.4, HexColor("#b8b8b8")),
                        ("BACKGROUND", (0, 0), (-1, 0), HexColor("#e6ebf0")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story += [table, Spacer(1, 4)]
        elif isinstance(block, doc.CardDetail):
            parts: list[Flowable] = [Paragraph(_x(block.title, lang), styles["cardtitle"])]
            sep = doc.colon(lang)
            parts += [Paragraph(f"<b>{_x(k, lang)}{sep}</b> {_x(v, lang)}", styles["cardline"]) for k, v in block.lines]
            story.append(KeepTogether(parts))
        elif isinstance(block, doc.Picture):
            story.append(
                KeepTogether(
                    [_drawing(block, lang, frame_width), Paragraph(_x(block.caption, lang), styles["caption"])]
                )
            )
        elif isinstance(block, doc.PageBreak):
            story.append(PageBreak())
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
