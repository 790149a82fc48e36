"""Printed cards: pages, text, embedded font, crop marks where the cuts are, backs behind their fronts."""

from __future__ import annotations

import pytest

from gria_miro.deck.loading import load_deck
from gria_miro.deck.model import Deck
from gria_miro.paper import sheet as S
from gria_miro.paper.cards import render_cards, select_cards
from tests.unit.render.pdfread import MM, embedded_fonts, reader, segments, text_positions


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_deck("gria-fr")


@pytest.fixture(scope="module")
def all_cards(deck: Deck) -> bytes:
    return render_cards(deck, deck.sorted_cards(), backs=True)


def test_every_card_front_and_back_on_a4_sheets_of_eight(deck: Deck, all_cards: bytes) -> None:
    pdf = reader(all_cards)
    sheets = -(-len(deck.cards) // 8)
    assert len(pdf.pages) == 2 * sheets
    for page in pdf.pages:
        assert (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)) == (210, 297)
    text = "\n".join(page.extract_text() for page in pdf.pages).replace("\u2019", "'")  # typographic apostrophes
    for card in deck.cards:
        assert card.code in text
        assert card.title.split()[0] in text


def test_front_shows_the_card_and_its_four_scales(deck: Deck) -> None:
    card = deck.card("GOV-01")
    text = reader(render_cards(deck, [card])).pages[0].extract_text()
    for expected in (card.code, card.title, deck.theme(card.theme).label, "Difficulté", "Coût", "Travail", "Impact"):
        assert expected in text
    assert f"{card.difficulty}/4" in text
    assert "Action formelle" in text


def test_the_bundled_font_is_embedded(all_cards: bytes) -> None:
    assert {"AtkinsonHyperlegibleNext-Regular", "AtkinsonHyperlegibleNext-Bold"} <= embedded_fonts(all_cards)


def test_crop_marks_extend_every_cut_outside_the_bleed(all_cards: bytes) -> None:
    marks = [s for s in segments(all_cards, 0) if s.x1 == s.x2 or s.y1 == s.y2]
    vertical = {round(s.x1 / MM, 1) for s in marks if s.x1 == s.x2}
    horizontal = {round(s.y1 / MM, 1) for s in marks if s.y1 == s.y2}
    # 2 columns of 88 mm cards, 6 mm apart (two 3 mm bleeds), centred on 210 mm: cuts at 14, 102, 108, 196 mm
    assert vertical == {14.0, 102.0, 108.0, 196.0}
    # 4 rows of 63 mm, 6 mm apart, centred on 297 mm: first cut 13.5 mm from the bottom
    assert horizontal == {13.5, 76.5, 82.5, 145.5, 151.5, 214.5, 220.5, 283.5}
    bleed_boxes = [S.trim_box(i).grown(S.BLEED) for i in range(S.PER_SHEET)]
    for mark in marks:
        for box in bleed_boxes:  # no mark reaches into a card or its bleed
            inside_x = box.x < max(mark.x1, mark.x2) and min(mark.x1, mark.x2) < box.right
            inside_y = box.y < max(mark.y1, mark.y2) and min(mark.y1, mark.y2) < box.top
            assert not (inside_x and inside_y)
        assert 4 * MM < min(mark.x1, mark.x2, mark.y1, mark.y2)  # inside what a home printer prints


def test_each_back_is_behind_its_front_for_a_long_edge_flip(deck: Deck) -> None:
    chosen = deck.sorted_cards()[:2]
    data = render_cards(deck, chosen, backs=True)
    front = {text: x for text, x, _ in text_positions(data, 0) if text in (chosen[0].code, chosen[1].code)}
    back = {text.split("·")[-1].strip(): x for text, x, _ in text_positions(data, 1) if "GR:IA" in text}
    assert front[chosen[0].code] < front[chosen[1].code]  # left, right on the front
    assert back[chosen[0].code] > back[chosen[1].code]  # right, left on the back
    width = S.A4[0]
    # mirrored: a front card's left edge + the back card's right edge = the page width
    assert S.trim_box(0).x + S.trim_box(0, back=True).right == pytest.approx(width)


def test_partial_reprint_by_theme_and_codes(deck: Deck) -> None:
    theme = deck.themes[1].id
    chosen = select_cards(deck, [theme], ["GOV-01"])
    assert {c.code for c in chosen} == {c.code for c in deck.cards if c.theme == theme} | {"GOV-01"}
    assert select_cards(deck) == deck.sorted_cards()
    with pytest.raises(KeyError):
        select_cards(deck, ["nope"])
    with pytest.raises(KeyError):
        select_cards(deck, codes=["XX-99"])
    assert len(reader(render_cards(deck, chosen)).pages) == -(-len(chosen) // 8)


def test_back_carries_description_prerequisites_and_references(deck: Deck) -> None:
    data = deck.model_dump(mode="json")
    card = next(c for c in data["cards"] if c["prerequisites"])
    card["ressources"] = [
        {"title": "CNIL : IA et données personnelles", "url": "https://www.cnil.fr/fr/intelligence-artificielle"}
    ]
    changed = Deck.model_validate(data)
    printed = changed.card(card["code"])
    text = reader(render_cards(changed, [printed], backs=True)).pages[1].extract_text()
    flat = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'").split())
    assert " ".join(printed.description.split())[:40] in flat
    assert f"Prérequis : {printed.prerequisites[0]}" in flat
    assert "Ressource : CNIL : IA et données personnelles" in flat
