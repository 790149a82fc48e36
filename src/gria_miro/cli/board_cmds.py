"""``plan``, ``push`` and ``clean``: thin glue between options, the planner and the board."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gria_miro.cli._options import (
    API_URL_OPTION,
    BOARD_OPTION,
    STATE_OPTION,
    TIMEOUT_OPTION,
    TOKEN_OPTION,
    check_lang,
    check_teams,
)
from gria_miro.cli._progress import reading_board
from gria_miro.errors import ConflictError, ExitStatus, UserError

if TYPE_CHECKING:
    from gria_miro.board import DesiredBoard
    from gria_miro.connect import BoardConnection
    from gria_miro.observed import ObservedBoard
    from gria_miro.sync.apply import ApplyReport
    from gria_miro.sync.planner import Plan, PlanOptions
    from gria_miro.sync.push import PushInputs
    from gria_miro.sync.state import BoardState

# Options shared by plan, push and clean (those of every board command are in _options.py).
DECK_OPTION = typer.Option(
    None, "--deck", "-d", help="Deck (chemin ou nom ; défaut : celui du dernier push, sinon gria-fr)."
)
LAYOUT_OPTION = typer.Option(
    None, "--layout", "-l", help="Disposition (chemin ou nom ; défaut : celle du dernier push, sinon randonnee)."
)
TEAMS_OPTION = typer.Option(
    None,
    "--teams",
    help="Nombre d'équipes, 1 à 52 (défaut : celui du dernier push, sinon celui de la disposition).",
    callback=check_teams,
)
VERBOSE_OPTION = typer.Option(
    False, "--verbose", "-v", help="Affiche chaque élément du plan avec sa clé, inchangés compris (au lieu du résumé)."
)
QUIET_OPTION = typer.Option(False, "--quiet", "-q", help="N'affiche que la ligne de bilan du plan.")
LANG_OPTION = typer.Option("fr", "--lang", help="Langue du plan affiché : fr ou en.", callback=check_lang)
YES_OPTION = typer.Option(False, "--yes", "-y", help="Ne pas demander de confirmation.")


NO_TTY = "confirmation impossible sans terminal : relancez avec --yes pour appliquer sans question"


@dataclass
class Session:
    """Everything a plan needs, read once: the connection, where the state lives, the planner's inputs."""

    connection: BoardConnection
    state_path: Path
    inputs: PushInputs

    @property
    def desired(self) -> DesiredBoard:
        return self.inputs.desired

    @property
    def observed(self) -> ObservedBoard:
        return self.inputs.observed

    @property
    def state(self) -> BoardState:
        return self.inputs.state


def _open(
    board: str | None,
    deck: str | None,
    layout: str | None,
    teams: int | None,
    token: str | None,
    api_url: str | None,
    state_file: Path | None,
    timeout: float,
    new_board: str | None = None,
    for_writing: bool = False,
    *,
    create: bool = False,
    missing: str = "",
    preview_new: bool = False,
) -> Session:
    from gria_miro.connect import BoardConnection, open_board, open_client
    from gria_miro.sourcefile import check_state_location
    from gria_miro.sync.push import read_push_inputs
    from gria_miro.sync.state import state_path_for

    if new_board is not None:
        if board is not None:
            raise UserError("--board et --new-board s'excluent : choisissez un tableau existant ou un nouveau")
        client, _ = open_client(token=token, api_url=api_url, timeout=timeout)
        created = client.create_board(new_board)
        link = getattr(created, "view_link", None) or f"https://miro.com/app/board/{created.id}/"
        connection = BoardConnection(client, created.id, link, False)
    else:
        if create and _new_local_file(board):
            _check_inputs(deck, layout, teams)  # a push that fails on its deck or layout creates no board file
        connection = open_board(
            board,
            token=token,
            api_url=api_url,
            timeout=timeout,
            create=create,
            missing=missing,
            preview_new=preview_new,
        )
    state_path = state_file or state_path_for(connection.board_id)
    if for_writing:
        check_state_location(state_path)  # a state that cannot be saved is refused before the board is touched
    inputs = read_push_inputs(
        connection.client,
        connection.board_id,
        state_path,
        deck=deck,
        layout=layout,
        teams=teams,
        for_writing=for_writing,
    )
    return Session(connection, state_path, inputs)


def _new_local_file(board: str | None) -> bool:
    """Whether ``--board`` names a local board file that does not exist yet (a push would create it)."""
    from gria_miro.connect import LOCAL_PREFIX

    if board is None or not board.startswith(LOCAL_PREFIX) or not board[len(LOCAL_PREFIX) :].strip():
        return False
    return not Path(board[len(LOCAL_PREFIX) :]).expanduser().exists()


def _check_inputs(deck: str | None, layout: str | None, teams: int | None) -> None:
    """Read the deck and lay out the board a new board would get (options, else the defaults); raise on errors."""
    from gria_miro.deck.loading import load_deck
    from gria_miro.layout.engine import compute_board
    from gria_miro.layout.loading import load_layout
    from gria_miro.sync.push import choose

    chosen = choose((deck, layout, teams), None, (None, None, None))
    compute_board(load_deck(chosen.deck), load_layout(chosen.layout), teams=chosen.teams)


def _render(result: Plan, session: Session, verbose: bool, quiet: bool, lang: str, refused: list[str]) -> str:
    """The plan as the facilitator asked: the summary by team and zone (default), every item (--verbose), or
    only the summary line (--quiet)."""
    from gria_miro.i18n import parse_lang
    from gria_miro.render.plan import render_plan_summary, render_plan_text, summary_line

    if verbose and quiet:
        raise UserError("--verbose et --quiet s'excluent : choisissez l'un ou l'autre")
    if quiet:
        return summary_line(result, lang) + "\n"
    if verbose:
        return render_plan_text(result, session.desired, verbose=True, lang=lang)
    return render_plan_summary(result, session.desired, lang=parse_lang(lang), refused=refused)


def _plan(session: Session, prune: bool, restore: bool, force: bool) -> Plan:
    from gria_miro.sync.planner import PlanOptions, plan_push

    return plan_push(session.desired, session.observed, session.state, PlanOptions(prune, restore, force))


def plan(
    board: str = BOARD_OPTION,
    deck: str = DECK_OPTION,
    layout: str = LAYOUT_OPTION,
    teams: int = TEAMS_OPTION,
    output_format: str = typer.Option("text", "--format", help="text ou json."),
    detailed_exitcode: bool = typer.Option(
        False, "--detailed-exitcode", help="Code de sortie 6 si des changements sont en attente, 0 sinon."
    ),
    verbose: bool = VERBOSE_OPTION,
    quiet: bool = QUIET_OPTION,
    prune: bool = typer.Option(False, "--prune", help="Prévoir la suppression de ce qui a été retiré du deck."),
    restore: bool = typer.Option(False, "--restore", help="Prévoir de recréer ce que les participants ont supprimé."),
    force: bool = typer.Option(False, "--force", help="Prévoir d'écraser les conflits avec le deck."),
    lang: str = LANG_OPTION,
    token: str = TOKEN_OPTION,
    api_url: str = API_URL_OPTION,
    state_file: Path = STATE_OPTION,
    timeout: float = TIMEOUT_OPTION,
) -> None:
    """Montre ce qu'un push ferait sur le tableau, sans rien changer."""
    from gria_miro.render.plan import render_plan_json

    if output_format not in ("text", "json"):
        raise UserError(f"--format {output_format} : valeurs possibles : text, json")
    with reading_board():
        session = _open(board, deck, layout, teams, token, api_url, state_file, timeout, preview_new=True)
    result = _plan(session, prune, restore, force)
    if not session.connection.exists:
        print(
            f"{session.connection.location} n'existe pas encore : voici ce qu'un premier push y créerait "
            "(rien n'est écrit).",
            file=sys.stderr,
        )
    if output_format == "json":
        print(session.inputs.applied_line(), file=sys.stderr)
        sys.stdout.write(render_plan_json(result, session.desired))
    else:
        if not quiet:
            print(session.inputs.applied_line())
        sys.stdout.write(_render(result, session, verbose, quiet, lang, session.inputs.contradictions()))
    _warn_unfit(result, session)
    if detailed_exitcode and result.has_changes:
        raise typer.Exit(int(ExitStatus.CHANGES_PENDING))


def _warn_unfit(result: Plan, session: Session) -> None:
    """Say in the plan that push would refuse it (a zone made smaller than what stays in it)."""
    from gria_miro.sync.fit import ZoneTooSmallError, too_small

    zones = too_small(result, session.desired, session.observed)
    if zones:
        refusal = ZoneTooSmallError(zones)
        print(f"Attention : push refusera ce plan : {refusal.one_line()}", file=sys.stderr)
        for line in refusal.detail_lines():
            print(f"  {line}", file=sys.stderr)


def push(
    board: str = BOARD_OPTION,
    deck: str = DECK_OPTION,
    layout: str = LAYOUT_OPTION,
    teams: int = TEAMS_OPTION,
    new_board: str = typer.Option(None, "--new-board", help="Crée d'abord un nouveau tableau Miro de ce nom."),
    yes: bool = YES_OPTION,
    prune: bool = typer.Option(False, "--prune", help="Supprime ce que gria-miro avait créé et qui a quitté le deck."),
    restore: bool = typer.Option(False, "--restore", help="Recrée ce que les participants ont supprimé."),
    force: bool = typer.Option(
        False, "--force", help="Écrase les éléments modifiés à la fois sur le tableau et dans le deck."
    ),
    verbose: bool = VERBOSE_OPTION,
    quiet: bool = QUIET_OPTION,
    lang: str = LANG_OPTION,
    token: str = TOKEN_OPTION,
    api_url: str = API_URL_OPTION,
    state_file: Path = STATE_OPTION,
    timeout: float = TIMEOUT_OPTION,
) -> None:
    """Crée ou met à jour le plateau sur le tableau, sans dupliquer ni défaire le travail des participants."""
    from gria_miro.formatting import credits, duration, number
    from gria_miro.sync.fit import check_fits
    from gria_miro.sync.planner import ActionKind, PlanOptions
    from gria_miro.sync.state import save_state

    can_confirm = yes or sys.stdin.isatty()  # a push that cannot be confirmed creates no local board file
    with reading_board():
        session = _open(
            board,
            deck,
            layout,
            teams,
            token,
            api_url,
            state_file,
            timeout,
            new_board,
            for_writing=True,
            create=can_confirm,
            missing=NO_TTY,
        )
    result = _plan(session, prune, restore, force)
    err = sys.stderr
    if not quiet:
        print(session.inputs.applied_line())
    clash = session.inputs.contradictions()
    if clash and not force:
        raise UserError(
            "ces options contredisent ce que dit le tableau : "
            + ", ".join(clash)
            + " ; relancez sans elles (le tableau sait ce qui y a été poussé) ou avec --force"
        )
    sys.stdout.write(_render(result, session, verbose, quiet, lang, []))
    check_fits(result, session.desired, session.observed)  # refused before the first write
    session.inputs.remember_inputs()
    manifest_stale = not session.inputs.manifest_up_to_date()
    if result.has_changes or result.adopted or result.of(ActionKind.FORGET) or manifest_stale:
        _confirm(yes, "Appliquer ce plan au tableau ?")
        if result.has_changes or manifest_stale:
            result, report, waited = _apply_locked(session, result, PlanOptions(prune, restore, force), lang)
        else:  # only items found on the board to record in the local state: nothing is written, no lock
            report, waited = _apply_with_progress(session, result)
        print(
            f"Terminé en {duration(report.seconds)} : {report.created} créé(s), {report.updated} modifié(s), "
            f"{report.deleted} supprimé(s), {report.recorded} retrouvé(s) sur le tableau{_waited(waited)}.",
            file=err,
        )
        if report.skipped:
            print(f"{len(report.skipped)} élément(s) non traité(s) (supprimés entre-temps) : relancez plan.", file=err)
    else:
        save_state(session.state_path, session.state)
    stats = session.connection.client.stats
    print(
        f"Requêtes : {number(stats.requests)} ({number(stats.write_requests)} écriture(s)), "
        f"{credits(stats.credits_spent)} Miro"
        + (f", {stats.rate_limited} limitation(s) de débit" if stats.rate_limited else "")
        + ".",
        file=err,
    )
    print(f"Tableau : {session.connection.location}", file=err)
    conflicts = result.of(ActionKind.CONFLICT)
    if conflicts:
        raise ConflictError(
            f"{len(conflicts)} élément(s) modifié(s) sur le tableau et dans le deck laissés tels quels ; "
            "relancez avec --force pour les écraser"
        )


def clean(
    board: str = BOARD_OPTION,
    deck: str = typer.Option(None, "--deck", "-d", help="Deck utilisé (pour retrouver les cartes sans état local)."),
    layout: str = typer.Option(None, "--layout", "-l", help="Disposition utilisée (idem)."),
    teams: int = typer.Option(None, "--teams", help="Nombre d'équipes utilisé (idem).", callback=check_teams),
    yes: bool = YES_OPTION,
    force: bool = typer.Option(
        False, "--force", help="Supprime aussi ce que les participants ont rempli, modifié, déplacé ou assigné."
    ),
    token: str = TOKEN_OPTION,
    api_url: str = API_URL_OPTION,
    state_file: Path = STATE_OPTION,
    timeout: float = TIMEOUT_OPTION,
) -> None:
    """Retire du tableau tout ce que gria-miro y a créé, et rien d'autre."""
    from gria_miro.formatting import duration
    from gria_miro.render.plan import render_plan_text
    from gria_miro.sync.planner import ActionKind, Note, plan_clean

    with reading_board():
        session = _open(board, deck, layout, teams, token, api_url, state_file, timeout, for_writing=True)
    result = plan_clean(session.observed, session.state, session.desired, force=force)
    sys.stdout.write(render_plan_text(result, session.desired))
    kept = result.noted(Note.TOUCHED)
    if kept and not force:
        print(
            f"{len(kept)} élément(s) touché(s) par les participants (remplis, modifiés, déplacés ou assignés) "
            "laissé(s) sur le tableau : --force pour les supprimer aussi.",
            file=sys.stderr,
        )
    deleting = result.of(ActionKind.DELETE)
    if not deleting and not result.of(ActionKind.FORGET):
        print(f"Tableau : {session.connection.location}", file=sys.stderr)
        return
    _confirm(yes, f"Supprimer ces {len(deleting)} élément(s) créés par gria-miro ?")
    report, waited = _apply_with_progress(session, result)
    print(
        f"Terminé en {duration(report.seconds)} : {report.deleted} élément(s) supprimé(s){_waited(waited)}.",
        file=sys.stderr,
    )


def _apply_locked(session: Session, result: Plan, options: PlanOptions, lang: str) -> tuple[Plan, ApplyReport, float]:
    """Hold the board (local lock, then the board's), plan again from the board as it is now, apply, write
    the manifest last; the plan applied, the report and the seconds waited for credits."""
    from gria_miro.render.plan import summary_line
    from gria_miro.sync.fit import check_fits
    from gria_miro.sync.lock import push_lock
    from gria_miro.sync.manifest import find_manifest, manifest_position
    from gria_miro.sync.planner import plan_push
    from gria_miro.sync.push import write_manifest

    err = sys.stderr
    x, y = manifest_position(session.desired)
    client = session.connection.client
    with push_lock(client, session.connection.board_id, (x, y - 160), on_wait=lambda m: print(m, file=err)) as now:
        # the board as it is now that it is ours: another push may have written meanwhile
        session.inputs.observed, session.inputs.found = now, find_manifest(now)
        planned_before = result.counts()
        result = plan_push(session.desired, now, session.state, options)
        if result.counts() != planned_before:
            print(f"Le tableau a changé entre-temps ; nouveau plan : {summary_line(result, lang)}", file=err)
        check_fits(result, session.desired, now)  # still refused before the first write
        manifest_stale = not session.inputs.manifest_up_to_date()
        report, waited = _apply_with_progress(session, result)
        if result.has_changes or manifest_stale:
            # last: a push cut short leaves the previous manifest, and the next push creates the rest
            write_manifest(client, session.inputs, complete=True)
    return result, report, waited


def _confirm(yes: bool, question: str) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise UserError(NO_TTY)
    try:
        answer = input(f"{question} [o/N] ").strip().lower()
    except EOFError:
        answer = ""
    if answer not in ("o", "oui", "y", "yes"):
        print("Rien n'a été modifié.", file=sys.stderr)
        raise typer.Exit(int(ExitStatus.SUCCESS))


def _apply_with_progress(session: Session, result: Plan) -> tuple[ApplyReport, float]:
    """Apply ``result`` with one bar per phase and the credit waits shown; the report and the seconds waited."""
    from rich.console import Console

    from gria_miro.cli._progress import ApplyProgress, phases_of
    from gria_miro.sync.apply import apply_plan
    from gria_miro.sync.state import StateWriter

    console = Console(stderr=True)
    progress = ApplyProgress(phases_of(result), log=None if console.is_terminal else sys.stderr)
    transport = session.connection.client.transport
    transport.on_credit_wait(progress.credit_wait)
    writer = StateWriter(session.state_path)
    try:
        with progress.shown(console.is_terminal, console):
            report = apply_plan(
                session.connection.client,
                result,
                session.desired,
                session.observed,
                session.state,
                save=writer.save,
                progress=progress.advance,
            )
    finally:
        transport.on_credit_wait(None)
        writer.close(session.state)  # one rewrite of the file, even after an error or Ctrl-C
    return report, progress.waited


def _waited(seconds: float) -> str:
    """`` ; 23 s d'attente du quota Miro`` when the credit budget made the command wait, else nothing."""
    from gria_miro.formatting import duration

    return f" ; {duration(seconds)} d'attente du quota Miro" if seconds >= 0.05 else ""


def register(app: typer.Typer) -> None:
    """Add ``plan``, ``push`` and ``clean`` to the root app."""
    app.command("plan")(plan)
    app.command("push")(push)
    app.command("clean")(clean)
