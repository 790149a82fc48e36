"""The board poster (one sheet or A4 tiles) and the blank carnet, read back from their PDFs."""

from __future__ import annotations

import pytest

from gria_miro.deck.loading import load_deck
from gria_miro.deck.model import Deck
from gria_miro.layout.loading import load_layout
from gria_miro.layout.model import Layout, StageZone
from gria_miro.paper.board import OVERLAP, TILE_MARGIN, poster_size, render_board, tile_grid
from gria_miro.paper.carnet import render_carnet
from tests.unit.render.pdfread import MM, embedded_fonts, reader


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_deck("gria-fr")


@pytest.fixture(scope="module")
def layout() -> Layout:
    return load_layout("randonnee")


def _stages(layout: Layout) -> list[StageZone]:
    return [z for z in layout.zones if isinstance(z, StageZone)]


def _fits_a1(layout: Layout) -> Layout:
    """The layout with stages of 8 slots in 2 columns: what one A1 sheet holds at 100 %.

    The shipped randonnee gives its stages more room on Miro (up to 20 slots in 4 columns); on A1
    its poster is scaled down and says so (see the A3 test), or printed at 100 % on A4 tiles.
    """
    zones = tuple(
        z.model_copy(update={"slots": 8, "columns": 2}) if isinstance(z, StageZone) else z for z in layout.zones
    )
    return layout.model_copy(update={"zones": zones})


def test_a1_poster_is_one_landscape_sheet_at_full_scale(deck: Deck, layout: Layout) -> None:
    layout = _fits_a1(layout)
    data = render_board(deck, layout, "a1")
    pdf = reader(data)
    assert len(pdf.pages) == 1
    page = pdf.pages[0]
    assert (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)) == (841, 594)
    text = page.extract_text()
    for number, stage in enumerate(_stages(layout), start=1):
        assert f"Étape {number} · {stage.label}" in text
    assert text.count("carte") >= sum(s.slots for s in _stages(layout))  # one empty slot per card the stage holds
    assert "échelle 100 %" in text and "63 × 88 mm" in text
    assert "AtkinsonHyperlegibleNext-Bold" in embedded_fonts(data)


def test_a3_poster_says_its_slots_are_smaller_than_the_cards(deck: Deck, layout: Layout) -> None:
    text = reader(render_board(deck, layout, "a3")).pages[0].extract_text()
    assert "emplacements plus petits que les cartes" in text and "échelle 100 %" not in text


def test_a4_tiles_cover_the_poster_with_overlaps_and_say_where_they_go(deck: Deck, layout: Layout) -> None:
    size = poster_size(layout)
    columns, rows = tile_grid(size)
    usable_w, usable_h = (210 - 2 * TILE_MARGIN) * MM, (297 - 2 * TILE_MARGIN) * MM
    step_w, step_h = usable_w - OVERLAP * MM, usable_h - OVERLAP * MM
    assert (columns - 1) * step_w + usable_w >= size.width and (columns - 2) * step_w + usable_w < size.width
    assert (rows - 1) * step_h + usable_h >= size.height
    pdf = reader(render_board(deck, layout, "a4"))
    assert len(pdf.pages) == columns * rows
    labels = [page.extract_text() for page in pdf.pages]
    assert "Tuile A1" in labels[0] and "Tuile B1" in labels[1] and "Tuile A2" in labels[columns]
    assert all("recouvrement 10 mm" in text for text in labels)
    for page in pdf.pages:
        assert (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)) == (210, 297)


def test_slots_are_the_size_of_the_printed_cards(layout: Layout) -> None:
    from gria_miro.paper.board import _stage_size
    from gria_miro.paper.sheet import CARD_HEIGHT, CARD_WIDTH

    stage = _stages(layout)[0]
    width, _ = _stage_size(stage)
    assert width > 2 * CARD_WIDTH and CARD_WIDTH / CARD_HEIGHT == pytest.approx(88 / 63)


def test_the_shipped_board_fits_a1_at_full_scale_with_ten_slots_a_stage(deck: Deck, layout: Layout) -> None:
    text = reader(render_board(deck, layout, "a1")).pages[0].extract_text()
    assert "échelle 100 %" in text
    assert text.count("carte") >= sum(min(s.slots, 10) for s in _stages(layout))


def test_carnet_has_the_layouts_stages_cordee_and_next_meeting(deck: Deck, layout: Layout) -> None:
    data = render_carnet(layout, deck.title)
    pdf = reader(data)
    # A short booklet: a few fixed pages, plus about one page per eight card slots of the stages.
    assert 4 <= len(pdf.pages) <= 4 + sum(s.slots for s in _stages(layout)) // 8
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Carnet de suivi" in text and layout.title in text
    for number, stage in enumerate(_stages(layout), start=1):
        assert f"Étape {number} · {stage.label}" in text
    for heading in ("Responsable", "Échéance", "Prochain rendez-vous", "Ordre du jour", "Institution", "Animation"):
        assert heading in text
    assert "Qui vient" in text and "Qui porte quoi" in text  # the cordée's questions, from the layout
    assert "AtkinsonHyperlegibleNext-Regular" in embedded_fonts(data)
