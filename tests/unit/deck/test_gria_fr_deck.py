"""Invariants of the shipped French deck ``decks/gria-fr.yaml``: content, balance and file header."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from gria_miro.deck.loading import load_deck
from gria_miro.deck.model import Deck
from gria_miro.deck.scales import COST, DIFFICULTY, DURATION, Kind, header_comment

ROOT = Path(__file__).resolve().parents[3]
DECK_PATH = ROOT / "decks" / "gria-fr.yaml"
MODELINE = "# yaml-language-server: $schema=./deck.schema.json\n"


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_deck(DECK_PATH)


def test_loads_by_relative_path_and_by_name(deck: Deck, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert load_deck("decks/gria-fr.yaml") == deck
    assert load_deck("gria-fr") == deck
    assert load_deck() == deck, "the French deck is the default deck"


def test_has_at_least_80_cards(deck: Deck) -> None:
    assert len(deck.cards) >= 80


def test_metadata(deck: Deck) -> None:
    assert deck.language == "fr"
    assert re.fullmatch(r"CC (BY|BY-SA|0) \d\.\d", deck.licence), deck.licence
    assert deck.authors, "the deck names its authors"


def test_every_theme_has_at_least_three_cards(deck: Deck) -> None:
    per_theme = Counter(card.theme for card in deck.cards)
    thin = {theme.id: per_theme[theme.id] for theme in deck.themes if per_theme[theme.id] < 3}
    assert not thin


def test_themes_have_distinct_colours_and_one_code_prefix_each(deck: Deck) -> None:
    colours = [theme.color.lower() for theme in deck.themes]
    assert len(set(colours)) == len(colours)
    prefixes: dict[str, set[str]] = {}
    for card in deck.cards:
        prefixes.setdefault(card.theme, set()).add(card.code.split("-")[0])
    assert all(len(p) == 1 for p in prefixes.values()), prefixes
    all_prefixes = [next(iter(p)) for p in prefixes.values()]
    assert len(set(all_prefixes)) == len(all_prefixes)


def test_both_kinds_each_at_least_a_quarter(deck: Deck) -> None:
    kinds = Counter(card.kind for card in deck.cards)
    for kind in Kind:
        assert kinds[kind] >= len(deck.cards) / 4, (kind, kinds[kind])


def test_every_level_of_every_scale_is_used(deck: Deck) -> None:
    assert {c.difficulty for c in deck.cards} == set(DIFFICULTY.values)
    assert {c.cost.level for c in deck.cards} == set(COST.values)
    assert {c.duration.level for c in deck.cards} == set(DURATION.values)


def test_impacts_are_both_negative_and_positive(deck: Deck) -> None:
    scores = {card.impact.score for card in deck.cards}
    assert any(s < 0 for s in scores)
    assert any(s > 0 for s in scores)


def test_no_dangling_prerequisite(deck: Deck) -> None:
    codes = {card.code for card in deck.cards}
    dangling = {(card.code, p) for card in deck.cards for p in card.prerequisites if p not in codes}
    assert not dangling


def test_prerequisites_form_no_cycle(deck: Deck) -> None:
    # Kahn's algorithm: every card can be scheduled after its prerequisites.
    remaining = {card.code: set(card.prerequisites) for card in deck.cards}
    while True:
        ready = [code for code, prereqs in remaining.items() if not prereqs]
        if not ready:
            break
        for code in ready:
            del remaining[code]
        for prereqs in remaining.values():
            prereqs.difference_update(ready)
    assert not remaining


def test_titles_and_descriptions_are_unique(deck: Deck) -> None:
    titles = Counter(card.title.casefold() for card in deck.cards)
    descriptions = Counter(card.description.casefold() for card in deck.cards)
    assert [t for t, n in titles.items() if n > 1] == []
    assert [d for d, n in descriptions.items() if n > 1] == []


def test_every_card_is_fully_filled(deck: Deck) -> None:
    for card in deck.cards:
        assert card.gains.text and card.impact.text and card.tags, card.code


def test_file_starts_with_modeline_then_scales_header() -> None:
    text = DECK_PATH.read_text(encoding="utf-8")
    assert text.startswith(MODELINE + header_comment())
