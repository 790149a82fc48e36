"""The optional ``ressources`` of a card: validated https references, kept by CSV, shown on the card."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from gria_miro.deck.csvio import deck_from_csv, deck_to_csv
from gria_miro.deck.loading import load_deck
from gria_miro.deck.model import Deck
from gria_miro.errors import InputFileError
from gria_miro.layout.content import card_description, plain_text
from tests.unit.deck.samples import sample

CNIL = {"title": "CNIL : IA, se mettre en conformité", "url": "https://www.cnil.fr/fr/intelligence-artificielle"}
RIA = {
    "title": "Règlement européen sur l'IA (RIA)",
    "url": "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32024R1689",
}


def _with(resources: list[dict[str, Any]], dimension: str | None = None) -> dict[str, Any]:
    data = sample()
    data["cards"][0]["ressources"] = resources
    if dimension is not None:
        data["cards"][0]["impact"]["dimension"] = dimension
    return data


def test_references_are_kept_and_shown_as_links_in_the_description() -> None:
    deck = Deck.model_validate(_with([CNIL, RIA], "personnes"))
    card = deck.cards[0]
    assert [r.url for r in card.ressources] == [CNIL["url"], RIA["url"]]
    html = card_description(card)
    assert f'<a href="{CNIL["url"]}">' in html
    assert "Ressources : CNIL : IA, se mettre en conformité, Règlement européen sur l’IA (RIA)" in plain_text(html)
    assert "surtout humain" in plain_text(html)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://www.cnil.fr/fr", "https://"),  # not https
        ("www.cnil.fr", "https://"),
        ("https://cnil", "bien formée"),  # no domain
        ("https://www.cnil.fr/a b", "bien formée"),  # a space
    ],
)
def test_bad_addresses_are_refused_in_french(url: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Deck.model_validate(_with([{"title": "Une ressource", "url": url}]))
    assert says in str(caught.value)


def test_at_most_three_distinct_references() -> None:
    four = [{"title": f"Ressource {i}", "url": f"https://example.org/{i}"} for i in range(4)]
    with pytest.raises(ValidationError):
        Deck.model_validate(_with(four))
    with pytest.raises(ValidationError, match="deux fois"):
        Deck.model_validate(_with([CNIL, CNIL]))


def test_csv_round_trip_keeps_references_and_impact_dimension() -> None:
    deck = Deck.model_validate(_with([CNIL, RIA], "les-deux"))
    assert deck_from_csv(deck_to_csv(deck), "x.csv") == deck


def test_bad_reference_in_a_yaml_deck_is_located(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    text = (Path(__file__).resolve().parents[3] / "decks" / "gria-fr.yaml").read_text(encoding="utf-8")
    marker = "    tags: [pilotage, transversalité]\n"
    assert marker in text
    path.write_text(
        text.replace(marker, marker + "    ressources:\n      - {title: Ma ressource, url: 'http://exemple.fr'}\n", 1),
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as caught:
        load_deck(path)
    problem = str(caught.value.problems[0])
    assert "deck.yaml:" in problem and "https://" in problem
