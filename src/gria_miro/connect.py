"""From the user's ``--board``/``--token``/``--api-url`` to a client and a board id.

``--board`` is a Miro board id, a board URL, or ``local:PATH`` (a local board file served
in-process through the same ``requests`` code path as the real API). The token comes from
``--token`` or ``MIRO_TOKEN``; it is handed to the client and never printed or stored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gria_miro.errors import UserError

if TYPE_CHECKING:
    from gria_miro.localboard.faults import FaultPlan
    from gria_miro.miro.client import MiroClient

LOCAL_PREFIX = "local:"
DEFAULT_API_URL = "https://api.miro.com"
LOCAL_TOKEN = "local-board"  # the in-process local board needs no secret: the file is the user's own


@dataclass
class BoardConnection:
    client: MiroClient
    board_id: str
    #: Where a person opens the board: the Miro link, or the local file.
    location: str
    is_local: bool


def open_client(
    *, token: str | None, api_url: str | None, local_path: str | None = None, timeout: float = 30.0
) -> tuple[MiroClient, str]:
    """A client for Miro (or for the local board file ``local_path``) and, for a local board, its id."""
    from gria_miro.miro.client import MiroClient

    if local_path is not None:
        from gria_miro.localboard.adapter import open_local_board

        if not local_path.strip():
            raise UserError("--board local: il manque le chemin du fichier ; exemple : --board local:atelier.json")
        target = open_local_board(Path(local_path).expanduser(), faults=_rehearsal_latency())
        client = MiroClient(token or LOCAL_TOKEN, base_url=target.base_url, adapter=target.adapter, timeout=timeout)
        return client, target.board_id
    secret = token or os.environ.get("MIRO_TOKEN")
    if not secret:
        raise UserError(
            "jeton Miro manquant : définissez la variable MIRO_TOKEN ou passez --token "
            "(ou essayez sans compte avec --board local:atelier.json)"
        )
    url = api_url or os.environ.get("MIRO_API_URL") or DEFAULT_API_URL
    # --timeout bounds one request and, when the network is unreachable, the time spent retrying
    return MiroClient(secret, base_url=url, timeout=timeout, network_retry_deadline=timeout), ""


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
) -> BoardConnection:
    """Resolve ``--board`` into a connection; every mistake is a one-line UserError.

    A local board file is created only when ``create`` (push): a command that only reads sees a missing
    file as an empty board and leaves the folder as it was; a push that cannot be confirmed says ``missing``.
    """
    from gria_miro.miro.boardid import parse_board_ref

    if board is None or not board.strip():
        raise UserError(
            "--board manquant : donnez l'identifiant ou l'adresse du tableau Miro, "
            "ou local:FICHIER.json pour un tableau local (ou --new-board NOM avec push)"
        )
    if board.startswith(LOCAL_PREFIX):
        path = board[len(LOCAL_PREFIX) :]
        used = path
        if not create and path.strip() and not Path(path).expanduser().exists():
            if missing:
                raise UserError(missing)
            used = _empty_board_elsewhere()  # reads as the empty board a push would start from; nothing written here
        client, board_id = open_client(token=None, api_url=None, local_path=used, timeout=timeout)
        return BoardConnection(client, board_id, str(Path(path).expanduser()), True)
    _suggest_local(board)
    board_id = parse_board_ref(board)
    client, _ = open_client(token=token, api_url=api_url, timeout=timeout)
    url = api_url or os.environ.get("MIRO_API_URL") or DEFAULT_API_URL
    if url.rstrip("/") == DEFAULT_API_URL:
        location = f"https://miro.com/app/board/{board_id}/"
    else:
        location = f"{board_id} sur {url}"  # another API (e.g. `gria-miro serve`): no Miro page to open
    return BoardConnection(client, board_id, location, False)
