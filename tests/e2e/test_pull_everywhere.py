"""Pull reports every card wherever it lies (issue 11.8): a card in every kind of zone, with an owner and a note."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.e2e.pullkit import STAGES, Table, pull
from tests.e2e.pushkit import built_once, run_cli

#: code → (zone title or None, owner, note); one card per kind of place
PLACES = {
    "GOV-01": (STAGES[0], "Alice Stage", "note étape"),
    "GOV-02": ("Légende des cartes", "Bruno Légende", "note légende"),
    "GOV-03": ("Bienvenue sur le sentier", "Chloé Titre", "note titre"),
    "GOV-04": ("La cordée", "Denis Cordée", "note cordée"),
    "GOV-05": ("Points de vigilance et notes", "Emma Notes", "note vigilance"),
    "GOV-06": ("La pioche", "Fanny Pioche", "note pioche"),
    "GOV-07": (None, "Gaël Dehors", "note dehors"),
    "GOV-08": ("straddling", "Hélène Cheval", "note à cheval"),
}


@pytest.fixture
def board(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    path = tmp_path / "partout.json"
    return built_once("everywhere", path, lambda: _place_everywhere(path, capsys))


def _place_everywhere(path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run_cli(capsys, "push", "--board", f"local:{path}", "--yes").code == 0
    table = Table(path)
    for code, (where, owner, note) in PLACES.items():
        member = table.member(owner)
        if where == "straddling":
            s1, s2 = table.frame(STAGES[0]), table.frame(STAGES[1])
            card_id = table.drag_out(code, (s1.right + s2.left) / 2, s1.y)
            x, y = (s1.right + s2.left) / 2, s1.y
        elif where is None:
            s1 = table.frame(STAGES[0])
            card_id = table.drag_out(code, s1.x, s1.top - 3000)
            x, y = s1.x, s1.top - 3000
        elif where == "La pioche":
            card_id = table.card(code).id
            item = table.card(code)
            x, y = item.x, item.y
        else:
            frame = table.frame(where)
            rel = (frame.width - 200, frame.height - 80)  # bottom right: clear of what gria-miro drew there
            card_id = table.move_to(code, where, *rel)
            x, y = frame.left + rel[0], frame.top + rel[1]
        table.refresh()
        table.assign(card_id, member, "2026-06-30T00:00:00.000Z")
        table.note_at(note, x + 60, y + 20)
        table.refresh()
    return path


def test_every_card_and_owner_appears_in_every_format(board: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = {}
    for fmt in ("md", "json", "csv", "html"):
        run = pull(capsys, board, "--format", fmt)
        assert run.code == 0, run.err
        outputs[fmt] = run.out
    for fmt, text in outputs.items():
        for code, (_where, owner, note) in PLACES.items():
            assert code in text, (fmt, code)
            assert owner in text, (fmt, owner)
            if fmt != "html" or "'" not in note:
                assert note in text, (fmt, note)


def test_cards_outside_the_stages_say_where_they_lie_and_are_not_counted(
    board: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = pull(capsys, board, "--format", "json")
    doc = json.loads(run.out)
    [team] = doc["teams"]
    assert [c["code"] for s in team["stages"] for c in s["cards"]] == ["GOV-01"]
    assert team["totals"]["cards"] == 1
    assert "GOV-06" in {c["code"] for c in team["pile"]}
    outside = {o["card"]["code"]: o for o in team["outside_stages"]}
    assert set(outside) == {"GOV-02", "GOV-03", "GOV-04", "GOV-05", "GOV-07", "GOV-08"}
    assert (outside["GOV-02"]["place"], outside["GOV-02"]["zone"]) == ("zone", "Légende des cartes")
    assert outside["GOV-02"]["zone_role"] == "legend" and outside["GOV-02"]["not_counted"] == "not_a_stage"
    assert outside["GOV-04"]["zone_role"] == "cordee" and outside["GOV-05"]["zone_role"] == "notes"
    assert outside["GOV-07"]["place"] == "outside" and outside["GOV-08"]["place"] == "straddling"
    for code, o in outside.items():
        assert o["card"]["owner"] == PLACES[code][1]
        assert o["card"]["notes"] == [PLACES[code][2]], code
        assert o["card"]["due_date"] == "2026-06-30"
    md = pull(capsys, board).out
    # French typography in the document: typographic apostrophe, no-break spaces inside « » and before ":"
    plain = md.replace("\u2019", "'").replace("\u202f", " ").replace("\u00a0", " ")
    assert "dans « Légende des cartes », qui n'est pas une étape — responsable : Bruno Légende" in plain
    french_csv = pull(capsys, board, "--format", "csv").out.lstrip("\ufeff")  # French: ; between cells
    rows = list(csv.reader(io.StringIO(french_csv), delimiter=";"))
    where = {r[4]: (r[1], r[2], r[14]) for r in rows[1:]}
    assert where["GOV-07"] == ("", "hors de toute zone", "Gaël Dehors")
    assert where["GOV-01"][0] == "1"
