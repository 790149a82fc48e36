"""Reading and writing deck files: every problem at once, each with file, line and column.

``load_deck`` is the one way in for a deck (a YAML file, a CSV file, or a shipped deck's
name). Validation is shared by both formats: the parsed file is handed over as plain data
plus a :class:`Locator` that turns a value's path (``("cards", 3, "cost")``) into a located
:class:`Problem`. ``deck_to_yaml`` writes a deck back as a readable, commented YAML file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import yaml
from pydantic import ValidationError

from gria_miro.deck.model import Card, Deck, DeckInfo, Theme, check_deck
from gria_miro.deck.scales import header_comment
from gria_miro.errors import InputFileError, Problem
from gria_miro.resources import DEFAULT_DECK, resolve
from gria_miro.sourcefile import YamlDocument, load_yaml, validation_problems

KIND = "deck"
SCHEMA_MODELINE = "# yaml-language-server: $schema=./deck.schema.json"

Loc = tuple[str | int, ...]


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


class _YamlLocator:
    """A :class:`Locator` over a parsed YAML document (its marks give line and column)."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc

    @property
    def path(self) -> str:
        return self.doc.path

    def problem(self, loc: Iterable[str | int], message: str) -> Problem:
        return self.doc.problem(loc, message)

    def validation_problems(self, exc: ValidationError, prefix: Loc) -> list[Problem]:
        return validation_problems(self.doc, exc, prefix)


def load_deck(ref: str | Path | None = None) -> Deck:
    """The deck at ``ref``: a ``.yaml``/``.yml`` or ``.csv`` path, or a shipped deck's name
    (default: the French deck). Raises :class:`InputFileError` listing every problem."""
    path = resolve(ref, "decks", DEFAULT_DECK)
    if path.suffix.lower() == ".csv":
        from gria_miro.deck.csvio import load_deck_csv

        return load_deck_csv(path)
    return deck_from_document(load_yaml(path, KIND))


def deck_from_document(doc: YamlDocument) -> Deck:
    """Validate parsed YAML as a deck, collecting every problem before raising."""
    data = doc.data
    if not isinstance(data, dict):
        raise InputFileError(KIND, doc.path, [doc.problem((), "le deck doit être un objet (title, themes, cards…)")])
    return deck_from_data(data, doc)


def deck_from_data(data: dict[str, Any], where: YamlDocument | Locator) -> Deck:
    """Validate plain data as a deck; ``where`` locates each problem in the source file."""
    locator: Locator = _YamlLocator(where) if isinstance(where, YamlDocument) else where
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


# --- writing ----------------------------------------------------------------------------------


class _DeckDumper(yaml.SafeDumper):
    """Block style for objects, flow style (``[a, b]``) for short lists of plain values."""


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flat = all(isinstance(v, str | int | float) for v in value) and sum(len(str(v)) for v in value) < 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None  # multi-line text stays readable as a literal block
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_DeckDumper.add_representer(list, _represent_list)
_DeckDumper.add_representer(str, _represent_str)

#: Card fields left out of the written file when empty (they default to empty).
_OPTIONAL_EMPTY = ("prerequisites", "tags")


def deck_to_yaml(deck: Deck) -> str:
    """The deck as a readable YAML file: schema modeline, scales comment, then the model's key
    order, one blank line between cards. ``load_deck`` reads it back to an equal :class:`Deck`."""
    data = deck.model_dump(mode="json")
    cards = data.pop("cards")
    if not data.get("authors"):
        data.pop("authors", None)

    def dump(value: Any) -> str:
        return yaml.dump(value, Dumper=_DeckDumper, sort_keys=False, allow_unicode=True, width=100)

    parts = [SCHEMA_MODELINE + "\n", header_comment(), "\n", dump(data), "\ncards:\n" if cards else "\ncards: []\n"]
    for card in cards:
        for key in _OPTIONAL_EMPTY:
            if not card.get(key):
                card.pop(key, None)
        parts.append("\n" + dump([card]))
    return "".join(parts)
