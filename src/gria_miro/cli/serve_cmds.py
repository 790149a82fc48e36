"""``gria-miro serve``: the local board for a room of browsers, and Miro's REST API for gria-miro itself.

Thin glue: parse options, start :mod:`gria_miro.localboard.server`, print the join links (one for the
facilitator, one per team), the board id and the API token once on the terminal (never in a file or
a log), serve until Ctrl-C. The server modules are imported inside the command so ``gria-miro --help``
stays fast.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path

import typer

from gria_miro.errors import UserError

DEFAULT_BOARD_FILE = Path("plateau-local.db")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _room_address(host: str) -> str:
    """The address to put in links: the laptop's address on the room's network for a wildcard host."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    family = socket.AF_INET6 if host == "::" else socket.AF_INET
    probe = ("2001:db8::1", 9) if family == socket.AF_INET6 else ("192.0.2.1", 9)  # documentation ranges
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.connect(probe)  # UDP: chooses the outgoing interface, sends nothing
            return str(sock.getsockname()[0])
    except OSError:
        return "127.0.0.1" if family == socket.AF_INET else "::1"


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the root app."""
    app.command(name="serve")(serve)


def serve(
    path: Path = typer.Argument(
        DEFAULT_BOARD_FILE,
        help="Tableau local .db (créé s'il manque) ; un .json est servi depuis sa copie .db.",
        show_default=True,
    ),
    port: int = typer.Option(0, "--port", help="Port d'écoute, de 1 à 65535 (0 : un port libre choisi au démarrage)."),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Adresse d'écoute : boucle locale par défaut (127.0.0.1 ou ::1) ; 0.0.0.0 pour le réseau de la salle.",
    ),
    teams: int | None = typer.Option(
        None, "--teams", help="Nombre de liens d'équipe (par défaut : les équipes déjà sur le tableau, au moins 1)."
    ),
    allow_remote: bool = typer.Option(False, "--allow-remote", hidden=True, help="Sans effet (ancienne option)."),
    open_browser: bool = typer.Option(
        False, "--open", help="Ouvre le plateau (lien de l'animation) dans le navigateur de cet ordinateur."
    ),
    token: str | None = typer.Option(
        None, "--token", help="Jeton exigé des clients (par défaut : un jeton aléatoire)."
    ),
    latency: float = typer.Option(0.0, "--latency", help="Latence ajoutée à chaque requête, en millisecondes."),
    latency_jitter: float = typer.Option(0.0, "--latency-jitter", help="Latence aléatoire en plus, en millisecondes."),
    fault_seed: int | None = typer.Option(None, "--fault-seed", help="Graine des pannes simulées (rejouables)."),
    p_500: float = typer.Option(0.0, "--p-500", help="Part des requêtes répondues par une erreur 500 (0 à 1)."),
    p_429: float = typer.Option(0.0, "--p-429", help="Part des requêtes répondues par une erreur 429 (0 à 1)."),
    p_drop_before: float = typer.Option(0.0, "--p-drop-before", help="Part des connexions coupées avant écriture."),
    p_drop_after: float = typer.Option(0.0, "--p-drop-after", help="Part des connexions coupées après écriture."),
    credits_per_minute: int | None = typer.Option(
        None, "--credits-per-minute", help="Budget de crédits par minute (Miro : 100000)."
    ),
    export_json: Path | None = typer.Option(
        None,
        "--export-json",
        help="Écrit le tableau dans ce fichier JSON (format d'échange, jamais à moitié) et s'arrête, sans servir.",
    ),
) -> None:
    """Sert le plateau local : dans le navigateur pour la salle (liens affichés), et en API Miro pour --api-url."""
    if export_json is not None:
        from gria_miro.localboard.conversion import export_board

        read = export_board(path, export_json)
        print(f"Tableau {read} exporté en JSON : {export_json}")
        return
    from gria_miro.localboard.faults import FaultPlan
    from gria_miro.localboard.server import SHUTDOWN_POLL_SECONDS, make_server

    if not 0 <= port <= 65535:
        raise UserError(f"--port {port} : un port va de 1 à 65535 (0 : un port libre choisi au démarrage).")
    if teams is not None and not 1 <= teams <= 50:
        raise UserError(f"--teams {teams} : donnez un nombre d'équipes de 1 à 50.")
    if credits_per_minute is not None and credits_per_minute <= 0:
        raise UserError("--credits-per-minute doit être un entier positif.")
    faults = None
    if fault_seed is not None or any((latency, latency_jitter, p_500, p_429, p_drop_before, p_drop_after)):
        try:
            faults = FaultPlan(
                seed=fault_seed or 0,
                latency=latency / 1000,
                latency_jitter=latency_jitter / 1000,
                p_500=p_500,
                p_429=p_429,
                p_drop_before=p_drop_before,
                p_drop_after=p_drop_after,
                credits_per_minute=credits_per_minute,
            )
        except ValueError:
            raise UserError("Les parts de pannes (--p-…) vont de 0 à 1 et les latences sont positives.") from None
    elif credits_per_minute is not None:
        faults = FaultPlan(seed=0, credits_per_minute=credits_per_minute)
    try:
        server, shown_token, board_id = make_server(path, host=host, port=port, token=token, faults=faults, teams=teams)
    except (OSError, OverflowError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc)
        raise UserError(
            f"Impossible d'écouter sur {host}:{port} ({detail}). Choisissez un autre --port, ou 0 pour un port libre."
        ) from None
    from gria_miro.localboard.server import join_url
    from gria_miro.localboard.sqlstore import is_sqlite_path

    remote = not _is_loopback(host)
    base = server.base_url
    if remote:
        bound_port = server.server_address[1]
        address = _room_address(host)
        base = f"http://[{address}]:{bound_port}" if ":" in address else f"http://{address}:{bound_port}"
        print(
            f"Attention : le plateau écoute sur {host}, il est joignable depuis le réseau de la salle. "
            "Toute personne qui a un lien peut modifier le plateau : ne donnez les liens qu'aux participants, "
            "sur un réseau de confiance (pas un Wi-Fi public), et arrêtez le serveur après l'atelier.",
            file=sys.stderr,
        )
    board_file = server.board_file or path
    if server.notice:
        print(server.notice)
    print(f"Plateau local servi sur : {base}")
    print(f"Fichier : {board_file}")
    print("Liens à ouvrir dans un navigateur (affichés une seule fois, à ne donner qu'aux participants) :")
    print(f"  Animation : {join_url(base, server.access, None)}")
    for link in server.access.team_links():
        print(f"  {link.label} : {join_url(base, server.access, link.team)}")
    # gria-miro speaks plain http:// to loopback only (the token never crosses a network in clear)
    api_base = server.base_url.replace("://0.0.0.0:", "://127.0.0.1:").replace("://[::]:", "://[::1]:")
    print("Pour gria-miro pendant le jeu (push, pull, plan), dans un autre terminal :")
    if is_sqlite_path(board_file):  # another process's writes reach the browsers (the server watches the file)
        print(f"  --board local:{board_file}")
        print(f"  ou par le serveur : --board {board_id} --api-url {api_base} --token {shown_token}")
    else:
        print(f"  --board {board_id} --api-url {api_base} --token {shown_token}")
    print("Ctrl-C pour arrêter.", flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(join_url(server.base_url, server.access, None))
    try:
        server.serve_forever(poll_interval=SHUTDOWN_POLL_SECONDS)
    except KeyboardInterrupt:
        print("Serveur arrêté.")
    finally:
        server.server_close()
