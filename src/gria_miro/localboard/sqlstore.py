"""A local board kept in an SQLite database: one row per item, one transaction per request, WAL.

One responsibility: be the :class:`~gria_miro.localboard.storage.Backend` of a board database, and
tell what changed since a revision (for the served board's live feed).

On disk (``--board local:atelier.db``, also ``.sqlite``/``.sqlite3``): the tables

- ``meta(key, value)``: ``format`` (``gria-miro-localboard``), ``version``, ``next_id`` (the next
  item/tag/member id) and ``revision`` (see below);
- ``boards(id, seq, record, rev)``: a board's own fields with its tags, item-tag links and members,
  as JSON (they are few, and change together);
- ``items(board_id, id, record, rev)``: one row per item, the :class:`~.records.StoredItem` as JSON;
- ``deleted(board_id, id, rev)``: the items deleted, with the revision that deleted them.

Each request is one ``BEGIN IMMEDIATE`` … ``COMMIT`` (SQLite's own lock serialises writers across
processes and threads, on every platform; readers of the WAL never block). A request that changes
nothing writes nothing; one that changes a card writes that card's row, not the board: a move on a
1,500-item board writes one small row instead of rewriting a 1.4 MB JSON file. A request that fails
leaves the database as it was (``ROLLBACK``) and the memory too (the transaction's undo).

**Revisions**: every committed change increments ``meta.revision`` and stamps the rows it wrote with
it. :meth:`SqliteBoardStore.revision` is the current one; :meth:`SqliteBoardStore.changes_since`
gives the items created or changed after revision N (up to revision M if asked) and the ids deleted
meanwhile (whatever process wrote them), which is what server-sent events need;
:meth:`SqliteBoardStore.last_commit` is the revision of the last change the calling thread committed
through this store object, so a server tells its own writes from other processes'. The store keeps
the whole state in memory as a cache and refreshes it from those same rows when another process
committed.

The JSON board file stays the exchange format: :func:`import_json` fills a new database from one,
:func:`export_json` writes one from a database.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from gria_miro.errors import UserError
from gria_miro.localboard.records import FORMAT_MARK, FORMAT_VERSION, BoardState, StoredBoard, StoredItem, new_state
from gria_miro.localboard.storage import StateTransaction, state_transaction
from gria_miro.localboard.store import BoardMissing, closest_board, write_board_file

SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
#: Seconds a request waits for another process's write transaction before giving up.
BUSY_TIMEOUT_SECONDS = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS boards (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL, record TEXT NOT NULL, rev INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    board_id TEXT NOT NULL, id TEXT NOT NULL, record TEXT NOT NULL, rev INTEGER NOT NULL,
    PRIMARY KEY (board_id, id)
);
CREATE INDEX IF NOT EXISTS items_by_rev ON items (rev);
CREATE TABLE IF NOT EXISTS deleted (board_id TEXT NOT NULL, id TEXT NOT NULL, rev INTEGER NOT NULL,
    PRIMARY KEY (board_id, id));
CREATE INDEX IF NOT EXISTS deleted_by_rev ON deleted (rev);
"""


class NotABoardDatabase(UserError):
    """The file given as a local board database is not one."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} : ce fichier n'est pas une base de tableau local gria-miro ({reason}).")
        self.path = path
        self.reason = reason


def is_sqlite_path(path: Path) -> bool:
    """Whether ``path`` names a board database, by its suffix.

    Never by opening the file: closing any descriptor of a database file drops the POSIX locks SQLite
    holds on it in this process, which lets another process corrupt it ("database disk image is
    malformed", SQLite's "How To Corrupt" §2.2).
    """
    return path.suffix.lower() in SQLITE_SUFFIXES


@dataclass(frozen=True)
class ChangesSince:
    """What changed after a revision: items created or changed (current records) and ids deleted."""

    revision: int
    items: list[tuple[str, StoredItem]]
    deleted: list[tuple[str, str]]
    #: boards whose own fields, tags, links or members changed
    boards: list[str]


class SqliteBoardStore:
    """The board database at ``path``, used as the engine's backend; thread-safe.

    ``create=False`` (commands that only read): a missing database raises :class:`BoardMissing`
    instead of being created.
    """

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = Path(path)
        self.create = create
        if not create and not self.path.exists():
            raise BoardMissing(self.path, closest_board(self.path))
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
            )
            self._use_wal()
            self._conn.execute("PRAGMA synchronous=NORMAL")
            with self._write():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._conn.execute(statement)
                self._check_or_mark()
        except sqlite3.DatabaseError as exc:
            raise NotABoardDatabase(self.path, str(exc)) from None
        self._state: BoardState | None = None
        self._revision = -1
        self._commits = threading.local()  # per thread: the revision of its last commit
        self._saved: int | None = None  # the revision the current transaction wrote, if any

    def __repr__(self) -> str:
        return f"SqliteBoardStore({str(self.path)!r})"

    def _use_wal(self) -> None:
        """WAL mode (kept in the file); switching needs a moment when no one else holds the database."""
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while str(self._conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            try:
                self._conn.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # --- the database ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: object) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(value)))

    def _check_or_mark(self) -> None:
        mark = self._meta("format")
        if mark is None:
            fresh = new_state()
            self._set_meta("format", FORMAT_MARK)
            self._set_meta("version", FORMAT_VERSION)
            self._set_meta("next_id", fresh["next_id"])
            self._set_meta("revision", 0)
        elif mark != FORMAT_MARK:
            raise NotABoardDatabase(self.path, "la marque « format » du tableau local est absente")
        elif self._meta("version") != str(FORMAT_VERSION):
            raise NotABoardDatabase(self.path, f"version {self._meta('version')} inconnue, attendue {FORMAT_VERSION}")

    def _db_revision(self) -> int:
        return int(self._meta("revision") or 0)

    # --- the cache ------------------------------------------------------------------------------

    def _load_all(self) -> BoardState:
        state = new_state()
        state["next_id"] = int(self._meta("next_id") or state["next_id"])
        for _, record in self._conn.execute("SELECT id, record FROM boards ORDER BY seq"):
            board = cast(StoredBoard, {**json.loads(record), "items": {}})
            state["boards"][board["id"]] = board
        rows = self._conn.execute("SELECT board_id, record FROM items ORDER BY CAST(id AS INTEGER)")
        for board_id, record in rows:
            item = cast(StoredItem, json.loads(record))
            state["boards"][board_id]["items"][item["id"]] = item
        return state

    def _refresh(self, state: BoardState, since: int) -> None:
        """Bring the cache from revision ``since`` to the database's (another process committed)."""
        changes = self._changes(since)
        state["next_id"] = int(self._meta("next_id") or state["next_id"])
        for board_id in changes.boards:
            row = self._conn.execute("SELECT record FROM boards WHERE id = ?", (board_id,)).fetchone()
            items = state["boards"].get(board_id, {"items": {}})["items"]
            state["boards"][board_id] = cast(StoredBoard, {**json.loads(row[0]), "items": items})
        for board_id, item_id in changes.deleted:
            state["boards"][board_id]["items"].pop(item_id, None)
        for board_id, item in changes.items:
            state["boards"][board_id]["items"][item["id"]] = item

    def _current(self) -> BoardState:
        revision = self._db_revision()
        if self._state is None:
            self._state = self._load_all()
        elif revision != self._revision:
            self._refresh(self._state, self._revision)
        self._revision = revision
        return self._state

    # --- Backend --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[StateTransaction]:
        """One request: lock the database, refresh the cache, yield; write the changed rows, or undo."""
        with self._lock:
            self._saved = None
            with self._write():
                try:
                    state = self._current()
                except BaseException:
                    self._state = None
                    raise
                with state_transaction(state, self._save) as tx:
                    yield tx
            if self._saved is not None:  # committed
                self._commits.revision = self._saved

    def _save(self, tx: StateTransaction) -> None:
        revision = self._revision + 1  # read by ``_current`` in this same write transaction
        state, changes = tx.state, tx.changes
        for board_id in changes.boards:
            board = state["boards"].get(board_id)
            if board is None:
                continue
            record = {k: v for k, v in board.items() if k != "items"}
            seq = list(state["boards"]).index(board_id)
            self._conn.execute(
                "INSERT OR REPLACE INTO boards (id, seq, record, rev) VALUES (?, ?, ?, ?)",
                (board_id, seq, json.dumps(record, ensure_ascii=False), revision),
            )
        for board_id, item_id in changes.items:
            item = state["boards"][board_id]["items"][item_id]
            self._conn.execute(
                "INSERT OR REPLACE INTO items (board_id, id, record, rev) VALUES (?, ?, ?, ?)",
                (board_id, item_id, json.dumps(item, ensure_ascii=False), revision),
            )
            self._conn.execute("DELETE FROM deleted WHERE board_id = ? AND id = ?", (board_id, item_id))
        for board_id, item_id in changes.deleted_items:
            self._conn.execute("DELETE FROM items WHERE board_id = ? AND id = ?", (board_id, item_id))
            self._conn.execute(
                "INSERT OR REPLACE INTO deleted (board_id, id, rev) VALUES (?, ?, ?)", (board_id, item_id, revision)
            )
        if changes.next_id:
            self._set_meta("next_id", state["next_id"])
        self._set_meta("revision", revision)
        self._revision = revision
        self._saved = revision

    # --- revisions ------------------------------------------------------------------------------

    def revision(self) -> int:
        """The revision of the last committed change (0: none yet)."""
        with self._lock:
            return self._db_revision()

    def last_commit(self) -> int:
        """The revision of the last change the calling thread committed through this store (0: none)."""
        return int(getattr(self._commits, "revision", 0))

    def changes_since(self, revision: int, until: int | None = None) -> ChangesSince:
        """The items created or changed, the ids deleted and the boards changed after ``revision``
        (and at or before ``until``, when given: an item changed again later is left out)."""
        with self._lock:
            self._conn.execute("BEGIN")  # one snapshot of the database (WAL: writers are not blocked)
            try:
                return self._changes(revision, until)
            finally:
                self._conn.execute("COMMIT")

    def _changes(self, since: int, until: int | None = None) -> ChangesSince:
        current = self._db_revision()
        last = current if until is None else until
        items = [
            (str(board_id), cast(StoredItem, json.loads(record)))
            for board_id, record in self._conn.execute(
                "SELECT board_id, record FROM items WHERE rev > ? AND rev <= ? ORDER BY rev, CAST(id AS INTEGER)",
                (since, last),
            )
        ]
        deleted = [
            (str(board_id), str(item_id))
            for board_id, item_id in self._conn.execute(
                "SELECT board_id, id FROM deleted WHERE rev > ? AND rev <= ? ORDER BY rev", (since, last)
            )
        ]
        rows = self._conn.execute("SELECT id FROM boards WHERE rev > ? AND rev <= ? ORDER BY seq", (since, last))
        boards = [str(row[0]) for row in rows]
        return ChangesSince(current, items, deleted, boards)

    # --- notes about the database itself (where it came from) ------------------------------------

    def note(self, key: str) -> str | None:
        """A note kept with the database (``meta`` table, beside format and revision), or None."""
        with self._lock:
            return self._meta(f"note:{key}")

    def set_notes(self, notes: dict[str, str]) -> None:
        """Keep these notes with the database (they are not board changes: no revision)."""
        with self._lock, self._write():
            for key, value in notes.items():
                self._set_meta(f"note:{key}", value)

    # --- whole states (JSON import and export) ---------------------------------------------------

    def load_state(self) -> BoardState:
        """A copy of the whole state (for an export)."""
        with self._lock, self._write():
            return cast(BoardState, json.loads(json.dumps(self._current())))

    def import_state(self, state: BoardState) -> None:
        """Add every board of ``state`` (its ids kept) to this database; ``next_id`` moves past them."""
        with self.transaction() as tx:
            for board in state["boards"].values():
                if tx.board(board["id"]) is not None:
                    raise NotABoardDatabase(self.path, f"le tableau {board['id']} y est déjà")
                items = board["items"]
                tx.add_board(cast(StoredBoard, {**board, "items": {}}))
                for item in items.values():
                    tx.put_item(board["id"], item)
            while int(tx.state["next_id"]) < int(state["next_id"]):
                tx.new_id()


def import_json(json_path: Path, db_path: Path) -> SqliteBoardStore:
    """A new board database at ``db_path`` holding the boards of the JSON board file ``json_path``."""
    from gria_miro.localboard.store import BoardFile

    source = BoardFile(json_path, create=False)
    with source.transaction() as tx:
        state = cast(BoardState, json.loads(json.dumps(tx.state)))
    store = SqliteBoardStore(db_path)
    store.import_state(state)
    return store


def export_json(store: SqliteBoardStore, json_path: Path) -> None:
    """Write the whole database as a JSON board file (atomically)."""
    write_board_file(json_path, store.load_state())
