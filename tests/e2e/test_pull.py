"""End-to-end: push the default deck to a local board, play the participants, pull the roadmap."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from gria_miro.errors import ExitStatus
from tests.conftest import SECRET_TOKEN
from tests.e2e.pullkit import STAGES, Table, finished_board, pull
from tests.e2e.pushkit import run_cli


@pytest.fixture
def board(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    return finished_board(tmp_path, capsys)


def roadmap_json(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    run = pull(capsys, path, "--format", "json", *args)
    assert run.code == 0, run.err
    return json.loads(run.out)  # type: ignore[no-any-return]


def test_pull_gives_stages_order_owners_notes_totals_and_warnings(
    board: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = roadmap_json(capsys, board)
    [team] = doc["teams"]
    stages = [(s["label"], [c["code"] or c["title"] for c in s["cards"]]) for s in team["stages"]]
    assert stages == [
        (STAGES[0], ["GOV-02", "GOV-01", "FORM-01"]),
        (STAGES[1], ["GOV-03", "GOV-04", "Atelier maison | à inventer"]),
        (STAGES[2], ["GOV-06", "GOV-07", "FORM-05"]),
        (STAGES[3], ["GOV-05", "GOV-10", "FORM-03"]),
    ]
    first = {c["code"]: c for c in team["stages"][0]["cards"]}
    assert (first["GOV-01"]["owner"], first["GOV-01"]["due_date"]) == ("Camille Martin", "2026-01-31")
    assert first["GOV-02"]["owner"] == "Léo Dubois"
    assert first["GOV-01"]["notes"] == ["Voir avec la DSI | `urgent` <script>alert(1)</script>\n# pas un titre"]
    assert first["GOV-02"]["notes"] == ['=HYPERLINK("http://example.invalid")']
    assert team["stages"][1]["notes"] == ["Budget à voter en conseil d'administration"]
    assert [(p["name"], p["role"]) for p in team["participants"]] == [
        ("Camille Martin", "cheffe de projet"),  # a new note, top left of the cordée
        ("Léo Dubois", "médiation"),  # written in the first empty slot
    ]
    assert [n["notes"] for n in team["notes"]] == [["Attention au RGPD pour les données des publics"]]

    # Totals: recomputed here from the deck, card by card.
    from gria_miro.deck.loading import load_deck

    deck = load_deck("gria-fr")
    chosen = [deck.card(c["code"]) for s in team["stages"] for c in s["cards"] if c["code"]]
    totals = team["totals"]
    assert totals["cards"] == 12 and totals["not_from_deck"] == 1
    assert totals["cost_eur_min"] == sum(c.cost.eur_min for c in chosen)
    assert totals["cost_eur_max"] == sum(c.cost.eur_max for c in chosen)
    assert totals["days"] == pytest.approx(sum(c.duration.days for c in chosen))
    assert totals["formal"] + totals["informal"] == 11

    warnings = {(w["kind"], w["card"], w["other"]) for w in team["warnings"]}
    assert ("prerequisite_later", "FORM-05", "FORM-03") in warnings
    assert ("prerequisite_missing", "GOV-10", "MET-04") in warnings
    assert ("card_straddling", "GOV-09", None) in warnings
    assert ("card_outside", "GOV-08", None) in warnings
    assert not any(w[0] == "prerequisite_missing" and w[1] == "GOV-05" for w in warnings)
    straddling = next(w for w in team["warnings"] if w["kind"] == "card_straddling")
    assert set(straddling["zones"]) == {STAGES[0], STAGES[1]}
    pile = {c["code"] for c in team["pile"]}
    assert "GOV-01" not in pile and "GOV-09" not in pile and "COLL-01" in pile


def test_markdown_and_csv_from_the_cli(board: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    md = pull(capsys, board)
    assert md.code == 0, md.err
    assert "### Étape 1 · Préparer le sac" in md.out
    assert "\\| \\`urgent\\` &lt;script&gt;" in md.out and "<script>" not in md.out
    assert "### Calendrier indicatif" in md.out and "```" not in md.out
    out = tmp_path / "feuille.csv"
    run = pull(capsys, board, "--format", "csv", "--delimiter", ";", "-o", str(out))
    assert run.code == 0, run.err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    staged = [r for r in rows[1:] if r[1]]  # a stage number: placed in a stage
    assert len(staged) == 12
    elsewhere = {r[4]: r[2] for r in rows[1:] if not r[1]}  # every other card, with where it lies
    assert elsewhere and all(elsewhere.values())
    gov02 = next(r for r in rows if r[4] == "GOV-02")
    assert gov02[-1].startswith("'=HYPERLINK")  # formula neutralised
    again = pull(capsys, board, "--format", "csv", "-o", str(out))
    assert again.code == ExitStatus.USER_ERROR and "--force" in again.err
    assert pull(capsys, board, "--format", "csv", "-o", str(out), "--force", "--no-bom").code == 0
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")
    html = pull(capsys, board, "--format", "html", "--lang", "en")
    assert html.code == 0 and "@media print" in html.out and "&lt;script&gt;" in html.out
    assert "Stage 1" in html.out


def test_snapshot_then_offline_export_gives_the_same_roadmap(
    board: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    snap = tmp_path / "instantane.json"
    online = pull(capsys, board, "--format", "json", "--snapshot", str(snap), "--token", SECRET_TOKEN)
    assert online.code == 0, online.err
    assert SECRET_TOKEN not in snap.read_text(encoding="utf-8")
    board.unlink()  # offline: the board is gone
    offline = run_cli(capsys, "export", "--snapshot", str(snap), "--format", "json")
    assert offline.code == 0, offline.err
    assert json.loads(offline.out) == json.loads(online.out)


def test_pull_without_state_on_another_machine(
    board: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_state = roadmap_json(capsys, board)
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "elsewhere"))
    assert roadmap_json(capsys, board)["teams"] == with_state["teams"]


def test_board_with_none_of_our_zones_and_unknown_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "vide.json"
    run = pull(capsys, empty)
    assert not empty.exists(), "pull only reads: it creates no board file"
    assert run.code == ExitStatus.USER_ERROR and "ce tableau local n'existe pas" in run.err
    from gria_miro.localboard.adapter import open_local_board

    open_local_board(empty)  # an empty board: none of our zones
    run = pull(capsys, empty)
    assert run.code == ExitStatus.USER_ERROR
    assert "aucune zone" in run.err and "--layout" in run.err and "Traceback" not in run.err
    bad = pull(capsys, empty, "--format", "xlsx")
    assert bad.code == ExitStatus.USER_ERROR and "md, json, csv, html, odt, docx, pdf" in bad.err
    assert not empty.exists() or empty.stat().st_size > 0  # no partial output written


@pytest.mark.slow  # a long end-to-end story: CI runs it (`pytest -m slow`)
def test_multi_team_board(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    path = tmp_path / "deux.json"
    assert run_cli(capsys, "push", "--board", f"local:{path}", "--teams", "2", "--yes").code == 0
    table = Table(path)
    table.move("GOV-01", f"Équipe A · {STAGES[0]}", 0, 0, pile_title="Équipe A · La pioche")
    table.move("GOV-02", f"Équipe A · {STAGES[0]}", 1, 0, pile_title="Équipe A · La pioche")
    table.move("GOV-01", f"Équipe B · {STAGES[1]}", 0, 0, pile_title="Équipe B · La pioche")
    table.move("FORM-01", f"Équipe B · {STAGES[3]}", 0, 0, pile_title="Équipe B · La pioche")
    doc = roadmap_json(capsys, path)
    a, b = doc["teams"]
    assert (a["team_name"], b["team_name"]) == ("Équipe A", "Équipe B")
    assert [[c["code"] for c in s["cards"]] for s in a["stages"]] == [["GOV-01", "GOV-02"], [], [], []]
    assert [[c["code"] for c in s["cards"]] for s in b["stages"]] == [[], ["GOV-01"], [], ["FORM-01"]]
    assert {w["stage"] for w in b["warnings"] if w["kind"] == "stage_empty"} == {STAGES[0], STAGES[2]}
    rows = {r["team_name"]: r["cards"] for r in doc["comparison"]["rows"]}
    assert rows == {"Équipe A": 2, "Équipe B": 2}
    assert doc["comparison"]["common_cards"] == ["GOV-01"]
    md = pull(capsys, path)
    assert "## Comparaison des équipes" in md.out and "## Équipe B" in md.out and "Équipe · Équipe" not in md.out
