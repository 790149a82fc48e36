"""Items of the local board: Miro's item endpoints (read, list, create, bulk, update, move, delete).

One responsibility: the item handlers and the wire form of a stored item. Geometry and frame rules
come from :mod:`~gria_miro.localboard.placement`; every change goes through the request's
transaction.
"""

from __future__ import annotations

import base64
import binascii
import heapq
from urllib.parse import urlencode

from gria_miro.localboard import schemas
from gria_miro.localboard.apierror import invalid, item_not_found
from gria_miro.localboard.context import Answer, Ctx, board_url, check, int_param, not_found, offset_page, require_body
from gria_miro.localboard.placement import build_item, inside, item_geometry, lower_hex, place, relative_to
from gria_miro.localboard.records import JSON, LOCAL_USER_ID, StoredBoard, StoredItem
from gria_miro.localboard.richtext import clean_data
from gria_miro.localboard.schemas import KIND_BY_SEGMENT, KINDS

BULK_MAX_ITEMS = 20
#: Values of the ``type`` filter of GET …/items (spec).
LIST_TYPES = (
    "text", "shape", "sticky_note", "image", "document", "card", "app_card", "preview", "frame", "embed",
    "doc_format", "data_table_format",
)  # fmt: skip


def user_ref() -> JSON:
    return {"id": LOCAL_USER_ID, "type": "user"}


def item_url(base: str, board_id: str, item: StoredItem) -> str:
    return f"{board_url(base, board_id)}/{KINDS[item['type']].segment}/{item['id']}"


def item_json(board: StoredBoard, item: StoredItem, base: str) -> JSON:
    """The wire form of a stored item (positions of children relative to the frame's top-left)."""
    out: JSON = {
        "id": item["id"],
        "type": item["type"],
        "data": dict(item["data"]),
        "style": dict(item["style"]),
        "position": {
            "x": item["position"]["x"],
            "y": item["position"]["y"],
            "origin": "center",
            "relativeTo": "parent_top_left" if item.get("parent") else "canvas_center",
        },
        "geometry": dict(item["geometry"]),
        "links": {"self": item_url(base, board["id"], item)},
        "createdAt": item["createdAt"],
        "createdBy": user_ref(),
        "modifiedAt": item["modifiedAt"],
        "modifiedBy": user_ref(),
    }
    if item["type"] == "app_card":
        out["data"]["owned"] = True
    if item["type"] == "frame":
        out["links"]["related"] = f"{board_url(base, board['id'])}/items?parent_item_id={item['id']}"
    parent_id = item.get("parent")
    if parent_id:
        parent = board["items"][parent_id]
        out["parent"] = {"id": parent_id, "links": {"self": item_url(base, board["id"], parent)}}
    return out


def find(ctx: Ctx, item_id: str, kind: str | None = None) -> StoredItem:
    """A copy of the item (of type ``kind`` if given), or 404 ``3.0201``."""
    item = ctx.board["items"].get(item_id)
    if item is None or (kind is not None and item["type"] != kind):
        raise item_not_found(ctx.board_id, item_id)
    return StoredItem(**item)


# --- reading -------------------------------------------------------------------------------------


def get_item(ctx: Ctx, item_id: str) -> Answer:
    return 200, item_json(ctx.board, find(ctx, item_id), ctx.base)


def get_typed(ctx: Ctx, segment: str, item_id: str) -> Answer:
    return 200, item_json(ctx.board, find(ctx, item_id, KIND_BY_SEGMENT[segment].type), ctx.base)


def _encode_cursor(item_id: str) -> str:
    return base64.urlsafe_b64encode(f"after:{item_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith("after:"):
            raise ValueError(cursor)
        return int(text.removeprefix("after:"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid([("cursor", "Parameter [cursor] is not a cursor returned by this board")]) from None


def _id_order(item: StoredItem) -> int:
    return int(item["id"])


def list_items(ctx: Ctx) -> Answer:
    """GET …/items: cursor paging in id order, filters ``type`` and ``parent_item_id`` (``tag_id``: by tag)."""
    if "tag_id" in ctx.query:
        return _items_by_tag(ctx)
    limit = int_param(ctx.query, "limit", 10, 10, 50)
    # filter first, then take the page's smallest ids: a page costs one pass over the board, not a sort of it
    items: list[StoredItem] = list(ctx.board["items"].values())
    wanted_type = ctx.query.get("type")
    if wanted_type is not None:
        if wanted_type not in LIST_TYPES:
            raise invalid([("type", f"Parameter [type] has an unexpected value [{wanted_type}]")])
        items = [it for it in items if it["type"] == wanted_type]
    parent_id = ctx.query.get("parent_item_id")
    if parent_id is not None:
        parent = ctx.board["items"].get(parent_id)
        if parent is None:
            raise item_not_found(ctx.board_id, parent_id)
        items = [it for it in items if it.get("parent") == parent_id]
    total = len(items)
    cursor = ctx.query.get("cursor")
    if cursor:
        after = _decode_cursor(cursor)
        items = [it for it in items if int(it["id"]) > after]
    first = heapq.nsmallest(limit + 1, items, key=_id_order)  # id order, as Miro's creation order
    page, more = first[:limit], len(first) > limit
    base_query = {k: v for k, v in ctx.query.items() if k != "cursor"}
    url = f"{board_url(ctx.base, ctx.board_id)}/items"
    links = {"self": f"{url}?{urlencode(dict(ctx.query))}" if ctx.query else url}
    out: JSON = {
        "type": "cursor-list",
        "data": [item_json(ctx.board, it, ctx.base) for it in page],
        "total": total,
        "size": len(page),
        "limit": limit,
        "links": links,
    }
    if more:
        next_cursor = _encode_cursor(page[-1]["id"])
        out["cursor"] = next_cursor
        links["next"] = f"{url}?{urlencode({**base_query, 'cursor': next_cursor})}"
    return 200, out


def _items_by_tag(ctx: Ctx) -> Answer:
    tag_id = ctx.query["tag_id"]
    if tag_id not in ctx.board["tags"]:
        raise not_found("Tag", "tagId", tag_id)
    links = ctx.board["item_tags"]
    items = sorted(
        (it for it in ctx.board["items"].values() if tag_id in links.get(it["id"], [])),
        key=lambda it: int(it["id"]),
    )
    rows = [item_json(ctx.board, it, ctx.base) for it in items]
    return 200, offset_page(ctx, rows, f"{board_url(ctx.base, ctx.board_id)}/items", 20)


# --- writing -------------------------------------------------------------------------------------


def create_typed(ctx: Ctx, segment: str) -> Answer:
    kind = KIND_BY_SEGMENT[segment]
    body = check(kind.create, ctx.body)
    item = build_item(ctx.board, kind.type, body, ctx.now, {}, "")
    item["id"] = ctx.tx.new_id()
    ctx.tx.put_item(ctx.board_id, item)
    return 201, item_json(ctx.board, item, ctx.base)


def bulk_create(ctx: Ctx) -> Answer:
    """Validate every element first, then create them all (transactional, ids in array order)."""
    body = require_body(ctx.body)
    if not isinstance(body, list):
        raise invalid([("body", "The request body must be a JSON array of items")])
    if not body:
        raise invalid([("body", "At least 1 item must be given")])
    if len(body) > BULK_MAX_ITEMS:
        raise invalid([("body", f"At most {BULK_MAX_ITEMS} items could be created with a single request")])
    built: list[StoredItem] = []
    for index, element in enumerate(body):
        prefix = f"{index}."
        item_type = element.get("type") if isinstance(element, dict) else None
        if item_type == "frame":  # the spec's ItemDataCreate has no frame member (12.5, docs/miro-choices.md)
            message = "Item type [frame] cannot be created in bulk: create frames with POST /v2/boards/{id}/frames"
            raise invalid([("type", message)], prefix=prefix)
        if item_type not in KINDS:
            message = (
                f"Item type [{item_type}] is not supported by the local board"
                if item_type in schemas.BULK_UNSERVED_TYPES
                else f"Field [type] has an unexpected value [{item_type}]"
            )
            raise invalid([("type", message)], prefix=prefix)
        checked = check(schemas.bulk_element(item_type), element, prefix)
        # children in a bulk call refer to frames that already exist (ids are unknown before the call)
        built.append(build_item(ctx.board, item_type, checked, ctx.now, {}, prefix))
    for item in built:
        item["id"] = ctx.tx.new_id()
        ctx.tx.put_item(ctx.board_id, item)
    return 201, {"type": "bulk-list", "data": [item_json(ctx.board, it, ctx.base) for it in built]}


def _update(ctx: Ctx, item: StoredItem, body: JSON) -> Answer:
    item_type = item["type"]
    data = clean_data(item_type, {**item["data"], **body.get("data", {})})
    style = lower_hex({**item["style"], **body.get("style", {})})
    sent_geometry = body.get("geometry", {})
    geometry = item["geometry"]
    if sent_geometry or item_type in ("text", "sticky_note"):
        geometry, problems = item_geometry(item_type, data, style, sent_geometry, item["geometry"])
        if problems:
            raise invalid(problems)
    updated = StoredItem(**{**item, "data": data, "style": style, "geometry": geometry, "modifiedAt": ctx.now})
    if item_type == "frame" and sent_geometry:
        children = [it for it in ctx.board["items"].values() if it.get("parent") == item["id"]]
        if any(not inside(updated, c["position"]["x"], c["position"]["y"]) for c in children):
            raise invalid([("geometry", "new size would leave a child outside of the frame boundaries")])
    place(ctx.board, updated, body, creating=False)
    ctx.tx.put_item(ctx.board_id, updated)
    return 200, item_json(ctx.board, updated, ctx.base)


def patch_typed(ctx: Ctx, segment: str, item_id: str) -> Answer:
    kind = KIND_BY_SEGMENT[segment]
    item = find(ctx, item_id, kind.type)
    return _update(ctx, item, check(kind.update, ctx.body))


def patch_item(ctx: Ctx, item_id: str) -> Answer:
    item = find(ctx, item_id)
    return _update(ctx, item, check(schemas.GENERIC_UPDATE, ctx.body))


def _delete(ctx: Ctx, item: StoredItem) -> Answer:
    board = ctx.board
    if item["type"] == "frame":  # children are detached to the canvas, keeping their absolute position
        for child in [it for it in board["items"].values() if it.get("parent") == item["id"]]:
            detached = StoredItem(
                **{**child, "position": relative_to(board, child, None), "parent": None, "modifiedAt": ctx.now}
            )
            ctx.tx.put_item(ctx.board_id, detached)
    ctx.tx.delete_item(ctx.board_id, item["id"])
    return 204, None


def delete_item(ctx: Ctx, item_id: str) -> Answer:
    return _delete(ctx, find(ctx, item_id))


def delete_typed(ctx: Ctx, segment: str, item_id: str) -> Answer:
    return _delete(ctx, find(ctx, item_id, KIND_BY_SEGMENT[segment].type))
