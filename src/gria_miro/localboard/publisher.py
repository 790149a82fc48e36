"""Every change of a served board, once, on its live feed: the server's own writes and other processes'.

One responsibility: turn each committed change of the served board into events of the
:class:`~gria_miro.localboard.events.ChangeFeed`, in the order they were committed, exactly once.

- **The server's own writes** (the REST API, the web board, a participant joining) are published
  from the engine's answer, at once, under one lock held across the write and its publication (two
  moves of one card never arrive swapped).
- **Other processes' writes** (``gria-miro push --board local:atelier.db`` while the board is
  served, or ``pull``/``plan`` that write their snapshot…) are seen through the SQLite store's
  revision, checked every :data:`WATCH_SECONDS`: the rows committed after the last revision the
  server published are sent as the same fine-grained events (the items as Miro's API shows them,
  the ids deleted), never as a page reload: a participant in the middle of a drag sees nothing move
  but what changed.

Which revisions are the server's own is known exactly, not guessed: the store tells the revision
each thread last committed (:meth:`~gria_miro.localboard.sqlstore.SqliteBoardStore.last_commit`),
and both paths run under the same lock. After the server's own commit N, the revisions between the
last published one and N are other processes': they are published first (only the rows they left,
so the server's own item is never sent twice). A store without revisions (the JSON file, memory)
publishes only the server's own writes.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Protocol, runtime_checkable

from gria_miro.localboard import items
from gria_miro.localboard.apierror import ApiError
from gria_miro.localboard.engine import BoardEngine, item_json
from gria_miro.localboard.events import ChangeFeed
from gria_miro.localboard.routes import path_segments, resolve
from gria_miro.localboard.transport import Answer

#: How often the server looks for commits made by other processes (a change shows within ~this).
WATCH_SECONDS = 0.2
_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})

#: What the answer of a write tells the open boards, by the route's handler (any other write: nothing).
_EVENT_OF: dict[Any, str] = {
    items.create_typed: "item",  # the item created, as answered
    items.patch_item: "item",  # the item as it is now
    items.patch_typed: "item",
    items.bulk_create: "items",  # the items created (a bulk list)
    items.delete_item: "deleted",  # its id, the last path segment
    items.delete_typed: "deleted",
    # tag links (POST/DELETE …/items/{id}?tag_id=) and tags themselves: not drawn on the web board
}


@runtime_checkable
class RevisedStore(Protocol):
    """A store that numbers its commits (the SQLite store)."""

    def revision(self) -> int: ...

    def last_commit(self) -> int: ...

    def changes_since(self, revision: int, until: int | None = None) -> Any: ...


class Publisher:
    """The engine as the server's transports see it, publishing every committed change on the feed."""

    def __init__(self, engine: BoardEngine, feed: ChangeFeed, board_id: str, *, base_url: str = "") -> None:
        self.engine = engine
        self.feed = feed
        self.board_id = board_id
        #: The server's address, for the ``links`` of items published from the store.
        self.base_url = base_url
        self._lock = threading.Lock()
        #: Set by the handler thread for a join link's request: participants, like Miro's UI, spend no API credits.
        self.participant = threading.local()
        backend = engine.backend
        self._store: RevisedStore | None = backend if isinstance(backend, RevisedStore) else None
        #: Every store revision up to this one is on the feed (or predates the server).
        self._published = self._store.revision() if self._store is not None else 0
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    # --- the server's own writes ----------------------------------------------------------------

    def handle(
        self, method: str, path: str, query: Any, headers: Any, body: bytes, *, base_url: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        metered = not getattr(self.participant, "active", False)
        if method.upper() not in _WRITES:
            return self.engine.handle(method, path, query, headers, body, base_url=base_url, metered=metered)
        with self._lock:
            mark = self._own_commit()
            answer = self.engine.handle(method, path, query, headers, body, base_url=base_url, metered=metered)
            self._after_own_commit(mark)
            self._publish_answer(method.upper(), path, query, answer)
            return answer

    def add_member(self, name: str, role: str = "editor") -> str:
        """A participant joins the served board; browsers reread the member list."""
        with self._lock:
            mark = self._own_commit()
            member_id = self.engine.add_member(self.board_id, name, role)
            self._after_own_commit(mark)
            self.feed.publish([], [], members=True)
            return member_id

    def _own_commit(self) -> int:
        return self._store.last_commit() if self._store is not None else 0

    def _after_own_commit(self, mark: int) -> None:
        """If this thread just committed revision N, publish other processes' revisions before N first."""
        if self._store is None:
            return
        committed = self._store.last_commit()
        if committed == mark:  # nothing written (a refused request)
            return
        if committed - 1 > self._published:
            self._publish_store_changes(self._published, committed - 1)
        self._published = max(self._published, committed)

    def _publish_answer(self, method: str, path: str, query: Any, answer: Answer) -> None:
        """What a successful write of the served board's items changed, told by the route that served it."""
        status, _, payload = answer
        if status >= 300:
            return
        try:
            found = resolve(method, path_segments(path), query)
        except ApiError:
            return
        event = _EVENT_OF.get(found.route.handler)
        if found.board_id != self.board_id or event is None:
            return
        if event == "deleted":
            self.feed.publish([], [found.args[-1]])
            return
        try:
            body = json.loads(payload) if payload else None
        except ValueError:
            return
        if event == "items" and isinstance(body, dict):
            self.feed.publish(list(body.get("data") or []), [])
        elif event == "item" and isinstance(body, dict):
            self.feed.publish([body], [])

    # --- other processes' writes ----------------------------------------------------------------

    def catch_up(self) -> bool:
        """Publish what other processes committed since the last published revision; True if anything."""
        if self._store is None or self._store.revision() <= self._published:  # the usual case: a cheap look
            return False
        with self._lock:
            current = self._store.revision()
            if current <= self._published:
                return False
            self._publish_store_changes(self._published, current)
            self._published = current
            return True

    def _publish_store_changes(self, since: int, until: int) -> None:
        """One event with the served board's items changed in revisions ``since`` < r ≤ ``until``."""
        assert self._store is not None
        changes = self._store.changes_since(since, until)
        changed = [item["id"] for board_id, item in changes.items if board_id == self.board_id]
        deleted = [item_id for board_id, item_id in changes.deleted if board_id == self.board_id]
        members = self.board_id in changes.boards
        if not (changed or deleted or members):
            return
        items = []
        with self.engine.backend.transaction() as tx:  # as Miro's API shows them (links, parent)
            board = tx.board(self.board_id)
            if board is None:
                return
            for item_id in changed:
                item = board["items"].get(item_id)
                if item is None:  # deleted by a later commit: the next look publishes it
                    continue
                items.append(item_json(board, item, self.base_url))
        self.feed.publish(items, deleted, members=members)

    def start_watching(self) -> None:
        """Look for other processes' commits every :data:`WATCH_SECONDS`, in a background thread."""
        if self._store is None or self._watcher is not None:
            return
        self._watcher = threading.Thread(target=self._watch, name="gria-miro-store-watch", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        while not self._stop.wait(WATCH_SECONDS):
            try:
                self.catch_up()
            except Exception:  # a busy or vanished database: look again at the next tick
                continue

    def stop(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=2)
