"""Seedable fault injection for the local board: latency, 500s, 429s, dropped connections.

One responsibility: decide, request after request, what goes wrong. The decisions depend only on the
seed and on the order of requests (each request draws the same number of random values), so a
failing run is replayed by giving the same seed. Off by default: a plan with every share at 0 never
injects anything.

Kinds of fault, checked in this order with independent draws:

- ``drop_before``: the connection is dropped before the engine sees the request (nothing written);
- ``500``: an internal error answered before the engine sees the request (nothing written);
- ``429``: a rate-limit answer before the engine sees the request, with ``Retry-After: 1`` when
  ``p_429_retry_after`` is True, without it when False, one or the other at random when None;
- ``drop_after``: the engine handles the request (a write is committed), then the connection is
  dropped without an answer.

``credits_per_minute`` replaces the engine's credit budget (Miro's 100,000 by default).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FaultDecision:
    """What happens to one request."""

    delay: float = 0.0
    kind: str | None = None  # None | "drop_before" | "500" | "429" | "drop_after"
    retry_after: bool = False


@dataclass
class FaultPlan:
    """A seeded plan of faults; :meth:`next` gives the decision for the next request."""

    seed: int
    latency: float = 0.0
    latency_jitter: float = 0.0
    p_500: float = 0.0
    p_429: float = 0.0
    p_429_retry_after: bool | None = None
    p_drop_before: float = 0.0
    p_drop_after: float = 0.0
    credits_per_minute: int | None = None
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        for name in ("p_500", "p_429", "p_drop_before", "p_drop_after"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must be between 0 and 1, not {value}")
        if self.latency < 0 or self.latency_jitter < 0:
            raise ValueError("latency and latency_jitter must not be negative")
        self._rng = random.Random(self.seed)

    def next(self) -> FaultDecision:
        """The decision for the next request (thread-safe, deterministic in request order)."""
        with self._lock:
            draws = [self._rng.random() for _ in range(6)]
        delay = self.latency + self.latency_jitter * draws[0]
        if draws[1] < self.p_drop_before:
            return FaultDecision(delay, "drop_before")
        if draws[2] < self.p_500:
            return FaultDecision(delay, "500")
        if draws[3] < self.p_429:
            retry_after = self.p_429_retry_after if self.p_429_retry_after is not None else draws[4] < 0.5
            return FaultDecision(delay, "429", retry_after)
        if draws[5] < self.p_drop_after:
            return FaultDecision(delay, "drop_after")
        return FaultDecision(delay)
