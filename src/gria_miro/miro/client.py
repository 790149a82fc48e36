"""The Miro REST API v2 client: the facade the rest of gria-miro uses.

:class:`MiroClient` is the typed operations of :mod:`~gria_miro.miro.endpoints` over one
:class:`~gria_miro.miro.transport.Transport` (session, choke point, retries, credit pacing,
thread pool), plus :meth:`MiroClient.read_board` from :mod:`~gria_miro.miro.reader`. It only
wires these together; each of them holds one responsibility.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence

from requests.adapters import BaseAdapter

from gria_miro.miro.endpoints import BULK_MAX, ITEM_ENDPOINTS, PAGE_LIMIT, MiroEndpoints
from gria_miro.miro.reader import READ_TYPES, BoardReader
from gria_miro.miro.transport import DEFAULT_BASE_URL, DEFAULT_MAX_WORKERS, MiroStats, Transport, check_base_url
from gria_miro.observed import ObservedBoard

__all__ = [
    "BULK_MAX",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_WORKERS",
    "ITEM_ENDPOINTS",
    "PAGE_LIMIT",
    "READ_TYPES",
    "MiroClient",
    "MiroStats",
    "check_base_url",
]


class MiroClient(MiroEndpoints):
    """Typed operations on the Miro REST API v2 (or the local board behind an adapter)."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        adapter: BaseAdapter | None = None,
        timeout: float = 30.0,
        max_workers: int = DEFAULT_MAX_WORKERS,
        credits_per_minute: int = 100_000,
        retry_deadline: float = 120.0,
        network_retry_deadline: float = 30.0,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            Transport(
                token,
                base_url=base_url,
                adapter=adapter,
                timeout=timeout,
                max_workers=max_workers,
                credits_per_minute=credits_per_minute,
                retry_deadline=retry_deadline,
                network_retry_deadline=network_retry_deadline,
                sleep=sleep,
                clock=clock,
                rng=rng,
                wall_clock=wall_clock,
            )
        )
        self._reader = BoardReader(self)

    def __repr__(self) -> str:
        return f"MiroClient(base_url={self.base_url!r}, token=***)"

    @property
    def base_url(self) -> str:
        return self.transport.base_url

    @property
    def timeout(self) -> float:
        return self.transport.timeout

    @property
    def max_workers(self) -> int:
        return self.transport.max_workers

    @property
    def stats(self) -> MiroStats:
        return self.transport.stats

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> MiroClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read_board(
        self,
        board_id: str,
        *,
        with_tags: bool = False,
        types: Sequence[str] | None = READ_TYPES,
        check_write: bool = False,
        frames_hint: Mapping[str, int] | None = None,
    ) -> ObservedBoard:
        """Board info, members and items (absolute positions); with tags per item when asked;
        ``check_write`` raises ``ReadOnlyTokenError`` when the token's scopes lack ``boards:write``;
        ``frames_hint`` (frame id → items it held, from the local state) starts their listings at once."""
        return self._reader.read_board(
            board_id, with_tags=with_tags, types=types, check_write=check_write, frames_hint=frames_hint
        )
