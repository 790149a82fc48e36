"""Naming a shipped deck or layout, or giving a path: which file is meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from gria_miro.errors import InputFileError
from gria_miro.resources import resolve, shipped_dir


def test_a_bare_name_is_the_shipped_file_even_beside_a_folder_of_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gria-fr").mkdir()
    assert resolve("gria-fr", "decks", "gria-fr") == shipped_dir("decks") / "gria-fr.yaml"
    assert resolve(None, "layouts", "randonnee") == shipped_dir("layouts") / "randonnee.yaml"


def test_a_local_file_wins_and_path_like_values_stay_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "randonnee").write_text("x", encoding="utf-8")
    assert resolve("randonnee", "layouts", "randonnee") == Path("randonnee")
    assert resolve("missing.yaml", "decks", "gria-fr") == Path("missing.yaml")  # the loader says "not found"


def test_an_unknown_name_lists_the_shipped_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputFileError) as caught:
        resolve("randonee", "layouts", "randonnee")
    assert "randonnee" in caught.value.one_line() and "trimestres" in caught.value.one_line()
