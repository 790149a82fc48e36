"""Shared fixtures: paths of the repository and a fake token that must never leak."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: A token-shaped secret used by tests that check it never appears in output.
SECRET_TOKEN = "eyJmiro-test-SECRET-token-0123456789"


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture(autouse=True)
def no_user_keychain() -> Iterator[None]:
    """No test ever reads or writes the real keychain of the person running them: keyring's "fail"
    backend (no keychain) unless a test installs its own in-memory one."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)
