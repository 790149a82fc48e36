"""The bundled font: licence shipped, French typography covered, every character of the shipped decks drawable."""

from __future__ import annotations

from gria_miro.deck.loading import load_deck
from gria_miro.layout.loading import load_layout
from gria_miro.paper.fonts import BOLD, FILES, LICENCE, REGULAR, missing_characters
from gria_miro.resources import shipped_names

FRENCH = "œŒæ€àâçéèêëîïôûùüÿÀÉÈÊÇ«»’…—–·\u202f\u00a0"


def test_font_files_are_small_and_licensed() -> None:
    assert "SIL Open Font License" in LICENCE.read_text(encoding="utf-8")
    for path in FILES.values():
        assert path.stat().st_size < 100_000


def test_french_typography_is_covered() -> None:
    assert missing_characters(FRENCH, REGULAR) == set()
    assert missing_characters(FRENCH, BOLD) == set()


def test_a_character_outside_the_font_is_reported() -> None:
    assert missing_characters("abc 漢", REGULAR) == {"漢"}


def test_every_character_of_the_shipped_decks_and_layouts_exists_in_the_font() -> None:
    texts: list[str] = []
    for name in shipped_names("decks"):
        deck = load_deck(name)
        texts += [deck.title, *(t.label for t in deck.themes)]
        for card in deck.cards:
            texts += [card.code, card.title, card.description, card.gains.text, card.impact.text]
            texts += [ref.title for ref in card.ressources]
    for name in shipped_names("layouts"):
        layout = load_layout(name)
        texts += [layout.title, *(zone.label for zone in layout.zones)]
    joined = "".join(texts)
    assert len(joined) > 10_000
    assert missing_characters(joined, REGULAR) == set()
    assert missing_characters(joined, BOLD) == set()
