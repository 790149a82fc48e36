"""An SVG preview of a desired board, so a facilitator sees the board before touching Miro.

Pure: :func:`render_svg` takes a :class:`DesiredBoard` and returns the SVG text. Frames
with their titles above them (as Miro draws them), cards as white rectangles with their
theme's colour band, code and title, shapes and sticky notes in their colours, texts.
All text is escaped for XML; the same board always gives the same bytes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from gria_miro.board import DesiredBoard, DesiredItem

_TAG = re.compile(r"<[^>]*>")

MARGIN = 120

#: Hex equivalents of Miro's named sticky-note colours (for the preview only).
STICKY_HEX: dict[str, str] = {
    "gray": "#f5f6f8",
    "light_yellow": "#fff9b1",
    "yellow": "#f5d128",
    "orange": "#ff9d48",
    "light_green": "#d5f692",
    "green": "#c9df56",
    "dark_green": "#93d275",
    "cyan": "#6cd8fa",
    "light_pink": "#ffcee0",
    "pink": "#ea94bb",
    "violet": "#be88c7",
    "red": "#f24726",
    "light_blue": "#a6ccf5",
    "blue": "#7b92ff",
    "dark_blue": "#414bb2",
    "black": "#1a1a1a",
}


def _shown(html_text: str) -> str:
    """What a person reads in an HTML field, keeping its no-break spaces (French typography)."""
    return " ".join(re.split(r"[ \t\r\n]+", html.unescape(_TAG.sub(" ", html_text)).strip()))


def _paragraphs(html_text: str) -> list[str]:
    return [text for part in re.split(r"(?i)</p>|<br\s*/?>", html_text) if (text := _shown(part))]


def _attr(value: str) -> str:
    return xml_escape(value, {'"': "&quot;"})


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lines(text: str, width: int, font_size: int, max_lines: int) -> list[str]:
    """``text`` wrapped on words to fit ``width`` (an estimate: SVG has no text wrapping)."""
    per_line = max(4, int(width / (font_size * 0.56)))
    lines: list[str] = []
    current = ""
    for word in text.split(" "):  # no-break spaces (French typography) keep their words together
        if not word:
            continue
        candidate = f"{current} {word}".strip()
        if len(candidate) <= per_line:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = _clip(word, per_line)
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _clip(lines[max_lines - 1] + " …", per_line)]
    return lines


def _text_block(lines: list[str], x: int, y: int, font_size: int, colour: str, anchor: str = "start") -> str:
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else int(font_size * 1.25)}">{xml_escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{y}" font-size="{font_size}" fill="{_attr(colour)}" text-anchor="{anchor}">{spans}</text>'


def _style(item: DesiredItem, name: str, default: str) -> str:
    value = item.style.get(name, default)
    return str(value)


def _frame(item: DesiredItem) -> str:
    left, top = item.x - item.width // 2, item.y - item.height // 2
    title = _shown(str(item.data.get("title", "")))
    return (
        f'<g class="frame"><rect x="{left}" y="{top}" width="{item.width}" height="{item.height}" '
        f'fill="{_attr(_style(item, "fillColor", "#ffffff"))}" stroke="#8a8a8a" stroke-width="2"/>'
        f"{_text_block([title], left, top - 16, 32, '#1a1a1a')}</g>"
    )


def _card(item: DesiredItem) -> str:
    left, top = item.x - item.width // 2, item.y - item.height // 2
    colour = _style(item, "cardTheme", _style(item, "fillColor", "#2d9bf0"))
    title, *below = _paragraphs(str(item.data.get("title", ""))) or [""]
    code = item.card_code or ""
    label = title[len(code) :].lstrip(" ·") if code and title.startswith(code) else title
    glance = " ".join(below)  # the scales at a glance, under the title
    return (
        f'<g class="card"><rect x="{left}" y="{top}" width="{item.width}" height="{item.height}" rx="6" '
        f'fill="#ffffff" stroke="{_attr(colour)}" stroke-width="2"/>'
        f'<rect x="{left}" y="{top}" width="10" height="{item.height}" fill="{_attr(colour)}"/>'
        f"{_text_block([code], left + 20, top + 22, 16, '#1a1a1a')}"
        f"{_text_block(_lines(label, item.width - 30, 14, 2), left + 20, top + 42, 14, '#333333')}"
        f"{_text_block(_lines(glance, item.width - 30, 12, 1), left + 20, top + item.height - 10, 12, '#1a1a1a')}</g>"
    )


def _boxed(item: DesiredItem, fill: str, colour: str, font_size: int) -> str:
    left, top = item.x - item.width // 2, item.y - item.height // 2
    text = " ".join(_paragraphs(str(item.data.get("content", ""))))
    max_lines = max(1, (item.height - 8) // int(font_size * 1.25))
    lines = _lines(text, item.width - 16, font_size, max_lines)
    first = item.y - (len(lines) - 1) * int(font_size * 1.25) // 2 + font_size // 3
    return (
        f'<g class="{item.type}"><rect x="{left}" y="{top}" width="{item.width}" height="{item.height}" rx="4" '
        f'fill="{_attr(fill)}" stroke="#9a9a9a" stroke-width="1"/>'
        f"{_text_block(lines, item.x, first, font_size, colour, 'middle')}</g>"
    )


def _text(item: DesiredItem) -> str:
    left, top = item.x - item.width // 2, item.y - item.height // 2
    size = int(_style(item, "fontSize", "14"))
    content = str(item.data.get("content", ""))
    blocks = _paragraphs(content)
    lines: list[str] = []
    for block in blocks:
        lines += _lines(block, item.width, size, 50)
    return f'<g class="text">{_text_block(lines, left, top + size, size, _style(item, "color", "#1a1a1a"))}</g>'


def _item(item: DesiredItem) -> str:
    style: Mapping[str, Any] = item.style
    if item.type == "frame":
        return _frame(item)
    if item.type in ("card", "app_card"):
        return _card(item)
    if item.type == "sticky_note":
        return _boxed(item, STICKY_HEX.get(str(style.get("fillColor", "light_yellow")), "#fff9b1"), "#1a1a1a", 16)
    if item.type == "shape":
        size = int(str(style.get("fontSize", "14")))
        return _boxed(item, str(style.get("fillColor", "#ffffff")), str(style.get("color", "#1a1a1a")), size)
    return _text(item)


def render_svg(board: DesiredBoard) -> str:
    """The whole board as a standalone SVG document."""
    if board.items:
        left = min(i.x - i.width // 2 for i in board.items) - MARGIN
        top = min(i.y - i.height // 2 for i in board.items) - MARGIN
        right = max(i.x + i.width // 2 for i in board.items) + MARGIN
        bottom = max(i.y + i.height // 2 for i in board.items) + MARGIN
    else:
        left, top, right, bottom = -MARGIN, -MARGIN, MARGIN, MARGIN
    width, height = right - left, bottom - top
    title = f"{board.deck_title} · disposition {board.layout_name}"
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left} {top} {width} {height}" '
        f'width="{max(1, width // 8)}" height="{max(1, height // 8)}" font-family="Arial, Helvetica, sans-serif">',
        f"<title>{xml_escape(title)}</title>",
        f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="#f2f2f2"/>',
    ]
    parts.extend(_item(item) for item in board.items)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
