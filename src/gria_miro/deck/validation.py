"""Validating a parsed deck file (YAML or CSV) as a :class:`Deck`, collecting every problem at once.

The file's reader hands over plain data plus a :class:`Locator` that turns a value's path
(``("cards", 3, "cost")``) into a located :class:`Problem`; this module never opens a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from pydantic import ValidationError

from gria_miro.deck.model import Card, Deck, DeckInfo, Theme, check_deck
from gria_miro.errors import InputFileError, Loc, Problem

KIND = "deck"


class Locator(Protocol):
    """Where a value of the parsed file came from, to locate problems about it."""

    @property
    def path(self) -> str: ...

    def problem(self, loc: Iterable[str | int], message: str) -> Problem:
        """A problem about the value at ``loc``."""
        ...

    def validation_problems(self, exc: ValidationError, prefix: Loc) -> list[Problem]:
        """Located problems for every error pydantic found in the value at ``prefix``."""
        ...


def deck_from_data(data: dict[str, Any], locator: Locator) -> Deck:
    """Validate plain data as a deck; ``locator`` locates each problem in the source file."""
    problems: list[Problem] = []
    # Validate everything but the card list first, then each card alone, so one bad card
    # does not hide the others, and deck-wide rules still run on the valid ones.
    head = {k: v for k, v in data.items() if k not in ("cards", "themes")}
    try:
        DeckInfo.model_validate(head)
    except ValidationError as exc:
        problems += locator.validation_problems(exc, ())
    themes: list[Theme] = []
    raw_themes = data.get("themes")
    if raw_themes is None:
        problems.append(locator.problem((), "champ obligatoire manquant : « themes »"))
    elif not isinstance(raw_themes, list):
        problems.append(locator.problem(("themes",), "themes : liste attendue"))
    else:
        if not raw_themes:
            problems.append(locator.problem(("themes",), "themes : au moins un thème attendu"))
        for i, raw in enumerate(raw_themes):
            try:
                themes.append(Theme.model_validate(raw))
            except ValidationError as exc:
                problems += locator.validation_problems(exc, ("themes", i))
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    # A theme with a bad colour is still declared: its cards are not "unknown theme" too.
                    themes.append(Theme.model_construct(id=raw["id"], label="", color=""))
    cards: list[tuple[int, Card]] = []
    raw_cards = data.get("cards")
    if raw_cards is None:
        problems.append(locator.problem((), "champ obligatoire manquant : « cards »"))
    elif not isinstance(raw_cards, list):
        problems.append(locator.problem(("cards",), "cards : liste attendue"))
    else:
        for i, raw in enumerate(raw_cards):
            try:
                cards.append((i, Card.model_validate(raw)))
            except ValidationError as exc:
                problems += locator.validation_problems(exc, ("cards", i))
                partial = _partial_card(raw)
                if partial is not None:
                    cards.append((i, partial))
        if isinstance(raw_themes, list):
            problems += [locator.problem(loc, message) for loc, message in check_deck(themes, cards)]
    if problems:
        raise InputFileError(KIND, locator.path, problems)
    return Deck.model_validate({**data, "themes": themes, "cards": [c for _, c in cards]})


def _partial_card(raw: Any) -> Card | None:
    """An invalid card's identity fields, so deck-wide rules (duplicate code, unknown theme,
    dangling prerequisite) are still reported for it in the same run."""
    if not isinstance(raw, dict):
        return None
    code, theme, prereqs = raw.get("code"), raw.get("theme"), raw.get("prerequisites", [])
    if not (isinstance(code, str) and isinstance(theme, str) and isinstance(prereqs, list | tuple)):
        return None
    if not all(isinstance(p, str) for p in prereqs):
        return None
    fields: dict[str, Any] = {"code": code, "theme": theme, "prerequisites": tuple(prereqs)}
    return Card.model_construct(**fields)
