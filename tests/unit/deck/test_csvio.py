"""CSV import/export of decks: lossless round trip, spreadsheet habits, located errors."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from samples import sample

from gria_miro.deck.csvio import COLUMNS, deck_from_csv, deck_to_csv, join_list, sniff_delimiter, split_list
from gria_miro.deck.loading import deck_from_document, deck_to_yaml
from gria_miro.deck.model import CODE_PATTERN, HEX_COLOUR_PATTERN, THEME_ID_PATTERN, Deck
from gria_miro.deck.scales import COST, DURATION, Gain, Kind
from gria_miro.errors import InputFileError
from gria_miro.sourcefile import parse_yaml


def _deck() -> Deck:
    return Deck.model_validate(sample())


def _problems(text: str) -> list[str]:
    with pytest.raises(InputFileError) as caught:
        deck_from_csv(text, "cartes.csv")
    return [str(p) for p in caught.value.problems]


def _lines(deck: Deck) -> list[str]:
    return deck_to_csv(deck).split("\r\n")


def test_round_trip_keeps_metadata_theme_order_and_every_field() -> None:
    deck = _deck()
    assert deck_from_csv(deck_to_csv(deck), "x.csv") == deck


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_other_delimiters_are_sniffed_on_import(delimiter: str) -> None:
    deck = _deck()
    text = deck_to_csv(deck, delimiter=delimiter)
    assert sniff_delimiter(text) == delimiter
    assert deck_from_csv(text, "x.csv") == deck


def test_byte_order_mark_and_decimal_point_or_comma_are_accepted(tmp_path) -> None:
    from gria_miro.deck.csvio import load_deck_csv

    deck = _deck()
    text = deck_to_csv(deck)
    assert ";2,5;" in text  # French Excel reads a decimal comma
    path = tmp_path / "d.csv"
    path.write_text(text.replace(";2,5;", ";2.5;"), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_deck_csv(path) == deck


def test_directive_rows_may_move_and_blank_rows_are_ignored() -> None:
    deck = _deck()
    lines = _lines(deck)
    header, body = lines[0], [line for line in lines[1:] if line]
    cards = [line for line in body if not line.startswith("#")]
    directives = [line for line in body if line.startswith("#")]
    moved = "\r\n".join([header, *cards, ";;;;", *directives, ""])
    assert deck_from_csv(moved, "x.csv") == deck


def test_headers_match_ignoring_case_accents_and_english_names() -> None:
    deck = _deck()
    lines = _lines(deck)
    english = [".".join(map(str, c.field)) for c in COLUMNS]
    english[4], english[5] = "theme.label", "theme.color"
    assert deck_from_csv("\r\n".join([";".join(english), *lines[1:]]), "x.csv") == deck
    shouting = lines[0].upper().replace("_", " ")
    assert deck_from_csv("\r\n".join([shouting, *lines[1:]]), "x.csv") == deck


def test_optional_columns_may_be_dropped_and_card_theme_cells_emptied() -> None:
    bare = [c.model_copy(update={"tags": (), "prerequisites": ()}) for c in _deck().cards]
    deck = _deck().model_copy(update={"cards": tuple(bare)})
    rows = list(csv.reader(io.StringIO(deck_to_csv(deck), newline=""), delimiter=";"))
    drop = {rows[0].index("prérequis"), rows[0].index("mots_clés")}
    label, colour = rows[0].index("thème_libellé"), rows[0].index("thème_couleur")
    for row in rows[1:]:
        if not row[0].startswith("#"):
            row[label] = row[colour] = ""
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";").writerows([c for i, c in enumerate(row) if i not in drop] for row in rows)
    text = out.getvalue()
    assert deck_from_csv(text, "x.csv") == deck


def test_theme_declared_only_by_its_cards() -> None:
    deck = _deck()
    text = "\r\n".join(line for line in _lines(deck) if not line.startswith("#thème"))
    loaded = deck_from_csv(text, "x.csv")
    assert [t.id for t in loaded.themes] == ["gouvernance", "sobriete"]  # the card-less theme is gone
    assert loaded.cards == deck.cards


def test_list_cells_escape_separator_and_backslash() -> None:
    items = ["a|b", "C:\\dossier", "fin\\", "x \\| y"]
    assert split_list(join_list(items)) == items
    assert split_list(" temps |qualite| ") == ["temps", "qualite"]
    assert split_list("C:\\dossier") == ["C:\\dossier"]  # typed by hand: not an escape


def test_bad_number_is_located_at_its_row_and_column() -> None:
    lines = _lines(_deck())
    row = next(i for i, line in enumerate(lines) if line.startswith("SOB-02"))
    lines[row] = lines[row].replace(";5000;", ";cinq mille;")
    col = [c.header for c in COLUMNS].index("coût_min_eur") + 1
    assert col == 10  # column J
    problems = _problems("\r\n".join(lines))
    assert problems == [
        f"cartes.csv, ligne {row + 1}, colonne J (coût_min_eur), carte SOB-02 : "
        "nombre entier attendu, reçu « cinq mille »"
    ]


def test_empty_required_cell_and_unknown_theme_are_located() -> None:
    lines = _lines(_deck())
    row = next(i for i, line in enumerate(lines) if line.startswith("SOB-02"))
    cells = lines[row].split(";")
    cells[1] = ""  # titre
    cells[3], cells[4], cells[5] = "inconnu", "", ""
    lines[row] = ";".join(cells)
    problems = _problems("\r\n".join(lines))
    where = f"cartes.csv, ligne {row + 1}"
    assert f"{where}, colonne B (titre), carte SOB-02 : valeur obligatoire manquante (cellule vide)" in problems
    assert any(p.startswith(f"{where}, colonne D (thème), carte SOB-02 : thème inconnu « inconnu »") for p in problems)


def test_wrong_columns_are_reported_on_the_header_row() -> None:
    lines = _lines(_deck())
    header = lines[0].replace("titre", "intitulé").replace("nature", "code")
    problems = _problems("\r\n".join([header, *lines[1:]]))
    assert any(p.startswith("cartes.csv, ligne 1, colonne B : colonne inconnue « intitulé »") for p in problems)
    assert any(p.startswith("cartes.csv, ligne 1, colonne G : colonne « code » répétée") for p in problems)
    assert any(p.startswith("cartes.csv, ligne 1 : colonne obligatoire manquante « titre »") for p in problems)
    assert any("colonne obligatoire manquante « nature »" in p for p in problems)


def test_theme_label_conflicting_with_theme_row_is_an_error() -> None:
    lines = _lines(_deck())
    row = next(i for i, line in enumerate(lines) if line.startswith("GOV-01"))
    lines[row] = lines[row].replace(";Gouvernance;", ";Gouvernance IA;")
    problems = _problems("\r\n".join(lines))
    assert len(problems) == 1
    assert problems[0].startswith(
        f"cartes.csv, ligne {row + 1}, colonne E (thème_libellé), carte GOV-01 : "
        "thème_libellé « Gouvernance IA » différent"
    )


def test_missing_metadata_and_unknown_directive() -> None:
    lines = [line for line in _lines(_deck()) if not line.startswith("#deck;licence")]
    lines.append("#note;;;;;;;;;;;;;;;;;;")
    lines.append("#deck;couleur;rouge;;;;;;;;;;;;;;;;")
    problems = _problems("\r\n".join(lines))
    assert (
        "cartes.csv : ligne #deck « licence » manquante "
        "(colonne titre : le nom du champ ; colonne description : sa valeur)" in problems
    )
    note_row, deck_row = len(lines) - 1, len(lines)
    assert any(
        p.startswith(f"cartes.csv, ligne {note_row}, colonne A (code) : ligne spéciale « #note » inconnue")
        for p in problems
    )
    assert any(
        p.startswith(f"cartes.csv, ligne {deck_row}, colonne B (titre) : champ de deck inconnu « couleur »")
        for p in problems
    )


def test_cells_beyond_the_header_and_unclosed_quote() -> None:
    lines = _lines(_deck())
    lines[-2] += ";en trop"
    problems = _problems("\r\n".join(lines))
    assert problems == [
        f"cartes.csv, ligne {len(lines) - 1}, colonne V, carte {lines[-2].split(';')[0]} : "
        "cellule « en trop » hors des colonnes de l'en-tête"
    ]
    assert "CSV invalide" in _problems(lines[0] + '\r\nGOV-01;"titre pas fermé\r\n')[0]


def test_header_only_is_an_empty_deck() -> None:
    problems = _problems(_lines(_deck())[0] + "\r\n;;;\r\n")
    assert "cartes.csv : le deck ne contient aucune carte" in problems
    assert any(p.startswith("cartes.csv : aucun thème : ajoutez des lignes #thème") for p in problems)


# --- property: any valid deck survives YAML → CSV → YAML -------------------------------------

_text_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from(
    ["\n", "|", "\\", ";", ",", '"', "#", "\u2028", " "]
)


def _text(max_size: int) -> st.SearchStrategy[str]:
    return st.text(_text_chars, min_size=1, max_size=max_size).filter(lambda s: bool(s.strip()))


def _band(scale_level_low: float, high: float | None) -> tuple[float, float]:
    return scale_level_low, (high if high is not None else scale_level_low * 10)


@st.composite
def decks(draw: st.DrawFn) -> Deck:
    theme_ids = draw(st.lists(st.from_regex(THEME_ID_PATTERN, fullmatch=True), min_size=1, max_size=4, unique=True))
    themes = [
        {"id": t, "label": draw(_text(30)), "color": draw(st.from_regex(HEX_COLOUR_PATTERN, fullmatch=True))}
        for t in theme_ids
    ]
    codes = draw(st.lists(st.from_regex(CODE_PATTERN, fullmatch=True), min_size=1, max_size=6, unique=True))
    cards = []
    for i, code in enumerate(codes):
        cost = COST.level(draw(st.sampled_from(COST.values)))
        low, high = _band(cost.low or 0, cost.high)
        eur_min = draw(st.integers(int(low), int(high)))
        eur_max = draw(st.integers(max(eur_min, int(low)), int(high) + 1000))
        duration = DURATION.level(draw(st.sampled_from(DURATION.values)))
        d_low, d_high = _band(duration.low or 0, duration.high)
        days = draw(st.floats(max(d_low, 1e-3), min(d_high, 1000), allow_nan=False))
        cards.append(
            {
                "code": code,
                "title": draw(_text(40)),
                "description": draw(_text(120)),
                "theme": draw(st.sampled_from(theme_ids)),
                "kind": draw(st.sampled_from(list(Kind))),
                "difficulty": draw(st.integers(1, 4)),
                "cost": {"level": cost.value, "eur_min": eur_min, "eur_max": eur_max},
                "duration": {"level": duration.value, "days": days},
                "gains": {
                    "categories": draw(st.lists(st.sampled_from(list(Gain)), min_size=1, max_size=3, unique=True)),
                    "text": draw(_text(60)),
                },
                "impact": {"score": draw(st.integers(-2, 2)), "text": draw(_text(60))},
                "prerequisites": draw(st.lists(st.sampled_from(codes[:i]), unique=True, max_size=2)) if i else [],
                "tags": draw(st.lists(_text(15), max_size=3)),
            }
        )
    return Deck.model_validate(
        {
            "title": draw(_text(40)),
            "language": draw(st.from_regex(r"^[a-z]{2}$", fullmatch=True)),
            "version": draw(_text(10)),
            "licence": draw(_text(20)),
            "authors": draw(st.lists(_text(20), max_size=3)),
            "themes": themes,
            "cards": cards,
        }
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deck=decks(), delimiter=st.sampled_from([";", ",", "\t"]))
def test_csv_and_yaml_round_trips_are_lossless(deck: Deck, delimiter: str) -> None:
    from_yaml = deck_from_document(parse_yaml(deck_to_yaml(deck), "d.yaml", "deck"))
    assert from_yaml == deck
    assert deck_from_csv(deck_to_csv(from_yaml, delimiter=delimiter), "d.csv") == deck


def test_windows_1252_file_from_french_excel_is_read(tmp_path) -> None:
    from gria_miro.deck.csvio import load_deck_csv

    deck = _deck().model_copy(update={"authors": ("Équipe",)})
    text = deck_to_csv(deck).replace("\u202f", " ").replace("«", "<").replace("»", ">")
    deck = deck_from_csv(text, "x.csv")  # the same deck, in characters Windows-1252 has
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp1252"))
    assert load_deck_csv(path) == deck


# --- forgiving spreadsheet input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kind"), [("Informelle", "informelle"), ("FORMELLE", "formelle"), (" formelle ", "formelle")]
)
def test_choice_values_ignore_case_spaces_and_accents(typed: str, kind: str) -> None:
    rows = list(csv.reader(io.StringIO(deck_to_csv(_deck())), delimiter=";"))
    row = next(r for r in rows if r[0] == "GOV-01")
    row[COLUMN_INDEX["nature"]] = typed
    row[COLUMN_INDEX["gains"]] = "Temps | QUALITÉ"
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    card = next(c for c in deck_from_csv(out.getvalue(), "cartes.csv").cards if c.code == "GOV-01")
    assert card.kind == kind
    assert [g.value for g in card.gains.categories] == ["temps", "qualite"]


def test_a_bad_theme_colour_is_reported_once_not_on_every_card() -> None:
    lines = _lines(_deck())
    colour = next(line.split(";")[5] for line in lines if line.startswith("#thème"))
    problems = _problems("\r\n".join(lines).replace(colour, "bleu"))
    assert len(problems) == len({p.split(" : ", 1)[1] for p in problems}) or len(problems) <= 3
    assert all("thème inconnu" not in p for p in problems)
    assert any("format invalide « bleu » ; attendu : une couleur #rrggbb (ex. #1e3a8a)" in p for p in problems)
    assert not any("^" in p or "{" in p for p in problems), "never a regular expression"


def test_a_pipe_separated_file_names_its_separator() -> None:
    text = "\r\n".join(_lines(_deck())).replace(";", "|")
    assert _problems(text) == [
        "cartes.csv, ligne 1 : les colonnes sont séparées par « | » ; enregistrez le fichier en CSV séparé "
        "par des points-virgules (;), des virgules (,) ou des tabulations"
    ]


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x";"clic")', "+33 1 23", "-moins", "@SUM(A1)", "'=déjà", "''+x"])
def test_formula_cells_are_inert_in_the_csv_and_come_back_unchanged(text: str) -> None:
    deck = _deck()
    cards = list(deck.cards)
    cards[0] = cards[0].model_copy(update={"title": text, "tags": (text, "ok")})
    changed = deck.model_copy(update={"cards": tuple(cards)})
    exported = deck_to_csv(changed)
    row = next(csv.reader(io.StringIO(exported), delimiter=";"))  # header
    rows = list(csv.reader(io.StringIO(exported), delimiter=";"))
    title_cell = next(r for r in rows if r[0] == cards[0].code)[COLUMN_INDEX["titre"]]
    assert row[0] == "code"
    assert title_cell.startswith("'"), "a spreadsheet would run it as a formula"
    back = deck_from_csv(exported, "cartes.csv")
    assert back == changed


COLUMN_INDEX = {c.header: i for i, c in enumerate(COLUMNS)}
