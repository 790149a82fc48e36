"""Options every command that talks to a board shares: one definition each, so their help stays the same."""

from __future__ import annotations

import typer

#: Most teams a layout can hold (layout/model.py: teams.count ≤ 52, one letter per team, A…Z then AA…ZZ).
MAX_TEAMS = 52


def check_timeout(value: float) -> float:
    """``--timeout`` must be a positive number of seconds (0 would fail every request at once)."""
    if value <= 0:
        raise typer.BadParameter(f"un délai positif en secondes est attendu, reçu « {value:g} » (ex. --timeout 30)")
    return value


def check_teams(value: int | None) -> int | None:
    """``--teams`` between 1 and :data:`MAX_TEAMS`, as in layout files."""
    if value is not None and not 1 <= value <= MAX_TEAMS:
        raise typer.BadParameter(f"de 1 à {MAX_TEAMS} équipes, reçu « {value} »")
    return value


def check_lang(value: str) -> str:
    """``--lang``: one of the languages gria-miro writes (the same check for plan, push, pull and export)."""
    from gria_miro.i18n import LANGS

    folded = value.strip().lower()
    if folded not in LANGS:
        raise typer.BadParameter(f"langue « {value} » inconnue ; langues possibles : {', '.join(LANGS)}")
    return folded


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
    callback=check_timeout,
)
