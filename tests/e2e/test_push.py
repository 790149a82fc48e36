"""End-to-end: plan / push / clean through the CLI against the local board (issue 6, "Done when")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gria_miro.deck.loading import load_deck
from gria_miro.errors import ExitStatus
from gria_miro.localboard import participant
from gria_miro.localboard.server import start_server
from gria_miro.sync.identity import card_code
from gria_miro.sync.manifest import is_manifest
from tests.conftest import SECRET_TOKEN
from tests.e2e.pushkit import (
    card_counts,
    card_with,
    expected_items,
    frame_titled,
    participant_session,
    read_local,
    roomy_credits,
    run_cli,
    spec_checked,
)

__all__ = ["spec_checked"]  # the fixture, imported so that pytest finds it


pytestmark = pytest.mark.usefixtures("state_dir")  # each test in a home of its own (tests/e2e/conftest.py)


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    # Deleting the whole shipped board (248 items at 500 credits) costs more than Miro's 100,000 credits a
    # minute, so a clean would wait for credits in real time. These tests are about what is pushed and
    # deleted; credit waits are tested in tests/miro/test_pacing.py and tests/localboard.
    roomy_credits(monkeypatch)
    return f"local:{tmp_path / 'atelier.json'}"


@pytest.fixture
def deck_copy(tmp_path: Path, repo_root: Path) -> tuple[Path, str]:
    """An editable copy of the shipped deck: (path, original text)."""
    deck = tmp_path / "deck.yaml"
    text = (repo_root / "decks" / "gria-fr.yaml").read_text(encoding="utf-8")
    deck.write_text(text, encoding="utf-8")
    return deck, text


def _path(board: str) -> Path:
    return Path(board.removeprefix("local:"))


def test_first_push_creates_the_whole_board_and_a_second_one_writes_nothing(
    board: str, capsys: pytest.CaptureFixture[str], spec_checked: list[str]
) -> None:
    first = run_cli(capsys, "push", "--board", board, "--yes")
    assert first.code == 0, first.err
    total = expected_items()
    assert f"Plan : {total} à créer, 0 à modifier, 0 à supprimer." in first.out
    observed = read_local(_path(board))
    assert len(observed.items) == total + 1  # and the manifest
    assert set(card_counts(observed).values()) == {1} and len(card_counts(observed)) == len(load_deck("gria-fr").cards)
    writes_before = [r for r in spec_checked if not r.startswith("GET")]
    assert any("/items/bulk" in r for r in writes_before)

    spec_checked.clear()
    second = run_cli(capsys, "push", "--board", board, "--yes")
    assert second.code == 0, second.err
    assert "Aucun changement" in second.out
    assert [r for r in spec_checked if not r.startswith("GET")] == []  # reads only
    plan = run_cli(capsys, "plan", "--board", board, "--detailed-exitcode")
    assert plan.code == 0 and "Aucun changement" in plan.out


def test_plan_changes_nothing_and_says_changes_are_pending(board: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "plan", "--board", board, "--detailed-exitcode", "--format", "json")
    assert result.code == ExitStatus.CHANGES_PENDING
    plan = json.loads(result.out)
    assert plan["format_version"] == 1 and plan["changes_pending"] is True
    assert plan["summary"]["create"] == expected_items()
    assert read_local(_path(board)).items == ()
    english = run_cli(capsys, "plan", "--board", board, "--lang", "en")
    assert re.search(r"^Plan: \d+ to create, 0 to update, 0 to delete\.$", english.out, re.M)


def test_deck_edit_updates_only_the_changed_card(
    board: str, deck_copy: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    deck, text = deck_copy
    assert run_cli(capsys, "push", "--board", board, "--deck", str(deck), "--yes").code == 0
    before = {i.id: i for i in read_local(_path(board)).items}
    deck.write_text(
        text.replace('title: "Recenser les chartes IA existantes"', 'title: "Recenser les chartes IA du secteur"'),
        encoding="utf-8",
    )
    result = run_cli(capsys, "push", "--board", board, "--deck", str(deck), "--yes")
    assert result.code == 0, result.err
    assert "Plan : 0 à créer, 1 à modifier, 0 à supprimer." in result.out
    after = {i.id: i for i in read_local(_path(board)).items}
    changed = [i for i in after if after[i].data != before[i].data and not is_manifest(after[i])]
    assert len(changed) == 1 and "Recenser les chartes IA du secteur" in after[changed[0]].data["title"]
    assert sum(is_manifest(after[i]) and after[i].data != before[i].data for i in after) == 1  # its fingerprints
    assert set(after) == set(before)


def test_cards_moved_by_participants_stay_where_they_are(board: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "push", "--board", board, "--yes").code == 0
    observed = read_local(_path(board))
    stage = frame_titled(observed, "Le départ")
    card = card_with(observed, "GOV-01")
    session, base, board_id, _ = participant_session(_path(board))
    participant.move_item(session, base, board_id, card.id, 200, 150, parent_id=stage.id)
    loose = card_with(observed, "ENV-01")  # moved inside the pile (relative to its frame's top-left)
    participant.move_item(session, base, board_id, loose.id, 180, 80)

    result = run_cli(capsys, "push", "--board", board, "--yes")
    assert result.code == 0, result.err
    assert "Aucun changement" in result.out
    assert "2 élément(s) déplacé(s) par les participants" in result.out
    now = read_local(_path(board))
    moved = card_with(now, "GOV-01")
    assert moved.parent_id == stage.id and (moved.rel_x, moved.rel_y) == (200, 150)
    assert (card_with(now, "ENV-01").rel_x, card_with(now, "ENV-01").rel_y) == (180, 80)


def test_lost_state_file_causes_no_duplicate(board: str, state_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "push", "--board", board, "--yes").code == 0
    session, base, board_id, _ = participant_session(_path(board))
    observed = read_local(_path(board))
    participant.move_item(
        session, base, board_id, card_with(observed, "FORM-01").id, 150, 100, frame_titled(observed, "Le sommet").id
    )
    for state_file in state_dir.iterdir():
        state_file.unlink()
    result = run_cli(capsys, "push", "--board", board, "--yes")
    assert result.code == 0, result.err
    assert "0 à créer" in result.out or "Aucun changement" in result.out
    now = read_local(_path(board))
    assert len(now.items) == expected_items() + 1  # and the manifest
    assert set(card_counts(now).values()) == {1}
    assert card_with(now, "FORM-01").parent_id == frame_titled(now, "Le sommet").id  # not moved back
    assert list(state_dir.iterdir())  # the state was rebuilt from the board


def test_multi_team_layout_pushes_every_team(board: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "push", "--board", board, "--layout", "atelier-multi-equipes", "--teams", "2", "--yes")
    assert result.code == 0, result.err
    observed = read_local(_path(board))
    assert len(observed.items) == expected_items(2, "atelier-multi-equipes") + 1  # and the manifest
    assert set(card_counts(observed).values()) == {2}
    assert frame_titled(observed, "Équipe A · Le départ") and frame_titled(observed, "Équipe B · Le départ")
    # the state remembers layout and teams: a bare re-push needs no option and writes nothing
    again = run_cli(capsys, "push", "--board", board, "--yes")
    assert again.code == 0 and "Aucun changement" in again.out


@pytest.mark.slow  # a long end-to-end story: CI runs it (`pytest -m slow`)
def test_prune_and_clean_touch_only_gria_miro_items(
    board: str, deck_copy: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    deck, text = deck_copy
    assert run_cli(capsys, "push", "--board", board, "--deck", str(deck), "--yes").code == 0
    session, base, board_id, _ = participant_session(_path(board))
    note = participant.add_sticky_note(session, base, board_id, "Idée de l'équipe", 9000, 9000)
    # drop the last card of the deck (the file ends with it) and push again
    last = text.rstrip().rsplit("\n  - code: ", 1)
    removed_code = last[1].split("\n", 1)[0].strip()
    deck.write_text(last[0] + "\n", encoding="utf-8")

    reported = run_cli(capsys, "push", "--board", board, "--deck", str(deck), "--yes")
    assert reported.code == 0, reported.err
    assert "--prune pour le supprimer" in reported.out
    assert card_counts(read_local(_path(board)))[removed_code] == 1  # reported, not deleted

    pruned = run_cli(capsys, "push", "--board", board, "--deck", str(deck), "--prune", "--yes")
    assert pruned.code == 0, pruned.err
    assert "0 à créer, 0 à modifier, 1 à supprimer" in pruned.out
    after = read_local(_path(board))
    assert card_counts(after)[removed_code] == 0
    assert any(i.id == note["id"] for i in after.items)

    cleaned = run_cli(capsys, "clean", "--board", board, "--yes")
    assert cleaned.code == 0, cleaned.err
    remaining = read_local(_path(board)).items
    assert [i.id for i in remaining] == [note["id"]]


@pytest.mark.slow  # a long end-to-end story: CI runs it (`pytest -m slow`)
def test_clean_without_state_finds_items_by_identity(
    board: str, state_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "push", "--board", board, "--yes").code == 0
    for state_file in state_dir.iterdir():
        state_file.unlink()
    assert run_cli(capsys, "clean", "--board", board, "--yes").code == 0
    assert read_local(_path(board)).items == ()


def test_non_interactive_push_without_yes_asks_for_it(board: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "push", "--board", board)
    assert result.code == ExitStatus.USER_ERROR
    assert "--yes" in result.err and "Traceback" not in result.err
    assert read_local(_path(board)).items == ()


def _one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and lines[0].startswith("Erreur : ") and "Traceback" not in err
    return lines[0]


def test_invalid_and_read_only_tokens_missing_board_and_network_failure(
    tmp_path: Path, state_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with start_server(tmp_path / "served.json", token=SECRET_TOKEN) as server:
        common = ["--api-url", server.url, "--board", server.board_id, "--yes"]
        wrong = run_cli(capsys, "push", *common, "--token", "not-the-token-123")
        assert wrong.code == ExitStatus.API_ERROR
        assert "jeton" in _one_line_error(wrong.err).lower() and "not-the-token-123" not in wrong.err

        server.engine._read_only = frozenset({"read-only-token-456"})  # a token without boards:write
        read_only = run_cli(capsys, "push", *common, "--token", "read-only-token-456")
        assert read_only.code == ExitStatus.API_ERROR
        assert "lecture seule" in _one_line_error(read_only.err)
        assert "read-only-token-456" not in read_only.err + read_only.out

        monkeypatch.setenv("MIRO_TOKEN", SECRET_TOKEN)
        missing = run_cli(capsys, "push", "--api-url", server.url, "--board", "uXjVAAAAAAA=", "--yes")
        assert missing.code == ExitStatus.API_ERROR
        assert "uXjVAAAAAAA=" in _one_line_error(missing.err) and SECRET_TOKEN not in missing.err

        ok = run_cli(capsys, "push", *common)
        assert ok.code == 0 and SECRET_TOKEN not in ok.out + ok.err
    for state_file in state_dir.iterdir():
        assert SECRET_TOKEN not in state_file.read_text(encoding="utf-8")

    # the server is gone: the network is down for the client
    down = run_cli(capsys, "push", "--api-url", server.url, "--board", server.board_id, "--yes", "--timeout", "2")
    assert down.code == ExitStatus.NETWORK_ERROR
    _one_line_error(down.err)
    state_files = list(state_dir.iterdir())
    assert len(state_files) == 1 and json.loads(state_files[0].read_text(encoding="utf-8"))["items"]


def test_bad_board_ids_and_missing_token_are_user_errors(capsys: pytest.CaptureFixture[str]) -> None:
    no_token = run_cli(capsys, "plan", "--board", "uXjVOD6LSME=")
    assert no_token.code == ExitStatus.USER_ERROR and "MIRO_TOKEN" in _one_line_error(no_token.err)
    bad = run_cli(capsys, "plan", "--board", "https://example.org/nothing", "--token", "x")
    assert bad.code == ExitStatus.USER_ERROR and "--board" in _one_line_error(bad.err)


def test_every_card_code_on_the_board_is_readable(board: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "push", "--board", board, "--yes").code == 0
    titles = [i.data["title"] for i in read_local(_path(board)).items if i.type == "card"]
    assert all(card_code(t) for t in titles)


def test_app_card_layout_pushes_valid_app_cards_and_re_pushes_nothing(
    board: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], spec_checked: list[str]
) -> None:
    layout = tmp_path / "app.yaml"
    layout.write_text("extends: randonnee\ncards:\n  item: app_card\n", encoding="utf-8")
    assert run_cli(capsys, "push", "--board", board, "--layout", str(layout), "--yes").code == 0
    app_cards = [i for i in read_local(_path(board)).items if i.type == "app_card"]
    assert len(app_cards) == len(load_deck("gria-fr").cards) and all(card_code(i.data.get("title")) for i in app_cards)
    assert all(i.data.get("fields") for i in app_cards)  # difficulty, cost, duration… as chips
    again = run_cli(capsys, "push", "--board", board, "--yes")  # layout remembered in the state
    assert again.code == 0 and "Aucun changement" in again.out
