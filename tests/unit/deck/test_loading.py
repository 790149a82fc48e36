"""Loading deck files: every problem at once, located; and the YAML writer reads back equal."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from samples import sample

from gria_miro.deck.loading import SCHEMA_MODELINE, deck_to_yaml, load_deck
from gria_miro.deck.model import Card, Deck
from gria_miro.deck.scales import header_comment
from gria_miro.errors import InputFileError


def _write(tmp_path: Path, text: str, name: str = "deck.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputFileError) as caught:
        load_deck(path)
    return [str(p) for p in caught.value.problems]


def test_written_yaml_is_commented_ordered_and_reads_back_equal(tmp_path: Path) -> None:
    deck = Deck.model_validate(sample())
    text = deck_to_yaml(deck)
    assert text.startswith(SCHEMA_MODELINE + "\n" + header_comment())  # as the shipped deck
    keys = list(yaml.safe_load(text)["cards"][0])
    assert keys == [k for k in Card.model_fields if k in keys]
    assert "description: |-\n    Rassembler" in text  # multi-line text as a literal block
    assert "prerequisites" not in yaml.safe_load(text)["cards"][0]  # empty lists left out
    assert load_deck(_write(tmp_path, text)) == deck


def test_csv_path_is_loaded_as_csv(tmp_path: Path) -> None:
    from gria_miro.deck.csvio import deck_to_csv

    deck = Deck.model_validate(sample())
    path = tmp_path / "d.csv"
    path.write_text(deck_to_csv(deck), encoding="utf-8-sig")
    assert load_deck(str(path)) == deck


def test_every_problem_is_reported_with_line_and_column(tmp_path: Path) -> None:
    data = sample()
    data["cards"][0]["difficulty"] = 7
    data["cards"][0]["colour"] = "rouge"
    data["cards"][1]["theme"] = "inconnu"
    data["cards"][1]["prerequisites"] = ["XXX-99"]
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    lines = text.splitlines()
    path = _write(tmp_path, text)
    problems = _problems(path)

    def line_of(fragment: str, start: int = 0) -> int:
        return next(i for i, line in enumerate(lines) if i >= start and fragment in line) + 1

    second = line_of("code: SOB-02")
    assert problems == [
        f"{path}:{line_of('difficulty: 7')}:15: cards[0].difficulty : valeur 7 hors de l'échelle (doit être ≤ 4)",
        f"{path}:{line_of('colour: rouge')}:3: cards[0].colour : champ inconnu « colour » "
        "(vérifiez l'orthographe ; les champs permis sont décrits dans le schéma)",
        f"{path}:{line_of('theme: inconnu')}:10: thème inconnu « inconnu » "
        "(thèmes déclarés : gouvernance, sobriete, vide)",
        f"{path}:{line_of('- XXX-99', second)}:5: prérequis « XXX-99 » : aucune carte n'a ce code",
    ]
