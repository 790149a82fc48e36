"""Roadmap documents (PDF, ODT, DOCX), read back through their own libraries: title block, order, tables, pictures."""

from __future__ import annotations

import io
import zipfile

import pytest

from gria_miro.render.roadmap import BINARY_FORMATS, FORMATS, render_document
from gria_miro.render.roadmap import document as doc
from gria_miro.render.roadmap.timeline import caption, scene, timeline
from tests.unit.render.pdfread import embedded_fonts, reader
from tests.unit.render.roadmaps import LAYOUT_TITLE, SESSION, roadmap, team

NBSP = "\u00a0"


def _flat(text: str) -> str:
    """Text with every kind of space as an ordinary one and straight apostrophes (typography changes both)."""
    return " ".join(text.replace(NBSP, " ").replace("\u202f", " ").replace("\u2019", "'").split())


@pytest.fixture(scope="module")
def pdf_text() -> str:
    data = render_document(roadmap(), "pdf")
    assert {"AtkinsonHyperlegibleNext-Regular", "AtkinsonHyperlegibleNext-Bold"} <= embedded_fonts(data)
    return _flat("\n".join(page.extract_text() for page in reader(data).pages))


def test_the_formats_are_offered() -> None:
    assert {"odt", "docx", "pdf"} == BINARY_FORMATS
    assert BINARY_FORMATS <= set(FORMATS)


def test_pdf_has_the_title_block_then_the_bilan_then_the_stages(pdf_text: str) -> None:
    for value in (SESSION.institution, SESSION.session, "12/03/2026", SESSION.facilitator, LAYOUT_TITLE):
        assert value is not None and _flat(value) in pdf_text
    assert "randonnee" not in pdf_text  # the layout as the board names it, not its file id
    bilan, stage_1 = pdf_text.index("Bilan"), pdf_text.index("Étape 1 · Préparer le sac")
    assert bilan < stage_1 < pdf_text.index("Étape 2 · Le départ")
    assert "Équipe · Équipe A" not in pdf_text


def test_pdf_gives_each_card_its_description_owner_due_date_and_notes(pdf_text: str) -> None:
    first = roadmap().teams[0].stages[0].cards[0]
    assert first.description is not None and _flat(first.description)[:60] in pdf_text
    assert "Camille Martin" in pdf_text and "15/04/2026" in pdf_text and "Voir avec la DSI" in pdf_text
    assert pdf_text.count("Calendrier indicatif") == 2  # the heading, and the caption that says so
    assert "à partir des échéances notées par l'équipe" in pdf_text
    assert "Annexe" in pdf_text and "Hors-piste" in pdf_text and "Trop coûteux cette année" in pdf_text


def test_odt_outline_tables_and_picture() -> None:
    from odf import opendocument
    from odf.table import Table, TableColumn, TableRow
    from odf.text import H

    data = render_document(roadmap(), "odt")
    document = opendocument.load(io.BytesIO(data))
    headings = [(int(h.getAttribute("outlinelevel")), _flat(str(h))) for h in document.getElementsByType(H)]
    assert headings[0] == (1, "Feuille de route · Atelier GR:IA · musée")
    titles = [text for _, text in headings]
    assert titles.index("Bilan") < titles.index("Étape 1 · Préparer le sac")
    assert "La cordée" in titles and "Calendrier indicatif" in titles
    tables = document.getElementsByType(Table)
    assert all(len(table.getElementsByType(TableColumn)) <= 5 for table in tables)
    title_block = _flat(str(tables[0]))
    for value in (SESSION.institution, SESSION.session, SESSION.facilitator, LAYOUT_TITLE):
        assert value is not None and _flat(value) in title_block
    stage_table = next(t for t in tables if "Difficulté" in str(t.getElementsByType(TableRow)[0]))
    assert len(stage_table.getElementsByType(TableRow)) == 1 + 2  # header + the stage's two cards
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pictures = [name for name in archive.namelist() if name.startswith("Pictures/")]
        assert len(pictures) == 1 and archive.read(pictures[0]).startswith(b"\x89PNG")
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"


def test_docx_headings_tables_title_block_and_picture() -> None:
    from docx import Document

    document = Document(io.BytesIO(render_document(roadmap(), "docx")))
    headings = [(p.style.name, _flat(p.text)) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Feuille de route · Atelier GR:IA · musée")
    titles = [text for _, text in headings]
    assert titles.index("Bilan") < titles.index("Étape 1 · Préparer le sac")
    assert all(len(table.columns) <= 5 for table in document.tables)
    first = {_flat(row.cells[0].text): _flat(row.cells[1].text) for row in document.tables[0].rows}
    assert first["Institution"] == SESSION.institution and first["Animation"] == SESSION.facilitator
    assert first["Date"] == "12/03/2026" and first["Disposition"] == _flat(LAYOUT_TITLE)
    assert len(document.inline_shapes) == 1  # the timeline
    labels = [run.text for p in document.paragraphs for run in p.runs if run.bold]
    assert any(text.endswith(f"{NBSP}: ") for text in labels)  # French: a no-break space before the colon


def test_english_documents_use_english_words() -> None:
    from docx import Document

    document = Document(io.BytesIO(render_document(roadmap(), "docx", "en")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Roadmap · " in text and "Summary" in text and "Bilan" not in text


def test_cordee_is_two_lists_participants_and_roles() -> None:
    blocks = doc.cordee(team().participants, "fr")
    bullets = [b for b in blocks if isinstance(b, doc.Bullets)]
    assert bullets[0].items == ("Camille Martin", "Léo Dubois")
    assert bullets[1].items == ("cheffe de projet — Camille Martin",)


def test_team_heading_never_repeats_the_word_team() -> None:
    single = roadmap()
    assert doc.team_heading(single, single.teams[0], "fr") is None
    two = roadmap(team("Équipe A"), team("Les Conservateurs"))
    assert doc.team_heading(two, two.teams[0], "fr") == "Équipe A"
    assert doc.team_heading(two, two.teams[1], "fr") == "Équipe · Les Conservateurs"


def test_stage_tables_have_at_most_five_columns_and_fit_the_width() -> None:
    tables = [b for b in doc.blocks(roadmap(), "fr") if isinstance(b, doc.Table)]
    assert tables and all(len(t.header) <= 5 and sum(t.widths) == pytest.approx(1) for t in tables)


def test_timeline_uses_due_dates_and_says_it_is_indicative() -> None:
    data = timeline(team(dated=True))
    assert data.dated == 2 and data.cards == 3
    assert str(data.first) == "2026-04-15" and str(data.last) == "2026-06-30"
    assert "indicatif" in caption(data, "fr") and "2 carte(s) sur 3" in caption(data, "fr")
    undated = timeline(team(dated=False))
    assert undated.dated == 0 and "aucune échéance" in caption(undated, "fr")
    assert scene(undated, "fr").shapes  # still drawn: the stages in their order


def test_timeline_labels_are_never_cut_mid_word() -> None:
    from gria_miro.render.roadmap.timeline import Label

    long = team().model_copy(update={"stages": (team().stages[0].model_copy(update={"label": "Préparer " * 8}),)})
    labels = [s.text for s in scene(timeline(long), "fr").shapes if isinstance(s, Label) and s.bold]
    assert labels and all(text.endswith(("Préparer", "Préparer…")) for text in labels)
