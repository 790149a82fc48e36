"""The roadmap as Markdown (GitHub flavour), following :mod:`.document`'s blocks like the office documents.

Pure. Every text goes through :func:`md_text` or :func:`md_cell`, so what users typed (notes,
names, titles of their own cards, board name, zone labels) shows as typed and cannot break the
document: no HTML, no code spans, no links, headings or table cells it did not ask for. The
timeline is written as a list per stage (Markdown has no pictures of its own; a Mermaid block
shows as code almost everywhere), with whole labels.
"""

from __future__ import annotations

import re

from gria_miro.pull.roadmap import Roadmap
from gria_miro.render.roadmap import document as doc
from gria_miro.render.roadmap import labels as L
from gria_miro.render.roadmap.labels import Lang, t
from gria_miro.render.roadmap.timeline import Timeline

#: Characters with a meaning anywhere in a line of Markdown (GFM), escaped with a backslash.
_INLINE = re.compile(r"([\\`*_\[\]|~])")
#: What makes a line a heading, quote, list item, thematic break or setext underline when it starts it.
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def md_text(text: str) -> str:
    """User text as one line of inline Markdown that shows exactly as typed."""
    flat = " ".join(text.split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _INLINE.sub(r"\\\1", flat)
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), flat)


def md_inline(text: str) -> str:
    """User text in the middle of a line (after a label): escaped like :func:`md_text`, but nothing there can
    start a block, so a leading ``+1`` or ``-2`` stays as it is."""
    flat = " ".join(text.split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _INLINE.sub(r"\\\1", flat)


def md_cell(text: str) -> str:
    """User text inside a table cell: its lines kept apart with ``<br>``, nothing else interpreted."""
    return "<br>".join(md_text(line) for line in text.splitlines() if line.strip())


def md_url(url: str | None) -> str | None:
    """A board link, only when it is a plain http(s) address (anything else is left out)."""
    if url and re.fullmatch(r"https?://[^\s<>\"'`()\[\]|]+", url):
        return url
    return None


def render_markdown(roadmap: Roadmap, lang: Lang = "fr") -> str:
    out: list[str] = []
    colon = doc.colon(lang)

    def x(text: str) -> str:
        return md_text(doc.prose(text, lang))

    def v(text: str) -> str:
        return md_inline(doc.prose(text, lang))

    for block in doc.blocks(roadmap, lang):
        if isinstance(block, doc.Heading):
            out += [f"{'#' * block.level} {x(block.text)}", ""]
        elif isinstance(block, doc.Para):
            lead = f"**{x(block.label)}{colon}** " if block.label else ""
            text = v(block.text) if block.label else x(block.text)
            if block.style == "label":
                out += [f"**{text}**", ""]
            elif block.style in ("muted", "caption"):
                out += [f"{lead}_{text}_", ""]
            else:
                out += [lead + text, ""]
        elif isinstance(block, doc.Bullets):
            out += [f"- {x(item)}" for item in block.items] + [""]
        elif isinstance(block, doc.Fields):
            if block.style == "title":
                out += [_title_line(roadmap, key, value, lang) for key, value in block.rows] + [""]
            else:
                out += [f"- **{x(key)}{colon}** {v(value)}" if key else f"- {x(value)}" for key, value in block.rows]
                out.append("")
        elif isinstance(block, doc.Table):
            out.append("| " + " | ".join(x(h) for h in block.header) + " |")
            out.append("|" + "|".join("---:" if right else "---" for right in _aligns(block)) + "|")
            out += ["| " + " | ".join(md_cell(doc.prose(v, lang)) for v in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, doc.CardDetail):
            out += [f"**{x(block.title)}**", ""]
            out += [f"- {x(key)}{colon} {v(value)}" for key, value in block.lines] + [""]
        elif isinstance(block, doc.Picture):
            out += [*_timeline(block.data, lang), f"_{x(block.caption)}_", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _aligns(table: doc.Table) -> tuple[bool, ...]:
    return table.numeric or tuple(False for _ in table.header)


def _title_line(roadmap: Roadmap, key: str, value: str, lang: Lang) -> str:
    """One line of the title block; the board's name links to the board when it has a web address."""
    shown = md_inline(doc.prose(value, lang))
    link = md_url(roadmap.board.link)
    if key == t("board", lang) and link:
        shown = f"[{shown}](<{link}>)"
    return f"- **{md_text(key)}{doc.colon(lang)}** {shown}"


def _timeline(data: Timeline, lang: Lang) -> list[str]:
    """Each stage on one line with its dated cards in date order (whole codes and dates, never cut)."""
    out = []
    for number, stage in enumerate(data.stages, start=1):
        dated = ", ".join(f"{md_text(m.label)} ({L.date_text(m.due.isoformat(), lang)})" for m in stage.milestones)
        if lang == "fr":
            rest = f"{stage.undated} sans échéance" if stage.undated else ""
        else:
            rest = f"{stage.undated} without a due date" if stage.undated else ""
        parts = [p for p in (dated, rest) if p] or [t("empty_stage", lang)]
        label = md_inline(doc.prose(stage.label, lang))
        out.append(f"{number}. **{label}**{doc.colon(lang)} {doc.prose('; '.join(parts), lang)}")
    return [*out, ""]
