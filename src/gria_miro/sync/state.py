"""The state store: a local cache of what gria-miro created on a board, one JSON file per board.

For each stable layout key: the Miro item id, its type, the fingerprint of what was pushed
(desired content) and of what the board showed right after (board content), and where it
was put (parent and absolute position). Never contains the token. The board itself carries
what another machine needs (manifest and seals, see ``sync/manifest.py``): this file only
saves requests and remembers positions; losing it is safe.

Saving is linear in the number of items written: during a push every change is appended to
a journal beside the file (``board-….json.journal``, one JSON line per key, flushed per
chunk, fsynced at most every second), and the file is rewritten once, atomically, at the end
(:meth:`StateWriter.close`). A crash leaves the last complete file plus its journal; loading replays the journal (a torn
last line is ignored), so an interrupted push loses nothing.

Loading validates everything through pydantic: a wrong value is refused with a French
message naming the file and the key, never accepted to fail later.

Default location: ``$GRIA_MIRO_STATE_DIR`` or ``$XDG_STATE_HOME/gria-miro`` (else
``~/.local/state/gria-miro``), one file per board id; ``--state FILE`` overrides it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, ValidationError

from gria_miro.atomicfile import write_atomic
from gria_miro.errors import InputFileError, Problem

STATE_VERSION = 1
#: How often the journal is forced to disk. It is flushed to the OS after every chunk; what a power cut
#: could lose in between is found again on the board by identity (the state is only a cache).
SYNC_EVERY_SECONDS = 1.0
KIND = "état"


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
    #: keys changed since the last save (value None: forgotten); what the journal appends
    pending: dict[str, ItemState | None] = field(default_factory=dict, repr=False, compare=False)

    def frames_hint(self) -> dict[str, int]:
        """Miro id of each frame pushed → items put in it: where a read may start (``read_board``)."""
        held = {item.id: 0 for item in self.items.values() if item.type == "frame"}
        for item in self.items.values():
            if item.parent_id in held:
                held[item.parent_id] += 1
        return held

    def key_of(self) -> dict[str, str]:
        """Miro id → key."""
        return {item.id: key for key, item in self.items.items()}

    def record(self, key: str, item: ItemState) -> None:
        self.items[key] = item
        self.pending[key] = item

    def forget(self, key: str) -> bool:
        """Drop ``key``; whether it was there."""
        if self.items.pop(key, None) is None:
            return False
        self.pending[key] = None
        return True


# -- the file format, validated on load --------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemRecord(_Model):
    id: StrictStr
    type: StrictStr
    desired_fp: StrictStr
    board_fp: StrictStr
    parent_id: StrictStr | None
    x: StrictInt
    y: StrictInt


class StateFile(_Model):
    version: int
    board_id: StrictStr
    deck: StrictStr | None = None
    layout: StrictStr | None = None
    teams: StrictInt | None = None
    generation: StrictStr | None = None  # ties a journal to the file it extends
    items: dict[str, ItemRecord]


class JournalEntry(_Model):
    k: StrictStr
    v: ItemRecord | None


def default_state_dir() -> Path:
    explicit = os.environ.get("GRIA_MIRO_STATE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base).expanduser() / "gria-miro"


def state_path_for(board_id: str, state_dir: Path | None = None) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", board_id)
    return (state_dir or default_state_dir()) / f"board-{safe}.json"


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def _bad(path: Path, message: str, line: int | None = None) -> InputFileError:
    return InputFileError(KIND, str(path), [Problem(str(path), line, None, message)])


_FIX = "supprimez-le : gria-miro relira le tableau et retrouvera ses éléments"


def _where(loc: tuple[Any, ...]) -> str:
    if len(loc) >= 3 and loc[0] == "items":
        return f"élément « {loc[1]} », champ {'.'.join(str(p) for p in loc[2:])}"
    if len(loc) >= 2 and loc[0] == "v":
        return f"champ {'.'.join(str(p) for p in loc[1:])}"
    return f"champ {'.'.join(str(p) for p in loc)}" if loc else "contenu"


def _describe(exc: ValidationError) -> str:
    from gria_miro.sourcefile import describe_error

    first = exc.errors(include_url=False)[0]
    more = exc.error_count() - 1
    suffix = f" (et {more} autre(s) problème(s))" if more else ""
    return f"{_where(tuple(first['loc']))} : {describe_error(first)}{suffix}"


def load_state(path: Path, board_id: str) -> BoardState:
    """The state at ``path`` (plus its journal); an absent file is an empty state (the board will be re-read)."""
    if not path.exists():
        state = BoardState(board_id)
        _replay(path, state, None)
        return state
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(path, f"fichier d'état illisible ({exc}) ; {_FIX}") from None
    if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION:
        raise _bad(
            path, "ce n'est pas un fichier d'état gria-miro (version inconnue) ; supprimez-le ou indiquez --state"
        )
    try:
        parsed = StateFile.model_validate(raw)
    except ValidationError as exc:
        raise _bad(path, f"{_describe(exc)} ; {_FIX}") from None
    if parsed.board_id != board_id:
        raise _bad(
            path, f"ce fichier d'état décrit le tableau {parsed.board_id!r}, pas {board_id!r} ; indiquez --state"
        )
    items = {key: ItemState(**record.model_dump()) for key, record in parsed.items.items()}
    state = BoardState(board_id, parsed.deck, parsed.layout, parsed.teams, items)
    _replay(path, state, parsed.generation)
    return state


def _replay(path: Path, state: BoardState, generation: str | None) -> None:
    """Apply the journal of an interrupted push (if it extends this very file)."""
    journal = journal_path(path)
    if not journal.exists():
        return
    try:
        text = journal.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(journal, f"journal d'état illisible ({exc}) ; {_FIX}") from None
    lines = text.splitlines()
    torn = not text.endswith("\n")  # a crash in the middle of the last line
    try:
        header = json.loads(lines[0]) if lines else None
    except json.JSONDecodeError:
        return  # torn while being created: nothing was recorded in it
    if not isinstance(header, dict) or header.get("board_id") != state.board_id or header.get("base") != generation:
        return  # left over from another file (compaction interrupted after the rewrite): already included
    for number, line in enumerate(lines[1:], start=2):
        try:
            entry = JournalEntry.model_validate_json(line)
        except ValidationError as exc:
            if torn and number == len(lines):
                break  # the last line, torn by a crash: the chunk it described is re-planned
            raise _bad(journal, f"{_describe(exc)} ; {_FIX}", number) from None
        if entry.v is None:
            state.items.pop(entry.k, None)
        else:
            state.items[entry.k] = ItemState(**entry.v.model_dump())
    deck, layout, teams = header.get("deck"), header.get("layout"), header.get("teams")
    state.deck = deck if isinstance(deck, str) else state.deck
    state.layout = layout if isinstance(layout, str) else state.layout
    state.teams = teams if isinstance(teams, int) else state.teams


class StateWriter:
    """Saves one board's state during a push: journal appends per chunk, one rewrite at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._journal: IO[str] | None = None
        self._generation: str | None = None
        self.seconds = 0.0  # time spent saving (measured for issue 18)
        self._synced = 0.0

    def save(self, state: BoardState) -> None:
        """Append what changed since the last save, and make it durable."""
        import time

        started = time.perf_counter()
        if not state.pending:
            return
        if self._journal is None:
            self._open(state)
        assert self._journal is not None
        lines = [
            json.dumps({"k": key, "v": asdict(item) if item is not None else None}, ensure_ascii=False)
            for key, item in state.pending.items()
        ]
        self._journal.write("\n".join(lines) + "\n")
        self._journal.flush()  # in the OS: survives the process (error, Ctrl-C, kill)
        if started - self._synced >= SYNC_EVERY_SECONDS:
            os.fsync(self._journal.fileno())  # on disk: survives a power cut too, at most this late
            self._synced = started
        state.pending.clear()
        self.seconds += time.perf_counter() - started

    def _open(self, state: BoardState) -> None:
        """Start a journal that extends the file on disk (written first if it carries no generation)."""
        generation = None
        if self.path.exists():
            try:
                generation = json.loads(self.path.read_text(encoding="utf-8")).get("generation")
            except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
                generation = None
        if generation is None:
            pending = dict(state.pending)
            _write_full(self.path, state, secrets.token_hex(8))
            state.pending.update(pending)
            generation = json.loads(self.path.read_text(encoding="utf-8"))["generation"]
        self._generation = generation
        header = {"board_id": state.board_id, "base": generation, "deck": state.deck, "layout": state.layout}
        header["teams"] = state.teams
        journal = journal_path(self.path)
        self._journal = journal.open("w", encoding="utf-8")
        self._journal.write(json.dumps(header, ensure_ascii=False) + "\n")

    def close(self, state: BoardState) -> None:
        """Rewrite the whole file once and drop the journal."""
        import time

        started = time.perf_counter()
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        save_state(self.path, state)
        self.seconds += time.perf_counter() - started


def save_state(path: Path, state: BoardState) -> None:
    """Write the whole state atomically and drop its journal: a reader sees the old file or the new one."""
    _write_full(path, state, secrets.token_hex(8))
    journal_path(path).unlink(missing_ok=True)
    state.pending.clear()


def _write_full(path: Path, state: BoardState, generation: str) -> None:
    payload: dict[str, Any] = {
        "version": STATE_VERSION,
        "board_id": state.board_id,
        "deck": state.deck,
        "layout": state.layout,
        "teams": state.teams,
        "generation": generation,
    }
    items = {key: asdict(item) for key, item in sorted(state.items.items())}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, _dumps(payload, items).encode("utf-8"), mode=0o600)


def _dumps(payload: dict[str, Any], items: dict[str, Any]) -> str:
    """One line per item (readable diffs), through the C encoder."""
    head = json.dumps(payload, ensure_ascii=False)[:-1]
    lines = [
        f"{json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in items.items()
    ]
    return head + ', "items": {\n' + ",\n".join(lines) + "\n}}\n"
