"""The strict, typed model of a GR:IA deck: themes and action cards.

Pure values (pydantic, ``extra="forbid"``, frozen). Field names follow the deck
file; every scale and label comes from :mod:`gria_miro.deck.scales`. Deck-wide
rules (unique codes, known themes, prerequisites that exist and form no cycle)
live in :func:`check_deck`, which reports every problem with the path of the
value at fault, so a loader can turn paths into file:line:column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gria_miro.deck.scales import COST, DURATION, Gain, ImpactOn, Kind
from gria_miro.errors import Loc

CODE_PATTERN = r"^[A-Z]{2,6}-[0-9]{2,3}$"
THEME_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
HEX_COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
TITLE_MAX = 80
DESCRIPTION_MAX = 600


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


NonEmpty = Annotated[str, Field(min_length=1)]


class Theme(StrictModel):
    """A family of cards, shown as a header in the pile and as the cards' colour."""

    id: Annotated[str, Field(pattern=THEME_ID_PATTERN, description="Identifiant court (minuscules, tirets).")]
    label: Annotated[str, Field(min_length=1, max_length=60, description="Nom affiché du thème.")]
    color: Annotated[str, Field(pattern=HEX_COLOUR_PATTERN, description="Couleur #rrggbb des cartes du thème.")]


def _in_band(low: float, high: float, band_low: float | None, band_high: float | None) -> bool:
    """Whether the estimate [low, high] meets the level's band (bands are inclusive)."""
    assert band_low is not None
    return high >= band_low and (band_high is None or low <= band_high)


class Cost(StrictModel):
    """Ordinal cost level and an estimated range in euros, consistent with the level's band."""

    level: Annotated[int, Field(ge=1, le=4, description="1 (€) à 4 (€€€€), voir l'échelle Coût.")]
    eur_min: Annotated[int, Field(ge=0, description="Estimation basse, en euros.")]
    eur_max: Annotated[int, Field(ge=0, description="Estimation haute, en euros.")]

    @model_validator(mode="after")
    def _consistent(self) -> Cost:
        if self.eur_min > self.eur_max:
            raise ValueError(f"eur_min ({self.eur_min}) doit être inférieur ou égal à eur_max ({self.eur_max})")
        band = COST.level(self.level)
        if not _in_band(self.eur_min, self.eur_max, band.low, band.high):
            raise ValueError(
                f"l'estimation {self.eur_min}–{self.eur_max} € ne correspond pas au niveau {self.level} "
                f"({band.fr} : {COST.band_fr(self.level)})"
            )
        return self


class Duration(StrictModel):
    """Ordinal workload level and an estimate in person-days, consistent with the level's band.

    Person-days add up everyone's time (two people for a day: 2); a recurring action counts one year.
    """

    level: Annotated[int, Field(ge=1, le=4, description="1 (quelques heures) à 4 (plusieurs mois) de travail.")]
    days: Annotated[
        float,
        Field(gt=0, le=1000, description="Charge estimée en jours-personne (action récurrente : sur un an)."),
    ]

    @model_validator(mode="after")
    def _consistent(self) -> Duration:
        band = DURATION.level(self.level)
        if not _in_band(self.days, self.days, band.low, band.high):
            raise ValueError(
                f"{DURATION.unit.of(self.days) if DURATION.unit else self.days} ne correspond pas au niveau "
                f"{self.level} ({band.fr} : {DURATION.band_fr(self.level)})"
            )
        return self


class Gains(StrictModel):
    """What the institution can expect: typed categories plus a sentence."""

    categories: Annotated[tuple[Gain, ...], Field(min_length=1, description="Catégories de gains attendus.")]
    text: Annotated[str, Field(min_length=1, max_length=300, description="Les gains, en une phrase.")]

    @field_validator("categories")
    @classmethod
    def _unique(cls, value: tuple[Gain, ...]) -> tuple[Gain, ...]:
        if len(set(value)) != len(value):
            raise ValueError("une catégorie de gain est répétée")
        return value


class Impact(StrictModel):
    """Environmental and social impact on the signed scale -2..+2, with its reason."""

    score: Annotated[int, Field(ge=-2, le=2, description="De -2 (fortement négatif) à +2 (fortement positif).")]
    text: Annotated[str, Field(min_length=1, max_length=300, description="Pourquoi cet impact, en une phrase.")]
    dimension: Annotated[
        ImpactOn | None,
        Field(description="Ce que le score pèse surtout : environnement, personnes ou les-deux."),
    ] = None


#: Only addresses a browser opens safely and a printed card can show: https, a host with a dot, no spaces.
_URL_PATTERN = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::[0-9]{1,5})?(?:/[^\s<>\"]*)?$")
RESSOURCES_MAX = 3


class Resource(StrictModel):
    """A stable public reference that helps a team carry out the action (title and https address)."""

    title: Annotated[str, Field(min_length=3, max_length=120, description="Titre de la ressource.")]
    url: Annotated[str, Field(max_length=300, description="Adresse https de la ressource.")]

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError(f"« {value} » : une ressource se donne par une adresse https:// complète")
        if not _URL_PATTERN.match(value):
            raise ValueError(f"« {value} » n'est pas une adresse web bien formée (ex. https://www.cnil.fr/…)")
        return value


class Card(StrictModel):
    """One GR:IA action card."""

    code: Annotated[str, Field(pattern=CODE_PATTERN, description="Code stable et unique, ex. GOV-03.")]
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX, description="Titre court de l'action.")]
    description: Annotated[str, Field(min_length=1, max_length=DESCRIPTION_MAX, description="Ce que fait l'équipe.")]
    theme: Annotated[str, Field(pattern=THEME_ID_PATTERN, description="Identifiant d'un thème du deck.")]
    kind: Annotated[Kind, Field(description="formelle ou informelle.")]
    difficulty: Annotated[int, Field(ge=1, le=4, description="1 (balade) à 4 (haute montagne).")]
    cost: Cost
    duration: Duration
    gains: Gains
    impact: Impact
    prerequisites: Annotated[
        tuple[str, ...], Field(default=(), description="Codes des cartes à mener avant celle-ci.")
    ] = ()
    tags: Annotated[tuple[NonEmpty, ...], Field(default=(), description="Mots-clés libres.")] = ()
    ressources: Annotated[
        tuple[Resource, ...],
        Field(default=(), max_length=RESSOURCES_MAX, description="1 à 3 références publiques (titre et adresse)."),
    ] = ()

    @field_validator("ressources")
    @classmethod
    def _distinct_urls(cls, value: tuple[Resource, ...]) -> tuple[Resource, ...]:
        urls = [r.url for r in value]
        if len(set(urls)) != len(urls):
            raise ValueError("une ressource est citée deux fois")
        return value

    @field_validator("prerequisites")
    @classmethod
    def _codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not re.match(CODE_PATTERN, code):
                raise ValueError(f"« {code} » n'est pas un code de carte (attendu : ex. GOV-03)")
        if len(set(value)) != len(value):
            raise ValueError("un prérequis est répété")
        return value


class DeckInfo(StrictModel):
    """A deck's metadata (everything but its themes and cards)."""

    title: Annotated[str, Field(min_length=1, max_length=120, description="Nom du deck.")]
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$", description="Langue des cartes (ex. fr).")] = "fr"
    version: Annotated[str, Field(min_length=1, description="Version du contenu du deck.")] = "1"
    licence: Annotated[str, Field(min_length=1, description="Licence du contenu (ex. CC BY-SA 4.0).")]
    authors: tuple[NonEmpty, ...] = ()


class Deck(DeckInfo):
    """A whole deck: metadata, themes and cards. Always satisfies :func:`check_deck`."""

    themes: Annotated[tuple[Theme, ...], Field(min_length=1)]
    cards: tuple[Card, ...]

    @model_validator(mode="after")
    def _deck_rules(self) -> Deck:
        problems = check_deck(self.themes, list(enumerate(self.cards)))
        if problems:
            raise ValueError("; ".join(f"{'.'.join(map(str, p))}: {m}" for p, m in problems))
        return self

    def theme(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def card(self, code: str) -> Card:
        for card in self.cards:
            if card.code == code:
                return card
        raise KeyError(code)

    def sorted_cards(self) -> list[Card]:
        """Stable board order: theme (in deck order), then code."""
        rank = {t.id: i for i, t in enumerate(self.themes)}
        return sorted(self.cards, key=lambda c: (rank.get(c.theme, len(rank)), c.code))


def check_deck(themes: Sequence[Theme], cards: Sequence[tuple[int, Card]]) -> list[tuple[Loc, str]]:
    """Deck-wide rules; each problem comes with the path of the offending value.

    ``cards`` pairs each valid card with its index in the file, so that paths stay
    right when the loader skipped cards that failed their own validation.
    """
    problems: list[tuple[Loc, str]] = []
    theme_ids: dict[str, int] = {}
    for i, theme in enumerate(themes):
        if theme.id in theme_ids:
            problems.append((("themes", i, "id"), f"thème « {theme.id} » déclaré deux fois"))
        theme_ids.setdefault(theme.id, i)
    if not cards:
        problems.append((("cards",), "le deck ne contient aucune carte"))
    seen: dict[str, int] = {}
    for index, card in cards:
        if card.code in seen:
            problems.append(
                ((("cards", index, "code")), f"code « {card.code} » déjà utilisé par la carte n°{seen[card.code] + 1}")
            )
        else:
            seen[card.code] = index
        if card.theme not in theme_ids:
            known = ", ".join(sorted(theme_ids)) or "aucun"
            problems.append((("cards", index, "theme"), f"thème inconnu « {card.theme} » (thèmes déclarés : {known})"))
    by_code = {card.code: card for _, card in cards}
    index_of = {card.code: index for index, card in cards}
    for index, card in cards:
        for j, prereq in enumerate(card.prerequisites):
            if prereq == card.code:
                problems.append(
                    (("cards", index, "prerequisites", j), "une carte ne peut pas être son propre prérequis")
                )
            elif prereq not in by_code:
                problems.append(
                    (("cards", index, "prerequisites", j), f"prérequis « {prereq} » : aucune carte n'a ce code")
                )
    for cycle in _cycles(by_code):
        path = " → ".join([*cycle, cycle[0]])
        problems.append((("cards", index_of[cycle[0]], "prerequisites"), f"cycle de prérequis : {path}"))
    return problems


def _cycles(by_code: dict[str, Card]) -> list[list[str]]:
    """Prerequisite cycles, each reported once (iterative DFS; decks can be large)."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(by_code, white)
    cycles: list[list[str]] = []
    for start in sorted(by_code):
        if colour[start] != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        colour[start] = grey
        while stack:
            code, i = stack[-1]
            prereqs = [p for p in by_code[code].prerequisites if p in by_code and p != code]
            if i < len(prereqs):
                stack[-1] = (code, i + 1)
                nxt = prereqs[i]
                if colour[nxt] == grey:
                    cycles.append(path[path.index(nxt) :])
                elif colour[nxt] == white:
                    colour[nxt] = grey
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                colour[code] = black
                stack.pop()
                path.pop()
    return cycles


def deck_json_schema() -> dict[str, Any]:
    """JSON Schema of the deck file format, for editors (VS Code YAML) and ``deck schema``."""
    schema = Deck.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://gria-miro.example/schemas/deck.schema.json"
    schema["title"] = "Deck GR:IA (gria-miro)"
    return schema
