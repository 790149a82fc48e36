"""End-to-end tests of ``gria-miro print …``: the PDF written, partial reprints, and mistakes refused cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from gria_miro.deck.loading import load_deck
from gria_miro.errors import ExitStatus
from tests.e2e.test_cli_deck import run
from tests.unit.render.pdfread import reader


def test_print_cards_of_one_theme_and_two_codes_with_backs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = load_deck("gria-fr")
    theme = deck.themes[1]
    out = tmp_path / "cartes.pdf"
    code, _, err = run(capsys, "print", "cards", "--theme", theme.id, "--codes", "gov-01, GOV-02", "--backs", "-o", out)
    assert code == 0, err
    expected = sum(c.theme == theme.id for c in deck.cards) + 2
    assert f"{expected} cartes" in err
    pdf = reader(out.read_bytes())
    assert len(pdf.pages) == 2 * -(-expected // 8)
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "GOV-01" in text and "GOV-02" in text and "GOV-03" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--theme", "inconnu"), "--theme 'inconnu'"),
        (("--codes", "XX-99"), "XX-99"),
        (("--deck", "absent.yaml"), "absent.yaml"),
    ],
)
def test_print_cards_refuses_bad_options_without_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "cartes.pdf"
    code, _, err = run(capsys, "print", "cards", *args, "-o", out)
    assert code == ExitStatus.USER_ERROR
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_print_never_overwrites_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cartes.pdf"
    out.write_text("à garder", encoding="utf-8")
    code, _, err = run(capsys, "print", "cards", "--codes", "GOV-01", "-o", out)
    assert code == ExitStatus.USER_ERROR and "--force" in err
    assert out.read_text(encoding="utf-8") == "à garder"
    assert run(capsys, "print", "cards", "--codes", "GOV-01", "-o", out, "--force")[0] == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.slow  # a long end-to-end story: CI runs it (`pytest -m slow`)
def test_pull_writes_office_documents_with_a_title_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from docx import Document

    from tests.e2e.pullkit import finished_board

    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    board = finished_board(tmp_path, capsys)
    before = board.read_bytes()
    refused = run(capsys, "pull", "--board", f"local:{board}", "--format", "pdf")
    assert refused[0] == ExitStatus.USER_ERROR and "-o" in refused[2]
    bad_date = run(
        capsys,
        "pull",
        "--board",
        f"local:{board}",
        "--format",
        "odt",
        "-o",
        tmp_path / "x.odt",
        "--session-date",
        "14 mars",
    )
    assert bad_date[0] == ExitStatus.USER_ERROR and "--session-date" in bad_date[2]
    assert not (tmp_path / "x.odt").exists()
    title = (
        "--institution",
        "Musée de la Carte",
        "--session",
        "Atelier n° 3",
        "--session-date",
        "12/03/2026",
        "--facilitator",
        "Claire Dupont",
    )
    for fmt in ("pdf", "odt", "docx"):
        out = tmp_path / f"feuille.{fmt}"
        code, _, err = run(capsys, "pull", "--board", f"local:{board}", "--format", fmt, "-o", out, *title)
        assert code == 0, err
        assert out.stat().st_size > 5_000
    text = "\n".join(page.extract_text() for page in reader((tmp_path / "feuille.pdf").read_bytes()).pages)
    assert "Musée de la Carte" in text and "12/03/2026" in text and "Préparer le sac" in text
    document = Document(io.BytesIO((tmp_path / "feuille.docx").read_bytes()))
    rows = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert rows["Institution"] == "Musée de la Carte" and rows["Animation"] == "Claire Dupont"
    assert board.read_bytes() == before  # reading the board changed nothing on it


def test_print_board_and_carnet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    poster = tmp_path / "plateau.pdf"
    code, _, err = run(capsys, "print", "board", "--paper", "A4", "-o", poster)
    assert code == 0, err
    assert "tuiles A4" in err
    assert len(reader(poster.read_bytes()).pages) > 4
    bad = run(capsys, "print", "board", "--paper", "b5", "-o", tmp_path / "x.pdf")
    assert bad[0] == ExitStatus.USER_ERROR and "a1, a2, a3, a4" in bad[2]
    carnet = tmp_path / "carnet.pdf"
    assert run(capsys, "print", "carnet", "--layout", "trimestres", "-o", carnet)[0] == 0
    assert "Carnet de suivi" in reader(carnet.read_bytes()).pages[0].extract_text()


@pytest.mark.slow  # a long end-to-end story: CI runs it (`pytest -m slow`)
def test_the_title_block_can_be_remembered_in_the_boards_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import json

    from docx import Document

    from tests.e2e.pullkit import finished_board

    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    board = finished_board(tmp_path, capsys)
    snap = tmp_path / "tableau.json"
    assert run(capsys, "pull", "--board", f"local:{board}", "--snapshot", snap, "-o", tmp_path / "x.md")[0] == 0
    data = json.loads(snap.read_text(encoding="utf-8"))
    manifest = next(i for i in data["items"] if "manifeste du plateau" in str(i["data"].get("content", "")))
    # what a facilitator types on the board, under the manifest's lines
    manifest["data"]["content"] += "<p>institution : Musée de la Manche</p><p>date : 12/03/2026</p>"
    snap.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "feuille.docx"
    code, _, err = run(capsys, "export", "--snapshot", snap, "--format", "docx", "-o", out, "--facilitator", "Claire")
    assert code == 0, err
    rows = {r.cells[0].text: r.cells[1].text for r in Document(io.BytesIO(out.read_bytes())).tables[0].rows}
    assert rows["Institution"] == "Musée de la Manche" and rows["Date"] == "12/03/2026"
    assert rows["Animation"] == "Claire"  # given on the command line
