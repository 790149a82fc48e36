"""Drive a served local board with Miro's official Python client (``miro_api``), in its own venv.

Run as ``python drive.py URL TOKEN BOARD_ID`` by ``tests/localboard/test_miro_api_client.py``; prints one
JSON line per step (``{"step": ..., "ok": true, ...}``) and exits 0 when every step matched what Miro's
client expects: responses that deserialize into its models, paging that ends, errors it raises as such.
This file imports nothing from gria_miro: it sees the board only through HTTP, as the client would.
"""

from __future__ import annotations

import json
import sys

from miro_api import MiroApi
from miro_api.exceptions import ApiException, NotFoundException, UnauthorizedException
from miro_api.models.app_card_create_request import AppCardCreateRequest
from miro_api.models.board_changes import BoardChanges
from miro_api.models.card_create_request import CardCreateRequest
from miro_api.models.frame_create_request import FrameCreateRequest
from miro_api.models.generic_item_update import GenericItemUpdate
from miro_api.models.item_create import ItemCreate
from miro_api.models.sticky_note_update_request import StickyNoteUpdateRequest
from miro_api.models.tag_create_request import TagCreateRequest

URL, TOKEN, BOARD = sys.argv[1], sys.argv[2], sys.argv[3]


def step(name: str, **facts: object) -> None:
    print(json.dumps({"step": name, "ok": True, **facts}, default=str), flush=True)


def main() -> None:
    api = MiroApi(TOKEN)
    api.api_client.configuration.host = URL

    info = api.token_info()
    assert "boards:write" in (info.scopes or []), info
    step("token_info", team=info.team.name, scopes=info.scopes)

    created = api.create_board(BoardChanges.from_dict({"name": "Atelier contrat", "description": "miro_api"}))
    boards = list(api.get_all_boards())
    assert {b.id for b in boards} >= {BOARD, created.id}, boards
    page = api.get_boards(limit="1", offset="1")
    assert page.size == 1 and page.total == len(boards), page
    step("boards", listed=len(boards), created=created.id)
    board = api.get_specific_board(BOARD)
    assert board.id == BOARD and board.created_at is not None
    step("get_board", created_at=board.created_at)

    frame = api.create_frame_item(
        BOARD,
        FrameCreateRequest.from_dict(
            {"data": {"title": "Étape 1", "format": "custom", "type": "freeform"},
             "position": {"x": 0, "y": 0}, "geometry": {"width": 2000, "height": 1200}}
        ),
    )  # fmt: skip
    step("frame", id=frame.id)
    card = api.create_card_item(
        BOARD,
        CardCreateRequest.from_dict(
            {"data": {"title": "GOV-03 · Charte", "description": "<p>Rédiger</p>"},
             "position": {"x": 300, "y": 200}, "parent": {"id": frame.id}}
        ),
    )  # fmt: skip
    assert card.parent is not None and card.parent.id == frame.id
    assert card.position is not None and card.position.relative_to == "parent_top_left"
    app_card = api.create_app_card_item(BOARD, AppCardCreateRequest.from_dict({"data": {"title": "App"}}))
    step("cards", card=card.id, app_card=app_card.id)

    bulk = api.create_items(
        BOARD,
        [ItemCreate.from_dict({"type": "sticky_note", "data": {"content": f"note {i}"}}) for i in range(20)],
    )
    assert len(bulk.data) == 20 and all(item.type == "sticky_note" for item in bulk.data), bulk
    more = api.create_items(
        BOARD, [ItemCreate.from_dict({"type": "card", "data": {"title": f"C-{i}"}}) for i in range(15)]
    )
    step("bulk", created=len(bulk.data) + len(more.data))

    items = list(api.get_all_items(BOARD, limit="10"))
    assert len(items) == 1 + 1 + 1 + 20 + 15, len(items)
    first = api.get_items(BOARD, limit="10")
    assert first.cursor and first.size == 10 and first.total == len(items)
    within = list(api.get_all_items_within_frame(BOARD, frame.id))
    assert [i.id for i in within] == [card.id], within
    step("pagination", items=len(items), within_frame=len(within))

    moved = api.update_item_position_or_parent(
        BOARD,
        bulk.data[0].id,
        GenericItemUpdate.from_dict({"parent": {"id": frame.id}, "position": {"x": 100, "y": 100}}),
    )
    assert moved.parent is not None and moved.parent.id == frame.id
    updated = api.update_sticky_note_item(
        BOARD, bulk.data[1].id, StickyNoteUpdateRequest.from_dict({"data": {"content": "<p>Léa <em>et</em> Sam</p>"}})
    )
    assert updated.data is not None and updated.data.content == "<p>Léa <em>et</em> Sam</p>"
    got = api.get_specific_item(BOARD, moved.id)
    assert got.parent is not None and got.parent.id == frame.id
    step("moves", moved=moved.id)

    tag = api.create_tag(BOARD, TagCreateRequest.from_dict({"title": "Prioritaire", "fillColor": "red"}))
    api.attach_tag_to_item(BOARD, card.id, tag.id)
    on_card = api.get_tags_from_item(BOARD, card.id)
    assert [t.id for t in on_card.tags or []] == [tag.id]
    by_tag = api.get_items_by_tag(BOARD, tag.id)
    assert [i.id for i in by_tag.data or []] == [card.id]
    tags = list(api.get_all_tags_from_board(BOARD))
    assert [t.title for t in tags] == ["Prioritaire"]
    api.remove_tag_from_item(BOARD, card.id, tag.id)
    step("tags", tag=tag.id)

    members = list(api.get_all_board_members(BOARD))
    assert members and members[0].role is not None
    member = api.get_specific_board_member(BOARD, members[0].id)
    assert member.id == members[0].id
    step("members", count=len(members))

    api.delete_item(BOARD, more.data[0].id)
    try:
        api.get_specific_item(BOARD, more.data[0].id)
        raise AssertionError("a deleted item is still there")
    except NotFoundException as exc:
        assert json.loads(exc.body)["code"] == "3.0201"
    api.delete_frame_item(BOARD, frame.id)
    detached = api.get_card_item(BOARD, card.id)
    assert detached.parent is None
    step("deletes")

    try:
        stranger = MiroApi("not-the-token")
        stranger.api_client.configuration.host = URL
        stranger.get_specific_board(BOARD)
        raise AssertionError("an unknown token was accepted")
    except UnauthorizedException as exc:
        assert json.loads(exc.body)["code"] == "tokenNotFound"
    except ApiException as exc:
        raise AssertionError(f"unexpected {exc.status}") from exc
    step("unauthorized")


if __name__ == "__main__":
    main()
    print(json.dumps({"step": "done", "ok": True}), flush=True)
