"""The indicative timeline of a team's roadmap, as a picture: computed once, drawn by every format.

Pure. :func:`timeline` reads the due dates the team wrote on the board (never the cards' days of
work, which measure effort, not calendar time) and :func:`scene` lays them out as plain shapes
(rectangles, diamonds, lines, texts) in abstract units; the PDF, SVG (HTML) and PNG (ODT, DOCX)
backends only translate those shapes. Without any due date the picture shows the stages in
their order, with their number of cards, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from gria_miro.pull.roadmap import TeamRoadmap

#: Fill colours of the stage rows, light enough for black text and distinct in grey.
STAGE_FILLS = ("#dcecf9", "#fde7c8", "#dff2dc", "#efe0f5", "#f9dcdc", "#e6e6e6")


@dataclass(frozen=True)
class Milestone:
    label: str  # the card's code (or title when it has none)
    due: date


@dataclass(frozen=True)
class StageSpan:
    label: str
    cards: int
    milestones: tuple[Milestone, ...]  # by date
    undated: int  # cards without a due date


@dataclass(frozen=True)
class Timeline:
    stages: tuple[StageSpan, ...]

    @property
    def dated(self) -> int:
        return sum(len(s.milestones) for s in self.stages)

    @property
    def cards(self) -> int:
        return sum(s.cards for s in self.stages)

    @property
    def first(self) -> date | None:
        dates = [m.due for s in self.stages for m in s.milestones]
        return min(dates) if dates else None

    @property
    def last(self) -> date | None:
        dates = [m.due for s in self.stages for m in s.milestones]
        return max(dates) if dates else None


def _parse(iso: str | None) -> date | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso)
    except ValueError:
        return None  # a due date the board gave in another shape: left out rather than guessed


def timeline(team: TeamRoadmap) -> Timeline:
    spans = []
    for stage in team.stages:
        milestones = []
        for card in stage.cards:
            due = _parse(card.due_date)
            if due is not None:
                milestones.append(Milestone(card.code or card.title[:24], due))
        milestones.sort(key=lambda m: (m.due, m.label))
        spans.append(StageSpan(stage.label, len(stage.cards), tuple(milestones), len(stage.cards) - len(milestones)))
    return Timeline(tuple(spans))


def caption(data: Timeline, lang: str) -> str:
    """The sentence under the picture: it is indicative, and what it is built from."""
    fr = lang == "fr"
    if data.dated == 0:
        if fr:
            return (
                "Calendrier indicatif : aucune échéance n'est notée sur le tableau ; seul l'ordre des étapes est "
                "montré. Fixez des échéances aux cartes pour le dater."
            )
        return "Indicative schedule: no due date is set on the board; only the order of the stages is shown."
    if fr:
        return (
            f"Calendrier indicatif, construit à partir des échéances notées par l'équipe ({data.dated} carte(s) "
            f"sur {data.cards}) ; les cartes sans échéance n'y figurent pas."
        )
    return (
        f"Indicative schedule, from the due dates the team set ({data.dated} of {data.cards} card(s)); "
        "cards without a due date are not shown."
    )


# --- shapes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    x: float
    y: float  # top
    width: float
    height: float
    fill: str
    stroke: str | None = None


@dataclass(frozen=True)
class Diamond:
    cx: float
    cy: float
    r: float
    fill: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str = "#777777"


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    size: float
    anchor: Literal["start", "middle", "end"] = "start"
    bold: bool = False
    colour: str = "#1a1a1a"


Shape = Rect | Diamond | Line | Label


@dataclass(frozen=True)
class Scene:
    """Shapes in abstract units (y downwards), ``width`` × ``height``."""

    width: float
    height: float
    shapes: tuple[Shape, ...]


WIDTH = 800.0
ROW = 50.0
LEFT = 200.0  # room for the stage names
TOP = 34.0  # room for the date axis


def _months(first: date, last: date) -> list[date]:
    months = []
    current = date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def _short(text: str, limit: int = 26) -> str:
    """A stage name shortened on a word boundary (never cut mid-word)."""
    if len(text) <= limit:
        return text
    words, out = text.split(), ""
    for word in words:
        if len(out) + len(word) + 1 > limit - 1:
            break
        out = f"{out} {word}".strip()
    return (out or words[0]) + "…"


def scene(data: Timeline, lang: str) -> Scene:
    shapes: list[Shape] = []
    rows = len(data.stages)
    height = TOP + rows * ROW + 12
    first, last = data.first, data.last
    for index, stage in enumerate(data.stages):
        y = TOP + index * ROW
        fill = STAGE_FILLS[index % len(STAGE_FILLS)]
        shapes.append(Rect(0, y + 4, LEFT - 10, ROW - 8, fill))
        shapes.append(Label(8, y + ROW / 2 + 1, f"{index + 1}. {_short(stage.label, 22)}", 14, bold=True))
        count = f"{stage.cards} carte(s)" if lang == "fr" else f"{stage.cards} card(s)"
        shapes.append(Label(8, y + ROW / 2 + 16, count, 11, colour="#444444"))
    if first is None or last is None:
        # no date: the stages as consecutive steps, in their order
        step = (WIDTH - LEFT) / max(1, rows)
        for index in range(rows):
            y = TOP + index * ROW
            fill = STAGE_FILLS[index % len(STAGE_FILLS)]
            shapes.append(Rect(LEFT + index * step, y + 8, step - 6, ROW - 16, fill, "#777777"))
        shapes.append(
            Label(LEFT, 20, "ordre des étapes (sans dates)" if lang == "fr" else "stage order (no dates)", 11)
        )
        return Scene(WIDTH, height, tuple(shapes))
    span = max(1, (last - first).days)
    pad = max(3, span // 12)
    start = date.fromordinal(first.toordinal() - pad)
    end = date.fromordinal(last.toordinal() + pad)
    total = (end - start).days

    def x_of(day: date) -> float:
        return LEFT + (WIDTH - LEFT - 20) * (day - start).days / total

    shapes.append(Line(LEFT, TOP - 4, WIDTH - 20, TOP - 4))
    months = [m for m in _months(start, end) if m >= start]
    every = max(1, len(months) // 8)
    for m in months[::every]:
        x = x_of(m)
        shapes.append(Line(x, TOP - 8, x, height - 8, "#cccccc"))
        text = f"{m.month:02d}/{m.year}" if lang == "fr" else f"{m.year}-{m.month:02d}"
        shapes.append(Label(x + 3, TOP - 12, text, 11, colour="#444444"))
    for index, stage in enumerate(data.stages):
        y = TOP + index * ROW
        if stage.milestones:
            x1, x2 = x_of(stage.milestones[0].due), x_of(stage.milestones[-1].due)
            fill = STAGE_FILLS[index % len(STAGE_FILLS)]
            shapes.append(Rect(x1 - 8, y + 10, max(16, x2 - x1 + 16), ROW - 20, fill, "#777777"))
        placed: list[float] = []
        for number, milestone in enumerate(stage.milestones):
            x = x_of(milestone.due)
            shapes.append(Diamond(x, y + ROW / 2, 6, "#1a1a1a"))
            # labels alternate above and below the bar so that neighbours do not overlap
            below = number % 2 == 1 or any(abs(x - p) < 70 for p in placed[-1:])
            shapes.append(Label(x, y + (ROW - 1 if below else 11), milestone.label, 11, "middle"))
            placed.append(x)
    return Scene(WIDTH, height, tuple(shapes))


def svg(data: Timeline, lang: str, font: str = "Atkinson Hyperlegible Next, Arial, sans-serif") -> str:
    """The scene as an inline SVG element (for HTML)."""
    from xml.sax.saxutils import escape

    s = scene(data, lang)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {s.width:g} {s.height:g}" role="img" '
        f'font-family="{escape(font)}" class="timeline"><title>{escape(caption(data, lang))}</title>'
    ]
    for shape in s.shapes:
        if isinstance(shape, Rect):
            stroke = f' stroke="{shape.stroke}"' if shape.stroke else ""
            parts.append(
                f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.width:.1f}" height="{shape.height:.1f}" '
                f'rx="4" fill="{shape.fill}"{stroke}/>'
            )
        elif isinstance(shape, Diamond):
            c, r = shape, shape.r
            corners = ((c.cx, c.cy - r), (c.cx + r, c.cy), (c.cx, c.cy + r), (c.cx - r, c.cy))
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)
            parts.append(f'<polygon points="{points}" fill="{shape.fill}"/>')
        elif isinstance(shape, Line):
            parts.append(
                f'<line x1="{shape.x1:.1f}" y1="{shape.y1:.1f}" x2="{shape.x2:.1f}" y2="{shape.y2:.1f}" '
                f'stroke="{shape.colour}"/>'
            )
        else:
            weight = ' font-weight="bold"' if shape.bold else ""
            parts.append(
                f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" font-size="{shape.size:g}" text-anchor="{shape.anchor}" '
                f'fill="{shape.colour}"{weight}>{escape(shape.text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
