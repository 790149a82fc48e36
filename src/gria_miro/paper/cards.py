"""Printable GR:IA cards: A4 sheets of poker-size cards with bleed and crop marks, fronts and optional backs.

:func:`render_cards` returns the PDF's bytes. The front carries what a team needs on the table:
code, title, theme (colour band and name), the four scales drawn as marks that read in black and
white (difficulty, cost, workload, impact), the kind of action, gains and impact. The back, for
duplex printing (long-edge flip, see :mod:`gria_miro.paper.sheet`), carries the theme colour and
the description, prerequisites and references, so a card read in hand tells the whole action.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gria_miro.deck.model import Card, Deck, Theme
from gria_miro.deck.scales import GAIN_LABELS, KIND_LABELS, Kind
from gria_miro.paper import drawing as D
from gria_miro.paper import sheet as S
from gria_miro.paper.fonts import register_fonts
from gria_miro.render.roadmap import labels as L
from gria_miro.typography import french

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

MM = S.MM
RGB = tuple[float, float, float]
PAD = 3.5 * MM  # safe margin inside the trim box: nothing important closer to a cut
BAND = 11 * MM  # height of the theme band at the top of the front (inside the trim box)

#: The four scales as named on a card, in the order they are drawn.
SCALE_NAMES = ("Difficulté", "Coût", "Travail", "Impact")


def _prose(text: str) -> str:
    """Deck text on one line, with French typography (no-break spaces before : ; ! ?, apostrophes)."""
    return french(" ".join(text.split()))


def _enter(canvas: Canvas, deck: Deck, card: Card, box: S.Box) -> tuple[Theme, RGB, RGB]:
    """Start drawing a card face: origin at its trim box's corner; its theme, theme colour and ink on it."""
    theme = deck.theme(card.theme)
    fill = D.rgb(theme.color)
    canvas.saveState()
    canvas.translate(box.x, box.y)
    return theme, fill, D.ink_on(fill)


def _front(canvas: Canvas, deck: Deck, card: Card, box: S.Box) -> None:
    theme, fill, on_fill = _enter(canvas, deck, card, box)
    w, h = box.width, box.height
    # the band bleeds on three sides, so a slightly off cut never shows a white edge
    canvas.setFillColorRGB(*fill)
    canvas.rect(-S.BLEED, h - BAND, w + 2 * S.BLEED, BAND + S.BLEED, stroke=0, fill=1)
    canvas.setFillColorRGB(*on_fill)
    D.one_line(canvas, card.code, PAD, h - 6.2 * MM, size=12, bold=True)
    kind_label = KIND_LABELS[card.kind][0]
    canvas.setFont(D.REGULAR, 7)
    canvas.drawRightString(w - PAD, h - 4.6 * MM, theme.label[:48])
    canvas.drawRightString(w - PAD, h - 8.4 * MM, kind_label)
    # the kind also as a shape: solid square for formal, outline for informal (readable without colour)
    canvas.setStrokeColorRGB(*on_fill)
    canvas.setLineWidth(0.7)
    marker = 2 * MM
    label_width = D.width(kind_label, D.REGULAR, 7)
    canvas.rect(
        w - PAD - label_width - marker - 1.2 * MM,
        h - 8.6 * MM,
        marker,
        marker,
        stroke=1,
        fill=int(card.kind == Kind.FORMAL),
    )

    inner = w - 2 * PAD
    top = h - BAND - 2 * MM
    used = D.text_box(canvas, _prose(card.title), PAD, top, inner, 9 * MM, size=10.5, min_size=8, bold=True)
    top -= max(used, 4 * MM) + 2 * MM

    # the four scales: a label, marks, a value in words or numbers
    cell = inner / 4
    radius, gap = 1.1 * MM, 0.7 * MM
    values = (
        (card.difficulty, f"{card.difficulty}/4"),
        (card.cost.level, L.euros(card.cost.eur_min, card.cost.eur_max, "fr")),
        (card.duration.level, "≈ " + L.days(card.duration.days, "fr")),
        (card.impact.score, f"{card.impact.score:+d}" if card.impact.score else "0"),
    )
    canvas.setStrokeColorRGB(*D.LIGHT)
    canvas.setLineWidth(0.5)
    canvas.line(PAD, top + 0.8 * MM, w - PAD, top + 0.8 * MM)
    for i, (name, (level, value)) in enumerate(zip(SCALE_NAMES, values, strict=True)):
        x = PAD + i * cell
        canvas.setFillColorRGB(*D.GREY)
        D.one_line(canvas, name, x, top - 2.6 * MM, size=6.5, bold=True, max_width=cell - 1 * MM)
        if i == 3:
            D.signed_scale(canvas, x, top - 5.2 * MM, level, radius * 0.9, gap * 0.8)
        else:
            D.pips(canvas, x, top - 5.2 * MM, level, 4, radius, gap, square=i == 1)
        canvas.setFillColorRGB(*D.INK)
        D.one_line(canvas, value, x, top - 9.2 * MM, size=7, max_width=cell - 1 * MM)
    top -= 11 * MM
    canvas.setStrokeColorRGB(*D.LIGHT)
    canvas.line(PAD, top, w - PAD, top)
    top -= 1.2 * MM

    gains = ", ".join(GAIN_LABELS[g][0] for g in card.gains.categories)
    bottom = PAD
    room = top - bottom
    canvas.setFillColorRGB(*D.INK)
    D.one_line(canvas, f"Gains · {gains}", PAD, top - 2.3 * MM, size=6.5, bold=True, max_width=inner)
    top -= 3 * MM
    half = (room - 6 * MM) / 2
    used = D.text_box(canvas, _prose(card.gains.text), PAD, top, inner, half, size=7.5, min_size=6)
    top -= used + 1.2 * MM
    D.one_line(canvas, "Impact environnemental et social", PAD, top - 2.3 * MM, size=6.5, bold=True, max_width=inner)
    top -= 3 * MM
    D.text_box(canvas, _prose(card.impact.text), PAD, top, inner, top - bottom, size=7.5, min_size=6)
    canvas.restoreState()


def _back(canvas: Canvas, deck: Deck, card: Card, box: S.Box) -> None:
    theme, fill, on_fill = _enter(canvas, deck, card, box)
    w, h = box.width, box.height
    # a coloured frame that bleeds on every side, a white panel for the text
    canvas.setFillColorRGB(*fill)
    canvas.rect(-S.BLEED, -S.BLEED, w + 2 * S.BLEED, h + 2 * S.BLEED, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.roundRect(PAD - 1 * MM, PAD - 1 * MM, w - 2 * PAD + 2 * MM, h - 2 * PAD - 5 * MM, 2 * MM, stroke=0, fill=1)
    canvas.setFillColorRGB(*on_fill)
    D.one_line(canvas, f"GR:IA · {card.code}", PAD, h - PAD - 2.6 * MM, size=8, bold=True)
    canvas.setFont(D.REGULAR, 7)
    canvas.drawRightString(w - PAD, h - PAD - 2.6 * MM, theme.label[:48])
    inner = w - 2 * PAD
    top = h - 2 * PAD - 4 * MM
    text = _prose(card.description)
    extra = []
    if card.prerequisites:
        extra.append(_prose("Prérequis : " + ", ".join(card.prerequisites)))
    for ref in card.ressources:
        extra.append(f"Ressource : {_prose(ref.title)}")
    if extra:
        text += "\n" + "\n".join(extra)
    D.text_box(canvas, text, PAD, top, inner, top - PAD, size=9.5, min_size=6)
    canvas.restoreState()


def _marks(canvas: Canvas) -> None:
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.setLineWidth(0.25)
    for x1, y1, x2, y2 in S.crop_marks():
        canvas.line(x1, y1, x2, y2)


def _footer(canvas: Canvas, text: str) -> None:
    canvas.setFillColorRGB(*D.GREY)
    canvas.setFont(D.REGULAR, 6.5)
    canvas.drawCentredString(S.A4[0] / 2, 2.2 * MM, text)


def render_cards(deck: Deck, cards: Sequence[Card], *, backs: bool = False) -> bytes:
    """The cards on A4 sheets, 8 per sheet; with ``backs``, each sheet of fronts is followed by its backs."""
    register_fonts()
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=S.A4, pageCompression=1)
    canvas.setTitle(f"{deck.title} · cartes à imprimer")
    canvas.setAuthor("gria-miro")
    canvas.setSubject(f"{len(cards)} cartes, format 63 × 88 mm, fond perdu 3 mm")
    sheets = [cards[i : i + S.PER_SHEET] for i in range(0, len(cards), S.PER_SHEET)]
    for number, group in enumerate(sheets, start=1):
        for index, card in enumerate(group):
            _front(canvas, deck, card, S.trim_box(index))
        _marks(canvas)
        _footer(canvas, f"{deck.title} · planche {number}/{len(sheets)} · recto · cartes 63 × 88 mm, fond perdu 3 mm")
        canvas.showPage()
        if backs:
            for index, card in enumerate(group):
                _back(canvas, deck, card, S.trim_box(index, back=True))
            _marks(canvas)
            _footer(canvas, f"{deck.title} · planche {number}/{len(sheets)} · verso (recto verso, bord long)")
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def select_cards(deck: Deck, themes: Sequence[str] = (), codes: Sequence[str] = ()) -> list[Card]:
    """The deck's cards in board order, only those of ``themes`` and/or ``codes`` when given (either matches).

    Raises ``KeyError`` naming the first unknown theme or code."""
    known_themes = {t.id for t in deck.themes}
    known_codes = {c.code for c in deck.cards}
    for theme in themes:
        if theme not in known_themes:
            raise KeyError(theme)
    for code in codes:
        if code not in known_codes:
            raise KeyError(code)
    if not themes and not codes:
        return deck.sorted_cards()
    return [c for c in deck.sorted_cards() if c.theme in themes or c.code in codes]
