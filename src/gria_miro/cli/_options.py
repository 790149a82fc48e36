"""Options every command that talks to a board shares: one definition each, so their help stays the same."""

from __future__ import annotations

import typer

BOARD_HELP = "Tableau : identifiant Miro (uXjV…=), adresse du tableau, ou local:FICHIER.json."
TOKEN_HELP = "Jeton d'accès Miro (par défaut : MIRO_TOKEN, sinon celui de gria-miro login). Jamais affiché."
API_HELP = "Adresse de l'API (par défaut : MIRO_API_URL ou https://api.miro.com)."
STATE_HELP = "Fichier d'état de ce tableau (par défaut : un fichier par tableau dans ~/.local/state/gria-miro)."

BOARD_OPTION = typer.Option(None, "--board", "-b", help=BOARD_HELP)
TOKEN_OPTION = typer.Option(None, "--token", help=TOKEN_HELP)
API_URL_OPTION = typer.Option(None, "--api-url", help=API_HELP)
STATE_OPTION = typer.Option(None, "--state", help=STATE_HELP)
TIMEOUT_OPTION = typer.Option(
    30.0,
    "--timeout",
    help="Délai maximal d'une requête (et des nouvelles tentatives si le réseau est injoignable), en secondes.",
)
