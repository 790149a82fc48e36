"""The roadmap as an OpenDocument text (ODT, the format French administrations are asked to use), with odfpy.

Pure: returns the bytes. Follows :mod:`.document`'s blocks: real headings (Titre 1–3, so the
document has an outline), tables with a header row and fixed column widths for A4 portrait,
the timeline as an embedded PNG picture with its caption.
"""

from __future__ import annotations

import io

from gria_miro.paper.fonts import FAMILY
from gria_miro.pull.roadmap import Roadmap
from gria_miro.render.roadmap import document as doc
from gria_miro.render.roadmap.labels import Lang, t
from gria_miro.render.roadmap.timeline_png import render_png

TEXT_WIDTH_CM = 17.0


def render_odt(roadmap: Roadmap, lang: Lang = "fr") -> bytes:
    from odf.draw import Frame, Image
    from odf.opendocument import OpenDocumentText
    from odf.style import (
        FontFace,
        GraphicProperties,
        MasterPage,
        PageLayout,
        PageLayoutProperties,
        ParagraphProperties,
        Style,
        TableCellProperties,
        TableColumnProperties,
        TableProperties,
        TextProperties,
    )
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P, Span

    def x(text: str) -> str:
        return doc.prose(text, lang)

    odt = OpenDocumentText()
    odt.fontfacedecls.addElement(FontFace(name=FAMILY, fontfamily=f"'{FAMILY}'", fontfamilygeneric="swiss"))
    layout = PageLayout(name="A4")
    layout.addElement(
        PageLayoutProperties(
            pagewidth="21cm",
            pageheight="29.7cm",
            margintop="1.6cm",
            marginbottom="1.6cm",
            marginleft="2cm",
            marginright="2cm",
            printorientation="portrait",
        )
    )
    odt.automaticstyles.addElement(layout)
    odt.masterstyles.addElement(MasterPage(name="Standard", pagelayoutname=layout))

    def pstyle(
        name: str,
        size: str,
        bold: bool = False,
        colour: str = "#1a1a1a",
        family: str = "paragraph",
        parent: str | None = None,
        before: str = "0cm",
        after: str = "0.12cm",
        indent: str = "0cm",
        keep: bool = False,
        outline: int | None = None,
    ) -> Style:
        attrs = {"name": name, "family": family}
        if parent:
            attrs["parentstylename"] = parent
        if outline:
            attrs["defaultoutlinelevel"] = str(outline)
        style = Style(**attrs)
        style.addElement(
            TextProperties(
                fontsize=size, fontname=FAMILY, fontfamily=FAMILY, color=colour, fontweight="bold" if bold else "normal"
            )
        )
        style.addElement(
            ParagraphProperties(
                margintop=before, marginbottom=after, marginleft=indent, keepwithnext="always" if keep else "auto"
            )
        )
        odt.styles.addElement(style)
        return style

    body = pstyle("Texte", "10pt")
    muted = pstyle("Discret", "10pt", colour="#555555")
    warning = pstyle("Alerte", "10pt", colour="#8a1c1c")
    caption = pstyle("Légende", "8.5pt", colour="#444444")
    label = pstyle("Intitulé", "10pt", bold=True, before="0.15cm", keep=True)
    cell = pstyle("Cellule", "9pt", after="0cm")
    small = pstyle("Petit", "8pt", after="0cm")
    cellhead = pstyle("EnTête", "9pt", bold=True, after="0cm")
    cardtitle = pstyle("Carte", "10pt", bold=True, before="0.2cm", keep=True)
    cardline = pstyle("DétailCarte", "9pt", indent="0.4cm", after="0.03cm")
    headings = {
        1: pstyle("Heading_20_1", "19pt", bold=True, after="0.3cm", outline=1, keep=True),
        2: pstyle(
            "Heading_20_2", "15pt", bold=True, colour="#1f3a5f", before="0.4cm", after="0.2cm", outline=2, keep=True
        ),
        3: pstyle("Heading_20_3", "12.5pt", bold=True, before="0.35cm", after="0.15cm", outline=3, keep=True),
    }
    for level, style in headings.items():
        style.setAttribute("displayname", f"Heading {level}")
    strong = Style(name="Gras", family="text")
    strong.addElement(TextProperties(fontweight="bold"))
    odt.styles.addElement(strong)
    pagebreak = Style(name="SautDePage", family="paragraph", parentstylename=body)
    pagebreak.addElement(ParagraphProperties(breakbefore="page"))
    odt.automaticstyles.addElement(pagebreak)
    grid = Style(name="Grille", family="table-cell")
    grid.addElement(TableCellProperties(border="0.5pt solid #b8b8b8", padding="0.06cm"))
    odt.automaticstyles.addElement(grid)
    headcell = Style(name="GrilleEnTête", family="table-cell")
    headcell.addElement(TableCellProperties(border="0.5pt solid #b8b8b8", padding="0.06cm", backgroundcolor="#e6ebf0"))
    odt.automaticstyles.addElement(headcell)
    table_count = 0

    def table(
        widths: tuple[float, ...],
        rows: list[tuple[str, ...]],
        header: tuple[str, ...] | None,
        text_style: Style,
        first_bold: bool = False,
    ) -> Table:
        nonlocal table_count
        table_count += 1
        name = f"Tableau{table_count}"
        tstyle = Style(name=name, family="table")
        tstyle.addElement(TableProperties(width=f"{TEXT_WIDTH_CM}cm", align="left"))
        odt.automaticstyles.addElement(tstyle)
        out = Table(name=name, stylename=tstyle)
        for i, fraction in enumerate(widths):
            cstyle = Style(name=f"{name}.C{i}", family="table-column")
            cstyle.addElement(TableColumnProperties(columnwidth=f"{TEXT_WIDTH_CM * fraction:.2f}cm"))
            odt.automaticstyles.addElement(cstyle)
            out.addElement(TableColumn(stylename=cstyle))
        if header:
            row = TableRow()
            for value in header:
                c = TableCell(stylename=headcell, valuetype="string")
                c.addElement(P(stylename=cellhead, text=x(value)))
                row.addElement(c)
            out.addElement(row)
        for values in rows:
            row = TableRow()
            for i, value in enumerate(values):
                c = TableCell(stylename=grid, valuetype="string")
                c.addElement(P(stylename=cellhead if first_bold and i == 0 else text_style, text=x(value)))
                row.addElement(c)
            out.addElement(row)
        return out

    pictures = 0
    for block in doc.blocks(roadmap, lang):
        if isinstance(block, doc.Heading):
            odt.text.addElement(
                H(outlinelevel=block.level, stylename=headings[min(block.level, 3)], text=x(block.text))
            )
        elif isinstance(block, doc.Para):
            style = {"muted": muted, "warning": warning, "caption": caption, "label": label}.get(block.style, body)
            paragraph = P(stylename=style)
            if block.label:
                paragraph.addElement(Span(stylename=strong, text=x(block.label) + doc.colon(lang) + " "))
            paragraph.addText(x(block.text))
            odt.text.addElement(paragraph)
        elif isinstance(block, doc.Bullets):
            items = List()
            for item in block.items:
                li = ListItem()
                li.addElement(P(stylename=warning if block.style == "warning" else body, text=x(item)))
                items.addElement(li)
            odt.text.addElement(items)
        elif isinstance(block, doc.Fields):
            style = small if block.style == "annex" else cell
            odt.text.addElement(table((0.28, 0.72), list(block.rows), None, style, first_bold=True))
        elif isinstance(block, doc.Table):
            odt.text.addElement(table(block.widths, list(block.rows), block.header, cell))
        elif isinstance(block, doc.CardDetail):
            odt.text.addElement(P(stylename=cardtitle, text=x(block.title)))
            for key, value in block.lines:
                line = P(stylename=cardline)
                line.addElement(Span(stylename=strong, text=x(key) + doc.colon(lang) + " "))
                line.addText(x(value))
                odt.text.addElement(line)
        elif isinstance(block, doc.Picture):
            pictures += 1
            data, (w, h) = render_png(block.data, lang)
            href = odt.addPicture(f"Pictures/frise-{pictures}.png", "image/png", data)
            height = TEXT_WIDTH_CM * h / w
            frame_style = Style(name=f"Image{pictures}", family="graphic")
            frame_style.addElement(GraphicProperties(anchortype="as-char"))
            odt.automaticstyles.addElement(frame_style)
            holder = P(stylename=body)
            frame = Frame(
                stylename=frame_style,
                width=f"{TEXT_WIDTH_CM}cm",
                height=f"{height:.2f}cm",
                anchortype="as-char",
                name=f"Frise {pictures}",
            )
            frame.addElement(Image(href=href))
            holder.addElement(frame)
            odt.text.addElement(holder)
            odt.text.addElement(P(stylename=caption, text=x(block.caption)))
        elif isinstance(block, doc.PageBreak):
            odt.text.addElement(P(stylename=pagebreak))
    odt.meta.addElement(_title_meta(roadmap, lang))
    out = io.BytesIO()
    odt.write(out)
    return out.getvalue()


def _title_meta(roadmap: Roadmap, lang: Lang) -> object:
    from odf.dc import Title

    return Title(text=f"{t('roadmap', lang)} · {roadmap.title}")
