"""Fixtures shared by the end-to-end tests of the command line."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home of its own for the test: an empty state folder, and no Miro token from the environment."""
    folder = tmp_path / "state"
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(folder))
    monkeypatch.delenv("MIRO_TOKEN", raising=False)
    return folder
