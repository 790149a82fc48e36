"""Miro's error format: the one exception the board's handlers raise, and its wire form.

One responsibility: build Miro-style error answers ``{status, code, message, type:"error", context}``
(sources: the spec's ``Error*`` schemas, Miro's error page, and the observed codes of the notes:
``2.0703`` invalid parameters with ``context.fields``, ``3.0201`` item not found).
"""

from __future__ import annotations

import json
from typing import Any

from gria_miro.localboard.schemas import Problem

JSON = dict[str, Any]


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


def bad_request(message: str) -> ApiError:
    """400 ``2.0703`` about the request as a whole (no field to name)."""
    return ApiError(400, "2.0703", message, {"fields": []})


def item_not_found(board_id: str, item_id: str) -> ApiError:
    return ApiError(404, "3.0201", "Item not found", {"boardId": {"value": board_id}, "itemId": {"value": item_id}})


def error_response(error: ApiError) -> tuple[int, dict[str, str], bytes]:
    """The wire form of ``error`` (used by the transports too: 413, 500 and 429 injected by a fault plan)."""
    headers = {"Content-Type": "application/json", **error.headers}
    return error.status, headers, json.dumps(error.body()).encode()
