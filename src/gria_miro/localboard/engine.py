"""The local board engine: Miro's REST API v2 subset that gria-miro uses, answered from a store.

One responsibility: answer ``handle(method, path, query, headers, body)`` exactly as Miro would, for
boards, items (frame, card, app_card, sticky_note, shape, text), tags, item-tag links, members and
token information: check the body size and the token (and its scopes), find the route, charge the
credits, run the handler in one store transaction, and turn any error into Miro's error format.
A lock makes the engine safe to share between threads.

The concerns live in their own modules: Miro's error format (:mod:`.apierror`), stored records
(:mod:`.records`), the store transaction protocol and the memory store (:mod:`.storage`; the JSON
file and SQLite stores in :mod:`.store`), placement rules (:mod:`.placement`), items, tags and
boards (:mod:`.items`, :mod:`.tags`, :mod:`.boards`), credits (:mod:`.ratelimit`) and the route
table (:mod:`.routes`). The choices below are the engine's, whichever module applies them.

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
  ``tokenNotProvided``/``tokenNotFound`` (401), ``payloadTooLarge`` (413), ``tooManyRequests`` (429).
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
  board), any non-empty bearer token is accepted. Missing → 401 ``tokenNotProvided``, unknown → 401
  ``tokenNotFound`` (the codes of Miro's error reference, https://developers.miro.com/reference/errors).
- **Not found**: an item → 404 ``3.0201`` (observed, notes §3); a board, tag, member or route → 404
  ``notFound``, the code Miro's error reference gives for "the requested resource is not found" (no
  source shows another code for them).
- **Request bodies** must be declared ``Content-Type: application/json`` (the spec's only request
  media type); any other (``text/plain``, none) → 415 ``unsupportedMediaType``, before the body is read
  as JSON (the status a Spring-style server gives; Miro's exact code is UNCONFIRMED).
- **Rich text** keeps only the tags of Miro's allow-lists (:mod:`.richtext`); others are stripped.
- **Timestamps** carry milliseconds, as the spec's examples do (``2022-03-30T17:26:50.000Z``).
- **Frames in bulk**: ``items/bulk`` refuses ``type: frame`` (400 ``2.0703`` at ``N.type``): the spec's
  bulk ``ItemDataCreate`` has no frame member, so frames are created by ``POST /frames``, which the
  spec fully specifies (docs/miro-choices.md).
- **HEAD** is answered as GET without a body. **List boards** (``GET /v2/boards``) pages by offset,
  ``type: "list"``.
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

import json
import secrets
import threading
import time
from collections.abc import Callable, Collection, Mapping
from typing import Any

from gria_miro.localboard.apierror import ApiError, bad_request, error_response, invalid, item_not_found
from gria_miro.localboard.boards import board_not_found, new_board, new_member
from gria_miro.localboard.context import Ctx
from gria_miro.localboard.items import BULK_MAX_ITEMS, item_json
from gria_miro.localboard.ratelimit import DEFAULT_CREDITS_PER_MINUTE, LEVEL_COST, CreditWindow, cost
from gria_miro.localboard.records import (
    FORMAT_MARK,
    FORMAT_VERSION,
    JSON,
    LOCAL_USER_ID,
    LOCAL_USER_NAME,
    iso_now,
    new_state,
)
from gria_miro.localboard.routes import Match, path_segments, resolve
from gria_miro.localboard.storage import Backend, MemoryBackend, Transaction
from gria_miro.localboard.tags import MAX_TAGS_PER_ITEM

__all__ = [
    "BULK_MAX_ITEMS",
    "DEFAULT_CREDITS_PER_MINUTE",
    "FORMAT_MARK",
    "FORMAT_VERSION",
    "FULL_SCOPES",
    "JSON",
    "LEVEL_COST",
    "LOCAL_USER_ID",
    "LOCAL_USER_NAME",
    "MAX_BODY_BYTES",
    "MAX_TAGS_PER_ITEM",
    "READ_SCOPE",
    "WRITE_SCOPE",
    "ApiError",
    "Backend",
    "BoardEngine",
    "MemoryBackend",
    "Transaction",
    "error_response",
    "invalid",
    "iso_now",
    "item_json",
    "item_not_found",
    "new_state",
]

MAX_BODY_BYTES = 1_000_000
READ_SCOPE = "boards:read"
WRITE_SCOPE = "boards:write"
FULL_SCOPES: tuple[str, ...] = (READ_SCOPE, WRITE_SCOPE)
_READ_METHODS = ("GET", "HEAD")
_TOKEN_INFO = ["v1", "oauth-token"]


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
        self._credits = CreditWindow(credits_per_minute)
        self._clock = clock
        self._lock = threading.RLock()

    def __repr__(self) -> str:  # never show the token
        return f"BoardEngine(backend={self.backend!r}, credits_per_minute={self.credits_per_minute})"

    @property
    def credits_per_minute(self) -> int:
        return self._credits.credits_per_minute

    @credits_per_minute.setter
    def credits_per_minute(self, value: int) -> None:
        self._credits.credits_per_minute = value

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
            return new_board(tx, name, description, iso_now(self._clock))["id"]

    def board_ids(self) -> list[str]:
        """The ids of the boards kept, in creation order."""
        with self._lock, self.backend.transaction() as tx:
            return tx.board_ids()

    def add_member(self, board_id: str, name: str, role: str = "editor") -> str:
        """Add a board member (Miro's REST API cannot: this is for tests and rehearsals); returns its id."""
        if role not in ("viewer", "commenter", "editor", "coowner", "owner"):
            raise ValueError(f"unknown role {role!r}")
        with self._lock, self.backend.transaction() as tx:
            if tx.board(board_id) is None:
                raise KeyError(board_id)
            return new_member(tx, board_id, name, role)["id"]

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
        metered: bool = True,
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one request as Miro would: ``(status, headers, body bytes)``; never raises.

        ``metered=False``: a participant's action from the web board (as in Miro's own UI, not its REST API):
        no credits charged.
        """
        method = method.upper()
        # What needs no shared state (path, body, route) is read before the lock, and the answer is encoded
        # after it: the lock is held only for credits and the store transaction (reads of a big board then
        # delay a room's moves less).
        rate: dict[str, str] = {}
        now = self._clock()
        try:
            try:
                if len(body) > MAX_BODY_BYTES:
                    raise ApiError(413, "payloadTooLarge", f"Request body is larger than {MAX_BODY_BYTES} bytes")
                segments = path_segments(path)
                scopes = self._authenticate(headers, method, token_info=segments == _TOKEN_INFO)
                match = resolve(method, segments, query)
                parsed = _parse_body(method, body, headers)
                spent = cost(match.route.level, match.route.per_item, parsed)
                with self._lock:
                    now = self._clock()
                    rate = self._credits.charge(now, spent) if metered else self._credits.headers(now)
                    status, payload = self._run(match, query, parsed, base_url.rstrip("/"), scopes)
            except ApiError as error:
                if not rate:
                    with self._lock:
                        rate = self._credits.headers(now)
                error.headers = {**rate, **error.headers}
                return error_response(error)
            out_headers = dict(rate)
            if payload is None:
                return status, out_headers, b""
            out_headers["Content-Type"] = "application/json"
            if method == "HEAD":  # the headers of the GET, no body
                return status, out_headers, b""
            return status, out_headers, json.dumps(payload).encode()  # fresh values: safe outside the lock
        except Exception as exc:  # a bug must still answer like Miro, never with a traceback
            bug = ApiError(500, "internalError", f"Internal error in the local board: {type(exc).__name__}")
            if not rate:
                with self._lock:
                    rate = self._credits.headers(now)
            bug.headers = rate
            return error_response(bug)

    def _authenticate(self, headers: Mapping[str, str], method: str, *, token_info: bool) -> tuple[str, ...]:
        """The scopes of the request's bearer token, checked against what the method needs."""
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        scheme, _, token = value.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise ApiError(401, "tokenNotProvided", "No authorization data was found on the request")
        scopes = self.token_scopes(token)
        if scopes is None:
            if token_info:  # the spec's one error for GET /v1/oauth-token
                raise ApiError(400, "tokenNotFound", "Invalid token provided")
            raise ApiError(401, "tokenNotFound", "The access token does not exist")
        needed = READ_SCOPE if method in _READ_METHODS else WRITE_SCOPE
        if needed not in scopes and not token_info:
            raise ApiError(403, "insufficientPermissions", f"The access token does not have the {needed} scope")
        return scopes

    def _run(self, match: Match, query: Mapping[str, str], body: Any, base: str, scopes: tuple[str, ...]) -> Any:
        with self.backend.transaction() as tx:
            board = None
            if match.board_id is not None:
                board = tx.board(match.board_id)
                if board is None:
                    raise board_not_found(match.board_id)
            ctx = Ctx(tx, board, body, query, base, iso_now(self._clock), scopes)
            return match.route.handler(ctx, *match.args)


def _parse_body(method: str, body: bytes, headers: Mapping[str, str]) -> Any:
    """The JSON body of a write, or None; a body that is not declared ``application/json`` gets 415."""
    if method not in ("POST", "PATCH", "PUT") or not body.strip():
        return None
    declared = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    media_type = declared.split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        shown = media_type or "none"
        raise ApiError(415, "unsupportedMediaType", f"Content type [{shown}] is not supported, use application/json")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise bad_request("Malformed JSON in the request body") from None
