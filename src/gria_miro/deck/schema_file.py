"""The JSON Schema of deck files as editors see it (``decks/deck.schema.json``).

Starts from the model's own schema (:func:`gria_miro.deck.model.deck_json_schema`) and adds
what makes an editor helpful: French descriptions, each scale's levels as an ``enum`` with
their labels, the enum values' meanings and the code format of prerequisites. Pure: returns
plain data; ``deck schema`` prints or writes it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from gria_miro.deck.model import CODE_PATTERN, deck_json_schema
from gria_miro.deck.scales import COST, DIFFICULTY, DURATION, GAIN_LABELS, IMPACT, KIND_LABELS, Scale

#: French descriptions of the objects, shown by editors on hover (the model's docstrings are for developers).
_OBJECT_DESCRIPTIONS = {
    "Card": "Une carte action GR:IA.",
    "Cost": "Coût : niveau 1 à 4 et fourchette estimée en euros, cohérente avec le niveau.",
    "Duration": "Charge de travail : niveau 1 à 4 et estimation en jours-personne, cohérente avec le niveau.",
    "Gains": "Gains attendus : catégories et une phrase.",
    "Impact": "Impact environnemental et social, de -2 à +2, avec sa raison.",
    "Theme": "Un thème : famille de cartes, avec son libellé et sa couleur.",
    "Kind": "Nature de l'action : " + " ; ".join(f"{k.value} = {fr} ({en})" for k, (fr, en, _) in KIND_LABELS.items()),
    "Gain": "Catégorie de gain : " + " ; ".join(f"{g.value} = {fr}" for g, (fr, _) in GAIN_LABELS.items()),
}


def _scale_text(scale: Scale) -> str:
    levels = []
    for level in scale.levels:
        band = scale.band_fr(level.value)
        levels.append(
            f"{scale.show(level.value) if scale.signed else level.value} = {level.fr}" + (f" ({band})" if band else "")
        )
    return f"{scale.fr} : " + " ; ".join(levels) + "."


def _as_scale(prop: dict[str, Any], scale: Scale) -> None:
    prop["enum"] = list(scale.values)
    prop["description"] = _scale_text(scale)


def deck_file_schema() -> dict[str, Any]:
    """The JSON Schema committed as ``decks/deck.schema.json`` (draft 2020-12)."""
    schema = copy.deepcopy(deck_json_schema())
    schema["description"] = (
        "Un deck GR:IA pour gria-miro : métadonnées, thèmes et cartes actions. "
        "Vérifiez un fichier avec `gria-miro deck validate FICHIER`."
    )
    defs = schema["$defs"]
    for name, text in _OBJECT_DESCRIPTIONS.items():
        defs[name]["description"] = text
    card = defs["Card"]["properties"]
    _as_scale(card["difficulty"], DIFFICULTY)
    _as_scale(defs["Cost"]["properties"]["level"], COST)
    _as_scale(defs["Duration"]["properties"]["level"], DURATION)
    _as_scale(defs["Impact"]["properties"]["score"], IMPACT)
    card["prerequisites"]["items"]["pattern"] = CODE_PATTERN
    card["prerequisites"]["uniqueItems"] = True
    defs["Gains"]["properties"]["categories"]["uniqueItems"] = True
    props = schema["properties"]
    props["authors"]["description"] = "Auteurs et autrices du deck."
    props["themes"]["description"] = "Les thèmes, dans l'ordre où ils apparaissent sur le plateau."
    props["cards"]["description"] = "Les cartes actions (au moins une)."
    props["cards"]["minItems"] = 1
    return schema


def deck_file_schema_text() -> str:
    """The schema as the committed file's text (stable key order, UTF-8, final newline)."""
    return json.dumps(deck_file_schema(), indent=2, ensure_ascii=False) + "\n"
