"""Recognising gria-miro's own items on a board, and fingerprints of their content.

Miro's REST API v2 has no place for an external key (notes §4), so identity is carried
by what the board shows: a zone (frame) by its title, a card by the code at the start of
its title and the team whose zone holds it, any other item by its frame, its content and
its position. Pure functions; used by the planner (adoption when the state is lost,
stale or foreign, or after a create whose outcome is unknown) and by pull.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from gria_miro.board import DesiredBoard, DesiredItem
from gria_miro.layout.content import card_code_from_title
from gria_miro.layout.content import plain_text as html_plain_text
from gria_miro.observed import ObservedItem
from gria_miro.typography import identity_fold

#: The content fields that make an item what it is, per type (participants' assignee,
#: due date, size or position are not content).
CONTENT_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "frame": (("data", "title"), ("style", "fillColor")),
    "card": (("data", "title"), ("data", "description"), ("style", "cardTheme")),
    "app_card": (("data", "title"), ("data", "description"), ("data", "fields"), ("style", "fillColor")),
    "sticky_note": (("data", "content"), ("style", "fillColor")),
    "shape": (("data", "content"), ("data", "shape"), ("style", "fillColor")),
    "text": (("data", "content"),),
}

#: How far (board units) an item may be from where it was put and still count as unmoved.
POSITION_TOLERANCE = 2.0

#: Card types that carry a seal: the last line of their description, ``réf. gria-miro 3f9a2c1b``, the
#: fingerprint of the content gria-miro pushed. It tells, with no local state, gria-miro's cards
#: (sealed) from participants' own (no seal), and an untouched card (seal matches the content) from
#: one participants edited (it does not).
SEALED_TYPES = frozenset({"card", "app_card"})
SEAL_PREFIX = "réf. gria-miro"
_SEAL = re.compile(r"\s*réf\. gria-miro ([0-9a-f]{8})\s*$")


def plain_text(value: Any) -> str:
    """Text as a person reads it (tags stripped, entities decoded, spaces collapsed); other
    JSON values (an app card's fields) as canonical JSON."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return html_plain_text(value)


def card_code(title_html: Any) -> str | None:
    """The GR:IA code a card's title starts with (``GOV-03 · …`` → ``GOV-03``)."""
    return card_code_from_title(title_html) if isinstance(title_html, str) else None


def _split_seal(text: str) -> tuple[str, str | None]:
    """A description's plain text without its seal line, and the seal (None when there is none)."""
    found = _SEAL.search(text)
    if found is None:
        return text, None
    return text[: found.start()].rstrip(), found.group(1)


def _content(item_type: str, data: Mapping[str, Any], style: Mapping[str, Any]) -> list[str]:
    parts = []
    for section, name in CONTENT_FIELDS.get(item_type, ()):
        source = data if section == "data" else style
        text = plain_text(source.get(name))
        if name.endswith(("Color", "Theme")):
            text = text.lower()
        elif name == "description" and item_type in SEALED_TYPES:
            text = _split_seal(text)[0]
        parts.append(text)
    return parts


def seal_of(desired: DesiredItem) -> str:
    """The seal gria-miro writes on ``desired``: the fingerprint of its content as the board will show it."""
    return _digest([desired.type, _content(desired.type, desired.data, desired.style)])[:8]


def seal_line(desired: DesiredItem) -> str:
    """The seal as the last paragraph of a card's description (Miro keeps ``<p>`` in descriptions)."""
    return f"<p>{SEAL_PREFIX} {seal_of(desired)}</p>"


class Seal(StrEnum):
    """What a card's seal says about it."""

    INTACT = "intact"  # gria-miro's card, content as pushed
    BROKEN = "broken"  # gria-miro's card, content edited since (or the seal line edited)
    ABSENT = "absent"  # no seal: a participant's card (or one pushed before seals existed)


def seal_state(observed: ObservedItem) -> Seal:
    """Whether an observed card is gria-miro's and untouched, gria-miro's and edited, or not sealed at all."""
    description = plain_text(observed.data.get("description"))
    _text, seal = _split_seal(description)
    if seal is None:
        return Seal.ABSENT
    shown = _digest([observed.type, _content(observed.type, observed.data, observed.style)])[:8]
    return Seal.INTACT if shown == seal else Seal.BROKEN


def pushed_seal(observed: ObservedItem) -> str | None:
    """The seal an observed card carries (the fingerprint of the content it was pushed with)."""
    return _split_seal(plain_text(observed.data.get("description")))[1]


def _digest(payload: Any) -> str:
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def desired_fingerprint(item: DesiredItem) -> str:
    """What gria-miro wants this item to be (content, style and size; not its position)."""
    sealed = ["sealed"] if item.type in SEALED_TYPES else []  # cards pushed before seals get theirs once
    return _digest([item.type, dict(item.data), dict(item.style), item.geometry_body(), *sealed])


def board_fingerprint(item: ObservedItem) -> str:
    """What the board shows of the item's content, as normalised text."""
    return _digest([item.type, _content(item.type, item.data, item.style)])


def same_content(desired: DesiredItem, observed: ObservedItem) -> bool:
    """Whether the board shows what the desired item says (HTML and case of colours aside)."""
    return desired.type == observed.type and _content(desired.type, desired.data, desired.style) == _content(
        observed.type, observed.data, observed.style
    )


def changed_fields(desired: DesiredItem, observed: ObservedItem) -> tuple[str, ...]:
    """Names of the content fields that differ between the desired and the observed item."""
    mine = _content(desired.type, desired.data, desired.style)
    theirs = _content(desired.type, observed.data, observed.style)
    fields = CONTENT_FIELDS.get(desired.type, ())
    return tuple(f"{section}.{name}" for (section, name), a, b in zip(fields, mine, theirs, strict=True) if a != b)


def _distance(desired: DesiredItem, observed: ObservedItem) -> float:
    return float(abs(desired.x - observed.x) + abs(desired.y - observed.y))


def match_items(
    desired: DesiredBoard,
    observed: Sequence[ObservedItem],
    bound: Mapping[str, str],
    *,
    sealed_only: bool = False,
) -> dict[str, str]:
    """Find on the board the desired items that no state binds yet: key → Miro id.

    ``bound`` maps keys to ids already known (from the state, and present on the board);
    those ids are never matched again. With ``sealed_only`` (a board whose manifest says its
    cards carry seals), a card without a seal is a participant's and is never matched.
    Deterministic: candidates are taken in a stable order and ties go to the nearest item,
    then the smallest id.
    """
    taken = set(bound.values())
    found: dict[str, str] = {}
    wanted = [item for item in desired.items if item.key not in bound]

    def free(kinds: Iterable[str]) -> list[ObservedItem]:
        kinds = set(kinds)
        return sorted((o for o in observed if o.type in kinds and o.id not in taken), key=lambda o: o.id)

    def claim(key: str, item_id: str) -> None:
        found[key] = item_id
        taken.add(item_id)

    # 1. Zones (frames): the title is their identity; titles are unique on a gria-miro board.
    #    Typography aside (boards pushed before the French typography pass have plain spaces and ').
    frames = free(["frame"])
    for item in (i for i in wanted if i.type == "frame"):
        title = identity_fold(plain_text(item.data.get("title")))
        candidates = [
            f for f in frames if f.id not in taken and identity_fold(plain_text(f.data.get("title"))) == title
        ]
        if candidates:
            claim(item.key, min(candidates, key=lambda f: (_distance(item, f), f.id)).id)

    key_of_frame = {**{v: k for k, v in bound.items()}, **{v: k for k, v in found.items()}}
    desired_by_key = desired.by_key()
    team_regions = _team_regions(desired)

    def team_of(o: ObservedItem) -> str | None:
        if o.parent_id and o.parent_id in key_of_frame:
            parent = desired_by_key.get(key_of_frame[o.parent_id])
            if parent is not None and parent.team is not None:
                return parent.team
        for team, (left, top, right, bottom) in team_regions.items():
            if left <= o.x <= right and top <= o.y <= bottom:
                return team
        return None

    # 2. GR:IA cards: the code in the title, within the team whose zones hold the card.
    #    Pairs are taken best first (right team, then nearest), so order of keys never matters.
    cards = [c for c in free(["card", "app_card"]) if not sealed_only or seal_state(c) != Seal.ABSENT]
    by_code: dict[tuple[str, str], list[ObservedItem]] = {}
    for candidate in cards:
        code = card_code(candidate.data.get("title"))
        if code is not None:
            by_code.setdefault((candidate.type, code), []).append(candidate)
    pairs: list[tuple[tuple[Any, ...], str, str]] = []
    for item in (i for i in wanted if i.card_code is not None):
        for candidate in by_code.get((item.type, item.card_code or ""), []):
            team = team_of(candidate)
            if team in (item.team, None):
                pairs.append(
                    ((team != item.team, _distance(item, candidate), item.key, candidate.id), item.key, candidate.id)
                )
    _claim_best(pairs, found, taken)

    # 3. Everything else: same type, same frame, and either the same content or the very spot it
    #    was put. Identical items (empty sticky-note slots) go to the nearest key, best pairs first.
    others: dict[tuple[str, str | None], list[ObservedItem]] = {}
    for candidate in free(["text", "shape", "sticky_note"]):
        others.setdefault((candidate.type, candidate.parent_id), []).append(candidate)
    pairs = []
    for item in (i for i in wanted if i.type != "frame" and i.card_code is None):
        parent_id = None
        if item.parent_key is not None:
            parent_id = bound.get(item.parent_key) or found.get(item.parent_key)
            if parent_id is None:
                continue  # its zone is not on the board: it cannot be there either
        for candidate in others.get((item.type, parent_id), []):
            same = same_content(item, candidate)
            distance = _distance(item, candidate)
            if same or distance <= POSITION_TOLERANCE:
                pairs.append(((not same, distance, item.key, candidate.id), item.key, candidate.id))
    _claim_best(pairs, found, taken)
    return found


def _claim_best(pairs: list[tuple[tuple[Any, ...], str, str]], found: dict[str, str], taken: set[str]) -> None:
    """Greedy assignment, best-ranked pairs first; each key and each item used once."""
    for _rank, key, item_id in sorted(pairs):
        if key not in found and item_id not in taken:
            found[key] = item_id
            taken.add(item_id)


def _team_regions(desired: DesiredBoard) -> dict[str, tuple[int, int, int, int]]:
    """The bounding box of each team's zones (left, top, right, bottom)."""
    regions: dict[str, tuple[int, int, int, int]] = {}
    for zone in desired.zones:
        box = (zone.left, zone.top, zone.left + zone.width, zone.top + zone.height)
        if zone.team in regions:
            old = regions[zone.team]
            box = (min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]), max(old[3], box[3]))
        regions[zone.team] = box
    if len(regions) <= 1:
        return {}  # one team: every card is that team's, whatever its position
    return regions
