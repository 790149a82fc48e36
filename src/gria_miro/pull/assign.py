"""Where everything is on a finished board: cards placed in zones, in reading order, with what participants added.

Pure: from the desired board (what gria-miro drew) and the observed board (what is there
now, absolute positions) to a :class:`Placement`. Zones and cards are recognised with the
push identity rules (:func:`gria_miro.sync.identity.match_items`), so a board can be pulled
on a machine that never pushed it. A card belongs to its parent frame when it has one, else
to the zone that contains its centre; a card across two zones, or outside every zone, is
reported as such, never guessed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from gria_miro.board import CARD_HEIGHT, DesiredBoard, Zone, ZoneRole
from gria_miro.errors import UserError
from gria_miro.observed import ObservedBoard, ObservedItem
from gria_miro.sync.identity import card_code, match_items, plain_text
from gria_miro.sync.manifest import find_manifest, is_lock, is_manifest

#: Share of a card's area that must lie in a second zone (or outside its zone) for it to count as straddling.
STRADDLE_SHARE = 0.2
#: How far (board units) a sticky note or text may be from a card and still be that card's note.
NOTE_MARGIN = 40.0
#: Items participants write notes with.
NOTE_TYPES = frozenset({"sticky_note", "text"})
CARD_TYPES = frozenset({"card", "app_card"})

_BREAK = re.compile(r"(?i)<br\s*/?>|</p>|</li>|</div>")
_TAG = re.compile(r"<[^>]*>")


class NoZonesFound(UserError):
    """None of the layout's zones is on the board: wrong board, layout or number of teams."""

    def __init__(self, board_id: str, layout_name: str, team_count: int) -> None:
        self.board_id = board_id
        self.layout_name = layout_name
        self.team_count = team_count
        super().__init__(
            f"aucune zone de la disposition « {layout_name} » ({team_count} équipe(s)) n'a été trouvée "
            f"sur le tableau {board_id} : vérifiez --board, et indiquez la disposition et le nombre "
            "d'équipes utilisés pour le pousser (--layout, --teams)"
        )


class CardStatus(StrEnum):
    """Where a card sits, as far as the board says."""

    PLACED = "placed"  # in one zone (its frame, or the zone holding its centre)
    STRADDLING = "straddling"  # across two zones, or across a zone's edge
    OUTSIDE = "outside"  # in no zone at all


@dataclass(frozen=True)
class BoardNote:
    """A sticky note or text a participant wrote (plain text, lines kept)."""

    item_id: str
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class PlacedCard:
    """A card on the board and everything participants attached to it."""

    item_id: str
    key: str | None  # the desired key when it is one of gria-miro's cards, else None (added by participants)
    code: str | None  # GR:IA code read from the key or the title
    title: str  # the title as the board shows it (plain text)
    team: str | None  # the team whose roadmap it belongs to (its zone's team, else its key's)
    status: CardStatus
    zone_key: str | None  # set when PLACED
    zones: tuple[str, ...]  # the zones it straddles (STRADDLING)
    x: float
    y: float
    width: float
    height: float
    assignee_id: str | None = None
    assignee: str | None = None  # the member's name when known
    due_date: str | None = None  # YYYY-MM-DD (UTC date of Miro's dueDate)
    tags: tuple[str, ...] = ()
    notes: tuple[BoardNote, ...] = ()


@dataclass(frozen=True)
class ZonePlacement:
    """A zone found on the board, its cards in reading order and its notes."""

    zone: Zone
    item_id: str
    cards: tuple[PlacedCard, ...]
    notes: tuple[BoardNote, ...]


@dataclass(frozen=True)
class Participant:
    """Someone written in a cordée zone: ``Nom — rôle``."""

    name: str
    role: str | None
    team: str  # the cordée zone's team (may be a board-wide zone's)
    item_id: str


@dataclass(frozen=True)
class Placement:
    """Everything pull knows about where things are on the board."""

    zones: tuple[ZonePlacement, ...]  # zones found, in the desired board's order
    missing_zones: tuple[Zone, ...]  # zones of the layout not found on the board
    unplaced: tuple[PlacedCard, ...]  # cards straddling zones or outside every zone
    missing_cards: tuple[str, ...]  # keys of the desired cards not found on the board
    participants: tuple[Participant, ...]
    loose_notes: tuple[BoardNote, ...]  # notes outside every zone and next to no card
    matched: Mapping[str, str]  # desired key → item id

    def zone(self, key: str) -> ZonePlacement | None:
        return next((z for z in self.zones if z.zone.key == key), None)


def note_text(value: object) -> str:
    """A note's text as typed: tags removed, entities decoded, one line per paragraph or break."""
    if not isinstance(value, str):
        return ""
    text = html.unescape(_TAG.sub("", _BREAK.sub("\n", value))).replace("\u00a0", " ")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def due_date(value: object) -> str | None:
    """``2025-03-31T00:00:00.000Z`` → ``2025-03-31``; an unreadable value is kept as it is."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return value.strip()


#: Separators between a name and a role in the cordée, tried in this order.
_ROLE_SEPARATORS = (
    re.compile(r"^(?P<name>.+?)\s+[—–-]\s+(?P<role>.+)$", re.S),  # « Nom — rôle », « Nom - rôle »
    re.compile(r"^(?P<name>.+?)\s*:\s*(?P<role>.+)$", re.S),  # « Nom : rôle »
    re.compile(r"^(?P<name>[^()]+?)\s*\((?P<role>[^()]+)\)\s*$", re.S),  # « Nom (rôle) »
    re.compile(r"^(?P<name>[^,]+?)\s*,\s*(?P<role>.+)$", re.S),  # « Nom, rôle »
)


def parse_participant(text: str) -> tuple[str, str | None] | None:
    """``"Marie Curie — cheffe de projet"`` → ``("Marie Curie", "cheffe de projet")``; empty → None."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    flat = " ".join(lines)
    for pattern in _ROLE_SEPARATORS:
        match = pattern.match(flat)
        if match:
            return match.group("name").strip(), " ".join(match.group("role").split())
    if len(lines) > 1:  # a name on the first line, the role below
        return lines[0], " ".join(lines[1:])
    return flat, None


def reading_order(cards: Iterable[PlacedCard]) -> list[PlacedCard]:
    """Rows top to bottom (a row: centres within half a card height of its first card), then left to right."""
    rows: list[list[PlacedCard]] = []
    for card in sorted(cards, key=lambda c: (c.y, c.x, c.item_id)):
        tolerance = max(card.height, CARD_HEIGHT) / 2
        if rows and card.y - rows[-1][0].y <= tolerance:
            rows[-1].append(card)
        else:
            rows.append([card])
    return [card for row in rows for card in sorted(row, key=lambda c: (c.x, c.y, c.item_id))]


@dataclass(frozen=True)
class _Rect:
    left: float
    top: float
    right: float
    bottom: float

    @classmethod
    def of(cls, item: ObservedItem, margin: float = 0.0) -> _Rect:
        return cls(item.left - margin, item.top - margin, item.right + margin, item.bottom + margin)

    @property
    def area(self) -> float:
        return max(0.0, self.right - self.left) * max(0.0, self.bottom - self.top)

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom

    def overlap(self, other: _Rect) -> float:
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.bottom, other.bottom) - max(self.top, other.top)
        return width * height if width > 0 and height > 0 else 0.0


class _Zones:
    """The zones found on the board, with their frames' current geometry."""

    def __init__(self, found: Sequence[tuple[Zone, ObservedItem]]) -> None:
        self.found = found
        self.by_frame = {frame.id: zone for zone, frame in found}
        self.rects = [(zone, _Rect.of(frame)) for zone, frame in found]

    def containing(self, x: float, y: float) -> Zone | None:
        """The smallest zone containing the point (frames do not overlap unless participants moved them)."""
        inside = [(rect.area, zone.key, zone) for zone, rect in self.rects if rect.contains(x, y)]
        return min(inside, key=lambda t: (t[0], t[1]))[2] if inside else None

    def locate_card(self, item: ObservedItem) -> tuple[CardStatus, Zone | None, tuple[str, ...]]:
        """Decision table for a card's zone (one line per branch)."""
        if item.parent_id in self.by_frame:
            return CardStatus.PLACED, self.by_frame[item.parent_id], ()  # its frame is one of our zones
        rect = _Rect.of(item)
        area = rect.area or 1.0
        centre_zone = self.containing(item.x, item.y)
        overlapping = [zone for zone, zone_rect in self.rects if zone_rect.overlap(rect) / area >= STRADDLE_SHARE]
        others = [zone for zone in overlapping if centre_zone is None or zone.key != centre_zone.key]
        outside_share = 1.0 - sum(zone_rect.overlap(rect) for _, zone_rect in self.rects) / area
        if centre_zone is not None and not others and outside_share < STRADDLE_SHARE:
            return CardStatus.PLACED, centre_zone, ()  # its centre's zone, and (almost) only that zone
        if centre_zone is None and not overlapping:
            return CardStatus.OUTSIDE, None, ()  # in no zone at all
        keys = sorted({z.key for z in overlapping} | ({centre_zone.key} if centre_zone else set()))
        return CardStatus.STRADDLING, None, tuple(keys)  # across zones, or across a zone's edge

    def locate_note(self, item: ObservedItem) -> Zone | None:
        if item.parent_id in self.by_frame:
            return self.by_frame[item.parent_id]  # inside one of our frames
        return self.containing(item.x, item.y)  # else the zone holding its centre, if any


def assign(desired: DesiredBoard, board: ObservedBoard, bound: Mapping[str, str] | None = None) -> Placement:
    """Recognise zones and cards on ``board`` and place every card and note.

    ``bound`` maps desired keys to item ids already known (from a state file); ids that are
    not on the board are ignored. Raises :class:`NoZonesFound` when none of the zones is there.
    """
    by_id = board.by_id()
    known = {key: item_id for key, item_id in (bound or {}).items() if item_id in by_id}
    sealed = find_manifest(board).manifest is not None  # then a card without a seal is a participant's
    matched = {**known, **match_items(desired, board.items, known, sealed_only=sealed)}
    desired_items = desired.by_key()
    key_of = {item_id: key for key, item_id in matched.items()}

    found = [(zone, by_id[matched[zone.key]]) for zone in desired.zones if zone.key in matched]
    if not found:
        raise NoZonesFound(board.board_id, desired.layout_name, len(desired.teams))
    zones = _Zones(found)
    team_ids = {team.id for team in desired.teams}
    members = {member.id: member.name for member in board.members}
    tags = {tag.id: tag.title for tag in board.tags}

    def is_ours(item: ObservedItem) -> bool:
        """Items gria-miro drew (headers, legend, empty slots) are not notes, unless someone wrote in them."""
        key = key_of.get(item.id)
        if key is None:
            return False
        wanted = desired_items[key]
        if item.type != "sticky_note":
            return True  # headers, texts, shapes: gria-miro's own
        written = note_text(item.data.get("content"))
        return not written or written == note_text(wanted.data.get("content"))  # an empty slot stays ours

    # 1. Cards: gria-miro's (matched) and any other card participants added.
    cards: list[PlacedCard] = []
    for item in board.items:
        if item.type not in CARD_TYPES:
            continue
        key = key_of.get(item.id)
        wanted_card = desired_items.get(key) if key else None
        status, zone, straddled = zones.locate_card(item)
        team = zone.team if zone is not None and zone.team in team_ids else None
        if team is None and wanted_card is not None:
            team = wanted_card.team
        assignee_id = item.data.get("assigneeId")
        cards.append(
            PlacedCard(
                item_id=item.id,
                key=key,
                code=wanted_card.card_code if wanted_card is not None else card_code(item.data.get("title")),
                title=plain_text(item.data.get("title")),
                team=team,
                status=status,
                zone_key=zone.key if zone is not None else None,
                zones=straddled,
                x=item.x,
                y=item.y,
                width=item.width,
                height=item.height,
                assignee_id=str(assignee_id) if assignee_id else None,
                assignee=members.get(str(assignee_id)) if assignee_id else None,
                due_date=due_date(item.data.get("dueDate")),
                tags=tuple(tags.get(tag_id, tag_id) for tag_id in item.tag_ids),
            )
        )

    # 2. Notes: each goes to the card it is on or next to (same zone), else to its zone, else loose.
    card_notes: dict[str, list[BoardNote]] = {}
    zone_notes: dict[str, list[BoardNote]] = {}
    participants: list[Participant] = []
    loose: list[BoardNote] = []
    for item in sorted(board.items, key=lambda i: (i.y, i.x, i.id)):
        if item.type not in NOTE_TYPES or is_ours(item) or is_manifest(item) or is_lock(item):
            continue
        text = note_text(item.data.get("content"))
        if not text:
            continue
        note = BoardNote(item.id, text, item.x, item.y)
        zone = zones.locate_note(item)
        card = _nearest_card(item, zone, cards)
        if card is None and zone is not None and zone.role == ZoneRole.CORDEE:
            parsed = parse_participant(text)
            if parsed is not None:
                participants.append(Participant(parsed[0], parsed[1], zone.team, item.id))
            continue  # the cordée holds people, not notes (a note on a card there stays the card's)
        if card is not None:
            card_notes.setdefault(card.item_id, []).append(note)
        elif zone is not None:
            zone_notes.setdefault(zone.key, []).append(note)
        else:
            loose.append(note)
    cards = [_with_notes(card, card_notes[card.item_id]) if card.item_id in card_notes else card for card in cards]

    placements = []
    for zone, frame in found:
        inside = [c for c in cards if c.status == CardStatus.PLACED and c.zone_key == zone.key]
        placements.append(
            ZonePlacement(zone, frame.id, tuple(reading_order(inside)), tuple(zone_notes.get(zone.key, ())))
        )
    unplaced = [c for c in cards if c.status != CardStatus.PLACED]
    return Placement(
        zones=tuple(placements),
        missing_zones=tuple(zone for zone in desired.zones if zone.key not in matched),
        unplaced=tuple(sorted(unplaced, key=lambda c: (c.team or "", c.code or "", c.item_id))),
        missing_cards=tuple(
            item.key for item in desired.items if item.card_code is not None and item.key not in matched
        ),
        participants=tuple(participants),
        loose_notes=tuple(loose),
        matched=matched,
    )


def _with_notes(card: PlacedCard, notes: list[BoardNote]) -> PlacedCard:
    return replace(card, notes=tuple(notes))


def _nearest_card(item: ObservedItem, zone: Zone | None, cards: Sequence[PlacedCard]) -> PlacedCard | None:
    """The card this note is on or next to, in the same zone: the largest overlap, then the nearest."""
    note = _Rect.of(item)
    zone_key = zone.key if zone is not None else None
    best: tuple[float, float, str] | None = None
    chosen = None
    for card in cards:
        same_area = (
            card.zone_key == zone_key
            if card.status == CardStatus.PLACED
            else (zone_key in card.zones or zone_key is None)
        )
        if not same_area:
            continue
        halo = _Rect(
            card.x - card.width / 2 - NOTE_MARGIN,
            card.y - card.height / 2 - NOTE_MARGIN,
            card.x + card.width / 2 + NOTE_MARGIN,
            card.y + card.height / 2 + NOTE_MARGIN,
        )
        overlap = halo.overlap(note)
        if overlap <= 0:
            continue
        rank = (-overlap, abs(card.x - item.x) + abs(card.y - item.y), card.item_id)
        if best is None or rank < best:
            best, chosen = rank, card
    return chosen
