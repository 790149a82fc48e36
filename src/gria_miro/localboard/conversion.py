"""A JSON board file played by a room: its SQLite copy beside it, made once, found again, never stale.

One responsibility: decide which database serves a JSON board file, which file a command given
``local:FILE.json`` really uses, and write a board back as JSON (the exchange format).

Why: the JSON store rewrites and syncs the whole file at every change (54 writes/s, p95 1.5 s for a
room, ``bench/bench_room.py``); SQLite writes one row. So ``gria-miro serve atelier.json`` converts the
board ONCE into ``atelier.db`` (same folder, same name) and serves that. The JSON file is never
rewritten by the conversion: it stays as it was, the board before play. The database remembers where
it came from: notes ``source`` (the JSON file's name) and ``source_sha256`` (its content when
converted), so the pair is recognised later.

What ``serve FILE.json`` does (:func:`board_for_room`), one row per case:

=====================================  ==========================  =========================================
``FILE.db`` beside it                  ``FILE.json`` since then     serve
=====================================  ==========================  =========================================
absent, ``FILE.json`` absent           —                           ``FILE.db``, created, paired with the name
absent, ``FILE.json`` present          —                           convert, then ``FILE.db`` (one line says so)
present, ``FILE.json`` absent          —                           ``FILE.db``
its copy                               unchanged                   ``FILE.db`` (one line says so)
its copy                               changed                     refused: both changed, name both files
another board                          —                           refused: ``FILE.db`` is never overwritten
=====================================  ==========================  =========================================

What a command given ``local:FILE.json`` uses (:func:`played_copy`, also applied by
:func:`~gria_miro.localboard.adapter.open_local_board`): ``FILE.db`` when it is the copy of an unchanged
``FILE.json``, or was created by ``serve FILE.json`` when that file did not exist (the game is there:
``pull`` reads what was played, ``push`` updates it), with one line saying so; refused when both changed;
``FILE.json`` itself otherwise.

A conversion writes a temporary database in the same folder and renames it: a conversion cut short
leaves no ``FILE.db``, and the next start converts again. :func:`export_board` writes a board as a JSON
board file, atomically, never over another file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gria_miro.errors import UserError
from gria_miro.localboard.records import BoardState, iso_now
from gria_miro.localboard.sqlstore import SqliteBoardStore, export_json, is_sqlite_path
from gria_miro.localboard.store import BoardFile, parse_board_file, write_board_file

#: Suffix of the database a JSON board file is played in.
ROOM_SUFFIX = ".db"
_SOURCE, _SOURCE_SHA256, _CONVERTED_AT = "source", "source_sha256", "converted_at"
#: The fingerprint noted when the JSON file did not exist (the database was created for its name).
_NO_FILE = "absent"


class BothChangedSinceConversion(UserError):
    """The JSON board file changed after it was converted, and its database may hold a game."""

    def __init__(self, json_path: Path, db_path: Path, when: str) -> None:
        super().__init__(
            f"{json_path} a changé depuis sa conversion en {db_path} ({when}) : les deux fichiers ont chacun "
            f"leurs changements et gria-miro ne choisit pas à votre place. Pour continuer la partie : "
            f"gria-miro serve {db_path} (et --board local:{db_path}). Pour repartir de {json_path} : renommez "
            f"{db_path} (gardez-le, la partie y est), puis relancez."
        )
        self.json_path = json_path
        self.db_path = db_path


class CopyNameTaken(UserError):
    """The database name a JSON board file would be converted to holds another board."""

    def __init__(self, json_path: Path, db_path: Path) -> None:
        super().__init__(
            f"{db_path} existe déjà et n'est pas la copie de {json_path} : gria-miro ne l'écrase pas. "
            f"Servez-le (gria-miro serve {db_path}), ou renommez-le pour que {json_path} y soit converti."
        )
        self.json_path = json_path
        self.db_path = db_path


@dataclass(frozen=True)
class RoomBoard:
    """The database to serve, and the line that tells the facilitator what happened (None: nothing to say)."""

    path: Path
    notice: str | None = None


def room_copy_path(json_path: Path) -> Path:
    """``atelier.json`` → ``atelier.db``, in the same folder."""
    return json_path.with_suffix(ROOM_SUFFIX)


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _shown_time(iso: str | None) -> str:
    try:
        moment = datetime.strptime(str(iso), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return "date inconnue"
    return moment.strftime("le %d/%m/%Y à %H:%M UTC")


def _relation(json_path: Path, data: bytes | None, db_path: Path) -> tuple[str, str]:
    """``("same" | "changed" | "other", when converted)`` for the database beside a JSON board file
    (``data``: the JSON file's bytes, None when it does not exist)."""
    store = SqliteBoardStore(db_path, create=False)
    try:
        source, sha256, when = store.note(_SOURCE), store.note(_SOURCE_SHA256), store.note(_CONVERTED_AT)
    finally:
        store.close()
    if source != json_path.name:
        return "other", ""
    now = _NO_FILE if data is None else _fingerprint(data)
    return ("same" if sha256 == now or data is None else "changed"), _shown_time(when)


def _read_board_json(json_path: Path) -> tuple[bytes, BoardState]:
    """The JSON board file's bytes and its checked state (a file that is not a board is refused)."""
    data = json_path.read_bytes()
    return data, parse_board_file(json_path, data)


def _convert(json_path: Path, data: bytes, state: BoardState, db_path: Path) -> None:
    """Write ``db_path`` from the JSON board's state, all at once (a temporary database, renamed)."""
    temporary = db_path.with_name(f".{db_path.name}.conversion-{os.getpid()}-{time.monotonic_ns()}")
    try:
        store = SqliteBoardStore(temporary)
        try:
            store.import_state(state)
            store.set_notes(
                {_SOURCE: json_path.name, _SOURCE_SHA256: _fingerprint(data), _CONVERTED_AT: iso_now(time.time)}
            )
        finally:
            store.close()  # the last connection: SQLite folds its WAL into the file and removes it
        os.replace(temporary, db_path)
    finally:
        for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def board_for_room(path: Path) -> RoomBoard:
    """The SQLite database that serves ``path`` to a room (the table in the module docstring)."""
    path = Path(path)
    if is_sqlite_path(path):
        return RoomBoard(path)
    copy = room_copy_path(path)
    with BoardFile(path, create=False).lock:  # no push to the JSON file, no other conversion meanwhile
        if not path.exists():
            if copy.exists():
                return RoomBoard(copy, f"{path} n'existe pas : le plateau servi est {copy}.")
            store = SqliteBoardStore(copy)  # a new board, paired with the JSON name it was asked by
            try:
                store.set_notes({_SOURCE: path.name, _SOURCE_SHA256: _NO_FILE, _CONVERTED_AT: iso_now(time.time)})
            finally:
                store.close()
            return RoomBoard(copy, f"{path} n'existe pas : le plateau est créé dans {copy} (SQLite, pour une salle).")
        data, state = _read_board_json(path)
        if not copy.exists():
            _convert(path, data, state, copy)
            return RoomBoard(
                copy,
                f"{path} est converti en {copy} (SQLite, qui tient une salle) ; {path} reste tel quel. "
                f"La partie se joue dans {copy} : la prochaine fois, gria-miro serve {copy} ; pendant et après "
                f"le jeu, --board local:{copy}.",
            )
        relation, when = _relation(path, data, copy)
    if relation == "same":
        return RoomBoard(copy, f"{path} se joue dans {copy} (converti {when}) : servez directement {copy}.")
    if relation == "changed":
        raise BothChangedSinceConversion(path, copy, when)
    raise CopyNameTaken(path, copy)


def played_copy(path: Path) -> tuple[Path, str | None]:
    """The file a command given ``local:PATH`` uses, and the line that says so when it is not ``PATH``."""
    path = Path(path)
    copy = room_copy_path(path)
    if is_sqlite_path(path) or not copy.is_file():
        return path, None
    with BoardFile(path, create=False).lock:
        data: bytes | None = None
        if path.exists():
            try:
                data, _ = _read_board_json(path)
            except (UserError, OSError):
                return path, None  # not a board: the command says so, on the file it was given
        relation, when = _relation(path, data, copy)
    if relation == "same":
        return copy, f"{path} se joue dans {copy} depuis gria-miro serve (converti {when}) : gria-miro utilise {copy}."
    if relation == "changed":
        raise BothChangedSinceConversion(path, copy, when)
    return path, None


def export_board(source: Path, target: Path) -> Path:
    """Write the board of ``source`` (database, or JSON board file) as the JSON board file ``target``.

    Atomic (a temporary file renamed: ``target`` is never half written), and never over another file:
    ``target`` may exist only when it is the JSON file the database was converted from, which then
    counts as unchanged again (the pair stays recognised). Returns the file read (a JSON board file
    played in its database is read from the database).
    """
    if target.suffix.lower() != ".json":
        raise UserError(f"--export-json {target} : donnez un nom de fichier en .json (le format d'échange).")
    used = source if is_sqlite_path(source) else played_copy(source)[0]
    if not used.is_file():
        raise UserError(f"{used} : ce tableau local n'existe pas ; rien n'est exporté.")
    if not is_sqlite_path(used):  # a JSON board never played in a room: the export is a copy of it
        _, state = _read_board_json(used)
        _refuse_overwrite(target, source_name=None)
        write_board_file(target, state)
        return used
    store = SqliteBoardStore(used, create=False)
    try:
        beside = target.resolve().parent == used.resolve().parent
        source_name = store.note(_SOURCE) if beside else None
        _refuse_overwrite(target, source_name)
        export_json(store, target)
        if target.name == source_name:  # the JSON it came from, now equal to it again
            store.set_notes({_SOURCE_SHA256: _fingerprint(target.read_bytes())})
    finally:
        store.close()
    return used


def _refuse_overwrite(target: Path, source_name: str | None) -> None:
    if target.exists() and target.name != source_name:
        raise UserError(
            f"--export-json {target} : ce fichier existe déjà ; gria-miro ne l'écrase pas. Choisissez un autre nom."
        )
