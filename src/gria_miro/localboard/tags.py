"""Tags of the local board: Miro's tag endpoints and the links between tags and items.

One responsibility: the tag handlers (create, list, get, update, delete; attach to, detach from and
list on an item). Rules: a title is unique on its board; only cards and sticky notes carry tags, at
most :data:`MAX_TAGS_PER_ITEM`; deleting a tag removes it from every item.
"""

from __future__ import annotations

from gria_miro.localboard import schemas
from gria_miro.localboard.apierror import invalid
from gria_miro.localboard.context import Answer, Ctx, board_url, check, not_found, offset_page
from gria_miro.localboard.items import find
from gria_miro.localboard.records import JSON, StoredItem, StoredTag

MAX_TAGS_PER_ITEM = 8
TAGGABLE = ("card", "sticky_note")


def _tag_not_found(tag_id: str) -> Exception:
    return not_found("Tag", "tagId", tag_id)


def _tag_json(ctx: Ctx, tag: StoredTag) -> JSON:
    url = f"{board_url(ctx.base, ctx.board_id)}/tags/{tag['id']}"
    return {
        "id": tag["id"],
        "title": tag["title"],
        "fillColor": tag["fillColor"],
        "type": "tag",
        "links": {"self": url},
    }


def _unique_title(ctx: Ctx, title: str, except_id: str | None = None) -> None:
    if any(t["title"] == title and t["id"] != except_id for t in ctx.board["tags"].values()):
        raise invalid([("title", f"A tag titled [{title}] already exists on this board")])


def _existing(ctx: Ctx, tag_id: str) -> StoredTag:
    tag = ctx.board["tags"].get(tag_id)
    if tag is None:
        raise _tag_not_found(tag_id)
    return tag


def create_tag(ctx: Ctx) -> Answer:
    body = check(schemas.TAG_CREATE, ctx.body)
    _unique_title(ctx, body["title"])
    tag: StoredTag = {"id": ctx.tx.new_id(), "title": body["title"], "fillColor": body.get("fillColor", "red")}
    ctx.tx.put_tag(ctx.board_id, tag)
    return 201, _tag_json(ctx, tag)


def list_tags(ctx: Ctx) -> Answer:
    rows = [_tag_json(ctx, t) for t in sorted(ctx.board["tags"].values(), key=lambda t: int(t["id"]))]
    return 200, offset_page(ctx, rows, f"{board_url(ctx.base, ctx.board_id)}/tags", 20)


def get_tag(ctx: Ctx, tag_id: str) -> Answer:
    return 200, _tag_json(ctx, _existing(ctx, tag_id))


def update_tag(ctx: Ctx, tag_id: str) -> Answer:
    tag = _existing(ctx, tag_id)
    body = check(schemas.TAG_UPDATE, ctx.body)
    if "title" in body:
        _unique_title(ctx, body["title"], tag_id)
    updated: StoredTag = {
        "id": tag["id"],
        "title": body.get("title", tag["title"]),
        "fillColor": body.get("fillColor", tag["fillColor"]),
    }
    ctx.tx.put_tag(ctx.board_id, updated)
    return 200, _tag_json(ctx, updated)


def delete_tag(ctx: Ctx, tag_id: str) -> Answer:
    _existing(ctx, tag_id)
    ctx.tx.delete_tag(ctx.board_id, tag_id)
    return 204, None


def _tag_for_link(ctx: Ctx, item_id: str) -> tuple[StoredItem, str]:
    item = find(ctx, item_id)
    tag_id = ctx.query["tag_id"]
    _existing(ctx, tag_id)
    return item, tag_id


def attach_tag(ctx: Ctx, item_id: str) -> Answer:
    item, tag_id = _tag_for_link(ctx, item_id)
    if item["type"] not in TAGGABLE:
        raise invalid([("item_id", f"Tags can only be attached to cards and sticky notes, not to a {item['type']}")])
    links = ctx.board["item_tags"].get(item_id, [])
    if tag_id not in links:
        if len(links) >= MAX_TAGS_PER_ITEM:
            raise invalid([("tag_id", f"An item can carry at most {MAX_TAGS_PER_ITEM} tags")])
        ctx.tx.set_item_tags(ctx.board_id, item_id, [*links, tag_id])
    return 204, None


def detach_tag(ctx: Ctx, item_id: str) -> Answer:
    _, tag_id = _tag_for_link(ctx, item_id)
    links = ctx.board["item_tags"].get(item_id, [])
    if tag_id in links:
        ctx.tx.set_item_tags(ctx.board_id, item_id, [t for t in links if t != tag_id])
    return 204, None


def item_tags(ctx: Ctx, item_id: str) -> Answer:
    find(ctx, item_id)
    tags = [ctx.board["tags"][t] for t in ctx.board["item_tags"].get(item_id, []) if t in ctx.board["tags"]]
    return 200, {"tags": [_tag_json(ctx, t) for t in tags]}
