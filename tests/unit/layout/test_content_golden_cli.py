"""Card content and escaping, the golden board of the default layout, SVG preview and CLI."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gria_miro.board import DesiredBoard
from gria_miro.cli import app
from gria_miro.deck.loading import load_deck
from gria_miro.deck.model import Deck
from gria_miro.layout.content import card_code_from_title, card_description, card_title, plain_text, zone_title
from gria_miro.layout.engine import compute_board
from gria_miro.layout.loading import load_layout
from gria_miro.render.svg import render_svg
from gria_miro.typography import french
from tests.unit.layout.builders import card_data, make_deck, make_layout

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "layout-randonnee-gria-fr.txt"
TRICKY = 'Tester <b>gras</b> & "guillemets" l\'apostrophe'


def tricky_deck() -> Deck:
    cards = [card_data("GOV-03", "gov", 1, TRICKY), {**card_data("GOV-04", "gov", 2), "prerequisites": ["GOV-03"]}]
    themes = [{"id": "gov", "label": "Gouvernance & co", "color": "#1e3a8a"}]
    return Deck.model_validate({"title": "T", "licence": "CC0", "themes": themes, "cards": cards})


def test_title_with_markup_round_trips_and_shows_as_typed() -> None:
    card = tricky_deck().card("GOV-03")
    title = card_title(card)
    assert "<b>" not in title and "&lt;b&gt;" in title and "&amp;" in title
    # Shown with French typography (l’apostrophe), then the card's scales at a glance on a second line.
    assert plain_text(title) == f"GOV-03 · {french(TRICKY)} Diff. 2/4 · €€ · 3 j · impact -1"
    assert card_code_from_title(title) == "GOV-03"
    assert card_code_from_title(f"<p>{title}</p>") == "GOV-03"
    assert card_code_from_title("GOV-0312 autre") is None
    assert card_code_from_title("Pas une carte") is None


def test_description_is_readable_french_with_allowed_tags_only() -> None:
    deck = tricky_deck()
    html = card_description(deck.card("GOV-04"))
    assert set(re.findall(r"</?([a-z]+)", html)) <= {"p", "a", "strong", "b", "em", "i", "u", "ol", "ul", "li", "br"}
    assert "6\u202f000 à 20\u202f000 €" in html  # French digit grouping (narrow no-break space)
    text = plain_text(html)
    # One colon per line (the label's): never « Gains : Temps : … ».
    for line in re.findall(r"<li>(.*?)</li>", html):
        assert plain_text(line).count(":") == 1, line
    for expected in (
        "Nature :",
        "Difficulté : 3/4",
        "Coût :",
        "6 000 à 20 000 €",
        "Charge de travail : Quelques semaines (environ 10 jours-personne)",
        "Gains : Temps",
        "Impact : 0 · Neutre —",
        "Prérequis : GOV-03",
    ):
        assert expected in text


def test_app_card_option_gives_fields_and_fill_colour() -> None:
    board = compute_board(make_deck([2]), make_layout(item="app_card"))
    card = board.by_key()["equipe-a/card:TAA-00"]
    assert card.type == "app_card" and card.style["fillColor"].startswith("#")
    assert card.data["fields"][0]["value"].startswith("Difficulté")
    assert all(set(f) == {"value", "fillColor", "textColor", "tooltip"} for f in card.data["fields"])


def test_zone_title_rule() -> None:
    from gria_miro.board import Team

    assert zone_title(None, "Le départ") == "Le départ"
    assert zone_title(Team("equipe-b", "Équipe B"), "Le départ") == "Équipe B · Le départ"


def snapshot(board: DesiredBoard) -> str:
    lines = [f"# layout {board.layout_name} · deck {board.deck_title} · teams {len(board.teams)}"]
    for item in board.items:
        where = f"{item.x},{item.y} {item.width}×{item.height}"
        parent = f" in {item.parent_key} @{item.rel_x},{item.rel_y}" if item.parent_key else ""
        label = item.data.get("title") if item.type == "frame" else None
        lines.append(f"{item.key} {item.type} {where}{parent}" + (f" « {label} »" if label else ""))
    return "\n".join(lines) + "\n"


def test_golden_default_layout_with_shipped_deck() -> None:
    board = compute_board(load_deck(None), load_layout(None))
    text = snapshot(board)
    if os.environ.get("GRIA_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.exists(), "golden file missing: run with GRIA_UPDATE_GOLDEN=1"
    assert text == GOLDEN.read_text(encoding="utf-8"), "board changed; review, then GRIA_UPDATE_GOLDEN=1"


def test_svg_is_well_formed_and_escapes_text() -> None:
    board = compute_board(tricky_deck(), make_layout(teams=2))
    svg = render_svg(board)
    root = ET.fromstring(svg.encode("utf-8"))
    texts = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Équipe A · Pioche" in texts and "GOV-03" in texts and "<b>gras</b>" in texts


runner = CliRunner()


def test_cli_preview_writes_svg(tmp_path: Path) -> None:
    out = tmp_path / "plateau.svg"
    result = runner.invoke(
        app, ["layout", "preview", "--layout", "atelier-multi-equipes", "--teams", "2", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "2 équipe(s)" in result.output
    ET.fromstring(out.read_bytes())


def test_cli_validate_ok_and_problems(tmp_path: Path) -> None:
    result = runner.invoke(app, ["layout", "validate", "trimestres"])
    assert result.exit_code == 0 and result.output.startswith("OK")
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: X\nzones: []\nteam_rows:\n  - [absente]\n", encoding="utf-8")
    result = runner.invoke(app, ["layout", "validate", str(bad)])
    assert result.exit_code != 0


@pytest.mark.parametrize("teams", [0, -1])
def test_engine_rejects_fewer_than_one_team(teams: int) -> None:
    from gria_miro.layout.engine import LayoutError

    with pytest.raises(LayoutError):
        compute_board(make_deck([1]), make_layout(), teams=teams)
