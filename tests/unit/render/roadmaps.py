"""Roadmaps for the document tests, built from the shipped French deck (no board, no I/O beyond the deck)."""

from __future__ import annotations

from functools import cache

from gria_miro.deck.loading import load_deck
from gria_miro.deck.model import Deck
from gria_miro.pull.assign import CardStatus, PlacedCard
from gria_miro.pull.roadmap import (
    BoardInfo,
    Person,
    Roadmap,
    RoadmapCard,
    SessionInfo,
    Stage,
    TeamRoadmap,
    ThemeInfo,
    ZoneNotes,
    roadmap_card,
    totals,
)

SESSION = SessionInfo(
    institution="Musée des Beaux-Arts de Quimper",
    session="Atelier IA n° 2",
    date="2026-03-12",
    facilitator="Claire Dupont",
)
LAYOUT_TITLE = "GR:IA · Notre itinéraire vers une IA générative responsable"


@cache
def deck() -> Deck:
    return load_deck("gria-fr")


def card(code: str, owner: str | None = None, due: str | None = None, notes: tuple[str, ...] = ()) -> RoadmapCard:
    placed = PlacedCard(
        item_id=f"id-{code}",
        key=f"equipe-a/card:{code}",
        code=code,
        title=code,
        team="equipe-a",
        status=CardStatus.PLACED,
        zone_key=None,
        zones=(),
        x=0,
        y=0,
        width=320,
        height=94,
        assignee=owner,
        due_date=due,
    )
    return roadmap_card(deck(), placed).model_copy(update={"notes": notes})


def stage(order: int, label: str, *cards: RoadmapCard) -> Stage:
    return Stage(
        zone_id=f"etape-{order + 1}", label=label, order=order, cards=cards, notes=(), totals=totals(cards, deck())
    )


def team(name: str = "Équipe A", *, dated: bool = True, renounced: bool = True) -> TeamRoadmap:
    d = deck()
    codes = [c.code for c in d.sorted_cards()]
    first = stage(
        0,
        "Préparer le sac",
        card(codes[0], "Camille Martin", "2026-04-15" if dated else None, ("Voir avec la DSI",)),
        card(codes[1], "Léo Dubois"),
    )
    second = stage(1, "Le départ", card(codes[2], None, "2026-06-30" if dated else None))
    third = stage(2, "En chemin")
    chosen = [*first.cards, *second.cards]
    overall = totals(chosen, d)
    return TeamRoadmap(
        team_id="equipe-a",
        team_name=name,
        participants=(Person(name="Camille Martin", role="cheffe de projet"), Person(name="Léo Dubois", role=None)),
        stages=(first, second, third),
        totals=overall,
        themes_not_covered=tuple(t.id for t in d.themes if t.id not in overall.themes),
        notes=(ZoneNotes(zone="Points de vigilance", notes=("Attention au RGPD",)),),
        unplaced=(),
        warnings=(),
        pile=tuple(card(code) for code in codes[3:20]),
        renounced=(card(codes[25], notes=("Trop coûteux cette année",)),) if renounced else (),
    )


def roadmap(*teams: TeamRoadmap, session: SessionInfo = SESSION) -> Roadmap:
    d = deck()
    return Roadmap(
        title="Atelier GR:IA · musée",
        deck_title=d.title,
        layout_name="randonnee",
        layout_title=LAYOUT_TITLE,
        board=BoardInfo(id="uXjVtest=", name="Atelier GR:IA · musée", link=None),
        date="2026-03-14",
        themes=tuple(ThemeInfo(id=t.id, label=t.label, color=t.color) for t in d.themes),
        teams=teams or (team(),),
        session=session,
    )
