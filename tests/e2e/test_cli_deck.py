"""End-to-end tests of ``gria-miro deck …``: output, exit codes, and bad input without tracebacks."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from gria_miro.errors import ExitStatus
from tests.e2e.pushkit import run_cli

CARD: dict[str, Any] = {
    "code": "GOV-01",
    "title": "Inventorier les chartes existantes",
    "description": "Rassembler les chartes d'usage de l'IA déjà publiées et les comparer.",
    "theme": "gouvernance",
    "kind": "informelle",
    "difficulty": 1,
    "cost": {"level": 1, "eur_min": 0, "eur_max": 200},
    "duration": {"level": 2, "days": 2.5},
    "gains": {"categories": ["temps"], "text": "Ne pas réinventer."},
    "impact": {"score": 0, "dimension": "personnes", "text": "Neutre."},
}
DECK: dict[str, Any] = {
    "title": "Deck d'essai",
    "licence": "CC BY-SA 4.0",
    "themes": [
        {"id": "gouvernance", "label": "Gouvernance", "color": "#1e88e5"},
        {"id": "sobriete", "label": "Sobriété", "color": "#43a047"},
    ],
    "cards": [
        CARD,
        {
            **CARD,
            "code": "SOB-02",
            "title": "Mesurer l'empreinte",
            "theme": "sobriete",
            "kind": "formelle",
            "difficulty": 3,
            "cost": {"level": 3, "eur_min": 5000, "eur_max": 12000},
            "duration": {"level": 3, "days": 15},
            "impact": {"score": 2, "dimension": "environnement", "text": "Réduit l'empreinte."},
            "prerequisites": ["GOV-01"],
        },
        {**CARD, "code": "GOV-03", "title": "Écrire la charte", "kind": "formelle", "difficulty": 2},
    ],
}


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run the CLI in-process through its error choke point; (exit code, stdout, stderr)."""
    result = run_cli(capsys, *(str(a) for a in args))
    return result.code, result.out, result.err


def deck_file(tmp_path: Path, change: Any = None, name: str = "deck.yaml") -> Path:
    data = copy.deepcopy(DECK)
    if change is not None:
        change(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_validate_ok_line_with_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = deck_file(tmp_path)
    assert run(capsys, "deck", "validate", path) == (0, f"OK : {path} — 3 cartes, 2 thèmes, 2 natures\n", "")


def test_validate_defaults_to_the_shipped_deck(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gria_miro import resources

    shipped = tmp_path / "decks"
    shipped.mkdir()
    deck_file(shipped, name="gria-fr.yaml")
    monkeypatch.setattr(resources, "shipped_dir", lambda kind: shipped)
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "deck", "validate")[1] == "OK : decks/gria-fr.yaml — 3 cartes, 2 thèmes, 2 natures\n"
    assert run(capsys, "deck", "validate", "gria-fr")[0] == 0
    code, _, err = run(capsys, "deck", "validate", "gria-en")
    assert code == ExitStatus.USER_ERROR
    assert "ni fichier ni deck fourni de ce nom (fournis : gria-fr)" in err


def _bad_yaml_cases() -> list[tuple[str, Any, str]]:
    def long_title(d: dict[str, Any]) -> None:
        d["cards"][0]["title"] = "x" * 81

    return [
        ("unknown field", lambda d: d["cards"][0].update(couleur="bleu"), "champ inconnu « couleur »"),
        ("wrong type", lambda d: d["cards"][0].update(difficulty="facile"), "nombre entier attendu, reçu « facile »"),
        ("unknown theme", lambda d: d["cards"][0].update(theme="ia"), "thème inconnu « ia »"),
        (
            "duplicate code",
            lambda d: d["cards"][2].update(code="GOV-01"),
            "code « GOV-01 » déjà utilisé par la carte n°1",
        ),
        (
            "dangling prerequisite",
            lambda d: d["cards"][0].update(prerequisites=["ZZZ-01"]),
            "prérequis « ZZZ-01 » : aucune carte n'a ce code",
        ),
        (
            "prerequisite cycle",
            lambda d: d["cards"][0].update(prerequisites=["SOB-02"]),
            "cycle de prérequis : GOV-01 → SOB-02 → GOV-01",
        ),
        (
            "level out of range",
            lambda d: d["cards"][1]["cost"].update(level=5),
            "valeur 5 hors de l'échelle (doit être ≤ 4)",
        ),
        ("title too long", long_title, "trop long (81 caractères ; au plus 80)"),
        ("empty deck", lambda d: d.update(cards=[]), "le deck ne contient aucune carte"),
    ]


@pytest.mark.parametrize(("case", "change", "expected"), _bad_yaml_cases(), ids=[c[0] for c in _bad_yaml_cases()])
def test_invalid_deck_gets_a_located_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, change: Any, expected: str
) -> None:
    path = deck_file(tmp_path, change)
    code, out, err = run(capsys, "deck", "validate", path)
    assert code == ExitStatus.USER_ERROR
    assert out == ""
    assert err.startswith(f"Erreur : {path}:")
    assert expected in err
    assert "Traceback" not in err
    if case != "empty deck":  # a deck-wide problem has no single place
        assert f"{path}:" in err and err.split(f"{path}:", 1)[1].split(":")[0].isdigit()


def test_several_problems_are_all_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def two(d: dict[str, Any]) -> None:
        d["cards"][0]["difficulty"] = 9
        d["cards"][1]["theme"] = "ia"

    path = deck_file(tmp_path, two)
    code, _, err = run(capsys, "deck", "validate", path)
    assert code == ExitStatus.USER_ERROR
    lines = err.splitlines()
    assert lines[0] == f"Erreur : {path}: 2 problèmes dans ce fichier (deck) ; le premier : " + lines[1].strip()
    assert "hors de l'échelle" in lines[1] and "thème inconnu « ia »" in lines[2]


def _file_cases() -> list[tuple[str, Any, str]]:
    return [
        ("malformed YAML", lambda p: p.write_text("title: [ouvert\ncards: 1\n"), ":2:6: YAML invalide"),
        ("missing file", lambda p: None, "fichier introuvable"),
        ("directory", lambda p: p.mkdir(), "c'est un dossier, pas un fichier"),
        ("binary file", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"), "fichier binaire"),
        ("empty file", lambda p: p.write_text("  \n"), "fichier vide (deck attendu)"),
        ("huge file", lambda p: p.write_bytes(b"#" * (5 * 1024 * 1024 + 1)), "fichier trop gros"),
        ("not UTF-8", lambda p: p.write_bytes("title: é".encode("latin-1")), "texte non UTF-8"),
    ]


@pytest.mark.parametrize(("case", "make", "expected"), _file_cases(), ids=[c[0] for c in _file_cases()])
def test_unreadable_deck_file_gets_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, make: Any, expected: str
) -> None:
    path = tmp_path / "deck.yaml"
    make(path)
    code, out, err = run(capsys, "deck", "validate", path)
    assert (code, out) == (ExitStatus.USER_ERROR, "")
    assert err.startswith(f"Erreur : {path}")
    assert expected in err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_show_filters_combine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = deck_file(tmp_path)
    code, out, _ = run(capsys, "deck", "show", path)
    assert code == 0
    assert all(c in out for c in ("GOV-01", "SOB-02", "GOV-03", "Balade (facile)", "Sobriété", "Action formelle"))
    _, out, _ = run(capsys, "deck", "show", path, "--theme", "Gouvernance", "--kind", "formelle")
    assert "GOV-03" in out and "GOV-01" not in out and "SOB-02" not in out
    _, out, _ = run(capsys, "deck", "show", path, "--max-cost", "2", "--code", "gov", "--difficulty", "1")
    assert "GOV-01" in out and "GOV-03" not in out and "SOB-02" not in out
    _, out, _ = run(capsys, "deck", "show", path, "--difficulty", "4")
    assert out.startswith("Aucune carte")


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        (
            "--theme",
            "ia",
            "option --theme : thème « ia » inconnu ; thèmes du deck : gouvernance (Gouvernance), sobriete",
        ),
        (
            "--kind",
            "officielle",
            "option --kind : nature « officielle » inconnue ; valeurs possibles : formelle, informelle",
        ),
        ("--difficulty", "7", "option --difficulty : niveau 7 inconnu ; niveaux possibles : 1 (Balade (facile))"),
        ("--max-cost", "0", "option --max-cost : niveau 0 inconnu"),
    ],
)
def test_show_rejects_unknown_filter_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, expected: str
) -> None:
    code, out, err = run(capsys, "deck", "show", deck_file(tmp_path), option, value)
    assert (code, out) == (ExitStatus.USER_ERROR, "")
    assert expected in err


def test_stats_counts_and_totals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deck", "stats", deck_file(tmp_path))
    assert code == 0
    assert "Deck d'essai" in out and "3 cartes" in out
    assert "Coût total estimé : 5\u202f000 à 12\u202f400 €" in out
    assert "Charge totale estimée : 20 jours-personne" in out
    row = next(line for line in out.splitlines() if "Gouvernance (gouvernance)" in line)
    assert row.split("│")[2].strip() == "2"


def test_schema_prints_json_and_writes_file_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deck", "schema")
    assert code == 0 and json.loads(out)["title"] == "Deck GR:IA (gria-miro)"
    target = tmp_path / "s.json"
    assert run(capsys, "deck", "schema", "-o", target)[0] == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(out)
    code, _, err = run(capsys, "deck", "schema", "-o", target)
    assert code == ExitStatus.USER_ERROR and "existe déjà ; ajoutez --force" in err
    assert run(capsys, "deck", "schema", "-o", target, "--force")[0] == 0


def test_csv_round_trip_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gria_miro.deck.loading import load_deck

    source = deck_file(tmp_path)
    csv_path, back = tmp_path / "cartes.csv", tmp_path / "retour.yaml"
    assert run(capsys, "deck", "export-csv", source, "-o", csv_path)[0] == 0
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfcode;titre;")
    code, out, _ = run(capsys, "deck", "import-csv", csv_path, "-o", back)
    assert (code, out) == (0, f"Deck écrit : {back} (3 cartes, 2 thèmes)\n")
    assert load_deck(back) == load_deck(source)
    assert run(capsys, "deck", "validate", csv_path)[0] == 0


def test_refuses_to_overwrite_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = deck_file(tmp_path)
    target = tmp_path / "existing.csv"
    target.write_text("précieux", encoding="utf-8")
    code, _, err = run(capsys, "deck", "export-csv", source, "-o", target)
    assert code == ExitStatus.USER_ERROR
    assert err == f"Erreur : {target}: le fichier existe déjà ; ajoutez --force pour le remplacer\n"
    assert target.read_text(encoding="utf-8") == "précieux"
    assert run(capsys, "deck", "export-csv", source, "-o", target, "--force")[0] == 0
    assert target.read_text(encoding="utf-8-sig").startswith("code;")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda t: t.replace("code;titre;", "code;intitulé;", 1),
            "cartes.csv, ligne 1, colonne B : colonne inconnue « intitulé »",
        ),
        (
            lambda t: t.replace(";5000;", ";5 000 €;"),
            "cartes.csv, ligne 9, colonne J (coût_min_eur), carte SOB-02 : nombre entier attendu, reçu « 5 000 € »",
        ),
        (
            lambda t: t.replace(";informelle;", ";informel;", 1),
            "cartes.csv, ligne 8, colonne G (nature), carte GOV-01 : valeur « informel » invalide",
        ),
    ],
    ids=["wrong columns", "bad number", "bad enum"],
)
def test_bad_csv_is_located_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: Any, expected: str
) -> None:
    csv_path, back = tmp_path / "cartes.csv", tmp_path / "retour.yaml"
    run(capsys, "deck", "export-csv", deck_file(tmp_path), "-o", csv_path)
    csv_path.write_text(edit(csv_path.read_text(encoding="utf-8-sig")), encoding="utf-8-sig")
    code, out, err = run(capsys, "deck", "import-csv", csv_path, "-o", back)
    assert (code, out) == (ExitStatus.USER_ERROR, "")
    assert f"{tmp_path}/{expected}" in err
    assert "Traceback" not in err
    assert not back.exists()


def test_console_script_in_a_subprocess(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "gria-miro"
    path = tmp_path / "broken.yaml"
    path.write_text("title: [\n", encoding="utf-8")
    done = subprocess.run([str(script), "deck", "validate", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == ExitStatus.USER_ERROR
    assert done.stderr.startswith(f"Erreur : {path}:2:1: YAML invalide")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("width", [80, 100])
def test_deck_show_fits_a_narrow_terminal_without_cutting_words(
    width: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gria_miro.deck.loading import load_deck
    from tests.e2e.pushkit import run_cli

    monkeypatch.setenv("COLUMNS", str(width))
    run = run_cli(capsys, "deck", "show", "gria-fr", "--code", "GOV")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert max(len(line) for line in lines) <= width
    cells = " ".join(part.strip() for line in lines for part in line.split("│"))
    words = {word for card in load_deck("gria-fr").cards if card.code.startswith("GOV") for word in card.title.split()}
    assert all(f" {word} " in f" {cells} " for word in words), "a title word was cut across two lines"
