"""A corpus of bad inputs: each fails with one French line, a user-error exit code, no traceback,
and leaves every file (decks, outputs, state, the local board) exactly as it was."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.pushkit import run_cli

GOOD_DECK = Path(__file__).resolve().parents[2] / "decks" / "gria-fr.yaml"
LAYOUT = Path(__file__).resolve().parents[2] / "layouts" / "randonnee.yaml"

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 9)}]\n" for i in range(1, 9)
)
MERGE_BOMB = "a0: &a0 {k: 1}\n" + "".join(
    f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}], k{i}: 1}}\n" for i in range(1, 31)
)
DEEP = "title: " + "[" * 5000 + "]" * 5000 + "\n"


@dataclass
class Case:
    args: list[str]
    expect: str  # the start of the one line on stderr, after "Erreur : "
    files: dict[str, str | bytes] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    prepare: Callable[[Path], None] | None = None
    code: int = 2
    details: bool = False  # several problems: the one-line summary, then one line each


def _csv() -> str:
    from gria_miro.deck.csvio import deck_to_csv
    from gria_miro.deck.loading import load_deck

    return deck_to_csv(load_deck("gria-fr"))


def _read_only(name: str) -> Callable[[Path], None]:
    def prepare(root: Path) -> None:
        target = root / name
        if not target.exists():
            target.mkdir(parents=True)
        target.chmod(stat.S_IRUSR | stat.S_IXUSR if target.is_dir() else stat.S_IRUSR)

    return prepare


BOARD = ["--board", "local:atelier.json"]


def _state_with_text_x(root: Path) -> None:
    """A copy of the board's state where one item's x is not a number."""
    (saved,) = (root / "state").glob("board-*.json")
    state = json.loads(saved.read_text(encoding="utf-8"))
    first = next(iter(state["items"]))
    state["items"][first]["x"] = "oops"
    (root / "etat-abime.json").write_text(json.dumps(state), encoding="utf-8")


CASES: dict[str, Case] = {
    # --- deck files (YAML) -------------------------------------------------------------------
    "deck missing": Case(["deck", "validate", "absent.yaml"], "absent.yaml: fichier introuvable"),
    "deck is a folder": Case(
        ["deck", "validate", "dossier.yaml"],
        "dossier.yaml: c'est un dossier",
        prepare=lambda r: (r / "dossier.yaml").mkdir(),
    ),
    "deck empty": Case(["deck", "validate", "vide.yaml"], "vide.yaml: fichier vide", {"vide.yaml": ""}),
    "deck binary": Case(["deck", "validate", "b.yaml"], "b.yaml: fichier binaire", {"b.yaml": b"\x00\x01PNG"}),
    "deck not utf-8": Case(
        ["deck", "validate", "l1.yaml"], "l1.yaml:1: texte non UTF-8", {"l1.yaml": "titre: é\n".encode("latin-1")}
    ),
    "deck billion laughs": Case(
        ["deck", "validate", "bomb.yaml"], "bomb.yaml:6:4: alias YAML trop imbriqués", {"bomb.yaml": BILLION_LAUGHS}
    ),
    "deck merge bomb": Case(["deck", "validate", "merge.yaml"], "merge.yaml:", {"merge.yaml": MERGE_BOMB}),
    "deck recursive alias": Case(
        ["deck", "validate", "rec.yaml"], "rec.yaml:1:4: alias récursif", {"rec.yaml": "a: &a [1, *a]\n"}
    ),
    "deck 5000 deep": Case(["deck", "validate", "deep.yaml"], "deep.yaml:", {"deep.yaml": DEEP}),
    "deck tab indent": Case(
        ["deck", "validate", "tab.yaml"], "tab.yaml:2:1: YAML invalide : tabulation", {"tab.yaml": "a:\n\t- 1\n"}
    ),
    "deck unclosed quote": Case(["deck", "validate", "q.yaml"], "q.yaml:", {"q.yaml": 'title: "ouvert\n'}),
    "deck duplicate key": Case(
        ["deck", "validate", "dup.yaml"], "dup.yaml:2:1: clé « title » répétée", {"dup.yaml": "title: a\ntitle: b\n"}
    ),
    "deck scalar": Case(["deck", "validate", "s.yaml"], "s.yaml:", {"s.yaml": "juste du texte\n"}),
    "deck list": Case(["deck", "validate", "l.yaml"], "l.yaml:", {"l.yaml": "- 1\n- 2\n"}),
    "deck bad colour": Case(
        ["deck", "validate", "c.yaml"],
        "c.yaml:",
        {"c.yaml": GOOD_DECK.read_text(encoding="utf-8").replace("#1e3a8a", "bleu", 1)},
    ),
    "deck unknown field": Case(
        ["deck", "validate", "u.yaml"],
        "u.yaml:",
        {"u.yaml": "champ_inconnu: 1\n" + GOOD_DECK.read_text(encoding="utf-8")},
    ),
    # --- layout files --------------------------------------------------------------------------
    "layout missing": Case(["layout", "validate", "absent-layout.yaml"], "absent-layout.yaml: fichier introuvable"),
    "layout bomb": Case(
        ["layout", "validate", "lb.yaml"], "lb.yaml:6:4: alias YAML trop imbriqués", {"lb.yaml": BILLION_LAUGHS}
    ),
    "layout deep": Case(["layout", "validate", "ld.yaml"], "ld.yaml:", {"ld.yaml": DEEP}),
    "layout empty": Case(["layout", "validate", "le.yaml"], "le.yaml: fichier vide", {"le.yaml": "\n"}),
    "layout unknown field": Case(
        ["layout", "validate", "lu.yaml"],
        "lu.yaml:1:10: inconnu : champ inconnu « inconnu »",
        prepare=lambda r: (r / "lu.yaml").write_text(
            "inconnu: 1\n" + LAYOUT.read_text(encoding="utf-8"), encoding="utf-8"
        ),
    ),
    "pull of a board file that does not exist": Case(
        ["pull", "--board", "local:absent.json"], "absent.json : ce tableau local n'existe pas"
    ),
    # --- CSV import ----------------------------------------------------------------------------
    "csv pipe separated": Case(
        ["deck", "import-csv", "p.csv", "-o", "p.yaml"],
        "p.csv, ligne 1 : les colonnes sont séparées par « | »",
        {"p.csv": "code|titre|description\nGOV-01|a|b\n"},
    ),
    "csv unknown column": Case(
        ["deck", "import-csv", "col.csv", "-o", "col.yaml"],
        "col.csv: 17 problèmes dans ce fichier (deck CSV) ; le premier : col.csv, ligne 1 : colonne obligatoire",
        {"col.csv": "code;intitulé\nGOV-01;x\n"},
        details=True,
    ),
    "csv unclosed quote": Case(
        ["deck", "import-csv", "uq.csv", "-o", "uq.yaml"], "uq.csv:", {"uq.csv": 'code;titre\nGOV-01;"ouvert\n'}
    ),
    "csv empty": Case(["deck", "import-csv", "e.csv", "-o", "e.yaml"], "e.csv: fichier vide", {"e.csv": ""}),
    "csv output exists": Case(
        ["deck", "import-csv", "ok.csv", "-o", "existe.yaml"],
        "existe.yaml: le fichier existe déjà ; ajoutez --force",
        {"existe.yaml": "ancien\n"},
        prepare=lambda r: (r / "ok.csv").write_text(_csv(), encoding="utf-8-sig"),
    ),
    "csv output empty name": Case(
        ["deck", "import-csv", "ok2.csv", "-o", ""],
        "-o: nom de fichier vide",
        prepare=lambda r: (r / "ok2.csv").write_text(_csv(), encoding="utf-8-sig"),
    ),
    "csv bad number": Case(
        ["deck", "import-csv", "n.csv", "-o", "n.yaml"],
        "n.csv, ligne ",
        prepare=lambda r: (r / "n.csv").write_text(_csv().replace(";300;", ";trois cents;", 1), encoding="utf-8"),
    ),
    "csv bad choice": Case(
        ["deck", "import-csv", "k.csv", "-o", "k.yaml"],
        "k.csv, ligne ",
        prepare=lambda r: (r / "k.csv").write_text(_csv().replace(";formelle;", ";officielle;", 1), encoding="utf-8"),
    ),
    # --- writers -----------------------------------------------------------------------------
    "export-csv exists": Case(["deck", "export-csv", "-o", "x.csv"], "x.csv: le fichier existe déjà", {"x.csv": "a\n"}),
    "export-csv empty name": Case(["deck", "export-csv", "-o", ""], "-o: nom de fichier vide"),
    "export-csv folder": Case(
        ["deck", "export-csv", "-o", "d"], "d: c'est un dossier", prepare=lambda r: (r / "d").mkdir()
    ),
    "export-csv missing folder": Case(["deck", "export-csv", "-o", "nul/x.csv"], "nul/x.csv: dossier introuvable"),
    "export-csv bad delimiter": Case(["deck", "export-csv", "-o", "y.csv", "--delimiter", "|"], "option --delimiter"),
    "preview exists": Case(["layout", "preview", "-o", "p.svg"], "p.svg: le fichier existe déjà", {"p.svg": "<svg/>"}),
    "preview empty name": Case(["layout", "preview", "-o", ""], "-o: nom de fichier vide"),
    "preview missing folder": Case(["layout", "preview", "-o", "nul/p.svg"], "nul/p.svg: dossier introuvable"),
    "preview teams 53": Case(["layout", "preview", "-o", "t.svg", "--teams", "53"], "option --teams : de 1 à 52"),
    "schema exists": Case(["deck", "schema", "-o", "s.json"], "s.json: le fichier existe déjà", {"s.json": "{}"}),
    # --- options -----------------------------------------------------------------------------
    "timeout 0": Case(["plan", *BOARD, "--timeout", "0"], "option --timeout : un délai positif"),
    "timeout negative": Case(["plan", *BOARD, "--timeout", "-5"], "option --timeout : un délai positif"),
    "timeout text": Case(["plan", *BOARD, "--timeout", "abc"], "option --timeout : nombre attendu"),
    "teams 0": Case(["plan", *BOARD, "--teams", "0"], "option --teams : de 1 à 52"),
    "teams 1000": Case(["push", *BOARD, "--teams", "1000", "--yes"], "option --teams : de 1 à 52"),
    "teams text": Case(["plan", *BOARD, "--teams", "deux"], "option --teams : nombre entier attendu"),
    "pull teams 99": Case(["pull", *BOARD, "--teams", "99"], "option --teams : de 1 à 52"),
    "plan lang de": Case(["plan", *BOARD, "--lang", "de"], "option --lang : langue « de » inconnue"),
    "pull lang de": Case(["pull", *BOARD, "--lang", "de"], "option --lang : langue « de » inconnue"),
    "plan format xml": Case(["plan", *BOARD, "--format", "xml"], "--format xml"),
    "unknown option": Case(["push", "--bord", "x"], "option inconnue --bord"),
    "unknown command": Case(["pousser"], "commande inconnue « pousser »"),
    "option without value": Case(["push", "--board"], "l'option --board attend une valeur"),
    "extra argument": Case(["plan", "en-trop"], "argument en trop : en-trop"),
    "deck show unknown theme": Case(["deck", "show", "--theme", "astronomie"], "option --theme : thème « astronomie »"),
    "deck show bad kind": Case(["deck", "show", "--kind", "secrète"], "option --kind : nature « secrète »"),
    "deck show bad level": Case(["deck", "show", "--difficulty", "9"], "option --difficulty : niveau 9"),
    # --- boards ------------------------------------------------------------------------------
    "board missing": Case(["plan"], "--board manquant"),
    "board empty": Case(["plan", "--board", ""], "--board manquant"),
    "board id too long": Case(["plan", "--board", "u" * 250], "--board : « uuuu"),
    "board url without id": Case(["plan", "--board", "https://miro.com/app/"], "--board : « https://miro.com/app/ »"),
    "board local without path": Case(["plan", "--board", "local:"], "--board local: il manque le chemin"),
    "board file without local:": Case(["plan", "--board", "atelier.json"], "--board atelier.json : ce fichier existe"),
    "board json not found": Case(["plan", "--board", "autre.json"], "--board autre.json : pour un tableau local"),
    "board and new-board": Case(["push", *BOARD, "--new-board", "X", "--yes"], "--board et --new-board s'excluent"),
    "push without terminal": Case(["push", "--board", "local:neuf.json"], "confirmation impossible sans terminal"),
    "latency not a number": Case(
        ["plan", *BOARD], "GRIA_MIRO_LOCAL_LATENCY_MS", env={"GRIA_MIRO_LOCAL_LATENCY_MS": "vite"}
    ),
    "state file read-only": Case(
        ["push", *BOARD, "--state", "ro.json", "--yes"],
        "ro.json: fichier en lecture seule",
        {"ro.json": "{}"},
        prepare=_read_only("ro.json"),
    ),
    "state folder read-only": Case(
        ["push", *BOARD, "--state", "ro-dir/state.json", "--yes"],
        "ro-dir/state.json: dossier « ro-dir » en lecture seule",
        prepare=_read_only("ro-dir"),
    ),
    "serve port 99999": Case(["serve", "servi.json", "--port", "99999"], "--port 99999"),
    "state item with text x": Case(
        ["plan", *BOARD, "--state", "etat-abime.json"],
        "etat-abime.json: élément « ",
        prepare=_state_with_text_x,
    ),
    "state is a folder": Case(
        ["push", *BOARD, "--state", "etat", "--yes"], "etat: c'est un dossier", prepare=lambda r: (r / "etat").mkdir()
    ),
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a pushed local board, as a facilitator's would be."""
    root = tmp_path_factory.mktemp("atelier")
    previous = Path.cwd()
    os.chdir(root)
    saved = os.environ.get("GRIA_MIRO_STATE_DIR")
    os.environ["GRIA_MIRO_STATE_DIR"] = str(root / "state")
    try:
        from gria_miro.cli import main

        main(["push", *BOARD, "--yes"])  # returns normally on success
    finally:
        os.chdir(previous)
        if saved is None:
            os.environ.pop("GRIA_MIRO_STATE_DIR", None)
        else:
            os.environ["GRIA_MIRO_STATE_DIR"] = saved
    return root


def _snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file under ``root`` (a folder maps to None), to prove nothing changed."""
    seen: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        seen[str(path.relative_to(root))] = None if path.is_dir() else path.read_bytes()
    return seen


@pytest.fixture
def inside(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(workspace)
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(workspace / "state"))
    monkeypatch.delenv("MIRO_TOKEN", raising=False)
    yield workspace


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_fails_cleanly(
    name: str, inside: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES[name]
    created: list[Path] = []
    for relative, content in case.files.items():
        path = inside / relative
        created.append(path)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if case.prepare is not None:
        case.prepare(inside)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    before = _snapshot(inside)
    try:
        run = run_cli(capsys, *case.args)
        after = _snapshot(inside)
    finally:
        for path in sorted(inside.rglob("*"), reverse=True):  # undo this case's files (read-only ones too)
            if path.relative_to(inside).parts[0] in ("state", "atelier.json") or path.name.startswith("atelier"):
                continue
            path.chmod(0o700 if path.is_dir() else 0o600)
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()
    lines = run.err.strip().splitlines()
    assert run.code == case.code, run.err
    assert "Traceback" not in run.err and "Erreur interne" not in run.err, run.err
    assert len(lines) == 1 or (case.details and all(line.startswith("  ") for line in lines[1:])), run.err
    assert lines[0].startswith("Erreur : " + case.expect), run.err
    assert after == before, "a bad input changed a file"
