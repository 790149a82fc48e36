"""What the local board stores: typed records of boards, items, tags and members, and their ids.

One responsibility: the stored shape of a board file's state (``BoardState``) and the constructors of
new records. The JSON board file is exactly this state; the SQLite store keeps the same records, one
row each. Records are plain JSON-able dicts typed with ``TypedDict`` so that saving them is free and
mypy checks every key. Positions are stored as Miro answers them: relative to the parent frame's
top-left corner for a child, to the canvas centre otherwise.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypedDict

JSON = dict[str, Any]

FORMAT_MARK = "gria-miro-localboard"
FORMAT_VERSION = 1
FIRST_ID = 3458764600000000001
LOCAL_USER_ID = "3458764500000000001"
LOCAL_USER_NAME = "Animateur local"
_BOARD_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


class Position(TypedDict):
    x: float
    y: float


class StoredItem(TypedDict):
    """An item (frame, card, app_card, sticky_note, shape, text) as stored."""

    id: str
    type: str
    data: JSON
    style: JSON
    geometry: JSON
    #: the id of the frame holding it, or None on the canvas
    parent: str | None
    position: Position
    createdAt: str
    modifiedAt: str


class StoredTag(TypedDict):
    id: str
    title: str
    fillColor: str


class StoredMember(TypedDict):
    id: str
    name: str
    role: str


class StoredBoard(TypedDict):
    id: str
    name: str
    description: str
    createdAt: str
    modifiedAt: str
    items: dict[str, StoredItem]
    tags: dict[str, StoredTag]
    #: item id → ids of the tags attached to it, in attachment order
    item_tags: dict[str, list[str]]
    members: list[StoredMember]


class BoardState(TypedDict):
    """The whole state of a local board store (the JSON board file's content)."""

    format: str
    version: int
    #: the next item/tag/member id (Miro's ids are int64 strings, increasing)
    next_id: int
    boards: dict[str, StoredBoard]


def new_state() -> BoardState:
    """An empty state: no board yet."""
    return {"format": FORMAT_MARK, "version": FORMAT_VERSION, "next_id": FIRST_ID, "boards": {}}


def iso_now(clock: Callable[[], float]) -> str:
    """Miro's timestamp form, with milliseconds as in the spec's examples: ``2022-03-30T17:26:50.000Z``."""
    moment = datetime.fromtimestamp(clock(), tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def new_board_id(taken: Callable[[str], bool]) -> str:
    """A fresh id shaped like Miro's (``uXjV`` + 7 characters + ``=``), not ``taken``."""
    while True:
        candidate = "uXjV" + "".join(secrets.choice(_BOARD_ID_ALPHABET) for _ in range(7)) + "="
        if not taken(candidate):
            return candidate


def board_record(board_id: str, name: str, description: str, now: str) -> StoredBoard:
    """A new empty board whose only member is the local user, its owner."""
    return {
        "id": board_id,
        "name": name,
        "description": description,
        "createdAt": now,
        "modifiedAt": now,
        "items": {},
        "tags": {},
        "item_tags": {},
        "members": [{"id": LOCAL_USER_ID, "name": LOCAL_USER_NAME, "role": "owner"}],
    }
