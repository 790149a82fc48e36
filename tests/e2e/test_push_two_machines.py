"""Any machine, same result (issue 11): the board itself carries what push and pull need.

Against the local board over HTTP: push from home A, participants play, then from home B (empty)
plan shows no change, push writes nothing and pull gives A's roadmap; a deck fix pushed from a
machine without state updates exactly the changed card. Participants' own code-titled cards are
theirs, and clean/prune refuse to delete what participants touched without --force.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from gria_miro.deck.loading import load_deck
from gria_miro.errors import ExitStatus
from gria_miro.localboard import participant
from gria_miro.localboard.server import RunningServer, start_server
from gria_miro.miro.client import MiroClient
from gria_miro.observed import ObservedBoard, ObservedItem
from gria_miro.sync.identity import card_code
from gria_miro.sync.manifest import find_manifest, is_manifest
from tests.conftest import SECRET_TOKEN
from tests.e2e.pushkit import Run, roomy_credits, run_cli

#: A long end-to-end story (two homes and a served board, several pushes and pulls each):
#: CI runs it (`pytest -m slow`); the default run leaves it out.
pytestmark = pytest.mark.slow


@dataclass
class Workshop:
    server: RunningServer
    session: requests.Session
    tmp: Path
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    def home(self, name: str) -> Path:
        folder = self.tmp / f"home-{name}"
        self.monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(folder))
        return folder

    def cli(self, command: str, *args: str) -> Run:
        return run_cli(self.capsys, command, "--api-url", self.server.url, "--board", self.server.board_id, *args)

    def read(self) -> ObservedBoard:
        with MiroClient(SECRET_TOKEN, base_url=self.server.url) as client:
            return client.read_board(self.server.board_id, with_tags=True)

    def card(self, board: ObservedBoard, code: str, team: str) -> ObservedItem:
        frames = {i.id: str(i.data.get("title")) for i in board.items if i.type == "frame"}
        return next(
            i
            for i in board.items
            if i.type == "card"
            and card_code(i.data.get("title")) == code
            and frames.get(i.parent_id or "", "").startswith(team)
        )

    def frame(self, board: ObservedBoard, title: str) -> ObservedItem:
        return next(i for i in board.items if i.type == "frame" and i.data.get("title") == title)

    @property
    def base(self) -> tuple[requests.Session, str, str]:
        return self.session, self.server.url, self.server.board_id


@pytest.fixture
def workshop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Workshop]:
    monkeypatch.setenv("MIRO_TOKEN", SECRET_TOKEN)
    roomy_credits(monkeypatch)  # these tests are about what is written, not about pacing: no credit waits…
    with start_server(tmp_path / "served.json", token=SECRET_TOKEN) as server:
        server.engine.credits_per_minute = 10_000_000  # …on either side
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {SECRET_TOKEN}"
        yield Workshop(server, session, tmp_path, monkeypatch, capsys)


def _writes(run: Run) -> int:
    found = re.search(r"Requêtes : \d+ \((\d+) écriture", run.err)
    assert found, run.err
    return int(found.group(1))


def _play(w: Workshop) -> dict[str, str]:
    """What participants do during the workshop; returns the ids of what they touched."""
    board = w.read()
    # two sticky slots of team A's cordée filled in
    cordee = w.frame(board, "Équipe A · La cordée")
    slots = sorted(
        (i for i in board.items if i.parent_id == cordee.id and i.type == "sticky_note"), key=lambda i: (i.y, i.x)
    )
    for slot, text in zip(slots, ("Camille Martin — cheffe de projet", "Léo Dubois — médiation"), strict=False):
        w.session.patch(
            f"{w.server.url}/v2/boards/{w.server.board_id}/sticky_notes/{slot.id}", json={"data": {"content": text}}
        ).raise_for_status()
    # a card's text edited, a card moved into a stage and assigned, a card deleted
    edited = w.card(board, "GOV-01", "Équipe A")
    w.session.patch(
        f"{w.server.url}/v2/boards/{w.server.board_id}/cards/{edited.id}",
        json={"data": {"title": "GOV-01 · Notre charte, à notre façon"}},
    ).raise_for_status()
    moved = w.card(board, "GOV-02", "Équipe A")
    stage = w.frame(board, "Équipe A · Préparer le sac")
    participant.move_item(*w.base, moved.id, 200, 87, parent_id=stage.id)
    member = participant.add_member(w.server.engine, w.server.board_id, "Camille Martin")
    participant.set_assignee(*w.base, moved.id, member)
    deleted = w.card(board, "GOV-03", "Équipe B")
    participant.delete_item(*w.base, deleted.id)
    # the team writes its own GOV-03 where the deleted one was
    pile = w.frame(board, "Équipe B · La pioche")
    response = w.session.post(
        f"{w.server.url}/v2/boards/{w.server.board_id}/cards",
        json={
            "data": {"title": "GOV-03 · Notre version", "description": "écrite par l'équipe"},
            "position": {"x": deleted.x - pile.left, "y": deleted.y - pile.top},
            "parent": {"id": pile.id},
        },
    )
    response.raise_for_status()
    return {"edited": edited.id, "moved": moved.id, "deleted": deleted.id, "own": str(response.json()["id"])}


def test_two_machines_same_result(workshop: Workshop, repo_root: Path) -> None:
    w = workshop
    w.home("a")
    pushed = w.cli("push", "--layout", "atelier-multi-equipes", "--teams", "2", "--yes")
    assert pushed.code == 0, pushed.err
    ids = _play(w)
    before = {i.id: i for i in w.read().items}
    from_a = w.cli("pull", "--format", "json")
    assert from_a.code == 0, from_a.err

    # Machine B: empty home, no option.
    w.home("b")
    planned = w.cli("plan", "--detailed-exitcode")
    assert planned.code == 0, planned.out + planned.err
    assert "Aucun changement" in planned.out
    assert "disposition atelier-multi-equipes (tableau)" in planned.out and "2 équipe(s) (tableau)" in planned.out
    assert "supprimé sur le tableau par les participants" in planned.out  # GOV-03 of team B: reported, not created
    again = w.cli("push", "--yes")
    assert again.code == 0, again.err
    assert _writes(again) == 0
    assert {i.id: i for i in w.read().items} == before  # not one item changed
    from_b = w.cli("pull", "--format", "json")
    assert from_b.code == 0, from_b.err
    assert json.loads(from_b.out) == json.loads(from_a.out)

    # A deck fix, pushed from a machine with no state at all: only the changed card (both teams) is written.
    shutil.rmtree(w.tmp / "home-b")
    w.home("c")
    fixed = w.tmp / "decks" / "gria-fr.yaml"
    fixed.parent.mkdir()
    text = (repo_root / "decks" / "gria-fr.yaml").read_text(encoding="utf-8")
    assert "title: \"Rédiger la charte d'usage de l'IA générative\"" in text
    fixed.write_text(
        text.replace(
            "title: \"Rédiger la charte d'usage de l'IA générative\"", 'title: "Rédiger la charte IA de la maison"'
        ),
        encoding="utf-8",
    )
    deck_fix = w.cli("push", "--deck", str(fixed), "--yes")
    assert deck_fix.code == 0, deck_fix.out + deck_fix.err
    assert "Plan : 0 à créer, 2 à modifier, 0 à supprimer." in deck_fix.out
    assert "contenu différent de celui poussé" in deck_fix.out
    after = {i.id: i for i in w.read().items}
    changed = {i for i in after if i in before and after[i].data != before[i].data and not is_manifest(after[i])}
    assert {card_code(after[i].data.get("title")) for i in changed} == {"GOV-05"} and len(changed) == 2
    assert set(after) == set(before)  # nothing created, nothing deleted
    for key in ("edited", "moved", "own"):
        assert after[ids[key]].data == before[ids[key]].data  # what participants touched is as they left it
    manifest = find_manifest(w.read()).manifest
    assert manifest is not None and manifest.deck == str(fixed)


def test_participants_own_code_titled_card_is_theirs(workshop: Workshop) -> None:
    w = workshop
    w.home("a")
    assert w.cli("push", "--layout", "atelier-multi-equipes", "--teams", "2", "--yes").code == 0
    ids = _play(w)
    own_before = {i.id: i for i in w.read().items}[ids["own"]]
    for home in ("a", "b"):  # with its state, and without
        w.home(home)
        pushed = w.cli("push", "--yes")
        assert pushed.code == 0, pushed.err
        assert {i.id: i for i in w.read().items}[ids["own"]] == own_before
        pruned = w.cli("push", "--prune", "--yes")
        assert pruned.code == 0, pruned.err
        assert ids["own"] in {i.id for i in w.read().items}
    cleaned = w.cli("clean", "--yes")
    assert cleaned.code == 0, cleaned.err
    left = {i.id: i for i in w.read().items}
    assert left[ids["own"]] == own_before  # clean never deletes a participant's card
    forced = w.cli("clean", "--yes", "--force")
    assert forced.code == 0, forced.err
    assert ids["own"] in {i.id for i in w.read().items}  # not even with --force: it is not gria-miro's


def test_clean_keeps_what_participants_touched_unless_forced(workshop: Workshop) -> None:
    w = workshop
    w.home("a")
    assert w.cli("push", "--layout", "atelier-multi-equipes", "--teams", "2", "--yes").code == 0
    ids = _play(w)
    cleaned = w.cli("clean", "--yes")
    assert cleaned.code == 0, cleaned.err
    assert "touché par les participants" in cleaned.out and "--force" in cleaned.err
    left = {i.id: i for i in w.read().items}
    assert ids["edited"] in left and ids["moved"] in left  # edited, moved and assigned: kept
    filled = [i for i in left.values() if i.type == "sticky_note" and i.data.get("content")]
    assert len(filled) == 2  # the filled cordée slots: kept
    untouched = [i for i in left.values() if i.type == "card" and card_code(i.data.get("title")) == "GOV-10"]
    assert untouched == []  # what nobody touched is gone
    assert any(is_manifest(i) for i in left.values())  # gria-miro items remain: the manifest stays
    forced = w.cli("clean", "--yes", "--force")
    assert forced.code == 0, forced.err
    rest = w.read().items
    assert [i.id for i in rest] == [ids["own"]]  # only the participants' own card is left


def test_options_that_contradict_the_board_are_refused_without_force(workshop: Workshop) -> None:
    w = workshop
    w.home("a")
    assert w.cli("push", "--layout", "atelier-multi-equipes", "--teams", "3", "--yes").code == 0
    w.home("b")
    planned = w.cli("plan", "--teams", "1")
    assert planned.code == 0
    assert "contredit le tableau : --teams 1 (le tableau : 3 équipe(s))" in planned.out
    refused = w.cli("push", "--teams", "1", "--yes")
    assert refused.code == ExitStatus.USER_ERROR
    assert "--teams 1" in refused.err and "--force" in refused.err
    assert _count_cards(w.read()) == 3 * len(load_deck("gria-fr").cards)  # nothing pushed
    other_deck = w.cli("push", "--deck", "decks/gria-fr.yaml", "--yes")  # the same deck by its path: fine
    assert other_deck.code == 0, other_deck.err


def _count_cards(board: ObservedBoard) -> int:
    return sum(1 for i in board.items if i.type == "card")
