"""Boards, members and token information on the local board.

One responsibility: the handlers of ``POST``/``GET /v2/boards[/{id}]``, the board members
(``GET …/members[/{id}]``; Miro's REST API cannot add one, :meth:`BoardEngine.add_member` does) and
``GET /v1/oauth-token`` (the spec's ``token-info`` shape; the top-level ``type`` has no value in the
spec, the board says ``"token"``; the token itself is never echoed).
"""

from __future__ import annotations

from gria_miro.localboard import schemas
from gria_miro.localboard.apierror import invalid
from gria_miro.localboard.context import Answer, Ctx, board_url, int_param, not_found, offset_page
from gria_miro.localboard.items import user_ref
from gria_miro.localboard.records import (
    JSON,
    LOCAL_USER_ID,
    LOCAL_USER_NAME,
    StoredBoard,
    StoredMember,
    board_record,
    new_board_id,
)
from gria_miro.localboard.storage import Transaction

LOCAL_TEAM_ID = "3458764500000000002"
LOCAL_TEAM_NAME = "Équipe locale"
LOCAL_ORGANIZATION_ID = "3458764500000000003"
LOCAL_ORGANIZATION_NAME = "Tableau local gria-miro"
MEMBER_ROLES = ("viewer", "commenter", "editor", "coowner", "owner")


def new_board(tx: Transaction, name: str, description: str, now: str) -> StoredBoard:
    """Create and store an empty board."""
    taken = set(tx.board_ids())
    board = board_record(new_board_id(taken.__contains__), name, description, now)
    tx.add_board(board)
    return board


def board_json(board: StoredBoard, base: str) -> JSON:
    return {
        "id": board["id"],
        "type": "board",
        "name": board["name"],
        "description": board["description"],
        "viewLink": f"{base}/app/board/{board['id']}",
        "owner": {"id": LOCAL_USER_ID, "name": LOCAL_USER_NAME, "type": "user"},
        "createdAt": board["createdAt"],
        "createdBy": {**user_ref(), "name": LOCAL_USER_NAME},
        "modifiedAt": board["modifiedAt"],
        "modifiedBy": {**user_ref(), "name": LOCAL_USER_NAME},
        "links": {"self": board_url(base, board["id"]), "related": f"{board_url(base, board['id'])}/members"},
    }


def board_not_found(board_id: str) -> Exception:
    return not_found("Board", "boardId", board_id)


def create_board(ctx: Ctx) -> Answer:
    body = {} if ctx.body is None else ctx.body
    problems = schemas.validate(schemas.BOARD_CREATE, body)
    if problems:
        raise invalid(problems)
    board = new_board(ctx.tx, body.get("name", "Untitled"), body.get("description", ""), ctx.now)
    return 201, board_json(board, ctx.base)


BOARD_SORTS = ("default", "last_modified", "last_opened", "last_created", "alphabetically")
_SORT_KEYS = {
    # default: Miro sorts by last opened, or last created for a team; the local board opens nothing: created
    "default": lambda b: (b["createdAt"], b["id"]),
    "last_opened": lambda b: (b["createdAt"], b["id"]),
    "last_created": lambda b: (b["createdAt"], b["id"]),
    "last_modified": lambda b: (b["modifiedAt"], b["id"]),
    "alphabetically": lambda b: (b["name"].casefold(), b["id"]),
}


def list_boards(ctx: Ctx) -> Answer:
    """GET /v2/boards: the boards the token sees, offset paging (``limit`` 1–50, default 20).

    Filters as the spec says: ``team_id`` (the local team, or nothing), ``owner`` (the local user, or
    nothing), ``query`` (in the name or the description); ``sort`` from the spec's list.
    """
    sort = ctx.query.get("sort", "default")
    if sort not in BOARD_SORTS:
        raise invalid([("sort", f"Parameter [sort] has an unexpected value [{sort}]")])
    int_param(ctx.query, "limit", 20, 1, 50)  # checked before any filtering, as Miro does
    found = [b for b in (ctx.tx.board(i) for i in ctx.tx.board_ids()) if b is not None]
    team = ctx.query.get("team_id")
    if team is not None and team != LOCAL_TEAM_ID:
        found = []
    owner = ctx.query.get("owner")
    if team is None and owner is not None and owner != LOCAL_USER_ID:
        found = []
    text = ctx.query.get("query")
    if team is None and text:
        needle = text.casefold()
        found = [b for b in found if needle in b["name"].casefold() or needle in b["description"].casefold()]
    key = _SORT_KEYS[sort]
    found.sort(key=key, reverse=sort not in ("alphabetically",))
    rows = [board_json(b, ctx.base) for b in found]
    page = offset_page(ctx, rows, f"{ctx.base}/v2/boards", 20)
    return 200, {**page, "type": "list"}


def get_board(ctx: Ctx) -> Answer:
    return 200, board_json(ctx.board, ctx.base)


# --- members -------------------------------------------------------------------------------------


def new_member(tx: Transaction, board_id: str, name: str, role: str) -> StoredMember:
    member: StoredMember = {"id": tx.new_id(), "name": name, "role": role}
    tx.add_member(board_id, member)
    return member


def _member_json(member: StoredMember) -> JSON:
    return {"id": member["id"], "name": member["name"], "role": member["role"], "type": "board_member"}


def list_members(ctx: Ctx) -> Answer:
    rows = [_member_json(m) for m in ctx.board["members"]]
    return 200, offset_page(ctx, rows, f"{board_url(ctx.base, ctx.board_id)}/members", 20)


def get_member(ctx: Ctx, member_id: str) -> Answer:
    for member in ctx.board["members"]:
        if member["id"] == member_id:
            return 200, _member_json(member)
    raise not_found("Board member", "memberId", member_id)


# --- token information ---------------------------------------------------------------------------


def token_info(ctx: Ctx) -> Answer:
    """``GET /v1/oauth-token``: who the token belongs to and what it may do (never the token itself)."""
    user = {"type": "user", "name": LOCAL_USER_NAME, "id": LOCAL_USER_ID}
    return 200, {
        "type": "token",
        "organization": {"type": "organization", "name": LOCAL_ORGANIZATION_NAME, "id": LOCAL_ORGANIZATION_ID},
        "team": {"type": "team", "name": LOCAL_TEAM_NAME, "id": LOCAL_TEAM_ID},
        "createdBy": dict(user),
        "user": dict(user),
        "scopes": list(ctx.scopes),
    }
