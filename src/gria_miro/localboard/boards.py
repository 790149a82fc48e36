"""Boards, members and token information on the local board.

One responsibility: the handlers of ``POST``/``GET /v2/boards[/{id}]``, the board members
(``GET …/members[/{id}]``; Miro's REST API cannot add one, :meth:`BoardEngine.add_member` does) and
``GET /v1/oauth-token`` (the spec's ``token-info`` shape; the top-level ``type`` has no value in the
spec, the board says ``"token"``; the token itself is never echoed).
"""

from __future__ import annotations

from gria_miro.localboard import schemas
from gria_miro.localboard.apierror import invalid
from gria_miro.localboard.context import Answer, Ctx, board_url, not_found, offset_page
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
