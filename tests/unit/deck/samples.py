"""Small hand-written decks for the deck tests (the shipped deck is tested on its own)."""

from __future__ import annotations

import copy
from typing import Any

SAMPLE: dict[str, Any] = {
    "title": "Deck d'essai",
    "language": "fr",
    "version": "2",
    "licence": "CC BY-SA 4.0",
    "authors": ["Équipe GR:IA", "Ada | Lovelace"],
    "themes": [
        {"id": "gouvernance", "label": "Gouvernance", "color": "#1e88e5"},
        {"id": "sobriete", "label": "Sobriété numérique", "color": "#43a047"},
        {"id": "vide", "label": "Thème sans carte", "color": "#ABCDEF"},
    ],
    "cards": [
        {
            "code": "GOV-01",
            "title": "Inventorier les chartes existantes",
            "description": "Rassembler les chartes d'usage de l'IA déjà publiées;\nles comparer, « vraiment ».",
            "theme": "gouvernance",
            "kind": "informelle",
            "difficulty": 1,
            "cost": {"level": 1, "eur_min": 0, "eur_max": 200},
            "duration": {"level": 2, "days": 2.5},
            "gains": {"categories": ["temps", "conformite"], "text": "Gagner du temps, ne pas réinventer."},
            "impact": {"score": 0, "text": "Neutre."},
            "tags": ["charte", "C:\\dossier|partagé"],
        },
        {
            "code": "SOB-02",
            "title": "Mesurer l'empreinte des usages",
            "description": "Estimer l'énergie consommée par les outils d'IA utilisés.",
            "theme": "sobriete",
            "kind": "formelle",
            "difficulty": 3,
            "cost": {"level": 3, "eur_min": 5000, "eur_max": 12000},
            "duration": {"level": 3, "days": 15},
            "gains": {"categories": ["sobriete"], "text": "Décider en connaissance de cause."},
            "impact": {"score": 2, "text": "Réduit l'empreinte."},
            "prerequisites": ["GOV-01"],
        },
    ],
}


def sample(**changes: Any) -> dict[str, Any]:
    """A deep copy of :data:`SAMPLE` with top-level ``changes``."""
    data = copy.deepcopy(SAMPLE)
    data.update(changes)
    return data
