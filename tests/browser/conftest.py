"""A real headless browser for the web-board tests: Debian's ``chromium`` driven by Playwright for Python.

The system browser is used (``executable_path``), so Playwright never downloads one. Outside CI the tests
skip with the reason when Playwright or Chromium is missing; in CI (``CI=true``, where ``.ci/run``
installs both) a missing browser is a failure, not a skip. Screenshots go to ``$GRIA_MIRO_ARTEFACTS``
(default: ``artefacts/browser`` under pytest's temporary folder), never into the repository.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
#: Flags for a closed network and a root user (CI runs as root); no first-run or background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=fr-FR",
]


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (en CI, .ci/run doit l'installer)")
    pytest.skip(reason)


def _chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    _missing("aucun navigateur Chromium trouvé (apt-get install chromium)")
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright pour Python absent (pip install playwright)")
    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("GRIA_MIRO_ARTEFACTS")
    folder = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "artefacts"
    folder = folder / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
