"""Board v2 (issue 15): stages that say what they mean, the hors-piste zone, the preparation zones,
the scales on every card at a glance, a colour-blind-safe legend and the attribution."""

from __future__ import annotations

from gria_miro.board import ZoneRole
from gria_miro.deck.loading import load_deck
from gria_miro.deck.scales import COST, IMPACT
from gria_miro.layout.content import plain_text
from gria_miro.layout.engine import compute_board
from gria_miro.layout.loading import load_layout


def _board(deck: str = "gria-fr", layout: str = "randonnee", teams: int | None = None):  # type: ignore[no-untyped-def]
    return compute_board(load_deck(deck), load_layout(layout), teams=teams)


def test_every_stage_says_what_it_holds_and_its_horizon() -> None:
    board = _board()
    stages = [z for z in board.zones if z.role == ZoneRole.STAGE]
    assert [z.label for z in stages] == ["Préparer le sac", "Le départ", "En chemin", "Le sommet"]
    items = board.by_key()
    for number, zone in enumerate(stages, start=1):
        text = plain_text(items[f"{zone.key}/text:explication"].data["content"])
        assert text.startswith("Horizon indicatif") and f"Étape {number}." in text


def test_hors_piste_and_preparation_zones_are_drawn_for_each_team() -> None:
    board = _board(layout="atelier-multi-equipes", teams=2)
    for team in ("equipe-a", "equipe-b"):
        roles = {z.zone_id: z.role for z in board.zones if z.team == team}
        assert roles["hors-piste"] == ZoneRole.HORS_PISTE
        assert {roles["boussole"], roles["sac-a-dos"], roles["meteo"]} == {ZoneRole.NOTES}


def test_stages_have_more_room_than_before_and_the_first_the_most() -> None:
    board = _board()
    by_id = {z.zone_id: z for z in board.zones}
    areas = [by_id[f"etape-{n}"].width * by_id[f"etape-{n}"].height for n in range(1, 5)]
    assert areas[0] == max(areas)
    stage_area = sum(areas) + by_id["hors-piste"].width * by_id["hors-piste"].height
    pile = by_id["pioche"]
    # Version 1 gave the four stages 10.5 % of the framed area against 57.7 % for the pile.
    assert stage_area / (pile.width * pile.height) > 0.45


def test_each_card_shows_its_scales_under_its_title() -> None:
    deck = load_deck("gria-fr")
    board = compute_board(deck, load_layout("randonnee"))
    card = deck.card("GOV-05")
    title = plain_text(board.by_key()["equipe-a/card:GOV-05"].data["title"])
    assert title.startswith("GOV-05 · ")
    assert f"Diff. {card.difficulty}/4 · {COST.show(card.cost.level)} · " in title
    assert f"impact {IMPACT.show(card.impact.score)}" in title


def test_legend_palette_has_no_green_cost_ramp_and_no_red_green_impact() -> None:
    def hue_is_green(colour: str) -> bool:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return g > r + 20 and g > b + 20

    assert not any(hue_is_green(level.colour) for level in COST.levels)
    assert not any(hue_is_green(level.colour) for level in IMPACT.levels)


def test_the_board_credits_gria_and_gives_the_licence() -> None:
    board = _board()
    text = plain_text(board.by_key()["board/zone:titre/text:consignes"].data["content"])
    assert "D’après GR:IA (Augures Lab numérique responsable)" in text and "CC BY-SA 4.0" in text
    assert not board.by_key()["board/zone:titre/text:titre"].data["content"].startswith("<p><strong>GR:IA")
