"""Cursor pagination of GET …/items: complete, never stops early, never loops."""

from __future__ import annotations

from typing import Any

import pytest
import responses
from responses import matchers

from gria_miro.miro import MiroClient, MiroPaginationError
from tests.miro.conftest import BOARD, BOARD_ID, wire_item

ITEMS = f"{BOARD}/items"


def page(ids: range | list[int], cursor: str | None = None, *, total: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "data": [wire_item(str(i)) for i in ids],
        "size": len(ids),
        "limit": 50,
        "type": "cursor-list",
    }
    if total:
        body["total"] = 999  # deliberately wrong: the client must not trust it
    if cursor is not None:
        body["cursor"] = cursor
    return body


def on(mock: responses.RequestsMock, body: dict[str, Any], **params: str) -> None:
    mock.get(ITEMS, json=body, match=[matchers.query_param_matcher({"limit": "50", **params})])


def test_empty_board(mock: responses.RequestsMock, client: MiroClient) -> None:
    on(mock, {"data": [], "total": 0, "size": 0, "limit": 50})
    assert client.list_items(BOARD_ID) == []
    assert len(mock.calls) == 1


def test_exactly_fifty_in_one_page(mock: responses.RequestsMock, client: MiroClient) -> None:
    on(mock, page(range(50)))
    assert len(client.list_items(BOARD_ID)) == 50
    assert len(mock.calls) == 1


def test_exactly_fifty_then_an_empty_page(mock: responses.RequestsMock, client: MiroClient) -> None:
    on(mock, page(range(50), "c1"))
    on(mock, page([], ""), cursor="c1")
    assert len(client.list_items(BOARD_ID)) == 50
    assert len(mock.calls) == 2


def test_fifty_one_in_two_pages_without_total(mock: responses.RequestsMock, client: MiroClient) -> None:
    on(mock, page(range(50), "c1", total=False))
    on(mock, page([50], total=False), cursor="c1")
    items = client.list_items(BOARD_ID)
    assert [i.id for i in items] == [str(i) for i in range(51)]


def test_many_pages_follow_the_cursor(mock: responses.RequestsMock, client: MiroClient) -> None:
    on(mock, page(range(0, 50), "c1"))
    on(mock, page(range(50, 100), "c2"), cursor="c1")
    on(mock, page(range(100, 130)), cursor="c2")
    assert len(client.list_items(BOARD_ID)) == 130
    assert client.stats.credits_spent == 3 * 100


def test_repeated_cursor_stops_with_an_error(mock: responses.RequestsMock, client: MiroClient) -> None:
    on(mock, page(range(0, 50), "c1"))
    on(mock, page(range(50, 100), "c1"), cursor="c1")
    with pytest.raises(MiroPaginationError, match="même curseur"):
        client.list_items(BOARD_ID)
    assert len(mock.calls) == 2


def test_a_page_of_already_seen_items_stops(mock: responses.RequestsMock, client: MiroClient) -> None:
    on(mock, page(range(0, 50), "c1"))
    on(mock, page(range(0, 50), "c2"), cursor="c1")
    with pytest.raises(MiroPaginationError, match="page déjà lue"):
        client.list_items(BOARD_ID)


def test_type_and_parent_filters(mock: responses.RequestsMock, client: MiroClient) -> None:
    on(mock, page([1]), type="card", parent_item_id="900")
    assert [i.id for i in client.list_items(BOARD_ID, type="card", parent_item_id="900")] == ["1"]


def test_offset_listing_stops_on_a_short_page(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.get(
        ITEMS,
        json={"data": [wire_item(str(i)) for i in range(50)], "limit": 50, "total": 3},
        match=[matchers.query_param_matcher({"limit": "50", "offset": "0", "tag_id": "7"})],
    )
    mock.get(
        ITEMS,
        json={"data": [wire_item("50")], "limit": 50},
        match=[matchers.query_param_matcher({"limit": "50", "offset": "50", "tag_id": "7"})],
    )
    assert len(client.list_items_by_tag(BOARD_ID, "7")) == 51
