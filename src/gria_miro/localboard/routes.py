"""The local board's routes: one declarative table from (method, path, query) to a handler.

One responsibility: find the handler of a request, with its rate-limit level, or answer 404 (no
such path) / 405 (the path exists, not with this method). A pattern is a tuple of path segments:
literals, ``{board}`` (the board, looked up by the engine), ``{kind}`` (an item type's segment,
``cards``, ``sticky_notes``…) and other ``{name}`` placeholders (any non-empty segment). Placeholders
other than ``{board}`` become the handler's arguments, in order. A route may apply only when a query
parameter is present (``with_query``) or absent (``without_query``): Miro's tag links share the item
path and are told apart by ``tag_id``. Among the patterns that fit a path, those with the most
literal segments decide; then the first route with the request's method wins.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from gria_miro.localboard import boards, items, tags
from gria_miro.localboard.apierror import ApiError
from gria_miro.localboard.schemas import KIND_BY_SEGMENT

Handler = Callable[..., tuple[int, Any]]

BOARD = "{board}"
KIND = "{kind}"
ITEM = "{item}"
TAG = "{tag}"
MEMBER = "{member}"
V2 = ("v2", "boards")


@dataclass(frozen=True)
class Route:
    method: str
    pattern: tuple[str, ...]
    handler: Handler
    #: Miro's rate-limit level (credits: 1 = 50, 2 = 100, 3 = 500)
    level: int
    #: a bulk call: charged per element of the body
    per_item: bool = False
    with_query: str | None = None
    without_query: str | None = None

    @property
    def on_board(self) -> bool:
        return BOARD in self.pattern

    def applies(self, query: Mapping[str, str]) -> bool:
        if self.with_query is not None and self.with_query not in query:
            return False
        return self.without_query is None or self.without_query not in query


ROUTES: tuple[Route, ...] = (
    # token information (scopes, team, user)
    Route("GET", ("v1", "oauth-token"), boards.token_info, 1),
    # boards
    Route("POST", V2, boards.create_board, 3),
    Route("GET", V2, boards.list_boards, 1),
    Route("GET", (*V2, BOARD), boards.get_board, 1),
    # items of any type
    Route("GET", (*V2, BOARD, "items"), items.list_items, 1, with_query="tag_id"),
    Route("GET", (*V2, BOARD, "items"), items.list_items, 2, without_query="tag_id"),
    Route("POST", (*V2, BOARD, "items", "bulk"), items.bulk_create, 2, per_item=True),
    Route("GET", (*V2, BOARD, "items", ITEM), items.get_item, 1),
    Route("PATCH", (*V2, BOARD, "items", ITEM), items.patch_item, 2),
    Route("DELETE", (*V2, BOARD, "items", ITEM), items.delete_item, 3, without_query="tag_id"),
    # tag links: the item path with ?tag_id=
    Route("POST", (*V2, BOARD, "items", ITEM), tags.attach_tag, 1, with_query="tag_id"),
    Route("DELETE", (*V2, BOARD, "items", ITEM), tags.detach_tag, 1, with_query="tag_id"),
    Route("GET", (*V2, BOARD, "items", ITEM, "tags"), tags.item_tags, 1),
    # items of one type: /frames, /cards, /app_cards, /sticky_notes, /shapes, /texts
    Route("POST", (*V2, BOARD, KIND), items.create_typed, 2),
    Route("GET", (*V2, BOARD, KIND, ITEM), items.get_typed, 1),
    Route("PATCH", (*V2, BOARD, KIND, ITEM), items.patch_typed, 2),
    Route("DELETE", (*V2, BOARD, KIND, ITEM), items.delete_typed, 3),
    # tags
    Route("POST", (*V2, BOARD, "tags"), tags.create_tag, 1),
    Route("GET", (*V2, BOARD, "tags"), tags.list_tags, 1),
    Route("GET", (*V2, BOARD, "tags", TAG), tags.get_tag, 1),
    Route("PATCH", (*V2, BOARD, "tags", TAG), tags.update_tag, 1),
    Route("DELETE", (*V2, BOARD, "tags", TAG), tags.delete_tag, 1),
    # members (read only: Miro's REST API cannot add one)
    Route("GET", (*V2, BOARD, "members"), boards.list_members, 1),
    Route("GET", (*V2, BOARD, "members", MEMBER), boards.get_member, 1),
)


def _match(pattern: tuple[str, ...], segments: list[str]) -> tuple[str | None, tuple[str, ...]] | None:
    """(board id, handler arguments) if ``segments`` fit ``pattern``, else None."""
    if len(pattern) != len(segments):
        return None
    board_id: str | None = None
    args: list[str] = []
    for expected, segment in zip(pattern, segments, strict=True):
        if expected == BOARD:
            if not segment:
                return None
            board_id = segment
        elif expected == KIND:
            if segment not in KIND_BY_SEGMENT:
                return None
            args.append(segment)
        elif expected.startswith("{"):
            if not segment:
                return None
            args.append(segment)
        elif expected != segment:
            return None
    return board_id, tuple(args)


@dataclass(frozen=True)
class Match:
    route: Route
    board_id: str | None
    args: tuple[str, ...]


def _literals(pattern: tuple[str, ...]) -> int:
    return sum(1 for part in pattern if not part.startswith("{"))


def path_segments(path: str) -> list[str]:
    """``/v2/boards/uXjV%3D/items?x=1`` → ``["v2", "boards", "uXjV=", "items"]`` (what :func:`resolve` takes)."""
    return [unquote(s) for s in path.split("?")[0].removeprefix("/").split("/")]


def resolve(method: str, segments: list[str], query: Mapping[str, str]) -> Match:
    """The route of a request, or :class:`ApiError` 404/405.

    When several patterns fit the path, the most literal ones decide (``items/bulk`` is not the item
    ``bulk``). ``HEAD`` is answered as ``GET`` (the transports send no body).
    """
    if method == "HEAD":
        method = "GET"
    fitting = [(route, found) for route in ROUTES if (found := _match(route.pattern, segments)) is not None]
    most = max((_literals(route.pattern) for route, _ in fitting), default=0)
    allowed: set[str] = set()
    for route, found in fitting:
        if _literals(route.pattern) != most or not route.applies(query):
            continue
        if route.method == method:
            return Match(route, *found)
        allowed.add(route.method)
    if allowed:
        methods = ", ".join(sorted(allowed))
        raise ApiError(405, "methodNotAllowed", f"Method {method} is not allowed here (allowed: {methods})")
    raise ApiError(404, "notFound", f"No such endpoint: /{'/'.join(segments)}")
