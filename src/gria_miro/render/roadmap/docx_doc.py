"""The roadmap as a Word document (DOCX), with python-docx.

Pure: returns the bytes. Follows :mod:`.document`'s blocks: Word's own heading styles (so the
navigation pane shows the outline), tables with a repeated header row and fixed widths for A4
portrait, the timeline as an embedded PNG picture with its caption.
"""

from __future__ import annotations

import io

from gria_miro.paper.fonts import FAMILY
from gria_miro.pull.roadmap import Roadmap
from gria_miro.render.roadmap import document as doc
from gria_miro.render.roadmap.labels import Lang, t
from gria_miro.render.roadmap.timeline_png import render_png

TEXT_WIDTH_CM = 17.0


def render_docx(roadmap: Roadmap, lang: Lang = "fr") -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    def x(text: str) -> str:
        return doc.prose(text, lang)

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(1.6)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FAMILY
    normal.font.size = Pt(10)
    for level, size in ((1, 19), (2, 15), (3, 12.5)):
        heading = styles[f"Heading {level}"]
        heading.font.name = FAMILY
        heading.font.size = Pt(size)
        heading.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F) if level == 2 else RGBColor(0x1A, 0x1A, 0x1A)
    document.core_properties.title = f"{t('roadmap', lang)} · {roadmap.title}"
    document.core_properties.author = "gria-miro"
    document.core_properties.language = lang

    def shade(cell: object, colour: str) -> None:
        properties = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
        fill = OxmlElement("w:shd")
        fill.set(qn("w:val"), "clear")
        fill.set(qn("w:color"), "auto")
        fill.set(qn("w:fill"), colour)
        properties.append(fill)

    def repeat_header(row: object) -> None:
        properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        properties.append(flag)

    def write_cell(cell: object, text: str, *, bold: bool = False, size: float = 9) -> None:
        paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
        run = paragraph.add_run(x(text))
        run.bold = bold
        run.font.size = Pt(size)

    def table(
        widths: tuple[float, ...],
        rows: list[tuple[str, ...]],
        header: tuple[str, ...] | None,
        size: float = 9,
        first_bold: bool = False,
    ) -> None:
        count = len(rows) + (1 if header else 0)
        out = document.add_table(rows=count, cols=len(widths))
        out.style = "Table Grid"
        out.alignment = WD_TABLE_ALIGNMENT.LEFT
        out.autofit = False
        start = 0
        if header:
            repeat_header(out.rows[0])
            for i, value in enumerate(header):
                write_cell(out.rows[0].cells[i], value, bold=True, size=size)
                shade(out.rows[0].cells[i], "E6EBF0")
            start = 1
        for r, values in enumerate(rows, start=start):
            for i, value in enumerate(values):
                write_cell(out.rows[r].cells[i], value, bold=first_bold and i == 0, size=size)
        for i, fraction in enumerate(widths):
            out.columns[i].width = Cm(TEXT_WIDTH_CM * fraction)  # the grid, which LibreOffice reads
            for row in out.rows:
                row.cells[i].width = Cm(TEXT_WIDTH_CM * fraction)  # each cell, which Word reads

    for block in doc.blocks(roadmap, lang):
        if isinstance(block, doc.Heading):
            document.add_heading(x(block.text), level=min(block.level, 3))
        elif isinstance(block, doc.Para):
            paragraph = document.add_paragraph()
            if block.label:
                paragraph.add_run(x(block.label) + doc.colon(lang) + " ").bold = True
            run = paragraph.add_run(x(block.text))
            if block.style == "label":
                run.bold = True
                paragraph.paragraph_format.keep_with_next = True
            elif block.style in ("muted", "caption"):
                run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
                if block.style == "caption":
                    run.font.size = Pt(8.5)
            elif block.style == "warning":
                run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)
        elif isinstance(block, doc.Bullets):
            for item in block.items:
                paragraph = document.add_paragraph(x(item), style="List Bullet")
                if block.style == "warning":
                    for run in paragraph.runs:
                        run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)
        elif isinstance(block, doc.Fields):
            table((0.28, 0.72), list(block.rows), None, 8 if block.style == "annex" else 9, first_bold=True)
            document.add_paragraph()
        elif isinstance(block, doc.Table):
            table(block.widths, list(block.rows), block.header)
        elif isinstance(block, doc.CardDetail):
            title = document.add_paragraph()
            title.add_run(x(block.title)).bold = True
            title.paragraph_format.keep_with_next = True
            title.paragraph_format.space_before = Pt(5)
            title.paragraph_format.space_after = Pt(1)
            for key, value in block.lines:
                line = document.add_paragraph()
                line.paragraph_format.left_indent = Cm(0.4)
                line.paragraph_format.space_after = Pt(0)
                lead = line.add_run(x(key) + doc.colon(lang) + " ")
                lead.bold = True
                lead.font.size = Pt(9)
                line.add_run(x(value)).font.size = Pt(9)
        elif isinstance(block, doc.Picture):
            data, _ = render_png(block.data, lang)
            document.add_picture(io.BytesIO(data), width=Cm(TEXT_WIDTH_CM))
            caption = document.add_paragraph()
            run = caption.add_run(x(block.caption))
            run.font.size = Pt(8.5)
            run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
        elif isinstance(block, doc.PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
