"""The request as a handler of the local board sees it, and the checks every handler shares.

One responsibility: carry one request's transaction, board, body, query and clock (:class:`Ctx`),
and read its parts as Miro does: a required body, a body checked against a spec schema, integer
query parameters within bounds, offset paging (``paged-list``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from gria_miro.localboard import schemas
from gria_miro.localboard.apierror import ApiError, bad_request, invalid
from gria_miro.localboard.records import JSON, StoredBoard
from gria_miro.localboard.storage import Transaction


@dataclass
class Ctx:
    """What one request handler needs."""

    tx: Transaction
    #: the board named by the path (``None`` for routes outside a board)
    board_or_none: StoredBoard | None
    body: Any
    query: Mapping[str, str]
    #: the base URL of links in answers (``https://api.miro.com`` for Miro)
    base: str
    now: str
    #: the scopes of the request's token
    scopes: tuple[str, ...] = ()

    @property
    def board(self) -> StoredBoard:
        assert self.board_or_none is not None, "a board route without a board"
        return self.board_or_none

    @property
    def board_id(self) -> str:
        return self.board["id"]


def board_url(base: str, board_id: str) -> str:
    return f"{base}/v2/boards/{quote(board_id, safe='')}"


def require_body(body: Any) -> Any:
    if body is None:
        raise bad_request("Request body is required")
    return body


def check(schema: schemas.Obj, body: Any, prefix: str = "") -> JSON:
    """``body`` if the schema accepts it, else 400 naming every field at fault."""
    problems = schemas.validate(schema, require_body(body))
    if problems:
        raise invalid(problems, prefix=prefix)
    assert isinstance(body, dict)
    return body


def int_param(query: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    """An integer query parameter within bounds (400 otherwise)."""
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


def offset_page(ctx: Ctx, rows: list[JSON], url: str, default_limit: int) -> JSON:
    """One ``paged-list`` page of ``rows`` (``limit``/``offset`` query parameters)."""
    limit = int_param(ctx.query, "limit", default_limit, 1, 50)
    offset = int_param(ctx.query, "offset", 0, 0, None)
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


Answer = tuple[int, Any]


def not_found(what: str, key: str, value: str) -> ApiError:
    """404 ``notFound`` for a board, tag or member (items have their own code, ``3.0201``)."""
    return ApiError(404, "notFound", f"{what} not found: {value}", {key: {"value": value}})
