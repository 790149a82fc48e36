"""``pull`` and ``export``: read a finished board (or a snapshot of it) and write the team's roadmap."""

from __future__ import annotations

import dataclasses
import sys
from datetime import date
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
from gria_miro.cli.print_cmds import (
    FACILITATOR_OPTION,
    INSTITUTION_OPTION,
    SESSION_DATE_OPTION,
    SESSION_OPTION,
    check_document_output,
    fill_from_board,
    session_info,
)
from gria_miro.errors import UserError

if TYPE_CHECKING:
    from gria_miro.observed import ObservedBoard
    from gria_miro.pull.roadmap import SessionInfo

FORMAT_CHOICES = ("md", "json", "csv", "html", "odt", "docx", "pdf")
FORMAT_HELP = "Format : md (Markdown, défaut), json, csv, html, ou les documents odt, docx et pdf (avec -o)."
DECK_HELP = "Deck (chemin ou nom ; défaut : celui du dernier push, sinon gria-fr)."
LAYOUT_HELP = "Disposition (chemin ou nom ; défaut : celle du dernier push, sinon randonnee)."
TEAMS_HELP = "Nombre d'équipes (défaut : celui du dernier push, sinon celui de la disposition)."
OUTPUT_HELP = "Fichier où écrire la feuille de route (défaut : la sortie standard)."
LANG_HELP = "Langue des intitulés : fr (défaut) ou en."
FORCE_HELP = "Remplace les fichiers (-o, --snapshot) qui existent déjà."
BOM_HELP = "CSV : marque d'ordre d'octets UTF-8 (attendue par les tableurs ; par défaut dans un fichier)."
DELIMITER_HELP = (
    "CSV : séparateur ; (défaut en français, avec virgule décimale) ou , (défaut avec --lang en, point décimal)."
)


def _check_choices(fmt: str, lang: str, delimiter: str | None) -> None:
    if fmt not in FORMAT_CHOICES:
        raise UserError(f"--format {fmt!r} inconnu ; formats possibles : {', '.join(FORMAT_CHOICES)}")
    if lang not in ("fr", "en"):
        raise UserError(f"--lang {lang!r} inconnue ; langues possibles : fr, en")
    if delimiter not in (None, ",", ";"):
        raise UserError(f"--delimiter {delimiter!r} inconnu ; séparateurs possibles : , ou ;")


def _roadmap_text(
    board: ObservedBoard,
    deck_ref: str,
    layout_ref: str,
    teams: int | None,
    bound: dict[str, str],
    fmt: str,
    lang: str,
    delimiter: str | None,
    session: SessionInfo | None = None,
) -> str | bytes:
    from gria_miro.deck.loading import load_deck
    from gria_miro.layout.engine import compute_board
    from gria_miro.layout.loading import load_layout
    from gria_miro.pull.assign import assign
    from gria_miro.pull.roadmap import build_roadmap
    from gria_miro.render.roadmap import BINARY_FORMATS, render_document, render_roadmap

    if teams is not None and teams < 1:
        raise UserError(f"--teams {teams} : il faut au moins 1 équipe")
    deck = load_deck(deck_ref)
    desired = compute_board(deck, load_layout(layout_ref), teams=teams)
    placement = assign(desired, board, bound)
    roadmap = build_roadmap(deck, desired, placement, board, date.today(), session=session)
    if fmt in BINARY_FORMATS:
        return render_document(roadmap, fmt, lang)
    return render_roadmap(roadmap, fmt, lang, csv_delimiter=delimiter)


def _write(text: str | bytes, output: Path | None, fmt: str, bom: bool | None, force: bool) -> None:
    from gria_miro.render.roadmap.csv_table import with_bom
    from gria_miro.sourcefile import write_bytes_atomic, write_text_atomic

    if isinstance(text, bytes):
        assert output is not None  # check_document_output refused it before
        write_bytes_atomic(output, text, "feuille de route", force=force)
        print(f"Feuille de route écrite : {output}", file=sys.stderr)
        return
    if fmt == "csv" and (bom if bom is not None else output is not None):
        text = with_bom(text)
    if output is None:
        sys.stdout.write(text)
        return
    write_text_atomic(output, text, "feuille de route", force=force)
    print(f"Feuille de route écrite : {output}", file=sys.stderr)


def pull(
    board: str = BOARD_OPTION,
    deck: str = typer.Option(None, "--deck", "-d", help=DECK_HELP),
    layout: str = typer.Option(None, "--layout", "-l", help=LAYOUT_HELP),
    teams: int = typer.Option(None, "--teams", help=TEAMS_HELP, callback=check_teams),
    fmt: str = typer.Option("md", "--format", "-f", help=FORMAT_HELP),
    output: Path = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
    snapshot: Path = typer.Option(None, "--snapshot", help="Enregistre aussi le tableau lu (JSON) dans ce fichier."),
    lang: str = typer.Option("fr", "--lang", help=LANG_HELP, callback=check_lang),
    bom: bool = typer.Option(None, "--bom/--no-bom", help=BOM_HELP),
    delimiter: str = typer.Option(None, "--delimiter", help=DELIMITER_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    institution: str = INSTITUTION_OPTION,
    session: str = SESSION_OPTION,
    session_date: str = SESSION_DATE_OPTION,
    facilitator: str = FACILITATOR_OPTION,
    token: str = TOKEN_OPTION,
    api_url: str = API_URL_OPTION,
    state_file: Path = STATE_OPTION,
    timeout: float = TIMEOUT_OPTION,
) -> None:
    """Lit le tableau et écrit la feuille de route de l'équipe (étapes, responsables, notes, bilan)."""
    from gria_miro.connect import open_board
    from gria_miro.pull.snapshot import save_snapshot
    from gria_miro.sync.manifest import find_manifest
    from gria_miro.sync.push import choose
    from gria_miro.sync.state import load_state, state_path_for

    _check_choices(fmt, lang, delimiter)
    check_document_output(fmt, output)
    title_block = session_info(institution, session, session_date, facilitator)
    connection = open_board(board, token=token, api_url=api_url, timeout=timeout, create=False)
    state = load_state(state_file or state_path_for(connection.board_id), connection.board_id)
    observed = connection.client.read_board(connection.board_id, with_tags=True, frames_hint=state.frames_hint())
    # deck, layout and teams: as given, else what the board's manifest says, else the local state, else the defaults
    manifest = find_manifest(observed).manifest
    chosen = choose((deck, layout, teams), manifest, (state.deck, state.layout, state.teams))
    if manifest is not None:  # the title block may be remembered on the board, in the manifest
        title_block = fill_from_board(title_block, manifest.extra)
    deck_ref, layout_ref, team_count = chosen.deck, chosen.layout, chosen.teams
    if connection.is_local:
        # a local board has no page to open: its location is the file, not the placeholder URL it reports
        observed = dataclasses.replace(observed, view_link=None)
    if snapshot is not None:
        save_snapshot(snapshot, observed, deck=deck_ref, layout=layout_ref, teams=team_count, force=force)
        print(f"Instantané du tableau écrit : {snapshot}", file=sys.stderr)
    bound = {key: item.id for key, item in state.items.items()}
    text = _roadmap_text(observed, deck_ref, layout_ref, team_count, bound, fmt, lang, delimiter, title_block)
    _write(text, output, fmt, bom, force)


def export(
    snapshot: Path = typer.Option(..., "--snapshot", help="Instantané enregistré par « pull --snapshot »."),
    deck: str = typer.Option(None, "--deck", "-d", help="Deck (défaut : celui noté dans l'instantané)."),
    layout: str = typer.Option(None, "--layout", "-l", help="Disposition (défaut : celle notée dans l'instantané)."),
    teams: int = typer.Option(
        None, "--teams", help="Nombre d'équipes (défaut : celui noté dans l'instantané).", callback=check_teams
    ),
    fmt: str = typer.Option("md", "--format", "-f", help=FORMAT_HELP),
    output: Path = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
    lang: str = typer.Option("fr", "--lang", help=LANG_HELP, callback=check_lang),
    bom: bool = typer.Option(None, "--bom/--no-bom", help=BOM_HELP),
    delimiter: str = typer.Option(None, "--delimiter", help=DELIMITER_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    institution: str = INSTITUTION_OPTION,
    session: str = SESSION_OPTION,
    session_date: str = SESSION_DATE_OPTION,
    facilitator: str = FACILITATOR_OPTION,
) -> None:
    """Écrit la feuille de route depuis un instantané, hors ligne (sans l'API)."""
    from gria_miro.pull.snapshot import load_snapshot
    from gria_miro.resources import choose_inputs
    from gria_miro.sync.manifest import find_manifest

    _check_choices(fmt, lang, delimiter)
    check_document_output(fmt, output)
    title_block = session_info(institution, session, session_date, facilitator)
    observed, saved = load_snapshot(snapshot)
    remembered = find_manifest(observed).manifest
    if remembered is not None:  # the title block may be remembered on the board, in the manifest
        title_block = fill_from_board(title_block, remembered.extra)
    deck_ref, layout_ref, team_count = choose_inputs(deck, layout, teams, (saved.deck, saved.layout, saved.teams))
    text = _roadmap_text(observed, deck_ref, layout_ref, team_count, {}, fmt, lang, delimiter, title_block)
    _write(text, output, fmt, bom, force)


def register(app: typer.Typer) -> None:
    """Add ``pull`` and ``export`` to the root app."""
    app.command("pull")(pull)
    app.command("export")(export)
