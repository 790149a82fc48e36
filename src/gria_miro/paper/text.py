"""Setting text in a box: measuring with the bundled font, wrapping on spaces, shrinking to fit.

Pure (reportlab's metrics only). Lines break at ordinary spaces and after a hyphen, never at a
no-break space (U+00A0, U+202F): « 2 000 € » and « Nature : » stay whole, as French typography wants.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

ELLIPSIS = "…"


def width(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))


def _words(paragraph: str) -> list[str]:
    """Break opportunities: after each ordinary space, and after a hyphen inside a word."""
    words: list[str] = []
    for word in paragraph.split(" "):
        if not word:
            continue
        pieces = word.split("-")
        words.extend(piece + "-" for piece in pieces[:-1] if piece)
        if pieces[-1]:
            words.append(pieces[-1])
    return words


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """``text`` in lines no wider than ``max_width`` (a word wider than a line is cut by characters)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in _words(paragraph):
            glue = "" if not current or current.endswith("-") else " "
            candidate = current + glue + word
            if width(candidate, font, size) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word
            while width(current, font, size) > max_width and len(current) > 1:
                cut = len(current) - 1
                while cut > 1 and width(current[:cut], font, size) > max_width:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        lines.append(current)
    return lines


@dataclass(frozen=True)
class Fitted:
    """Text set in a box: its size, leading and lines (the last one ends with … when cut)."""

    size: float
    leading: float
    lines: tuple[str, ...]

    @property
    def height(self) -> float:
        return self.leading * len(self.lines)


def fit(
    text: str, font: str, max_width: float, max_height: float, size: float, min_size: float, leading: float = 1.18
) -> Fitted:
    """The largest size from ``size`` down to ``min_size`` (half points) at which ``text`` fits the box;
    at ``min_size`` the lines that do not fit are dropped and the last one ends with an ellipsis."""
    current = size
    while True:
        lines = wrap(text, font, current, max_width)
        if len(lines) * current * leading <= max_height + 0.01 or current <= min_size:
            break
        current = max(min_size, current - 0.5)
    keep = max(1, int((max_height + 0.01) // (current * leading)))
    if len(lines) > keep:
        last = lines[keep - 1].rstrip()
        while last and width(last + ELLIPSIS, font, current) > max_width:
            last = last[:-1].rstrip()
        lines = [*lines[: keep - 1], last + ELLIPSIS]
    return Fitted(current, current * leading, tuple(lines))
