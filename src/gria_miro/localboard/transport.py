"""What the two ways in (in-process adapter and loopback server) share: faults around the engine.

One responsibility: run one request through the fault plan and the engine, so that both transports
answer exactly alike. ``None`` as a result means "drop the connection without answering".
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from gria_miro.localboard.engine import ApiError, BoardEngine, error_response
from gria_miro.localboard.faults import FaultPlan

Answer = tuple[int, dict[str, str], bytes]


def serve_once(
    engine: BoardEngine,
    faults: FaultPlan | None,
    method: str,
    path: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    body: bytes,
    *,
    base_url: str,
) -> Answer | None:
    """The engine's answer to one request after the fault plan had its say (``None``: drop)."""
    decision = faults.next() if faults is not None else None
    if decision is not None and decision.delay > 0:
        time.sleep(decision.delay)
    kind = decision.kind if decision is not None else None
    if kind == "drop_before":
        return None
    if kind == "500":
        return error_response(ApiError(500, "internalError", "Injected fault: internal server error"))
    if kind == "429":
        extra = {"Retry-After": "1"} if decision is not None and decision.retry_after else {}
        return error_response(ApiError(429, "tooManyRequests", "Request rate limit exceed", headers=extra))
    answer = engine.handle(method, path, query, headers, body, base_url=base_url)
    if kind == "drop_after":
        return None
    return answer
