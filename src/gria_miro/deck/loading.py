"""Loading a deck from YAML: every problem at once, each with file, line and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gria_miro.deck.model import Card, Deck, DeckInfo, Theme, check_deck
from gria_miro.errors import InputFileError, Problem
from gria_miro.resources import DEFAULT_DECK, resolve
from gria_miro.sourcefile import YamlDocument, load_yaml, validation_problems

KIND = "deck"


def load_deck(ref: str | Path | None = None) -> Deck:
    """The deck at ``ref`` (a path or a shipped deck's name; default: the French deck)."""
    path = resolve(ref, "decks", DEFAULT_DECK)
    return deck_from_document(load_yaml(path, KIND))


def deck_from_document(doc: YamlDocument) -> Deck:
    """Validate parsed YAML as a deck, collecting every problem before raising."""
    data = doc.data
    if not isinstance(data, dict):
        raise InputFileError(KIND, doc.path, [doc.problem((), "le deck doit être un objet (title, themes, cards…)")])
    return deck_from_data(data, doc)


def deck_from_data(data: dict[str, Any], doc: YamlDocument) -> Deck:
    problems: list[Problem] = []
    # Validate everything but the card list first, then each card alone, so one bad card
    # does not hide the others, and deck-wide rules still run on the valid ones.
    head = {k: v for k, v in data.items() if k not in ("cards", "themes")}
    try:
        DeckInfo.model_validate(head)
    except ValidationError as exc:
        problems += validation_problems(doc, exc)
    themes: list[Theme] = []
    raw_themes = data.get("themes")
    if raw_themes is None:
        problems.append(doc.problem((), "champ obligatoire manquant : « themes »"))
    elif not isinstance(raw_themes, list):
        problems.append(doc.problem(("themes",), "themes : liste attendue"))
    else:
        if not raw_themes:
            problems.append(doc.problem(("themes",), "themes : au moins un thème attendu"))
        for i, raw in enumerate(raw_themes):
            try:
                themes.append(Theme.model_validate(raw))
            except ValidationError as exc:
                problems += validation_problems(doc, exc, ("themes", i))
    cards: list[tuple[int, Card]] = []
    raw_cards = data.get("cards")
    if raw_cards is None:
        problems.append(doc.problem((), "champ obligatoire manquant : « cards »"))
    elif not isinstance(raw_cards, list):
        problems.append(doc.problem(("cards",), "cards : liste attendue"))
    else:
        for i, raw in enumerate(raw_cards):
            try:
                cards.append((i, Card.model_validate(raw)))
            except ValidationError as exc:
                problems += validation_problems(doc, exc, ("cards", i))
                partial = _partial_card(raw)
                if partial is not None:
                    cards.append((i, partial))
        if isinstance(raw_themes, list):
            problems += [doc.problem(loc, message) for loc, message in check_deck(themes, cards)]
    if problems:
        raise InputFileError(KIND, doc.path, problems)
    return Deck.model_validate({**data, "themes": themes, "cards": [c for _, c in cards]})


def _partial_card(raw: Any) -> Card | None:
    """An invalid card's identity fields, so deck-wide rules (duplicate code, unknown theme,
    dangling prerequisite) are still reported for it in the same run."""
    if not isinstance(raw, dict):
        return None
    code, theme, prereqs = raw.get("code"), raw.get("theme"), raw.get("prerequisites", [])
    if not (isinstance(code, str) and isinstance(theme, str) and isinstance(prereqs, list)):
        return None
    if not all(isinstance(p, str) for p in prereqs):
        return None
    fields: dict[str, Any] = {"code": code, "theme": theme, "prerequisites": tuple(prereqs)}
    return Card.model_construct(**fields)
