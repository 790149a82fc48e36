"""The route table (one row per test) and the store transaction (undo, change record)."""

from __future__ import annotations

import copy

import pytest

from gria_miro.localboard import boards, items, tags
from gria_miro.localboard.apierror import ApiError
from gria_miro.localboard.records import StoredItem, board_record, new_state
from gria_miro.localboard.routes import ROUTES, resolve
from gria_miro.localboard.storage import StateTransaction

B = "uXjVABCDEFG="


@pytest.mark.parametrize(
    ("method", "path", "query", "handler", "level", "args"),
    [
        ("GET", "v1/oauth-token", {}, boards.token_info, 1, ()),
        ("POST", "v2/boards", {}, boards.create_board, 3, ()),
        ("GET", f"v2/boards/{B}", {}, boards.get_board, 1, ()),
        ("GET", f"v2/boards/{B}/items", {}, items.list_items, 2, ()),
        ("GET", f"v2/boards/{B}/items", {"tag_id": "9"}, items.list_items, 1, ()),
        ("POST", f"v2/boards/{B}/items/bulk", {}, items.bulk_create, 2, ()),
        ("GET", f"v2/boards/{B}/items/42", {}, items.get_item, 1, ("42",)),
        ("PATCH", f"v2/boards/{B}/items/42", {}, items.patch_item, 2, ("42",)),
        ("DELETE", f"v2/boards/{B}/items/42", {}, items.delete_item, 3, ("42",)),
        ("POST", f"v2/boards/{B}/items/42", {"tag_id": "9"}, tags.attach_tag, 1, ("42",)),
        ("DELETE", f"v2/boards/{B}/items/42", {"tag_id": "9"}, tags.detach_tag, 1, ("42",)),
        ("GET", f"v2/boards/{B}/items/42/tags", {}, tags.item_tags, 1, ("42",)),
        ("POST", f"v2/boards/{B}/cards", {}, items.create_typed, 2, ("cards",)),
        ("GET", f"v2/boards/{B}/sticky_notes/42", {}, items.get_typed, 1, ("sticky_notes", "42")),
        ("PATCH", f"v2/boards/{B}/frames/42", {}, items.patch_typed, 2, ("frames", "42")),
        ("DELETE", f"v2/boards/{B}/texts/42", {}, items.delete_typed, 3, ("texts", "42")),
        ("POST", f"v2/boards/{B}/tags", {}, tags.create_tag, 1, ()),
        ("GET", f"v2/boards/{B}/tags", {}, tags.list_tags, 1, ()),
        ("GET", f"v2/boards/{B}/tags/9", {}, tags.get_tag, 1, ("9",)),
        ("PATCH", f"v2/boards/{B}/tags/9", {}, tags.update_tag, 1, ("9",)),
        ("DELETE", f"v2/boards/{B}/tags/9", {}, tags.delete_tag, 1, ("9",)),
        ("GET", f"v2/boards/{B}/members", {}, boards.list_members, 1, ()),
        ("GET", f"v2/boards/{B}/members/7", {}, boards.get_member, 1, ("7",)),
    ],
)
def test_each_route_finds_its_handler_level_and_arguments(
    method: str, path: str, query: dict[str, str], handler: object, level: int, args: tuple[str, ...]
) -> None:
    match = resolve(method, path.split("/"), query)
    assert match.route.handler is handler
    assert match.route.level == level
    assert match.args == args
    assert match.board_id == (B if "/boards/" in f"/{path}/" and path != "v2/boards" else None)


@pytest.mark.parametrize(
    ("method", "path", "query", "status", "allowed"),
    [
        ("GET", f"v2/boards/{B}/items/bulk", {}, 405, "POST"),  # the literal route wins over the item "bulk"
        ("POST", f"v2/boards/{B}/items/42", {}, 405, "DELETE, GET, PATCH"),  # POST only with ?tag_id
        ("PUT", f"v2/boards/{B}", {}, 405, "GET"),
        ("POST", "v1/oauth-token", {}, 405, "GET"),
        ("GET", f"v2/boards/{B}/widgets", {}, 404, None),  # not an item type
        ("GET", f"v2/boards/{B}/cards/", {}, 404, None),  # empty id
        ("GET", "v3/boards", {}, 404, None),
        ("GET", f"v2/boards/{B}/items/42/tags/9", {}, 404, None),
    ],
)
def test_unknown_paths_are_404_and_known_paths_with_another_method_405(
    method: str, path: str, query: dict[str, str], status: int, allowed: str | None
) -> None:
    with pytest.raises(ApiError) as caught:
        resolve(method, path.split("/"), query)
    assert caught.value.status == status
    if allowed is not None:
        assert caught.value.code == "methodNotAllowed" and f"(allowed: {allowed})" in caught.value.message
    else:
        assert caught.value.code == "notFound"


def test_every_route_is_reachable() -> None:
    for route in ROUTES:
        path = [part if not part.startswith("{") else ("cards" if part == "{kind}" else "1") for part in route.pattern]
        query = {route.with_query: "1"} if route.with_query else {}
        assert resolve(route.method, path, query).route is route


def _item(item_id: str, parent: str | None = None) -> StoredItem:
    return {
        "id": item_id, "type": "card", "data": {"title": item_id}, "style": {}, "geometry": {"width": 320.0},
        "parent": parent, "position": {"x": 1.0, "y": 2.0}, "createdAt": "t", "modifiedAt": "t",
    }  # fmt: skip


def test_a_transaction_rolled_back_leaves_the_state_as_it_was() -> None:
    state = new_state()
    setup = StateTransaction(state)
    setup.add_board(board_record(B, "Plateau", "", "t"))
    setup.put_item(B, _item("1"))
    setup.put_tag(B, {"id": "5", "title": "Urgent", "fillColor": "red"})
    setup.set_item_tags(B, "1", ["5"])
    before = copy.deepcopy(state)

    tx = StateTransaction(state)
    new_id = tx.new_id()
    tx.put_item(B, _item(new_id))
    tx.put_item(B, {**_item("1"), "data": {"title": "changed"}})
    tx.add_member(B, {"id": tx.new_id(), "name": "Léa", "role": "editor"})
    tx.delete_tag(B, "5")
    tx.delete_item(B, "1")
    assert state != before
    tx.rollback()
    assert state == before


def test_a_transaction_records_what_changed_for_per_row_stores() -> None:
    state = new_state()
    tx = StateTransaction(state)
    tx.add_board(board_record(B, "Plateau", "", "t"))
    assert tx.changes.boards == {B}
    tx = StateTransaction(state)
    assert not tx.changes
    tx.put_item(B, _item("1"))
    tx.put_item(B, _item("2"))
    tx.delete_item(B, "2")
    assert tx.changes.items == {(B, "1")} and tx.changes.deleted_items == {(B, "2")}
    assert not tx.changes.boards  # items only: the board's own row is untouched
