"""Synthetic decks and layouts for the layout tests (built from the models, no files)."""

from __future__ import annotations

from typing import Any

from gria_miro.deck.model import Deck
from gria_miro.layout.model import Layout


def card_data(code: str, theme: str, i: int, title: str | None = None) -> dict[str, Any]:
    level = i % 4 + 1
    costs = {1: (0, 400), 2: (800, 3000), 3: (6000, 20000), 4: (40000, 90000)}
    days = {1: 0.5, 2: 3, 3: 10, 4: 40}
    return {
        "code": code,
        "title": title or f"Action {i}",
        "description": f"Description {i}.",
        "theme": theme,
        "kind": "formelle" if i % 2 else "informelle",
        "difficulty": level,
        "cost": {"level": level, "eur_min": costs[level][0], "eur_max": costs[level][1]},
        "duration": {"level": level, "days": days[level]},
        "gains": {"categories": ["temps"], "text": "Du temps."},
        "impact": {"score": i % 5 - 2, "text": "Un impact."},
    }


def make_deck(themes: list[int]) -> Deck:
    """One theme per entry, with that many cards (codes listed out of order on purpose)."""
    theme_list = [
        {"id": f"th-{t}", "label": f"Thème {t}", "color": f"#{(t * 40) % 256:02x}8844"} for t in range(len(themes))
    ]
    cards = []
    for t, count in enumerate(themes):
        prefix = "T" + chr(ord("A") + t % 26) + chr(ord("A") + t // 26)
        for n in reversed(range(count)):
            cards.append(card_data(f"{prefix}-{n:02d}", f"th-{t}", n + t))
    if not cards:
        cards.append(card_data("ZZ-01", "th-0", 0))
    return Deck.model_validate({"title": "Deck de test", "licence": "CC0", "themes": theme_list, "cards": cards})


def make_layout(
    *,
    stages: int = 3,
    slots: int = 4,
    stage_columns: int = 2,
    pile_columns: int = 3,
    teams: int = 1,
    item: str = "card",
    groups: int = 2,
    gap: int = 24,
    padding: int = 40,
    zone_gap: int = 160,
    legend: bool = True,
    split_rows: bool = False,
) -> Layout:
    zones: list[dict[str, Any]] = [
        {"id": "titre", "kind": "title", "label": "Titre", "text": "Consignes <&>.\n\nDeuxième paragraphe."},
        {"id": "pioche", "kind": "pile", "label": "Pioche", "columns": pile_columns},
        {
            "id": "cordee",
            "kind": "cordee",
            "label": "Cordée",
            "groups": [{"id": f"g{g}", "label": f"Groupe {g}", "slots": g + 1, "columns": 2} for g in range(groups)],
        },
    ]
    if legend:
        zones.append({"id": "legende", "kind": "legend", "label": "Légende"})
    stage_ids = [f"etape-{s + 1}" for s in range(stages)]
    for s, stage_id in enumerate(stage_ids):
        zones.append(
            {"id": stage_id, "kind": "stage", "label": f"Étape {s + 1}", "slots": slots, "columns": stage_columns}
        )
    team_rows = (
        [["pioche", *stage_ids[:1]], [*stage_ids[1:], "cordee"]] if split_rows else [["pioche", *stage_ids, "cordee"]]
    )
    team_rows = [row for row in team_rows if row]
    data = {
        "name": "test",
        "title": "Plateau de test",
        "teams": {"count": teams, "columns": 2, "gap": 300},
        "cards": {"item": item, "gap": gap},
        "spacing": {"padding": padding, "zone_gap": zone_gap},
        "zones": zones,
        "board_rows": [["titre", "legende"] if legend else ["titre"]],
        "team_rows": team_rows,
    }
    return Layout.model_validate(data)
