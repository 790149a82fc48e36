"""Snapshot files: every item of a board as pull read it, saved as JSON and read back for ``export``.

The one place that reads and writes snapshots. Writing is atomic (through
:func:`gria_miro.sourcefile.write_text_atomic`); reading reports every problem with its line
and column (a :class:`~gria_miro.errors.InputFileError`, never a traceback). A snapshot holds
the board's items, members and tags, and the deck/layout/teams pull used; never a token.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from gria_miro.errors import InputFileError, Problem
from gria_miro.observed import Member, ObservedBoard, ObservedItem, Tag

FORMAT_VERSION = 1
KIND = "instantané"
MAX_BYTES = 200 * 1024 * 1024  # a 10,000-item board is about 10 MB


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SnapshotBoard(_Model):
    id: str
    name: str | None = None
    view_link: str | None = None


class SnapshotMember(_Model):
    id: str
    name: str
    role: str | None = None


class SnapshotTag(_Model):
    id: str
    title: str
    fill_color: str | None = None


class SnapshotItem(_Model):
    id: str
    type: str
    x: float
    y: float
    width: float
    height: float
    data: dict[str, Any] = {}
    style: dict[str, Any] = {}
    parent_id: str | None = None
    rel_x: float | None = None
    rel_y: float | None = None
    created_at: str | None = None
    modified_at: str | None = None
    created_by: str | None = None
    modified_by: str | None = None
    tag_ids: tuple[str, ...] = ()


class SnapshotFile(_Model):
    format_version: Literal[1]
    board: SnapshotBoard
    deck: str | None = None  # the deck, layout and teams pull used (defaults for export)
    layout: str | None = None
    teams: int | None = None
    members: tuple[SnapshotMember, ...] = ()
    tags: tuple[SnapshotTag, ...] = ()
    items: tuple[SnapshotItem, ...]


def snapshot_text(
    board: ObservedBoard, *, deck: str | None = None, layout: str | None = None, teams: int | None = None
) -> str:
    """The snapshot as JSON text: one item per line, so a person can read and diff it."""
    head = {
        "format_version": FORMAT_VERSION,
        "board": {"id": board.board_id, "name": board.name, "view_link": board.view_link},
        "deck": deck,
        "layout": layout,
        "teams": teams,
        "members": [{"id": m.id, "name": m.name, "role": m.role} for m in board.members],
        "tags": [{"id": t.id, "title": t.title, "fill_color": t.fill_color} for t in board.tags],
    }
    lines = ["{"]
    for name, value in head.items():
        lines.append(f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},")
    items = [json.dumps(_item(i), ensure_ascii=False, sort_keys=True) for i in board.items]
    lines.append('  "items": [')
    lines += [f"    {text}," for text in items[:-1]] + ([f"    {items[-1]}"] if items else [])
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def _item(item: ObservedItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "type": item.type,
        "x": item.x,
        "y": item.y,
        "width": item.width,
        "height": item.height,
        "data": dict(item.data),
        "style": dict(item.style),
        "parent_id": item.parent_id,
        "rel_x": item.rel_x,
        "rel_y": item.rel_y,
        "created_at": item.created_at,
        "modified_at": item.modified_at,
        "created_by": item.created_by,
        "modified_by": item.modified_by,
        "tag_ids": list(item.tag_ids),
    }


def save_snapshot(
    path: Path,
    board: ObservedBoard,
    *,
    deck: str | None = None,
    layout: str | None = None,
    teams: int | None = None,
    force: bool = False,
) -> None:
    from gria_miro.sourcefile import write_text_atomic

    write_text_atomic(path, snapshot_text(board, deck=deck, layout=layout, teams=teams), KIND, force=force)


def parse_snapshot(text: str, shown: str) -> SnapshotFile:
    """The snapshot in ``text``; every problem located at its line and column."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            KIND, shown, [Problem(shown, exc.lineno, exc.colno, f"JSON invalide : {exc.msg}")]
        ) from None
    if not isinstance(raw, dict) or "format_version" not in raw:
        raise InputFileError(
            KIND, shown, [Problem(shown, 1, 1, "ce n'est pas un instantané gria-miro (format_version manquant)")]
        )
    if raw.get("format_version") != FORMAT_VERSION:
        raise InputFileError(
            KIND,
            shown,
            [
                Problem(
                    shown,
                    None,
                    None,
                    f"version d'instantané {raw.get('format_version')!r} inconnue (attendue : {FORMAT_VERSION}) ; "
                    "mettez gria-miro à jour ou refaites le pull",
                )
            ],
        )
    try:
        return SnapshotFile.model_validate(raw)
    except ValidationError as exc:
        raise InputFileError(KIND, shown, _located(text, shown, exc)) from None


def _located(text: str, shown: str, exc: ValidationError) -> list[Problem]:
    """Problems at their line and column: the JSON is re-read as YAML (a superset) to find where values are."""
    from gria_miro.sourcefile import describe_error, parse_yaml, validation_problems

    try:
        doc = parse_yaml(text, shown, KIND)
    except InputFileError:
        doc = None
    if doc is None:
        return [
            Problem(shown, None, None, f"{'.'.join(map(str, e['loc']))} : {describe_error(e)}")
            for e in exc.errors(include_url=False)
        ]
    return validation_problems(doc, exc)


def load_snapshot(path: Path) -> tuple[ObservedBoard, SnapshotFile]:
    """The board saved at ``path``, and the file's own fields (deck, layout, teams used)."""
    from gria_miro.sourcefile import read_text

    parsed = parse_snapshot(read_text(path, KIND, max_bytes=MAX_BYTES), str(path))
    return to_board(parsed), parsed


def to_board(parsed: SnapshotFile) -> ObservedBoard:
    return ObservedBoard(
        board_id=parsed.board.id,
        name=parsed.board.name,
        view_link=parsed.board.view_link,
        items=tuple(ObservedItem(**item.model_dump()) for item in parsed.items),
        members=tuple(Member(m.id, m.name, m.role) for m in parsed.members),
        tags=tuple(Tag(t.id, t.title, t.fill_color) for t in parsed.tags),
    )
