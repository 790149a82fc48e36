"""The local board engine: Miro's REST API v2 subset that gria-miro uses, served from a JSON-able state.

One responsibility: answer ``handle(method, path, query, headers, body)`` exactly as Miro would, for
boards, items (frame, card, app_card, sticky_note, shape, text), tags, item-tag links and members.
The state is a plain JSON-able ``dict`` kept by a :class:`Backend` (in memory here, a JSON file in
:mod:`gria_miro.localboard.store`). A lock makes the engine safe to share between threads.

Sources are ``../shared/miro-api-notes.md`` and the official spec. Where the notes mark a behaviour
UNCONFIRMED, the engine follows the spec, and otherwise makes the choice written here:

- **Frame delete** (spec: "Deletes a frame from a board.", nothing on children): the children are
  detached to the canvas and keep their absolute position.
- **Leaving a frame**: the spec offers no way to take an item out of a frame; the engine offers none.
  An item moves from frame to frame with ``PATCH /items/{id}`` ``{parent:{id}, position}``.
- **Position bounds**: a child's *centre* must lie inside its frame (``0 ≤ x ≤ width``, same for y),
  otherwise 400 ``new position is outside of parent boundaries``. Resizing a frame so that a child
  would fall outside is refused the same way (D-CHILD).
- **Partial position in an update**: a missing ``x`` or ``y`` keeps the current value. Re-parenting
  without a ``position`` keeps the item where it is on the canvas (it must then lie inside the frame).
- **Card and app-card height** is read-only (Web SDK docs): a height sent is accepted by the schema
  and replaced by ``round(width × 94 / 320)``; default geometry 320 × 94.
- **Sticky notes**: ``width`` or ``height``, not both (400); square 199 × 228, rectangle 350 × 228,
  the other side follows the ratio. **Texts**: ``width`` only, at least 1.7 × fontSize; the height
  follows the content (an estimate). **Frames**: at least 100 × 100, default 100 × 100.
  **Shapes**: default 200 × 200.
- **Hex colours** are accepted in any case and echoed in lower case (PROBE).
- **``assigneeId``** must be an int64 string (spec); membership of the board is not checked.
- **Error codes**: ``2.0703`` invalid parameters (400), ``3.0201`` item not found (404) as observed;
  for the rest the spec's words: ``notFound`` (unknown board, tag, route), ``methodNotAllowed``,
  ``unauthorized`` (401), ``payloadTooLarge`` (413), ``tooManyRequests`` (429).
- **Credits** per rolling minute (100,000 by default): level 1 = 50, 2 = 100, 3 = 500, bulk 100 per
  item. A refused request (401, 404 route, 429) costs nothing. ``X-RateLimit-Limit/Remaining/Reset``
  come with every answer. Miro documents ``Reset`` as "when the credits will be reset", so here it is
  the epoch second (rounded up) when the *newest* charge leaves the window: from then on the whole
  ``Limit`` is available again, as a client that waits for ``Reset`` expects. The rolling window
  frees older charges earlier (never later than ``Reset`` promises); with nothing charged in the
  window, ``Reset`` is now.
- **List items** returns ``style`` too (PROBE), orders items by id (creation order), and leaves
  ``cursor`` out of the last page.
- **Auth**: with a token set, ``Authorization: Bearer <token>`` must match; without one (in-process
  board), any non-empty bearer token is accepted. Missing or wrong → 401.
- **Scopes**: each token has scopes (:meth:`BoardEngine.add_token`); the main token and any token
  accepted without one have ``boards:read`` and ``boards:write``. A write (any method but GET/HEAD)
  with a token lacking ``boards:write`` gets 403 ``insufficientPermissions``, as Miro answers a
  read-only app token.
- **Token information** ``GET /v1/oauth-token`` answers the spec's ``token-info`` shape: ``type``,
  ``organization``, ``team``, ``createdBy``, ``user`` (each ``{type, name, id}``) and ``scopes``. The
  spec gives no value for the top-level ``type``: the engine says ``"token"``. The spec's only error
  for it is 400 "Invalid token provided": an unknown token gets that (code ``tokenNotFound``, the
  code Miro's error page gives to a token that does not exist).
- **Members** cannot be created through Miro's REST API: :meth:`BoardEngine.add_member` does it for
  tests and rehearsals. The board's creator is its owner.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlencode

from gria_miro.localboard import schemas
from gria_miro.localboard.schemas import KIND_BY_SEGMENT, KINDS, Problem

JSON = dict[str, Any]

FORMAT_MARK = "gria-miro-localboard"
FORMAT_VERSION = 1
MAX_BODY_BYTES = 1_000_000
DEFAULT_CREDITS_PER_MINUTE = 100_000
LEVEL_COST = {1: 50, 2: 100, 3: 500}
BULK_MAX_ITEMS = 20
MAX_TAGS_PER_ITEM = 8
LOCAL_USER_ID = "3458764500000000001"
LOCAL_USER_NAME = "Animateur local"
LOCAL_TEAM_ID = "3458764500000000002"
LOCAL_TEAM_NAME = "Équipe locale"
LOCAL_ORGANIZATION_ID = "3458764500000000003"
LOCAL_ORGANIZATION_NAME = "Tableau local gria-miro"
READ_SCOPE = "boards:read"
WRITE_SCOPE = "boards:write"
FULL_SCOPES: tuple[str, ...] = (READ_SCOPE, WRITE_SCOPE)
_READ_METHODS = ("GET", "HEAD")
_FIRST_ID = 3458764600000000001
_BOARD_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_LIST_TYPES = (
    "text", "shape", "sticky_note", "image", "document", "card", "app_card", "preview", "frame", "embed",
    "doc_format", "data_table_format",
)  # fmt: skip
_TAGGABLE = ("card", "sticky_note")
_CARD_RATIO = 94 / 320
_STICKY_SIZE = {"square": (199.0, 228.0), "rectangle": (350.0, 228.0)}
_DEFAULT_SIZE = {"frame": (100.0, 100.0), "shape": (200.0, 200.0), "card": (320.0, 94.0), "app_card": (320.0, 94.0)}
_DEFAULT_DATA: dict[str, JSON] = {
    "frame": {"format": "custom", "title": "", "type": "freeform", "showContent": True},
    "card": {"title": ""},
    "app_card": {"title": "sample app card item", "status": "disconnected"},
    "sticky_note": {"content": "", "shape": "square"},
    "shape": {"content": "", "shape": "rectangle"},
    "text": {"content": ""},
}
_DEFAULT_STYLE: dict[str, JSON] = {
    "frame": {"fillColor": "#ffffffff"},
    "card": {"cardTheme": "#2d9bf0"},
    "app_card": {"fillColor": "#2d9bf0"},
    "sticky_note": {"fillColor": "light_yellow", "textAlign": "center", "textAlignVertical": "top"},
    "shape": {
        "fillColor": "#ffffff", "fillOpacity": "1.0", "fontFamily": "arial", "fontSize": "14", "color": "#1a1a1a",
        "textAlign": "center", "textAlignVertical": "middle", "borderColor": "#1a1a1a", "borderOpacity": "1.0",
        "borderStyle": "normal", "borderWidth": "2.0",
    },
    "text": {"color": "#1a1a1a", "fillOpacity": "1.0", "fontFamily": "arial", "fontSize": "14", "textAlign": "left"},
}  # fmt: skip
_TAG_RE = re.compile(r"<[^>]*>")


class ApiError(Exception):
    """An answer in Miro's error format: ``{status, code, message, type:"error", context}``."""

    def __init__(
        self, status: int, code: str, message: str, context: JSON | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.context = context
        self.headers = headers or {}

    def body(self) -> JSON:
        return {
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "type": "error",
            "context": self.context,
        }


def invalid(problems: list[Problem], *, prefix: str = "") -> ApiError:
    """400 ``2.0703`` naming every field at fault (``prefix`` is the bulk index)."""
    fields = [{"field": f"{prefix}{where}", "message": message} for where, message in problems]
    return ApiError(400, "2.0703", problems[0][1], {"fields": fields})


def item_not_found(board_id: str, item_id: str) -> ApiError:
    return ApiError(404, "3.0201", "Item not found", {"boardId": {"value": board_id}, "itemId": {"value": item_id}})


def error_response(error: ApiError) -> tuple[int, dict[str, str], bytes]:
    """The wire form of ``error`` (used by the transports too: 413, 500 and 429 injected by a fault plan)."""
    headers = {"Content-Type": "application/json", **error.headers}
    return error.status, headers, json.dumps(error.body()).encode()


def new_state() -> JSON:
    """An empty state: no board yet."""
    return {"format": FORMAT_MARK, "version": FORMAT_VERSION, "next_id": _FIRST_ID, "boards": {}}


def iso_now(clock: Callable[[], float]) -> str:
    return datetime.fromtimestamp(clock(), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Transaction(Protocol):
    """One read-modify-write of the state."""

    state: JSON

    def commit(self) -> None:
        """Mark the state as changed: it is saved when the transaction ends."""


class Backend(Protocol):
    """Where the state lives."""

    def transaction(self) -> Any:
        """A context manager yielding a :class:`Transaction`."""


@dataclass
class _MemoryTransaction:
    state: JSON

    def commit(self) -> None:
        """Nothing to save: the state is the memory."""


@dataclass
class MemoryBackend:
    """The state kept in memory only."""

    state: JSON = field(default_factory=new_state)

    @contextmanager
    def transaction(self) -> Iterator[_MemoryTransaction]:
        yield _MemoryTransaction(self.state)


@dataclass
class _Ctx:
    """What one request handler needs."""

    tx: Any
    board: JSON
    body: Any
    query: Mapping[str, str]
    base: str
    now: str


class BoardEngine:
    """Serves Miro's REST v2 subset from a backend; thread-safe."""

    def __init__(
        self,
        backend: Backend | None = None,
        *,
        token: str | None = None,
        credits_per_minute: int = DEFAULT_CREDITS_PER_MINUTE,
        clock: Callable[[], float] = time.time,
        read_only_tokens: Collection[str] = (),
    ) -> None:
        self.backend: Backend = backend if backend is not None else MemoryBackend()
        self._token = token
        #: Tokens that authenticate but lack ``boards:write`` (as a read-only Miro app token): writes get 403.
        self._read_only = frozenset(read_only_tokens)
        #: Scopes of tokens added with :meth:`add_token` (the main token and read-only ones are implied).
        self._scopes: dict[str, tuple[str, ...]] = {}
        self.credits_per_minute = credits_per_minute
        self._clock = clock
        self._lock = threading.RLock()
        self._spent: deque[tuple[float, int]] = deque()

    def __repr__(self) -> str:  # never show the token
        return f"BoardEngine(backend={self.backend!r}, credits_per_minute={self.credits_per_minute})"

    # --- engine-level operations (not part of Miro's API) ------------------------------------

    def require_token(self, token: str | None) -> None:
        """From now on, accept only ``Bearer <token>`` (None: any non-empty bearer token)."""
        with self._lock:
            self._token = token

    def add_token(self, token: str, scopes: Collection[str] = FULL_SCOPES) -> None:
        """Accept ``token`` too, with these scopes (e.g. ``("boards:read",)`` for a read-only app token)."""
        with self._lock:
            self._scopes[token] = tuple(scopes)

    def token_scopes(self, token: str) -> tuple[str, ...] | None:
        """The scopes of ``token``, or None if the engine does not accept it."""
        with self._lock:
            if token in self._scopes:
                return self._scopes[token]
            if token in self._read_only:
                return (READ_SCOPE,)
            if self._token is None or secrets.compare_digest(token.encode(), self._token.encode()):
                return FULL_SCOPES
            return None

    def create_board(self, name: str = "Plateau GR:IA local", description: str = "") -> str:
        """Create an empty board and return its id."""
        with self._lock, self.backend.transaction() as tx:
            board = new_board(tx.state, name, description, iso_now(self._clock))
            tx.commit()
            return str(board["id"])

    def board_ids(self) -> list[str]:
        """The ids of the boards kept, in creation order."""
        with self._lock, self.backend.transaction() as tx:
            return list(tx.state["boards"])

    def add_member(self, board_id: str, name: str, role: str = "editor") -> str:
        """Add a board member (Miro's REST API cannot: this is for tests and rehearsals); returns its id."""
        if role not in ("viewer", "commenter", "editor", "coowner", "owner"):
            raise ValueError(f"unknown role {role!r}")
        with self._lock, self.backend.transaction() as tx:
            board = tx.state["boards"].get(board_id)
            if board is None:
                raise KeyError(board_id)
            member_id = _next_id(tx.state)
            board["members"].append({"id": member_id, "name": name, "role": role})
            tx.commit()
            return member_id

    # --- the HTTP surface ----------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
        *,
        base_url: str = "",
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one request as Miro would: ``(status, headers, body bytes)``; never raises."""
        with self._lock:
            now = self._clock()
            rate: dict[str, str] = {}
            try:
                if len(body) > MAX_BODY_BYTES:
                    raise ApiError(413, "payloadTooLarge", f"Request body is larger than {MAX_BODY_BYTES} bytes")
                segments = [unquote(s) for s in path.split("?")[0].removeprefix("/").split("/")]
                token = self._authenticate(headers, method.upper(), segments == ["v1", "oauth-token"])
                handler, level, per_item, args = _route(method.upper(), segments, query)
                if handler is _token_info:
                    args = (token,)
                parsed = _parse_body(method.upper(), body)
                cost = LEVEL_COST[level] * (len(parsed) if per_item and isinstance(parsed, list) and parsed else 1)
                rate = self._charge(now, cost)
                base = base_url.rstrip("/")
                status, payload = self._run(handler, segments, args, query, parsed, base, iso_now(self._clock))
            except ApiError as error:
                if not rate:
                    rate = self._rate_headers(now)
                error.headers = {**rate, **error.headers}
                return error_response(error)
            except Exception as exc:  # a bug must still answer like Miro, never with a traceback
                bug = ApiError(500, "internalError", f"Internal error in the local board: {type(exc).__name__}")
                bug.headers = rate or self._rate_headers(now)
                return error_response(bug)
            out_headers = dict(rate)
            if payload is None:
                return status, out_headers, b""
            out_headers["Content-Type"] = "application/json"
            return status, out_headers, json.dumps(payload).encode()

    def _authenticate(self, headers: Mapping[str, str], method: str, token_info: bool) -> str:
        """The bearer token of the request, checked against the engine's tokens and scopes."""
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        scheme, _, token = value.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise ApiError(401, "unauthorized", "No access token provided (expected Authorization: Bearer <token>)")
        scopes = self.token_scopes(token)
        if scopes is None:
            if token_info:  # the spec's one error for GET /v1/oauth-token
                raise ApiError(400, "tokenNotFound", "Invalid token provided")
            raise ApiError(401, "unauthorized", "Invalid access token")
        needed = READ_SCOPE if method in _READ_METHODS else WRITE_SCOPE
        if needed not in scopes and not token_info:
            raise ApiError(403, "insufficientPermissions", f"The access token does not have the {needed} scope")
        return token

    def _window(self, now: float) -> int:
        while self._spent and self._spent[0][0] <= now - 60:
            self._spent.popleft()
        return sum(cost for _, cost in self._spent)

    def _rate_headers(self, now: float) -> dict[str, str]:
        spent = self._window(now)
        reset = self._spent[-1][0] + 60 if self._spent else now  # the window is empty again: full limit back
        return {
            "X-RateLimit-Limit": str(self.credits_per_minute),
            "X-RateLimit-Remaining": str(max(0, self.credits_per_minute - spent)),
            "X-RateLimit-Reset": str(math.ceil(reset)),
        }

    def _charge(self, now: float, cost: int) -> dict[str, str]:
        spent = self._window(now)
        if spent + cost > self.credits_per_minute:
            raise ApiError(429, "tooManyRequests", "Request rate limit exceed")
        self._spent.append((now, cost))
        return self._rate_headers(now)

    def _run(
        self, handler: Handler, segments: list[str], args: tuple[str, ...], query: Mapping[str, str], body: Any,
        base: str, now: str,
    ) -> tuple[int, Any]:  # fmt: skip
        if handler is _token_info:
            return _token_info(self.token_scopes(args[0]) or ())
        with self.backend.transaction() as tx:
            if handler is _create_board:
                return _create_board(tx, body, base, now)
            board = tx.state["boards"].get(segments[2])
            if board is None:
                raise ApiError(404, "notFound", f"Board not found: {segments[2]}", {"boardId": {"value": segments[2]}})
            return handler(_Ctx(tx, board, body, query, base, now), *args)


# --- routing ------------------------------------------------------------------------------------

Handler = Callable[..., tuple[int, Any]]


def _route(method: str, seg: list[str], query: Mapping[str, str]) -> tuple[Handler, int, bool, tuple[str, ...]]:
    """(handler, rate-limit level, charged per bulk item, handler arguments) for a request, or 404/405."""
    if seg == ["v1", "oauth-token"]:
        if method != "GET":
            raise ApiError(405, "methodNotAllowed", f"Method {method} is not allowed here (allowed: GET)")
        return _token_info, 1, False, ()
    if len(seg) < 2 or seg[0] != "v2" or seg[1] != "boards" or any(not s for s in seg[2:]):
        raise _no_route(seg)
    table: dict[str, tuple[Handler, int, bool]]
    args: tuple[str, ...] = tuple(seg[4:])
    n = len(seg)
    if n == 2:
        table = {"POST": (_create_board, 3, False)}
    elif n == 3:
        table = {"GET": (_get_board, 1, False)}
    elif n == 4 and seg[3] == "items":
        table = {"GET": (_list_items, 1 if "tag_id" in query else 2, False)}
    elif n == 5 and seg[3] == "items" and seg[4] == "bulk":
        table = {"POST": (_bulk_create, 2, True)}
        args = ()
    elif n == 5 and seg[3] == "items":
        with_tag = "tag_id" in query
        table = {
            "GET": (_get_item, 1, False),
            "PATCH": (_patch_item, 2, False),
            "DELETE": (_detach_tag, 1, False) if with_tag else (_delete_item, 3, False),
        }
        if with_tag:
            table["POST"] = (_attach_tag, 1, False)
    elif n == 6 and seg[3] == "items" and seg[5] == "tags":
        table = {"GET": (_item_tags, 1, False)}
        args = (seg[4],)
    elif n in (4, 5) and seg[3] in KIND_BY_SEGMENT:
        args = tuple(seg[3:])
        if n == 4:
            table = {"POST": (_create_typed, 2, False)}
        else:
            table = {
                "GET": (_get_typed, 1, False),
                "PATCH": (_patch_typed, 2, False),
                "DELETE": (_delete_typed, 3, False),
            }
    elif n == 4 and seg[3] == "tags":
        table = {"POST": (_create_tag, 1, False), "GET": (_list_tags, 1, False)}
    elif n == 5 and seg[3] == "tags":
        table = {"GET": (_get_tag, 1, False), "PATCH": (_update_tag, 1, False), "DELETE": (_delete_tag, 1, False)}
    elif n == 4 and seg[3] == "members":
        table = {"GET": (_list_members, 1, False)}
    elif n == 5 and seg[3] == "members":
        table = {"GET": (_get_member, 1, False)}
    else:
        raise _no_route(seg)
    if method not in table:
        allowed = ", ".join(sorted(table))
        raise ApiError(405, "methodNotAllowed", f"Method {method} is not allowed here (allowed: {allowed})")
    handler, level, per_item = table[method]
    return handler, level, per_item, args


def _no_route(seg: list[str]) -> ApiError:
    return ApiError(404, "notFound", f"No such endpoint: /{'/'.join(seg)}")


def _parse_body(method: str, body: bytes) -> Any:
    if method not in ("POST", "PATCH", "PUT") or not body.strip():
        return None
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ApiError(400, "2.0703", "Malformed JSON in the request body", {"fields": []}) from None


def _require_body(body: Any) -> Any:
    if body is None:
        raise ApiError(400, "2.0703", "Request body is required", {"fields": []})
    return body


# --- ids, boards, links ---------------------------------------------------------------------------


def _next_id(state: JSON) -> str:
    value = int(state["next_id"])
    state["next_id"] = value + 1
    return str(value)


def _new_board_id(state: JSON) -> str:
    while True:
        candidate = "uXjV" + "".join(secrets.choice(_BOARD_ID_ALPHABET) for _ in range(7)) + "="
        if candidate not in state["boards"]:
            return candidate


def _token_info(scopes: Collection[str]) -> tuple[int, Any]:
    """``GET /v1/oauth-token``: who the token belongs to and what it may do (never the token itself)."""
    user = {"type": "user", "name": LOCAL_USER_NAME, "id": LOCAL_USER_ID}
    return 200, {
        "type": "token",
        "organization": {"type": "organization", "name": LOCAL_ORGANIZATION_NAME, "id": LOCAL_ORGANIZATION_ID},
        "team": {"type": "team", "name": LOCAL_TEAM_NAME, "id": LOCAL_TEAM_ID},
        "createdBy": dict(user),
        "user": dict(user),
        "scopes": list(scopes),
    }


def _user() -> JSON:
    return {"id": LOCAL_USER_ID, "type": "user"}


def new_board(state: JSON, name: str, description: str, now: str) -> JSON:
    board: JSON = {
        "id": _new_board_id(state),
        "name": name,
        "description": description,
        "createdAt": now,
        "modifiedAt": now,
        "items": {},
        "tags": {},
        "item_tags": {},
        "members": [{"id": LOCAL_USER_ID, "name": LOCAL_USER_NAME, "role": "owner"}],
    }
    state["boards"][board["id"]] = board
    return board


def _board_url(base: str, board_id: str) -> str:
    return f"{base}/v2/boards/{quote(board_id, safe='')}"


def _board_json(board: JSON, base: str) -> JSON:
    return {
        "id": board["id"],
        "type": "board",
        "name": board["name"],
        "description": board["description"],
        "viewLink": f"{base}/app/board/{board['id']}",
        "owner": {"id": LOCAL_USER_ID, "name": LOCAL_USER_NAME, "type": "user"},
        "createdAt": board["createdAt"],
        "createdBy": {**_user(), "name": LOCAL_USER_NAME},
        "modifiedAt": board["modifiedAt"],
        "modifiedBy": {**_user(), "name": LOCAL_USER_NAME},
        "links": {"self": _board_url(base, board["id"]), "related": f"{_board_url(base, board['id'])}/members"},
    }


def _create_board(tx: Any, body: Any, base: str, now: str) -> tuple[int, Any]:
    body = {} if body is None else body
    problems = schemas.validate(schemas.BOARD_CREATE, body)
    if problems:
        raise invalid(problems)
    board = new_board(tx.state, body.get("name", "Untitled"), body.get("description", ""), now)
    tx.commit()
    return 201, _board_json(board, base)


def _get_board(ctx: _Ctx) -> tuple[int, Any]:
    return 200, _board_json(ctx.board, ctx.base)


# --- items: reading ------------------------------------------------------------------------------


def _item_url(ctx_base: str, board_id: str, item: JSON) -> str:
    return f"{_board_url(ctx_base, board_id)}/{KINDS[item['type']].segment}/{item['id']}"


def item_json(board: JSON, item: JSON, base: str) -> JSON:
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
        "links": {"self": _item_url(base, board["id"], item)},
        "createdAt": item["createdAt"],
        "createdBy": _user(),
        "modifiedAt": item["modifiedAt"],
        "modifiedBy": _user(),
    }
    if item["type"] == "app_card":
        out["data"]["owned"] = True
    if item["type"] == "frame":
        out["links"]["related"] = f"{_board_url(base, board['id'])}/items?parent_item_id={item['id']}"
    parent_id = item.get("parent")
    if parent_id:
        parent = board["items"][parent_id]
        out["parent"] = {"id": parent_id, "links": {"self": _item_url(base, board["id"], parent)}}
    return out


def _find(ctx: _Ctx, item_id: str, kind: str | None = None) -> JSON:
    item = ctx.board["items"].get(item_id)
    if item is None or (kind is not None and item["type"] != kind):
        raise item_not_found(ctx.board["id"], item_id)
    return dict(item)


def _get_item(ctx: _Ctx, item_id: str) -> tuple[int, Any]:
    return 200, item_json(ctx.board, _find(ctx, item_id), ctx.base)


def _get_typed(ctx: _Ctx, segment: str, item_id: str) -> tuple[int, Any]:
    return 200, item_json(ctx.board, _find(ctx, item_id, KIND_BY_SEGMENT[segment].type), ctx.base)


def _int_param(query: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise invalid([(name, f"Parameter [{name}] must be an integer {bounds}")])
    return value


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


def _list_items(ctx: _Ctx) -> tuple[int, Any]:
    if "tag_id" in ctx.query:
        return _items_by_tag(ctx)
    limit = _int_param(ctx.query, "limit", 10, 10, 50)
    items = sorted(ctx.board["items"].values(), key=lambda it: int(it["id"]))
    wanted_type = ctx.query.get("type")
    if wanted_type is not None:
        if wanted_type not in _LIST_TYPES:
            raise invalid([("type", f"Parameter [type] has an unexpected value [{wanted_type}]")])
        items = [it for it in items if it["type"] == wanted_type]
    parent_id = ctx.query.get("parent_item_id")
    if parent_id is not None:
        parent = ctx.board["items"].get(parent_id)
        if parent is None:
            raise item_not_found(ctx.board["id"], parent_id)
        items = [it for it in items if it.get("parent") == parent_id]
    total = len(items)
    cursor = ctx.query.get("cursor")
    if cursor:
        after = _decode_cursor(cursor)
        items = [it for it in items if int(it["id"]) > after]
    page, more = items[:limit], len(items) > limit
    base_query = {k: v for k, v in ctx.query.items() if k != "cursor"}
    url = f"{_board_url(ctx.base, ctx.board['id'])}/items"
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


def _offset_page(ctx: _Ctx, rows: list[JSON], url: str, default_limit: int) -> JSON:
    limit = _int_param(ctx.query, "limit", default_limit, 1, 50)
    offset = _int_param(ctx.query, "offset", 0, 0, None)
    page = rows[offset : offset + limit]
    links = {"self": f"{url}?{urlencode({'limit': limit, 'offset': offset})}"}
    if offset + limit < len(rows):
        links["next"] = f"{url}?{urlencode({'limit': limit, 'offset': offset + limit})}"
    if offset > 0:
        links["prev"] = f"{url}?{urlencode({'limit': limit, 'offset': max(0, offset - limit)})}"
    return {
        "type": "paged-list",
        "data": page,
        "total": len(rows),
        "size": len(page),
        "offset": offset,
        "limit": limit,
        "links": links,
    }


def _items_by_tag(ctx: _Ctx) -> tuple[int, Any]:
    tag_id = ctx.query["tag_id"]
    if tag_id not in ctx.board["tags"]:
        raise _tag_not_found(ctx, tag_id)
    items = sorted(
        (it for it in ctx.board["items"].values() if tag_id in ctx.board["item_tags"].get(it["id"], [])),
        key=lambda it: int(it["id"]),
    )
    rows = [item_json(ctx.board, it, ctx.base) for it in items]
    return 200, _offset_page(ctx, rows, f"{_board_url(ctx.base, ctx.board['id'])}/items", 20)


# --- items: geometry and placement -----------------------------------------------------------------


def _font_size(style: JSON) -> float:
    return float(style.get("fontSize", "14"))


def _text_height(content: str, width: float, font_size: float) -> float:
    plain = _TAG_RE.sub("", content)
    chars_per_line = max(1, int(width / (font_size * 0.55)))
    lines = max(1, math.ceil(len(plain) / chars_per_line)) + content.count("<br") + max(0, content.count("<p") - 1)
    return round(lines * font_size * 1.4, 2)


def _pick(sent: JSON, current: JSON | None, name: str, default: float) -> float:
    """The value sent for ``name``, else the current one, else the default."""
    if name in sent:
        return float(sent[name])
    if current is not None and name in current:
        return float(current[name])
    return default


def _geometry(item_type: str, data: JSON, style: JSON, sent: JSON, current: JSON | None) -> tuple[JSON, list[Problem]]:
    """The stored geometry of an item after a create (``current`` None) or an update."""
    problems: list[Problem] = []
    for name in ("width", "height"):
        if name in sent and sent[name] <= 0:
            problems.append((f"geometry.{name}", f"Field [geometry.{name}] must be greater than 0"))
    if problems:
        return {}, problems
    rotation = _pick(sent, current, "rotation", 0.0)
    if item_type == "sticky_note":
        if "width" in sent and "height" in sent:
            return {}, [("geometry", "Only one of width or height can be set for a sticky note")]
        ratio_w, ratio_h = _STICKY_SIZE[data.get("shape", "square")]
        if "height" in sent:
            width = float(sent["height"]) * ratio_w / ratio_h
        else:
            width = _pick(sent, current, "width", ratio_w)
        return {"width": round(width, 2), "height": round(width * ratio_h / ratio_w, 2)}, []
    if item_type == "text":
        width = _pick(sent, current, "width", 320.0)
        if width < 1.7 * _font_size(style):
            return {}, [("geometry.width", "Field [geometry.width] must be at least 1.7 times the font size")]
        height = _text_height(data.get("content", ""), width, _font_size(style))
        return {"width": width, "height": height, "rotation": rotation}, []
    default_w, default_h = _DEFAULT_SIZE[item_type]
    width = _pick(sent, current, "width", default_w)
    if item_type in ("card", "app_card"):
        return {"width": width, "height": float(round(width * _CARD_RATIO)), "rotation": rotation}, []
    height = _pick(sent, current, "height", default_h)
    if item_type == "frame":
        if width < 100 or height < 100:
            return {}, [("geometry", "A frame must be at least 100 x 100")]
        return {"width": width, "height": height}, []
    return {"width": width, "height": height, "rotation": rotation}, []


def _absolute(board: JSON, item: JSON) -> tuple[float, float]:
    """Centre of ``item`` relative to the canvas centre."""
    x, y = float(item["position"]["x"]), float(item["position"]["y"])
    parent_id = item.get("parent")
    if parent_id:
        px, py = _absolute(board, board["items"][parent_id])
        frame = board["items"][parent_id]["geometry"]
        return px - frame["width"] / 2 + x, py - frame["height"] / 2 + y
    return x, y


def _inside(frame: JSON, x: float, y: float) -> bool:
    return bool(0 <= x <= frame["geometry"]["width"] and 0 <= y <= frame["geometry"]["height"])


def _outside_parent(prefix: str = "") -> ApiError:
    return invalid([("position", "new position is outside of parent boundaries")], prefix=prefix)


def _place(
    board: JSON, item: JSON, body: JSON, *, creating: bool, pending: dict[str, JSON] | None = None, prefix: str = ""
) -> None:
    """Set ``item['parent']`` and ``item['position']`` from a request body (frames are never children)."""
    old_parent = item.get("parent")
    parent_id = old_parent
    if "parent" in body:
        if item["type"] == "frame":
            raise invalid([("parent", "Field [parent] is not supported: frames cannot have a parent")], prefix=prefix)
        sent_parent = body["parent"]
        if not isinstance(sent_parent, dict):  # the schemas refuse it first; never let it become a 500
            raise invalid([("parent", "Field [parent] must be an object")], prefix=prefix)
        parent_id = sent_parent.get("id")
        if parent_id is None:
            raise invalid([("parent.id", "Field [parent.id] is required")], prefix=prefix)
        parent = (pending or {}).get(parent_id) or board["items"].get(parent_id)
        if parent is None or parent["type"] != "frame":
            raise invalid([("parent.id", f"Parent item {parent_id} is not a frame of this board")], prefix=prefix)
    sent = body.get("position")
    if creating:
        position = {"x": float((sent or {}).get("x", 0)), "y": float((sent or {}).get("y", 0))}
    elif sent is not None:
        current = item["position"]
        if parent_id != old_parent:  # a coordinate left out is kept where the item is, seen from the new frame
            current = _relative_to(board, item, parent_id)
        position = {"x": float(sent.get("x", current["x"])), "y": float(sent.get("y", current["y"]))}
    elif parent_id != old_parent:
        position = _relative_to(board, item, parent_id)
    else:
        return
    if parent_id:
        frame = (pending or {}).get(parent_id) or board["items"][parent_id]
        if not _inside(frame, position["x"], position["y"]):
            raise _outside_parent(prefix)
    item["parent"] = parent_id
    item["position"] = position


def _relative_to(board: JSON, item: JSON, parent_id: str | None) -> JSON:
    ax, ay = _absolute(board, item)
    if not parent_id:
        return {"x": ax, "y": ay}
    frame = board["items"][parent_id]
    fx, fy = _absolute(board, frame)
    return {"x": ax - (fx - frame["geometry"]["width"] / 2), "y": ay - (fy - frame["geometry"]["height"] / 2)}


def _lower_hex(style: JSON) -> JSON:
    return {k: v.lower() if isinstance(v, str) and v.startswith("#") else v for k, v in style.items()}


def _build_item(board: JSON, item_type: str, body: JSON, now: str, pending: dict[str, JSON], prefix: str) -> JSON:
    """A new item from a validated create body (no id yet; the board is not changed)."""
    data = {**_DEFAULT_DATA[item_type], **body.get("data", {})}
    style = _lower_hex({**_DEFAULT_STYLE[item_type], **body.get("style", {})})
    geometry, problems = _geometry(item_type, data, style, body.get("geometry", {}), None)
    if problems:
        raise invalid(problems, prefix=prefix)
    item: JSON = {
        "id": "",
        "type": item_type,
        "data": data,
        "style": style,
        "geometry": geometry,
        "parent": None,
        "position": {"x": 0.0, "y": 0.0},
        "createdAt": now,
        "modifiedAt": now,
    }
    _place(board, item, body, creating=True, pending=pending, prefix=prefix)
    return item


def _check(schema: schemas.Obj, body: Any, prefix: str = "") -> JSON:
    problems = schemas.validate(schema, _require_body(body))
    if problems:
        raise invalid(problems, prefix=prefix)
    assert isinstance(body, dict)
    return body


# --- items: writing ------------------------------------------------------------------------------


def _create_typed(ctx: _Ctx, segment: str) -> tuple[int, Any]:
    kind = KIND_BY_SEGMENT[segment]
    body = _check(kind.create, ctx.body)
    item = _build_item(ctx.board, kind.type, body, ctx.now, {}, "")
    item["id"] = _next_id(ctx.tx.state)
    ctx.board["items"][item["id"]] = item
    ctx.tx.commit()
    return 201, item_json(ctx.board, item, ctx.base)


def _bulk_create(ctx: _Ctx) -> tuple[int, Any]:
    """Validate every element first, then create them all (transactional, ids in array order)."""
    body = _require_body(ctx.body)
    if not isinstance(body, list):
        raise invalid([("body", "The request body must be a JSON array of items")])
    if not body:
        raise invalid([("body", "At least 1 item must be given")])
    if len(body) > BULK_MAX_ITEMS:
        raise invalid([("body", f"At most {BULK_MAX_ITEMS} items could be created with a single request")])
    built: list[JSON] = []
    for index, element in enumerate(body):
        prefix = f"{index}."
        item_type = element.get("type") if isinstance(element, dict) else None
        if item_type not in KINDS:
            message = (
                f"Item type [{item_type}] is not supported by the local board"
                if item_type in schemas.BULK_UNSERVED_TYPES
                else f"Field [type] has an unexpected value [{item_type}]"
            )
            raise invalid([("type", message)], prefix=prefix)
        checked = _check(schemas.bulk_element(item_type), element, prefix)
        # children in a bulk call refer to frames that already exist (ids are unknown before the call)
        built.append(_build_item(ctx.board, item_type, checked, ctx.now, {}, prefix))
    for item in built:
        item["id"] = _next_id(ctx.tx.state)
        ctx.board["items"][item["id"]] = item
    ctx.tx.commit()
    return 201, {"type": "bulk-list", "data": [item_json(ctx.board, it, ctx.base) for it in built]}


def _update(ctx: _Ctx, item: JSON, body: JSON) -> tuple[int, Any]:
    item_type = item["type"]
    data = {**item["data"], **body.get("data", {})}
    style = _lower_hex({**item["style"], **body.get("style", {})})
    sent_geometry = body.get("geometry", {})
    geometry = item["geometry"]
    if sent_geometry or item_type in ("text", "sticky_note"):
        geometry, problems = _geometry(item_type, data, style, sent_geometry, item["geometry"])
        if problems:
            raise invalid(problems)
    updated = {**item, "data": data, "style": style, "geometry": geometry, "modifiedAt": ctx.now}
    if item_type == "frame" and sent_geometry:
        children = [it for it in ctx.board["items"].values() if it.get("parent") == item["id"]]
        if any(not _inside(updated, c["position"]["x"], c["position"]["y"]) for c in children):
            raise invalid([("geometry", "new size would leave a child outside of the frame boundaries")])
    _place(ctx.board, updated, body, creating=False)
    ctx.board["items"][item["id"]] = updated
    ctx.tx.commit()
    return 200, item_json(ctx.board, updated, ctx.base)


def _patch_typed(ctx: _Ctx, segment: str, item_id: str) -> tuple[int, Any]:
    kind = KIND_BY_SEGMENT[segment]
    item = _find(ctx, item_id, kind.type)
    return _update(ctx, item, _check(kind.update, ctx.body))


def _patch_item(ctx: _Ctx, item_id: str) -> tuple[int, Any]:
    item = _find(ctx, item_id)
    return _update(ctx, item, _check(schemas.GENERIC_UPDATE, ctx.body))


def _delete(ctx: _Ctx, item: JSON) -> tuple[int, Any]:
    board = ctx.board
    if item["type"] == "frame":  # children are detached to the canvas, keeping their absolute position
        for child in [it for it in board["items"].values() if it.get("parent") == item["id"]]:
            board["items"][child["id"]] = {
                **child,
                "position": _relative_to(board, child, None),
                "parent": None,
                "modifiedAt": ctx.now,
            }
    del board["items"][item["id"]]
    board["item_tags"].pop(item["id"], None)
    ctx.tx.commit()
    return 204, None


def _delete_item(ctx: _Ctx, item_id: str) -> tuple[int, Any]:
    return _delete(ctx, _find(ctx, item_id))


def _delete_typed(ctx: _Ctx, segment: str, item_id: str) -> tuple[int, Any]:
    return _delete(ctx, _find(ctx, item_id, KIND_BY_SEGMENT[segment].type))


# --- tags ----------------------------------------------------------------------------------------


def _tag_not_found(ctx: _Ctx, tag_id: str) -> ApiError:
    return ApiError(404, "notFound", f"Tag not found: {tag_id}", {"tagId": {"value": tag_id}})


def _tag_json(ctx: _Ctx, tag: JSON) -> JSON:
    url = f"{_board_url(ctx.base, ctx.board['id'])}/tags/{tag['id']}"
    return {
        "id": tag["id"],
        "title": tag["title"],
        "fillColor": tag["fillColor"],
        "type": "tag",
        "links": {"self": url},
    }


def _unique_title(ctx: _Ctx, title: str, except_id: str | None = None) -> None:
    if any(t["title"] == title and t["id"] != except_id for t in ctx.board["tags"].values()):
        raise invalid([("title", f"A tag titled [{title}] already exists on this board")])


def _create_tag(ctx: _Ctx) -> tuple[int, Any]:
    body = _check(schemas.TAG_CREATE, ctx.body)
    _unique_title(ctx, body["title"])
    tag = {"id": _next_id(ctx.tx.state), "title": body["title"], "fillColor": body.get("fillColor", "red")}
    ctx.board["tags"][tag["id"]] = tag
    ctx.tx.commit()
    return 201, _tag_json(ctx, tag)


def _list_tags(ctx: _Ctx) -> tuple[int, Any]:
    rows = [_tag_json(ctx, t) for t in sorted(ctx.board["tags"].values(), key=lambda t: int(t["id"]))]
    return 200, _offset_page(ctx, rows, f"{_board_url(ctx.base, ctx.board['id'])}/tags", 20)


def _get_tag(ctx: _Ctx, tag_id: str) -> tuple[int, Any]:
    tag = ctx.board["tags"].get(tag_id)
    if tag is None:
        raise _tag_not_found(ctx, tag_id)
    return 200, _tag_json(ctx, tag)


def _update_tag(ctx: _Ctx, tag_id: str) -> tuple[int, Any]:
    tag = ctx.board["tags"].get(tag_id)
    if tag is None:
        raise _tag_not_found(ctx, tag_id)
    body = _check(schemas.TAG_UPDATE, ctx.body)
    if "title" in body:
        _unique_title(ctx, body["title"], tag_id)
    ctx.board["tags"][tag_id] = {**tag, **body}
    ctx.tx.commit()
    return 200, _tag_json(ctx, ctx.board["tags"][tag_id])


def _delete_tag(ctx: _Ctx, tag_id: str) -> tuple[int, Any]:
    if tag_id not in ctx.board["tags"]:
        raise _tag_not_found(ctx, tag_id)
    del ctx.board["tags"][tag_id]
    for item_id, tag_ids in list(ctx.board["item_tags"].items()):
        ctx.board["item_tags"][item_id] = [t for t in tag_ids if t != tag_id]
    ctx.tx.commit()
    return 204, None


def _tag_for_link(ctx: _Ctx, item_id: str) -> tuple[JSON, str]:
    item = _find(ctx, item_id)
    tag_id = ctx.query["tag_id"]
    if tag_id not in ctx.board["tags"]:
        raise _tag_not_found(ctx, tag_id)
    return item, tag_id


def _attach_tag(ctx: _Ctx, item_id: str) -> tuple[int, Any]:
    item, tag_id = _tag_for_link(ctx, item_id)
    if item["type"] not in _TAGGABLE:
        raise invalid([("item_id", f"Tags can only be attached to cards and sticky notes, not to a {item['type']}")])
    links = ctx.board["item_tags"].setdefault(item_id, [])
    if tag_id not in links:
        if len(links) >= MAX_TAGS_PER_ITEM:
            raise invalid([("tag_id", f"An item can carry at most {MAX_TAGS_PER_ITEM} tags")])
        links.append(tag_id)
        ctx.tx.commit()
    return 204, None


def _detach_tag(ctx: _Ctx, item_id: str) -> tuple[int, Any]:
    _, tag_id = _tag_for_link(ctx, item_id)
    links = ctx.board["item_tags"].get(item_id, [])
    if tag_id in links:
        links.remove(tag_id)
        ctx.tx.commit()
    return 204, None


def _item_tags(ctx: _Ctx, item_id: str) -> tuple[int, Any]:
    _find(ctx, item_id)
    tags = [ctx.board["tags"][t] for t in ctx.board["item_tags"].get(item_id, []) if t in ctx.board["tags"]]
    return 200, {"tags": [_tag_json(ctx, t) for t in tags]}


# --- members -------------------------------------------------------------------------------------


def _member_json(member: JSON) -> JSON:
    return {"id": member["id"], "name": member["name"], "role": member["role"], "type": "board_member"}


def _list_members(ctx: _Ctx) -> tuple[int, Any]:
    rows = [_member_json(m) for m in ctx.board["members"]]
    return 200, _offset_page(ctx, rows, f"{_board_url(ctx.base, ctx.board['id'])}/members", 20)


def _get_member(ctx: _Ctx, member_id: str) -> tuple[int, Any]:
    for member in ctx.board["members"]:
        if member["id"] == member_id:
            return 200, _member_json(member)
    raise ApiError(404, "notFound", f"Board member not found: {member_id}", {"memberId": {"value": member_id}})
