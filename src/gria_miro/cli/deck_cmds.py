"""``gria-miro deck …``: check, browse, count, describe and convert a deck of cards.

Thin glue: parse options, call :mod:`gria_miro.deck`, print. Heavy modules (pydantic
models, rich) are imported inside the commands so ``gria-miro --help`` stays fast.
Errors are raised as :class:`~gria_miro.errors.GriaError` and reported by the CLI root.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from gria_miro.deck.model import Card, Deck

deck_app = typer.Typer(
    name="deck",
    help="Vérifier, parcourir et convertir un deck de cartes GR:IA (YAML ou CSV).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DECK_ARG_HELP = "Fichier du deck (.yaml ou .csv) ou nom d'un deck fourni (ex. gria-fr). Par défaut : gria-fr."


def register(app: typer.Typer) -> None:
    """Add the ``deck`` command group to the root app."""
    app.add_typer(deck_app, name="deck")


def _shown(ref: str | None) -> str:
    """How to name the deck in messages: as typed, or the shipped file relative to here."""
    from gria_miro.resources import DEFAULT_DECK, resolve

    path = resolve(ref, "decks", DEFAULT_DECK)
    if ref is not None and str(path) == ref:
        return ref
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _console() -> Console:
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console.width = 160  # piped or captured: do not squeeze the table into 80 columns
    return console


@deck_app.command("validate")
def validate(
    ref: str | None = typer.Argument(None, metavar="DECK", help=DECK_ARG_HELP),
    strict: bool = typer.Option(False, "--strict", help="Les avertissements de contenu deviennent des erreurs."),
) -> None:
    """Vérifie un deck : ses problèmes (fichier:ligne:colonne) et les avertissements de contenu, ou OK."""
    from gria_miro.deck.lint import lint_deck
    from gria_miro.deck.loading import load_deck, locate
    from gria_miro.errors import InputFileError

    deck = load_deck(ref)
    warnings = locate(ref, lint_deck(deck))
    if strict and warnings:
        raise InputFileError("deck", warnings[0].path, warnings)
    for warning in warnings:
        print(f"avertissement : {warning}")
    kinds = {card.kind for card in deck.cards}
    counts = ", ".join(
        (_plural(len(deck.cards), "carte"), _plural(len(deck.themes), "thème"), _plural(len(kinds), "nature"))
    )
    extra = f" ; {_plural(len(warnings), 'avertissement')} (--strict pour en faire des erreurs)" if warnings else ""
    print(f"OK : {_shown(ref)} — {counts}{extra}")


def _fold(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold().strip()


def _select(
    deck: Deck,
    themes: list[str],
    kinds: list[str],
    difficulties: list[int],
    max_cost: int | None,
    codes: list[str],
) -> list[Card]:
    """The deck's cards (board order) passing every given filter; bad filter values are user errors."""
    from gria_miro.deck.scales import COST, DIFFICULTY, Kind
    from gria_miro.errors import UserError

    wanted_themes: set[str] = set()
    for value in themes:
        matches = [t.id for t in deck.themes if _fold(value) in (_fold(t.id), _fold(t.label))]
        if not matches:
            known = ", ".join(f"{t.id} ({t.label})" for t in deck.themes)
            raise UserError(f"option --theme : thème « {value} » inconnu ; thèmes du deck : {known}")
        wanted_themes.update(matches)
    aliases = {"formal": Kind.FORMAL, "informal": Kind.INFORMAL, "formel": Kind.FORMAL, "informel": Kind.INFORMAL}
    wanted_kinds: set[Kind] = set()
    for value in kinds:
        folded = _fold(value)
        kind = next((k for k in Kind if k.value == folded), None) or aliases.get(folded)
        if kind is None:
            known = ", ".join(k.value for k in Kind)
            raise UserError(f"option --kind : nature « {value} » inconnue ; valeurs possibles : {known}")
        wanted_kinds.add(kind)
    for level in difficulties:
        if level not in DIFFICULTY.values:
            known = ", ".join(f"{lv.value} ({lv.fr})" for lv in DIFFICULTY.levels)
            raise UserError(f"option --difficulty : niveau {level} inconnu ; niveaux possibles : {known}")
    if max_cost is not None and max_cost not in COST.values:
        known = ", ".join(f"{lv.value} ({lv.fr})" for lv in COST.levels)
        raise UserError(f"option --max-cost : niveau {max_cost} inconnu ; niveaux possibles : {known}")
    prefixes = [code.strip().upper() for code in codes]
    return [
        card
        for card in deck.sorted_cards()
        if (not wanted_themes or card.theme in wanted_themes)
        and (not wanted_kinds or card.kind in wanted_kinds)
        and (not difficulties or card.difficulty in difficulties)
        and (max_cost is None or card.cost.level <= max_cost)
        and (not prefixes or any(card.code.startswith(p) for p in prefixes))
    ]


@deck_app.command("show")
def show(
    ref: str | None = typer.Argument(None, metavar="DECK", help=DECK_ARG_HELP),
    theme: list[str] | None = typer.Option(None, "--theme", help="Thème (identifiant ou libellé) ; répétable."),
    kind: list[str] | None = typer.Option(None, "--kind", help="Nature : formelle ou informelle ; répétable."),
    difficulty: list[int] | None = typer.Option(None, "--difficulty", help="Difficulté 1 à 4 ; répétable."),
    max_cost: int | None = typer.Option(None, "--max-cost", help="Niveau de coût maximal, 1 à 4."),
    code: list[str] | None = typer.Option(None, "--code", help="Début du code (ex. GOV) ; répétable."),
) -> None:
    """Affiche les cartes dans un tableau ; les filtres se combinent (et), une option répétée vaut « ou »."""
    from rich.markup import escape
    from rich.table import Table

    from gria_miro.deck.loading import load_deck

    deck = load_deck(ref)
    cards = _select(deck, theme or [], kind or [], difficulty or [], max_cost, code or [])
    console = _console()
    if not cards:
        console.print(f"Aucune carte de {escape(_shown(ref))} ne correspond à ces filtres.")
        return
    table = Table(title=escape(f"{deck.title} — {_plural(len(cards), 'carte')} sur {len(deck.cards)}"))
    if console.width >= WIDE_TABLE:
        _wide_rows(table, deck, cards)
    else:
        _narrow_rows(table, deck, cards, with_theme=console.width >= 100)
    console.print(table)


#: From this width on, ``deck show`` spells every level out; below, levels are short so no word is cut.
WIDE_TABLE = 140


def _wide_rows(table: Table, deck: Deck, cards: list[Card]) -> None:
    from rich.markup import escape

    from gria_miro.deck.scales import COST, DIFFICULTY, DURATION, IMPACT, KIND_LABELS, impact_sign
    from gria_miro.formatting import days, euro_range

    for header in ("Code", "Titre", "Thème", "Nature", "Difficulté", "Coût", "Durée", "Impact"):
        table.add_column(header, overflow="fold")
    for card in cards:
        cost, duration = COST.level(card.cost.level), DURATION.level(card.duration.level)
        table.add_row(
            card.code,
            escape(card.title),
            escape(deck.theme(card.theme).label),
            KIND_LABELS[card.kind][0],
            f"{card.difficulty} · {DIFFICULTY.level(card.difficulty).fr}",
            f"{cost.fr} ({euro_range(card.cost.eur_min, card.cost.eur_max)})",
            f"{duration.fr} ({days(card.duration.days)})",
            f"{impact_sign(card.impact.score)} · {IMPACT.level(card.impact.score).fr}",
        )


def _narrow_rows(table: Table, deck: Deck, cards: list[Card], *, with_theme: bool) -> None:
    """Short levels in unbreakable columns; only the title (and theme) wrap, between words."""
    from rich.markup import escape

    from gria_miro.deck.scales import COST, DIFFICULTY, IMPACT
    from gria_miro.formatting import number

    table.add_column("Code", no_wrap=True)
    table.add_column("Titre", ratio=3, min_width=16)
    if with_theme:
        table.add_column("Thème", ratio=2, min_width=12)
    for header, justify in (("Nature", "left"), ("Diff.", "right"), ("Coût", "left"), ("Jours", "right")):
        table.add_column(header, no_wrap=True, justify=justify)  # type: ignore[arg-type]
    table.add_column("Impact", no_wrap=True, justify="right")
    for card in cards:
        cells = [card.code, escape(card.title)]
        if with_theme:
            cells.append(escape(deck.theme(card.theme).label))
        cells += [
            card.kind.value,
            DIFFICULTY.show(card.difficulty),
            COST.show(card.cost.level),
            number(card.duration.days),
            IMPACT.show(card.impact.score),
        ]
        table.add_row(*cells)


@deck_app.command("stats")
def stats(ref: str | None = typer.Argument(None, metavar="DECK", help=DECK_ARG_HELP)) -> None:
    """Compte les cartes par thème, nature et niveau, et totalise les estimations de coût et de durée."""
    from collections import Counter

    from rich.table import Table

    from gria_miro.deck.loading import load_deck
    from gria_miro.deck.scales import COST, DIFFICULTY, DURATION, IMPACT, KIND_LABELS
    from gria_miro.formatting import euro_range, number

    deck = load_deck(ref)
    console = _console()
    console.print(f"{escape_text(deck.title)} ({escape_text(_shown(ref))}) : {_plural(len(deck.cards), 'carte')}")

    def count_table(title: str, rows: list[tuple[str, int]]) -> None:
        table = Table()
        table.add_column(title)
        table.add_column("Cartes", justify="right")
        for label, count in rows:
            table.add_row(escape_text(label), str(count))
        console.print(table)

    by_theme = Counter(card.theme for card in deck.cards)
    count_table("Thème", [(f"{t.label} ({t.id})", by_theme[t.id]) for t in deck.themes])
    by_kind = Counter(card.kind for card in deck.cards)
    count_table("Nature", [(labels[0], by_kind[k]) for k, labels in KIND_LABELS.items()])
    scales = (
        (DIFFICULTY, Counter(c.difficulty for c in deck.cards)),
        (COST, Counter(c.cost.level for c in deck.cards)),
        (DURATION, Counter(c.duration.level for c in deck.cards)),
        (IMPACT, Counter(c.impact.score for c in deck.cards)),
    )
    for scale, counter in scales:
        count_table(scale.fr, [(f"{scale.show(lv.value)} · {lv.fr}", counter[lv.value]) for lv in scale.levels])
    eur_min = sum(card.cost.eur_min for card in deck.cards)
    eur_max = sum(card.cost.eur_max for card in deck.cards)
    total_days = sum(card.duration.days for card in deck.cards)
    console.print(f"Coût total estimé : {euro_range(eur_min, eur_max)}")
    console.print(f"Charge totale estimée : {number(total_days)} jours-personne")


def escape_text(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@deck_app.command("schema")
def schema(
    output: Path | None = typer.Option(None, "-o", "--output", help="Écrit le schéma dans ce fichier."),
    force: bool = typer.Option(False, "--force", help="Remplace le fichier de sortie s'il existe."),
) -> None:
    """Affiche le schéma JSON du format de deck (pour VS Code et les éditeurs YAML)."""
    from gria_miro.deck.schema_file import deck_file_schema_text
    from gria_miro.sourcefile import write_text_atomic

    text = deck_file_schema_text()
    if output is None:
        print(text, end="")
        return
    write_text_atomic(output, text, "schéma JSON", force=force)
    print(f"Schéma écrit : {output}")


_DELIMITERS = {";": ";", ",": ",", "tab": "\t"}


@deck_app.command("export-csv")
def export_csv(
    ref: str | None = typer.Argument(None, metavar="DECK", help=DECK_ARG_HELP),
    output: Path = typer.Option(..., "-o", "--output", help="Fichier CSV à écrire."),
    delimiter: str = typer.Option(";", "--delimiter", help="Séparateur : ; (Excel en français), , ou tab."),
    force: bool = typer.Option(False, "--force", help="Remplace le fichier de sortie s'il existe."),
) -> None:
    """Exporte le deck en CSV (UTF-8, une ligne par carte) pour l'éditer dans un tableur."""
    from gria_miro.deck.csvio import deck_to_csv
    from gria_miro.deck.loading import load_deck
    from gria_miro.errors import UserError
    from gria_miro.sourcefile import write_text_atomic

    if delimiter not in _DELIMITERS:
        raise UserError(f"option --delimiter : « {delimiter} » inconnu ; valeurs possibles : ; , tab")
    deck = load_deck(ref)
    write_text_atomic(
        output, deck_to_csv(deck, delimiter=_DELIMITERS[delimiter]), "CSV", force=force, encoding="utf-8-sig"
    )
    print(f"CSV écrit : {output} ({_plural(len(deck.cards), 'carte')}, {_plural(len(deck.themes), 'thème')})")


@deck_app.command("import-csv")
def import_csv(
    source: Path = typer.Argument(..., metavar="FICHIER_CSV", help="Le CSV exporté puis modifié dans un tableur."),
    output: Path = typer.Option(..., "-o", "--output", help="Fichier YAML du deck à écrire."),
    force: bool = typer.Option(False, "--force", help="Remplace le fichier de sortie s'il existe."),
) -> None:
    """Lit un deck CSV, le vérifie comme un deck YAML, et l'écrit en YAML (rien n'est écrit s'il a des erreurs)."""
    from gria_miro.deck.csvio import load_deck_csv
    from gria_miro.deck.loading import deck_to_yaml
    from gria_miro.sourcefile import write_text_atomic

    deck = load_deck_csv(source)
    write_text_atomic(output, deck_to_yaml(deck), "deck", force=force)
    print(f"Deck écrit : {output} ({_plural(len(deck.cards), 'carte')}, {_plural(len(deck.themes), 'thème')})")
