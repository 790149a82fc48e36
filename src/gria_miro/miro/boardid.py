"""Board identifiers: whatever the user pasted (id or URL) → one canonical, decoded id.

Miro board ids end with ``=`` (``uXjVOD6LSME=``); browser URLs may carry it as ``%3D``.
The canonical id is always the decoded form; request paths encode it exactly once with
``quote(id, safe="")`` (notes §5), so ``=`` becomes ``%3D`` and never ``%253D``.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

from gria_miro.errors import UserError

EXAMPLE = "https://miro.com/app/board/uXjVOD6LSME=/ ou uXjVOD6LSME="

#: URL path segments after which the board id comes (board view, live embed).
_BOARD_SEGMENTS = ("board", "live-embed")

#: What a decoded board id may contain: base64url-ish characters, ``=`` padding.
_MAX_ID = 64  # Miro ids have 12 characters; a longer value is a paste gone wrong (and too long for a file name)
_ID = re.compile(r"^[A-Za-z0-9_\-+/]{4,}={0,2}$")


def _bad(text: str, why: str) -> UserError:
    return UserError(f"--board : « {text} » n'est pas un tableau Miro ({why}) ; exemple : --board {EXAMPLE}")


def parse_board_ref(text: str) -> str:
    """A bare id or a board/live-embed URL (query string, %-encoding allowed) → the decoded id."""
    raw = text.strip()
    if not raw:
        raise _bad(text, "valeur vide")
    candidate = raw
    if "/" in raw or raw.lower().startswith(("http:", "https:", "miro.com")):
        url = raw if "://" in raw else "https://" + raw
        segments = [s for s in urlsplit(url).path.split("/") if s]
        candidate = ""
        for i, segment in enumerate(segments[:-1]):
            if segment in _BOARD_SEGMENTS:
                candidate = segments[i + 1]
                break
        if not candidate:
            raise _bad(text, "l'URL ne contient pas /app/board/<identifiant>/")
    decoded = unquote(candidate)
    if "%" in decoded:
        # Encoded twice (``%253D``): decode once more; a real id never contains ``%``.
        decoded = unquote(decoded)
    if len(decoded) > _MAX_ID:
        raise _bad(text[:40] + "…", f"identifiant trop long : {len(decoded)} caractères ; un identifiant Miro en a 12")
    if not _ID.match(decoded):
        raise _bad(text, "identifiant mal formé")
    return decoded


def quote_id(identifier: str) -> str:
    """One path segment for an id: every reserved character (``=``, ``/``) percent-encoded once."""
    return quote(identifier, safe="")
