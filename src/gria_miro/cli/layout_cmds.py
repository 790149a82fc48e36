"""The ``layout`` commands: preview a board as SVG, validate a layout file."""

from __future__ import annotations

from pathlib import Path

import typer

from gria_miro.cli._options import check_teams

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
    teams: int | None = typer.Option(
        None, "--teams", help="Nombre d'équipes, 1 à 52 (remplace celui du fichier).", callback=check_teams
    ),
    force: bool = typer.Option(False, "--force", help="Remplace le fichier de sortie s'il existe."),
) -> None:
    """Calcule le plateau (deck + disposition) et l'enregistre en SVG, à ouvrir dans un navigateur."""
    from gria_miro.deck.loading import load_deck
    from gria_miro.layout.engine import compute_board
    from gria_miro.layout.loading import load_layout
    from gria_miro.render.svg import render_svg
    from gria_miro.sourcefile import check_writable, write_text_atomic

    check_writable(output, "aperçu SVG", force=force)  # before the work: a refusal costs nothing
    board = compute_board(load_deck(deck), load_layout(layout), teams=teams)
    write_text_atomic(output, render_svg(board), "aperçu SVG", force=force)
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
