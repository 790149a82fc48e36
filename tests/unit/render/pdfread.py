"""Reading generated PDFs back in tests: pages, text, embedded fonts, drawn line segments, text positions."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream

MM = 72 / 25.4


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def embedded_fonts(data: bytes) -> set[str]:
    """Base names of the fonts whose program is embedded in the file (subset prefix removed)."""
    names = set()
    for page in reader(data).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for descendant in font.get("/DescendantFonts", []):
                descriptors.append(descendant.get_object().get("/FontDescriptor"))
            for descriptor in descriptors:
                if descriptor is not None:
                    descriptor = descriptor.get_object()
                    if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                        names.add(str(font["/BaseFont"]).split("+")[-1].lstrip("/"))
    return names


@dataclass(frozen=True)
class Segment:
    x1: float
    y1: float
    x2: float
    y2: float


def segments(data: bytes, page: int) -> list[Segment]:
    """Straight lines stroked on ``page`` (``m`` then ``l``), in page coordinates (no transforms applied:
    only lines drawn outside any q…Q block)."""
    pdf = reader(data)
    content = ContentStream(pdf.pages[page].get_contents(), pdf)
    found: list[Segment] = []
    depth = 0
    start: tuple[float, float] | None = None
    for operands, operator in content.operations:
        if operator == b"q":
            depth += 1
        elif operator == b"Q":
            depth -= 1
        elif operator == b"m" and depth == 0:
            start = (float(operands[0]), float(operands[1]))
        elif operator == b"l" and depth == 0 and start is not None:
            found.append(Segment(start[0], start[1], float(operands[0]), float(operands[1])))
            start = None
    return found


def text_positions(data: bytes, page: int) -> list[tuple[str, float, float]]:
    """Each piece of text on ``page`` with the x, y where it starts (page coordinates)."""
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y))

    reader(data).pages[page].extract_text(visitor_text=visit)
    return found
