"""The state store: what gria-miro created on a board, kept in one local JSON file per board.

For each stable layout key: the Miro item id, its type, the fingerprint of what was pushed
(desired content) and of what the board showed right after (board content), and where it
was put (parent and absolute position). Written atomically (temp file + rename) after each
successful chunk, so an interrupted push loses nothing. Never contains the token.

Default location: ``$GRIA_MIRO_STATE_DIR`` or ``$XDG_STATE_HOME/gria-miro`` (else
``~/.local/state/gria-miro``), one file per board id; ``--state FILE`` overrides it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gria_miro.atomicfile import write_atomic
from gria_miro.errors import InputFileError, Problem

STATE_VERSION = 1


@dataclass(frozen=True)
class ItemState:
    id: str
    type: str
    desired_fp: str  # fingerprint of the desired content last pushed
    board_fp: str  # fingerprint of the board's content right after that push
    parent_id: str | None  # Miro id of the frame it was put in
    x: int  # absolute centre where it was put
    y: int


@dataclass
class BoardState:
    board_id: str
    deck: str | None = None
    layout: str | None = None
    teams: int | None = None
    items: dict[str, ItemState] = field(default_factory=dict)

    def key_of(self) -> dict[str, str]:
        """Miro id → key."""
        return {item.id: key for key, item in self.items.items()}


def default_state_dir() -> Path:
    explicit = os.environ.get("GRIA_MIRO_STATE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base).expanduser() / "gria-miro"


def state_path_for(board_id: str, state_dir: Path | None = None) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", board_id)
    return (state_dir or default_state_dir()) / f"board-{safe}.json"


def load_state(path: Path, board_id: str) -> BoardState:
    """The state at ``path``; an absent file is an empty state (the board will be re-read)."""
    if not path.exists():
        return BoardState(board_id)

    def bad(message: str) -> InputFileError:
        return InputFileError("état", str(path), [Problem(str(path), None, None, message)])

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad(
            f"fichier d'état illisible ({exc}) ; supprimez-le : gria-miro relira le tableau et retrouvera ses éléments"
        ) from None
    if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION or not isinstance(raw.get("items"), dict):
        raise bad("ce n'est pas un fichier d'état gria-miro (version inconnue) ; supprimez-le ou indiquez --state")
    if raw.get("board_id") != board_id:
        raise bad(f"ce fichier d'état décrit le tableau {raw.get('board_id')!r}, pas {board_id!r} ; indiquez --state")
    try:
        items = {key: ItemState(**value) for key, value in raw["items"].items()}
    except TypeError as exc:
        raise bad(f"entrée invalide ({exc}) ; supprimez le fichier pour le reconstruire depuis le tableau") from None
    return BoardState(board_id, raw.get("deck"), raw.get("layout"), raw.get("teams"), items)


def save_state(path: Path, state: BoardState) -> None:
    """Write atomically: a reader (or a crash) sees the old file or the new one, never half."""
    payload: dict[str, Any] = {
        "version": STATE_VERSION,
        "board_id": state.board_id,
        "deck": state.deck,
        "layout": state.layout,
        "teams": state.teams,
        "items": {
            key: {
                "id": item.id,
                "type": item.type,
                "desired_fp": item.desired_fp,
                "board_fp": item.board_fp,
                "parent_id": item.parent_id,
                "x": item.x,
                "y": item.y,
            }
            for key, item in sorted(state.items.items())
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    # one line per item, via the C encoder: saved after every chunk, it must stay cheap
    write_atomic(path, _dumps(payload).encode("utf-8"), mode=0o600)


def _dumps(payload: dict[str, Any]) -> str:
    items = payload.pop("items")
    head = json.dumps(payload, ensure_ascii=False)[:-1]
    lines = [
        f"{json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in items.items()
    ]
    return head + ', "items": {\n' + ",\n".join(lines) + "\n}}\n"
