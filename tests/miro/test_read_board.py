"""read_board: typed listings in parallel, board info, members, tags, absolute positions."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import requests
import responses

from gria_miro.miro import MiroClient
from tests.miro.conftest import BOARD, BOARD_ID, wire_item

FRAME = wire_item("F", "frame", x=0, y=0, width=2000, height=1000)
CARD = wire_item("C", "card", x=100, y=50, parent="F")
STICKY = wire_item("S", "sticky_note", x=-3000, y=0)
ORPHAN = wire_item("O", "text", x=10, y=10, parent="Z")  # parent Z is of a type not listed
CONTAINER = wire_item("Z", "unknown_container", x=5000, y=5000, width=100, height=100)


def items_callback(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    query = parse_qs(urlsplit(str(request.url)).query)
    if "tag_id" in query:
        data = [CARD] if query["tag_id"] == ["t1"] else []
        return 200, {}, json.dumps({"data": data, "limit": 50, "offset": 0})
    if "parent_item_id" in query:  # a frame's children (read_board may list them side by side)
        children = [
            i for i in (CARD, STICKY, ORPHAN) if (i.get("parent") or {}).get("id") == query["parent_item_id"][0]
        ]
        return 200, {}, json.dumps({"data": children, "limit": 50})
    by_type = {"frame": [FRAME], "card": [CARD], "sticky_note": [STICKY], "text": [ORPHAN]}
    return 200, {}, json.dumps({"data": by_type.get(query["type"][0], []), "limit": 50})


def register(mock: responses.RequestsMock) -> None:
    mock.get(BOARD, json={"id": BOARD_ID, "name": "Atelier", "viewLink": "https://miro.com/app/board/uXjVOD6LSME="})
    mock.get(f"{BOARD}/members", json={"data": [{"id": "42", "name": "Ana", "role": "owner"}], "limit": 50})
    mock.add_callback(responses.GET, f"{BOARD}/items", callback=items_callback)
    mock.get(f"{BOARD}/items/Z", json=CONTAINER)
    mock.get(f"{BOARD}/tags", json={"data": [{"id": "t1", "title": "prioritaire", "fillColor": "red"}], "limit": 50})


def test_read_board(mock: responses.RequestsMock, client: MiroClient) -> None:
    register(mock)
    board = client.read_board(BOARD_ID, with_tags=True)
    assert (board.board_id, board.name, board.view_link) == (
        BOARD_ID,
        "Atelier",
        "https://miro.com/app/board/uXjVOD6LSME=",
    )
    by_id = board.by_id()
    assert sorted(by_id) == ["C", "F", "O", "S"]  # the container was fetched to place O, not returned
    assert (by_id["C"].x, by_id["C"].y) == (-900, -450)
    assert (by_id["O"].x, by_id["O"].y) == (4960, 4960)
    assert by_id["C"].tag_ids == ("t1",) and by_id["S"].tag_ids == ()
    assert [(m.id, m.name) for m in board.members] == [("42", "Ana")]
    assert [(t.id, t.title) for t in board.tags] == [("t1", "prioritaire")]
    listed_types = sorted(
        parse_qs(urlsplit(c.request.url).query)["type"][0]
        for c in mock.calls
        if urlsplit(c.request.url).path.endswith("/items") and "type=" in c.request.url
    )
    assert listed_types == ["app_card", "card", "frame", "shape", "sticky_note", "text"]


def test_read_board_untyped_listing(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.get(BOARD, json={"id": BOARD_ID})
    mock.get(f"{BOARD}/members", json={"data": [], "limit": 50})
    mock.get(f"{BOARD}/items", json={"data": [FRAME, CARD], "limit": 50})
    board = client.read_board(BOARD_ID, types=None)
    assert [i.id for i in board.items] == ["F", "C"]
    assert board.tags == ()
