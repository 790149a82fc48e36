"""Rendering a push plan for people (a summary per team and zone, then what needs a decision), as the
full list of items with their keys (``--verbose``), or as stable JSON.

Pure: returns strings. The JSON structure (``format_version`` 1) is documented in
docs/plan-json.md and only grows by adding fields.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gria_miro.board import DesiredBoard, DesiredItem
from gria_miro.formatting import Lang, number
from gria_miro.i18n import t
from gria_miro.sync.identity import plain_text
from gria_miro.sync.planner import Action, ActionKind, Note, Plan

SYMBOLS = {
    ActionKind.CREATE: "+",
    ActionKind.UPDATE: "~",
    ActionKind.DELETE: "-",
    ActionKind.CONFLICT: "!",
    ActionKind.KEEP: " ",
    ActionKind.FORGET: " ",
}

#: Why an item is in the plan, in each language (the words are in the one table, gria_miro.i18n).
NOTE_FR = {note: t(f"note.{note.name.lower()}", "fr") for note in Note}
NOTE_EN = {note: t(f"note.{note.name.lower()}", "en") for note in Note}


def _label(action: Action, items: Mapping[str, DesiredItem], *, first_paragraph: bool = False) -> str:
    """The item's title (or text) as read, at most 60 characters; only its first paragraph when asked."""
    item = items.get(action.key)
    if item is None:
        return ""
    html_text = str(item.data.get("title") or item.data.get("content") or "")
    text = plain_text(html_text.split("</p>")[0] if first_paragraph else html_text)
    return text if len(text) <= 60 else text[:57] + "…"


def _colon(lang: Lang) -> str:
    """Before a list of counts: French puts a no-break space before the colon."""
    return "\u00a0: " if lang == "fr" else ": "


def _hint(action: Action, lang: str) -> str:
    fr = lang != "en"
    if action.kind == ActionKind.CONFLICT:
        return " — --force pour écraser" if fr else " — use --force to overwrite"
    if action.kind == ActionKind.KEEP and Note.TOUCHED in action.notes:
        return " — --force pour le supprimer aussi" if fr else " — use --force to delete it too"
    if action.kind == ActionKind.KEEP and Note.DELETED_ON_BOARD in action.notes:
        return " — --restore pour le recréer" if fr else " — use --restore to recreate it"
    if action.kind == ActionKind.KEEP and Note.REMOVED_FROM_DECK in action.notes:
        return " — --prune pour le supprimer" if fr else " — use --prune to delete it"
    return ""


def _shown(action: Action, verbose: bool) -> bool:
    if action.writes or action.kind == ActionKind.CONFLICT:
        return True
    reported = {Note.DELETED_ON_BOARD, Note.REMOVED_FROM_DECK, Note.EDITED_ON_BOARD, Note.TOUCHED}
    if action.kind == ActionKind.KEEP and reported & set(action.notes):
        return True
    return verbose


def summary_line(plan: Plan, lang: str = "fr") -> str:
    counts = plan.counts()
    if not plan.has_changes:
        return "Aucun changement : le tableau est à jour." if lang != "en" else "No changes. The board is up to date."
    if lang == "en":
        return f"Plan: {counts['create']} to create, {counts['update']} to update, {counts['delete']} to delete."
    return f"Plan : {counts['create']} à créer, {counts['update']} à modifier, {counts['delete']} à supprimer."


def render_plan_text(plan: Plan, board: DesiredBoard | None = None, *, verbose: bool = False, lang: str = "fr") -> str:
    """One line per action (``+`` create, ``~`` update, ``-`` delete, ``!`` conflict), then a summary."""
    notes = NOTE_EN if lang == "en" else NOTE_FR
    items = board.by_key() if board is not None else {}
    lines = []
    for action in plan.actions:
        if not _shown(action, verbose):
            continue
        symbol = SYMBOLS[action.kind]
        label = _label(action, items)
        detail = []
        if action.changes:
            detail.append(", ".join(action.changes))
        detail += [notes[n] for n in action.notes if n not in (Note.NEW, Note.CLEAN)]
        line = f"  {symbol} {action.type:<11} {action.key}"
        if label:
            line += f"  « {label} »" if lang != "en" else f"  “{label}”"
        if detail:
            line += f"  ({'; '.join(detail)})"
        lines.append(line + _hint(action, lang))
    footer = _footer(plan, lang)
    return "\n".join([*lines, *footer, summary_line(plan, lang)]) + "\n"


#: The buckets of a zone's summary line, in the order shown; each is a Counter of item types.
BUCKETS = ("create", "update", "delete", "keep", "moved", "edited", "deleted", "conflict", "removed", "touched")
#: Buckets that mean something to report (a zone or team with none of them is "à jour").
REPORTED = tuple(b for b in BUCKETS if b != "keep")
#: What participants did that push keeps, in the order of the sentence ("ont déplacé …, modifié …, supprimé …").
PARTICIPANTS = ("moved", "edited", "deleted")
#: At most this many lines under "À décider"; the rest is counted and left to --verbose.
DECISION_LINES = 12


def _bucket(action: Action) -> str:
    """Which summary bucket an action counts in: one row per kind of line a facilitator reads."""
    notes = set(action.notes)
    if action.kind == ActionKind.CONFLICT:  # changed on both sides: waits for --force
        return "conflict"
    if action.kind == ActionKind.CREATE:  # new, or recreated with --restore
        return "create"
    if action.kind == ActionKind.DELETE:  # --prune, or clean
        return "delete"
    if action.kind == ActionKind.UPDATE:  # the deck or layout changed (participants' moves are kept too)
        return "moved" if Note.MOVED_BY_PARTICIPANTS in notes and not action.changes else "update"
    if Note.DELETED_ON_BOARD in notes:  # participants deleted it: not recreated without --restore
        return "deleted"
    if Note.REMOVED_FROM_DECK in notes:  # gone from the deck: deleted only with --prune
        return "removed"
    if Note.TOUCHED in notes:  # participants' work kept by --prune / clean without --force
        return "touched"
    if Note.EDITED_ON_BOARD in notes or Note.UNCERTAIN in notes:  # participants' text kept
        return "edited"
    if Note.MOVED_BY_PARTICIPANTS in notes:  # left where the team put it
        return "moved"
    return "keep"  # unchanged (forget: gone on both sides, counted as nothing to do)


def _needs_decision(action: Action) -> bool:
    return _bucket(action) in ("conflict", "deleted", "removed", "touched")


def _zone_key(action: Action, items: Mapping[str, DesiredItem]) -> str | None:
    """The frame an action's item belongs to: itself for a frame, its desired parent, or the key's zone part."""
    if action.type == "frame":
        return action.key
    item = items.get(action.key)
    parent = (item.parent_key if item is not None else None) or action.parent_key
    if parent is not None:
        return parent
    head, _, rest = action.key.partition("/")
    if rest.startswith("zone:"):
        return f"{head}/{rest.split('/')[0]}"
    return None


def _nouns(counter: Counter[str], lang: Lang) -> str:
    """``1 zone, 80 cartes, 3 notes`` in a stable order of types."""
    order = ("frame", "card", "app_card", "sticky_note", "text", "shape")
    parts = []
    for kind in sorted(counter, key=lambda k: order.index(k) if k in order else len(order)):
        word = f"type.{kind}" if kind in order else "type.other"
        singular, plural = t(word, lang).split("|")
        value = counter[kind]
        one = value in (0, 1) if lang == "fr" else value == 1
        parts.append(f"{number(value, lang)} {singular if one else plural}")
    return ", ".join(parts)


@dataclass
class _ZoneSummary:
    name: str
    buckets: dict[str, Counter[str]] = field(default_factory=lambda: {b: Counter() for b in BUCKETS})

    @property
    def reported(self) -> bool:
        return any(self.buckets[b] for b in REPORTED)

    def line(self, lang: Lang) -> str:
        """``La pioche — à créer : 1 zone, 80 cartes ; les participants ont déplacé 3 cartes (laissé tel quel)``."""
        sep = _colon(lang)
        parts = [f"{t('plan.' + b, lang)}{sep}{_nouns(self.buckets[b], lang)}" for b in ("create", "update", "delete")]
        done = [f"{t('plan.did_' + b, lang)} {_nouns(self.buckets[b], lang)}" for b in PARTICIPANTS if self.buckets[b]]
        if done:
            parts.append(f"{t('plan.participants', lang)} {', '.join(done)} {t('plan.left_as_is', lang)}")
        parts += [
            f"{t('plan.' + b, lang)}{sep}{_nouns(self.buckets[b], lang)}" for b in ("conflict", "removed", "touched")
        ]
        kept = self.buckets["keep"] - Counter({"frame": 1})  # the zone itself goes without saying
        parts.append(f"{t('plan.keep', lang)}{sep}{_nouns(kept, lang)}")
        shown = [part for part in parts if not part.endswith(sep)]
        return f"{self.name} — " + (" ; " if lang == "fr" else "; ").join(shown)


def _team_name(team_id: str, board: DesiredBoard | None, lang: Lang) -> str:
    if team_id == "board":
        return t("plan.board_wide", lang)
    for team in board.teams if board is not None else ():
        if team.id == team_id:
            return team.name
    return team_id


def _zone_names(board: DesiredBoard | None) -> dict[str, tuple[str, str]]:
    """Frame key → (its own label, its title as shown on the board)."""
    return {z.key: (z.label, z.title) for z in board.zones} if board is not None else {}


def _decision_line(action: Action, items: Mapping[str, DesiredItem], where: str, lang: Lang) -> str:
    kind = action.type if action.type in ("frame", "card", "app_card", "sticky_note", "text", "shape") else "other"
    noun = t(f"type.{kind}", lang).split("|")[0]
    label = _label(action, items, first_paragraph=True) or action.key.rsplit(":", 1)[-1]
    quoted = f"« {label} »" if lang == "fr" else f"“{label}”"
    if action.kind == ActionKind.CONFLICT:
        why = "modifié sur le tableau et dans le deck" if lang == "fr" else "changed on the board and in the deck"
    else:
        shown = [n for n in (Note.DELETED_ON_BOARD, Note.REMOVED_FROM_DECK, Note.TOUCHED) if n in action.notes]
        why = t(f"note.{shown[0].name.lower()}", lang) if shown else ""
    colon = " :" if lang == "fr" else ":"
    return f"  ! {where} — {noun} {quoted}{colon} {why}{_hint(action, lang)}"


def render_plan_summary(
    plan: Plan, board: DesiredBoard | None = None, *, lang: Lang = "fr", refused: Sequence[str] = ()
) -> str:
    """The plan for people: one line per zone of each team (what is created, changed, kept; what participants
    did and push keeps), a team with nothing to report on one line, then the few lines that need a decision
    (conflicts, deletions waiting for --prune/--restore/--force, options push refuses), then the summary line."""
    items = board.by_key() if board is not None else {}
    names = _zone_names(board)
    teams: dict[str, dict[str | None, _ZoneSummary]] = {}
    order = [team.id for team in board.teams] if board is not None else []
    decisions: list[str] = []
    undecided = 0
    for action in plan.actions:
        if Note.MANIFEST in action.notes or action.kind == ActionKind.FORGET:
            continue  # bookkeeping of gria-miro itself, not the facilitator's business
        team_id = action.key.split("/", 1)[0]
        zone_key = _zone_key(action, items)
        label, title = names.get(zone_key or "", (None, None))
        if label is None and action.key not in items and board is not None:  # left the deck or layout
            label, title = t("plan.gone", lang), _team_name(team_id, board, lang)
        elif label is None:
            label = zone_key.split("zone:", 1)[-1] if zone_key else t("plan.outside", lang)
            title = f"{_team_name(team_id, board, lang)} · {label}"
        zones = teams.setdefault(team_id, {})
        summary = zones.setdefault(zone_key, _ZoneSummary(label))
        summary.buckets[_bucket(action)][action.type] += 1
        if _needs_decision(action):
            if len(decisions) < DECISION_LINES:
                decisions.append(_decision_line(action, items, title or label, lang))
            else:
                undecided += 1
    ranked = sorted(teams, key=lambda k: (k != "board", order.index(k) if k in order else len(order), k))
    blocks: dict[tuple[str, ...], list[str]] = {}  # a team's lines → the teams that have exactly these
    for team_id in ranked:
        blocks.setdefault(_team_block(teams[team_id], lang), []).append(_team_name(team_id, board, lang))
    lines: list[str] = []
    sep = _colon(lang)
    for block, team_names in blocks.items():
        name = ", ".join(team_names) + (f" ({t('plan.each', lang)})" if len(team_names) > 1 else "")
        if len(block) == 1 and not block[0].startswith("  "):  # nothing to report: one line
            lines.append(f"{name}{sep}{block[0]}")
        else:
            lines += [name, *block]
    decisions[:0] = [f"  ! {option} — {t('plan.refused', lang)}" for option in refused]  # first: push stops there
    if undecided:
        decisions.append("  " + t("plan.more", lang).format(n=number(undecided, lang)))
    if decisions:
        lines += ["", t("plan.decide", lang) + (" :" if lang == "fr" else ":"), *decisions]
    footer = _footer(plan, lang)
    return "\n".join([*lines, "", *footer, summary_line(plan, lang)]) + "\n"


def _team_block(zones: Mapping[str | None, _ZoneSummary], lang: Lang) -> tuple[str, ...]:
    """A team's lines under its name: one per zone with something to report, the others on one line; or, when
    nothing is to report, the single line ``à jour (11 zones, 80 cartes…)``."""
    sep = _colon(lang)
    if not any(z.reported for z in zones.values()):
        kept: Counter[str] = sum((z.buckets["keep"] for z in zones.values()), Counter())
        return (f"{t('plan.up_to_date', lang)} ({_nouns(kept, lang)})",)
    lines = ["  " + zone.line(lang) for zone in zones.values() if zone.reported]
    quiet = [z for z in zones.values() if not z.reported]
    if quiet:
        kept = sum((z.buckets["keep"] for z in quiet), Counter()) - Counter({"frame": len(quiet)})
        others = f"{t('plan.other_zones', lang)} ({number(len(quiet), lang)})"
        lines.append(f"  {others} — {t('plan.keep', lang)}{sep}{_nouns(kept, lang)}" if kept else f"  {others}")
    return tuple(lines)


def _footer(plan: Plan, lang: str) -> list[str]:
    counts = plan.counts()
    moved = len(plan.noted(Note.MOVED_BY_PARTICIPANTS))
    footer = []
    if counts["conflict"]:
        footer.append(
            f"{counts['conflict']} conflit(s) laissé(s) tel(s) quel(s) (--force pour écraser)."
            if lang != "en"
            else f"{counts['conflict']} conflict(s) left as is (--force to overwrite)."
        )
    if moved:
        footer.append(
            f"{moved} élément(s) déplacé(s) par les participants : laissé(s) à leur place."
            if lang != "en"
            else f"{moved} item(s) moved by participants: left where they are."
        )
    if plan.adopted:
        footer.append(
            f"{len(plan.adopted)} élément(s) de gria-miro retrouvé(s) sur le tableau et repris dans l'état local."
            if lang != "en"
            else f"{len(plan.adopted)} gria-miro item(s) found on the board and recorded in the local state."
        )
    return footer


def plan_to_json(plan: Plan, board: DesiredBoard | None = None) -> dict[str, Any]:
    counts = plan.counts()
    items = board.by_key() if board is not None else {}
    return {
        "format_version": 1,
        "board_id": plan.board_id,
        "changes_pending": plan.has_changes,
        "summary": {k: counts[k] for k in ("create", "update", "delete", "conflict", "keep", "forget")},
        "adopted": dict(sorted(plan.adopted.items())),
        "actions": [
            {
                "action": a.kind.value,
                "key": a.key,
                "type": a.type,
                "item_id": a.item_id,
                "label": _label(a, items),
                "changes": list(a.changes),
                "move": a.move,
                "notes": [n.value for n in a.notes],
            }
            for a in plan.actions
        ],
    }


def render_plan_json(plan: Plan, board: DesiredBoard | None = None) -> str:
    return json.dumps(plan_to_json(plan, board), ensure_ascii=False, indent=2) + "\n"
