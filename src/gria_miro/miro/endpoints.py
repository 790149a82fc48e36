"""Miro's REST API v2 operations, one typed method each: boards, members, items, bulk, tags, listings.

Each method builds a path (board and item ids quoted once, ``boardid.quote_id``), sends it through
the transport's one choke point, and parses the answer into a tolerant wire model. Listings
follow Miro's cursor (items) or offset (members, tags, items by tag) to the end and stop on a
page already read instead of looping.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from gria_miro.errors import GriaError
from gria_miro.miro.boardid import quote_id
from gria_miro.miro.errors import MiroApiError, MiroError, MiroPaginationError
from gria_miro.miro.transport import Transport
from gria_miro.miro.wire import (
    WireBoard,
    WireCursorPage,
    WireItem,
    WireMember,
    WireOffsetPage,
    WireTag,
    WireTokenInfo,
)

PAGE_LIMIT = 50
BULK_MAX = 20

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

#: Item type → the per-type endpoint segment (``POST /v2/boards/{id}/<segment>``).
ITEM_ENDPOINTS: dict[str, str] = {
    "frame": "frames",
    "card": "cards",
    "app_card": "app_cards",
    "sticky_note": "sticky_notes",
    "shape": "shapes",
    "text": "texts",
}


@dataclass(frozen=True)
class ItemsPage:
    """One page of a cursor listing: its items, the cursor of the next page (None: last), Miro's ``total``."""

    items: list[WireItem]
    cursor: str | None
    #: "Total number of results available" for the listing's query (spec, ``GenericItemCursorPaged``).
    total: int | None
    path: str


class CursorFollower:
    """Follows one cursor listing page after page, and stops it instead of looping when Miro misbehaves.

    ``take(page)`` keeps the page's new items and returns the cursor to ask next, or None at the end.
    """

    def __init__(self, board_id: str) -> None:
        self.board_id = board_id
        self.items: list[WireItem] = []
        self.total: int | None = None
        self._seen_ids: set[str] = set()
        self._seen_cursors: set[str] = set()

    def take(self, page: ItemsPage) -> str | None:
        fresh = [item for item in page.items if item.id not in self._seen_ids]
        if page.items and not fresh:
            raise MiroPaginationError(
                f"Miro a renvoyé une page déjà lue en listant le tableau {self.board_id} : lecture arrêtée pour ne "
                "pas boucler ; réessayez plus tard",
                method="GET",
                path=page.path,
                board_id=self.board_id,
            )
        for item in fresh:
            self._seen_ids.add(item.id)
            self.items.append(item)
        if page.total is not None:
            self.total = page.total
        if not page.cursor or not page.items:
            return None
        if page.cursor in self._seen_cursors:
            raise MiroPaginationError(
                f"Miro a renvoyé deux fois le même curseur en listant le tableau {self.board_id} : "
                "lecture arrêtée pour ne pas boucler ; réessayez plus tard",
                method="GET",
                path=page.path,
                board_id=self.board_id,
            )
        self._seen_cursors.add(page.cursor)
        return page.cursor


class MiroEndpoints:
    """Typed operations on one Miro API (or the local board behind an adapter), over one transport."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.transport.call(method, path, **kwargs)

    def _parse(self, model: type[M], raw: Any, *, board_id: str | None, path: str) -> M:
        return self.transport.parse(model, raw, board_id=board_id, path=path)

    def run_concurrently(self, fns: Sequence[Callable[[], T]]) -> list[T | GriaError]:
        """Run ``fns`` on the transport's pool; results in order, a GriaError in place of a failed call."""
        return self.transport.run_concurrently(fns)

    # ----------------------------------------------------------------- paths

    @staticmethod
    def _board(board_id: str) -> str:
        return f"/v2/boards/{quote_id(board_id)}"

    @staticmethod
    def _segment(item_type: str) -> str:
        try:
            return ITEM_ENDPOINTS[item_type]
        except KeyError:
            raise ValueError(f"unsupported item type {item_type!r}; expected one of {sorted(ITEM_ENDPOINTS)}") from None

    # ----------------------------------------------------------------- boards

    def create_board(self, name: str, description: str | None = None) -> WireBoard:
        body: dict[str, Any] = {"name": name}
        if description is not None:
            body["description"] = description
        raw = self._call("POST", "/v2/boards", route="boards", body=body, create=True)
        return self._parse(WireBoard, raw, board_id=None, path="/v2/boards")

    def get_board(self, board_id: str) -> WireBoard:
        path = self._board(board_id)
        raw = self._call("GET", path, route="board", board_id=board_id)
        return self._parse(WireBoard, raw, board_id=board_id, path=path)

    def list_members(self, board_id: str) -> list[WireMember]:
        """Board members (offset-paged, limit 50), to turn a card's ``assigneeId`` into a name."""
        path = f"{self._board(board_id)}/members"
        return [
            self._parse(WireMember, raw, board_id=board_id, path=path)
            for raw in self._offset_pages(board_id, path, route="members")
        ]

    # ----------------------------------------------------------------- listings

    def items_page(
        self,
        board_id: str,
        *,
        type: str | None = None,
        parent_item_id: str | None = None,
        cursor: str | None = None,
    ) -> ItemsPage:
        """One page (up to 50) of a cursor listing of items: all, of one type, or within one frame."""
        path = f"{self._board(board_id)}/items"
        params: dict[str, str] = {"limit": str(PAGE_LIMIT)}
        if type is not None:
            params["type"] = type
        if parent_item_id is not None:
            params["parent_item_id"] = parent_item_id
        if cursor:
            params["cursor"] = cursor
        raw = self._call("GET", path, route="items", params=params, board_id=board_id)
        page = self._parse(WireCursorPage, raw or {}, board_id=board_id, path=path)
        items = [self._parse(WireItem, entry, board_id=board_id, path=path) for entry in page.data]
        return ItemsPage(items, page.cursor or None, page.total, path)

    def list_items(
        self, board_id: str, *, type: str | None = None, parent_item_id: str | None = None
    ) -> list[WireItem]:
        """Every item (optionally of one type, or within one frame), following the cursor to the end."""
        follow = CursorFollower(board_id)
        cursor: str | None = None
        while True:
            page = self.items_page(board_id, type=type, parent_item_id=parent_item_id, cursor=cursor)
            cursor = follow.take(page)
            if cursor is None:
                return follow.items

    def _offset_pages(
        self, board_id: str, path: str, *, route: str, extra: Mapping[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """Every element of an offset-paged listing; stops on a short or empty page (``total`` not trusted)."""
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        offset = 0
        while True:
            params = {"limit": str(PAGE_LIMIT), "offset": str(offset), **(extra or {})}
            raw = self._call("GET", path, route=route, params=params, board_id=board_id)
            page = self._parse(WireOffsetPage, raw or {}, board_id=board_id, path=path)
            ids = [str(entry.get("id")) for entry in page.data]
            if page.data and all(i in seen for i in ids):
                raise MiroPaginationError(
                    f"Miro a renvoyé une page déjà lue ({path}) : lecture arrêtée pour ne pas boucler",
                    method="GET",
                    path=path,
                    board_id=board_id,
                )
            for entry, entry_id in zip(page.data, ids, strict=True):
                if entry_id not in seen:
                    seen.add(entry_id)
                    out.append(entry)
            page_limit = page.limit or PAGE_LIMIT
            if not page.data or len(page.data) < page_limit:
                return out
            offset += len(page.data)

    def list_items_by_tag(self, board_id: str, tag_id: str) -> list[WireItem]:
        path = f"{self._board(board_id)}/items"
        raws = self._offset_pages(board_id, path, route="items_by_tag", extra={"tag_id": tag_id})
        return [self._parse(WireItem, raw, board_id=board_id, path=path) for raw in raws]

    # ----------------------------------------------------------------- items

    def get_item(self, board_id: str, item_id: str, *, type: str | None = None) -> WireItem:
        """One item, by its per-type endpoint when ``type`` is given, else the generic one."""
        segment = self._segment(type) if type is not None else "items"
        path = f"{self._board(board_id)}/{segment}/{quote_id(item_id)}"
        raw = self._call("GET", path, route="item", board_id=board_id, item_id=item_id)
        return self._parse(WireItem, raw, board_id=board_id, path=path)

    def create_item(self, board_id: str, type: str, body: Mapping[str, Any]) -> WireItem:
        path = f"{self._board(board_id)}/{self._segment(type)}"
        raw = self._call("POST", path, route="create", body=dict(body), board_id=board_id, create=True)
        return self._parse(WireItem, raw, board_id=board_id, path=path)

    def update_item(self, board_id: str, type: str, item_id: str, body: Mapping[str, Any]) -> WireItem:
        path = f"{self._board(board_id)}/{self._segment(type)}/{quote_id(item_id)}"
        raw = self._call("PATCH", path, route="item", body=dict(body), board_id=board_id, item_id=item_id)
        return self._parse(WireItem, raw, board_id=board_id, path=path)

    def delete_item(self, board_id: str, item_id: str) -> None:
        """Delete any item (generic endpoint); a 404 on a retry means an earlier attempt did it."""
        path = f"{self._board(board_id)}/items/{quote_id(item_id)}"
        self._call("DELETE", path, route="item", board_id=board_id, item_id=item_id)

    def move_item(self, board_id: str, item_id: str, *, x: float, y: float, parent_id: str | None = None) -> WireItem:
        """Move an item; with ``parent_id`` it is (re)parented and x, y are relative to the frame's top-left."""
        body: dict[str, Any] = {"position": {"x": x, "y": y}}
        if parent_id is not None:
            body["parent"] = {"id": parent_id}
        path = f"{self._board(board_id)}/items/{quote_id(item_id)}"
        raw = self._call("PATCH", path, route="item", body=body, board_id=board_id, item_id=item_id)
        return self._parse(WireItem, raw, board_id=board_id, path=path)

    # ----------------------------------------------------------------- bulk

    def bulk_create(self, board_id: str, items: Sequence[Mapping[str, Any]]) -> list[WireItem]:
        """Create 1–20 items in one transactional call (all or nothing); returned in the order sent."""
        if not 1 <= len(items) <= BULK_MAX:
            raise ValueError(f"a bulk create takes 1 to {BULK_MAX} items, got {len(items)}")
        path = f"{self._board(board_id)}/items/bulk"
        body = [dict(item) for item in items]
        raw = self._call("POST", path, route="bulk", body=body, board_id=board_id, create=True, bulk_items=len(body))
        data = raw.get("data") if isinstance(raw, Mapping) else raw
        if not isinstance(data, list):
            raise MiroApiError(
                status=201, miro_message="réponse de création en lot inattendue", board_id=board_id, path=path
            )
        return [self._parse(WireItem, entry, board_id=board_id, path=path) for entry in data]

    def create_chunk(self, board_id: str, chunk: Sequence[Mapping[str, Any]]) -> list[WireItem]:
        """One chunk as one transaction: a lone frame by ``POST /frames``, anything else by ``items/bulk``.

        The spec's bulk ``ItemDataCreate`` has no frame member, so a frame created in bulk is
        unconfirmed; ``POST /frames`` with ``FrameCreateRequest`` is fully specified (docs/miro-choices.md).
        """
        if len(chunk) == 1 and chunk[0].get("type") == "frame":
            body = {key: value for key, value in chunk[0].items() if key != "type"}
            return [self.create_item(board_id, "frame", body)]
        return self.bulk_create(board_id, chunk)

    def bulk_create_chunks(
        self,
        board_id: str,
        chunks: Sequence[Sequence[Mapping[str, Any]]],
        on_result: Callable[[int, list[WireItem] | GriaError], None],
    ) -> None:
        """Run chunks concurrently; ``on_result(index, items_or_error)`` is called in this thread as each ends.

        A chunk's error does not stop the others (each chunk is its own transaction). If
        ``on_result`` raises, chunks not yet started are cancelled and the exception propagates.
        A frame is created alone, by ``POST /frames`` (see :meth:`create_chunk`).
        """
        for index, chunk in enumerate(chunks):
            if not 1 <= len(chunk) <= BULK_MAX:
                raise ValueError(f"chunk {index} has {len(chunk)} items; a bulk create takes 1 to {BULK_MAX}")
            if len(chunk) > 1 and any(element.get("type") == "frame" for element in chunk):
                raise ValueError(f"chunk {index} mixes a frame with other items; a frame goes alone (POST /frames)")
        with self.transport.group() as group:  # left early, the chunks not sent are never sent
            futures: dict[Future[list[WireItem]], int] = {
                group.submit(lambda chunk=chunk: self.create_chunk(board_id, chunk)): index  # type: ignore[misc]
                for index, chunk in enumerate(chunks)
            }
            for future in as_completed(futures):
                index = futures[future]
                result: list[WireItem] | GriaError
                try:
                    result = group.result(future)
                except GriaError as error:
                    if isinstance(error, MiroError):
                        error.chunk_index = index
                    result = error
                on_result(index, result)

    # ----------------------------------------------------------------- token

    def token_info(self) -> WireTokenInfo:
        """``GET /v1/oauth-token``: the team, user and scopes of the token (the token itself is not in it)."""
        path = "/v1/oauth-token"
        raw = self._call("GET", path, route="token")
        return self._parse(WireTokenInfo, raw, board_id=None, path=path)

    # ----------------------------------------------------------------- tags

    def create_tag(self, board_id: str, title: str, fill_color: str | None = None) -> WireTag:
        body: dict[str, Any] = {"title": title}
        if fill_color is not None:
            body["fillColor"] = fill_color
        path = f"{self._board(board_id)}/tags"
        raw = self._call("POST", path, route="tags", body=body, board_id=board_id, create=True)
        return self._parse(WireTag, raw, board_id=board_id, path=path)

    def list_tags(self, board_id: str) -> list[WireTag]:
        path = f"{self._board(board_id)}/tags"
        return [
            self._parse(WireTag, raw, board_id=board_id, path=path)
            for raw in self._offset_pages(board_id, path, route="tags")
        ]

    def attach_tag(self, board_id: str, item_id: str, tag_id: str) -> None:
        """Attach (idempotent in effect, so retried like a PATCH); only cards and sticky notes take tags."""
        path = f"{self._board(board_id)}/items/{quote_id(item_id)}"
        self._call("POST", path, route="item_tag", params={"tag_id": tag_id}, board_id=board_id, item_id=item_id)

    def detach_tag(self, board_id: str, item_id: str, tag_id: str) -> None:
        path = f"{self._board(board_id)}/items/{quote_id(item_id)}"
        self._call("DELETE", path, route="item_tag", params={"tag_id": tag_id}, board_id=board_id, item_id=item_id)

    def item_tags(self, board_id: str, item_id: str) -> list[WireTag]:
        path = f"{self._board(board_id)}/items/{quote_id(item_id)}/tags"
        raw = self._call("GET", path, route="item_tags", board_id=board_id, item_id=item_id)
        tags = raw.get("tags", []) if isinstance(raw, Mapping) else []
        return [self._parse(WireTag, entry, board_id=board_id, path=path) for entry in tags]
