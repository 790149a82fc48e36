"""Hand-built desired and observed boards for the pull tests (no layout engine, no I/O)."""

from __future__ import annotations

from typing import Any

from gria_miro.board import DesiredBoard, DesiredItem, Team, Zone, ZoneRole
from gria_miro.deck.model import Card, Deck
from gria_miro.observed import Member, ObservedBoard, ObservedItem, Tag

TEAM = "equipe"


def zone(
    zone_id: str, role: ZoneRole, label: str, order: int, x: int, y: int, w: int, h: int, team: str = TEAM
) -> Zone:
    return Zone(f"{team}/zone:{zone_id}", team, zone_id, role, label, label, order, x, y, w, h)


ZONES = (
    zone("pioche", ZoneRole.PILE, "La pioche", 0, 0, 0, 2000, 800),
    zone("etape-1", ZoneRole.STAGE, "Au départ", 0, -700, 1000, 800, 600),
    zone("etape-2", ZoneRole.STAGE, "En chemin", 1, 200, 1000, 800, 600),
    zone("cordee", ZoneRole.CORDEE, "La cordée", 0, 1200, 1000, 600, 600),
    zone("notes", ZoneRole.NOTES, "Points de vigilance", 0, 0, 1800, 2000, 600),
)
CODES = ("GOV-01", "GOV-02", "DATA-01", "FORM-01")


def frame_item(z: Zone) -> DesiredItem:
    return DesiredItem(
        key=z.key,
        type="frame",
        x=z.x,
        y=z.y,
        width=z.width,
        height=z.height,
        data={"title": z.title, "format": "custom", "type": "freeform"},
        team=z.team,
    )


def card_item(code: str, index: int, team: str = TEAM, pile: Zone = ZONES[0]) -> DesiredItem:
    x = pile.left + 200 + (index % 4) * 400
    y = pile.top + 150 + (index // 4) * 150
    return DesiredItem(
        key=f"{team}/card:{code}",
        type="card",
        x=x,
        y=y,
        width=320,
        height=94,
        data={"title": f"{code} · Titre de {code}", "description": "<p>…</p>"},
        style={"cardTheme": "#112233"},
        parent_key=pile.key,
        rel_x=x - pile.left,
        rel_y=y - pile.top,
        team=team,
        card_code=code,
    )


SLOT = DesiredItem(
    key=f"{TEAM}/zone:cordee/slot:qui-1",
    type="sticky_note",
    x=1000,
    y=800,
    width=150,
    height=150,
    data={"content": "", "shape": "square"},
    style={"fillColor": "light_yellow"},
    parent_key=f"{TEAM}/zone:cordee",
    rel_x=100,
    rel_y=100,
    team=TEAM,
)
HEADER = DesiredItem(
    key=f"{TEAM}/zone:cordee/text:titre",
    type="text",
    x=1200,
    y=750,
    width=400,
    height=40,
    data={"content": "<p>Qui vient ?</p>"},
    parent_key=f"{TEAM}/zone:cordee",
    rel_x=300,
    rel_y=50,
    team=TEAM,
)


def desired_board() -> DesiredBoard:
    items = [frame_item(z) for z in ZONES] + [card_item(c, i) for i, c in enumerate(CODES)] + [SLOT, HEADER]
    return DesiredBoard("test", "Deck de test", (Team(TEAM, "Équipe"),), ZONES, tuple(items))


def frames() -> list[ObservedItem]:
    return [
        ObservedItem(
            id=f"f-{z.zone_id}", type="frame", x=z.x, y=z.y, width=z.width, height=z.height, data={"title": z.title}
        )
        for z in ZONES
    ]


def card(
    code: str,
    x: float,
    y: float,
    *,
    item_id: str | None = None,
    parent: str | None = None,
    title: str | None = None,
    **data: Any,
) -> ObservedItem:
    return ObservedItem(
        id=item_id or f"c-{code}",
        type="card",
        x=x,
        y=y,
        width=320,
        height=94,
        data={"title": title or f"{code} · Titre de {code}", "description": "<p>…</p>", **data},
        style={"cardTheme": "#112233"},
        parent_id=parent,
    )


def note(
    item_id: str, content: str, x: float, y: float, *, kind: str = "sticky_note", parent: str | None = None
) -> ObservedItem:
    return ObservedItem(
        id=item_id, type=kind, x=x, y=y, width=150, height=150, data={"content": content}, parent_id=parent
    )


def observed(*items: ObservedItem, members: tuple[Member, ...] = (), tags: tuple[Tag, ...] = ()) -> ObservedBoard:
    return ObservedBoard(
        "b-1", "Atelier GR:IA", "https://miro.com/app/board/b-1/", (*frames(), *items), members=members, tags=tags
    )


def small_deck() -> Deck:
    """Four cards matching CODES; GOV-02 needs GOV-01, DATA-01 needs GOV-02."""

    def make(
        code: str,
        theme: str,
        kind: str,
        difficulty: int,
        cost: tuple[int, int, int],
        days: tuple[int, float],
        prerequisites: tuple[str, ...] = (),
    ) -> Card:
        return Card.model_validate(
            {
                "code": code,
                "title": f"Titre de {code}",
                "description": "Faire.",
                "theme": theme,
                "kind": kind,
                "difficulty": difficulty,
                "cost": {"level": cost[0], "eur_min": cost[1], "eur_max": cost[2]},
                "duration": {"level": days[0], "days": days[1]},
                "gains": {"categories": ["temps"], "text": "Du temps gagné."},
                "impact": {"score": 1, "text": "Un peu mieux."},
                "prerequisites": list(prerequisites),
            }
        )

    return Deck.model_validate(
        {
            "title": "Deck de test",
            "licence": "CC BY-SA 4.0",
            "themes": [
                {"id": "gouvernance", "label": "Gouvernance", "color": "#123456"},
                {"id": "donnees", "label": "Données", "color": "#654321"},
                {"id": "formation", "label": "Formation", "color": "#abcdef"},
            ],
            "cards": [
                make("GOV-01", "gouvernance", "formelle", 1, (1, 0, 200), (2, 2)),
                make("GOV-02", "gouvernance", "formelle", 2, (2, 1000, 3000), (3, 10), ("GOV-01",)),
                make("DATA-01", "donnees", "informelle", 3, (3, 5000, 20000), (2, 3.5), ("GOV-02",)),
                make("FORM-01", "formation", "informelle", 2, (1, 0, 0), (1, 0.5)),
            ],
        }
    )
