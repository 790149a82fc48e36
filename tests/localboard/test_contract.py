"""Contract suite: the same scenarios against the in-process board and the loopback HTTP server.

Each scenario asserts Miro's behaviour itself and returns a transcript (status + JSON of every call);
``test_both_transports_answer_alike`` runs it on both transports and compares the transcripts with
ids, timestamps and base URLs normalised. Every valid body sent is checked against the official spec
(``tests/contract/spec_check.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from gria_miro.localboard.adapter import local_session, open_local_board
from gria_miro.localboard.server import start_server
from tests.localboard.conftest import TOKEN, Api

Transcript = list[tuple[int, Any]]


def _frame(api: Api, t: Transcript, x: float = 0, y: float = 0, w: float = 800, h: float = 600) -> dict[str, Any]:
    body = {"data": {"title": "Zone"}, "position": {"x": x, "y": y}, "geometry": {"width": w, "height": h}}
    status, frame, _ = api.call("POST", "/frames", body)
    t.append((status, frame))
    assert status == 201
    return dict(frame)


def scenario_create_and_get(api: Api) -> Transcript:
    t: Transcript = []
    status, card, _ = api.call("POST", "/cards", {"data": {"title": "GOV-03", "description": "Charte"}})
    t.append((status, card))
    assert status == 201 and card["type"] == "card"
    assert card["geometry"]["width"] == 320 and card["geometry"]["height"] == 94
    assert card["position"] == {"x": 0, "y": 0, "origin": "center", "relativeTo": "canvas_center"}
    assert card["createdAt"].endswith("Z") and card["createdBy"]["type"] == "user"
    for path in (f"/items/{card['id']}", f"/cards/{card['id']}"):
        status, got, _ = api.call("GET", path)
        t.append((status, got))
        assert status == 200 and got["id"] == card["id"]
    status, board, _ = api.call("GET", "")
    t.append((status, board))
    assert status == 200 and board["id"] == api.board_id
    return t


def scenario_pagination_past_50(api: Api) -> Transcript:
    t: Transcript = []
    created: list[str] = []
    for start in range(0, 60, 20):
        body = [{"type": "sticky_note", "data": {"content": f"n{i}"}} for i in range(start, start + 20)]
        status, out, _ = api.call("POST", "/items/bulk", body)
        assert status == 201 and out["type"] == "bulk-list"
        created += [item["id"] for item in out["data"]]
    assert created == sorted(created, key=int)  # ids monotonic in creation order
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": "50", **({"cursor": cursor} if cursor else {})}
        status, page, _ = api.call("GET", "/items", params=params)
        t.append((status, {k: v for k, v in page.items() if k != "data"}))
        assert status == 200 and page["type"] == "cursor-list" and page["total"] == 60
        seen += [item["id"] for item in page["data"]]
        pages += 1
        cursor = page.get("cursor")
        if not cursor:
            break
    assert pages == 2 and seen == created
    status, page, _ = api.call("GET", "/items")
    assert status == 200 and page["limit"] == 10 and page["size"] == 10
    for bad in ("9", "51", "ten"):
        status, error, _ = api.call("GET", "/items", params={"limit": bad}, valid=False)
        t.append((status, error))
        assert status == 400 and error["code"] == "2.0703"
    return t


def scenario_bulk_is_transactional(api: Api) -> Transcript:
    t: Transcript = []
    good = {"type": "card", "data": {"title": "ok"}}
    bad = {"type": "sticky_note", "style": {"fillColor": "#ff0000"}}
    status, error, _ = api.call("POST", "/items/bulk", [good, good, bad], valid=False)
    t.append((status, error))
    assert status == 400 and error["context"]["fields"][0]["field"] == "2.style.fillColor"
    status, error, _ = api.call("POST", "/items/bulk", [good] * 21, valid=False)
    t.append((status, error))
    assert status == 400 and "At most 20 items" in error["message"]
    status, error, _ = api.call("POST", "/items/bulk", {"data": [good]}, valid=False)
    t.append((status, error))
    assert status == 400
    status, page, _ = api.call("GET", "/items")
    assert page["total"] == 0  # nothing was created
    return t


def scenario_children_and_reparenting(api: Api) -> Transcript:
    t: Transcript = []
    zone_a = _frame(api, t, x=0, y=0)
    zone_b = _frame(api, t, x=2000, y=0)
    body = {"data": {"title": "C"}, "parent": {"id": zone_a["id"]}, "position": {"x": 400, "y": 300}}
    status, card, _ = api.call("POST", "/cards", body)
    t.append((status, card))
    assert status == 201 and card["parent"]["id"] == zone_a["id"]
    assert card["position"]["relativeTo"] == "parent_top_left" and card["position"]["x"] == 400
    outside = {"data": {"title": "C"}, "parent": {"id": zone_a["id"]}, "position": {"x": 900, "y": 10}}
    status, error, _ = api.call("POST", "/cards", outside)
    t.append((status, error))
    assert status == 400 and error["message"] == "new position is outside of parent boundaries"
    move = {"parent": {"id": zone_b["id"]}, "position": {"x": 100, "y": 50}}
    status, moved, _ = api.call("PATCH", f"/items/{card['id']}", move)
    t.append((status, moved))
    assert status == 200 and moved["parent"]["id"] == zone_b["id"] and moved["position"]["x"] == 100
    status, page, _ = api.call("GET", "/items", params={"parent_item_id": zone_b["id"]})
    assert [i["id"] for i in page["data"]] == [card["id"]]
    status, page, _ = api.call("GET", "/items", params={"parent_item_id": zone_a["id"]})
    assert page["total"] == 0
    status, error, _ = api.call("PATCH", f"/items/{zone_a['id']}", {"parent": {"id": zone_b["id"]}})
    t.append((status, error))
    assert status == 400  # frames cannot have a parent
    return t


def scenario_strict_bodies(api: Api) -> Transcript:
    t: Transcript = []
    cases: list[tuple[str, Any]] = [
        ("/cards", {"data": {"title": "x"}, "metadata": {"key": "GOV-03"}}),
        ("/cards", {"data": {"title": "x", "tagIds": []}}),
        ("/cards", {"position": {"x": 0, "y": 0, "origin": "center"}}),
        ("/sticky_notes", {"style": {"fillColor": "#fff9b1"}}),
        ("/sticky_notes", {"geometry": {"width": 200, "height": 200}}),
        ("/shapes", {"data": {"shape": "blob"}}),
        ("/shapes", {"style": {"fontSize": 14}}),
        ("/texts", {"style": {"fontSize": "14"}}),
        ("/texts", {"data": {"content": "x"}, "geometry": {"width": 10}, "style": {"fontSize": "14"}}),
        ("/frames", {"data": {"title": "z"}, "geometry": {"width": 50, "height": 50}}),
        ("/tags", {"title": "x", "fillColor": "pink"}),
    ]
    for path, body in cases:
        status, error, _ = api.call("POST", path, body, valid=False)
        t.append((status, error))
        assert status == 400, (path, body)
        assert error["type"] == "error" and error["code"] == "2.0703" and error["context"]["fields"]
    status, error, _ = api.call("POST", "/cards", {"data": {"title": "x"}, "metadata": {}}, valid=False)
    assert error["message"] == "Field [metadata] is not supported"
    status, page, _ = api.call("GET", "/items")
    assert page["total"] == 0
    return t


def scenario_tags(api: Api) -> Transcript:
    t: Transcript = []
    status, card, _ = api.call("POST", "/cards", {"data": {"title": "C"}})
    status, frame, _ = api.call("POST", "/frames", {"data": {"title": "F"}})
    tags = []
    for i in range(9):
        status, tag, _ = api.call("POST", "/tags", {"title": f"t{i}", "fillColor": "cyan"})
        t.append((status, tag))
        assert status == 201 and tag["type"] == "tag"
        tags.append(tag)
    status, error, _ = api.call("POST", "/tags", {"title": "t0"})
    t.append((status, error))
    assert status == 400  # titles are unique
    for tag in tags[:8]:
        status, _, _ = api.call("POST", f"/items/{card['id']}", params={"tag_id": tag["id"]})
        assert status == 204
    status, error, _ = api.call("POST", f"/items/{card['id']}", params={"tag_id": tags[8]["id"]})
    t.append((status, error))
    assert status == 400  # at most 8 tags per item
    status, error, _ = api.call("POST", f"/items/{frame['id']}", params={"tag_id": tags[0]["id"]})
    t.append((status, error))
    assert status == 400  # only cards and sticky notes carry tags
    status, listed, _ = api.call("GET", f"/items/{card['id']}/tags")
    t.append((status, listed))
    assert [x["id"] for x in listed["tags"]] == [x["id"] for x in tags[:8]]
    status, _, _ = api.call("DELETE", f"/items/{card['id']}", params={"tag_id": tags[0]["id"]})
    assert status == 204
    status, _, _ = api.call("DELETE", f"/tags/{tags[1]['id']}")
    assert status == 204
    status, listed, _ = api.call("GET", f"/items/{card['id']}/tags")
    assert len(listed["tags"]) == 6
    status, page, _ = api.call("GET", "/tags", params={"limit": "5", "offset": "5"})
    t.append((status, page))
    assert status == 200 and page["total"] == 8 and page["size"] == 3 and page["offset"] == 5
    status, page, _ = api.call("GET", "/items", params={"tag_id": tags[2]["id"]})
    assert [i["id"] for i in page["data"]] == [card["id"]]
    return t


def scenario_errors(api: Api) -> Transcript:
    t: Transcript = []
    for path in ("/items/3458764600999999999", "/cards/3458764600999999999"):
        status, error, _ = api.call("GET", path)
        t.append((status, error))
        assert status == 404 and error["code"] == "3.0201" and error["type"] == "error"
    status, error, _ = api.call("GET", "/v2/boards/uXjVnotthere=/items", valid=False)
    t.append((status, error))
    assert status == 404
    status, error, _ = api.call("GET", "/widgets", valid=False)
    t.append((status, error))
    assert status == 404 and error["type"] == "error"
    status, error, _ = api.call("PUT", "/cards", valid=False)
    t.append((status, error))
    assert status == 405
    status, error, _ = api.call("POST", "/cards", raw=b"{not json")
    t.append((status, error))
    assert status == 400 and error["type"] == "error"
    status, error, _ = api.call("POST", "/cards", raw=b"[" * 10 + b"]" * 10 + b" " * 1_100_000)
    t.append((status, error))
    assert status == 413
    api.session.headers["Authorization"] = "Bearer wrong"
    status, error, _ = api.call("GET", "/items")
    t.append((status, error))
    assert status == 401 and error["type"] == "error"
    del api.session.headers["Authorization"]
    status, error, _ = api.call("GET", "/items")
    t.append((status, error))
    assert status == 401
    return t


def scenario_members_and_rate_headers(api: Api) -> Transcript:
    t: Transcript = []
    status, page, response = api.call("GET", "/members")
    t.append((status, page))
    assert status == 200 and page["total"] == 1 and page["data"][0]["role"] == "owner"
    limit = int(response.headers["X-RateLimit-Limit"])
    remaining = int(response.headers["X-RateLimit-Remaining"])
    assert limit == 100_000 and remaining == limit - 50
    status, _, response = api.call("POST", "/items/bulk", [{"type": "card"}, {"type": "card"}, {"type": "card"}])
    assert int(response.headers["X-RateLimit-Remaining"]) == remaining - 300  # bulk: 100 credits per item
    assert int(response.headers["X-RateLimit-Reset"]) > 0
    return t


SCENARIOS: list[Callable[[Api], Transcript]] = [
    scenario_create_and_get,
    scenario_pagination_past_50,
    scenario_bulk_is_transactional,
    scenario_children_and_reparenting,
    scenario_strict_bodies,
    scenario_tags,
    scenario_errors,
    scenario_members_and_rate_headers,
]


_ID = re.compile(r"\b3458764\d{12}\b")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
_CURSOR = re.compile(r"cursor=[A-Za-z0-9_-]+")


def _normalise(value: Any, base_url: str, board_id: str) -> Any:
    if isinstance(value, dict):
        return {k: _normalise(v, base_url, board_id) for k, v in value.items() if k != "cursor"}
    if isinstance(value, list | tuple):
        return [_normalise(v, base_url, board_id) for v in value]
    if isinstance(value, str):
        value = (
            value.replace(base_url, "<base>")
            .replace(board_id, "<board>")
            .replace(board_id.replace("=", "%3D"), "<board>")
        )
        return _CURSOR.sub("cursor=<c>", _TIME.sub("<time>", _ID.sub("<id>", value)))
    return value


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__.removeprefix("scenario_"))
def test_both_transports_answer_alike(tmp_path: Path, scenario: Callable[[Api], Transcript]) -> None:
    target = open_local_board(tmp_path / "a.json", token=TOKEN)
    local = Api(local_session(target, TOKEN), target.base_url, target.board_id)
    in_process = [_normalise(e, local.base_url, local.board_id) for e in scenario(local)]
    with start_server(tmp_path / "b.json", token=TOKEN) as server:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {TOKEN}"
        remote = Api(session, server.url, server.board_id)
        over_http = [_normalise(e, remote.base_url, remote.board_id) for e in scenario(remote)]
    assert in_process == over_http


def test_token_info_through_both_transports(api: Api) -> None:
    response = api.session.get(f"{api.base_url}/v1/oauth-token")
    assert response.status_code == 200
    info = response.json()
    assert info["scopes"] == ["boards:read", "boards:write"] and info["user"]["type"] == "user"
    assert TOKEN not in response.text


def test_a_frame_in_bulk_is_refused_the_spec_has_no_frame_data_there(api: Api) -> None:
    good = {"type": "card", "data": {"title": "A"}}
    frame = {"type": "frame", "data": {"title": "Zone"}, "geometry": {"width": 400, "height": 300}}
    status, error, _ = api.call("POST", "/items/bulk", [good, frame], valid=False)
    assert status == 400 and error["code"] == "2.0703"
    assert error["context"]["fields"][0]["field"] == "1.type" and "POST /v2/boards/{id}/frames" in error["message"]
    status, page, _ = api.call("GET", "/items")
    assert status == 200 and page["total"] == 0  # transactional: the card was not created either
    status, made, _ = api.call("POST", "/frames", {"data": {"title": "Zone"}})
    assert status == 201 and made["type"] == "frame"
