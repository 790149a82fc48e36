"""Imposition of cards on A4 sheets: card size, bleed, where each card goes, crop marks, duplex backs.

Pure geometry in PDF points (1/72 inch, origin at the bottom-left of the page).

The card is the standard "poker" size, 63 × 88 mm (2.5 × 3.5 in), laid landscape (88 mm wide,
like the cards on the Miro board): the most common game-card size, so card sleeves, boxes and
print shops' templates exist for it. Each card gets a 3 mm bleed (what print shops ask for);
cards sit 6 mm apart (their bleeds touch), 2 columns × 4 rows on a portrait A4 sheet, which
leaves about 1 cm around the grid for the crop marks.

Backs are for long-edge duplex printing: the sheet turns over around its long (vertical) edge,
so the card in column ``c`` of the front is behind column ``columns - 1 - c`` of the back,
same row. Crop marks are symmetric, so front and back marks fall on the same cuts.
"""

from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
CARD_WIDTH = 88 * MM
CARD_HEIGHT = 63 * MM
BLEED = 3 * MM
COLUMNS = 2
ROWS = 4
PER_SHEET = COLUMNS * ROWS
MARK_OFFSET = 1 * MM  # gap between the bleed and a crop mark
MARK_LENGTH = 4 * MM


@dataclass(frozen=True)
class Box:
    """A rectangle: ``x, y`` its bottom-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height

    def grown(self, by: float) -> Box:
        return Box(self.x - by, self.y - by, self.width + 2 * by, self.height + 2 * by)


def _origin(page: tuple[float, float] = A4) -> tuple[float, float]:
    """Bottom-left corner of the first trim box, so that the grid with its bleeds is centred."""
    grid_w = COLUMNS * (CARD_WIDTH + 2 * BLEED)
    grid_h = ROWS * (CARD_HEIGHT + 2 * BLEED)
    return (page[0] - grid_w) / 2 + BLEED, (page[1] - grid_h) / 2 + BLEED


def trim_box(index: int, *, back: bool = False, page: tuple[float, float] = A4) -> Box:
    """Where card ``index`` (0-based, on its sheet) is cut: left to right, top to bottom on the front;
    on the back, mirrored left-right (long-edge flip)."""
    row, column = divmod(index % PER_SHEET, COLUMNS)
    if back:
        column = COLUMNS - 1 - column
    x0, y0 = _origin(page)
    x = x0 + column * (CARD_WIDTH + 2 * BLEED)
    y = y0 + (ROWS - 1 - row) * (CARD_HEIGHT + 2 * BLEED)
    return Box(x, y, CARD_WIDTH, CARD_HEIGHT)


def cut_lines(page: tuple[float, float] = A4) -> tuple[list[float], list[float]]:
    """The x of every vertical cut and the y of every horizontal cut of a full sheet."""
    boxes = [trim_box(i, page=page) for i in range(PER_SHEET)]
    xs = sorted({round(b.x, 3) for b in boxes} | {round(b.right, 3) for b in boxes})
    ys = sorted({round(b.y, 3) for b in boxes} | {round(b.top, 3) for b in boxes})
    return xs, ys


def crop_marks(page: tuple[float, float] = A4) -> list[tuple[float, float, float, float]]:
    """Crop marks as segments ``(x1, y1, x2, y2)``: each cut extended into the margin, outside the bleed,
    above and below the grid for vertical cuts, left and right of it for horizontal cuts."""
    xs, ys = cut_lines(page)
    low_x, high_x = xs[0] - BLEED - MARK_OFFSET, xs[-1] + BLEED + MARK_OFFSET
    low_y, high_y = ys[0] - BLEED - MARK_OFFSET, ys[-1] + BLEED + MARK_OFFSET
    marks = []
    for x in xs:
        marks.append((x, low_y - MARK_LENGTH, x, low_y))
        marks.append((x, high_y, x, high_y + MARK_LENGTH))
    for y in ys:
        marks.append((low_x - MARK_LENGTH, y, low_x, y))
        marks.append((high_x, y, high_x + MARK_LENGTH, y))
    return marks
