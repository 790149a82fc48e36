"""Loading layouts: shipped layouts, extends, and bad layouts reported with file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from gria_miro.errors import InputFileError
from gria_miro.layout.loading import load_layout

BASE = """\
title: Base
zones:
  - id: pioche
    kind: pile
    label: Pioche
  - id: etape-1
    kind: stage
    label: Étape 1
    slots: 4
  - id: notes
    kind: notes
    label: Notes
    groups:
      - id: vigilance
        label: Vigilance
team_rows:
  - [pioche, etape-1, notes]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path | str) -> list[str]:
    with pytest.raises(InputFileError) as info:
        load_layout(path)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("name", ["randonnee", "atelier-multi-equipes", "trimestres"])
def test_shipped_layouts_load(name: str) -> None:
    layout = load_layout(name)
    assert layout.name == name
    stages = [z for row in layout.team_rows for z in row if layout.zone(z).kind == "stage"]
    assert len(stages) == 4


def test_default_layout_is_randonnee_and_multi_team_extends_it() -> None:
    default, multi = load_layout(None), load_layout("atelier-multi-equipes")
    assert default.name == "randonnee" and default.teams.count == 1
    assert multi.teams.count == 3
    assert [z.id for z in multi.zones] == [z.id for z in default.zones]  # zones inherited, merged by id
    assert multi.zone("titre").label == default.zone("titre").label  # only the text was overridden
    assert multi.zone("titre").text != default.zone("titre").text


def test_extends_by_relative_path_merges_zones_by_id(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", BASE)
    child = write(
        tmp_path,
        "child.yaml",
        "extends: ./base.yaml\ntitle: Enfant\nzones:\n  - id: etape-1\n    slots: 9\n"
        "  - id: etape-2\n    kind: stage\n    label: Étape 2\nteam_rows:\n  - [pioche, etape-1, etape-2]\n",
    )
    layout = load_layout(child)
    assert layout.title == "Enfant" and layout.name == "child"
    assert layout.zone("etape-1").label == "Étape 1" and layout.zone("etape-1").slots == 9  # type: ignore[union-attr]
    assert [z.id for z in layout.zones] == ["pioche", "etape-1", "notes", "etape-2"]
    assert layout.team_rows == (("pioche", "etape-1", "etape-2"),)  # lists replace wholesale


def test_problem_in_inherited_value_points_at_the_file_that_set_it(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", BASE)
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nzones:\n  - id: etape-1\n    slots: -2\n")
    found = problems(child)
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path / 'child.yaml'}:4:")
    assert "slots" in found[0] and "-2" in found[0]


def test_unknown_zone_kind(tmp_path: Path) -> None:
    path = write(tmp_path, "l.yaml", BASE.replace("kind: notes", "kind: sommet"))
    [message] = problems(path)
    assert message.startswith(f"{path}:11:11:") and "type de zone inconnu « sommet »" in message
    assert "stage" in message


def test_row_referring_to_a_missing_zone(tmp_path: Path) -> None:
    path = write(tmp_path, "l.yaml", BASE.replace("[pioche, etape-1, notes]", "[pioche, etape-9, notes]"))
    [message] = problems(path)
    assert message.startswith(f"{path}:17:") and "zone inconnue « etape-9 »" in message


def test_negative_sizes_and_all_problems_at_once(tmp_path: Path) -> None:
    text = BASE.replace("slots: 4", "slots: -4").replace("title: Base", "title: Base\nspacing:\n  padding: -10")
    path = write(tmp_path, "l.yaml", text)
    found = problems(path)
    assert len(found) == 2
    assert any(":3:12:" in p and "padding" in p for p in found)
    assert any(":11:12:" in p and "slots" in p and "-4" in p for p in found)


def test_teams_below_one(tmp_path: Path) -> None:
    path = write(tmp_path, "l.yaml", "teams:\n  count: 0\n" + BASE)
    [message] = problems(path)
    assert message.startswith(f"{path}:2:10:") and "teams.count" in message


def test_extends_loop(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "extends: b.yaml\n" + BASE)
    b = write(tmp_path, "b.yaml", "extends: a.yaml\ntitle: B\n")
    [message] = problems(b)
    assert "boucle d'héritage" in message and "b.yaml → a.yaml → b.yaml" in message
    assert ":1:10:" in message


def test_extends_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path, "l.yaml", "title: X\nextends: ./absent.yaml\n")
    [message] = problems(path)
    assert message.startswith(f"{path}:2:10:") and "fichier introuvable « ./absent.yaml »" in message


def test_extends_unknown_name(tmp_path: Path) -> None:
    path = write(tmp_path, "l.yaml", "title: X\nextends: inexistante\n")
    [message] = problems(path)
    assert message.startswith(f"{path}:2:10:") and "randonnee" in message


def test_missing_layout_file(tmp_path: Path) -> None:
    [message] = problems(tmp_path / "absent.yaml")
    assert "fichier introuvable" in message


def test_pile_is_required_and_only_in_team_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "l.yaml", BASE + "board_rows:\n  - [pioche]\n")
    found = problems(path)
    assert any("à placer dans team_rows" in p for p in found)
    path = write(tmp_path, "m.yaml", BASE.replace("[pioche, etape-1, notes]", "[etape-1, notes]"))
    [message] = problems(path)
    assert "pioche" in message


def test_unknown_field_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "l.yaml", BASE.replace("    slots: 4", "    slots: 4\n    colonnes: 2"))
    [message] = problems(path)
    assert message.startswith(f"{path}:10:") and "champ inconnu « colonnes »" in message
