"""The one place that turns exceptions into a message on stderr and an exit code."""

from __future__ import annotations

import sys
import traceback

import typer

from gria_miro.errors import ExitStatus, GriaError


def report(exc: BaseException, *, debug: bool) -> ExitStatus:
    """Print ``exc`` for a user (one line, plus details) and return the exit status to use."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if _is_usage_error(exc):
        return _usage(exc)
    if isinstance(exc, GriaError):
        status = exc.exit_status
        prefix = "" if status == ExitStatus.CHANGES_PENDING else "Erreur : "
        print(f"{prefix}{exc.one_line()}", file=sys.stderr)
        for line in exc.detail_lines():
            print(f"  {line}", file=sys.stderr)
        return status
    if isinstance(exc, KeyboardInterrupt):
        print(
            "Interrompu. Ce qui a déjà été fait est enregistré ; relancez la commande pour reprendre.", file=sys.stderr
        )
        return ExitStatus.INTERRUPTED
    if isinstance(exc, typer.Abort):
        print("Abandonné : rien n'a été modifié.", file=sys.stderr)
        return ExitStatus.INTERRUPTED
    if isinstance(exc, BrokenPipeError):
        return ExitStatus.SUCCESS
    name = type(exc).__name__
    print(
        f"Erreur interne inattendue ({name}: {exc}). Relancez avec --debug pour le détail "
        "et signalez-la aux mainteneurs de gria-miro.",
        file=sys.stderr,
    )
    return ExitStatus.INTERNAL_ERROR


def _is_usage_error(exc: BaseException) -> bool:
    from typer._click.exceptions import UsageError

    return isinstance(exc, UsageError)


def _usage(exc: BaseException) -> ExitStatus:
    """A usage error: the help page when a group is called alone, else one French line (exit 2)."""
    from typer._click.exceptions import NoArgsIsHelpError

    from gria_miro.cli._french import translate_help, usage_error_line

    if isinstance(exc, NoArgsIsHelpError):
        print(translate_help(exc.ctx.get_help()))
        return ExitStatus.SUCCESS
    assert isinstance(exc, Exception)
    print(f"Erreur : {usage_error_line(exc)}", file=sys.stderr)
    return ExitStatus.USER_ERROR
