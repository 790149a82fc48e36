"""The content lint of a deck: what a valid deck may still get wrong for the people who read it.

``deck validate`` shows these as warnings (``--strict`` makes them errors). Pure: a deck in,
``(path, message)`` pairs out, the path pointing at the value to fix (``("cards", 3, "impact")``)
so the CLI can give its file:line:column. One rule per function, listed in :data:`RULES`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from gria_miro.deck.model import Card, Deck
from gria_miro.errors import Loc
from gria_miro.typography import typography_problems

Warning_ = tuple[Loc, str]

#: Prose fields of a card, checked for typography and wording (path under the card, value).
_PROSE: tuple[tuple[tuple[str, ...], Callable[[Card], str]], ...] = (
    (("title",), lambda c: c.title),
    (("description",), lambda c: c.description),
    (("gains", "text"), lambda c: c.gains.text),
    (("impact", "text"), lambda c: c.impact.text),
)

#: Wording a French cultural institution should not read on a card: (pattern, advice).
_WORDING: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bAI Act\b"), "écrire « règlement européen sur l'IA (RIA) », le nom employé en France"),
    (re.compile(r"\b0 à 0\b|\(0 à 0 ?€\)"), "coût nul : écrire « gratuit », pas « 0 à 0 € »"),
    (re.compile(r"\b0 à 1 jours?\b"), "écrire « moins d'une journée » ou « jusqu'à 1 jour »"),
    (re.compile(r"http://"), "adresse en http:// : donner l'adresse https:// (ou la mettre dans ressources)"),
)

_FREE = re.compile(r"\bgratuit", re.IGNORECASE)


def _cards(deck: Deck) -> Iterator[tuple[int, Card]]:
    return iter(enumerate(deck.cards))


def typography(deck: Deck) -> Iterator[Warning_]:
    """What the typography pass cannot fix (straight double quotes, ``...``, doubled spaces)."""
    for i, card in _cards(deck):
        for path, value in _PROSE:
            for advice in typography_problems(value(card)):
                yield ("cards", i, *path), f"{card.code} : typographie, {advice}"
        for r, resource in enumerate(card.ressources):
            for advice in typography_problems(resource.title):
                yield ("cards", i, "ressources", r, "title"), f"{card.code} : typographie, {advice}"


def wording(deck: Deck) -> Iterator[Warning_]:
    """Legal names, free-cost and unit wording, and addresses that should be https."""
    for i, card in _cards(deck):
        for path, value in _PROSE:
            for pattern, advice in _WORDING:
                if pattern.search(value(card)):
                    yield ("cards", i, *path), f"{card.code} : {advice}"


def free_cost(deck: Deck) -> Iterator[Warning_]:
    """A card that calls itself free must cost nothing (and the other way round, said plainly)."""
    for i, card in _cards(deck):
        says_free = any(_FREE.search(value(card)) for _, value in _PROSE)
        if says_free and card.cost.eur_min > 0:
            yield (
                ("cards", i, "cost"),
                f"{card.code} : la carte se dit gratuite mais son coût commence à {card.cost.eur_min} €",
            )


def impact_reason(deck: Deck) -> Iterator[Warning_]:
    """Players must see whether a score weighs on the planet or on people."""
    for i, card in _cards(deck):
        if card.impact.dimension is None:
            yield (
                ("cards", i, "impact"),
                f"{card.code} : dire ce que pèse l'impact (impact.dimension : environnement, personnes ou les-deux)",
            )


def themes_present(deck: Deck) -> Iterator[Warning_]:
    """Every declared theme has cards (a short deck must still cover every theme)."""
    used = {card.theme for card in deck.cards}
    for t, theme in enumerate(deck.themes):
        if theme.id not in used:
            yield ("themes", t), f"thème « {theme.label} » ({theme.id}) sans aucune carte"


RULES: tuple[Callable[[Deck], Iterator[Warning_]], ...] = (
    typography,  # what the render-time typography cannot fix
    wording,  # legal names, free costs, units, http addresses
    free_cost,  # "gratuit" only for cards that cost nothing
    impact_reason,  # environmental or human impact, said on the card
    themes_present,  # no declared theme left without cards
)


def lint_deck(deck: Deck) -> list[Warning_]:
    """Every content warning about ``deck``, in rule order then card order."""
    return [warning for rule in RULES for warning in rule(deck)]
