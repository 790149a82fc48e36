"""The YAML reader: libyaml and pure-Python loaders agree; bombs, recursion and depth fail cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gria_miro.errors import InputFileError
from gria_miro.sourcefile import SafeLoader, parse_yaml

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted([*ROOT.glob("decks/*.yaml"), *ROOT.glob("layouts/*.yaml")])


def test_libyaml_is_used_when_available() -> None:
    assert SafeLoader is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_both_loaders_give_the_same_data_and_marks(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = parse_yaml(text, path.name, "fichier", loader_class=yaml.CSafeLoader)
    slow = parse_yaml(text, path.name, "fichier", loader_class=yaml.SafeLoader)
    assert fast.data == slow.data
    assert fast.marks == slow.marks
    assert fast.key_marks == slow.key_marks
    assert len(fast.marks) > 10  # the test compares something


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
def test_both_loaders_mark_non_ascii_text_alike() -> None:
    text = "titre: « Été — carte »\nliste:\n  - élément: 1\n    autre: [é, è, « x »]\n"
    fast = parse_yaml(text, "x.yaml", "fichier", loader_class=yaml.CSafeLoader)
    slow = parse_yaml(text, "x.yaml", "fichier", loader_class=yaml.SafeLoader)
    assert fast.marks == slow.marks
    assert fast.marks[("liste", 0, "autre", 2)] == (4, 19)


def _problem(text: str, loader: type[yaml.SafeLoader] = SafeLoader) -> str:
    with pytest.raises(InputFileError) as caught:
        parse_yaml(text, "x.yaml", "deck", loader_class=loader)
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


LOADERS = [yaml.SafeLoader, *([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])]


@pytest.mark.parametrize("loader", LOADERS)
def test_billion_laughs_is_refused_before_it_expands(loader: type[yaml.SafeLoader]) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        previous, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    text = "\n".join(lines) + "\n"
    assert len(text) < 400
    message = _problem(text, loader)
    assert "alias YAML trop imbriqués" in message
    assert message.startswith("x.yaml:")


@pytest.mark.parametrize("loader", LOADERS)
def test_merge_key_bomb_is_refused(loader: type[yaml.SafeLoader]) -> None:
    lines = ["a0: &a0 {k: 1}"]
    lines += [f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}], k{i}: 1}}" for i in range(1, 31)]
    assert "alias YAML trop imbriqués" in _problem("\n".join(lines) + "\n", loader)


@pytest.mark.parametrize("loader", LOADERS)
def test_recursive_alias_is_refused(loader: type[yaml.SafeLoader]) -> None:
    assert _problem("a: &a [1, *a]\n", loader) == "x.yaml:1:4: alias récursif : une valeur se contient elle-même"


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("depth", [100, 5_000])
def test_deep_nesting_is_a_located_problem_not_a_crash(loader: type[yaml.SafeLoader], depth: int) -> None:
    assert "structure trop profonde" in _problem("a: " + "[" * depth + "]" * depth + "\n", loader)


def test_a_few_aliases_are_fine_and_merges_override_as_in_yaml() -> None:
    text = "base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n"
    doc = parse_yaml(text, "x.yaml", "fichier")
    assert doc.data["item"] == {"x": 1, "y": 3}
    assert doc.data["list"] == [{"x": 1, "y": 2}, {"x": 1, "y": 2}]


def test_a_key_written_twice_is_reported_once() -> None:
    assert _problem("a: 1\nb: 2\na: 3\n") == "x.yaml:3:1: clé « a » répétée"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: b: c\n", "« : » inattendu"),
        ("a:\n\t- 1\n", "tabulation"),
        ("a: *nope\n", "alias inconnu"),
        ('a: "open\n', "fin du fichier inattendue"),
    ],
)
def test_common_syntax_problems_are_said_in_french(text: str, expected: str) -> None:
    assert expected in _problem(text)


def test_a_file_loaded_again_is_parsed_once_and_an_edit_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gria_miro import sourcefile

    calls: list[str] = []
    real_parse = sourcefile.parse_yaml
    monkeypatch.setattr(sourcefile, "parse_yaml", lambda text, *a, **k: calls.append(text) or real_parse(text, *a, **k))
    sourcefile._parse_remembered.cache_clear()
    path = tmp_path / "deck.yaml"
    path.write_text("title: Un\ncards: []\n", encoding="utf-8")
    first = sourcefile.load_yaml(path, "deck")
    first.data["title"] = "changé par l'appelant"  # a caller may change its copy
    second = sourcefile.load_yaml(path, "deck")
    assert second.data == {"title": "Un", "cards": []}
    assert second.where(("title",)) == (1, 8)
    assert len(calls) == 1
    path.write_text("title: Deux\ncards: []\n", encoding="utf-8")
    assert sourcefile.load_yaml(path, "deck").data["title"] == "Deux"
    assert len(calls) == 2
