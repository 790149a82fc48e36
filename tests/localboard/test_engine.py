"""Unit tests of the board engine (in memory, no transport): geometry, frames, credits, ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from gria_miro.localboard.engine import BoardEngine

JSON = dict[str, Any]


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def call(engine: BoardEngine, board: str, method: str, path: str, body: Any = None, **query: str) -> tuple[int, Any]:
    raw = json.dumps(body).encode() if body is not None else b""
    headers = {"Authorization": "Bearer t", "Content-Type": "application/json"}
    status, _, out = engine.handle(method, f"/v2/boards/{board}{path}", query, headers, raw)
    return status, json.loads(out) if out else None


@pytest.fixture
def board() -> tuple[BoardEngine, str]:
    engine = BoardEngine()
    return engine, engine.create_board()


def test_board_ids_look_like_miro_and_percent_encoded_paths_work(board: tuple[BoardEngine, str]) -> None:
    engine, board_id = board
    assert len(board_id) == 12 and board_id.startswith("uXjV") and board_id.endswith("=")
    assert call(engine, board_id.replace("=", "%3D"), "GET", "")[0] == 200


def test_geometry_rules_per_type(board: tuple[BoardEngine, str]) -> None:
    engine, b = board
    _, card = call(engine, b, "POST", "/cards", {"geometry": {"width": 640, "height": 10}})
    assert card["geometry"]["height"] == round(640 * 94 / 320)
    _, sticky = call(engine, b, "POST", "/sticky_notes", {"geometry": {"height": 228}})
    assert sticky["geometry"] == {"width": 199.0, "height": 228.0}
    status, _ = call(engine, b, "POST", "/texts", {"data": {"content": "x"}, "geometry": {"width": 23}})
    assert status == 400  # < 1.7 × 14
    assert call(engine, b, "POST", "/texts", {"data": {"content": "x"}, "geometry": {"width": 24}})[0] == 201
    assert call(engine, b, "POST", "/frames", {"data": {}, "geometry": {"width": 99, "height": 500}})[0] == 400


def test_deleting_a_frame_detaches_children_keeping_their_absolute_position(board: tuple[BoardEngine, str]) -> None:
    engine, b = board
    _, frame = call(engine, b, "POST", "/frames", {"data": {}, "position": {"x": 1000, "y": 500},
                                                   "geometry": {"width": 400, "height": 200}})  # fmt: skip
    _, card = call(engine, b, "POST", "/cards", {"parent": {"id": frame["id"]}, "position": {"x": 50, "y": 20}})
    assert call(engine, b, "DELETE", f"/frames/{frame['id']}")[0] == 204
    _, after = call(engine, b, "GET", f"/items/{card['id']}")
    assert "parent" not in after
    assert (after["position"]["x"], after["position"]["y"]) == (1000 - 200 + 50, 500 - 100 + 20)
    assert after["position"]["relativeTo"] == "canvas_center"


def test_moving_a_frame_moves_children_and_shrinking_it_around_a_child_is_refused(
    board: tuple[BoardEngine, str],
) -> None:
    engine, b = board
    _, frame = call(engine, b, "POST", "/frames", {"data": {}, "geometry": {"width": 400, "height": 400}})
    _, card = call(engine, b, "POST", "/cards", {"parent": {"id": frame["id"]}, "position": {"x": 350, "y": 350}})
    assert call(engine, b, "PATCH", f"/frames/{frame['id']}", {"position": {"x": 900, "y": 0}})[0] == 200
    _, after = call(engine, b, "GET", f"/items/{card['id']}")
    assert after["position"]["x"] == 350 and after["parent"]["id"] == frame["id"]
    status, error = call(engine, b, "PATCH", f"/frames/{frame['id']}", {"geometry": {"width": 200, "height": 200}})
    assert status == 400 and error["code"] == "2.0703"


def test_reparenting_without_position_keeps_the_canvas_position(board: tuple[BoardEngine, str]) -> None:
    engine, b = board
    _, frame = call(engine, b, "POST", "/frames", {"data": {}, "position": {"x": 100, "y": 100},
                                                   "geometry": {"width": 400, "height": 400}})  # fmt: skip
    _, card = call(engine, b, "POST", "/cards", {"position": {"x": 150, "y": 50}})
    status, moved = call(engine, b, "PATCH", f"/items/{card['id']}", {"parent": {"id": frame["id"]}})
    assert status == 200 and (moved["position"]["x"], moved["position"]["y"]) == (250, 150)


def test_credit_budget_gives_429_then_recovers_after_a_minute() -> None:
    clock = Clock()
    engine = BoardEngine(credits_per_minute=250, clock=clock)
    b = engine.create_board()
    created = [call(engine, b, "POST", "/cards", {}) for _ in range(3)]
    assert [status for status, _ in created] == [201, 201, 429]  # level 2: 100 credits each
    card_id = created[0][1]["id"]
    auth = {"Authorization": "Bearer t"}
    status, headers, _ = engine.handle("GET", f"/v2/boards/{b}/items/{card_id}", {}, auth, b"")
    assert status == 200 and headers["X-RateLimit-Remaining"] == "0"  # 2 x 100 + 50 (level 1)
    assert headers["X-RateLimit-Reset"] == str(int(clock.now) + 60)
    error = call(engine, b, "GET", f"/items/{card_id}")[1]
    assert error == {"status": 429, "code": "tooManyRequests", "message": "Request rate limit exceed",
                     "type": "error", "context": None}  # fmt: skip
    clock.now += 61
    assert call(engine, b, "POST", "/cards", {})[0] == 201


def test_engine_repr_never_shows_the_token() -> None:
    engine = BoardEngine(token="eyJmiro-test-SECRET-token-0123456789")
    assert "SECRET" not in repr(engine)


def test_members_added_at_engine_level_can_be_assignees(board: tuple[BoardEngine, str]) -> None:
    engine, b = board
    member = engine.add_member(b, "Camille")
    _, card = call(engine, b, "POST", "/cards", {"data": {"assigneeId": member, "dueDate": "2026-10-12T22:00:00Z"}})
    assert card["data"]["assigneeId"] == member
    _, page = call(engine, b, "GET", "/members")
    assert [m["name"] for m in page["data"]][-1] == "Camille"
    assert call(engine, b, "POST", "/cards", {"data": {"dueDate": "tomorrow"}})[0] == 400


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/items/{card}", {"parent": None}, "parent"),  # GenericItemUpdate.parent: Parent, an object, not nullable
        ("/cards/{card}", {"parent": None}, "parent"),  # CardUpdateRequest.parent: the same schema
        ("/items/{card}", {"parent": {"id": None}, "position": {"x": 1, "y": 1}}, "parent.id"),  # id: string
        ("/items/{card}", {"parent": {}}, "parent.id"),
        ("/frames/{frame}", {"parent": None}, "parent"),  # FrameUpdateRequest has no parent at all
        ("/items/{frame}", {"parent": None}, "parent"),
    ],
)
def test_a_null_parent_in_a_patch_is_a_400_and_changes_nothing(
    board: tuple[BoardEngine, str], path: str, body: JSON, field: str
) -> None:
    """The spec (OpenAPI 3.0.1) declares ``parent`` a non-nullable object: Miro's answer is a 400, never a 500."""
    engine, b = board
    _, frame = call(engine, b, "POST", "/frames", {"data": {}, "geometry": {"width": 400, "height": 400}})
    _, card = call(engine, b, "POST", "/cards", {"parent": {"id": frame["id"]}, "position": {"x": 50, "y": 60}})
    status, error = call(engine, b, "PATCH", path.format(card=card["id"], frame=frame["id"]), body)
    assert status == 400 and error["code"] == "2.0703" and error["type"] == "error"
    assert [f["field"] for f in error["context"]["fields"]] == [field]
    _, after = call(engine, b, "GET", f"/items/{card['id']}")
    assert after["parent"]["id"] == frame["id"] and (after["position"]["x"], after["position"]["y"]) == (50, 60)


def test_a_null_parent_in_a_create_is_a_400_too(board: tuple[BoardEngine, str]) -> None:
    engine, b = board
    assert call(engine, b, "POST", "/cards", {"parent": None})[0] == 400
    status, error = call(engine, b, "POST", "/items/bulk", [{"type": "card"}, {"type": "card", "parent": None}])
    assert status == 400 and [f["field"] for f in error["context"]["fields"]] == ["1.parent"]
    assert call(engine, b, "GET", "/items")[1]["data"] == []  # transactional: nothing created


def test_reset_is_when_the_whole_limit_is_back_even_with_spread_charges() -> None:
    clock = Clock()
    engine = BoardEngine(credits_per_minute=1000, clock=clock)
    b = engine.create_board()
    start = clock.now
    auth = {"Authorization": "Bearer t", "Content-Type": "application/json"}

    def create() -> dict[str, str]:
        status, headers, _ = engine.handle("POST", f"/v2/boards/{b}/cards", {}, auth, b"{}")
        assert status == 201
        return headers

    for _ in range(2):
        create()  # 200 credits at t = 0
    clock.now = start + 30
    for _ in range(6):
        headers = create()  # 600 more at t = 30: 200 left
    assert headers["X-RateLimit-Remaining"] == "200"
    reset = int(headers["X-RateLimit-Reset"])
    assert reset == start + 90  # the newest charge leaves the window at 30 + 60
    bulk = json.dumps([{"type": "card"}] * 5).encode()  # 500 credits
    clock.now = start + 60.5  # the charges of t = 0 are gone, 400 are free: more than Remaining said...
    status, early, _ = engine.handle("POST", f"/v2/boards/{b}/items/bulk", {}, auth, bulk)
    assert status == 429 and early["X-RateLimit-Remaining"] == "400" and int(early["X-RateLimit-Reset"]) == reset
    clock.now = reset  # ...and at Reset the whole limit is back, as Miro's "credits will be reset" says
    status, headers, _ = engine.handle("GET", f"/v2/boards/{b}", {}, auth, b"")
    assert headers["X-RateLimit-Remaining"] == "950" and int(headers["X-RateLimit-Reset"]) == reset + 60
    assert engine.handle("POST", f"/v2/boards/{b}/items/bulk", {}, auth, bulk)[0] == 201


# --- GET /v1/oauth-token and scopes -----------------------------------------------------------------

SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "miro-openapi" / "spec.json"


def _token_info_schema() -> JSON:
    if not SPEC.exists():
        pytest.skip(f"the official spec is not at {SPEC}")
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    schema: JSON = spec["paths"]["/v1/oauth-token"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return schema


def _token_info(engine: BoardEngine, authorization: str | None) -> tuple[int, Any]:
    headers = {"Authorization": authorization} if authorization is not None else {}
    status, _, out = engine.handle("GET", "/v1/oauth-token", {}, headers, b"")
    return status, json.loads(out) if out else None


def test_token_info_has_the_spec_shape_and_the_token_scopes() -> None:
    engine = BoardEngine(token="main-token-123")
    engine.add_token("reader-token-456", scopes=["boards:read"])
    status, info = _token_info(engine, "Bearer main-token-123")
    assert status == 200
    Draft7Validator(_token_info_schema()).validate(info)
    assert info["scopes"] == ["boards:read", "boards:write"]
    assert info["team"]["type"] == "team" and info["team"]["name"] and info["user"]["type"] == "user"
    assert "main-token-123" not in json.dumps(info)
    status, info = _token_info(engine, "Bearer reader-token-456")
    assert status == 200 and info["scopes"] == ["boards:read"]


def test_token_info_refuses_a_missing_or_unknown_token() -> None:
    engine = BoardEngine(token="main-token-123")
    status, error = _token_info(engine, None)
    assert status == 401 and error["type"] == "error"
    status, error = _token_info(engine, "Bearer not-the-token")
    assert status == 400 and error["message"] == "Invalid token provided"  # the spec's one error for it
    status, _, _ = engine.handle("POST", "/v1/oauth-token", {}, {"Authorization": "Bearer main-token-123"}, b"")
    assert status == 405


def test_a_read_only_token_reads_but_gets_403_on_every_write() -> None:
    engine = BoardEngine(token="main-token-123")
    engine.add_token("reader-token-456", scopes=["boards:read"])
    board_id = engine.create_board()

    def as_reader(method: str, path: str, body: Any = None) -> int:
        raw = json.dumps(body).encode() if body is not None else b""
        headers = {"Authorization": "Bearer reader-token-456", "Content-Type": "application/json"}
        return engine.handle(method, f"/v2/boards/{board_id}{path}", {}, headers, raw)[0]

    assert as_reader("GET", "") == 200 and as_reader("GET", "/items") == 200
    assert as_reader("POST", "/sticky_notes", {"data": {"content": "x"}}) == 403
    assert as_reader("POST", "/items/bulk", [{"type": "sticky_note", "data": {}}]) == 403
    main = {"Authorization": "Bearer main-token-123", "Content-Type": "application/json"}
    status, _, out = engine.handle("POST", f"/v2/boards/{board_id}/sticky_notes", {}, main, b'{"data":{}}')
    assert status == 201
    item_id = json.loads(out)["id"]
    assert as_reader("PATCH", f"/items/{item_id}", {"position": {"x": 5}}) == 403
    assert as_reader("DELETE", f"/items/{item_id}") == 403
    assert engine.handle("GET", f"/v2/boards/{board_id}/items", {}, main, b"")[0] == 200


def test_a_token_without_read_scope_cannot_read() -> None:
    engine = BoardEngine(token="main-token-123")
    engine.add_token("write-only", scopes=["boards:write"])
    board_id = engine.create_board()
    status, _, _ = engine.handle("GET", f"/v2/boards/{board_id}", {}, {"Authorization": "Bearer write-only"}, b"")
    assert status == 403
