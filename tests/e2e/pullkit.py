"""A realistic finished board for the pull tests: push the default deck, then play the participants' part."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from gria_miro.localboard import participant
from gria_miro.observed import ObservedBoard, ObservedItem
from tests.e2e.pushkit import built_once, card_with, participant_session, read_local, run_cli


class Table:
    """A participant at the local board: moves cards, writes notes, assigns people."""

    def __init__(self, path: Path) -> None:
        self.session, self.base, self.board_id, self.adapter = participant_session(path)
        self.path = path
        self.board = read_local(path)

    def refresh(self) -> ObservedBoard:
        self.board = read_local(self.path)
        return self.board

    def frame(self, title: str) -> ObservedItem:
        return next(i for i in self.board.items if i.type == "frame" and i.data.get("title") == title)

    def card(self, code: str, pile_title: str | None = None) -> ObservedItem:
        if pile_title is None:
            return card_with(self.board, code)
        pile = self.frame(pile_title)
        return next(i for i in self.board.items if i.parent_id == pile.id and code in str(i.data.get("title")))

    def move(self, code: str, frame_title: str, column: int, row: int, pile_title: str | None = None) -> str:
        """Drag a card into a stage's slot grid (2 columns, rows of 118 from the frame's top-left)."""
        card = self.card(code, pile_title)
        frame = self.frame(frame_title)
        participant.move_item(
            self.session, self.base, self.board_id, card.id, 200 + 344 * column, 87 + 118 * row, parent_id=frame.id
        )
        return card.id

    def move_to(self, code: str, frame_title: str, rel_x: float, rel_y: float) -> str:
        """Drag a card into any zone, at (rel_x, rel_y) from the frame's top-left corner."""
        card = self.card(code)
        frame = self.frame(frame_title)
        participant.move_item(self.session, self.base, self.board_id, card.id, rel_x, rel_y, parent_id=frame.id)
        return card.id

    def note_at(self, text: str, x: float, y: float) -> str:
        """A sticky note at an absolute spot (inside the frame there, as Miro's UI puts it)."""
        frame = next(
            (i for i in self.board.items if i.type == "frame" and i.left <= x <= i.right and i.top <= y <= i.bottom),
            None,
        )
        if frame is None:
            created = participant.add_sticky_note(self.session, self.base, self.board_id, text, x, y)
        else:
            created = participant.add_sticky_note(
                self.session, self.base, self.board_id, text, x - frame.left, y - frame.top, parent_id=frame.id
            )
        return str(created["id"])

    def drag_out(self, code: str, x: float, y: float) -> str:
        """Drag a card out of every frame (as Miro's UI does): it is now a top-level card at (x, y)."""
        card = self.card(code)
        participant.delete_item(self.session, self.base, self.board_id, card.id)
        return self.new_card(str(card.data["title"]), x, y, str(card.data.get("description", "")))

    def new_card(self, title: str, x: float, y: float, description: str = "") -> str:
        body = {"data": {"title": title, "description": description}, "position": {"x": x, "y": y}}
        url = f"{self.base}/v2/boards/{self.board_id}/cards"
        response = self.session.post(url, json=body)
        response.raise_for_status()
        return str(response.json()["id"])

    def note(self, text: str, frame_title: str, rel_x: float, rel_y: float) -> str:
        frame = self.frame(frame_title)
        created = participant.add_sticky_note(
            self.session, self.base, self.board_id, text, rel_x, rel_y, parent_id=self.frame(frame_title).id
        )
        assert frame.id
        return str(created["id"])

    def fill_slot(self, frame_title: str, index: int, text: str) -> None:
        """Write in one of the empty sticky notes gria-miro drew in a zone."""
        frame = self.frame(frame_title)
        slots = sorted(
            (
                i
                for i in self.board.items
                if i.parent_id == frame.id and i.type == "sticky_note" and not i.data.get("content")
            ),
            key=lambda i: (i.y, i.x),
        )
        url = f"{self.base}/v2/boards/{self.board_id}/sticky_notes/{slots[index].id}"
        self.session.patch(url, json={"data": {"content": text}}).raise_for_status()

    def member(self, name: str) -> str:
        return participant.add_member(self.adapter.engine, self.board_id, name)

    def assign(self, card_id: str, member_id: str, due: str | None = None) -> None:
        participant.set_assignee(self.session, self.base, self.board_id, card_id, member_id)
        if due:
            participant.set_due_date(self.session, self.base, self.board_id, card_id, due)


STAGES = ("Préparer le sac", "Le départ", "En chemin", "Le sommet")


def finished_board(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The default deck and layout after a workshop: every case pull must handle, on one board
    (played once per test session, then copied: see :func:`built_once`)."""
    path = tmp_path / "atelier.json"
    return built_once("finished_board", path, lambda: _play_workshop(path, capsys))


def _play_workshop(path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    pushed = run_cli(capsys, "push", "--board", f"local:{path}", "--yes")
    assert pushed.code == 0, pushed.err
    table = Table(path)
    camille, leo = table.member("Camille Martin"), table.member("Léo Dubois")

    # Stage 1: GOV-02 then GOV-01 on the first row, FORM-01 below.
    gov02 = table.move("GOV-02", STAGES[0], 0, 0)
    gov01 = table.move("GOV-01", STAGES[0], 1, 0)
    table.move("FORM-01", STAGES[0], 0, 1)
    table.assign(gov01, camille, "2026-01-31T00:00:00.000Z")
    table.assign(gov02, leo)
    # Stage 2: GOV-04 on the right of GOV-03.
    table.move("GOV-04", STAGES[1], 1, 0)
    table.move("GOV-03", STAGES[1], 0, 0)
    # Stage 3: FORM-05 (needs FORM-03, placed later), GOV-06, GOV-07.
    table.move("GOV-06", STAGES[2], 0, 0)
    table.move("GOV-07", STAGES[2], 1, 0)
    table.move("FORM-05", STAGES[2], 0, 1)
    # Stage 4: the charter (its prerequisites all earlier), its adoption (needs MET-04, never chosen), FORM-03.
    table.move("GOV-05", STAGES[3], 0, 0)
    table.move("GOV-10", STAGES[3], 1, 0)
    table.move("FORM-03", STAGES[3], 0, 1)
    table.refresh()

    # Cards dragged out of every frame: one across stages 1 and 2, one far from every zone.
    s1, s2 = table.frame(STAGES[0]), table.frame(STAGES[1])
    table.drag_out("GOV-09", (s1.right + s2.left) / 2, s1.y)
    table.drag_out("GOV-08", s1.left - 2500, s1.y)  # left of the first stage: no zone there
    # A card the team wrote itself, dropped (not framed) in stage 2.
    table.new_card("Atelier maison | à <b>inventer</b>", s2.left + 200, s2.top + 323)

    # Notes: on GOV-01 (with characters that could break Markdown), on GOV-02 (a formula), and in stage 2.
    table.note("<p>Voir avec la DSI | `urgent` &lt;script&gt;alert(1)&lt;/script&gt;</p><p># pas un titre</p>",
               STAGES[0], 600, 130)  # fmt: skip
    table.note('=HYPERLINK("http://example.invalid")', STAGES[0], 120, 40)
    table.note("Budget à voter en conseil d'administration", STAGES[1], 560, 440)
    # The cordée: one new note, one empty slot written in; a point of vigilance in the notes zone.
    table.note("Camille Martin — cheffe de projet", "La cordée", 120, 200)
    table.refresh()
    table.fill_slot("La cordée", 0, "<p>Léo Dubois : médiation</p>")
    table.fill_slot("Points de vigilance et notes", 0, "Attention au RGPD pour les données des publics")
    return path


def pull(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> Any:
    return run_cli(capsys, "pull", "--board", f"local:{path}", *args)


__all__ = ["STAGES", "Table", "finished_board", "pull", "requests"]
