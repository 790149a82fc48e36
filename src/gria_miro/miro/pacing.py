"""Credit pacing: a thread-safe token bucket of Miro credits shared by all concurrent requests.

Miro counts credits per minute (notes §3): level 1 = 50, level 2 = 100, level 3 = 500,
level 4 = 2000 per call; a bulk create costs level 2 *per item*. The bucket holds at most one
minute of budget and refills continuously; a request waits for its credits instead of
earning a 429. When Miro reports ``X-RateLimit-Remaining`` / ``X-RateLimit-Reset`` the bucket
adopts the smaller of its own count and Miro's, and waits for the reset when Miro says zero.
Time is injected (``clock``, ``sleep``) so tests run instantly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

LEVEL_CREDITS = {1: 50, 2: 100, 3: 500, 4: 2000}

#: (method, route kind) → rate-limit level, from the spec's per-operation descriptions.
_LEVELS: dict[tuple[str, str], int] = {
    ("GET", "board"): 1,  # get board
    ("POST", "boards"): 3,  # create board
    ("PATCH", "board"): 2,  # update board
    ("DELETE", "board"): 3,  # delete board
    ("GET", "items"): 2,  # list items (also within a frame)
    ("GET", "items_by_tag"): 1,  # items by tag (tag operations are level 1)
    ("GET", "item"): 1,  # get one item of any type
    ("PATCH", "item"): 2,  # update / move / re-parent
    ("DELETE", "item"): 3,  # every item delete
    ("POST", "create"): 2,  # create one item of any type
    ("GET", "members"): 1,  # board members
    ("GET", "tags"): 1,  # every tag operation
    ("POST", "tags"): 1,
    ("PATCH", "tags"): 1,
    ("DELETE", "tags"): 1,
    ("POST", "item_tag"): 1,  # attach tag
    ("DELETE", "item_tag"): 1,  # detach tag
    ("GET", "item_tags"): 1,  # tags of an item
}


def credits_for(method: str, route: str, *, items: int = 1) -> int:
    """Credits one call costs; ``route="bulk"`` costs level 2 per item."""
    if route == "bulk":
        return LEVEL_CREDITS[2] * max(1, items)
    return LEVEL_CREDITS[_LEVELS.get((method, route), 2)]


class CreditBucket:
    """A token bucket of credits per minute; ``acquire`` blocks (via ``sleep``) until credits exist."""

    def __init__(
        self,
        credits_per_minute: int,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        if credits_per_minute <= 0:
            raise ValueError("credits_per_minute must be positive")
        self.capacity = float(credits_per_minute)
        self.rate = credits_per_minute / 60.0  # credits per second
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = self.capacity
        self._updated = clock()
        #: Miro said "0 left until then": nobody sends before this instant (clock time).
        self._blocked_until = float("-inf")
        self.waited_seconds = 0.0

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
        self._updated = now

    def acquire(self, cost: int) -> float:
        """Take ``cost`` credits, sleeping as needed; returns the seconds waited."""
        need = min(float(cost), self.capacity)
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._refill(now)
                if now < self._blocked_until:
                    delay = self._blocked_until - now
                elif self._tokens >= need:
                    self._tokens -= need
                    self.waited_seconds += waited
                    return waited
                else:
                    delay = (need - self._tokens) / self.rate
            self._sleep(delay)
            waited += delay

    def observe(self, *, remaining: float | None, reset_in: float | None, limit: float | None = None) -> None:
        """Adopt what Miro reported: never believe we have more credits than Miro says."""
        with self._lock:
            now = self._clock()
            self._refill(now)
            if limit is not None and limit > 0 and limit < self.capacity:
                self.capacity = float(limit)
                self.rate = limit / 60.0
                self._tokens = min(self._tokens, self.capacity)
            if remaining is not None:
                self._tokens = min(self._tokens, max(0.0, remaining))
                if remaining <= 0 and reset_in is not None:
                    self._blocked_until = max(self._blocked_until, now + max(0.0, reset_in))

    def block_for(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` (after a 429 with Retry-After)."""
        with self._lock:
            now = self._clock()
            self._blocked_until = max(self._blocked_until, now + max(0.0, seconds))

    @property
    def available(self) -> float:
        with self._lock:
            self._refill(self._clock())
            return self._tokens
