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
- A file that does not exist is created with one new empty board; a file that is not a board is
  refused with a French :class:`~gria_miro.errors.UserError` naming it.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

from gria_miro.atomicfile import write_atomic
from gria_miro.errors import UserError
from gria_miro.filelock import InterProcessLock, path_key
from gria_miro.localboard.boards import new_board
from gria_miro.localboard.records import FORMAT_MARK, FORMAT_VERSION, BoardState, iso_now, new_state
from gria_miro.localboard.storage import StateTransaction


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

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
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
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise NotABoardFile(self.path, "ce n'est pas du texte UTF-8") from None
        except IsADirectoryError:
            raise NotABoardFile(self.path, "c'est un dossier") from None
        try:
            state = json.loads(text)
        except json.JSONDecodeError as exc:
            raise NotABoardFile(self.path, f"JSON invalide ligne {exc.lineno}") from None
        return _check_state(self.path, state)

    def _write(self, state: BoardState) -> None:
        data = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_atomic(self.path, data, mode=0o600, sync_folder=True)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[StateTransaction]:
        """Hold the lock, (re)load the state, yield a transaction on it; save the file if it changed."""
        with self.lock:
            try:
                stamp = self._current_stamp()
                if stamp is None:
                    state = new_state()
                    self._write(state)
                    self._state, self._stamp = state, self._current_stamp()
                elif self._state is None or stamp != self._stamp:
                    self._state, self._stamp = self._read(), stamp
                assert self._state is not None
                tx = StateTransaction(self._state)
                try:
                    yield tx
                except BaseException:
                    tx.rollback()
                    raise
                if tx.changes:
                    try:
                        self._write(tx.state)
                    except BaseException:
                        self._state = None  # memory is ahead of the file: read the file again next time
                        raise
                    self._stamp = self._current_stamp()
            except OSError as exc:
                self._state = None
                raise BoardFileUnavailable(self.path, exc.strerror or type(exc).__name__) from None


def ensure_board(store: BoardFile, *, clock: Callable[[], float] = time.time) -> str:
    """The id of the first board of the file, creating the file and one empty board when needed."""
    with store.transaction() as tx:
        ids = tx.board_ids()
        if ids:
            return ids[0]
        return new_board(tx, "Plateau GR:IA local", "", iso_now(clock))["id"]
