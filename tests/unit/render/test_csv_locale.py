"""CSV for spreadsheets of the reader's language: French gets ; and decimal commas, English , and points."""

from __future__ import annotations

import csv
import io

from gria_miro.pull.roadmap import Roadmap
from gria_miro.render.roadmap import render_roadmap
from tests.unit.pull.test_render import nasty_roadmap


def half_day_roadmap() -> Roadmap:
    """The test roadmap with its first card estimated at half a day (a decimal to format)."""
    roadmap = nasty_roadmap()
    team = roadmap.teams[0]
    stage = team.stages[0]
    first = stage.cards[0].model_copy(update={"days": 0.5})
    stage = stage.model_copy(update={"cards": (first, *stage.cards[1:])})
    team = team.model_copy(update={"stages": (stage, *team.stages[1:])})
    return roadmap.model_copy(update={"teams": (team,)})


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_french_default_is_semicolon_and_decimal_comma() -> None:
    rows = _rows(render_roadmap(half_day_roadmap(), "csv"), ";")
    header = rows[0]
    assert header[0] == "Équipe" and len(header) > 10
    assert all(len(row) == len(header) for row in rows)
    assert rows[1][header.index("Jours")] == "0,5"


def test_english_default_is_comma_and_decimal_point() -> None:
    rows = _rows(render_roadmap(half_day_roadmap(), "csv", "en"), ",")
    header = rows[0]
    assert header[0] == "Team"
    assert all(len(row) == len(header) for row in rows)
    assert rows[1][header.index("Days")] == "0.5"


def test_an_explicit_delimiter_wins() -> None:
    assert render_roadmap(nasty_roadmap(), "csv", "fr", csv_delimiter=",").splitlines()[0].startswith("Équipe,")
