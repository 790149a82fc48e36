"""The content lint: one test per rule, the shipped decks clean, and ``deck validate --strict``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gria_miro.cli import app
from gria_miro.deck.lint import lint_deck
from gria_miro.deck.loading import load_deck
from gria_miro.deck.model import Deck
from tests.e2e.pushkit import run_cli
from tests.unit.deck.samples import sample

ROOT = Path(__file__).resolve().parents[3]


def _deck(**card_changes: Any) -> Deck:
    data = sample()
    for card in data["cards"]:
        card.setdefault("impact", {})["dimension"] = "personnes"
    data["cards"][0].update(card_changes)
    data["themes"] = [t for t in data["themes"] if t["id"] != "vide"]
    return Deck.model_validate(data)


def _messages(deck: Deck) -> list[str]:
    return [message for _, message in lint_deck(deck)]


def test_a_clean_deck_has_no_warning() -> None:
    assert _messages(_deck()) == []


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"description": 'Un texte "entre guillemets droits".'}, "guillemets droits"),
        ({"title": "Lire le texte de l'AI Act"}, "RIA"),
        ({"description": "Coût (0 à 0 €) pour tous."}, "gratuit"),
        ({"description": "Voir http://exemple.fr pour le détail."}, "https://"),
        ({"description": "Une action gratuite.", "cost": {"level": 1, "eur_min": 100, "eur_max": 400}}, "gratuite"),
    ],
)
def test_each_rule_reports_the_card_and_what_to_do(changes: dict[str, Any], says: str) -> None:
    messages = _messages(_deck(**changes))
    assert len(messages) == 1 and says in messages[0] and messages[0].startswith("GOV-01")


def test_impact_without_its_dimension_is_reported() -> None:
    data = sample()
    deck = Deck.model_validate(data)  # the sample says no dimension
    assert any("impact.dimension" in m for m in _messages(deck))


def test_theme_without_cards_is_reported() -> None:
    data = sample()
    for card in data["cards"]:
        card["impact"]["dimension"] = "environnement"
    found = lint_deck(Deck.model_validate(data))
    assert [(loc, "vide" in m) for loc, m in found] == [(("themes", 2), True)]


@pytest.mark.parametrize("name", ["gria-fr", "gria-decouverte"])
def test_shipped_decks_pass_the_lint(name: str) -> None:
    assert lint_deck(load_deck(name)) == []


def test_short_deck_covers_every_theme_with_easy_balanced_cards() -> None:
    short, full = load_deck("gria-decouverte"), load_deck("gria-fr")
    assert 36 <= len(short.cards) <= 46
    per_theme = Counter(card.theme for card in short.cards)
    assert set(per_theme) == {t.id for t in short.themes} == {t.id for t in full.themes}
    assert all(2 <= n <= 4 for n in per_theme.values()), per_theme
    assert sum(card.difficulty <= 2 for card in short.cards) >= 0.8 * len(short.cards)
    kinds = Counter(card.kind for card in short.cards)
    assert abs(kinds["formelle"] - kinds["informelle"]) <= 4, kinds
    # Same cards as the full deck (same codes and texts), so boards and roadmaps agree.
    for card in short.cards:
        twin = full.card(card.code)
        assert (card.title, card.description) == (twin.title, twin.description)


runner = CliRunner()


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run the CLI through its real entry point (the error choke point gives the exit code)."""
    run = run_cli(capsys, *args)
    return run.code, run.out + run.err


def test_validate_warns_and_strict_fails_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deck.yaml"
    text = (ROOT / "decks" / "gria-fr.yaml").read_text(encoding="utf-8")
    marker = 'title: "Constituer un groupe de pilotage IA"'
    assert marker in text
    path.write_text(text.replace(marker, 'title: "Constituer un groupe de pilotage (AI Act)"'), encoding="utf-8")
    lenient = runner.invoke(app, ["deck", "validate", str(path)])
    assert lenient.exit_code == 0, lenient.output
    assert "avertissement" in lenient.output and "RIA" in lenient.output and "1 avertissement" in lenient.output
    code, output = _main(capsys, "deck", "validate", str(path), "--strict")
    assert code == 2
    line = text[: text.index(marker)].count("\n") + 1
    assert f"deck.yaml:{line}:" in output and "Traceback" not in output


@pytest.mark.parametrize("name", ["gria-fr", "gria-decouverte"])
def test_shipped_decks_pass_validate_strict(name: str) -> None:
    result = runner.invoke(app, ["deck", "validate", name, "--strict"])
    assert result.exit_code == 0 and result.output.startswith("OK"), result.output
