"""Shared fixtures: paths of the repository and a fake token that must never leak."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import FrameType

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


def threads_in_a_miro_call() -> list[str]:
    """Names of the threads (other than this one) inside the transport's choke point."""
    import sys
    import threading

    from gria_miro.miro import transport

    def in_transport(frame: FrameType | None) -> bool:
        while frame is not None:  # walked by hand: traceback.extract_stack reads source lines, 2 ms a test
            if frame.f_code.co_filename == transport.__file__:
                return True
            frame = frame.f_back
        return False

    me = threading.get_ident()
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    return [
        names.get(ident, str(ident))
        for ident, frame in sys._current_frames().items()
        if ident != me and in_transport(frame)
    ]


@pytest.fixture(autouse=True)
def no_call_left_running() -> Iterator[None]:
    """A test ends with no request to Miro still running or retrying in a pool thread: one left behind
    would go on sending while the next test runs, and its requests would land in that test's mock."""
    import time

    yield
    deadline = time.monotonic() + 5.0  # an abandoned call ends its request in flight, then stops (a loaded CI is slow)
    while (busy := threads_in_a_miro_call()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not busy, f"requêtes Miro encore en cours après le test : {busy}"
