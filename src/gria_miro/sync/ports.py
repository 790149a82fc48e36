"""The board operations sync needs, as a protocol: what ``apply`` and ``push`` ask of a client.

:class:`gria_miro.miro.client.MiroClient` satisfies it; so can a small in-memory fake, which is
how ``sync/apply.py`` is unit-tested without HTTP. Errors are :class:`gria_miro.errors.GriaError`
values (``OutcomeUnknownError`` for a create whose answer was lost, ``MiroNotFoundError`` for an
item gone meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from gria_miro.errors import GriaError
from gria_miro.observed import ObservedBoard

T = TypeVar("T")


class BoardPort(Protocol):
    """Reading a board and writing items on it, as the planner's actions need."""

    def read_board(
        self, board_id: str, *, check_write: bool = False, frames_hint: Mapping[str, int] | None = None
    ) -> ObservedBoard:
        """The whole board, items with absolute positions; ``check_write`` fails fast on a read-only token;
        ``frames_hint`` (frame id → items it held, from the local state) is where reading may start."""
        ...

    def bulk_create_chunks(
        self,
        board_id: str,
        chunks: Sequence[Sequence[Mapping[str, Any]]],
        on_result: Callable[[int, Any], None],
    ) -> None:
        """Create each chunk (all or nothing); ``on_result(index, created items or GriaError)`` per chunk."""
        ...

    def update_item(self, board_id: str, type: str, item_id: str, body: Mapping[str, Any]) -> Any:
        """Update one item; returns the item as the board now shows it."""
        ...

    def delete_item(self, board_id: str, item_id: str) -> None: ...

    def run_concurrently(self, fns: Sequence[Callable[[], T]]) -> list[T | GriaError]:
        """Results in order, a GriaError in place of a failed call."""
        ...
