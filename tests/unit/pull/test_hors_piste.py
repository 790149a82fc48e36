"""The hors-piste zone: cards a team decides not to take are renunciations, outside every total and warning."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from gria_miro.board import ZoneRole
from gria_miro.deck.model import Deck
from gria_miro.observed import ObservedItem
from gria_miro.pull.assign import assign
from gria_miro.pull.roadmap import WarningKind, build_roadmap
from tests.unit.pull.boards import ZONES, card, desired_board, frame_item, note, observed, small_deck, zone

HORS_PISTE = zone("hors-piste", ZoneRole.HORS_PISTE, "Hors-piste", 0, 0, 2600, 2000, 600)


def test_renounced_cards_are_listed_with_their_reason_and_counted_nowhere() -> None:
    base = desired_board()
    desired = replace(base, zones=(*ZONES, HORS_PISTE), items=(frame_item(HORS_PISTE), *base.items))
    hp_frame = ObservedItem(
        id="f-hors-piste", type="frame", x=0, y=2600, width=2000, height=600, data={"title": "Hors-piste"}
    )
    board = observed(
        hp_frame,
        card("GOV-01", -900, 800),  # chosen, in the first stage
        card("DATA-01", -500, 2600),  # renounced
        note("n1", "Trop coûteux pour nous cette année", -500, 2660),  # its reason, just below it
        card("GOV-02", 0, 0),
        card("FORM-01", 0, 0),
    )
    roadmap = build_roadmap(small_deck(), desired, assign(desired, board), board, date(2025, 3, 14))
    team = roadmap.teams[0]
    assert [c.code for c in team.renounced] == ["DATA-01"]
    assert team.renounced[0].notes == ("Trop coûteux pour nous cette année",)
    # Outside the totals: only GOV-01 counts (0 to 200 €, 2 days).
    assert (team.totals.cards, team.totals.cost_eur_max, team.totals.days) == (1, 200, 2)
    assert "donnees" in team.themes_not_covered
    # A renunciation is a decision, not a card out of place.
    assert not any(w.kind == WarningKind.CARD_ELSEWHERE for w in team.warnings)
    assert "DATA-01" not in [c.code for c in team.pile]


def test_roadmap_card_carries_the_decks_references() -> None:
    data = small_deck().model_dump(mode="json")
    data["cards"][0]["ressources"] = [
        {"title": "CNIL et IA", "url": "https://www.cnil.fr/fr/intelligence-artificielle"}
    ]
    deck = Deck.model_validate(data)
    desired = desired_board()
    board = observed(card("GOV-01", -900, 800), card("GOV-02", 0, 0), card("DATA-01", 0, 0), card("FORM-01", 0, 0))
    roadmap = build_roadmap(deck, desired, assign(desired, board), board, date(2025, 3, 14))
    chosen = roadmap.teams[0].stages[0].cards[0]
    assert chosen.code == "GOV-01"
    assert [(r.title, r.url) for r in chosen.ressources] == [
        ("CNIL et IA", "https://www.cnil.fr/fr/intelligence-artificielle")
    ]
    assert roadmap.model_dump(mode="json")["teams"][0]["stages"][0]["cards"][0]["ressources"][0]["url"].startswith(
        "https://"
    )
