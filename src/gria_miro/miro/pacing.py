"""Credit pacing: a thread-safe budget of Miro credits shared by all concurrent requests.

Miro counts credits per minute (notes §3): level 1 = 50, level 2 = 100, level 3 = 500, level 4 = 2000
per call; a bulk create costs level 2 *per item*. A request waits for its credits instead of earning
a 429. Which model paces depends on what Miro has said:

| what the client knows                          | credits a request may take                                |
|------------------------------------------------|-----------------------------------------------------------|
| nothing from Miro (no rate-limit headers), or  | its own token bucket: one minute of budget at most,       |
| ``Remaining`` without a usable ``Reset``       | refilled at limit/60 per second, never above ``Remaining``|
| ``Remaining`` and ``Reset`` (a UNIX epoch,     | the rolling window (the ledger, below): Miro's ``Limit``, |
| within a minute): Miro's window               | minus our calls still in its window and others' spending  |
| a 429 (``block_for``)                          | none before the wait it asked for                         |

**The ledger** (once Miro's window is known). Every call is recorded when its credits are taken. Miro
counts a call between its send and its answer, so its credits leave Miro's rolling window one minute
after its answer at the latest (``answered``); a call still without an answer counts as in the window.
An observation (``Remaining``, ``Reset``, with the send time of the call it answered) adds two facts:
``Reset`` ("when the credits will be reset") frees every call answered before that send, however
recent; and what Miro counts beyond our own calls still in the window was spent by others (another
program on the same token), trusted back only when that figure leaves the window (one minute after the
observation, or at its ``Reset``). A call short of credits waits exactly until enough of them leave,
never later. The own token bucket is not consulted then: its steady refill (2,000 credits every 1.2 s at
100,000 a minute) would pace out a whole minute of credits that a rolling window gives back at once.

Time is injected (``clock``, ``sleep``) so tests run instantly.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

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

#: A call's credits leave Miro's rolling window this long after Miro counted it (its answer at the latest).
WINDOW_SECONDS = 60.0


#: A call still without an answer (a hung request) is taken as out of the window this long after a
#: whole window has passed since its send (the transport's timeout ends any call well before).
UNANSWERED_GRACE_SECONDS = 60.0

#: While a call without an answer may decide when credits come back, a waiting thread looks again this often.
_POLL_SECONDS = 0.25


@dataclass(eq=False)
class _Call:
    """One of our calls in the ledger: sent (credits taken), answered, and when it leaves Miro's window."""

    sent: float
    credits: float
    answered: float | None = None
    leaves: float = float("inf")  # known once answered (or freed earlier by a Reset)
    gone: bool = False  # out of the window: its credits are back
    seq: int = field(default=0)


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
        #: Miro reported a usable window (Remaining and Reset): the ledger paces, not the token bucket.
        self._window_known = False
        #: The ledger: credits of our calls still in Miro's window, the answered ones by the instant they
        #: leave it (a heap, stale entries skipped), the unanswered ones, and the answered ones in answer
        #: order not yet covered by a Reset.
        self._in_window = 0.0
        self._leaving: list[tuple[float, int, _Call]] = []
        self._unanswered: set[_Call] = set()
        self._uncovered: deque[_Call] = deque()
        self._seq = itertools.count()
        #: Credits Miro counted beyond our own calls, and when that figure has surely left the window.
        self._others: list[tuple[float, float]] = []
        self._local = threading.local()  # the call this thread sent last (until it is answered)
        self.waited_seconds = 0.0
        #: Told, before each wait, how many seconds a request will wait for credits (the CLI shows it).
        self.on_wait: Callable[[float], None] | None = None

    # ----------------------------------------------------------------- the ledger

    def _refill(self, now: float) -> None:
        """Move the clock on: calls and others' credits leave the window, the own bucket refills."""
        while self._leaving and self._leaving[0][0] <= now:
            leaves, _, call = heapq.heappop(self._leaving)
            if not call.gone and call.leaves == leaves:
                self._out(call)
        while self._uncovered and self._uncovered[0].gone:  # left the window before any Reset covered it
            self._uncovered.popleft()
        for call in [c for c in self._unanswered if c.sent + WINDOW_SECONDS + UNANSWERED_GRACE_SECONDS <= now]:
            self._unanswered.discard(call)
            self._out(call)
        if self._others:
            self._others = [(until, spent) for until, spent in self._others if until > now]
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
        self._updated = now

    def _out(self, call: _Call) -> None:
        call.gone = True
        self._in_window -= call.credits

    def _leaves_at(self, call: _Call, when: float) -> None:
        """``call`` leaves Miro's window at ``when`` (if sooner than known)."""
        if when < call.leaves:
            call.leaves = when
            heapq.heappush(self._leaving, (when, call.seq, call))

    def _others_now(self) -> float:
        return max((spent for _, spent in self._others), default=0.0)

    def _window_available(self) -> float:
        return self.capacity - self._in_window - self._others_now()

    def _delay(self, now: float, need: float) -> float:
        """Seconds to wait before ``need`` credits may be taken (0: take them now)."""
        if now < self._blocked_until:
            return self._blocked_until - now  # a 429 asked us to wait
        if not self._window_known:
            if self._tokens < need:
                return (need - self._tokens) / self.rate  # our own budget refills continuously
            return 0.0
        if self._window_available() >= need:
            return 0.0
        return self._credits_back(now, need) - now

    def _credits_back(self, now: float, need: float) -> float:
        """The instant enough credits will have left the window, from what is known now."""
        events: list[tuple[float, float, float]] = []  # (when, own credits back, others' figure ending)
        for leaves, _, call in self._leaving:
            if not call.gone and call.leaves == leaves:  # a call freed sooner also has a stale, later entry
                events.append((leaves, call.credits, 0.0))
        for call in self._unanswered:
            events.append((call.sent + WINDOW_SECONDS + UNANSWERED_GRACE_SECONDS, call.credits, 0.0))
        for until, _ in self._others:
            events.append((until, 0.0, 1.0))
        in_window, others = self._in_window, list(self._others)
        for when, credits, ends in sorted(events):
            in_window -= credits
            if ends:
                others = [(until, spent) for until, spent in others if until > when]
            if self.capacity - in_window - max((s for _, s in others), default=0.0) >= need:
                if self._unanswered and when - now > _POLL_SECONDS:
                    return now + _POLL_SECONDS  # an answer on its way may bring that sooner: look again
                return when
        return now + _POLL_SECONDS

    # ----------------------------------------------------------------- the calls

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
                    call = _Call(sent=now, credits=need, seq=next(self._seq))
                    self._in_window += need
                    self._unanswered.add(call)
                    self._local.call = call
                    self.waited_seconds += waited
                    return waited
            if self.on_wait is not None:
                self.on_wait(delay)
            self._sleep(delay)
            waited += delay

    def answered(self) -> float | None:
        """The call this thread took credits for last got its answer (or failed): Miro counted it by now,
        so its credits leave the window one minute from now at the latest. Returns when it was sent."""
        call: _Call | None = getattr(self._local, "call", None)
        if call is None:
            return None
        self._local.call = None
        with self._lock:
            now = self._clock()
            call.answered = now
            if call in self._unanswered:
                self._unanswered.discard(call)
                self._uncovered.append(call)
                self._leaves_at(call, now + WINDOW_SECONDS)
        return call.sent

    def observe(
        self,
        *,
        remaining: float | None,
        reset_in: float | None,
        limit: float | None = None,
        sent_at: float | None = None,
    ) -> None:
        """Adopt what Miro reported in the answer to a call sent at ``sent_at`` (default: now): never
        believe we have more credits than Miro says, nor sooner."""
        with self._lock:
            now = self._clock()
            self._refill(now)
            if limit is not None and limit > 0 and limit != self.capacity:  # Miro's own figure for the minute
                self.capacity = float(limit)
                self.rate = limit / 60.0
                self._tokens = min(self._tokens, self.capacity)
            if remaining is None:
                return
            remaining = max(0.0, remaining)
            self._tokens = min(self._tokens, remaining)
            usable_reset = reset_in is not None and 0.0 < reset_in <= MAX_RESET_SECONDS
            if not usable_reset and not self._window_known:
                return  # no window known: our own budget, capped by Remaining, paces alone
            self._window_known = True
            counted = now if sent_at is None else min(sent_at, now)
            reset_at = now + reset_in if usable_reset and reset_in is not None else now + WINDOW_SECONDS
            while self._uncovered and (self._uncovered[0].answered or 0.0) <= counted:
                call = self._uncovered.popleft()  # answered before this call was sent: Miro's Reset frees it
                if usable_reset and not call.gone:
                    self._leaves_at(call, reset_at)
            # beyond our calls still in the window (all counted as in Miro's figure, which is cautious)
            others = self.capacity - remaining - self._in_window
            if others > 0:
                self._others.append((min(now + WINDOW_SECONDS, reset_at), others))

    def block_for(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` (after a 429 with Retry-After)."""
        with self._lock:
            now = self._clock()
            self._blocked_until = max(self._blocked_until, now + max(0.0, seconds))

    @property
    def available(self) -> float:
        """Credits a call could take now."""
        with self._lock:
            self._refill(self._clock())
            if not self._window_known:
                return self._tokens
            return self._window_available()
