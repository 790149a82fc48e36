"""The typer application: thin glue between options and the core.

Each command group lives in its own module and registers itself here; heavy
modules (requests, pydantic models, the layout engine…) are imported inside the
commands so that ``gria-miro --help`` starts fast.
"""

from __future__ import annotations

import functools
import sys
from typing import Any

import typer

from gria_miro import __version__
from gria_miro.cli import _errors, _process  # noqa: F401  (_process: shorter start and exit, see its docstring)
from gria_miro.cli._context import STATE

app = typer.Typer(
    name="gria-miro",
    help=(
        "Outil d'animation du jeu GR:IA sur Miro : prépare le plateau (deck + disposition), "
        "le pousse sur un tableau Miro, puis exporte la feuille de route de l'équipe."
    ),
    no_args_is_help=True,
    add_completion=True,
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
    from gria_miro.cli import board_cmds, deck_cmds, layout_cmds, login_cmds, print_cmds, pull_cmds, serve_cmds

    for module in (deck_cmds, layout_cmds, board_cmds, pull_cmds, serve_cmds, print_cmds, login_cmds):
        module.register(app)


_register_commands()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: runs the command tree and maps every outcome to one exit code.

    The tree is run here rather than through typer's standalone mode, which would print usage
    errors in English and turn Ctrl-C into a silent exit 130: usage errors, Ctrl-C and every
    other exception come back to ``_errors.report``, the one place that says them in French.
    """
    from gria_miro.cli._console import setup_streams

    setup_streams()
    args = sys.argv[1:] if argv is None else argv
    STATE.debug = "--debug" in args
    command = _command_tree()
    try:
        command._main_shell_completion({}, "gria-miro")  # answers the shell's completion requests, then exits
        with command.make_context("gria-miro", list(args)) as ctx:
            command.invoke(ctx)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (Exception, KeyboardInterrupt) as exc:  # no traceback reaches a user (unless --debug)
        sys.exit(int(_errors.report(exc, debug=STATE.debug)))


@functools.cache
def _command_tree() -> Any:
    """The French click tree of ``app``, built once per process: building it inspects every command's
    signature (about 25 ms), and a process that runs several commands (the tests) needs it only once."""
    from gria_miro.cli._french import french_tree

    return french_tree(app)
