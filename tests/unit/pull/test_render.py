"""Renderers: user text escaped in every format, CSV guards, English labels."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from gria_miro.observed import Member
from gria_miro.pull.assign import assign
from gria_miro.pull.roadmap import Roadmap, build_roadmap
from gria_miro.render.roadmap import FORMATS, render_roadmap
from gria_miro.render.roadmap.csv_table import safe_cell
from gria_miro.render.roadmap.markdown import md_cell, md_text, md_url
from tests.unit.pull.boards import card, desired_board, note, observed, small_deck

NASTY = "a | b `code` <script>alert(1)</script> *x* _y_ [l](http://e) ~z~ & \\"


def nasty_roadmap() -> Roadmap:
    desired = desired_board()
    board = observed(
        card("GOV-01", -900, 800, assigneeId="u1"),
        card("X", -500, 800, item_id="own", title="<p># Titre | `piège`</p>"),
        note(
            "n1",
            f"<p>{NASTY.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</p><p>## deux</p>",
            -900,
            880,
        ),
        note("p1", "=1+1 — @pirate", 1100, 900),
        members=(Member("u1", "<b>Eve</b> | admin"),),
    )
    return build_roadmap(small_deck(), desired, assign(desired, board), board, date(2025, 1, 2))


def test_md_text_shows_user_text_as_typed() -> None:
    escaped = md_text(NASTY)
    assert "<" not in escaped and ">" not in escaped.replace("&gt;", "")
    for raw in ("|", "`", "*", "_", "[", "]", "~"):
        assert f"\\{raw}" in escaped
    assert md_text("# titre").startswith("\\#") and md_text("- item").startswith("\\-")
    assert md_text("1. un").startswith("1\\.") or md_text("1. un").startswith("\\1.")
    assert md_cell("ligne 1\nligne | 2") == "ligne 1<br>ligne \\| 2"
    assert "\n" not in md_text("a\nb")


def test_markdown_table_rows_keep_their_columns() -> None:
    text = render_roadmap(nasty_roadmap(), "md")
    header = next(line for line in text.splitlines() if line.startswith("| N°"))
    columns = header.count("|") - header.count("\\|")
    for line in text.splitlines():
        if line.startswith("| 1 ") or line.startswith("| 2 "):
            assert line.count("|") - line.count("\\|") == columns
    assert "<script>" not in text and "<b>" not in text and "&lt;script&gt;" in text
    assert "\n# Titre" not in text and "\n## deux" not in text


def test_links_are_safe() -> None:
    assert md_url("javascript:alert(1)") is None and md_url("https://miro.com/app/board/x=/") is not None
    assert md_url("https://e.com/a>b") is None


def test_csv_guards_formulas_and_keeps_rows() -> None:
    assert [safe_cell(x) for x in ("=1", "+1", "-1", "@a", "ok")] == ["'=1", "'+1", "'-1", "'@a", "ok"]
    text = render_roadmap(nasty_roadmap(), "csv", csv_delimiter=";")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 3 and all(len(r) == len(rows[0]) for r in rows)
    assert rows[1][-1].startswith("a | b") and "\n" in rows[1][-1]


def test_html_escapes_everything() -> None:
    text = render_roadmap(nasty_roadmap(), "html")
    assert "<script>" not in text and "&lt;script&gt;" in text and "&lt;b&gt;Eve" in text
    assert text.startswith("<!DOCTYPE html>") and "@media print" in text


def test_json_is_documented_structure_and_english_labels() -> None:
    roadmap = nasty_roadmap()
    doc = json.loads(render_roadmap(roadmap, "json"))
    assert doc["format_version"] == 1 and Roadmap.model_validate(doc) == roadmap
    english = render_roadmap(roadmap, "md", "en")
    assert "### Summary" in english and "Stage 1" in english and "Étape" not in english


def test_unknown_format_is_refused() -> None:
    assert set(FORMATS) == {"md", "json", "csv", "html", "odt", "docx", "pdf"}
    with pytest.raises(ValueError):
        render_roadmap(nasty_roadmap(), "docx")  # a document, not text: render_document
    with pytest.raises(ValueError):
        render_roadmap(nasty_roadmap(), "xlsx")
