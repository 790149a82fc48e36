"""The command line speaks French: usage errors, help pages, metavars, examples, completion."""

from __future__ import annotations

import re

import pytest

from gria_miro.cli import app
from gria_miro.cli._french import EXAMPLES, command_paths
from tests.e2e.pushkit import run_cli

ENGLISH = ("Usage:", "Show this message", "Error:", "Options:", "[default:", "Commands:", "Try '", "Missing ")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["push", "--bord", "x"], "Erreur : option inconnue --bord ; vouliez-vous dire --board"),
        (["push", "--teams", "abc"], "Erreur : option --teams : nombre entier attendu, reçu « abc »"),
        (["plan", "--timeout", "x"], "Erreur : option --timeout : nombre attendu, reçu « x »"),
        (["push", "--teams"], "Erreur : l'option --teams attend une valeur"),
        (["layout", "preview"], "Erreur : option obligatoire manquante : --output / -o"),
        (
            ["layout", "preview", "-o", "x.svg", "--teams", "0"],
            "Erreur : option --teams : de 1 à 52 équipes, reçu « 0 »",
        ),
        (["deck", "import-csv"], "Erreur : argument manquant : FICHIER_CSV"),
        (["deck", "frob"], "Erreur : commande inconnue « frob »"),
        (["dek"], "Erreur : commande inconnue « dek » ; vouliez-vous dire deck ?"),
        (["push", "extra"], "Erreur : argument en trop : extra"),
    ],
)
def test_usage_errors_are_one_french_line(capsys: pytest.CaptureFixture[str], args: list[str], expected: str) -> None:
    run = run_cli(capsys, *args)
    assert run.code == 2
    assert run.err.startswith(expected), run.err
    assert len(run.err.strip().splitlines()) == 1
    assert not any(word in run.err for word in ENGLISH)


def test_usage_error_says_where_the_help_is(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "push", "--bord", "x").err.rstrip().endswith("(aide : gria-miro push --help)")


@pytest.mark.parametrize("path", command_paths(app))
def test_every_help_page_is_french_with_words_and_an_example(capsys: pytest.CaptureFixture[str], path: str) -> None:
    run = run_cli(capsys, *path.split(), "--help")
    assert run.code == 0, run.err
    assert run.out.startswith("Utilisation : gria-miro")
    assert not any(word in run.out for word in ENGLISH), run.out
    assert not re.search(r"<(str|int|float|path)>", run.out), run.out  # values named in words, not Python types
    assert "Affiche cette aide et quitte." in run.out
    assert re.search(r"\nExemples? :\n  gria-miro ", run.out), f"no example in the help of {path!r}"
    assert path in EXAMPLES


def test_help_names_values_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_cli(capsys, "push", "--help").out
    for shown in ("--board TABLEAU", "--teams NOMBRE", "--timeout SECONDES", "--state FICHIER", "--token JETON"):
        assert shown in out


def test_push_help_is_true_about_remembered_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    out = " ".join(run_cli(capsys, "push", "--help").out.split())
    assert "celle du dernier push, sinon randonnee" in out
    assert "défaut : randonnee)" not in out


def test_shell_completion_is_offered_and_answers(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "--install-completion" in run_cli(capsys, "--help").out
    monkeypatch.setenv("_GRIA_MIRO_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "gria-miro push --bo")
    monkeypatch.setenv("COMP_CWORD", "2")
    run = run_cli(capsys, "push", "--bo")
    assert run.code == 0
    assert run.out.split() == ["--board"]


def test_group_alone_shows_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, "deck")
    assert run.code == 0
    assert run.out.startswith("Utilisation : gria-miro deck [OPTIONS] COMMANDE [ARGUMENTS]...")
