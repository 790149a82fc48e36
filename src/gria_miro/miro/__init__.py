"""The only package of gria-miro that speaks HTTP: the Miro REST API v2 client and its helpers."""

from gria_miro.miro.boardid import parse_board_ref
from gria_miro.miro.client import MiroClient, MiroStats
from gria_miro.miro.errors import (
    MiroApiError,
    MiroAuthError,
    MiroError,
    MiroNetworkError,
    MiroNotFoundError,
    MiroPaginationError,
    MiroPermissionError,
    MiroRateLimitError,
    MiroServerError,
    MiroTimeoutError,
    MiroValidationError,
    OutcomeUnknownError,
)
from gria_miro.miro.wire import WireBoard, WireItem, WireMember, WireTag

__all__ = [
    "MiroApiError",
    "MiroAuthError",
    "MiroClient",
    "MiroError",
    "MiroNetworkError",
    "MiroNotFoundError",
    "MiroPaginationError",
    "MiroPermissionError",
    "MiroRateLimitError",
    "MiroServerError",
    "MiroStats",
    "MiroTimeoutError",
    "MiroValidationError",
    "OutcomeUnknownError",
    "WireBoard",
    "WireItem",
    "WireMember",
    "WireTag",
    "parse_board_ref",
]
