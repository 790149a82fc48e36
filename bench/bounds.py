"""What the API itself imposes: sequential round trips, credit waits, and measured round chains (pure).

Lower bounds, never estimates of gria-miro: a request that needs an id from an earlier answer (a child
needs its frame's id), or a cursor page that needs the previous page's cursor, cannot start before that
answer arrives. Miro's credit budget (100,000 per rolling minute, bulk 100 per item) delays whatever
exceeds it by up to a minute, whatever the client does.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Sequence

WINDOW_SECONDS = 60.0
PAGE_LIMIT = 50
BULK_LIMIT = 20


def pages(count: int, limit: int = PAGE_LIMIT) -> int:
    """Requests one cursor listing needs for ``count`` items (an empty listing still costs one)."""
    return max(1, math.ceil(count / limit))


def chunks(count: int, limit: int = BULK_LIMIT) -> int:
    return math.ceil(count / limit) if count else 0


def read_rounds(chains: Sequence[int], workers: int) -> int:
    """Sequential rounds for independent chains of requests (cursor listings) on ``workers`` threads.

    Each chain's pages follow one another; chains run side by side, at most ``workers`` at a time.
    """
    if not chains:
        return 0
    return max(max(chains), math.ceil(sum(chains) / max(1, workers)))


def frame_read_rounds(
    frames: int, children: Sequence[int], other_requests: int, workers: int, *, frames_known: bool = False
) -> int:
    """Sequential rounds of ``read_board``'s per-frame read (``gria_miro.miro.reader``).

    ``children``: the items in each frame that holds any (an empty frame need not be listed once every
    type's total is reached); ``other_requests``: the listings of one page each beside them (board,
    members, each other type's first page, tags). Without ``frames_known``, a frame's children can only
    be asked for once the frame is listed: the frames' pages in sequence, then the fullest frame's pages
    (as if it came on the last page of frames: its place in the listing is Miro's, not ours). With
    ``frames_known`` (the local state names the frames pushed), both chains start at once. Never faster
    than every page divided among the workers.
    """
    frame_pages = pages(frames)
    chains = [pages(count) for count in children if count > 0]
    longest = max(chains, default=0)
    chain = max(frame_pages, longest) if frames_known else frame_pages + longest
    requests = frame_pages + sum(chains) + other_requests
    return max(chain, math.ceil(requests / max(1, workers)))


def push_rounds(read: int, frames: int, child_chunks: int, workers: int) -> int:
    """A first push: read the board, create the frames (one ``POST /frames`` each: items/bulk takes no
    frame), then the children in chunks of 20 (they need the frames' ids)."""
    return read + math.ceil(frames / workers) + math.ceil(child_chunks / workers)


def credit_floor_seconds(
    costs: Sequence[int], budget: int, window: float = WINDOW_SECONDS, *, ready: Sequence[float] | None = None
) -> float:
    """Earliest instant the last request may be sent under a rolling ``budget`` per ``window``.

    ``ready``: the earliest instant each request may be sent at all (a child needs its frame's answer);
    none given: all at once.
    """
    return sequential_seconds(costs, 0.0, budget, window, ready=ready)


def sequential_seconds(
    costs: Sequence[int],
    per_request: float,
    budget: int,
    window: float = WINDOW_SECONDS,
    *,
    ready: Sequence[float] | None = None,
) -> float:
    """Time for requests sent one after another, each taking ``per_request``, under a rolling credit budget.

    A request is sent as soon as the one before has answered (or at once, with ``per_request`` 0), no
    sooner than its ``ready`` instant, and when its credits fit in the window.
    """
    spent: deque[tuple[float, int]] = deque()
    in_window = 0
    now = 0.0
    for index, cost in enumerate(costs):
        if ready is not None:
            now = max(now, ready[index])
        cost = min(cost, budget)
        while True:
            while spent and spent[0][0] + window <= now:
                in_window -= spent.popleft()[1]
            if in_window + cost <= budget:
                break
            now = spent[0][0] + window  # wait until the oldest charge leaves the window
        spent.append((now, cost))
        in_window += cost
        now += per_request
    return now


def observed_rounds(intervals: Iterable[tuple[float, float]]) -> int:
    """The longest chain of requests where each started after the previous one ended.

    (Greedy by earliest end: the largest set of pairwise non-overlapping intervals.) For requests
    that all take the injected latency, this is how many round trips were paid one after another.
    """
    count = 0
    last_end = float("-inf")
    for start, end in sorted(intervals, key=lambda pair: pair[1]):
        if start >= last_end:
            count += 1
            last_end = end
    return count
