"""The typer application: thin glue between options and the core.

Each command group lives in its own module and registers itself here; heavy
modules (requests, pydantic models, the layout engine…) are imported inside the
commands so that ``gria-miro --help`` starts fast.
"""

from __future__ import annotations

import sys

import typer

from gria_miro import __version__
from gria_miro.cli import _errors
from gria_miro.cli._context import STATE

app = typer.Typer(
    name="gria-miro",
    help=(
        "Outil d'animation du jeu GR:IA sur Miro : prépare le plateau (deck + disposition), "
        "le pousse sur un tableau Miro, puis exporte la feuille de route de l'équipe."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version_callback(value: bool) -> None:
    if value:
        print(f"gria-miro {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Affiche la trace complète en cas d'erreur."),
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Affiche la version et quitte."
    ),
) -> None:
    STATE.debug = debug


def _register_commands() -> None:
    from gria_miro.cli import board_cmds, deck_cmds, layout_cmds, print_cmds, pull_cmds, serve_cmds

    for module in (deck_cmds, layout_cmds, board_cmds, pull_cmds, serve_cmds, print_cmds):
        module.register(app)


_register_commands()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: runs the app and maps every error to one exit code.

    typer's standalone mode handles usage errors (exit 2) and ``--help``; every other
    exception comes back here, to the one choke point that prints it in one line.
    """
    args = sys.argv[1:] if argv is None else argv
    STATE.debug = "--debug" in args
    try:
        app(args=args, prog_name="gria-miro")
    except (Exception, KeyboardInterrupt) as exc:  # no traceback reaches a user (unless --debug)
        sys.exit(int(_errors.report(exc, debug=STATE.debug)))
