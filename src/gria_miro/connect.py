"""From the user's ``--board``/``--token``/``--api-url`` to a client and a board id.

``--board`` is a Miro board id, a board URL, or ``local:PATH`` (a local board file served
in-process through the same ``requests`` code path as the real API). The token comes from
``--token``, else ``MIRO_TOKEN``, else the keychain (``gria-miro login``), see :func:`find_token`;
it is handed to the client and never printed, logged or written anywhere else.
"""

from __future__ import annotations

import enum
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gria_miro.errors import UserError

if TYPE_CHECKING:
    from gria_miro.localboard.faults import FaultPlan
    from gria_miro.miro.client import MiroClient

LOCAL_PREFIX = "local:"
DEFAULT_API_URL = "https://api.miro.com"
LOCAL_TOKEN = "local-board"  # the in-process local board needs no secret: the file is the user's own


class TokenSource(enum.Enum):
    """Where the token in use came from (``whoami`` says it; the token itself is never shown)."""

    OPTION = "l'option --token"
    ENVIRONMENT = "la variable d'environnement MIRO_TOKEN"
    KEYCHAIN = "le trousseau du système (gria-miro login)"


@dataclass(frozen=True)
class FoundToken:
    secret: str = field(repr=False)
    source: TokenSource


def find_token(option: str | None) -> FoundToken | None:
    """The token to use, by precedence (one line per rule); None when there is none anywhere."""
    if option and option.strip():
        return FoundToken(option.strip(), TokenSource.OPTION)  # given for this command: always wins
    env = os.environ.get("MIRO_TOKEN", "").strip()
    if env:
        return FoundToken(env, TokenSource.ENVIRONMENT)  # set for this session: wins over the stored one
    from gria_miro import keychain

    stored = keychain.load()
    if stored:
        return FoundToken(stored, TokenSource.KEYCHAIN)  # saved once by `gria-miro login`
    return None


MISSING_TOKEN = (
    "jeton Miro manquant : lancez une fois gria-miro login (le jeton est gardé dans le trousseau du système), "
    "ou définissez la variable MIRO_TOKEN, ou passez --token ; pour obtenir un jeton, voir docs/jeton-miro.md "
    "(ou essayez sans compte avec --board local:atelier.json)"
)


def api_url_for(option: str | None) -> str:
    """``--api-url``, else ``MIRO_API_URL``, else Miro's API."""
    return option or os.environ.get("MIRO_API_URL") or DEFAULT_API_URL


@dataclass
class BoardConnection:
    client: MiroClient
    board_id: str
    #: Where a person opens the board: the Miro link, or the local file.
    location: str
    is_local: bool
    #: False for a local board file that does not exist yet, previewed as the empty board a push starts from.
    exists: bool = True


def open_client(
    *,
    token: str | None,
    api_url: str | None,
    local_path: str | None = None,
    timeout: float = 30.0,
    create: bool = True,
) -> tuple[MiroClient, str]:
    """A client for Miro (or for the local board file ``local_path``) and, for a local board, its id.

    A missing local board file is created only when ``create``; otherwise
    :class:`~gria_miro.localboard.store.BoardMissing` says so, naming the closest existing board file.
    """
    from gria_miro.miro.client import MiroClient

    if local_path is not None:
        from gria_miro.localboard.adapter import open_local_board

        if not local_path.strip():
            raise UserError("--board local: il manque le chemin du fichier ; exemple : --board local:atelier.json")
        target = open_local_board(Path(local_path).expanduser(), faults=_rehearsal_latency(), create=create)
        client = MiroClient(token or LOCAL_TOKEN, base_url=target.base_url, adapter=target.adapter, timeout=timeout)
        return client, target.board_id
    found = find_token(token)
    if found is None:
        raise UserError(MISSING_TOKEN)
    url = api_url_for(api_url)
    # --timeout bounds one request and, when the network is unreachable, the time spent retrying
    return MiroClient(found.secret, base_url=url, timeout=timeout, network_retry_deadline=timeout), ""


def _rehearsal_latency() -> FaultPlan | None:
    """``GRIA_MIRO_LOCAL_LATENCY_MS``: make a local board answer as slowly as Miro over a real
    connection (rehearsals, and the test that kills a push midway)."""
    from gria_miro.localboard.faults import FaultPlan

    raw = os.environ.get("GRIA_MIRO_LOCAL_LATENCY_MS")
    if not raw:
        return None
    try:
        latency = float(raw) / 1000
    except ValueError:
        raise UserError(f"GRIA_MIRO_LOCAL_LATENCY_MS={raw!r} : un nombre de millisecondes est attendu") from None
    return FaultPlan(seed=0, latency=max(latency, 0.0))


def _empty_board_elsewhere() -> str:
    """A new, empty local board file in a temporary folder removed when the process ends."""
    import shutil
    import tempfile
    import weakref

    folder = tempfile.mkdtemp(prefix="gria-miro-")
    weakref.finalize(_TEMPORARY, shutil.rmtree, folder, True)
    return str(Path(folder) / "tableau.json")


class _Temporaries:
    """Owner of the temporary board folders (finalized, hence removed, at interpreter exit)."""


_TEMPORARY = _Temporaries()


def _suggest_local(board: str) -> None:
    """``--board atelier.json`` (a local board file without ``local:``): say how to write it."""
    looks_local = board.lower().endswith(".json") and "miro.com" not in board.lower()
    try:
        exists = Path(board).expanduser().is_file()
    except OSError:  # a name too long for the file system is not a file
        exists = False
    if exists or looks_local:
        found = "ce fichier existe : " if exists else ""
        raise UserError(
            f"--board {board} : {found}pour un tableau local, écrivez --board local:{board} "
            "(un tableau Miro se donne par son identifiant ou son adresse)"
        )


def open_board(
    board: str | None,
    *,
    token: str | None,
    api_url: str | None,
    timeout: float = 30.0,
    create: bool = True,
    missing: str = "",
    preview_new: bool = False,
) -> BoardConnection:
    """Resolve ``--board`` into a connection; every mistake is a one-line UserError.

    A local board file is created only when ``create`` (push): for a command that only reads, a missing
    file is an error that names the closest existing board file (``BoardMissing``), and nothing is
    created; a push that cannot be confirmed says ``missing`` instead. With ``preview_new`` (plan), a missing
    file whose name is close to no existing board file (not a typo) reads as the empty board a first push
    would start from, in a temporary folder (``exists`` is False); nothing is written beside it.
    """
    from gria_miro.miro.boardid import parse_board_ref

    if board is None or not board.strip():
        raise UserError(
            "--board manquant : donnez l'identifiant ou l'adresse du tableau Miro, "
            "ou local:FICHIER.json pour un tableau local (ou --new-board NOM avec push)"
        )
    if board.startswith(LOCAL_PREFIX):
        path = board[len(LOCAL_PREFIX) :]
        if path.strip():  # a JSON board file that gria-miro serve converted is played in its database
            from gria_miro.localboard.conversion import played_copy

            played, notice = played_copy(Path(path).expanduser())
            if notice:
                print(notice, file=sys.stderr)
                path = str(played)
        absent = not create and bool(path.strip()) and not Path(path).expanduser().exists()
        if absent and missing:
            raise UserError(missing)
        used = path
        if absent and preview_new:
            from gria_miro.localboard.store import closest_board

            if closest_board(Path(path).expanduser()) is None:
                used = _empty_board_elsewhere()  # a new board, previewed: nothing written at ``path``
        client, board_id = open_client(
            token=None, api_url=None, local_path=used, timeout=timeout, create=create or used != path
        )
        return BoardConnection(client, board_id, str(Path(path).expanduser()), True, exists=not absent)
    _suggest_local(board)
    board_id = parse_board_ref(board)
    client, _ = open_client(token=token, api_url=api_url, timeout=timeout)
    url = api_url_for(api_url)
    if url.rstrip("/") == DEFAULT_API_URL:
        location = f"https://miro.com/app/board/{board_id}/"
    else:
        location = f"{board_id} sur {url}"  # another API (e.g. `gria-miro serve`): no Miro page to open
    return BoardConnection(client, board_id, location, False)
