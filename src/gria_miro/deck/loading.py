"""Reading and writing deck YAML files, and the one way in for any deck.

``load_deck`` takes a YAML file, a CSV file (read by :mod:`gria_miro.deck.csvio`) or a shipped
deck's name. Both formats are validated by :mod:`gria_miro.deck.validation`, so every problem
comes at once with file, line and column. ``deck_to_yaml`` writes a deck back as a readable,
commented YAML file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gria_miro.deck.csvio import load_deck_csv
from gria_miro.deck.model import Deck
from gria_miro.deck.scales import header_comment
from gria_miro.deck.validation import KIND, deck_from_data
from gria_miro.errors import InputFileError, Loc, Problem
from gria_miro.resources import DEFAULT_DECK, resolve
from gria_miro.sourcefile import YamlDocument, load_yaml, validation_problems

SCHEMA_MODELINE = "# yaml-language-server: $schema=./deck.schema.json"


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
        return load_deck_csv(path)
    return deck_from_document(load_yaml(path, KIND))


def locate(ref: str | Path | None, found: Iterable[tuple[Loc, str]]) -> list[Problem]:
    """Content warnings about the deck at ``ref`` as located problems (file:line:column in YAML)."""
    path = resolve(ref, "decks", DEFAULT_DECK)
    found = list(found)
    if not found:
        return []
    if path.suffix.lower() == ".csv":
        return [Problem(str(path), None, None, message) for _, message in found]
    doc = load_yaml(path, KIND)
    return [doc.problem(loc, message) for loc, message in found]


def deck_from_document(doc: YamlDocument) -> Deck:
    """Validate parsed YAML as a deck, collecting every problem before raising."""
    data = doc.data
    if not isinstance(data, dict):
        raise InputFileError(KIND, doc.path, [doc.problem((), "le deck doit être un objet (title, themes, cards…)")])
    return deck_from_data(data, _YamlLocator(doc))


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
