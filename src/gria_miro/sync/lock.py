"""One push at a time per board: a local lock for this machine, a lock item on the board for the others.

Two pushes at once on one board (two terminals, two facilitators) must never duplicate. On one
machine, :class:`gria_miro.filelock.InterProcessLock` (keyed by the board id) serialises them.
Between machines only the board is shared, and Miro has no compare-and-swap, so the board lock is
"create, then look": each push creates its own small text item on the canvas
(``gria-miro · push en cours …``), re-reads the board, and goes ahead only if its item is the
oldest live one (Miro's ``createdAt``, then the id); otherwise it deletes its item, waits and tries
again. Whoever looks second sees both items, so at most one goes ahead. A lock item older than
:data:`STALE_AFTER` seconds than ours (a push killed mid-way) is ignored and removed. Times are the
board's own (``createdAt``), never this machine's clock.

A lock item also names its *station* (a short hash of this machine's name, the user and the local lock
folder, never the names themselves). A push holds the local lock before it looks at the board, so a
lock item of its own station cannot belong to a live push: it was left by a push of this station that
was killed (power cut, ``kill -9``), and it is removed at once instead of blocking for
:data:`STALE_AFTER` seconds.

The board read that wins the lock is returned: the caller plans again from it, so a push that
waited sees what the other one did and creates nothing twice.
"""

from __future__ import annotations

import getpass
import hashlib
import re
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from gria_miro.errors import GriaError, UserError
from gria_miro.observed import ObservedBoard, ObservedItem
from gria_miro.sync.manifest import LOCK_PREFIX, is_lock

if TYPE_CHECKING:
    from gria_miro.sync.ports import BoardPort

STALE_AFTER = 15 * 60  # seconds: a push holding the board longer than this is taken as dead
WAIT_LIMIT = 15 * 60  # seconds a push waits for another one before giving up
POLL_SECONDS = 2.0
_STATION = re.compile(r"poste ([0-9a-f]{8})")


def station_tag() -> str:
    """This machine, user and local lock folder, as 8 hex digits (the same for every push they run)."""
    from gria_miro.filelock import lock_directory

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name known to the system (some containers)
        user = ""
    seed = "\0".join((socket.gethostname(), user, str(lock_directory())))
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:8]


def _station_of(item: ObservedItem) -> str | None:
    match = _STATION.search(str(item.data.get("content") or ""))
    return match.group(1) if match else None


class BoardBusy(UserError):
    """Another push held the board for longer than the wait limit."""

    def __init__(self, board_id: str, since: str | None, waited: float) -> None:
        self.board_id = board_id
        self.since = since
        super().__init__(
            f"un autre push est en cours sur le tableau {board_id}"
            + (f" (depuis {since})" if since else "")
            + f" ; attente abandonnée après {waited:.0f} s. Relancez plus tard ; si aucun push ne tourne, supprimez "
            "du tableau le texte « gria-miro · push en cours »"
        )


def _order(item: ObservedItem) -> tuple[str, int, str]:
    return (item.created_at or "", len(item.id), item.id)


def _age_gap(older: ObservedItem, newer: ObservedItem) -> float:
    """Seconds between two items' creation on the board (0 when unknown)."""
    try:
        first = datetime.fromisoformat(str(older.created_at).replace("Z", "+00:00"))
        second = datetime.fromisoformat(str(newer.created_at).replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return (second - first).total_seconds()


class BoardLock:
    """The board-side lock of one push."""

    def __init__(
        self,
        client: BoardPort,
        board_id: str,
        position: tuple[int, int],
        *,
        on_wait: Callable[[str | None], None] | None = None,
        wait_limit: float = WAIT_LIMIT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        station: str | None = None,
    ) -> None:
        self.client = client
        self.station = station  # set only by a caller that holds this station's local lock
        self.board_id = board_id
        self.position = position
        self.on_wait = on_wait or (lambda since: None)
        self.wait_limit = wait_limit
        self._clock = clock
        self._sleep = sleep
        self.item_id: str | None = None

    def _create(self) -> str:
        token = uuid4().hex[:8]
        station = f", poste {self.station}" if self.station else ""
        x, y = self.position
        body = {
            "type": "text",
            "data": {"content": f"<p>{LOCK_PREFIX} (verrou {token}{station}) : ne pas modifier</p>"},
            "position": {"x": x, "y": y},
            "geometry": {"width": 600},
        }
        created: list[Any] = []
        errors: list[GriaError] = []

        def on_result(_index: int, result: Any) -> None:
            (errors if isinstance(result, GriaError) else created).append(result)

        self.client.bulk_create_chunks(self.board_id, [[body]], on_result)
        if errors:
            raise errors[0]
        return str(created[0][0].id)

    def _delete(self, item_id: str) -> None:
        from gria_miro.miro.errors import MiroNotFoundError

        try:
            self.client.delete_item(self.board_id, item_id)
        except MiroNotFoundError:
            pass  # already gone

    def acquire(self) -> ObservedBoard:
        """Wait for the board; the board as read once it is ours."""
        started = self._clock()
        told = False
        while True:
            mine = self._create()
            board = self.client.read_board(self.board_id)
            locks = sorted((i for i in board.items if is_lock(i)), key=_order)
            own = next((i for i in locks if i.id == mine), None)
            if own is None:  # not visible yet: look again rather than assume
                self._delete(mine)
                self._sleep(POLL_SECONDS)
                continue
            live = []
            for other in locks:
                if other.id != mine and _age_gap(other, own) > STALE_AFTER:
                    self._delete(other.id)  # left by a push that died: not a holder any more
                elif other.id != mine and self.station is not None and _station_of(other) == self.station:
                    self._delete(other.id)  # ours, and we hold our station's local lock: its push is dead
                else:
                    live.append(other)
            if live[0].id == mine:
                self.item_id = mine
                return board
            self._delete(mine)
            waited = self._clock() - started
            if waited >= self.wait_limit:
                raise BoardBusy(self.board_id, live[0].created_at, waited)
            if not told:
                self.on_wait(live[0].created_at)
                told = True
            self._sleep(POLL_SECONDS)

    def release(self) -> None:
        if self.item_id is not None:
            self._delete(self.item_id)
            self.item_id = None


@contextmanager
def push_lock(
    client: BoardPort,
    board_id: str,
    position: tuple[int, int],
    *,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[ObservedBoard]:
    """Hold this board for one push: the local lock, then the board's; yields the board read under both."""
    from gria_miro.filelock import InterProcessLock

    say = on_wait or (lambda message: None)
    local = InterProcessLock(
        f"gria-miro push {board_id}",
        label=f"Le tableau {board_id} (un autre push sur cette machine)",
        timeout=WAIT_LIMIT,
        on_wait=lambda holder: say("Un autre push est en cours sur ce tableau depuis cette machine : attente…"),
    )
    with local:
        lock = BoardLock(
            client,
            board_id,
            position,
            station=station_tag(),
            on_wait=lambda since: say(
                "Un autre push est en cours sur ce tableau" + (f" (depuis {since})" if since else "") + " : attente…"
            ),
        )
        board = lock.acquire()
        try:
            yield board
        finally:
            lock.release()
