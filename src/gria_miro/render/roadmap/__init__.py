"""Pure renderers of a :class:`~gria_miro.pull.roadmap.Roadmap`: Markdown, JSON, CSV, HTML, and the office
documents ODT, DOCX and PDF.

:func:`render_roadmap` is the one entry point for text (a format name in, the document's text out),
:func:`render_document` for the binary documents (bytes out).
"""

from __future__ import annotations

from typing import Literal

from gria_miro.pull.roadmap import Roadmap

Format = Literal["md", "json", "csv", "html", "odt", "docx", "pdf"]
#: The formats ``pull`` and ``export`` accept, with the file extension each one writes.
FORMATS: dict[str, str] = {
    "md": ".md",
    "json": ".json",
    "csv": ".csv",
    "html": ".html",
    "odt": ".odt",
    "docx": ".docx",
    "pdf": ".pdf",
}
#: The formats written as bytes (to a file, never to the terminal).
BINARY_FORMATS = frozenset({"odt", "docx", "pdf"})


def render_roadmap(roadmap: Roadmap, fmt: str, lang: str = "fr", *, csv_delimiter: str | None = None) -> str:
    """The roadmap as text in ``fmt`` (one of :data:`FORMATS`), labels in ``lang`` (``fr`` or ``en``).

    CSV cells are separated by ``csv_delimiter``, by default as spreadsheets of the language expect:
    ``;`` (and decimal commas) in French, ``,`` in English.
    """
    from gria_miro.render.roadmap.labels import Lang

    language: Lang = "en" if lang == "en" else "fr"
    if fmt == "md":  # Markdown, the default: readable and pasteable
        from gria_miro.render.roadmap.markdown import render_markdown

        return render_markdown(roadmap, language)
    if fmt == "json":  # the documented structure, language-independent
        from gria_miro.render.roadmap.json_doc import render_json

        return render_json(roadmap)
    if fmt == "csv":  # one row per placed card, for spreadsheets
        from gria_miro.render.roadmap.csv_table import render_csv

        return render_csv(roadmap, language, csv_delimiter or (";" if language == "fr" else ","))
    if fmt == "html":  # a printable page
        from gria_miro.render.roadmap.html_page import render_html

        return render_html(roadmap, language)
    raise ValueError(f"unknown roadmap format {fmt!r}")


def render_document(roadmap: Roadmap, fmt: str, lang: str = "fr") -> bytes:
    """The roadmap as an office document in ``fmt`` (one of :data:`BINARY_FORMATS`)."""
    from gria_miro.render.roadmap.labels import Lang

    language: Lang = "en" if lang == "en" else "fr"
    if fmt == "odt":  # OpenDocument, the format French administrations are asked to use
        from gria_miro.render.roadmap.odt_doc import render_odt

        return render_odt(roadmap, language)
    if fmt == "docx":  # Word
        from gria_miro.render.roadmap.docx_doc import render_docx

        return render_docx(roadmap, language)
    if fmt == "pdf":  # to print or send as is
        from gria_miro.render.roadmap.pdf_doc import render_pdf

        return render_pdf(roadmap, language)
    raise ValueError(f"unknown document format {fmt!r}")
