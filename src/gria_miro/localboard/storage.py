"""Where the local board's state lives: the transaction protocol every store implements.

One responsibility: define how handlers read and change a board (:class:`Transaction`), and give
the one implementation over an in-memory :class:`~gria_miro.localboard.records.BoardState`
(:class:`StateTransaction`), which the memory backend, the JSON file and the SQLite store share.

A handler reads through ``tx.board(id)`` (a read view: never mutate it) and changes the state only
through the transaction's write methods. Each write is applied at once (later reads in the same
request see it), remembered for :meth:`StateTransaction.rollback` (a request that fails half-way
leaves nothing behind) and recorded in :attr:`StateTransaction.changes`, so a store saves exactly
what changed: the JSON file rewrites itself when anything changed, the SQLite store writes only the
changed rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from gria_miro.localboard.records import BoardState, StoredBoard, StoredItem, StoredMember, StoredTag, new_state

_V = TypeVar("_V")


@dataclass
class Changes:
    """What a transaction changed, by key (for stores that save per row)."""

    #: (board id, item id) of items created or replaced
    items: set[tuple[str, str]] = field(default_factory=set)
    #: (board id, item id) of items deleted
    deleted_items: set[tuple[str, str]] = field(default_factory=set)
    #: boards whose own fields, tags, item-tag links or members changed (or that were created)
    boards: set[str] = field(default_factory=set)
    next_id: bool = False

    def __bool__(self) -> bool:
        return bool(self.items or self.deleted_items or self.boards or self.next_id)


class Transaction(Protocol):
    """One request's reads and writes of the state, all applied or none."""

    def board(self, board_id: str) -> StoredBoard | None:
        """The board (read view), or None."""

    def board_ids(self) -> list[str]:
        """The ids of the boards, in creation order."""

    def new_id(self) -> str:
        """A fresh item/tag/member id."""

    def add_board(self, board: StoredBoard) -> None:
        """Store a new board."""

    def put_item(self, board_id: str, item: StoredItem) -> None:
        """Store ``item`` (new or replacing the one with its id)."""

    def delete_item(self, board_id: str, item_id: str) -> None:
        """Remove an item and its tag links."""

    def put_tag(self, board_id: str, tag: StoredTag) -> None:
        """Store a tag (new or replacing the one with its id)."""

    def delete_tag(self, board_id: str, tag_id: str) -> None:
        """Remove a tag and every link to it."""

    def set_item_tags(self, board_id: str, item_id: str, tag_ids: list[str]) -> None:
        """The tags attached to an item, in attachment order."""

    def add_member(self, board_id: str, member: StoredMember) -> None:
        """Add a board member."""


class Backend(Protocol):
    """A store of board state: hands out one transaction at a time."""

    def transaction(self) -> AbstractContextManager[Transaction]:
        """A context manager yielding a :class:`Transaction`; leaving it normally saves, an exception undoes."""


class StateTransaction:
    """A :class:`Transaction` over a :class:`BoardState` in memory, with undo and a record of changes."""

    def __init__(self, state: BoardState) -> None:
        self.state = state
        self.changes = Changes()
        self._undo: list[Callable[[], None]] = []

    # --- reads ------------------------------------------------------------------------------------

    def board(self, board_id: str) -> StoredBoard | None:
        return self.state["boards"].get(board_id)

    def board_ids(self) -> list[str]:
        return list(self.state["boards"])

    def _board(self, board_id: str) -> StoredBoard:
        return self.state["boards"][board_id]

    # --- writes -----------------------------------------------------------------------------------

    def new_id(self) -> str:
        value = int(self.state["next_id"])
        self.state["next_id"] = value + 1
        self._undo.append(lambda: self.state.__setitem__("next_id", value))
        self.changes.next_id = True
        return str(value)

    def add_board(self, board: StoredBoard) -> None:
        boards = self.state["boards"]
        boards[board["id"]] = board
        self._undo.append(lambda: _forget(boards, board["id"]))
        self.changes.boards.add(board["id"])

    def put_item(self, board_id: str, item: StoredItem) -> None:
        items = self._board(board_id)["items"]
        self._remember(items, item["id"])
        items[item["id"]] = item
        self.changes.items.add((board_id, item["id"]))
        self.changes.deleted_items.discard((board_id, item["id"]))

    def delete_item(self, board_id: str, item_id: str) -> None:
        board = self._board(board_id)
        self._remember(board["items"], item_id)
        del board["items"][item_id]
        if item_id in board["item_tags"]:
            self.set_item_tags(board_id, item_id, [])
            self._remember(board["item_tags"], item_id)
            del board["item_tags"][item_id]
        self.changes.items.discard((board_id, item_id))
        self.changes.deleted_items.add((board_id, item_id))

    def put_tag(self, board_id: str, tag: StoredTag) -> None:
        tags = self._board(board_id)["tags"]
        self._remember(tags, tag["id"])
        tags[tag["id"]] = tag
        self.changes.boards.add(board_id)

    def delete_tag(self, board_id: str, tag_id: str) -> None:
        board = self._board(board_id)
        self._remember(board["tags"], tag_id)
        del board["tags"][tag_id]
        for item_id, tag_ids in list(board["item_tags"].items()):
            if tag_id in tag_ids:
                self.set_item_tags(board_id, item_id, [t for t in tag_ids if t != tag_id])
        self.changes.boards.add(board_id)

    def set_item_tags(self, board_id: str, item_id: str, tag_ids: list[str]) -> None:
        links = self._board(board_id)["item_tags"]
        self._remember(links, item_id)
        links[item_id] = list(tag_ids)
        self.changes.boards.add(board_id)

    def add_member(self, board_id: str, member: StoredMember) -> None:
        members = self._board(board_id)["members"]
        members.append(member)
        self._undo.append(lambda: members.remove(member))
        self.changes.boards.add(board_id)

    # --- undo -------------------------------------------------------------------------------------

    def _remember(self, mapping: dict[str, _V], key: str) -> None:
        if key in mapping:
            old = mapping[key]
            self._undo.append(lambda: mapping.__setitem__(key, old))
        else:
            self._undo.append(lambda: _forget(mapping, key))

    def rollback(self) -> None:
        """Undo every write of this transaction, newest first."""
        while self._undo:
            self._undo.pop()()
        self.changes = Changes()


def _forget(mapping: dict[str, _V], key: str) -> None:
    mapping.pop(key, None)


@contextlib.contextmanager
def state_transaction(
    state: BoardState, save: Callable[[StateTransaction], None] | None = None
) -> Iterator[StateTransaction]:
    """A transaction over ``state``: ``save(tx)`` when the block changed something; rolled back if the
    block or the save raises (the memory is then as it was, and so is what ``save`` writes to)."""
    tx = StateTransaction(state)
    try:
        yield tx
        if save is not None and tx.changes:
            save(tx)
    except BaseException:
        tx.rollback()
        raise


@dataclass
class MemoryBackend:
    """The state kept in memory only (tests, benchmarks)."""

    state: BoardState = field(default_factory=new_state)

    def transaction(self) -> AbstractContextManager[Transaction]:
        return state_transaction(self.state)
