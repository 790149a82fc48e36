"""Every operation of the client: URL, method, payload, headers, parsed result."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from gria_miro import __version__
from gria_miro.errors import GriaError
from gria_miro.miro import MiroClient, MiroValidationError, WireItem
from tests.conftest import SECRET_TOKEN
from tests.miro.conftest import BOARD, BOARD_ID, wire_item

ITEM_TYPES = [
    ("frame", "frames", {"data": {"title": "Pile", "format": "custom", "type": "freeform"}}),
    ("card", "cards", {"data": {"title": "GOV-03", "description": "d"}, "style": {"cardTheme": "#2d9bf0"}}),
    ("app_card", "app_cards", {"data": {"title": "GOV-03", "fields": [{"value": "Coût 2"}]}}),
    ("sticky_note", "sticky_notes", {"data": {"content": "note"}, "style": {"fillColor": "light_yellow"}}),
    ("shape", "shapes", {"data": {"shape": "rectangle", "content": "Étape 1"}}),
    ("text", "texts", {"data": {"content": "Titre"}, "position": {"x": 0, "y": -500}}),
]


def body_of(call: Any) -> Any:
    return json.loads(call.request.body) if call.request.body else None


def test_headers_timeout_and_board_id_encoded_once(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.get(BOARD, json={"id": BOARD_ID, "name": "GR:IA", "viewLink": "https://miro.com/app/board/uXjVOD6LSME="})
    board = client.get_board(BOARD_ID)
    assert (board.id, board.name, board.view_link) == (BOARD_ID, "GR:IA", "https://miro.com/app/board/uXjVOD6LSME=")
    request = mock.calls[0].request
    assert request.url.endswith("/v2/boards/uXjVOD6LSME%3D")
    assert request.headers["Authorization"] == f"Bearer {SECRET_TOKEN}"
    assert request.headers["User-Agent"].startswith(f"gria-miro/{__version__}")
    assert request.req_kwargs["timeout"] == 30.0
    assert client.stats.requests_by_method == {"GET": 1}
    assert client.stats.credits_spent == 50


def test_create_board(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.post("https://api.miro.com/v2/boards", status=201, json={"id": "new=", "name": "Atelier"})
    board = client.create_board("Atelier", "GR:IA")
    assert board.id == "new="
    assert body_of(mock.calls[0]) == {"name": "Atelier", "description": "GR:IA"}
    assert client.stats.write_requests == 1
    assert client.stats.credits_spent == 500


@pytest.mark.parametrize(("item_type", "segment", "body"), ITEM_TYPES)
def test_create_get_update_delete_each_type(
    mock: responses.RequestsMock, client: MiroClient, item_type: str, segment: str, body: dict[str, Any]
) -> None:
    returned = wire_item("3458764", item_type, x=10, y=20)
    mock.post(f"{BOARD}/{segment}", status=201, json=returned)
    mock.get(f"{BOARD}/{segment}/3458764", json=returned)
    mock.patch(f"{BOARD}/{segment}/3458764", json=returned)
    mock.delete(f"{BOARD}/items/3458764", status=204)

    created = client.create_item(BOARD_ID, item_type, body)
    assert (created.id, created.type, created.position and created.position.x) == ("3458764", item_type, 10)
    assert created.model_extra is not None and created.model_extra["someFutureField"] == {"kept": True}
    assert client.get_item(BOARD_ID, "3458764", type=item_type).id == "3458764"
    client.update_item(BOARD_ID, item_type, "3458764", {"position": {"x": 1, "y": 2}})
    client.delete_item(BOARD_ID, "3458764")

    assert [c.request.method for c in mock.calls] == ["POST", "GET", "PATCH", "DELETE"]
    assert body_of(mock.calls[0]) == body
    assert body_of(mock.calls[2]) == {"position": {"x": 1, "y": 2}}
    assert client.stats.credits_spent == 100 + 50 + 100 + 500


def test_unknown_item_type_is_a_programming_error(client: MiroClient) -> None:
    with pytest.raises(ValueError, match="unsupported item type"):
        client.create_item(BOARD_ID, "connector", {})


def test_get_any_item_uses_generic_endpoint(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.get(f"{BOARD}/items/77", json=wire_item("77", "shape"))
    assert client.get_item(BOARD_ID, "77").type == "shape"


@pytest.mark.parametrize(
    ("parent_id", "expected"),
    [
        (None, {"position": {"x": 5.0, "y": 6.0}}),
        ("900", {"position": {"x": 5.0, "y": 6.0}, "parent": {"id": "900"}}),
    ],
)
def test_move_item(
    mock: responses.RequestsMock, client: MiroClient, parent_id: str | None, expected: dict[str, Any]
) -> None:
    mock.patch(f"{BOARD}/items/12", json=wire_item("12", x=5, y=6, parent=parent_id))
    moved = client.move_item(BOARD_ID, "12", x=5.0, y=6.0, parent_id=parent_id)
    assert moved.parent_id == parent_id
    assert body_of(mock.calls[0]) == expected


def test_bulk_create_sends_a_bare_array_and_keeps_order(mock: responses.RequestsMock, client: MiroClient) -> None:
    items = [{"type": "card", "data": {"title": f"C{i}"}} for i in range(3)]
    mock.post(
        f"{BOARD}/items/bulk",
        status=201,
        json={"type": "bulk-list", "data": [wire_item(str(100 + i)) for i in range(3)]},
    )
    created = client.bulk_create(BOARD_ID, items)
    assert [i.id for i in created] == ["100", "101", "102"]
    assert body_of(mock.calls[0]) == items
    assert client.stats.credits_spent == 300


@pytest.mark.parametrize("count", [0, 21])
def test_bulk_create_refuses_bad_sizes(client: MiroClient, count: int) -> None:
    with pytest.raises(ValueError, match="1 to 20"):
        client.bulk_create(BOARD_ID, [{"type": "card"}] * count)
    with pytest.raises(ValueError, match="chunk 1"):
        client.bulk_create_chunks(BOARD_ID, [[{"type": "card"}], [{"type": "card"}] * count], lambda i, r: None)


def test_bulk_chunks_run_in_parallel_and_report_each_in_the_calling_thread(
    mock: responses.RequestsMock, client: MiroClient
) -> None:
    barrier = threading.Barrier(3, timeout=5)

    def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        barrier.wait()  # all three chunks are in flight at once, or this times out
        sent = json.loads(request.body or b"[]")
        if sent[0]["data"]["title"] == "bad":
            error = {
                "status": 400,
                "code": "2.0703",
                "message": "Invalid parameters",
                "type": "error",
                "context": {"fields": [{"field": "1.data.title", "message": "too long"}]},
            }
            return 400, {}, json.dumps(error)
        data = [wire_item(f"{item['data']['title']}-id") for item in sent]
        return 201, {}, json.dumps({"type": "bulk-list", "data": data})

    mock.add_callback(responses.POST, f"{BOARD}/items/bulk", callback=answer)
    chunks = [
        [{"type": "card", "data": {"title": "a"}}],
        [{"type": "card", "data": {"title": "bad"}}, {"type": "card", "data": {"title": "x"}}],
        [{"type": "card", "data": {"title": "c"}}],
    ]
    results: dict[int, list[WireItem] | GriaError] = {}
    threads: set[int] = set()

    def on_result(index: int, result: list[WireItem] | GriaError) -> None:
        threads.add(threading.get_ident())
        results[index] = result

    client.bulk_create_chunks(BOARD_ID, chunks, on_result)
    assert threads == {threading.get_ident()}
    assert sorted(results) == [0, 1, 2]
    ok0, failed, ok2 = results[0], results[1], results[2]
    assert isinstance(ok0, list) and [i.id for i in ok0] == ["a-id"]
    assert isinstance(ok2, list) and [i.id for i in ok2] == ["c-id"]
    assert isinstance(failed, MiroValidationError)
    assert (failed.chunk_index, failed.bulk_index, failed.code) == (1, 1, "2.0703")
    assert "élément n°1 du lot" in failed.one_line()
    assert failed.detail_lines() == ["1.data.title : too long"]


def test_on_result_exception_propagates(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.post(f"{BOARD}/items/bulk", status=201, json={"type": "bulk-list", "data": [wire_item("1")]})

    def explode(index: int, result: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        client.bulk_create_chunks(BOARD_ID, [[{"type": "card"}]], explode)


def test_run_concurrently_keeps_order_and_captures_errors(client: MiroClient) -> None:
    def fail() -> int:
        raise MiroValidationError(status=400)

    results = client.run_concurrently([lambda: 1, fail, lambda: 3])
    assert results[0] == 1 and results[2] == 3
    assert isinstance(results[1], MiroValidationError)


def test_tags(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.post(f"{BOARD}/tags", status=201, json={"id": "7", "title": "prioritaire", "fillColor": "red", "type": "tag"})
    page1 = [{"id": str(i), "title": f"t{i}", "fillColor": "blue"} for i in range(50)]
    page2 = [{"id": "50", "title": "t50"}]
    mock.get(
        f"{BOARD}/tags",
        json={"data": page1, "total": 51, "size": 50, "limit": 50, "offset": 0},
        match=[matchers.query_param_matcher({"limit": "50", "offset": "0"})],
    )
    mock.get(
        f"{BOARD}/tags",
        json={"data": page2, "size": 1, "limit": 50, "offset": 50},
        match=[matchers.query_param_matcher({"limit": "50", "offset": "50"})],
    )
    mock.post(f"{BOARD}/items/12", status=204, match=[matchers.query_param_matcher({"tag_id": "7"})])
    mock.delete(f"{BOARD}/items/12", status=204, match=[matchers.query_param_matcher({"tag_id": "7"})])
    mock.get(f"{BOARD}/items/12/tags", json={"tags": [{"id": "7", "title": "prioritaire", "fillColor": "red"}]})

    tag = client.create_tag(BOARD_ID, "prioritaire", "red")
    assert (tag.id, tag.fill_color) == ("7", "red")
    assert body_of(mock.calls[0]) == {"title": "prioritaire", "fillColor": "red"}
    assert [t.id for t in client.list_tags(BOARD_ID)] == [str(i) for i in range(51)]
    client.attach_tag(BOARD_ID, "12", "7")
    client.detach_tag(BOARD_ID, "12", "7")
    assert [t.title for t in client.item_tags(BOARD_ID, "12")] == ["prioritaire"]
    assert mock.calls[3].request.body is None
    assert client.stats.credits_spent == 50 * 6


def test_members_are_offset_paged(mock: responses.RequestsMock, client: MiroClient) -> None:
    mock.get(
        f"{BOARD}/members",
        json={
            "data": [{"id": "1", "name": "Ana", "role": "owner", "type": "board_member"}],
            "limit": 50,
            "offset": 0,
            "size": 1,
            "total": 1,
        },
    )
    members = client.list_members(BOARD_ID)
    assert [(m.id, m.name, m.role) for m in members] == [("1", "Ana", "owner")]
    assert "offset=0" in mock.calls[0].request.url


# ----------------------------------------------------------------------------- frames by POST /frames


def test_a_lone_frame_chunk_is_created_by_post_frames_concurrently_with_bulk_children(
    mock: responses.RequestsMock, client: MiroClient
) -> None:
    barrier = threading.Barrier(3, timeout=5)

    def frame_answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        barrier.wait()  # both frames and the bulk chunk are in flight at once, or this times out
        sent = json.loads(request.body or b"{}")
        return 201, {}, json.dumps(wire_item(f"{sent['data']['title']}-id", "frame"))

    def bulk_answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        barrier.wait()
        sent = json.loads(request.body or b"[]")
        return 201, {}, json.dumps({"type": "bulk-list", "data": [wire_item(f"{e['data']['title']}-id") for e in sent]})

    mock.add_callback(responses.POST, f"{BOARD}/frames", callback=frame_answer)
    mock.add_callback(responses.POST, f"{BOARD}/items/bulk", callback=bulk_answer)
    frame = {
        "type": "frame",
        "data": {"title": "Étape 1", "format": "custom", "type": "freeform"},
        "style": {"fillColor": "#ffffff"},
        "position": {"x": 0, "y": 0},
        "geometry": {"width": 800, "height": 600},
    }
    other = {**frame, "data": {**frame["data"], "title": "Étape 2"}}
    chunks = [[frame], [other], [{"type": "card", "data": {"title": "c"}}]]
    seen: dict[int, Any] = {}
    client.bulk_create_chunks(BOARD_ID, chunks, lambda i, r: seen.setdefault(i, r))
    assert [item.id for item in seen[0]] == ["Étape 1-id"] and [item.id for item in seen[1]] == ["Étape 2-id"]
    assert [item.id for item in seen[2]] == ["c-id"]
    frame_bodies = [body_of(c) for c in mock.calls if c.request.url.endswith("/frames")]
    # the body is the bulk element without its "type" (FrameCreateRequest has none; validated at teardown)
    assert sorted(b["data"]["title"] for b in frame_bodies) == ["Étape 1", "Étape 2"]
    assert all("type" not in b for b in frame_bodies)
    bulk_bodies = [body_of(c) for c in mock.calls if c.request.url.endswith("/items/bulk")]
    assert bulk_bodies == [[{"type": "card", "data": {"title": "c"}}]]  # no frame ever goes in bulk


def test_a_frame_never_shares_a_chunk(client: MiroClient) -> None:
    chunk = [{"type": "frame", "data": {"title": "F"}}, {"type": "card", "data": {"title": "c"}}]
    with pytest.raises(ValueError, match="chunk 0 mixes a frame"):
        client.bulk_create_chunks(BOARD_ID, [chunk], lambda i, r: None)
