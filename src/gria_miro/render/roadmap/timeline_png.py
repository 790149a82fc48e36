"""The timeline's shapes drawn as a PNG picture (for ODT and DOCX, which show pictures, not vector drawings).

Pure: returns the PNG's bytes. Drawn at ``scale`` pixels per unit (2 gives a sharp 2000-pixel-wide
picture for a 17 cm column), in the bundled font.
"""

from __future__ import annotations

import io

from gria_miro.paper.fonts import BOLD, FILES, REGULAR
from gria_miro.render.roadmap.timeline import Diamond, Label, Line, Rect, Timeline, scene


def render_png(data: Timeline, lang: str, scale: float = 2.0) -> tuple[bytes, tuple[int, int]]:
    """The picture and its size in pixels."""
    from PIL import Image, ImageDraw, ImageFont

    s = scene(data, lang)
    size = (int(s.width * scale), int(s.height * scale))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[tuple[bool, int], ImageFont.FreeTypeFont] = {}

    def font(bold: bool, points: float) -> ImageFont.FreeTypeFont:
        key = (bold, round(points * scale))
        if key not in fonts:
            fonts[key] = ImageFont.truetype(str(FILES[BOLD if bold else REGULAR]), key[1])
        return fonts[key]

    for shape in s.shapes:
        if isinstance(shape, Rect):
            box = (shape.x * scale, shape.y * scale, (shape.x + shape.width) * scale, (shape.y + shape.height) * scale)
            draw.rounded_rectangle(
                box, radius=4 * scale, fill=shape.fill, outline=shape.stroke, width=max(1, int(scale))
            )
        elif isinstance(shape, Diamond):
            cx, cy, r = shape.cx * scale, shape.cy * scale, shape.r * scale
            draw.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=shape.fill)
        elif isinstance(shape, Line):
            draw.line(
                (shape.x1 * scale, shape.y1 * scale, shape.x2 * scale, shape.y2 * scale),
                fill=shape.colour,
                width=max(1, int(scale)),
            )
        elif isinstance(shape, Label):
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
            draw.text(
                (shape.x * scale, shape.y * scale),
                shape.text,
                font=font(shape.bold, shape.size),
                fill=shape.colour,
                anchor=anchor,
            )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue(), size
