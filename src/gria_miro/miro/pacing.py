"""Credit pacing: a thread-safe budget of Miro credits shared by all concurrent requests.

Miro counts credits per minute (notes §3): level 1 = 50, level 2 = 100, level 3 = 500,
level 4 = 2000 per call; a bulk create costs level 2 *per item*. A request waits for its credits
instead of earning a 429. Two counts are kept, and a request needs enough in both:

| what the client knows                         | how credits come back                                   |
|-----------------------------------------------|---------------------------------------------------------|
| nothing from Miro (no rate-limit headers)     | its own token bucket: one minute of budget at most,      |
|                                               | refilled continuously at limit/60 per second             |
| ``X-RateLimit-Remaining`` without a ``Reset`` | the same bucket, never above what Miro said remains      |
| ``Remaining`` and ``Reset`` (a UNIX epoch:    | none until ``Reset``: a call costing more than Remaining |
| "when the credits will be reset")             | waits for ``Reset``; from then on the full limit is      |
|                                               | trusted again, until Miro reports otherwise              |
| a 429 (``block_for``)                         | nobody sends before the wait it asked for                |

Within one window Miro's ``Remaining`` only goes down (the smallest figure reported wins, and the
client takes its own calls off it as it sends them); ``Reset`` only moves later. Time is injected
(``clock``, ``sleep``) so tests run instantly.

Waiting for credits ends as soon as enough of them have expired, never later: the client keeps a
ledger of its own calls of the last minute, and in a rolling window each call's credits come back
one minute after Miro counted it, which is no later than its answer (``answered``; a call still
without an answer gives nothing back before ``Reset``). So a call short of credits waits until the
earliest of ``Reset`` (when Miro promises the whole limit back) and the instant its own earlier calls
free enough of them
(credits spent by others, unknown here, are only trusted back at ``Reset``; if Miro disagrees, its
429 says how long to wait).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

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
    ("GET", "token"): 1,  # token information (GET /v1/oauth-token; the spec states no level: the cheapest assumed)
}


def credits_for(method: str, route: str, *, items: int = 1) -> int:
    """Credits one call costs; ``route="bulk"`` costs level 2 per item."""
    if route == "bulk":
        return LEVEL_CREDITS[2] * max(1, items)
    return LEVEL_CREDITS[_LEVELS.get((method, route), 2)]


#: A per-minute budget is back within a minute: a farther ``Reset`` (an hourly limit, a clock gone
#: wrong) is not waited for by pacing; the call is sent and a 429, if any, is retried as usual.
MAX_RESET_SECONDS = 65.0

#: A call's credits come back this long after it was sent (a rolling per-minute window).
WINDOW_SECONDS = 60.0


@dataclass
class _Call:
    """One of our calls in the ledger: sent (credits taken) and answered, in clock time."""

    sent: float
    credits: float
    answered: float | None = None


class CreditBucket:
    """Credits per minute shared by threads; ``acquire`` blocks (via ``sleep``) until credits exist."""

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
        #: After a 429: nobody sends before this instant (clock time).
        self._blocked_until = float("-inf")
        #: Miro's window, when it reported Remaining and Reset: credits left in it (minus the calls sent
        #: since), and the clock time it resets at. None: no window known (or it has reset).
        self._server_remaining: float | None = None
        self._server_reset_at = float("-inf")
        #: When Miro's figure was taken: calls still in the window then are counted in it.
        self._server_seen_at = float("-inf")
        #: The client's own calls of the last minute, in the order they were sent.
        self._ledger: deque[_Call] = deque()
        self._local = threading.local()  # the call this thread sent last (until it is answered)
        self.waited_seconds = 0.0
        #: Told, before each wait, how many seconds a request will wait for credits (the CLI shows it).
        self.on_wait: Callable[[float], None] | None = None

    def _refill(self, now: float) -> None:
        """Move the clock on: Miro's window resets (full limit trusted again), the own bucket refills."""
        if self._server_remaining is not None and now >= self._server_reset_at:
            self._server_remaining = None
            self._tokens = self.capacity
        if self._ledger and self._ledger[0].sent + WINDOW_SECONDS <= now:
            kept: deque[_Call] = deque()
            for call in self._ledger:
                if call.answered is None or call.answered + WINDOW_SECONDS > now:
                    kept.append(call)  # not answered yet, or still in the window
                elif self._server_remaining is not None and call.sent + WINDOW_SECONDS > self._server_seen_at:
                    # one of our calls counted in Miro's figure has left the window: its credits are back
                    self._server_remaining = min(self.capacity, self._server_remaining + call.credits)
            self._ledger = kept
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
        self._updated = now

    def _delay(self, now: float, need: float) -> float:
        """Seconds to wait before ``need`` credits may be taken (0: take them now)."""
        if now < self._blocked_until:
            return self._blocked_until - now  # a 429 asked us to wait
        if self._server_remaining is not None and self._server_remaining < need:
            return self._own_credits_back(need - self._server_remaining) - now  # or Miro's Reset, if sooner
        if self._tokens < need:
            return (need - self._tokens) / self.rate  # our own budget refills continuously
        return 0.0

    def _own_credits_back(self, short: float) -> float:
        """The instant our own calls counted in Miro's figure give back ``short`` credits, capped by Reset."""
        back = 0.0
        answered = sorted(
            (call.answered, call.credits)
            for call in self._ledger
            # not yet answered: when Miro counted it is unknown; sent before Miro's figure and already
            # out of the window then: not in that figure
            if call.answered is not None and call.sent + WINDOW_SECONDS > self._server_seen_at
        )
        for when, credits in answered:
            back += credits
            if back >= short:
                return min(self._server_reset_at, when + WINDOW_SECONDS)
        return self._server_reset_at

    def acquire(self, cost: int) -> float:
        """Take ``cost`` credits, sleeping as needed; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._refill(now)
                need = min(float(cost), self.capacity)  # a call dearer than the whole budget waits for all of it
                delay = self._delay(now, need)
                if delay <= 0.0:
                    self._tokens -= need
                    call = _Call(sent=now, credits=need)
                    self._ledger.append(call)
                    self._local.call = call
                    if self._server_remaining is not None:
                        self._server_remaining -= need
                    self.waited_seconds += waited
                    return waited
            if self.on_wait is not None:
                self.on_wait(delay)
            self._sleep(delay)
            waited += delay

    def answered(self) -> None:
        """The call this thread took credits for last got its answer (or failed): Miro counted it by now,
        so its credits are back one minute from now at the latest."""
        call = getattr(self._local, "call", None)
        if call is None:
            return
        with self._lock:
            call.answered = self._clock()
        self._local.call = None

    def observe(self, *, remaining: float | None, reset_in: float | None, limit: float | None = None) -> None:
        """Adopt what Miro reported: never believe we have more credits than Miro says, nor sooner."""
        with self._lock:
            now = self._clock()
            self._refill(now)
            if limit is not None and limit > 0 and limit < self.capacity:
                self.capacity = float(limit)
                self.rate = limit / 60.0
                self._tokens = min(self._tokens, self.capacity)
            if remaining is None:
                return
            remaining = max(0.0, remaining)
            self._tokens = min(self._tokens, remaining)
            if reset_in is None or reset_in <= 0.0 or reset_in > MAX_RESET_SECONDS:
                return  # no usable Reset: our own budget, capped by Remaining, paces alone
            reset_at = now + reset_in
            if self._server_remaining is None:  # a new window
                self._server_remaining = remaining
                self._server_reset_at = reset_at
                self._server_seen_at = now
            else:  # the same window: answers may arrive out of order, keep the cautious figures
                if remaining <= self._server_remaining:
                    self._server_remaining = remaining
                    self._server_seen_at = now
                self._server_reset_at = max(self._server_reset_at, reset_at)

    def block_for(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` (after a 429 with Retry-After)."""
        with self._lock:
            now = self._clock()
            self._blocked_until = max(self._blocked_until, now + max(0.0, seconds))

    @property
    def available(self) -> float:
        """Credits a call could take now (the smaller of the own bucket and Miro's window)."""
        with self._lock:
            self._refill(self._clock())
            if self._server_remaining is None:
                return self._tokens
            return min(self._tokens, self._server_remaining)
