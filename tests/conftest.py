"""Shared fixtures: paths of the repository and a fake token that must never leak."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: A token-shaped secret used by tests that check it never appears in output.
SECRET_TOKEN = "eyJmiro-test-SECRET-token-0123456789"


@pytest.fixture
def repo_root() -> Path:
    return ROOT
