"""The strict, typed model of a board layout: zones, how they are arranged, teams, card options.

Pure values (pydantic, ``extra="forbid"``, frozen). A layout says which zones exist
(:class:`ZoneRole` kinds), what each holds, and how they are arranged: ``board_rows``
are drawn once for the whole board, ``team_rows`` once per team. Rows are laid out top
to bottom, the zones of a row left to right, so zones never overlap by construction.
Cross-field rules (rows naming existing zones, one pile per team…) live in
:func:`check_layout`, which reports the path of every value at fault.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from gria_miro.board import ZoneRole
from gria_miro.errors import Loc

ZONE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
HEX_COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"

#: Miro's named sticky-note colours (notes §2: a named enum, not hex).
StickyColour = Literal[
    "gray",
    "light_yellow",
    "yellow",
    "orange",
    "light_green",
    "green",
    "dark_green",
    "cyan",
    "light_pink",
    "pink",
    "violet",
    "red",
    "light_blue",
    "blue",
    "dark_blue",
    "black",
]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Label = Annotated[str, Field(min_length=1, max_length=80)]
ZoneId = Annotated[str, Field(pattern=ZONE_ID_PATTERN)]
Colour = Annotated[str, Field(pattern=HEX_COLOUR_PATTERN)]


class ZoneBase(StrictModel):
    id: Annotated[ZoneId, Field(description="Identifiant de la zone (minuscules, chiffres, tirets).")]
    label: Annotated[Label, Field(description="Titre de la zone sur le tableau (sans le nom d'équipe).")]
    color: Annotated[Colour | None, Field(description="Couleur de fond du cadre (#rrggbb).")] = None


class TitleZone(ZoneBase):
    """The board's title and short instructions."""

    kind: Literal[ZoneRole.TITLE]
    text: Annotated[str, Field(max_length=2000, description="Consignes ; une ligne vide sépare les paragraphes.")] = ""
    width: Annotated[int, Field(ge=400, le=20000, description="Largeur du cadre.")] = 1600


class LegendZone(ZoneBase):
    """The scales (difficulty, cost, duration, impact, kind) and the deck's themes, with their colours."""

    kind: Literal[ZoneRole.LEGEND]
    themes: Annotated[bool, Field(description="Montrer aussi les thèmes du deck et leurs couleurs.")] = True


class PileZone(ZoneBase):
    """The pioche: every card of the deck, grouped by theme under theme headers."""

    kind: Literal[ZoneRole.PILE]
    columns: Annotated[int, Field(ge=1, le=100, description="Nombre de colonnes de cartes.")] = 6


Explanation = Annotated[
    str, Field(max_length=600, description="Ce qui va dans la zone, affiché en haut du cadre (facultatif).")
]


class StageZone(ZoneBase):
    """A stage (or a period of a timeline) where a team places the cards it chooses."""

    kind: Literal[ZoneRole.STAGE]
    slots: Annotated[int, Field(ge=1, le=500, description="Nombre de cartes que la zone peut accueillir.")] = 8
    columns: Annotated[int, Field(ge=1, le=50, description="Nombre de colonnes de cartes.")] = 2
    text: Explanation = ""
    horizon: Annotated[
        str, Field(max_length=80, description="Horizon indicatif de l'étape (ex. « les 3 premiers mois »).")
    ] = ""


class HorsPisteZone(ZoneBase):
    """Hors-piste: where a team puts the actions it decides not to take, with its reasons (outside every total)."""

    kind: Literal[ZoneRole.HORS_PISTE]
    slots: Annotated[int, Field(ge=1, le=500, description="Nombre de cartes que la zone peut accueillir.")] = 6
    columns: Annotated[int, Field(ge=1, le=50, description="Nombre de colonnes de cartes.")] = 2
    text: Explanation = ""


class SlotGroup(StrictModel):
    """A question and empty sticky notes to answer it (« Qui vient ? »)."""

    id: ZoneId
    label: Label
    slots: Annotated[int, Field(ge=1, le=200, description="Nombre de notes vides.")] = 4
    columns: Annotated[int, Field(ge=1, le=50)] = 4
    sticky_color: StickyColour = "light_yellow"


class SlotsZone(ZoneBase):
    """The cordée (who comes, who carries what) or the notes / points of vigilance: empty sticky notes."""

    kind: Literal[ZoneRole.CORDEE, ZoneRole.NOTES]
    groups: Annotated[tuple[SlotGroup, ...], Field(min_length=1)]
    text: Explanation = ""


ZoneSpec = TitleZone | LegendZone | PileZone | StageZone | HorsPisteZone | SlotsZone

#: Which model validates a zone of each kind (one line per kind).
ZONE_MODELS: dict[ZoneRole, type[ZoneSpec]] = {
    ZoneRole.TITLE: TitleZone,  # title and instructions (texts)
    ZoneRole.LEGEND: LegendZone,  # scales and themes (coloured shapes)
    ZoneRole.PILE: PileZone,  # every card, grouped by theme
    ZoneRole.STAGE: StageZone,  # an empty frame sized for N cards
    ZoneRole.CORDEE: SlotsZone,  # groups of empty sticky notes
    ZoneRole.NOTES: SlotsZone,  # groups of empty sticky notes
    ZoneRole.HORS_PISTE: HorsPisteZone,  # an empty frame for the cards the team renounces
}

#: Zones that hold a team's cards must be drawn once per team (in ``team_rows``).
TEAM_ONLY_ROLES = frozenset({ZoneRole.PILE, ZoneRole.STAGE, ZoneRole.HORS_PISTE})


class TeamsSpec(StrictModel):
    count: Annotated[int, Field(ge=1, le=52, description="Nombre d'équipes (remplaçable par --teams).")] = 1
    names: Annotated[
        tuple[Label, ...], Field(description="Noms des équipes ; à défaut « Équipe A », « Équipe B »…")
    ] = ()
    columns: Annotated[int, Field(ge=1, le=20, description="Équipes par rangée de la grille.")] = 2
    gap: Annotated[int, Field(ge=0, le=10000, description="Espace entre les blocs d'équipe.")] = 600


class CardsSpec(StrictModel):
    item: Annotated[
        Literal["card", "app_card"],
        Field(description="card (assignation et échéance possibles dans Miro) ou app_card (attributs en pastilles)."),
    ] = "card"
    gap: Annotated[int, Field(ge=0, le=1000, description="Espace entre deux cartes.")] = 24


class SpacingSpec(StrictModel):
    padding: Annotated[int, Field(ge=0, le=2000, description="Marge intérieure des cadres.")] = 40
    zone_gap: Annotated[int, Field(ge=0, le=10000, description="Espace entre deux zones.")] = 160


class LayoutHead(StrictModel):
    """Everything in a layout file but its zones (validated one by one, to report every problem)."""

    name: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    title: Annotated[str, Field(min_length=1, max_length=120, description="Titre du plateau.")]
    description: Annotated[str, Field(max_length=600)] = ""
    extends: Annotated[str, Field(min_length=1, description="Disposition de base (nom ou chemin relatif).")] | None = (
        None
    )
    teams: TeamsSpec = TeamsSpec()
    cards: CardsSpec = CardsSpec()
    spacing: SpacingSpec = SpacingSpec()
    board_rows: Annotated[
        tuple[Annotated[tuple[ZoneId, ...], Field(min_length=1)], ...],
        Field(description="Rangées de zones dessinées une fois pour tout le plateau."),
    ] = ()
    team_rows: Annotated[
        tuple[Annotated[tuple[ZoneId, ...], Field(min_length=1)], ...],
        Field(min_length=1, description="Rangées de zones dessinées pour chaque équipe."),
    ]


class Layout(LayoutHead):
    """A whole layout, after ``extends`` is resolved. Always satisfies :func:`check_layout`."""

    name: str = "disposition"
    zones: tuple[ZoneSpec, ...]

    def zone(self, zone_id: str) -> ZoneSpec:
        for zone in self.zones:
            if zone.id == zone_id:
                return zone
        raise KeyError(zone_id)


def check_layout(
    head: LayoutHead, zones: list[tuple[int, ZoneSpec]], invalid_ids: frozenset[str] = frozenset()
) -> list[tuple[Loc, str]]:
    """Layout-wide rules; each problem comes with the path of the offending value.

    ``zones`` pairs each valid zone with its index in the (merged) zone list;
    ``invalid_ids`` are ids of zones that failed their own validation (already reported),
    so rows naming them are not reported again as naming a missing zone.
    """
    problems: list[tuple[Loc, str]] = []
    by_id: dict[str, ZoneSpec] = {}
    for index, zone in zones:
        if zone.id in by_id:
            problems.append((("zones", index, "id"), f"zone « {zone.id} » déclarée deux fois"))
        by_id.setdefault(zone.id, zone)
    placed: dict[str, str] = {}
    labels: dict[tuple[str, str], str] = {}
    pile_count = 0
    for field in ("board_rows", "team_rows"):
        rows: tuple[tuple[str, ...], ...] = getattr(head, field)
        for r, row in enumerate(rows):
            for c, zone_id in enumerate(row):
                loc: Loc = (field, r, c)
                found = by_id.get(zone_id)
                if found is None and zone_id in invalid_ids:
                    continue
                if found is None:
                    known = ", ".join(sorted(by_id)) or "aucune"
                    problems.append((loc, f"{field} : zone inconnue « {zone_id} » (zones déclarées : {known})"))
                    continue
                if zone_id in placed:
                    problems.append((loc, f"zone « {zone_id} » placée deux fois (déjà dans {placed[zone_id]})"))
                    continue
                zone = found
                placed[zone_id] = field
                if field == "board_rows" and zone.kind in TEAM_ONLY_ROLES:
                    problems.append(
                        (loc, f"zone « {zone_id} » ({zone.kind}) : à placer dans team_rows (une par équipe)")
                    )
                if zone.kind == ZoneRole.PILE and field == "team_rows":
                    pile_count += 1
                    if pile_count > 1:
                        problems.append((loc, f"zone « {zone_id} » : une seule pioche par équipe"))
                scope = field
                if (scope, zone.label) in labels:
                    other = labels[(scope, zone.label)]
                    problems.append((loc, f"zone « {zone_id} » : même titre « {zone.label} » que la zone « {other} »"))
                labels.setdefault((scope, zone.label), zone_id)
    if head.team_rows and pile_count == 0 and not problems:
        problems.append((("team_rows",), "team_rows : il faut une zone « pile » (la pioche) pour poser les cartes"))
    for index, zone in zones:
        if isinstance(zone, SlotsZone):
            seen: set[str] = set()
            for g, group in enumerate(zone.groups):
                if group.id in seen:
                    problems.append((("zones", index, "groups", g, "id"), f"groupe « {group.id} » répété"))
                seen.add(group.id)
    if len(set(head.teams.names)) != len(head.teams.names):
        problems.append((("teams", "names"), "teams.names : deux équipes ont le même nom"))
    return problems
