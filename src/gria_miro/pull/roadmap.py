"""The team's roadmap: what it chose, in which stage and order, who carries it, totals and warnings.

Pure: built from the deck, the desired board, a :class:`~gria_miro.pull.assign.Placement`
and the board's metadata; the date is passed in (never read from the clock here). The
model is strict and frozen; its JSON form (``model_dump(mode="json")``) is the documented,
stable structure of ``docs/roadmap-json.md``. Labels are not stored: renderers add them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from gria_miro.board import DesiredBoard, ZoneRole
from gria_miro.deck.model import Deck
from gria_miro.deck.scales import Gain, Kind
from gria_miro.observed import ObservedBoard
from gria_miro.pull.assign import CardStatus, PlacedCard, Placement

FORMAT_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ThemeInfo(_Model):
    id: str
    label: str
    color: str


class ResourceInfo(_Model):
    """A public reference the deck gives for a card (title and https address)."""

    title: str
    url: str


class RoadmapCard(_Model):
    """A card as the roadmap shows it: the deck's attributes and what the team added."""

    code: str | None  # None for a card the team wrote itself
    title: str
    description: str | None = None  # the deck's description of the action
    from_deck: bool  # False: added on the board, no deck attributes (the fields below are None)
    theme: str | None = None
    kind: Kind | None = None
    difficulty: int | None = None
    cost_level: int | None = None
    cost_eur_min: int | None = None
    cost_eur_max: int | None = None
    duration_level: int | None = None
    days: float | None = None
    gains: tuple[Gain, ...] = ()
    gains_text: str | None = None
    impact: int | None = None
    impact_text: str | None = None
    prerequisites: tuple[str, ...] = ()
    owner: str | None = None  # the assignee's name (or id when the member is unknown)
    due_date: str | None = None  # YYYY-MM-DD
    tags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    item_id: str
    ressources: tuple[ResourceInfo, ...] = ()  # the deck's references for the card


class Totals(_Model):
    """Sums over a set of chosen cards (cards without deck attributes count only in ``cards``)."""

    cards: int
    cost_eur_min: int
    cost_eur_max: int
    days: float
    difficulty: tuple[int, int, int, int]  # number of cards at difficulty 1, 2, 3, 4
    formal: int
    informal: int
    not_from_deck: int
    themes: tuple[str, ...]  # theme ids covered, in deck order


class Stage(_Model):
    zone_id: str
    label: str
    order: int
    cards: tuple[RoadmapCard, ...]  # reading order
    notes: tuple[str, ...]  # notes in the stage, next to no card
    totals: Totals


class WarningKind(StrEnum):
    PREREQUISITE_MISSING = "prerequisite_missing"  # a chosen card needs a card no stage holds
    PREREQUISITE_LATER = "prerequisite_later"  # … or a card placed in a later stage
    CARD_STRADDLING = "card_straddling"  # across two zones or a zone's edge
    CARD_OUTSIDE = "card_outside"  # in no zone
    CARD_ELSEWHERE = "card_elsewhere"  # in a zone that is neither a stage nor the pile
    DUPLICATE_CARD = "duplicate_card"  # the same card twice in the stages
    STAGE_EMPTY = "stage_empty"
    ZONE_MISSING = "zone_missing"  # a zone of the layout is not on the board
    CARD_MISSING = "card_missing"  # a card of the deck is not on the board


class RoadmapWarning(_Model):
    kind: WarningKind
    card: str | None = None  # the card's code (or title when it has none)
    other: str | None = None  # the prerequisite's code
    stage: str | None = None  # label of the stage (or zone) concerned
    zones: tuple[str, ...] = ()  # labels of the zones straddled


class Person(_Model):
    name: str
    role: str | None = None


class ZoneNotes(_Model):
    zone: str  # label
    notes: tuple[str, ...]


class UnplacedCard(_Model):
    card: RoadmapCard
    status: Literal["straddling", "outside"]
    zones: tuple[str, ...]  # labels of the zones straddled


class CardPlace(StrEnum):
    """Where a card outside the stages lies."""

    ZONE = "zone"  # in a zone that is not a stage (legend, title, cordée, notes…)
    STRADDLING = "straddling"  # across two zones, or across a zone's edge
    OUTSIDE = "outside"  # in no zone at all


class NotCounted(StrEnum):
    """Why a card outside the stages is not in the totals."""

    NOT_A_STAGE = "not_a_stage"  # the zone it lies in is not a stage
    STRADDLING = "straddling"  # it is not clearly in one stage
    OUTSIDE = "outside"  # it is in no zone


#: How a card lying in a zone of each role counts: one row per kind of zone (a new kind of zone is
#: one row). None: counted in the stage's totals; "pile": listed in the appendix of cards left in
#: the pile; "renounced": listed as a renunciation; a NotCounted: listed among the cards outside
#: the stages, with that reason.
COUNTING: dict[ZoneRole, NotCounted | Literal["pile", "renounced"] | None] = {
    ZoneRole.STAGE: None,
    ZoneRole.PILE: "pile",
    ZoneRole.HORS_PISTE: "renounced",
    ZoneRole.TITLE: NotCounted.NOT_A_STAGE,
    ZoneRole.LEGEND: NotCounted.NOT_A_STAGE,
    ZoneRole.CORDEE: NotCounted.NOT_A_STAGE,
    ZoneRole.NOTES: NotCounted.NOT_A_STAGE,
}


class OutsideCard(_Model):
    """A card on the board in no stage and not in the pile: listed where it lies, with its owner and notes."""

    card: RoadmapCard
    place: CardPlace
    zone: str | None = None  # label of the zone it lies in (place "zone")
    zone_role: str | None = None  # that zone's role (a ZoneRole value)
    zones: tuple[str, ...] = ()  # labels of the zones it straddles (place "straddling")
    not_counted: NotCounted  # why it is not in the totals


class TeamRoadmap(_Model):
    team_id: str
    team_name: str
    participants: tuple[Person, ...]
    stages: tuple[Stage, ...]  # layout order
    totals: Totals
    themes_not_covered: tuple[str, ...]
    notes: tuple[ZoneNotes, ...]  # notes and points of vigilance zones
    unplaced: tuple[UnplacedCard, ...]
    warnings: tuple[RoadmapWarning, ...]
    pile: tuple[RoadmapCard, ...]  # cards left in the pile (appendix)
    renounced: tuple[RoadmapCard, ...] = ()  # cards put off-trail (hors-piste): renunciations, in no total
    outside_stages: tuple[OutsideCard, ...] = ()  # every other card of the team, where it lies (never dropped)


class ComparisonRow(_Model):
    team_id: str
    team_name: str
    cards: int
    cost_eur_min: int
    cost_eur_max: int
    days: float
    formal: int
    informal: int
    themes_covered: int
    warnings: int


class Comparison(_Model):
    rows: tuple[ComparisonRow, ...]
    common_cards: tuple[str, ...]  # codes every team chose


class BoardInfo(_Model):
    id: str
    name: str | None
    link: str | None


class SessionInfo(_Model):
    """The document's title block, as given by the facilitator (``pull``/``export`` options)."""

    institution: str | None = None
    session: str | None = None
    date: str | None = None  # YYYY-MM-DD, the day of the session
    facilitator: str | None = None


class Roadmap(_Model):
    """The whole document: one roadmap per team, plus what belongs to the whole board."""

    format_version: Literal[1] = 1  # FORMAT_VERSION
    title: str
    deck_title: str
    layout_name: str
    board: BoardInfo
    date: str  # YYYY-MM-DD, the day of the pull
    themes: tuple[ThemeInfo, ...]  # the deck's themes, in order (to label theme ids)
    teams: tuple[TeamRoadmap, ...]
    participants: tuple[Person, ...] = ()  # written in a board-wide cordée
    notes: tuple[ZoneNotes, ...] = ()  # board-wide zones, and notes outside every zone
    unassigned: tuple[UnplacedCard, ...] = ()  # cards of no team outside every zone
    outside_stages: tuple[OutsideCard, ...] = ()  # cards of no team outside the stages, where they lie
    comparison: Comparison | None = None  # multi-team boards
    layout_title: str | None = None  # the layout's title as shown on the board
    session: SessionInfo = SessionInfo()  # the title block


def roadmap_card(deck: Deck, placed: PlacedCard) -> RoadmapCard:
    """The deck's attributes for the card's code, plus what the board says about it."""
    board_part = {
        "owner": placed.assignee or placed.assignee_id,
        "due_date": placed.due_date,
        "tags": placed.tags,
        "notes": tuple(note.text for note in placed.notes),
        "item_id": placed.item_id,
    }
    try:
        card = deck.card(placed.code) if placed.code else None
    except KeyError:
        card = None
    if card is None:
        return RoadmapCard(code=placed.code, title=_own_title(placed), from_deck=False, **board_part)
    return RoadmapCard(
        code=card.code,
        title=card.title,
        description=card.description,
        from_deck=True,
        theme=card.theme,
        kind=card.kind,
        difficulty=card.difficulty,
        cost_level=card.cost.level,
        cost_eur_min=card.cost.eur_min,
        cost_eur_max=card.cost.eur_max,
        duration_level=card.duration.level,
        days=card.duration.days,
        gains=card.gains.categories,
        gains_text=card.gains.text,
        impact=card.impact.score,
        impact_text=card.impact.text,
        prerequisites=card.prerequisites,
        ressources=tuple(ResourceInfo(title=r.title, url=r.url) for r in card.ressources),
        **board_part,
    )


def _own_title(placed: PlacedCard) -> str:
    """A card not in the deck: its title without a leading code and separator."""
    title = placed.title
    if placed.code and title.startswith(placed.code):
        title = title[len(placed.code) :].lstrip(" ·-—:")
    return title or placed.title or "(sans titre)"


def totals(cards: Iterable[RoadmapCard], deck: Deck) -> Totals:
    chosen = list(cards)
    known = [c for c in chosen if c.from_deck]
    covered = {c.theme for c in known}
    return Totals(
        cards=len(chosen),
        cost_eur_min=sum(c.cost_eur_min or 0 for c in known),
        cost_eur_max=sum(c.cost_eur_max or 0 for c in known),
        days=round(sum(c.days or 0.0 for c in known), 2),
        difficulty=(
            sum(c.difficulty == 1 for c in known),
            sum(c.difficulty == 2 for c in known),
            sum(c.difficulty == 3 for c in known),
            sum(c.difficulty == 4 for c in known),
        ),
        formal=sum(c.kind == Kind.FORMAL for c in known),
        informal=sum(c.kind == Kind.INFORMAL for c in known),
        not_from_deck=len(chosen) - len(known),
        themes=tuple(t.id for t in deck.themes if t.id in covered),
    )


def _label(card: RoadmapCard) -> str:
    return card.code or card.title


def build_roadmap(
    deck: Deck,
    desired: DesiredBoard,
    placement: Placement,
    board: ObservedBoard,
    on: date,
    title: str | None = None,
    session: SessionInfo | None = None,
) -> Roadmap:
    """One roadmap per team of ``desired``, from where things are on ``board``."""
    team_ids = [team.id for team in desired.teams]
    labels = {zone.key: zone.label for zone in desired.zones}
    single = team_ids[0] if len(team_ids) == 1 else None

    def unplaced(card: PlacedCard) -> UnplacedCard:
        status: Literal["straddling", "outside"] = "straddling" if card.status == CardStatus.STRADDLING else "outside"
        return UnplacedCard(
            card=roadmap_card(deck, card), status=status, zones=tuple(labels.get(k, k) for k in card.zones)
        )

    teams = tuple(
        _team_roadmap(deck, desired, placement, team.id, team.name, single is not None) for team in desired.teams
    )
    board_wide = [z for z in placement.zones if z.zone.team not in team_ids]
    notes = [ZoneNotes(zone=z.zone.label, notes=tuple(n.text for n in z.notes)) for z in board_wide if z.notes]
    if placement.loose_notes:
        notes.append(ZoneNotes(zone="", notes=tuple(n.text for n in placement.loose_notes)))
    comparison = _comparison(teams) if len(teams) > 1 else None
    return Roadmap(
        title=title or board.name or desired.deck_title,
        deck_title=desired.deck_title,
        layout_name=desired.layout_name,
        board=BoardInfo(id=board.board_id, name=board.name, link=board.view_link),
        date=on.isoformat(),
        themes=tuple(ThemeInfo(id=t.id, label=t.label, color=t.color) for t in deck.themes),
        teams=teams,
        participants=tuple(Person(name=p.name, role=p.role) for p in placement.participants if p.team not in team_ids),
        notes=tuple(notes),
        unassigned=tuple(unplaced(c) for c in placement.unplaced if c.team is None and single is None),
        outside_stages=outside_stages(deck, desired, placement, None) if single is None else (),
        comparison=comparison,
        layout_title=desired.layout_title or None,
        session=session or SessionInfo(),
    )


def _team_roadmap(
    deck: Deck, desired: DesiredBoard, placement: Placement, team_id: str, team_name: str, only_team: bool
) -> TeamRoadmap:
    labels = {zone.key: zone.label for zone in desired.zones}
    own = [z for z in placement.zones if z.zone.team == team_id]
    stage_zones = sorted((z for z in own if z.zone.role == ZoneRole.STAGE), key=lambda z: z.zone.order)
    warnings: list[RoadmapWarning] = []

    stages = []
    for zp in stage_zones:
        cards = tuple(roadmap_card(deck, c) for c in zp.cards)
        stages.append(
            Stage(
                zone_id=zp.zone.zone_id,
                label=zp.zone.label,
                order=zp.zone.order,
                cards=cards,
                notes=tuple(n.text for n in zp.notes),
                totals=totals(cards, deck),
            )
        )
    chosen = [card for stage in stages for card in stage.cards]

    # Consistency of the choices: prerequisites, duplicates, empty stages.
    stage_of: dict[str, int] = {}
    for index, stage in enumerate(stages):
        for card in stage.cards:
            if card.code is not None:
                if card.code in stage_of:
                    warnings.append(RoadmapWarning(kind=WarningKind.DUPLICATE_CARD, card=card.code, stage=stage.label))
                stage_of.setdefault(card.code, index)
    for index, stage in enumerate(stages):
        for card in stage.cards:
            for needed in card.prerequisites:
                if needed not in stage_of:
                    kind = WarningKind.PREREQUISITE_MISSING  # chosen without what it builds on
                    warnings.append(RoadmapWarning(kind=kind, card=_label(card), other=needed, stage=stage.label))
                elif stage_of[needed] > index:
                    kind = WarningKind.PREREQUISITE_LATER  # what it builds on comes afterwards
                    where = stages[stage_of[needed]].label
                    warnings.append(RoadmapWarning(kind=kind, card=_label(card), other=needed, stage=where))
    warnings.extend(RoadmapWarning(kind=WarningKind.STAGE_EMPTY, stage=s.label) for s in stages if not s.cards)

    # Cards where the roadmap cannot use them.
    unplaced = []
    for loose in placement.unplaced:
        if loose.team != team_id and not (only_team and loose.team is None):
            continue
        rc = roadmap_card(deck, loose)
        zones = tuple(labels.get(k, k) for k in loose.zones)
        if loose.status == CardStatus.STRADDLING:
            unplaced.append(UnplacedCard(card=rc, status="straddling", zones=zones))
            warnings.append(RoadmapWarning(kind=WarningKind.CARD_STRADDLING, card=_label(rc), zones=zones))
        else:
            unplaced.append(UnplacedCard(card=rc, status="outside", zones=()))
            warnings.append(RoadmapWarning(kind=WarningKind.CARD_OUTSIDE, card=_label(rc)))
    for zp in placement.zones:
        if COUNTING.get(zp.zone.role, NotCounted.NOT_A_STAGE) == NotCounted.NOT_A_STAGE:
            for elsewhere in zp.cards:
                if _belongs(elsewhere, team_id, only_team):
                    label = _label(roadmap_card(deck, elsewhere))
                    warnings.append(RoadmapWarning(kind=WarningKind.CARD_ELSEWHERE, card=label, stage=zp.zone.label))
    for zone in placement.missing_zones:
        if zone.team == team_id:
            warnings.append(RoadmapWarning(kind=WarningKind.ZONE_MISSING, stage=zone.label))
    prefix = f"{team_id}/card:"
    for key in placement.missing_cards:
        if key.startswith(prefix):
            warnings.append(RoadmapWarning(kind=WarningKind.CARD_MISSING, card=key[len(prefix) :]))

    pile = tuple(roadmap_card(deck, c) for zp in own if zp.zone.role == ZoneRole.PILE for c in zp.cards)
    off_trail = [zp for zp in own if COUNTING.get(zp.zone.role) == "renounced"]
    renounced = tuple(roadmap_card(deck, c) for zp in off_trail for c in zp.cards)
    overall = totals(chosen, deck)
    return TeamRoadmap(
        team_id=team_id,
        team_name=team_name,
        participants=tuple(Person(name=p.name, role=p.role) for p in placement.participants if p.team == team_id),
        stages=tuple(stages),
        totals=overall,
        themes_not_covered=tuple(t.id for t in deck.themes if t.id not in overall.themes),
        notes=tuple(
            ZoneNotes(zone=zp.zone.label, notes=tuple(n.text for n in zp.notes))
            for zp in own
            if zp.notes and zp.zone.role != ZoneRole.STAGE
        ),
        unplaced=tuple(unplaced),
        warnings=tuple(warnings),
        pile=pile,
        renounced=renounced,
        outside_stages=outside_stages(deck, desired, placement, team_id, only_team),
    )


def _belongs(card: PlacedCard, team_id: str | None, only_team: bool = False) -> bool:
    """Whether ``card`` goes in the roadmap of ``team_id`` (None: the board-wide part)."""
    return card.team == team_id or (only_team and card.team is None)


def outside_stages(
    deck: Deck, desired: DesiredBoard, placement: Placement, team_id: str | None, only_team: bool = False
) -> tuple[OutsideCard, ...]:
    """Every card of ``team_id`` in no stage and not in the pile, where it lies (zones in board order first)."""
    labels = {zone.key: zone.label for zone in desired.zones}
    listed: list[OutsideCard] = []
    for zp in placement.zones:
        counting = COUNTING.get(zp.zone.role, NotCounted.NOT_A_STAGE)
        if not isinstance(counting, NotCounted):
            continue
        for card in zp.cards:
            if _belongs(card, team_id, only_team):
                listed.append(
                    OutsideCard(
                        card=roadmap_card(deck, card),
                        place=CardPlace.ZONE,
                        zone=zp.zone.label,
                        zone_role=zp.zone.role.value,
                        not_counted=counting,
                    )
                )
    for card in placement.unplaced:
        if not _belongs(card, team_id, only_team):
            continue
        straddling = card.status == CardStatus.STRADDLING
        listed.append(
            OutsideCard(
                card=roadmap_card(deck, card),
                place=CardPlace.STRADDLING if straddling else CardPlace.OUTSIDE,
                zones=tuple(labels.get(k, k) for k in card.zones),
                not_counted=NotCounted.STRADDLING if straddling else NotCounted.OUTSIDE,
            )
        )
    return tuple(listed)


def _comparison(teams: Sequence[TeamRoadmap]) -> Comparison:
    chosen = [{c.code for s in t.stages for c in s.cards if c.code} for t in teams]
    common = set.intersection(*chosen) if chosen else set()
    order = [c.code for s in teams[0].stages for c in s.cards if c.code in common]
    return Comparison(
        rows=tuple(
            ComparisonRow(
                team_id=t.team_id,
                team_name=t.team_name,
                cards=t.totals.cards,
                cost_eur_min=t.totals.cost_eur_min,
                cost_eur_max=t.totals.cost_eur_max,
                days=t.totals.days,
                formal=t.totals.formal,
                informal=t.totals.informal,
                themes_covered=len(t.totals.themes),
                warnings=len(t.warnings),
            )
            for t in teams
        ),
        common_cards=tuple(dict.fromkeys(c for c in order if c)),
    )
