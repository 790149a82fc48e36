"""Small drawing helpers shared by the printed documents: colours, contrast, text in a box, scale pips.

Everything takes a reportlab canvas and plain values; nothing here knows about cards or boards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gria_miro.paper.fonts import BOLD, REGULAR

__all__ = [
    "BOLD",
    "GREY",
    "INK",
    "LIGHT",
    "REGULAR",
    "a4_document",
    "ink_on",
    "one_line",
    "pips",
    "rgb",
    "signed_scale",
    "text_box",
    "width",
]
from gria_miro.paper.sheet import MM
from gria_miro.paper.text import fit, width
from gria_miro.typography import french

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import SimpleDocTemplate

INK = (0.1, 0.1, 0.1)
GREY = (0.45, 0.45, 0.45)
LIGHT = (0.8, 0.8, 0.8)


def rgb(hex_colour: str) -> tuple[float, float, float]:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def luminance(colour: tuple[float, float, float]) -> float:
    """WCAG relative luminance (0 black … 1 white)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink_on(fill: tuple[float, float, float]) -> tuple[float, float, float]:
    """Black or white, whichever contrasts more with ``fill``."""
    lum = luminance(fill)
    return (1.0, 1.0, 1.0) if (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.05) else INK


def text_box(
    canvas: Canvas,
    text: str,
    x: float,
    top: float,
    box_width: float,
    box_height: float,
    *,
    size: float,
    min_size: float,
    bold: bool = False,
    colour: tuple[float, float, float] = INK,
    align: str = "left",
) -> float:
    """``text`` wrapped and shrunk to fit the box whose top-left is ``(x, top)``; returns the height used."""
    font = BOLD if bold else REGULAR
    fitted = fit(french(text), font, box_width, box_height, size, min_size)
    canvas.setFillColorRGB(*colour)
    canvas.setFont(font, fitted.size)
    baseline = top - fitted.size * 0.95
    for line in fitted.lines:
        if align == "right":
            canvas.drawRightString(x + box_width, baseline, line)
        elif align == "center":
            canvas.drawCentredString(x + box_width / 2, baseline, line)
        else:
            canvas.drawString(x, baseline, line)
        baseline -= fitted.leading
    return fitted.height


def one_line(
    canvas: Canvas, text: str, x: float, y: float, *, size: float, bold: bool = False, max_width: float | None = None
) -> None:
    """One line of text at baseline ``y``, shrunk (never below 5 pt) to ``max_width`` when given."""
    font = BOLD if bold else REGULAR
    text = french(text)
    while max_width is not None and size > 5 and width(text, font, size) > max_width:
        size -= 0.25
    canvas.setFont(font, size)
    canvas.drawString(x, y, text)


def pips(
    canvas: Canvas, x: float, y: float, filled: int, total: int, radius: float, gap: float, *, square: bool = False
) -> float:
    """``total`` marks in a row from ``(x, y)`` (centre line), the first ``filled`` solid: readable in black
    and white. Returns the row's width."""
    canvas.setLineWidth(0.6)
    canvas.setStrokeColorRGB(*INK)
    canvas.setFillColorRGB(*INK)
    for i in range(total):
        cx = x + radius + i * (2 * radius + gap)
        if square:
            canvas.rect(cx - radius, y - radius, 2 * radius, 2 * radius, stroke=1, fill=int(i < filled))
        else:
            canvas.circle(cx, y, radius, stroke=1, fill=int(i < filled))
    return total * 2 * radius + (total - 1) * gap


def signed_scale(canvas: Canvas, x: float, y: float, value: int, radius: float, gap: float) -> float:
    """The impact scale -2…+2 as five boxes, the one at ``value`` solid, the centre one marked."""
    canvas.setLineWidth(0.6)
    canvas.setStrokeColorRGB(*INK)
    canvas.setFillColorRGB(*INK)
    for i, level in enumerate(range(-2, 3)):
        cx = x + radius + i * (2 * radius + gap)
        canvas.rect(cx - radius, y - radius, 2 * radius, 2 * radius, stroke=1, fill=int(level == value))
        if level == 0 and value != 0:
            canvas.line(cx, y - radius * 0.6, cx, y + radius * 0.6)
    return 5 * 2 * radius + 4 * gap


def a4_document(buffer: Any, title: str, lang: str) -> tuple[SimpleDocTemplate, Callable[[Any, Any], None]]:
    """An A4 portrait document for reportlab's flowables, and the footer every page gets: title and number."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import SimpleDocTemplate

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(HexColor("#666666"))
        canvas.drawString(18 * MM, 10 * MM, title[:110])
        canvas.drawRightString(192 * MM, 10 * MM, str(document.page))
        canvas.restoreState()

    template = SimpleDocTemplate(
        buffer,
        pagesize=(210 * MM, 297 * MM),
        leftMargin=18 * MM,
        rightMargin=18 * MM,
        topMargin=16 * MM,
        bottomMargin=18 * MM,
        title=title,
        author="gria-miro",
        lang=lang,
    )
    return template, footer
