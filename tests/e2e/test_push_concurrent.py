"""One push at a time per board (issue 11.7): two push processes started at once never duplicate anything.

Real processes, started together on one fresh board: on the same machine (the local lock serialises
them) and as two machines (separate homes and separate lock folders: only the lock item on the board
is shared). Every key of the layout ends on the board exactly once, with one manifest and no lock left.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gria_miro.sync.identity import card_code
from gria_miro.sync.manifest import is_lock, is_manifest
from tests.e2e.pushkit import expected_items, read_local


def _push(board: Path, home: Path, locks: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "GRIA_MIRO_STATE_DIR": str(home), "GRIA_MIRO_LOCK_DIR": str(locks), "PYTHONUTF8": "1"}
    env.pop("MIRO_TOKEN", None)
    args = [sys.executable, "-m", "gria_miro", "push", "--board", f"local:{board}", "--yes"]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("machines", ["same machine", "two machines"])
def test_two_pushes_at_once_leave_every_key_exactly_once(tmp_path: Path, machines: str) -> None:
    board = tmp_path / "atelier.json"
    subprocess.run(  # the board file exists before both start (as a served or Miro board would)
        [sys.executable, "-m", "gria_miro", "plan", "--board", f"local:{board}"],
        env={**os.environ, "GRIA_MIRO_STATE_DIR": str(tmp_path / "warm")},
        capture_output=True,
        check=False,
    )
    if machines == "same machine":
        homes = [(tmp_path / "home", tmp_path / "locks")] * 2
    else:
        homes = [(tmp_path / f"home-{n}", tmp_path / f"locks-{n}") for n in ("a", "b")]
    runs = [_push(board, home, locks) for home, locks in homes]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, out + err
    observed = read_local(board)
    assert not [i for i in observed.items if is_lock(i)]  # both released their lock
    assert len([i for i in observed.items if is_manifest(i)]) == 1
    assert len(observed.items) == expected_items() + 1
    codes = collections.Counter(card_code(i.data.get("title")) for i in observed.items if i.type == "card")
    assert set(codes.values()) == {1}
    frames = collections.Counter(str(i.data.get("title")) for i in observed.items if i.type == "frame")
    assert set(frames.values()) == {1}
    assert any("attente" in err for _out, err in outputs) or any("Aucun changement" in out for out, _err in outputs)
