"""A whole first push creates frames by ``POST /frames`` and only children in bulk (issue 12.5).

Every request is validated against the official spec as the local board receives it, and the
number of sequential rounds stays 3 (read, frames, children): frames go out concurrently.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from gria_miro.localboard.adapter import LocalBoardAdapter
from gria_miro.sync.manifest import LOCK_PREFIX
from tests.contract.spec_check import validate_prepared
from tests.e2e.pushkit import expected_items, read_local, run_cli


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[tuple[str, str, Any]]]:
    """(method, path, JSON body) of every request the local board receives, each checked against the spec."""
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("MIRO_TOKEN", raising=False)
    seen: list[tuple[str, str, Any]] = []
    lock = threading.Lock()
    original = LocalBoardAdapter.send

    def send(self: LocalBoardAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        validate_prepared(request)
        body = json.loads(request.body) if request.body else None
        with lock:
            seen.append((str(request.method), str(request.path_url), body))
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(LocalBoardAdapter, "send", send)
    yield seen


@pytest.mark.parametrize("teams", [None, 3])
def test_first_push_creates_every_frame_by_post_frames_and_none_in_bulk(
    recorded: list[tuple[str, str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str], teams: int | None
) -> None:
    board = tmp_path / "atelier.json"
    args = ["push", "--board", f"local:{board}", "--yes"]
    if teams is not None:
        args += ["--layout", "atelier-multi-equipes", "--teams", str(teams)]
    result = run_cli(capsys, *args)
    assert result.code == 0, result.err
    observed = read_local(board)
    frames = [item for item in observed.items if item.type == "frame"]
    layout = "atelier-multi-equipes" if teams else "randonnee"
    assert len(observed.items) == expected_items(teams, layout=layout) + 1  # and the board manifest
    frame_posts = [body for method, path, body in recorded if method == "POST" and path.endswith("/frames")]
    bulk_elements = [
        e
        for method, path, body in recorded
        if path.endswith("/items/bulk")
        for e in body
        if not str(e.get("data", {}).get("content", "")).startswith("<p>" + LOCK_PREFIX)  # the push's lock, deleted
    ]
    assert len(frame_posts) == len(frames) > 0
    assert sorted(b["data"]["title"] for b in frame_posts) == sorted(str(f.data.get("title")) for f in frames)
    assert all("type" not in body for body in frame_posts)  # a FrameCreateRequest, not a bulk element
    assert bulk_elements and all(e["type"] != "frame" for e in bulk_elements)
    assert len(bulk_elements) + len(frame_posts) == len(observed.items)
    # children were placed in the frames POST /frames created
    frame_ids = {f.id for f in frames}
    assert all(item.parent_id in frame_ids for item in observed.items if item.parent_id)
