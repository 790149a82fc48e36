"""The roadmap as CSV: one row per card placed in a stage, then one per card outside the stages
(and per card left in the pile that the team assigned or annotated), for spreadsheets.

Pure: returns the text; the byte-order mark that French spreadsheets expect is added by
:func:`with_bom` when writing. ``;`` as delimiter also writes decimal commas. Text cells
starting with ``= + - @`` (or a tab / carriage return) get a leading apostrophe, so a
spreadsheet never runs a formula someone typed on the board.
"""

from __future__ import annotations

import csv
import io

from gria_miro.pull.roadmap import Roadmap, RoadmapCard
from gria_miro.render.roadmap import labels as L
from gria_miro.render.roadmap.labels import Lang, t

BOM = "\ufeff"
DELIMITERS = (",", ";")

_COLUMNS = (
    "col_team",
    "col_stage_order",
    "col_stage",
    "col_rank",
    "col_code",
    "col_title",
    "col_theme",
    "col_kind",
    "col_difficulty",
    "col_cost_min",
    "col_cost_max",
    "col_days",
    "col_impact",
    "col_gains",
    "col_owner",
    "col_due",
    "col_tags",
    "col_notes",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows as text, never as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def with_bom(text: str) -> str:
    return BOM + text


def render_csv(roadmap: Roadmap, lang: Lang = "fr", delimiter: str = ",") -> str:
    if delimiter not in DELIMITERS:
        raise ValueError(delimiter)

    def num(value: float | None) -> str:
        if value is None:
            return ""
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return text.replace(".", ",") if delimiter == ";" else text

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([t(c, lang) for c in _COLUMNS])
    rows: list[tuple[str, str, str, str, RoadmapCard]] = []  # team, stage number, stage (or place), rank, card
    for team in roadmap.teams:
        for number, stage in enumerate(team.stages, start=1):
            rows += [(team.team_name, str(number), stage.label, str(rank), c) for rank, c in enumerate(stage.cards, 1)]
        # cards outside the stages: a row each too (no stage number), saying where they lie
        rows += [(team.team_name, "", L.outside_place(o, lang), "", o.card) for o in team.outside_stages]
        # cards left in the pile, when the team attached something to them (an owner, a date, a note)
        pile = t("pile_short", lang)
        rows += [(team.team_name, "", pile, "", c) for c in team.pile if c.owner or c.due_date or c.notes or c.tags]
    rows += [("", "", L.outside_place(o, lang), "", o.card) for o in roadmap.outside_stages]
    for team_name, stage_no, stage_label, rank, card in rows:
        text = [
            team_name,
            stage_label,
            card.code or "",
            card.title,
            L.theme(roadmap, card.theme),
            L.kind(card.kind, lang),
            L.gains(card.gains, lang),
            card.owner or "",
            card.due_date or "",
            ", ".join(card.tags),
            "\n".join(card.notes),
        ]
        team_cell, label, code, title, theme, kind, gains, owner, due, tags, notes = (safe_cell(x) for x in text)
        writer.writerow(
            [
                team_cell,
                stage_no,
                label,
                rank,
                code,
                title,
                theme,
                kind,
                num(card.difficulty),
                num(card.cost_eur_min),
                num(card.cost_eur_max),
                num(card.days),
                num(card.impact),
                gains,
                owner,
                due,
                tags,
                notes,
            ]
        )
    return buffer.getvalue()
