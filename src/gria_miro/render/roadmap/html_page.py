"""The roadmap as one self-contained, printable HTML page (no scripts, no external files).

Pure. Follows :mod:`.document`'s blocks like the office documents. Every text goes through
:func:`html.escape`; the board link is kept only when it is a plain http(s) address. The print
styles set an A4 page (``@page``): five-column stage tables at a fixed layout, so no column runs
off the page, and no forced page break before the first section, so page 1 is not left blank.
"""

from __future__ import annotations

import html

from gria_miro.pull.roadmap import Roadmap
from gria_miro.render.roadmap import document as doc
from gria_miro.render.roadmap.labels import Lang, t
from gria_miro.render.roadmap.markdown import md_url
from gria_miro.render.roadmap.timeline import svg

_STYLE = """
body { font-family: "Atkinson Hyperlegible Next", "Atkinson Hyperlegible", system-ui, -apple-system, "Segoe UI",
       Roboto, sans-serif; color: #1a1a1a; max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: .3em; }
h2 { border-bottom: 2px solid #37474f; padding-bottom: .2em; margin-top: 1.6em; }
h3 { margin: 1.3em 0 .4em; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 .6em; table-layout: fixed; }
th, td { border: 1px solid #c7c7c7; padding: .25em .45em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eceff1; }
td.num, th.num { text-align: right; }
table.fields th { width: 28%; background: #f5f7f9; font-weight: 600; }
table.title { background: #f1f4f8; }
table.annex { font-size: .85em; }
.muted { color: #555; font-style: italic; }
.warning li { color: #8a1c1c; }
.label { font-weight: 700; margin: .6em 0 .2em; }
.card { margin: .5em 0 .7em; page-break-inside: avoid; break-inside: avoid; }
.card h4 { margin: 0 0 .15em; font-size: 1em; }
.card ul { margin: 0; padding-left: 1.2em; font-size: .93em; }
figure { margin: .5em 0; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: .85em; color: #444; }
.pagebreak { break-before: page; page-break-before: always; }
@page { size: A4 portrait; margin: 16mm 16mm 18mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; padding: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table, figure { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def render_html(roadmap: Roadmap, lang: Lang = "fr") -> str:
    def x(text: str) -> str:
        return esc(doc.prose(text, lang))

    colon = doc.colon(lang)
    title = f"{t('roadmap', lang)} · {roadmap.title}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{x(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
    ]
    link = md_url(roadmap.board.link)
    for block in doc.blocks(roadmap, lang):
        if isinstance(block, doc.Heading):
            level = min(block.level, 3)
            parts.append(f"<h{level}>{x(block.text)}</h{level}>")
        elif isinstance(block, doc.Para):
            lead = f"<strong>{x(block.label)}{colon}</strong> " if block.label else ""
            css = {"muted": "muted", "caption": "muted", "label": "label", "warning": "warning"}.get(block.style)
            attr = f' class="{css}"' if css else ""
            parts.append(f"<p{attr}>{lead}{x(block.text)}</p>")
        elif isinstance(block, doc.Bullets):
            css = ' class="warning"' if block.style == "warning" else ""
            parts += [f"<ul{css}>", *(f"<li>{x(item)}</li>" for item in block.items), "</ul>"]
        elif isinstance(block, doc.Fields):
            parts.append(f'<table class="fields {block.style}"><tbody>')
            for key, value in block.rows:
                shown = x(value)
                if block.style == "title" and key == t("board", lang) and link:
                    shown = f'<a href="{esc(link)}">{shown}</a>'
                parts.append(f"<tr><th>{x(key)}</th><td>{shown}</td></tr>")
            parts.append("</tbody></table>")
        elif isinstance(block, doc.Table):
            aligns = block.numeric or tuple(False for _ in block.header)
            cols = "".join(f'<col style="width:{w * 100:.0f}%">' for w in block.widths)
            head = "".join(
                f"<th{' class=num' if right else ''}>{x(h)}</th>" for h, right in zip(block.header, aligns, strict=True)
            )
            parts.append(f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>")
            for row in block.rows:
                cells = "".join(
                    f"<td{' class=num' if right else ''}>{x(v)}</td>" for v, right in zip(row, aligns, strict=True)
                )
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</tbody></table>")
        elif isinstance(block, doc.CardDetail):
            parts.append(f'<div class="card"><h4>{x(block.title)}</h4><ul>')
            parts += [f"<li><strong>{x(k)}{colon}</strong> {x(v)}</li>" for k, v in block.lines]
            parts.append("</ul></div>")
        elif isinstance(block, doc.Picture):
            parts.append(f"<figure>{svg(block.data, lang)}<figcaption>{x(block.caption)}</figcaption></figure>")
        elif isinstance(block, doc.PageBreak):
            parts.append('<div class="pagebreak"></div>')
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
