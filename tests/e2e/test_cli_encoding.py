"""Output survives any console encoding: Windows' cp1252, ASCII, redirected files (real processes)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gria_miro.cli._console import readable, setup_stream
from gria_miro.deck.loading import load_deck


def _run(*args: str, cwd: Path, encoding: str | None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, GRIA_MIRO_STATE_DIR=str(cwd / "state"))
    env.pop("PYTHONIOENCODING", None)
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    command = [sys.executable, "-c", "from gria_miro.cli import main; main()", *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, timeout=120, check=False)


@pytest.mark.slow
def test_pull_to_a_redirected_cp1252_stdout_is_readable(tmp_path: Path) -> None:
    assert _run("push", "--board", "local:atelier.json", "--yes", cwd=tmp_path, encoding="cp1252").returncode == 0
    done = _run("pull", "--board", "local:atelier.json", cwd=tmp_path, encoding="cp1252")
    assert done.returncode == 0, done.stderr.decode("cp1252")
    text = done.stdout.decode("cp1252")  # what a Windows console would show
    assert "# Feuille de route" in text
    assert "Étape 1" in text  # French letters kept where the code page has them
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_deck_table_and_numbers_in_a_legacy_code_page(tmp_path: Path, encoding: str) -> None:
    done = _run("deck", "stats", "gria-fr", cwd=tmp_path, encoding=encoding)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode(encoding)
    low = sum(card.cost.eur_min for card in load_deck("gria-fr").cards)
    assert low >= 1000 and f"{low:,}".replace(",", " ") in text  # the narrow no-break space became a plain space
    assert ("Coût" if encoding == "cp1252" else "Cout") in text  # kept where the code page has it
    assert "Traceback" not in done.stderr.decode(encoding)


def test_redirected_stream_without_a_chosen_encoding_switches_to_utf8() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252")
    setup_stream(stream, chosen_by_user=False)
    stream.write("19\u202f500 crédits — « ok »")
    stream.flush()
    assert raw.getvalue().decode("utf-8") == "19\u202f500 crédits — « ok »"


def test_chosen_legacy_encoding_is_kept_with_readable_stand_ins() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    setup_stream(stream, chosen_by_user=True)
    stream.write("19\u202f500 crédits — « ok » … ≤ 3 ┃━┏")
    stream.flush()
    assert raw.getvalue().decode("ascii") == '19 500 credits - " ok " ... <= 3 |-+'


@pytest.mark.parametrize(
    ("char", "expected"), [("\u202f", " "), ("é", "e"), ("Œ", "?"), ("€", "EUR"), ("│", "|"), ("┼", "+")]
)
def test_readable_stand_ins(char: str, expected: str) -> None:
    assert readable(char) == expected
