"""``print``: the game on paper, as PDF files: cards to cut, the planning board as a poster, a blank carnet."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gria_miro.errors import GriaError

if TYPE_CHECKING:
    from gria_miro.pull.roadmap import SessionInfo

print_app = typer.Typer(
    name="print",
    help="Le jeu sur papier (PDF) : cartes à découper, plateau en affiche, carnet de suivi vierge.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

DECK_HELP = "Deck : chemin ou nom d'un deck fourni (défaut : gria-fr)."
LAYOUT_HELP = "Disposition : chemin ou nom fourni (défaut : randonnee)."
FORCE_HELP = "Remplace le fichier de sortie s'il existe déjà."

# The title block of the roadmap documents (pull and export): given here, printed at the top.
INSTITUTION_OPTION = typer.Option(None, "--institution", help="Bloc de titre : nom de l'institution.")
SESSION_OPTION = typer.Option(None, "--session", help="Bloc de titre : nom de la séance (ex. « Atelier IA n° 1 »).")
SESSION_DATE_OPTION = typer.Option(
    None, "--session-date", help="Bloc de titre : date de la séance, AAAA-MM-JJ ou JJ/MM/AAAA (défaut : aujourd'hui)."
)
FACILITATOR_OPTION = typer.Option(None, "--facilitator", help="Bloc de titre : animateur ou animatrice.")


def session_info(
    institution: str | None, session: str | None, session_date: str | None, facilitator: str | None
) -> SessionInfo:
    """The title block from the options; a date in another shape is refused, naming the option."""
    from datetime import date

    from gria_miro.errors import UserError
    from gria_miro.pull.roadmap import SessionInfo

    day = None
    if session_date:
        text = session_date.strip()
        try:
            if "/" in text:
                d, m, y = text.split("/")
                day = date(int(y), int(m), int(d)).isoformat()
            else:
                day = date.fromisoformat(text).isoformat()
        except ValueError:
            raise UserError(
                f"--session-date {session_date!r} : date illisible ; écrivez-la 2026-03-14 ou 14/03/2026"
            ) from None

    def clean(value: str | None) -> str | None:
        return " ".join(value.split()) or None if value else None

    return SessionInfo(institution=clean(institution), session=clean(session), date=day, facilitator=clean(facilitator))


#: Lines facilitators may add to the board's manifest (``institution : Musée des Beaux-Arts``) to remember the
#: title block on the board itself: the line's name (lower case) → the title block's field.
BOARD_TITLE_LINES = {
    "institution": "institution",
    "séance": "session",
    "session": "session",
    "date": "date",
    "date de la séance": "date",
    "animation": "facilitator",
    "animateur": "facilitator",
    "animatrice": "facilitator",
}


def fill_from_board(info: SessionInfo, lines: tuple[tuple[str, str], ...]) -> SessionInfo:
    """The title block completed with what the board's manifest remembers (options given on the command line win;
    a date the board gives in another shape is left out rather than guessed)."""
    found: dict[str, str] = {}
    for name, value in lines:
        field = BOARD_TITLE_LINES.get(" ".join(name.lower().split()))
        if field and value.strip() and field not in found:
            found[field] = " ".join(value.split())
    if "date" in found:
        try:
            found["date"] = session_info(None, None, found["date"], None).date or ""
        except GriaError:
            del found["date"]
    missing = {k: v for k, v in found.items() if v and getattr(info, k) is None}
    return info.model_copy(update=missing) if missing else info


def check_document_output(fmt: str, output: Path | None) -> None:
    """An office document goes to a file: refuse ``--format pdf`` without ``-o`` before reading anything."""
    from gria_miro.errors import UserError
    from gria_miro.render.roadmap import BINARY_FORMATS

    if fmt in BINARY_FORMATS and output is None:
        raise UserError(f"--format {fmt} écrit un fichier : ajoutez -o, par exemple -o feuille-de-route.{fmt}")


def _write_pdf(output: Path, data: bytes, what: str, force: bool) -> None:
    from gria_miro.sourcefile import write_bytes_atomic

    write_bytes_atomic(output, data, what, force=force)
    print(f"PDF écrit ({what}) : {output}", file=sys.stderr)


def _split_codes(values: list[str]) -> list[str]:
    """``--codes GOV-01,GOV-02 --codes FORM-03`` → the codes, upper-cased, in order."""
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


@print_app.command("cards")
def cards(
    output: Path = typer.Option(Path("cartes.pdf"), "--output", "-o", help="Fichier PDF à écrire."),
    deck: str = typer.Option(None, "--deck", "-d", help=DECK_HELP),
    theme: list[str] = typer.Option(
        [], "--theme", help="N'imprime que les cartes de ce thème (identifiant ; répétable)."
    ),
    codes: list[str] = typer.Option(
        [], "--codes", help="N'imprime que ces cartes (codes séparés par des virgules ; répétable)."
    ),
    backs: bool = typer.Option(
        False, "--backs/--no-backs", show_default=False, help="Ajoute les versos (recto verso, bord long)."
    ),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Cartes 63 × 88 mm sur A4 (8 par planche), avec fond perdu de 3 mm et traits de coupe. Versos en option."""
    from gria_miro.deck.loading import load_deck
    from gria_miro.errors import UserError
    from gria_miro.paper.cards import render_cards, select_cards

    loaded = load_deck(deck)
    wanted = _split_codes(codes)
    try:
        chosen = select_cards(loaded, theme, wanted)
    except KeyError as exc:
        missing = str(exc.args[0])
        if missing in theme:
            known = ", ".join(t.id for t in loaded.themes)
            raise UserError(f"--theme {missing!r} : thème inconnu dans ce deck (thèmes : {known})") from None
        raise UserError(f"--codes : aucune carte « {missing} » dans ce deck (ex. {loaded.cards[0].code})") from None
    _write_pdf(output, render_cards(loaded, chosen, backs=backs), "cartes", force)
    sheets = -(-len(chosen) // 8)
    pages = sheets * (2 if backs else 1)
    print(f"{len(chosen)} cartes sur {sheets} planche(s) A4, {pages} page(s).", file=sys.stderr)


@print_app.command("board")
def board(
    output: Path = typer.Option(Path("plateau.pdf"), "--output", "-o", help="Fichier PDF à écrire."),
    paper: str = typer.Option(
        "a1",
        "--paper",
        help="Papier : a1 (défaut), a2 ou a3 (une feuille) ou a4 (tuiles, taille réelle).",
        show_default=False,
    ),
    deck: str = typer.Option(None, "--deck", "-d", help=DECK_HELP),
    layout: str = typer.Option(None, "--layout", "-l", help=LAYOUT_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Le plateau en affiche : étapes avec des emplacements à la taille des cartes imprimées, cordée, notes."""
    from gria_miro.deck.loading import load_deck
    from gria_miro.errors import UserError
    from gria_miro.layout.loading import load_layout
    from gria_miro.paper.board import PAPERS, poster_size, render_board, tile_grid

    choice = paper.strip().lower()
    if choice not in (*PAPERS, "a4"):
        raise UserError(f"--paper {paper!r} inconnu ; papiers possibles : a1, a2, a3, a4 (tuiles)")
    loaded_layout = load_layout(layout)
    _write_pdf(output, render_board(load_deck(deck), loaded_layout, choice), "plateau", force)
    if choice == "a4":
        columns, rows = tile_grid(poster_size(loaded_layout))
        print(f"{columns * rows} tuiles A4 ({columns} colonnes × {rows} lignes) à assembler.", file=sys.stderr)


@print_app.command("carnet")
def carnet(
    output: Path = typer.Option(Path("carnet.pdf"), "--output", "-o", help="Fichier PDF à écrire."),
    deck: str = typer.Option(None, "--deck", "-d", help=DECK_HELP),
    layout: str = typer.Option(None, "--layout", "-l", help=LAYOUT_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Un carnet de suivi vierge à remplir à la main : cordée, étapes, responsables, échéances, vigilance."""
    from gria_miro.deck.loading import load_deck
    from gria_miro.layout.loading import load_layout
    from gria_miro.paper.carnet import render_carnet

    title = load_deck(deck).title
    _write_pdf(output, render_carnet(load_layout(layout), title), "carnet", force)


def register(app: typer.Typer) -> None:
    """Add the ``print`` group to the root app."""
    app.add_typer(print_app)
