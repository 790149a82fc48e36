"""Acting as a participant on a board, through the same HTTP API as Miro's own UI would.

One responsibility: small helpers for tests and rehearsals of the game (move a card into a zone, set
its assignee and due date, add a sticky note, delete an item). They take a ``requests.Session``
(with the local adapter mounted, or carrying the server's token) and the base URL, and return the
item JSON the board answered. Any answer other than success raises ``requests.HTTPError``.

Members cannot be added through Miro's REST API: use
:meth:`gria_miro.localboard.engine.BoardEngine.add_member` (engine level, local board only) through
:func:`add_member` here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from gria_miro.localboard.engine import BoardEngine

JSON = dict[str, Any]


def _items_url(base_url: str, board_id: str) -> str:
    return f"{base_url.rstrip('/')}/v2/boards/{quote(board_id, safe='')}"


def _json(response: requests.Response) -> JSON:
    response.raise_for_status()
    payload: JSON = response.json()
    return payload


def move_item(
    session: requests.Session, base_url: str, board_id: str, item_id: str, x: float, y: float,
    parent_id: str | None = None,
) -> JSON:  # fmt: skip
    """Move an item to (x, y); with ``parent_id``, into that frame (x, y from the frame's top-left corner)."""
    body: JSON = {"position": {"x": x, "y": y}}
    if parent_id is not None:
        body["parent"] = {"id": parent_id}
    return _json(session.patch(f"{_items_url(base_url, board_id)}/items/{item_id}", json=body))


def set_assignee(session: requests.Session, base_url: str, board_id: str, card_id: str, member_id: str) -> JSON:
    """Assign a card to a board member."""
    url = f"{_items_url(base_url, board_id)}/cards/{card_id}"
    return _json(session.patch(url, json={"data": {"assigneeId": member_id}}))


def set_due_date(session: requests.Session, base_url: str, board_id: str, card_id: str, due_date: str) -> JSON:
    """Set a card's due date (ISO-8601 with a time zone, e.g. ``2026-10-12T22:00:00Z``)."""
    url = f"{_items_url(base_url, board_id)}/cards/{card_id}"
    return _json(session.patch(url, json={"data": {"dueDate": due_date}}))


def add_sticky_note(
    session: requests.Session, base_url: str, board_id: str, text: str, x: float, y: float,
    parent_id: str | None = None, colour: str = "light_yellow",
) -> JSON:  # fmt: skip
    """Add a sticky note at (x, y), inside frame ``parent_id`` when given."""
    body: JSON = {"data": {"content": text}, "style": {"fillColor": colour}, "position": {"x": x, "y": y}}
    if parent_id is not None:
        body["parent"] = {"id": parent_id}
    return _json(session.post(f"{_items_url(base_url, board_id)}/sticky_notes", json=body))


def delete_item(session: requests.Session, base_url: str, board_id: str, item_id: str) -> None:
    """Delete an item (a frame's children stay on the canvas where they were)."""
    session.delete(f"{_items_url(base_url, board_id)}/items/{item_id}").raise_for_status()


def add_member(engine: BoardEngine, board_id: str, name: str, role: str = "editor") -> str:
    """Add a board member at engine level (not possible through Miro's REST API); returns its id."""
    return engine.add_member(board_id, name, role)
