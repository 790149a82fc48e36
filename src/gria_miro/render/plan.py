"""Rendering a push plan as text (in the style of infrastructure tools) or as stable JSON.

Pure: returns strings. The JSON structure (``format_version`` 1) is documented in
docs/plan-json.md and only grows by adding fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from gria_miro.board import DesiredBoard, DesiredItem
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


def _label(action: Action, items: Mapping[str, DesiredItem]) -> str:
    item = items.get(action.key)
    if item is None:
        return ""
    text = plain_text(item.data.get("title") or item.data.get("content") or "")
    return text if len(text) <= 60 else text[:57] + "…"


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
    return "\n".join([*lines, *footer, summary_line(plan, lang)]) + "\n"


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
