"""Reading a whole board: board info, members, items with absolute positions, and tags.

The item types gria-miro writes (frames, cards, app cards, sticky notes, shapes, texts) are
listed concurrently, one cursor listing per type, with the board info and members; items of
other types (images, embeds…) are not read, as gria-miro never owns them and only frames are
parents. ``types=None`` lists every item in one untyped listing instead. Results are
deduplicated by id; a parent frame missing from the listing is fetched on its own so that every
position can be made absolute (``geometry.to_observed``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, cast

from gria_miro.errors import GriaError
from gria_miro.miro.endpoints import ITEM_ENDPOINTS, MiroEndpoints
from gria_miro.miro.errors import MiroNotFoundError, ReadOnlyTokenError
from gria_miro.miro.geometry import to_observed
from gria_miro.miro.wire import WireBoard, WireItem, WireMember, WireTag, WireTokenInfo
from gria_miro.observed import Member, ObservedBoard, Tag

log = logging.getLogger(__name__)

#: The types ``read_board`` lists by default: the ones gria-miro writes.
READ_TYPES: tuple[str, ...] = tuple(ITEM_ENDPOINTS)

_PARENT_DEPTH = 8


class BoardReader:
    """Reads one board through the endpoints, as concurrently as the pool allows."""

    def __init__(self, api: MiroEndpoints) -> None:
        self.api = api

    def read_board(
        self,
        board_id: str,
        *,
        with_tags: bool = False,
        types: Sequence[str] | None = READ_TYPES,
        check_write: bool = False,
    ) -> ObservedBoard:
        """Board info, members and items (absolute positions); with tags per item when asked.

        ``check_write``: the token's scopes are read at the same time (``GET /v1/oauth-token``, no extra
        sequential round trip); a token that cannot write raises :class:`ReadOnlyTokenError` before any write.
        """
        listings: list[Callable[[], list[WireItem]]]
        if types is None:
            listings = [lambda: self.api.list_items(board_id)]
        else:
            listings = [lambda t=t: self.api.list_items(board_id, type=t) for t in types]  # type: ignore[misc]
        tasks: list[Callable[[], Any]] = [
            lambda: self.api.get_board(board_id),
            lambda: self.api.list_members(board_id),
            *listings,
        ]
        if with_tags:
            tasks.append(lambda: self.api.list_tags(board_id))
        if check_write:
            tasks.append(self.api.token_info)
        results = self.api.run_concurrently(tasks)
        if check_write:
            _require_write(results.pop(), board_id)
        for result in results:
            if isinstance(result, GriaError):
                raise result
        board = cast(WireBoard, results[0])
        members = cast(list[WireMember], results[1])
        items: list[WireItem] = []
        seen: set[str] = set()
        for listing in results[2 : 2 + len(listings)]:
            for item in cast(list[WireItem], listing):
                if item.id not in seen:
                    seen.add(item.id)
                    items.append(item)
        wire_tags = cast(list[WireTag], results[-1]) if with_tags else []
        parents = self._missing_parents(board_id, items)
        tag_map = self._tags_by_item(board_id, wire_tags) if with_tags else None
        return ObservedBoard(
            board_id=board_id,
            name=board.name,
            view_link=board.view_link,
            items=tuple(to_observed(items, parents=parents, tags=tag_map)),
            members=tuple(Member(id=m.id, name=m.name, role=m.role) for m in members),
            tags=tuple(Tag(id=t.id, title=t.title, fill_color=t.fill_color) for t in wire_tags),
        )

    def _missing_parents(self, board_id: str, items: Sequence[WireItem]) -> list[WireItem]:
        """Parents referenced but not listed (e.g. of a type not read), fetched to resolve positions."""
        known = {item.id for item in items}
        fetched: list[WireItem] = []
        frontier = list(items)
        for _ in range(_PARENT_DEPTH):
            wanted = sorted({p for p in (i.parent_id for i in frontier) if p and p not in known})
            if not wanted:
                break
            known.update(wanted)
            results = self.api.run_concurrently([lambda p=p: self.api.get_item(board_id, p) for p in wanted])  # type: ignore[misc]
            frontier = []
            for result in results:
                if isinstance(result, MiroNotFoundError):
                    continue  # deleted meanwhile: positions of its children stay unresolved (logged)
                if isinstance(result, GriaError):
                    raise result
                fetched.append(result)
                frontier.append(result)
        return fetched

    def _tags_by_item(self, board_id: str, tags: Sequence[WireTag]) -> dict[str, list[str]]:
        """Item id → tag ids, from one items-by-tag listing per tag (cheaper than one call per item)."""
        results = self.api.run_concurrently([lambda t=t: self.api.list_items_by_tag(board_id, t.id) for t in tags])  # type: ignore[misc]
        by_item: dict[str, list[str]] = {}
        for tag, result in zip(tags, results, strict=True):
            if isinstance(result, GriaError):
                raise result
            for item in result:
                by_item.setdefault(item.id, []).append(tag.id)
        return by_item


def _require_write(token: WireTokenInfo | GriaError, board_id: str) -> None:
    """Stop before any write when the token's own description says it cannot write.

    Token information that could not be read (an API without ``/v1/oauth-token``, a network hiccup)
    proves nothing: the push goes on, and a refused write is named as read-only by the transport.
    """
    if isinstance(token, GriaError):
        log.debug("token information unavailable (%s): write permission checked on the first write", token)
        return
    if token.can_write is False:
        raise ReadOnlyTokenError.from_scopes(token.scopes or [], board_id=board_id)
