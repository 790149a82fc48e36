"""The board manifest: a small text item, readable by people, that says what gria-miro pushed on the board.

Miro's REST API v2 has no item metadata (notes §4), so what another machine needs for a safe
re-push and a faithful pull is written on the board itself, in one ``text`` item on the canvas
above the board (pure functions here; ``sync/push.py`` reads and writes it)::

    gria-miro · manifeste du plateau (ne pas modifier)
    deck : gria-fr · disposition : atelier-multi-equipes · équipes : 3
    équipes : equipe-a, equipe-b, equipe-c
    cartes : ACC-01→08, CLIC-01→06, GOV-01→10, …
    empreintes : cartes 3f9a2c1b4d0e · zones 77aa01c3e2f9 · deck 0c1d2e3f4a5b
    push : terminé le 2026-11-29 10:02 UTC

With it, and the seal on each card (``sync/identity.py``), a machine without local state knows
the deck, layout and teams to use, which keys were pushed (so a missing one was deleted by
participants), and whether the zones' items still show what was pushed. Participants who edit
it make it unreadable or change a value: an unreadable manifest counts as absent (push then plays
safe, see docs/architecture.md), and the next push that writes rewrites it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from gria_miro.board import DesiredBoard, DesiredItem
from gria_miro.observed import ObservedBoard, ObservedItem
from gria_miro.sync.identity import desired_fingerprint, plain_text

MANIFEST_TITLE = "gria-miro · manifeste du plateau (ne pas modifier)"
_LINE = re.compile(r"^\s*([a-zéèêà '’]+?)\s*:\s*(.*?)\s*$")
_RANGE = re.compile(r"^(.*?)(\d+)→(\d+)$")
_CODE = re.compile(r"^(.*?)(\d+)$")


@dataclass(frozen=True)
class Manifest:
    """What the manifest says. ``complete`` is False while a push is running (or was interrupted)."""

    deck: str
    layout: str
    teams: int | None  # the --teams used (None: the layout's own)
    team_ids: tuple[str, ...]
    codes: frozenset[str]
    cards_fp: str  # fingerprint of every card gria-miro pushed (content, style, size)
    zones_fp: str  # fingerprint of every other item (zones, headers, slots, legend…)
    deck_fp: str  # fingerprint of the deck's content (tells a deck fix from another deck)
    complete: bool = False
    pushed_at: str | None = None  # "2026-11-29 10:02 UTC"
    extra: tuple[tuple[str, str], ...] = field(default=())  # title block lines kept as written

    def same_content(self, other: Manifest) -> bool:
        """Whether two manifests describe the same push (the time aside)."""
        return replace(self, pushed_at=None) == replace(other, pushed_at=None)


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha256(json.dumps(list(parts)).encode("utf-8")).hexdigest()[:12]


def cards_fingerprint(items: Iterable[DesiredItem]) -> str:
    return _digest(f"{i.key}={desired_fingerprint(i)}" for i in items if i.card_code is not None)


def zones_fingerprint(items: Iterable[DesiredItem]) -> str:
    return _digest(f"{i.key}={desired_fingerprint(i)}" for i in items if i.card_code is None)


def deck_fingerprint(deck_json: str) -> str:
    """Fingerprint of a deck's content (its model as JSON)."""
    return hashlib.sha256(deck_json.encode("utf-8")).hexdigest()[:12]


def manifest_for(desired: DesiredBoard, deck: str, layout: str, teams: int | None, deck_fp: str) -> Manifest:
    """The manifest of a push of ``desired`` (not complete, no time yet)."""
    return Manifest(
        deck=deck,
        layout=layout,
        teams=teams,
        team_ids=tuple(team.id for team in desired.teams),
        codes=frozenset(i.card_code for i in desired.items if i.card_code is not None),
        cards_fp=cards_fingerprint(desired.items),
        zones_fp=zones_fingerprint(desired.items),
        deck_fp=deck_fp,
    )


def compress_codes(codes: Iterable[str]) -> str:
    """``GOV-01, GOV-02, GOV-03, FORM-01`` → ``FORM-01, GOV-01→03`` (runs of consecutive numbers)."""
    groups: dict[tuple[str, int], list[int]] = {}
    loose = []
    for code in sorted(set(codes)):
        found = _CODE.match(code)
        if found is None or "→" in code or "," in code:
            loose.append(code)
            continue
        groups.setdefault((found.group(1), len(found.group(2))), []).append(int(found.group(2)))
    parts = []
    for (prefix, width), numbers in sorted(groups.items()):
        numbers.sort()
        start = previous = numbers[0]
        for number in [*numbers[1:], None]:
            if number is not None and number == previous + 1:
                previous = number
                continue
            first = f"{prefix}{start:0{width}d}"
            parts.append(first if start == previous else f"{first}→{previous:0{width}d}")
            if number is not None:
                start = previous = number
    return ", ".join(parts + loose)


def expand_codes(text: str) -> frozenset[str]:
    codes = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        found = _RANGE.match(part)
        if found is None:
            codes.add(part)
            continue
        prefix, first, last = found.group(1), found.group(2), found.group(3)
        width = len(first)
        codes.update(f"{prefix}{n:0{width}d}" for n in range(int(first), int(last) + 1))
    return frozenset(codes)


def manifest_content(manifest: Manifest) -> str:
    """The manifest as the HTML content of a text item (one paragraph per line)."""
    teams = "disposition" if manifest.teams is None else str(manifest.teams)
    status = "terminé" if manifest.complete else "en cours"
    when = f" le {manifest.pushed_at}" if manifest.pushed_at else ""
    lines = [
        f"<strong>{MANIFEST_TITLE}</strong>",
        f"deck : {manifest.deck}",
        f"disposition : {manifest.layout}",
        f"nombre d'équipes : {teams}",
        f"équipes : {', '.join(manifest.team_ids)}",
        f"cartes : {compress_codes(manifest.codes)}",
        f"empreintes : cartes {manifest.cards_fp} · zones {manifest.zones_fp} · deck {manifest.deck_fp}",
        f"push : {status}{when}",
        *(f"{name} : {value}" for name, value in manifest.extra),
    ]
    return "".join(f"<p>{_escape(line) if not line.startswith('<strong>') else line}</p>" for line in lines)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


#: The start of a push's lock item (``sync/lock.py``): on the board only while a push runs.
LOCK_PREFIX = "gria-miro · push en cours"


def is_lock(item: ObservedItem) -> bool:
    """Whether an item is a push's lock item (not a note, not a desired item)."""
    return item.type == "text" and plain_text(item.data.get("content")).startswith(LOCK_PREFIX)


def is_manifest(item: ObservedItem) -> bool:
    """Whether an item is a gria-miro manifest (readable or not): a text starting with its title."""
    return item.type == "text" and plain_text(item.data.get("content")).startswith(MANIFEST_TITLE.split(" (")[0])


def parse_manifest(item: ObservedItem) -> Manifest | None:
    """The manifest an item carries, or None when it is not one or participants made it unreadable."""
    if not is_manifest(item):
        return None
    html = str(item.data.get("content") or "")
    lines = [plain_text(p) for p in re.split(r"(?i)</p>|<br\s*/?>", html)]
    values: dict[str, str] = {}
    extra = []
    for line in lines[1:]:
        found = _LINE.match(line)
        if found is None:
            continue
        name, value = found.group(1).strip(), found.group(2)
        if name in _KNOWN:
            values[name] = value
        elif line.strip():
            extra.append((name, value))
    try:
        fps = dict(part.strip().split(" ", 1) for part in values["empreintes"].split("·"))
        teams_text = values["nombre d'équipes"]
        status = values["push"]
        return Manifest(
            deck=values["deck"],
            layout=values["disposition"],
            teams=None if teams_text == "disposition" else int(teams_text),
            team_ids=tuple(t.strip() for t in values["équipes"].split(",") if t.strip()),
            codes=expand_codes(values["cartes"]),
            cards_fp=fps["cartes"],
            zones_fp=fps["zones"],
            deck_fp=fps["deck"],
            complete=status.startswith("terminé"),
            pushed_at=status.split(" le ", 1)[1] if " le " in status else None,
            extra=tuple(extra),
        )
    except (KeyError, ValueError):
        return None


_KNOWN = frozenset({"deck", "disposition", "nombre d'équipes", "équipes", "cartes", "empreintes", "push"})


@dataclass(frozen=True)
class FoundManifest:
    """The manifest item(s) on a board: the one to trust, and all of them (to rewrite or clean)."""

    item: ObservedItem | None
    manifest: Manifest | None
    items: tuple[ObservedItem, ...] = ()

    @property
    def unreadable(self) -> bool:
        return self.item is not None and self.manifest is None


def find_manifest(board: ObservedBoard) -> FoundManifest:
    """The board's manifest. Several (two pushes at once before locks, a copy): the lowest id that reads."""
    items = tuple(sorted((i for i in board.items if is_manifest(i)), key=lambda i: (len(i.id), i.id)))
    for item in items:
        parsed = parse_manifest(item)
        if parsed is not None:
            return FoundManifest(item, parsed, items)
    return FoundManifest(items[0] if items else None, None, items)


def manifest_position(desired: DesiredBoard) -> tuple[int, int]:
    """Where the manifest goes: above the board's top-left corner, clear of every zone."""
    if not desired.zones:
        return (0, -400)
    left = min(zone.left for zone in desired.zones)
    top = min(zone.top for zone in desired.zones)
    return (left + MANIFEST_WIDTH // 2, top - 260)


MANIFEST_WIDTH = 900
