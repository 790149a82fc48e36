"""The bundled typeface: where its files are, its registration with reportlab, and its glyph coverage.

Atkinson Hyperlegible Next (Braille Institute / Google Fonts, SIL Open Font License 1.1) was
designed for readers with low vision: letters that cannot be confused (Il1, O0, rn/m). The
bundled files come from the npm package ``@expo-google-fonts/atkinson-hyperlegible-next``
0.4.1 with one change, allowed by the licence: a glyph for U+202F (narrow no-break space,
one fifth of an em, blank), which French typography puts before ``; ! ?`` and inside « ».
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = "AtkinsonHyperlegibleNext"
BOLD = "AtkinsonHyperlegibleNext-Bold"
FAMILY = "Atkinson Hyperlegible Next"
FILES: dict[str, Path] = {
    REGULAR: FONT_DIR / "AtkinsonHyperlegibleNext-Regular.ttf",
    BOLD: FONT_DIR / "AtkinsonHyperlegibleNext-Bold.ttf",
}
LICENCE = FONT_DIR / "OFL.txt"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the regular and bold faces with reportlab (once); their names, regular first."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, path in FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD


@cache
def _covered(name: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    face = pdfmetrics.getFont(name).face  # type: ignore[attr-defined]
    return frozenset(face.charToGlyph)


def missing_characters(text: str, name: str = REGULAR) -> set[str]:
    """The characters of ``text`` (other than line breaks) that the face ``name`` cannot draw."""
    covered = _covered(name)
    return {char for char in text if char not in "\n\r\t" and ord(char) not in covered}
