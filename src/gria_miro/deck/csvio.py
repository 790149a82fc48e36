"""A deck as a spreadsheet (CSV), and back, without losing anything.

Facilitators edit cards in Excel or LibreOffice; ``deck_to_csv`` then ``deck_from_csv`` gives
back an equal :class:`Deck` (metadata, themes and their order, every card field).

The file, as a spreadsheet user sees it
---------------------------------------
* Encoding UTF-8 with a byte-order mark (so French Excel shows accents; a file saved by Excel
  as Windows-1252 is read too); written with ``;``
  as separator and a decimal comma (``0,5`` jours), as French Excel expects. On import the
  separator (``;``, ``,`` or tab) is sniffed and both ``0,5`` and ``0.5`` are accepted.
* Row 1 is the header; then **one row per card**, in deck order. Columns (French header,
  then the deck field it fills)::

    code            code                 GOV-03
    titre           title
    description     description
    thème           theme                the theme's id (gouvernance)
    thème_libellé   themes[].label       repeated on each card, for reading and filtering
    thème_couleur   themes[].color       #rrggbb, repeated on each card
    nature          kind                 formelle | informelle
    difficulté      difficulty           1–4
    coût_niveau     cost.level           1–4
    coût_min_eur    cost.eur_min         integer euros
    coût_max_eur    cost.eur_max         integer euros
    durée_niveau    duration.level       1–4
    durée_jours     duration.days        days of work (decimals allowed)
    gains           gains.categories     list, e.g. ``temps | qualite``
    gains_texte     gains.text
    impact          impact.score         -2 … +2
    impact_texte    impact.text
    impact_sur      impact.dimension     environnement | personnes | les-deux (may be empty)
    prérequis       prerequisites        list of codes, e.g. ``GOV-01 | FORM-02``
    mots_clés       tags                 list
    ressources      ressources           list of ``Titre <https://…>``

  Headers are matched ignoring case, accents, spaces and ``-``/``_``, and the English field
  names of the right-hand column (``cost.eur_min``) are accepted too. ``prérequis`` and
  ``mots_clés`` may be left out; on a card row, ``thème_libellé`` and ``thème_couleur`` may
  be left empty when the theme has its ``#thème`` row.
* Lists are joined with `` | ``; inside an item, ``\\|`` is a literal ``|`` and ``\\\\`` a
  literal backslash (only written when a value needs it).
* **Directive rows** carry the rest of the deck; they start with ``#`` in the ``code``
  column and may sit anywhere (sorting the sheet does not break them):

  - ``#thème`` rows declare the themes, in order, with the ``thème``, ``thème_libellé``
    and ``thème_couleur`` columns (export writes them first, one per theme, including a
    theme that has no card yet). A card whose theme has no ``#thème`` row declares it with
    its own label and colour columns. Label and colour on card rows must agree with the
    theme's: change a theme everywhere, or in its ``#thème`` row and clear the card cells.
  - ``#deck`` rows give the deck's metadata: the ``titre`` column names the field
    (``titre``/``title``, ``langue``/``language``, ``version``, ``licence``,
    ``auteurs``/``authors``) and the ``description`` column holds its value.
* Empty rows are ignored. Problems are reported as ``file.csv:ROW:COLUMN: message`` where
  ROW is the spreadsheet row (the header is row 1) and COLUMN the column number (A = 1).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gria_miro.deck.model import Deck
from gria_miro.deck.scales import Gain, ImpactOn, Kind
from gria_miro.deck.validation import deck_from_data
from gria_miro.errors import InputFileError, Loc, Problem
from gria_miro.sourcefile import describe_error, read_spreadsheet_text

KIND = "deck CSV"
LIST_SEPARATOR = " | "
THEME_ROW = "#thème"
DECK_ROW = "#deck"


@dataclass(frozen=True)
class Column:
    """One CSV column: its header, the card field it fills (a path), and how values convert."""

    header: str
    field: Loc
    kind: str = "text"  # text | int | float | list | resources
    required: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("code", ("code",)),
    Column("titre", ("title",)),
    Column("description", ("description",)),
    Column("thème", ("theme",)),
    Column("thème_libellé", ("theme_label",)),
    Column("thème_couleur", ("theme_color",)),
    Column("nature", ("kind",)),
    Column("difficulté", ("difficulty",), "int"),
    Column("coût_niveau", ("cost", "level"), "int"),
    Column("coût_min_eur", ("cost", "eur_min"), "int"),
    Column("coût_max_eur", ("cost", "eur_max"), "int"),
    Column("durée_niveau", ("duration", "level"), "int"),
    Column("durée_jours", ("duration", "days"), "float"),
    Column("gains", ("gains", "categories"), "list"),
    Column("gains_texte", ("gains", "text")),
    Column("impact", ("impact", "score"), "int"),
    Column("impact_texte", ("impact", "text")),
    Column("impact_sur", ("impact", "dimension"), required=False),
    Column("prérequis", ("prerequisites",), "list", required=False),
    Column("mots_clés", ("tags",), "list", required=False),
    Column("ressources", ("ressources",), "resources", required=False),
)

#: A reference in a ``ressources`` cell: ``Titre <https://…>``.
_RESOURCE = re.compile(r"^(?P<title>.*?)\s*<(?P<url>[^<>]*)>$")

#: Deck metadata fields of ``#deck`` rows: accepted names → model field.
DECK_FIELDS: dict[str, str] = {
    "titre": "title",
    "title": "title",
    "langue": "language",
    "language": "language",
    "version": "version",
    "licence": "licence",
    "license": "licence",
    "auteurs": "authors",
    "authors": "authors",
}
#: French name written by the exporter for each metadata field, in model order.
_DECK_FIELD_NAMES = {"title": "titre", "language": "langue", "version": "version", "licence": "licence"}

#: Card-level parent paths and the column a problem about them points at.
_PARENT_COLUMN = {("cost",): "coût_niveau", ("duration",): "durée_niveau", ("gains",): "gains", ("impact",): "impact"}


# --- writing ----------------------------------------------------------------------------------


def deck_to_csv(deck: Deck, *, delimiter: str = ";") -> str:
    """The deck as CSV text (no byte-order mark: add it when writing, encoding ``utf-8-sig``)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    index = {c.header: i for i, c in enumerate(COLUMNS)}

    def directive(cells: dict[str, str]) -> list[str]:
        row = [""] * len(COLUMNS)
        for header, value in cells.items():
            row[index[header]] = guard_formula(value)
        return row

    for field_name, french in _DECK_FIELD_NAMES.items():
        writer.writerow(directive({"code": DECK_ROW, "titre": french, "description": getattr(deck, field_name)}))
    if deck.authors:
        writer.writerow(directive({"code": DECK_ROW, "titre": "auteurs", "description": join_list(deck.authors)}))
    for theme in deck.themes:
        writer.writerow(
            directive(
                {"code": THEME_ROW, "thème": theme.id, "thème_libellé": theme.label, "thème_couleur": theme.color}
            )
        )
    for card in deck.cards:
        theme = deck.theme(card.theme)
        values: dict[str, Any] = card.model_dump(mode="json")
        values["theme_label"], values["theme_color"] = theme.label, theme.color
        writer.writerow([_cell(_get(values, c.field), c.kind) for c in COLUMNS])
    return out.getvalue()


#: A cell a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+``, ``-``, ``@``, tab, carriage return),
#: possibly behind apostrophes already. Export adds one apostrophe (the spreadsheet then shows text);
#: import removes one: ``=x`` ↔ ``'=x`` and ``'=x`` ↔ ``''=x``, so the round trip loses nothing.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def guard_formula(cell: str) -> str:
    """``cell`` made inert for a spreadsheet, reversibly (see :func:`unguard_formula`)."""
    return "'" + cell if _FORMULA.match(cell) else cell


def unguard_formula(cell: str) -> str:
    """The inverse of :func:`guard_formula`."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell[1:]) else cell


def _get(values: dict[str, Any], path: Loc) -> Any:
    value: Any = values
    for part in path:
        value = value[part]
    return value


def _cell(value: Any, kind: str) -> str:
    text = _plain_cell(value, kind)
    return guard_formula(text) if kind in ("text", "list", "resources") else text


def _plain_cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "resources":
        return join_list(f"{r['title']} <{r['url']}>" for r in value)
    if kind == "list":
        return join_list(str(v) for v in value)
    if kind == "float":
        number = float(value)
        text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
        return text.replace(".", ",")
    return str(value)


def join_list(items: Iterable[str]) -> str:
    """List items in one cell, `` | ``-separated, escaping ``\\`` and ``|`` inside items."""
    return LIST_SEPARATOR.join(item.replace("\\", "\\\\").replace("|", "\\|") for item in items)


def split_list(cell: str) -> list[str]:
    """The items of a list cell (inverse of :func:`join_list`); blank items are dropped.

    Only ``\\|`` and ``\\\\`` are escapes, so a backslash typed by hand (``C:\\dossier``) stays.
    """
    items: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(cell):
        char = cell[i]
        if char == "\\" and i + 1 < len(cell) and cell[i + 1] in "\\|":
            current.append(cell[i + 1])
            i += 2
            continue
        if char == "|":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


# --- reading ----------------------------------------------------------------------------------


def load_deck_csv(path: Path) -> Deck:
    """The deck in the CSV file at ``path`` (UTF-8 with or without byte-order mark; a file that
    is not UTF-8 is read as Windows-1252, as saved by French Excel)."""
    return deck_from_csv(read_spreadsheet_text(path, KIND), str(path))


def deck_from_csv(text: str, path: str) -> Deck:
    """Validate CSV text as a deck, with the same rules as YAML; every problem is located as
    ``path:ROW:COLUMN``. Raises :class:`InputFileError`."""
    rows = list(_rows(text, path))
    if not rows or not any(cell.strip() for cell in rows[0][1]):
        raise InputFileError(KIND, path, [Problem(path, 1, None, "ligne d'en-tête manquante (code;titre;…)")])
    locator = _CsvLocator(path)
    columns = _read_header(rows[0][1], locator)
    if locator.problems:  # wrong columns: every row would fail the same way, say it once
        raise InputFileError(KIND, path, _once(locator.problems))
    data = _deck_data(rows[1:], columns, locator)
    try:
        deck = deck_from_data(data, locator)
    except InputFileError as exc:
        raise InputFileError(KIND, path, _once(locator.problems + exc.problems)) from None
    if locator.problems:
        raise InputFileError(KIND, path, _once(locator.problems))
    return deck


def _once(problems: list[Problem]) -> list[Problem]:
    """Each problem once, even when two rules (or a theme and its cards) found the same thing."""
    return list(dict.fromkeys(problems))


def _rows(text: str, path: str) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cells) of each record; a quoted cell may span several lines."""
    delimiter = sniff_delimiter(text)
    first = text.split("\n", 1)[0]
    if first.count("|") > max(first.count(d) for d in (";", ",", "\t")):
        message = (
            "les colonnes sont séparées par « | » ; enregistrez le fichier en CSV séparé par des "
            "points-virgules (;), des virgules (,) ou des tabulations"
        )
        raise InputFileError(KIND, path, [SheetProblem(path, 1, None, message)])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [unguard_formula(cell) for cell in cells]
    except csv.Error as exc:
        raise InputFileError(
            KIND, path, [Problem(path, reader.line_num, None, f"CSV invalide : {exc} (guillemet non fermé ?)")]
        ) from None


def sniff_delimiter(text: str) -> str:
    """The separator of the header row: whichever of ``;``, ``,`` and tab it uses most."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _normalise(header: str) -> str:
    """``Thème libellé`` → ``themelibelle``: case, accents, spaces and dashes do not matter."""
    plain = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[\s_\-.]+", "", plain)


_BY_NAME: dict[str, Column] = {}
for _column in COLUMNS:
    _BY_NAME[_normalise(_column.header)] = _column
    _BY_NAME[_normalise(".".join(map(str, _column.field)))] = _column
_BY_NAME[_normalise("theme.label")] = _BY_NAME[_normalise("thème_libellé")]
_BY_NAME[_normalise("theme.color")] = _BY_NAME[_normalise("thème_couleur")]


def _read_header(cells: list[str], locator: _CsvLocator) -> dict[int, Column]:
    """Column index → column; unknown, repeated and missing columns become problems."""
    columns: dict[int, Column] = {}
    seen: dict[str, int] = {}
    expected = ", ".join(c.header for c in COLUMNS)
    for i, cell in enumerate(cells):
        name = cell.strip()
        if not name:
            continue
        column = _BY_NAME.get(_normalise(name))
        if column is None:
            locator.add(1, i + 1, f"colonne inconnue « {name} » ; colonnes possibles : {expected}")
        elif column.header in seen:
            locator.add(1, i + 1, f"colonne « {name} » répétée (déjà en colonne {seen[column.header] + 1})")
        else:
            columns[i] = column
            seen[column.header] = i
    for column in COLUMNS:
        if column.required and column.header not in seen:
            locator.add(1, None, f"colonne obligatoire manquante « {column.header} » ; colonnes attendues : {expected}")
    locator.header_columns = {c.header: i + 1 for i, c in columns.items()}
    return columns


def _deck_data(rows: list[tuple[int, list[str]]], columns: dict[int, Column], locator: _CsvLocator) -> dict[str, Any]:
    """The deck as plain data (same shape as the YAML file), recording where each value was."""
    col_of = locator.header_columns
    info: dict[str, Any] = {}
    declared: dict[str, dict[str, Any]] = {}  # theme id → theme data, in declaration order
    implied: dict[str, dict[str, Any]] = {}  # themes only named by cards
    cards: list[dict[str, Any]] = []
    width = len(columns) and max(columns) + 1
    card_rows: list[tuple[int, dict[str, str]]] = []
    # Directive rows first, wherever they are, so a card row can be checked against its theme.
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # blank rows at the end of a sheet
        by_header = {columns[i].header: cells[i] for i in columns if i < len(cells)}
        code = by_header.get("code", "").strip()
        if code and not code.startswith("#"):
            locator.card_codes[number] = code
        for i, cell in enumerate(cells):
            if i >= width and cell.strip():
                locator.add(number, i + 1, f"cellule « {cell.strip()[:40]} » hors des colonnes de l'en-tête")
        if _normalise(code) in (_normalise(THEME_ROW), "#theme"):
            _theme_row(number, by_header, declared, locator)
        elif _normalise(code) == _normalise(DECK_ROW):
            _deck_row(number, by_header, info, locator)
        elif code.startswith("#"):
            unknown = f"ligne spéciale « {code} » inconnue ; attendu {THEME_ROW} ou {DECK_ROW}"
            locator.add(number, col_of.get("code"), unknown)
        else:
            card_rows.append((number, by_header))
    for number, by_header in card_rows:
        card, card_theme = _card_row(number, len(cards), by_header, locator)
        cards.append(card)
        if card_theme is not None:
            _theme_of_card(number, card_theme, declared, implied, locator)
    themes = list(declared.values()) + list(implied.values())
    for i, theme in enumerate(themes):
        locator.alias(("themes", i), theme.pop("_loc"))
    return {**info, "themes": themes, "cards": cards}


def _theme_row(
    number: int, by_header: dict[str, str], declared: dict[str, dict[str, Any]], locator: _CsvLocator
) -> None:
    theme_id = by_header.get("thème", "").strip()
    col_of = locator.header_columns
    if theme_id in declared:
        locator.add(number, col_of.get("thème"), f"thème « {theme_id} » déclaré deux fois (lignes {THEME_ROW})")
        return
    theme: dict[str, Any] = {"_loc": ("#theme", number)}
    for header, field in (("thème", "id"), ("thème_libellé", "label"), ("thème_couleur", "color")):
        value = by_header.get(header, "").strip()
        if value:
            theme[field] = value
        locator.mark(("#theme", number, field), number, col_of.get(header), header)
    locator.mark(("#theme", number), number, col_of.get("thème"), THEME_ROW)
    declared[theme_id] = theme


def _deck_row(number: int, by_header: dict[str, str], info: dict[str, Any], locator: _CsvLocator) -> None:
    col_of = locator.header_columns
    name = by_header.get("titre", "").strip()
    field = DECK_FIELDS.get(_normalise(name))
    if field is None:
        known = ", ".join(dict.fromkeys(_DECK_FIELD_NAMES.values())) + ", auteurs"
        locator.add(number, col_of.get("titre"), f"champ de deck inconnu « {name} » ; champs possibles : {known}")
        return
    if field in info:
        locator.add(number, col_of.get("titre"), f"champ de deck « {name} » donné deux fois")
        return
    value = by_header.get("description", "")
    info[field] = split_list(value) if field == "authors" else value.strip()
    locator.mark((field,), number, col_of.get("description"), f"{DECK_ROW} {name}")


def _card_row(
    number: int, index: int, by_header: dict[str, str], locator: _CsvLocator
) -> tuple[dict[str, Any], tuple[str, str, str] | None]:
    """One card as plain data, and its (theme id, label, colour) as written on the row."""
    card: dict[str, Any] = {}
    col_of = locator.header_columns
    locator.mark(("cards", index), number, None, "carte")
    for parent, header in _PARENT_COLUMN.items():
        locator.mark(("cards", index, *parent), number, col_of.get(header), header.split("_")[0])
    for column in COLUMNS:
        if column.field[0] in ("theme_label", "theme_color"):
            continue
        loc = ("cards", index, *column.field)
        locator.mark(loc, number, col_of.get(column.header), column.header)
        raw = by_header.get(column.header, "")
        value = _canonical(column.header, _value(raw, column.kind))
        if value is None:
            continue  # empty cell: "missing" if the field is required
        target = card
        for part in column.field[:-1]:
            target = target.setdefault(str(part), {})
        target[str(column.field[-1])] = value
    theme_id = by_header.get("thème", "").strip()
    if not theme_id:
        return card, None
    return card, (theme_id, by_header.get("thème_libellé", "").strip(), by_header.get("thème_couleur", "").strip())


def _fold(text: str) -> str:
    """``Informelle``, ``FORMELLE``, `` formelle `` → ``informelle``, ``formelle``: case, accents, spaces ignored."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[\s_]+", "-", plain.strip())


#: Columns whose values come from a fixed list: a spreadsheet's autocorrect (``Informelle``) is accepted.
_CHOICES: dict[str, dict[str, str]] = {
    header: {_fold(member.value): member.value for member in enum}
    for header, enum in (("nature", Kind), ("gains", Gain), ("impact_sur", ImpactOn))
}


def _canonical(header: str, value: Any) -> Any:
    """A choice column's value written as the deck writes it, when it matches one case- and accent-insensitively."""
    choices = _CHOICES.get(header)
    if choices is None:
        return value
    if isinstance(value, list):
        return [choices.get(_fold(item), item) for item in value]
    if isinstance(value, str):
        return choices.get(_fold(value), value)
    return value


def _value(raw: str, kind: str) -> Any:
    """A cell's value for the model (numbers parsed leniently; text left as is for pydantic's
    messages); None for an empty cell."""
    text = raw.strip()
    if kind == "list":
        return split_list(raw)
    if kind == "resources":
        found = [_RESOURCE.match(item) for item in split_list(raw)]
        return [
            {"title": m["title"], "url": m["url"]} if m else {"title": item, "url": ""}
            for m, item in zip(found, split_list(raw), strict=True)
        ]
    if not text:
        return None
    if kind in ("int", "float"):
        number = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
        if kind == "int" and re.fullmatch(r"[+-]?\d+", number):
            return int(number)
        try:
            return float(number)
        except ValueError:
            return text
    return raw


def _theme_of_card(
    number: int,
    theme: tuple[str, str, str],
    declared: dict[str, dict[str, Any]],
    implied: dict[str, dict[str, Any]],
    locator: _CsvLocator,
) -> None:
    """Check a card row's theme label/colour against its theme, or declare the theme from it."""
    theme_id, label, colour = theme
    col_of = locator.header_columns
    known = declared.get(theme_id) or implied.get(theme_id)
    if known is None:
        if not (label and colour):
            return  # left to the deck rules: "thème inconnu"
        implied[theme_id] = {"_loc": ("#card-theme", number), "id": theme_id, "label": label, "color": colour}
        locator.mark(("#card-theme", number), number, col_of.get("thème"), "thème")
        for header, field in (("thème", "id"), ("thème_libellé", "label"), ("thème_couleur", "color")):
            locator.mark(("#card-theme", number, field), number, col_of.get(header), header)
        return
    for header, field, value in (("thème_libellé", "label", label), ("thème_couleur", "color", colour)):
        if value and value != known.get(field):
            origin = "sa ligne #thème" if theme_id in declared else "une carte précédente"
            locator.add(
                number,
                col_of.get(header),
                f"{header} « {value} » différent de celui du thème « {theme_id} » dans {origin} "
                f"(« {known.get(field, '')} ») ; corrigez l'un ou l'autre, ou videz cette cellule",
            )


def column_letter(number: int) -> str:
    """A spreadsheet column's letters: 1 → A, 8 → H, 27 → AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True, order=True)
class SheetProblem(Problem):
    """A problem in a spreadsheet, said as its user sees it: row, column letter and header, card code.

    ``cartes.csv, ligne 23, colonne H (difficulté), carte GOV-03 : nombre entier attendu, reçu « deux »``
    """

    header: str = ""
    card: str = ""

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(f"ligne {self.line}")
        if self.column is not None:
            parts.append(f"colonne {column_letter(self.column)}" + (f" ({self.header})" if self.header else ""))
        if self.card:
            parts.append(f"carte {self.card}")
        return f"{', '.join(parts)} : {self.message}"


class _CsvLocator:
    """Implements :class:`gria_miro.deck.validation.Locator` over a CSV file: each value's path
    maps to its spreadsheet row and column, and problems name the column header."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.header_columns: dict[str, int] = {}
        self._marks: dict[Loc, tuple[int, int | None, str]] = {}
        self._aliases: dict[Loc, Loc] = {}
        #: Spreadsheet row → the code of the card on it (named in every problem of the row).
        self.card_codes: dict[int, str] = {}

    def sheet_problem(self, row: int | None, column: int | None, message: str, header: str = "") -> SheetProblem:
        if column is not None and not header:
            header = next((name for name, number in self.header_columns.items() if number == column), "")
        card = self.card_codes.get(row, "") if row is not None else ""
        return SheetProblem(self.path, row, column, message, header if column is not None else "", card)

    def add(self, row: int | None, column: int | None, message: str) -> None:
        self.problems.append(self.sheet_problem(row, column, message))

    def mark(self, loc: Loc, row: int, column: int | None, label: str) -> None:
        self._marks[loc] = (row, column, label)

    def alias(self, loc: Loc, target: Loc) -> None:
        """Paths under ``loc`` (``themes[2]``) are located where ``target`` was read."""
        self._aliases[loc] = target

    def _find(self, loc: Loc) -> tuple[int, int | None, str] | None:
        parts = tuple(loc)
        for prefix, target in self._aliases.items():
            if parts[: len(prefix)] == prefix:
                parts = target + parts[len(prefix) :]
                break
        while parts:
            if parts in self._marks:
                return self._marks[parts]
            parts = parts[:-1]
        return None

    def problem(self, loc: Iterable[str | int], message: str) -> Problem:
        if tuple(loc) == ("themes",):
            message = f"aucun thème : ajoutez des lignes {THEME_ROW} (colonnes thème, thème_libellé, thème_couleur)"
        found = self._find(tuple(loc))
        if found is None:
            return SheetProblem(self.path, None, None, message)
        row, column, label = found
        return self.sheet_problem(row, column, message, label)

    def validation_problems(self, exc: ValidationError, prefix: Loc) -> list[Problem]:
        problems: list[Problem] = []
        for error in exc.errors(include_url=False):
            loc = (*prefix, *error["loc"])
            found = self._find(loc)
            if error["type"] == "missing":
                what = "valeur obligatoire manquante (cellule vide)"
                if found is None and not prefix and len(loc) == 1:
                    what = (
                        f"ligne {DECK_ROW} « {_DECK_FIELD_NAMES.get(str(loc[0]), loc[0])} » manquante "
                        "(colonne titre : le nom du champ ; colonne description : sa valeur)"
                    )
            else:
                what = describe_error(error)
            if found is None:
                problems.append(SheetProblem(self.path, None, None, what))
            else:
                row, column, label = found
                problems.append(self.sheet_problem(row, column, what, label))
        return problems
