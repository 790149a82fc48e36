"""A local board kept in a JSON file: atomic writes, an inter-process lock, reload when changed on disk.

One responsibility: be the :class:`~gria_miro.localboard.engine.Backend` of a board file.

- Every read-modify-write holds the file's :class:`~gria_miro.filelock.InterProcessLock` (keyed by
  the resolved path; its lock file lives in gria-miro's lock directory, never beside the board), so
  two processes (two ``gria-miro`` commands, or a command and ``gria-miro serve``) never interleave
  their writes, on any platform.
- A write goes to a temporary file in the same directory, is ``fsync``-ed, then ``os.replace``-d over
  the board file (and the directory is ``fsync``-ed): a process killed mid-write leaves the old file
  or the new one, never half of one.
- The file is read again whenever its (inode, size, mtime) changed since the last read.
- A file that does not exist is created with one new empty board, unless the store was opened with
  ``create=False`` (commands that only read): then :class:`BoardMissing` names the closest existing
  board file. A file that is not a board is refused with a French :class:`~gria_miro.errors.UserError`
  naming it.

:func:`open_store` picks the store of a path: an SQLite database (``.db``, ``.sqlite``, ``.sqlite3``:
:mod:`~gria_miro.localboard.sqlstore`, one row per item) or a JSON board file
(anything else, the exchange format).
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from gria_miro.atomicfile import write_atomic
from gria_miro.errors import UserError
from gria_miro.filelock import InterProcessLock, path_key
from gria_miro.localboard.boards import new_board
from gria_miro.localboard.records import FORMAT_MARK, FORMAT_VERSION, BoardState, iso_now, new_state
from gria_miro.localboard.storage import Backend, StateTransaction, state_transaction

if TYPE_CHECKING:
    from gria_miro.localboard.sqlstore import SqliteBoardStore


class NotABoardFile(UserError):
    """The file given as a local board is not one."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"{path} : ce fichier n'est pas un tableau local gria-miro ({reason}). "
            "Donnez un autre chemin à --board local:CHEMIN (un fichier absent sera créé)."
        )
        self.path = path
        self.reason = reason


class BoardFileUnavailable(UserError):
    """The board file cannot be read or written (permissions, missing directory…)."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path} : impossible de lire ou d'écrire ce tableau local ({detail}).")
        self.path = path


class BoardMissing(UserError):
    """A command that only reads was given a local board that does not exist (it creates nothing)."""

    def __init__(self, path: Path, suggestion: Path | None = None) -> None:
        hint = (
            f" Vouliez-vous dire local:{suggestion} ?"
            if suggestion is not None
            else f" Pour le créer : gria-miro push --board local:{path}"
        )
        super().__init__(
            f"{path} : ce tableau local n'existe pas ; une commande qui ne fait que lire ne le crée pas.{hint}"
        )
        self.path = path
        self.suggestion = suggestion


_BOARD_SUFFIXES = (".json", ".db", ".sqlite", ".sqlite3")


def closest_board(path: Path) -> Path | None:
    """The existing board-like file of the same folder whose name is closest to ``path``'s, if any is close."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        names = [p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() in _BOARD_SUFFIXES]
    except OSError:
        return None
    found = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    if not found:  # atelier.db for atelier-2026.json: compare the names without their suffixes
        stems = {Path(name).stem: name for name in names}
        close = difflib.get_close_matches(path.stem, list(stems), n=1, cutoff=0.6)
        found = [stems[close[0]]] if close else []
    return path.with_name(found[0]) if found else None


def write_board_file(path: Path, state: BoardState) -> None:
    """Write ``state`` as the JSON board file ``path``: compact UTF-8, atomically, readable by its owner only."""
    data = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    write_atomic(path, data, mode=0o600, sync_folder=True)


def parse_board_file(path: Path, data: bytes) -> BoardState:
    """The board held by the bytes of the JSON board file ``path``, else :class:`NotABoardFile` saying why."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotABoardFile(path, "ce n'est pas du texte UTF-8") from None
    try:
        state = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotABoardFile(path, f"JSON invalide ligne {exc.lineno}") from None
    return _check_state(path, state)


def _check_state(path: Path, state: Any) -> BoardState:
    """``state`` if it has the shape of a board file, else :class:`NotABoardFile`."""
    if not isinstance(state, dict) or state.get("format") != FORMAT_MARK:
        raise NotABoardFile(path, "la marque « format » du tableau local est absente")
    if state.get("version") != FORMAT_VERSION:
        raise NotABoardFile(path, f"version {state.get('version')!r} inconnue, attendue {FORMAT_VERSION}")
    boards = state.get("boards")
    if not isinstance(boards, dict) or not isinstance(state.get("next_id"), int):
        raise NotABoardFile(path, "structure inattendue")
    for board in boards.values():
        if not isinstance(board, dict) or not all(
            isinstance(board.get(k), t) for k, t in (("items", dict), ("tags", dict), ("item_tags", dict))
        ):
            raise NotABoardFile(path, "structure inattendue")
    return cast(BoardState, state)  # checked above: a board file's state


class BoardFile:
    """The board file at ``path``, used as the engine's backend."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = Path(path)
        self.create = create
        self.lock = InterProcessLock(path_key(self.path), label=f"Le tableau local {self.path}")
        self._state: BoardState | None = None
        self._stamp: tuple[int, int, int] | None = None

    def __repr__(self) -> str:
        return f"BoardFile({str(self.path)!r})"

    def _current_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_size, st.st_mtime_ns

    def _read(self) -> BoardState:
        try:
            data = self.path.read_bytes()
        except IsADirectoryError:
            raise NotABoardFile(self.path, "c'est un dossier") from None
        return parse_board_file(self.path, data)

    def _write(self, state: BoardState) -> None:
        write_board_file(self.path, state)

    def _save(self, tx: StateTransaction) -> None:
        self._write(tx.state)
        self._stamp = self._current_stamp()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[StateTransaction]:
        """Hold the lock, (re)load the state, yield a transaction on it; save the file if it changed."""
        with self.lock:
            try:
                stamp = self._current_stamp()
                if stamp is None and not self.create:
                    raise BoardMissing(self.path, closest_board(self.path))
                if stamp is None:
                    state = new_state()
                    self._write(state)
                    self._state, self._stamp = state, self._current_stamp()
                elif self._state is None or stamp != self._stamp:
                    self._state, self._stamp = self._read(), stamp
                assert self._state is not None
                with state_transaction(self._state, self._save) as tx:
                    yield tx
            except OSError as exc:
                self._state = None
                raise BoardFileUnavailable(self.path, exc.strerror or type(exc).__name__) from None


def ensure_board(store: Backend, *, clock: Callable[[], float] = time.time) -> str:
    """The id of the first board of the store, creating the file and one empty board when needed.

    A store opened with ``create=False`` creates nothing: no file, no board.
    """
    with store.transaction() as tx:
        ids = tx.board_ids()
        if ids:
            return ids[0]
        if not getattr(store, "create", True):
            raise NotABoardFile(getattr(store, "path", Path("?")), "il ne contient aucun tableau")
        return new_board(tx, "Plateau GR:IA local", "", iso_now(clock))["id"]


def open_store(path: Path, *, create: bool = True) -> BoardFile | SqliteBoardStore:
    """The store of the local board at ``path``: SQLite database or JSON board file (see the module docstring)."""
    from gria_miro.localboard.sqlstore import SqliteBoardStore, is_sqlite_path

    if is_sqlite_path(Path(path)):
        return SqliteBoardStore(Path(path), create=create)
    return BoardFile(Path(path), create=create)
