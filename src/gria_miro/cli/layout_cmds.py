"""The ``layout`` commands: preview a board as SVG, validate a layout file."""

from __future__ import annotations

from pathlib import Path

import typer

layout_app = typer.Typer(
    name="layout",
    help="Dispositions du plateau : aperçu SVG, vérification d'un fichier.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@layout_app.command("preview")
def preview(
    output: Path = typer.Option(..., "--output", "-o", help="Fichier SVG à écrire (ex. plateau.svg)."),
    deck: str | None = typer.Option(None, "--deck", help="Deck : chemin ou nom d'un deck fourni (défaut : gria-fr)."),
    layout: str | None = typer.Option(
        None, "--layout", help="Disposition : chemin ou nom fourni (défaut : randonnee)."
    ),
    teams: int | None = typer.Option(None, "--teams", min=1, help="Nombre d'équipes (remplace celui du fichier)."),
) -> None:
    """Calcule le plateau (deck + disposition) et l'enregistre en SVG, à ouvrir dans un navigateur."""
    from gria_miro.atomicfile import write_atomic
    from gria_miro.deck.loading import load_deck
    from gria_miro.errors import Problem, UserError
    from gria_miro.layout.engine import compute_board
    from gria_miro.layout.loading import load_layout
    from gria_miro.render.svg import render_svg

    board = compute_board(load_deck(deck), load_layout(layout), teams=teams)
    try:
        write_atomic(output, render_svg(board).encode("utf-8"))
    except OSError as exc:
        problem = Problem(str(output), None, None, f"écriture impossible ({exc.strerror or exc})")
        raise UserError(str(problem)) from None
    cards = sum(1 for item in board.items if item.card_code is not None)
    print(
        f"Aperçu écrit dans {output} : {len(board.teams)} équipe(s), {len(board.zones)} zones, "
        f"{cards} cartes, {len(board.items)} éléments."
    )


@layout_app.command("validate")
def validate(
    path: str = typer.Argument(..., help="Fichier de disposition (ou nom d'une disposition fournie)."),
) -> None:
    """Vérifie une disposition seule : OK avec ses chiffres, ou tous les problèmes avec leur ligne."""
    from gria_miro.layout.loading import load_layout

    layout = load_layout(path)
    placed = sum(len(row) for rows in (layout.board_rows, layout.team_rows) for row in rows)
    stages = sum(1 for row in layout.team_rows for zone_id in row if layout.zone(zone_id).kind == "stage")
    print(
        f"OK : disposition « {layout.name} » : {len(layout.zones)} zones déclarées, {placed} placées, "
        f"{stages} étapes, {layout.teams.count} équipe(s), cartes en « {layout.cards.item} »."
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(layout_app)
