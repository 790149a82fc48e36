"""Reading a whole board: board info, members, items with absolute positions, and tags.

Few sequential round trips, nothing missed. Cursor pages of one listing must follow one another,
so one long listing (920 cards are 19 pages) would set the pace; instead the items are read in
many short listings at once, on the transport's pool, by a small scheduler (:class:`_Scheduler`):

| listing                                   | when it starts                 | why                                  |
|-------------------------------------------|--------------------------------|--------------------------------------|
| board info, members, tags, token info     | at once                        | independent                          |
| frames (``type=frame``), to the end       | at once, first in line         | every other item hangs off a frame   |
| first page of each other type read        | at once                        | its ``total`` counts that type       |
| each frame's children                     | as soon as the frame is listed | short, and all side by side          |
| (``parent_item_id``), to the end          |                                |                                      |
| the children of each frame the local      | at once, most children first   | the chain "frames pages, then a big  |
| state knows (``frames_hint``)             |                                | frame's pages" becomes side by side  |
| the rest of a type's own listing          | only if its items found so far | items outside every frame (a card on |
|                                           | are fewer than its ``total``   | the canvas) are found there          |

A type is complete when the distinct items of that type found (in any listing) are exactly the
``total`` Miro gave for it ("Total number of results available", spec ``GenericItemCursorPaged``);
otherwise, or when Miro gives no total, its own listing is followed to the end, so a missing or
wrong total costs time, never an item. Once every type is complete, frame listings not yet started
are skipped. A hinted frame is only a head start: its listing is not started again when the frames
listing shows it; a hinted id that is gone (404) or is no frame (400) lists nothing, and if the frames
listing shows it after all it is listed then; a frame the state does not know is listed as soon as the
frames listing shows it. Items of other types (images, embeds…) are not kept: gria-miro never owns
them and only frames are parents. ``types=None`` (or a list without frames) reads one listing per type
(or one untyped listing) instead. A parent missing from the listings is fetched on its own so that
every position can be made absolute (``geometry.to_observed``).
"""

from __future__ import annotations

import heapq
import itertools
import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from typing import Any

from gria_miro.errors import GriaError
from gria_miro.miro.endpoints import ITEM_ENDPOINTS, CursorFollower, ItemsPage, MiroEndpoints
from gria_miro.miro.errors import MiroNotFoundError, MiroValidationError, ReadOnlyTokenError
from gria_miro.miro.geometry import to_observed
from gria_miro.miro.wire import WireBoard, WireItem, WireMember, WireTag, WireTokenInfo
from gria_miro.observed import Member, ObservedBoard, Tag

log = logging.getLogger(__name__)

#: The types ``read_board`` lists by default: the ones gria-miro writes.
READ_TYPES: tuple[str, ...] = tuple(ITEM_ENDPOINTS)

_PARENT_DEPTH = 8

# Scheduling priorities (lower first): what the longest chain waits for goes first.
_FIRST = 0  # frames, board info, members, tags, token info
_MORE_CHILDREN = 1  # the next page of a frame's children (a chain under way)
_HINTED = 2  # the first page of a frame the state knows, fullest first (the chain of a big frame starts at once)
_TYPE_PAGE = 3  # a type's own listing (its first page gives its total)
_NEW_FRAME = 4  # the first page of a frame's children, biggest frames first (skipped once every type is complete)


_Unless = Callable[[], bool] | None


class _Scheduler:
    """Runs tasks on the transport's pool, at most ``workers`` at a time, lowest priority first.

    A task's ``then`` runs in the calling thread with its result and may add tasks; a task whose
    ``unless`` is true when its turn comes is dropped. The first error stops everything.
    """

    def __init__(self, api: MiroEndpoints) -> None:
        self._transport = api.transport
        self._workers = api.transport.max_workers
        self._queue: list[
            tuple[tuple[int, float], int, Callable[[], Any], Callable[[Any], None], Callable[[], bool] | None]
        ] = []
        self._order = itertools.count()

    def add(
        self,
        priority: int,
        task: Callable[[], Any],
        then: Callable[[Any], None],
        unless: Callable[[], bool] | None = None,
        *,
        weight: float = 0.0,
    ) -> None:
        """Queue ``task``; among equal priorities, the heavier first, then the first added."""
        heapq.heappush(self._queue, ((priority, -weight), next(self._order), task, then, unless))

    def run(self) -> None:
        running: dict[Future[Any], Callable[[Any], None]] = {}
        # leaving early (an error, Ctrl-C) abandons the tasks still running: none goes on retrying
        with self._transport.group() as group:
            while self._queue or running:
                while self._queue and len(running) < self._workers:
                    _, _, task, then, unless = heapq.heappop(self._queue)
                    if unless is not None and unless():
                        continue
                    running[group.submit(task)] = then
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    then = running.pop(future)
                    then(group.result(future))  # a task's GriaError propagates from here


@dataclass
class _Listing:
    """One cursor listing being followed (a type's, or a frame's children)."""

    follower: CursorFollower
    kind: str | None = None  # the type listed, or None for a frame's children
    parent_id: str | None = None
    next_cursor: str | None = None
    finished: bool = False
    hinted: bool = False  # a frame named by the local state, not (yet) seen in the frames listing


@dataclass
class _Found:
    """Everything read so far, by id (an item may come back from several listings)."""

    types: frozenset[str]
    items: dict[str, WireItem] = field(default_factory=dict)
    by_type: dict[str, set[str]] = field(default_factory=dict)

    def keep(self, items: Sequence[WireItem]) -> list[WireItem]:
        """Record the items of the types read; returns the frames among them not seen before."""
        new_frames = []
        for item in items:
            if item.type not in self.types or item.id in self.items:
                continue
            self.items[item.id] = item
            self.by_type.setdefault(item.type, set()).add(item.id)
            if item.type == "frame":
                new_frames.append(item)
        return new_frames

    def count(self, item_type: str) -> int:
        return len(self.by_type.get(item_type, ()))


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
        frames_hint: Mapping[str, int] | None = None,
    ) -> ObservedBoard:
        """Board info, members and items (absolute positions); with tags per item when asked.

        ``check_write``: the token's scopes are read at the same time (``GET /v1/oauth-token``, no extra
        sequential round trip); a token that cannot write raises :class:`ReadOnlyTokenError` before any write.
        ``frames_hint``: frame id → items it held, as the local state remembers them: their children are
        listed at once (a head start only; the frames listing still decides what is read).
        """
        if types is None or "frame" not in types:
            return self._read_by_listing(board_id, with_tags=with_tags, types=types, check_write=check_write)
        hint = dict(frames_hint or {})
        return self._read_by_frame(board_id, with_tags=with_tags, types=types, check_write=check_write, hint=hint)

    # ----------------------------------------------------------------- frames first, then their children

    def _read_by_frame(
        self, board_id: str, *, with_tags: bool, types: Sequence[str], check_write: bool, hint: dict[str, int]
    ) -> ObservedBoard:
        api = self.api
        scheduler = _Scheduler(api)
        found = _Found(frozenset(types))
        answers: dict[str, Any] = {}
        tag_items: dict[str, list[WireItem]] = {}
        own_listings: dict[str, _Listing] = {}
        children_of: dict[str, _Listing] = {}  # frame id → its children's listing (started once)

        def store(key: str) -> Callable[[Any], None]:
            return lambda value: answers.__setitem__(key, value)

        def complete() -> bool:
            """Every type's items found, per Miro's totals (and all frames listed)."""
            if not frames.finished:
                return False
            for kind, listing in own_listings.items():
                total = listing.follower.total
                if not listing.finished and (total is None or found.count(kind) != total):
                    return False
            return True

        def follow(
            listing: _Listing, priority: int, unless: Callable[[], bool] | None = None, weight: float = 0.0
        ) -> None:
            cursor = listing.next_cursor

            def fetch() -> ItemsPage | GriaError:
                def page() -> ItemsPage:
                    return api.items_page(board_id, type=listing.kind, parent_item_id=listing.parent_id, cursor=cursor)

                return _or_error(page) if listing.hinted else page()

            def then(page: ItemsPage | GriaError) -> None:
                if isinstance(page, GriaError):
                    hinted_listing_failed(listing, page)
                    return
                listing.next_cursor = listing.follower.take(page)
                listing.finished = listing.next_cursor is None
                for frame in found.keep(page.items):
                    if frame.id not in children_of:  # a hinted frame's listing is already under way
                        list_children(frame.id, _NEW_FRAME, unless=complete, weight=_area(frame))
                if listing is frames and not listing.finished:
                    follow(listing, _FIRST)
                elif listing.parent_id is not None and not listing.finished:
                    follow(listing, _MORE_CHILDREN)

            scheduler.add(priority, fetch, then, unless, weight=weight)

        def list_children(
            frame_id: str, priority: int, *, unless: _Unless = None, weight: float = 0.0, hinted: bool = False
        ) -> None:
            children_of[frame_id] = _Listing(CursorFollower(board_id), parent_id=frame_id, hinted=hinted)
            follow(children_of[frame_id], priority, unless=unless, weight=weight)

        def hinted_listing_failed(listing: _Listing, error: GriaError) -> None:
            """A frame the state knew is gone (404) or is no frame (400): only a head start was lost."""
            if not isinstance(error, MiroNotFoundError | MiroValidationError):
                raise error
            frame_id = str(listing.parent_id)
            log.debug("frame %s from the local state could not be listed (%s)", frame_id, error)
            del children_of[frame_id]  # the frames listing may still show it: then it is listed as any other
            frame = found.items.get(frame_id)
            if frame is not None and frame.type == "frame":  # it did already
                list_children(frame_id, _NEW_FRAME, weight=_area(frame))

        scheduler.add(_FIRST, lambda: api.get_board(board_id), store("board"))
        scheduler.add(_FIRST, lambda: api.list_members(board_id), store("members"))
        if check_write:
            scheduler.add(_FIRST, lambda: _or_error(api.token_info), store("token"))
        if with_tags:

            def items_tagged(tag_id: str) -> None:
                def fetch() -> list[WireItem]:
                    return api.list_items_by_tag(board_id, tag_id)

                def then(items: list[WireItem]) -> None:
                    tag_items[tag_id] = items

                scheduler.add(_FIRST, fetch, then)

            def tags_listed(tags: list[WireTag]) -> None:
                answers["tags"] = tags
                for tag in tags:
                    items_tagged(tag.id)

            scheduler.add(_FIRST, lambda: api.list_tags(board_id), tags_listed)
        frames = _Listing(CursorFollower(board_id), kind="frame")
        follow(frames, _FIRST)
        for frame_id, held in hint.items():
            list_children(frame_id, _HINTED, weight=float(held), hinted=True)
        for kind in types:
            if kind != "frame":
                own_listings[kind] = _Listing(CursorFollower(board_id), kind=kind)
                follow(own_listings[kind], _TYPE_PAGE)
        scheduler.run()
        # Items outside every frame: follow to the end each type whose count falls short of its total.
        while True:
            short = [
                listing
                for kind, listing in own_listings.items()
                if not listing.finished and found.count(kind) != listing.follower.total
            ]
            if not short:
                break
            for listing in short:
                log.debug("type %s: fewer found than its total: its own listing is followed", listing.kind)
                _follow_to_end(scheduler, api, board_id, listing, found)
            scheduler.run()
        if check_write:
            _require_write(answers["token"], board_id)
        wire_tags: list[WireTag] = answers.get("tags", [])
        tag_map: dict[str, list[str]] | None = None
        if with_tags:
            tag_map = {}
            for tag in wire_tags:
                for item in tag_items.get(tag.id, []):
                    tag_map.setdefault(item.id, []).append(tag.id)
        items = list(found.items.values())
        return self._observed(board_id, answers["board"], answers["members"], items, wire_tags, tag_map)

    # ----------------------------------------------------------------- one listing per type (or all at once)

    def _read_by_listing(
        self, board_id: str, *, with_tags: bool, types: Sequence[str] | None, check_write: bool
    ) -> ObservedBoard:
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
        board = result_of(WireBoard, results[0])
        members = result_of(list, results[1])
        items: list[WireItem] = []
        seen: set[str] = set()
        for listing in results[2 : 2 + len(listings)]:
            for item in result_of(list, listing):
                if item.id not in seen:
                    seen.add(item.id)
                    items.append(item)
        wire_tags: list[WireTag] = result_of(list, results[-1]) if with_tags else []
        tag_map = self._tags_by_item(board_id, wire_tags) if with_tags else None
        return self._observed(board_id, board, members, items, wire_tags, tag_map)

    # ----------------------------------------------------------------- shared

    def _observed(
        self,
        board_id: str,
        board: WireBoard,
        members: list[WireMember],
        items: list[WireItem],
        wire_tags: list[WireTag],
        tag_map: dict[str, list[str]] | None,
    ) -> ObservedBoard:
        parents = self._missing_parents(board_id, items)
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


def _area(frame: WireItem) -> float:
    """A frame's area: the biggest frames hold the most items (the longest listings), so they start first."""
    geometry = frame.geometry
    if geometry is None:
        return 0.0
    return float(geometry.width or 0.0) * float(geometry.height or 0.0)


def result_of(kind: type[Any], value: Any) -> Any:
    """A concurrent call's answer, checked to be what was asked (never an error at this point)."""
    assert isinstance(value, kind), value
    return value


def _follow_to_end(scheduler: _Scheduler, api: MiroEndpoints, board_id: str, listing: _Listing, found: _Found) -> None:
    """Queue the rest of a type's own listing, page after page."""
    cursor = listing.next_cursor

    def fetch() -> ItemsPage:
        return api.items_page(board_id, type=listing.kind, cursor=cursor)

    def then(page: ItemsPage) -> None:
        listing.next_cursor = listing.follower.take(page)
        listing.finished = listing.next_cursor is None
        found.keep(page.items)
        if not listing.finished:
            _follow_to_end(scheduler, api, board_id, listing, found)

    scheduler.add(_TYPE_PAGE, fetch, then)


def _or_error(call: Callable[[], Any]) -> Any:
    """The call's answer, or its GriaError as a value (for answers that may fail without stopping the read)."""
    try:
        return call()
    except GriaError as error:
        return error


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
