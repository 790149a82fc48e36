"""read_board lists frames, then each frame's children side by side, and still misses nothing (issue 18).

A fake Miro (``responses``) pages ``GET /items`` as the spec says: 50 per page, an opaque cursor,
``total`` for the query, filters ``type`` and ``parent_item_id`` (direct children only). Every test
compares what ``read_board`` returns with the board itself.
"""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from gria_miro.miro import MiroClient
from tests.miro.conftest import BOARD, BOARD_ID, wire_item


class FakeBoard:
    """Items in creation order; answers item listings like Miro (optionally without ``total``)."""

    def __init__(self, *, with_total: bool = True) -> None:
        self.items: list[dict[str, Any]] = []
        self.with_total = with_total
        self.queries: list[dict[str, str]] = []
        self._lock = threading.Lock()

    def add(self, item_id: str, item_type: str, *, parent: str | None = None, w: float = 300, h: float = 200) -> None:
        self.items.append(wire_item(item_id, item_type, x=10, y=10, width=w, height=h, parent=parent))

    def listing(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        query = {k: v[0] for k, v in parse_qs(urlsplit(str(request.url)).query).items()}
        with self._lock:
            self.queries.append(query)
        chosen = [
            item
            for item in self.items
            if ("type" not in query or item["type"] == query["type"])
            and ("parent_item_id" not in query or (item.get("parent") or {}).get("id") == query["parent_item_id"])
        ]
        start = int(query.get("cursor", "0"))
        limit = int(query["limit"])
        page = chosen[start : start + limit]
        body: dict[str, Any] = {"data": page, "size": len(page), "limit": limit, "type": "cursor-list"}
        if start + limit < len(chosen):
            body["cursor"] = str(start + limit)
        if self.with_total:
            body["total"] = len(chosen)
        return 200, {}, json.dumps(body)

    def register(self, mock: responses.RequestsMock) -> None:
        mock.get(BOARD, json={"id": BOARD_ID, "name": "Atelier"})
        mock.get(f"{BOARD}/members", json={"data": [], "limit": 50})
        mock.add_callback(responses.GET, f"{BOARD}/items", callback=self.listing)

    def ids(self, types: tuple[str, ...] = ("frame", "card", "app_card", "sticky_note", "shape", "text")) -> set[str]:
        return {item["id"] for item in self.items if item["type"] in types}


def workshop(board: FakeBoard, *, frames: int, cards_per_frame: int, canvas_cards: int = 0) -> None:
    """Frames of growing size holding cards and notes, and cards left on the canvas."""
    for f in range(frames):
        frame_id = f"F{f}"
        board.add(frame_id, "frame", w=1000 + f, h=800)
        for c in range(cards_per_frame if f % 3 == 0 else 2):
            board.add(f"{frame_id}-C{c}", "card", parent=frame_id)
        board.add(f"{frame_id}-S", "sticky_note", parent=frame_id)
    for c in range(canvas_cards):
        board.add(f"canvas-C{c}", "card")


@pytest.mark.parametrize("with_total", [True, False])
def test_cards_outside_every_frame_are_found(
    mock: responses.RequestsMock, client: MiroClient, with_total: bool
) -> None:
    board = FakeBoard(with_total=with_total)
    workshop(board, frames=6, cards_per_frame=30, canvas_cards=3)
    board.add("canvas-note", "sticky_note")
    board.add("photo", "image")  # not a type gria-miro reads
    board.register(mock)
    observed = client.read_board(BOARD_ID)
    assert {item.id for item in observed.items} == board.ids()
    assert {"canvas-C0", "canvas-C1", "canvas-C2", "canvas-note"} <= {i.id for i in observed.items}
    assert all(i.parent_id is None for i in observed.items if i.id.startswith("canvas"))


def test_more_than_fifty_items_in_one_frame_and_more_than_fifty_frames(
    mock: responses.RequestsMock, client: MiroClient
) -> None:
    board = FakeBoard()
    workshop(board, frames=72, cards_per_frame=106)  # two pages of frames, three pages of children in some
    board.register(mock)
    observed = client.read_board(BOARD_ID)
    assert {item.id for item in observed.items} == board.ids()
    assert len(observed.items) == len(board.ids()) > 2500
    frame_pages = [q for q in board.queries if q.get("type") == "frame"]
    assert [q.get("cursor") for q in frame_pages] == [None, "50"]
    third_pages = [q for q in board.queries if "parent_item_id" in q and q.get("cursor") == "100"]
    assert {q["parent_item_id"] for q in third_pages} == {f"F{f}" for f in range(0, 72, 3)}
    # every card was found in its frame: the cards' own listing stopped after its first page
    assert [q.get("cursor") for q in board.queries if q.get("type") == "card"] == [None]


def test_nested_frames_and_their_children(mock: responses.RequestsMock, client: MiroClient) -> None:
    board = FakeBoard()
    board.add("OUT", "frame", w=4000, h=3000)
    board.add("IN", "frame", parent="OUT", w=1000, h=800)
    for c in range(60):
        board.add(f"IN-C{c}", "card", parent="IN")
    board.add("OUT-T", "text", parent="OUT")
    board.register(mock)
    observed = client.read_board(BOARD_ID)
    assert {item.id for item in observed.items} == board.ids()
    by_id = observed.by_id()
    assert by_id["IN-C0"].parent_id == "IN" and by_id["IN"].parent_id == "OUT"


def test_an_empty_board_is_one_round_of_first_pages(mock: responses.RequestsMock, client: MiroClient) -> None:
    board = FakeBoard()
    board.register(mock)
    assert client.read_board(BOARD_ID).items == ()
    assert len(board.queries) == 6  # the frames and one first page per other type, nothing else
    assert all("cursor" not in q and "parent_item_id" not in q for q in board.queries)


def test_frames_whose_listing_is_not_needed_are_skipped(mock: responses.RequestsMock, clock: Any) -> None:
    """Once every type's total is reached, empty frames not yet listed are not asked for."""
    board = FakeBoard()
    board.add("BIG", "frame", w=5000, h=5000)
    for c in range(40):
        board.add(f"BIG-C{c}", "card", parent="BIG")
    for f in range(30):
        board.add(f"EMPTY{f}", "frame", w=100, h=100)
    for c in range(20):
        board.add(f"BIG-N{c}", "sticky_note", parent="BIG")
    board.register(mock)
    from tests.miro.conftest import make_client

    with make_client(clock, max_workers=1) as client:  # one at a time: the order decides what is skipped
        observed = client.read_board(BOARD_ID)
    assert {item.id for item in observed.items} == board.ids()
    children_listings = [q["parent_item_id"] for q in board.queries if "parent_item_id" in q]
    assert children_listings == []  # cards (40) and notes (20) were all on their types' first pages


def test_a_wrong_total_never_loses_an_item(mock: responses.RequestsMock, client: MiroClient) -> None:
    """A total larger than the truth only costs the type's whole listing."""
    board = FakeBoard()
    workshop(board, frames=4, cards_per_frame=60, canvas_cards=2)
    original = board.listing

    def inflated(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        status, headers, body = original(request)
        page = json.loads(body)
        page["total"] = page.get("total", 0) + 7
        return status, headers, json.dumps(page)

    board.listing = inflated  # type: ignore[method-assign]
    board.register(mock)
    assert {item.id for item in client.read_board(BOARD_ID).items} == board.ids()


class StaleStateBoard(FakeBoard):
    """Answers a listing of an unknown parent with 404 (as the local board does), and refuses once the
    first listing of some frames (400), as a head start that fails must cost time, never an item."""

    def __init__(self, refuse_once: set[str]) -> None:
        super().__init__()
        self.refuse_once = set(refuse_once)

    def listing(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        query = {k: v[0] for k, v in parse_qs(urlsplit(str(request.url)).query).items()}
        parent = query.get("parent_item_id")
        error = None
        with self._lock:
            if parent in self.refuse_once:
                self.refuse_once.discard(parent)
                error = 400, {"status": 400, "code": "2.0703", "message": "Invalid parameters", "type": "error"}
        if parent is not None and error is None and parent not in {item["id"] for item in self.items}:
            error = 404, {"status": 404, "code": "3.0201", "message": "Item not found", "type": "error"}
        if error is not None:
            with self._lock:
                self.queries.append(query)
            return error[0], {}, json.dumps(error[1])
        return super().listing(request)


def _hint_of(board: FakeBoard) -> dict[str, int]:
    held: dict[str, int] = {item["id"]: 0 for item in board.items if item["type"] == "frame"}
    for item in board.items:
        parent = (item.get("parent") or {}).get("id")
        if parent in held:
            held[parent] += 1
    return held


@pytest.mark.parametrize("workers", [1, 32])
def test_frames_from_the_state_are_a_head_start_and_never_lose_an_item(
    mock: responses.RequestsMock, clock: Any, workers: int
) -> None:
    """The state's frames are listed at once; a frame gone, an id that is no frame, a frame the state
    does not know, a card left on the canvas and a refused head start all end with the whole board read."""
    from tests.miro.conftest import make_client

    board = StaleStateBoard(refuse_once={"F7", "F60"})  # F7 on the frames' first page, F60 on the second
    workshop(board, frames=72, cards_per_frame=106, canvas_cards=2)
    hint = _hint_of(board)
    board.add("NEW", "frame", w=900, h=900)  # drawn since the last push: not in the state
    for c in range(3):
        board.add(f"NEW-C{c}", "card", parent="NEW")
    hint["GONE"] = 40  # deleted since the last push: 404
    hint["F0-C0"] = 1  # not a frame: nothing listed in it
    board.register(mock)
    with make_client(clock, max_workers=workers) as client:
        observed = client.read_board(BOARD_ID, frames_hint=hint)
    assert {item.id for item in observed.items} == board.ids()
    first_pages = [q["parent_item_id"] for q in board.queries if "parent_item_id" in q and "cursor" not in q]
    listed_ok = [p for p in first_pages if p not in {"GONE", "F0-C0"}]
    # each frame listed once, plus a second time only for the two refused head starts
    assert sorted(listed_ok) == sorted([*(f"F{f}" for f in range(72)), "NEW", "F7", "F60"])
    if workers == 1:  # the order is the scheduler's: the fullest frame of the state before any type's first page
        order = [q.get("parent_item_id") or q.get("type") for q in board.queries]
        assert order.index("F0") < order.index("card")
        assert order.index("NEW") > order.index("card")  # a frame found by the listing comes after
