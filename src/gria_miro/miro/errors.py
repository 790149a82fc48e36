"""Typed errors of the Miro client: one choke point turns an HTTP response into one of them.

Every error carries data (status, Miro's code and message, request id, board and item ids,
Miro's per-field messages and, for a bulk create, the index of the failing element) and
says in one French line what the user should do. The token is never part of any of them:
they are built from the response body, the method and the path only.

``OutcomeUnknownError`` is special: a create (POST) was sent but its answer was lost
(connection dropped, read timeout, 5xx from a gateway). Miro may or may not have created
the items. The client never retries such a request; reconciliation belongs to the sync
layer (it re-lists the board and matches items by identity before creating again).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from gria_miro.errors import ExitStatus, GriaError

#: Header names under which a request id may come back (which one Miro uses is UNCONFIRMED).
REQUEST_ID_HEADERS = ("X-Request-Id", "X-Miro-Request-Id", "X-Amzn-Trace-Id", "Request-Id")

_BULK_INDEX = re.compile(r"^\[?(\d+)\]?(?:[.\[]|$)")


@dataclass(frozen=True)
class FieldMessage:
    """One of Miro's ``context.fields[]`` entries: which field is wrong and why."""

    field: str
    message: str


def _where(board_id: str | None, item_id: str | None) -> str:
    if item_id and board_id:
        return f"l'élément {item_id} du tableau {board_id}"
    if board_id:
        return f"le tableau {board_id}"
    return "Miro"


class MiroError(GriaError):
    """Base of every error raised by the Miro client."""

    exit_status = ExitStatus.API_ERROR

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        board_id: str | None = None,
        item_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.board_id = board_id
        self.item_id = item_id
        #: Set by ``MiroClient.bulk_create_chunks`` for the chunk this error belongs to.
        self.chunk_index: int | None = None


class MiroApiError(MiroError):
    """Miro (or the local board) answered with an error status."""

    def __init__(
        self,
        *,
        status: int,
        code: str | None = None,
        miro_message: str | None = None,
        request_id: str | None = None,
        fields: Sequence[FieldMessage] = (),
        bulk_index: int | None = None,
        method: str | None = None,
        path: str | None = None,
        board_id: str | None = None,
        item_id: str | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.miro_message = miro_message
        self.request_id = request_id
        self.fields = tuple(fields)
        self.bulk_index = bulk_index
        self.method = method
        self.board_id = board_id
        self.item_id = item_id
        super().__init__(self._compose(), method=method, path=path, board_id=board_id, item_id=item_id)

    def _advice(self) -> str:
        return f"Miro a répondu {self.status} pour {_where(self.board_id, self.item_id)}"

    def _compose(self) -> str:
        parts = [self._advice()]
        if self.miro_message:
            parts.append(f"(Miro : {self.miro_message}{f' [{self.code}]' if self.code else ''})")
        if self.request_id:
            parts.append(f"[requête {self.request_id}]")
        return " ".join(parts)

    def detail_lines(self) -> list[str]:
        return [f"{f.field} : {f.message}" for f in self.fields]


class MiroAuthError(MiroApiError):
    """401: the token is missing, expired or revoked."""

    def _advice(self) -> str:
        return "jeton Miro refusé : vérifiez MIRO_TOKEN ou --token (jeton expiré, révoqué ou mal copié)"


class MiroPermissionError(MiroApiError):
    """403: the token may read but not write, or the user is not a member/editor of the board."""

    def _advice(self) -> str:
        where = _where(self.board_id, self.item_id)
        if self.method in {"POST", "PATCH", "PUT", "DELETE"}:
            return (
                f"écriture refusée sur {where} : le jeton est en lecture seule (il lui faut la permission "
                "boards:write) ou votre compte n'est pas éditeur de ce tableau"
            )
        return f"accès refusé à {where} : le compte du jeton n'est pas membre de ce tableau (permission boards:read)"


#: Where a facilitator learns to make a token that can write (shipped with the source, linked from the README).
TOKEN_GUIDE = "docs/jeton-miro.md"

_WRITING_TOKEN_HOWTO = (
    "il faut un jeton d'application Miro avec la permission boards:write (« Install app and get OAuth token » "
    f"dans les réglages de votre application Miro ; pas un jeton copié du menu Partager), étapes dans {TOKEN_GUIDE}, "
    "puis gria-miro login"
)


class ReadOnlyTokenError(MiroPermissionError):
    """The token can only read: a write answered 405 or 403, or its scopes lack ``boards:write``.

    Raised before any write when the scopes say so (``GET /v1/oauth-token`` read with the board),
    otherwise from the first refused write.
    """

    def __init__(self, *, scopes: Sequence[str] | None = None, **kwargs: Any) -> None:
        self.scopes = tuple(scopes) if scopes is not None else None
        super().__init__(**kwargs)

    @classmethod
    def from_scopes(cls, scopes: Sequence[str], *, board_id: str | None = None) -> ReadOnlyTokenError:
        """The token's own description says it cannot write (nothing was sent to the board)."""
        return cls(scopes=scopes, status=200, method="GET", path="/v1/oauth-token", board_id=board_id)

    def _advice(self) -> str:
        if self.scopes is not None:
            listed = ", ".join(self.scopes) or "aucune"
            return f"ce jeton est en lecture seule ({listed}), rien n'a été écrit ; {_WRITING_TOKEN_HOWTO}"
        return (
            f"ce jeton est en lecture seule : Miro refuse d'écrire sur {_where(self.board_id, self.item_id)} "
            f"({self.status}) ; {_WRITING_TOKEN_HOWTO} (si le jeton a bien boards:write, votre compte n'est "
            "peut-être que lecteur de ce tableau : demandez à en être éditeur)"
        )

    def _compose(self) -> str:
        if self.scopes is not None:
            return self._advice()  # no Miro message to add: the token info said it all
        return super()._compose()


class MiroNotFoundError(MiroApiError):
    """404: the board or the item does not exist (or is not visible to this token)."""

    def _advice(self) -> str:
        if self.item_id and self.board_id:
            return (
                f"élément {self.item_id} introuvable sur le tableau {self.board_id} : "
                "il a sans doute été supprimé sur le tableau"
            )
        if self.board_id:
            return (
                f"tableau {self.board_id} introuvable : vérifiez --board (l'identifiant suit /app/board/ "
                "dans l'URL) et que le compte du jeton y a accès"
            )
        return "ressource Miro introuvable : vérifiez --api-url et --board"


class MiroValidationError(MiroApiError):
    """400 (and other 4xx): Miro rejected what was sent; ``fields`` says which field."""

    def _advice(self) -> str:
        where = _where(self.board_id, self.item_id)
        head = f"Miro a refusé la requête ({self.status}) pour {where}"
        if self.bulk_index is not None:
            head += f", élément n°{self.bulk_index} du lot (aucun élément du lot n'a été créé)"
        if self.fields:
            first = self.fields[0]
            head += f" ; champ {first.field} : {first.message}"
        return head


class MiroRateLimitError(MiroApiError):
    """429 that kept coming until the retry deadline."""

    def __init__(self, *, waited_seconds: float = 0.0, **kwargs: Any) -> None:
        self.waited_seconds = waited_seconds
        super().__init__(**kwargs)

    def _advice(self) -> str:
        return (
            f"Miro limite le débit (429) et refuse encore après {self.waited_seconds:.0f} s d'attente : "
            "patientez une minute puis relancez la commande (ce qui est fait est enregistré)"
        )


class MiroServerError(MiroApiError):
    """5xx that kept coming until the retry deadline."""

    def _advice(self) -> str:
        return (
            f"Miro a une panne temporaire ({self.status}) pour {_where(self.board_id, self.item_id)} : "
            "réessayez dans quelques minutes"
        )


class MiroPaginationError(MiroError):
    """A listing misbehaved (repeated cursor, a page of already-seen items): stopped instead of looping."""


class MiroNetworkError(MiroError):
    """The API could not be reached (DNS, connection refused or reset)."""

    exit_status = ExitStatus.NETWORK_ERROR


class MiroTimeoutError(MiroNetworkError):
    """The API did not answer within the timeout, until the retry deadline."""


class OutcomeUnknownError(MiroError):
    """A create was sent but its answer was lost: Miro may or may not have created the items.

    Never retried. ``items`` are the bodies that were sent (one for a single create, up to 20 for
    a bulk chunk), ``chunk_index`` the chunk in ``bulk_create_chunks``. The sync layer re-lists the
    board and matches by identity before creating anything again.
    """

    exit_status = ExitStatus.NETWORK_ERROR

    def __init__(
        self,
        *,
        items: Sequence[Mapping[str, Any]],
        reason: str,
        status: int | None = None,
        method: str | None = None,
        path: str | None = None,
        board_id: str | None = None,
    ) -> None:
        self.items = tuple(items)
        self.reason = reason
        self.status = status
        if status is not None:
            self.exit_status = ExitStatus.API_ERROR
        count = len(self.items)
        message = (
            f"réponse perdue pour la création de {count} élément(s) sur le tableau {board_id} ({reason}) : "
            "on ne sait pas s'ils ont été créés ; relancez la commande, elle relira le tableau avant de recréer"
        )
        super().__init__(message, method=method, path=path, board_id=board_id)


def _request_id(response: requests.Response) -> str | None:
    for name in REQUEST_ID_HEADERS:
        value = response.headers.get(name)
        if value:
            return value
    return None


def _fields(context: object) -> list[FieldMessage]:
    if not isinstance(context, Mapping):
        return []
    raw = context.get("fields")
    if not isinstance(raw, list):
        return []
    out = []
    for entry in raw:
        if isinstance(entry, Mapping):
            out.append(FieldMessage(str(entry.get("field", "")), str(entry.get("message", ""))))
    return out


def bulk_index_of(fields: Sequence[FieldMessage]) -> int | None:
    """The failing element of a bulk create: Miro's field is "0-based index followed by parameter name"."""
    for f in fields:
        match = _BULK_INDEX.match(f.field)
        if match:
            return int(match.group(1))
    return None


_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: A write refused with one of these means the token (or the account) may only read.
_READ_ONLY_STATUSES = frozenset({403, 405})

#: status → error class (one branch per kind of answer).
_BY_STATUS: dict[int, type[MiroApiError]] = {
    401: MiroAuthError,  # bad / expired token
    403: MiroPermissionError,  # read-only token or not a member
    404: MiroNotFoundError,  # board or item gone
    429: MiroRateLimitError,  # still limited at the deadline
}


def error_from_response(
    response: requests.Response,
    *,
    method: str,
    path: str,
    board_id: str | None,
    item_id: str | None,
    bulk: bool = False,
    waited_seconds: float = 0.0,
) -> MiroApiError:
    """The one choke point: an error response → a typed exception carrying Miro's details."""
    status = response.status_code
    try:
        body: object = response.json()
    except ValueError:
        body = None
    code = message = None
    fields: list[FieldMessage] = []
    if isinstance(body, Mapping):
        code = str(body["code"]) if body.get("code") is not None else None
        message = str(body["message"]) if body.get("message") is not None else None
        fields = _fields(body.get("context"))
    kwargs: dict[str, Any] = {
        "status": status,
        "code": code,
        "miro_message": message,
        "request_id": _request_id(response),
        "fields": fields,
        "bulk_index": bulk_index_of(fields) if bulk else None,
        "method": method,
        "path": path,
        "board_id": board_id,
        "item_id": item_id,
    }
    if status >= 500:
        return MiroServerError(**kwargs)
    if status in _READ_ONLY_STATUSES and method in _WRITE_METHODS:
        return ReadOnlyTokenError(**kwargs)  # a Share-menu token answers 405 to any write; 403 without boards:write
    cls = _BY_STATUS.get(status, MiroValidationError)
    if cls is MiroRateLimitError:
        return MiroRateLimitError(waited_seconds=waited_seconds, **kwargs)
    return cls(**kwargs)
