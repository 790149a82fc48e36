"""The roadmap as Markdown (GitHub flavour): sections per stage, tables, totals, warnings, a Mermaid Gantt chart.

Pure. Every text users typed (notes, names, titles of their own cards, board name, zone
labels) goes through :func:`md_text` or :func:`md_cell`, so it shows as typed and cannot
break the document: no HTML, no code spans, no links, headings or table cells it did not ask for.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from gria_miro.pull.roadmap import Roadmap, RoadmapCard, Stage, TeamRoadmap, ZoneNotes
from gria_miro.render.roadmap import labels as L
from gria_miro.render.roadmap.labels import Lang, t

#: Characters with a meaning anywhere in a line of Markdown (GFM), escaped with a backslash.
_INLINE = re.compile(r"([\\`*_\[\]|~])")
#: What makes a line a heading, quote, list item, thematic break or setext underline when it starts it.
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")
_MERMAID_UNSAFE = re.compile(r"[^\w\s'’,.()/-]")


def md_text(text: str) -> str:
    """User text as one line of inline Markdown that shows exactly as typed."""
    flat = " ".join(text.split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _INLINE.sub(r"\\\1", flat)
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), flat)


def md_cell(text: str) -> str:
    """User text inside a table cell: its lines kept apart with ``<br>``, nothing else interpreted."""
    return "<br>".join(md_text(line) for line in text.splitlines() if line.strip())


def md_url(url: str | None) -> str | None:
    """A board link, only when it is a plain http(s) address (anything else is left out)."""
    if url and re.fullmatch(r"https?://[^\s<>\"'`()\[\]|]+", url):
        return url
    return None


def mermaid_text(text: str) -> str:
    """Text safe inside a Mermaid Gantt line (no ``:``, ``;``, ``#`` or backticks)."""
    return " ".join(_MERMAID_UNSAFE.sub(" ", text).split())[:60] or "-"


def render_markdown(roadmap: Roadmap, lang: Lang = "fr") -> str:
    out: list[str] = [f"# {t('roadmap', lang)} · {md_text(roadmap.title)}", ""]
    board = md_text(roadmap.board.name or roadmap.board.id)
    link = md_url(roadmap.board.link)
    board_line = f"[{board}](<{link}>)" if link else board
    out += [
        f"- **{t('board', lang)} :** {board_line} (`{_code(roadmap.board.id)}`)"
        if lang == "fr"
        else f"- **{t('board', lang)}:** {board_line} (`{_code(roadmap.board.id)}`)",
        _field("date", L.date_text(roadmap.date, lang), lang),
        _field("deck", md_text(roadmap.deck_title), lang),
        _field("layout", md_text(roadmap.layout_name), lang),
        "",
    ]
    multi = len(roadmap.teams) > 1
    if multi and roadmap.comparison is not None:
        out += _comparison(roadmap, lang)
    for team in roadmap.teams:
        out += _team(roadmap, team, lang)
    if roadmap.participants or roadmap.notes or roadmap.unassigned or roadmap.outside_stages:
        out += [f"## {t('board_wide', lang)}", ""]
        if roadmap.participants:
            out += [f"### {t('cordee', lang)}", ""]
            out += [_person(p.name, p.role) for p in roadmap.participants] + [""]
        if roadmap.notes:
            out += _notes(roadmap.notes, lang, "###")
        if roadmap.unassigned:
            out += [f"### {t('warnings', lang)}", ""]
            out += [f"- {_unplaced_line(u.card, u.zones, lang)}" for u in roadmap.unassigned] + [""]
        if roadmap.outside_stages:
            out += [f"### {t('outside_stages', lang)}", ""]
            out += [f"- {L.outside_line(o, lang, md_text)}" for o in roadmap.outside_stages] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def _code(text: str) -> str:
    """A board id inside a code span (ids have no backticks; strip any to be safe)."""
    return text.replace("`", "")


def _field(key: str, value: str, lang: Lang) -> str:
    return f"- **{t(key, lang)} :** {value}" if lang == "fr" else f"- **{t(key, lang)}:** {value}"


def _person(name: str, role: str | None) -> str:
    return f"- **{md_text(name)}** — {md_text(role)}" if role else f"- **{md_text(name)}**"


def _team(roadmap: Roadmap, team: TeamRoadmap, lang: Lang) -> list[str]:
    out = [f"## {t('team', lang)} · {md_text(team.team_name)}", "", f"### {t('cordee', lang)}", ""]
    if team.participants:
        out += [_person(p.name, p.role) for p in team.participants]
    else:
        out.append(f"_{t('nobody', lang)}_")
    out.append("")
    for number, stage in enumerate(team.stages, start=1):
        out += _stage(roadmap, number, stage, lang)
    out += _summary(roadmap, team, lang)
    out += _gantt(team, date.fromisoformat(roadmap.date), lang)
    out += [f"### {t('warnings', lang)}", ""]
    if team.warnings:
        out += [f"- {L.warning(w, lang, md_text)}" for w in team.warnings]
    else:
        out.append(f"_{t('no_warning', lang)}_")
    out.append("")
    if team.notes:
        out += _notes(team.notes, lang, "###")
    if team.outside_stages:
        out += [f"### {t('outside_stages', lang)}", ""]
        out += [f"- {L.outside_line(o, lang, md_text)}" for o in team.outside_stages] + [""]
    out += [f"### {t('pile', lang)}", ""]
    if team.pile:
        out += [_pile_line(c, lang) for c in team.pile]
    else:
        out.append(f"_{t('pile_empty', lang)}_")
    out.append("")
    return out


_COLUMNS = (
    "col_rank",
    "col_code",
    "col_title",
    "col_kind",
    "col_difficulty",
    "col_cost",
    "col_days",
    "col_gains",
    "col_impact",
    "col_owner",
    "col_due",
    "col_notes",
)


def _row(roadmap: Roadmap, rank: int, card: RoadmapCard, lang: Lang) -> str:
    notes = "<br>".join(md_cell(n) for n in card.notes)
    if card.tags:
        tags = ", ".join(md_text(tag) for tag in card.tags)
        notes = f"{t('col_tags', lang)} : {tags}" + (f"<br>{notes}" if notes else "")
    cells = [
        str(rank),
        md_text(card.code or ""),
        md_text(card.title),
        L.kind(card.kind, lang),
        L.difficulty(card.difficulty, lang),
        L.cost(card, lang),
        L.duration(card, lang),
        L.gains(card.gains, lang),
        L.impact(card.impact, lang),
        md_text(card.owner or ""),
        L.date_text(md_text(card.due_date), lang) if card.due_date else "",
        notes,
    ]
    return "| " + " | ".join(cells) + " |"


def _stage(roadmap: Roadmap, number: int, stage: Stage, lang: Lang) -> list[str]:
    out = [f"### {t('stage', lang)} {number} · {md_text(stage.label)}", ""]
    if stage.cards:
        out.append("| " + " | ".join(t(c, lang) for c in _COLUMNS) + " |")
        out.append("|" + "|".join("---:" if c == "col_rank" else "---" for c in _COLUMNS) + "|")
        out += [_row(roadmap, rank, card, lang) for rank, card in enumerate(stage.cards, start=1)]
    else:
        out.append(f"_{t('empty_stage', lang)}_")
    out.append("")
    if stage.cards:
        sep = " :" if lang == "fr" else ":"
        out += [f"**{t('stage_total', lang)}{sep}** {L.totals_line(stage.totals, lang)}", ""]
    if stage.notes:
        sep = " :" if lang == "fr" else ":"
        out += [f"**{t('stage_notes', lang)}{sep}**", ""] + [f"- {md_text(n)}" for n in stage.notes] + [""]
    return out


def _summary(roadmap: Roadmap, team: TeamRoadmap, lang: Lang) -> list[str]:
    totals = team.totals
    out = [f"### {t('summary', lang)}", ""]
    rows = [
        ("chosen", L.cards_count(totals.cards, lang)),
        ("cost", L.euros(totals.cost_eur_min, totals.cost_eur_max, lang)),
        ("work", L.days(totals.days, lang)),
        ("difficulty_profile", L.difficulty_profile(totals, lang)),
        ("balance", L.balance(totals, lang)),
        ("themes_covered", md_text(L.themes(roadmap, totals.themes, lang))),
        ("themes_missing", md_text(L.themes(roadmap, team.themes_not_covered, lang))),
    ]
    out += [_field(key, value, lang) for key, value in rows]
    if totals.not_from_deck:
        out.append(f"- {totals.not_from_deck} {t('not_from_deck', lang)}")
    out.append("")
    return out


def _gantt(team: TeamRoadmap, start: date, lang: Lang) -> list[str]:
    """From the day of the pull: stages one after another; within a stage, cards side by side (days of work)."""
    if not any(stage.cards for stage in team.stages):
        return []
    out = [
        f"### {t('gantt', lang)}",
        "",
        "```mermaid",
        "gantt",
        f"    title {t('gantt_title', lang)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %d/%m",
    ]
    for stage in team.stages:
        if not stage.cards:
            continue
        out.append(f"    section {mermaid_text(stage.label)}")
        for card in stage.cards:
            name = mermaid_text(f"{card.code} {card.title}" if card.code else card.title)
            out.append(f"    {name} : {start.isoformat()}, {L.gantt_days(card)}d")
        start += timedelta(days=max(L.gantt_days(card) for card in stage.cards))
    out += ["```", ""]
    return out


def _notes(notes: tuple[ZoneNotes, ...], lang: Lang, level: str) -> list[str]:
    out = [f"{level} {t('notes', lang)}", ""]
    for group in notes:
        title = md_text(group.zone) if group.zone else t("loose_notes", lang)
        out += [f"**{title}**", ""] + [f"- {md_text(n)}" for n in group.notes] + [""]
    return out


def _pile_line(card: RoadmapCard, lang: Lang) -> str:
    """A card left in the pile, with whatever the team attached to it (owner, due date, notes)."""
    name = f"**{md_text(card.code)}** {md_text(card.title)}" if card.code else md_text(card.title)
    return " — ".join([f"- {name}", *L.card_extras(card, lang, md_text)])


def _unplaced_line(card: RoadmapCard, zones: tuple[str, ...], lang: Lang) -> str:
    label = md_text(card.code or card.title)
    if zones:
        where = ", ".join(md_text(z) for z in zones)
        return f"{label} : {where}" if lang == "fr" else f"{label}: {where}"
    return label


def _comparison(roadmap: Roadmap, lang: Lang) -> list[str]:
    assert roadmap.comparison is not None
    columns = ("col_team", "col_cards", "col_cost", "col_days", "col_formal", "col_informal", "col_themes")
    out = [f"## {t('comparison', lang)}", "", "| " + " | ".join(t(c, lang) for c in columns) + " |"]
    out.append("|---|" + "---:|" * (len(columns) - 1))
    for row in roadmap.comparison.rows:
        cells = [
            md_text(row.team_name),
            str(row.cards),
            L.euros(row.cost_eur_min, row.cost_eur_max, lang),
            L.number(row.days, lang),
            str(row.formal),
            str(row.informal),
            f"{row.themes_covered}/{len(roadmap.themes)}",
        ]
        out.append("| " + " | ".join(cells) + " |")
    common = ", ".join(md_text(code) for code in roadmap.comparison.common_cards) or t("none", lang)
    out += ["", _field("common", common, lang), ""]
    return out
