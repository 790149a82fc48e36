"""Miro's credit-based rate limit, as the local board applies it.

One responsibility: count the credits spent in a rolling minute, refuse a request that would exceed
the budget (429 ``tooManyRequests``), and give the ``X-RateLimit-*`` headers of every answer.

Credits per call (notes §7): level 1 = 50, 2 = 100, 3 = 500; a bulk create costs its level per item.
A refused request costs nothing. Miro documents ``X-RateLimit-Reset`` as "when the credits will be
reset", so here it is the epoch second (rounded up) when the *newest* charge leaves the window: from
then on the whole ``Limit`` is available again, as a client that waits for ``Reset`` expects. The
rolling window frees older charges earlier (never later than ``Reset`` promises); with nothing
charged in the window, ``Reset`` is now. Not thread-safe: the engine calls it under its lock.
"""

from __future__ import annotations

import math
from collections import deque

from gria_miro.localboard.apierror import ApiError

DEFAULT_CREDITS_PER_MINUTE = 100_000
LEVEL_COST = {1: 50, 2: 100, 3: 500}
WINDOW_SECONDS = 60


class CreditWindow:
    """The credits spent in the last minute, against a budget of ``credits_per_minute``."""

    def __init__(self, credits_per_minute: int = DEFAULT_CREDITS_PER_MINUTE) -> None:
        self.credits_per_minute = credits_per_minute
        self._spent: deque[tuple[float, int]] = deque()
        self._total = 0  # the sum of ``_spent``'s costs, kept as they come and go (no sum per request)

    def _window(self, now: float) -> int:
        while self._spent and self._spent[0][0] <= now - WINDOW_SECONDS:
            self._total -= self._spent.popleft()[1]
        return self._total

    def headers(self, now: float) -> dict[str, str]:
        """``X-RateLimit-Limit/Remaining/Reset`` as of ``now``."""
        spent = self._window(now)
        reset = self._spent[-1][0] + WINDOW_SECONDS if self._spent else now  # window empty again: full limit back
        return {
            "X-RateLimit-Limit": str(self.credits_per_minute),
            "X-RateLimit-Remaining": str(max(0, self.credits_per_minute - spent)),
            "X-RateLimit-Reset": str(math.ceil(reset)),
        }

    def charge(self, now: float, cost: int) -> dict[str, str]:
        """Spend ``cost`` credits (429 if the budget does not allow it); the headers after the charge."""
        spent = self._window(now)
        if spent + cost > self.credits_per_minute:
            raise ApiError(429, "tooManyRequests", "Request rate limit exceed")
        self._spent.append((now, cost))
        self._total += cost
        return self.headers(now)


def cost(level: int, per_item: bool, body: object) -> int:
    """Credits of one call: its level's cost, times the number of elements of a bulk body."""
    count = len(body) if per_item and isinstance(body, list) and body else 1
    return LEVEL_COST[level] * count
