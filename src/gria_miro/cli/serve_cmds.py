"""``gria-miro serve``: the local Miro-compatible board as an HTTP server on loopback.

Thin glue: parse options, start :mod:`gria_miro.localboard.server`, print the URL, the board id and
the token once, serve until Ctrl-C. The server modules are imported inside the command so
``gria-miro --help`` stays fast.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import typer

from gria_miro.errors import UserError

DEFAULT_BOARD_FILE = Path("plateau-local.json")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the root app."""
    app.command(name="serve")(serve)


def serve(
    path: Path = typer.Argument(
        DEFAULT_BOARD_FILE, help="Fichier JSON du tableau local (créé s'il n'existe pas).", show_default=True
    ),
    port: int = typer.Option(0, "--port", help="Port d'écoute (0 : un port libre choisi au démarrage)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Adresse d'écoute (boucle locale par défaut)."),
    allow_remote: bool = typer.Option(
        False, "--allow-remote", help="Autorise une adresse d'écoute hors boucle locale (le tableau devient joignable)."
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
) -> None:
    """Sert un tableau local compatible Miro en HTTP, pour --api-url http://127.0.0.1:PORT."""
    from gria_miro.localboard.faults import FaultPlan
    from gria_miro.localboard.server import SHUTDOWN_POLL_SECONDS, make_server

    if not _is_loopback(host) and not allow_remote:
        raise UserError(
            f"--host {host} : cette adresse n'est pas la boucle locale ; le tableau serait joignable depuis "
            "le réseau. Ajoutez --allow-remote si c'est voulu."
        )
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
        server, shown_token, board_id = make_server(path, host=host, port=port, token=token, faults=faults)
    except OSError as exc:
        raise UserError(f"Impossible d'écouter sur {host}:{port} ({exc.strerror or exc}).") from None
    print(f"Tableau local servi sur : {server.base_url}")
    print(f"Identifiant du tableau : {board_id}")
    print(f"Jeton (à donner au client, affiché une seule fois) : {shown_token}")
    print(f"Fichier : {path}")
    print("Ctrl-C pour arrêter.", flush=True)
    try:
        server.serve_forever(poll_interval=SHUTDOWN_POLL_SECONDS)
    except KeyboardInterrupt:
        print("Serveur arrêté.")
    finally:
        server.server_close()
