"""The roadmap as one self-contained, printable HTML page (no scripts, no external files).

Pure. Every text goes through :func:`html.escape`; the board link is kept only when it is a
plain http(s) address. ``@media print`` styles keep each stage's table on its page.
"""

from __future__ import annotations

import html

from gria_miro.pull.roadmap import OutsideCard, Roadmap, RoadmapCard, Stage, TeamRoadmap, ZoneNotes
from gria_miro.render.roadmap import labels as L
from gria_miro.render.roadmap.labels import Lang, t
from gria_miro.render.roadmap.markdown import md_url

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: .2em; }
h2 { border-bottom: 2px solid #37474f; padding-bottom: .2em; margin-top: 2em; }
h3 { margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; font-size: .9em; margin: .5em 0; }
th, td { border: 1px solid #c7c7c7; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #eceff1; }
td.num { text-align: right; white-space: nowrap; }
.meta { color: #555; }
.total { font-weight: 600; }
.warnings li { color: #8a1c1c; }
.empty { color: #777; font-style: italic; }
.code { font-weight: 700; white-space: nowrap; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { page-break-before: always; }
  h2:first-of-type { page-break-before: avoid; }
  table, .stage { page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _lines(text: str) -> str:
    return "<br>".join(esc(line) for line in text.splitlines() if line.strip())


def render_html(roadmap: Roadmap, lang: Lang = "fr") -> str:
    title = f"{t('roadmap', lang)} · {roadmap.title}"
    board = esc(roadmap.board.name or roadmap.board.id)
    link = md_url(roadmap.board.link)
    board_html = f'<a href="{esc(link)}">{board}</a>' if link else board
    sep = " :" if lang == "fr" else ":"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(title)}</h1>",
        '<p class="meta">'
        f"{t('board', lang)}{sep} {board_html} ({esc(roadmap.board.id)}) · "
        f"{t('date', lang)}{sep} {esc(L.date_text(roadmap.date, lang))} · "
        f"{t('deck', lang)}{sep} {esc(roadmap.deck_title)} · {t('layout', lang)}{sep} {esc(roadmap.layout_name)}</p>",
    ]
    if roadmap.comparison is not None:
        parts += _comparison(roadmap, lang)
    for team in roadmap.teams:
        parts += _team(roadmap, team, lang)
    if roadmap.participants or roadmap.notes or roadmap.outside_stages:
        parts.append(f"<h2>{t('board_wide', lang)}</h2>")
        if roadmap.participants:
            parts += [f"<h3>{t('cordee', lang)}</h3>", "<ul>"]
            parts += [_person(p.name, p.role) for p in roadmap.participants] + ["</ul>"]
        parts += _notes(roadmap.notes, lang)
        parts += _outside(roadmap.outside_stages, lang)
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _person(name: str, role: str | None) -> str:
    return f"<li><strong>{esc(name)}</strong>{' — ' + esc(role) if role else ''}</li>"


def _team(roadmap: Roadmap, team: TeamRoadmap, lang: Lang) -> list[str]:
    out = [f"<h2>{t('team', lang)} · {esc(team.team_name)}</h2>", f"<h3>{t('cordee', lang)}</h3>"]
    if team.participants:
        out += ["<ul>"] + [_person(p.name, p.role) for p in team.participants] + ["</ul>"]
    else:
        out.append(f'<p class="empty">{t("nobody", lang)}</p>')
    for number, stage in enumerate(team.stages, start=1):
        out += _stage(roadmap, number, stage, lang)
    totals = team.totals
    sep = " :" if lang == "fr" else ":"
    rows = [
        ("chosen", L.cards_count(totals.cards, lang)),
        ("cost", L.euros(totals.cost_eur_min, totals.cost_eur_max, lang)),
        ("work", L.days(totals.days, lang)),
        ("difficulty_profile", L.difficulty_profile(totals, lang)),
        ("balance", L.balance(totals, lang)),
        ("themes_covered", L.themes(roadmap, totals.themes, lang)),
        ("themes_missing", L.themes(roadmap, team.themes_not_covered, lang)),
    ]
    out += [f"<h3>{t('summary', lang)}</h3>", "<ul>"]
    out += [f"<li><strong>{t(key, lang)}{sep}</strong> {esc(value)}</li>" for key, value in rows] + ["</ul>"]
    out.append(f"<h3>{t('warnings', lang)}</h3>")
    if team.warnings:
        out += ['<ul class="warnings">'] + [f"<li>{L.warning(w, lang, esc)}</li>" for w in team.warnings] + ["</ul>"]
    else:
        out.append(f'<p class="empty">{t("no_warning", lang)}</p>')
    out += _notes(team.notes, lang)
    out += _outside(team.outside_stages, lang)
    out.append(f"<h3>{t('pile', lang)}</h3>")
    if team.pile:
        piled = [" — ".join([_name(card), *L.card_extras(card, lang, esc)]) for card in team.pile]
        out += ["<ul>"] + [f"<li>{line}</li>" for line in piled] + ["</ul>"]
    else:
        out.append(f'<p class="empty">{t("pile_empty", lang)}</p>')
    return out


def _outside(cards: tuple[OutsideCard, ...], lang: Lang) -> list[str]:
    if not cards:
        return []
    items = [f"<li>{L.outside_line(o, lang, esc)}</li>" for o in cards]
    return [f"<h3>{t('outside_stages', lang)}</h3>", "<ul>", *items, "</ul>"]


def _name(card: RoadmapCard) -> str:
    code = f'<span class="code">{esc(card.code)}</span> ' if card.code else ""
    return code + esc(card.title)


_COLUMNS = ("col_rank", "col_title", "col_kind", "col_difficulty", "col_cost", "col_days", "col_gains", "col_impact")
_COLUMNS_TEAM = ("col_owner", "col_due", "col_notes")


def _stage(roadmap: Roadmap, number: int, stage: Stage, lang: Lang) -> list[str]:
    out = ['<section class="stage">', f"<h3>{t('stage', lang)} {number} · {esc(stage.label)}</h3>"]
    if not stage.cards:
        return [*out, f'<p class="empty">{t("empty_stage", lang)}</p>', "</section>"]
    out += ["<table>", "<thead><tr>" + "".join(f"<th>{t(c, lang)}</th>" for c in _COLUMNS + _COLUMNS_TEAM)]
    out.append("</tr></thead><tbody>")
    for rank, card in enumerate(stage.cards, start=1):
        notes = "<br>".join(_lines(n) for n in card.notes)
        if card.tags:
            notes = esc(", ".join(card.tags)) + (f"<br>{notes}" if notes else "")
        cells = [
            f'<td class="num">{rank}</td>',
            f"<td>{_name(card)}</td>",
            f"<td>{esc(L.kind(card.kind, lang))}</td>",
            f"<td>{esc(L.difficulty(card.difficulty, lang))}</td>",
            f'<td class="num">{esc(L.cost(card, lang))}</td>',
            f'<td class="num">{esc(L.duration(card, lang))}</td>',
            f"<td>{esc(L.gains(card.gains, lang))}</td>",
            f"<td>{esc(L.impact(card.impact, lang))}</td>",
            f"<td>{esc(card.owner or '')}</td>",
            f"<td>{esc(L.date_text(card.due_date, lang)) if card.due_date else ''}</td>",
            f"<td>{notes}</td>",
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += [
        "</tbody></table>",
        f'<p class="total">{t("stage_total", lang)} : {esc(L.totals_line(stage.totals, lang))}</p>',
    ]
    if stage.notes:
        out += ["<ul>"] + [f"<li>{_lines(n)}</li>" for n in stage.notes] + ["</ul>"]
    return [*out, "</section>"]


def _notes(notes: tuple[ZoneNotes, ...], lang: Lang) -> list[str]:
    if not notes:
        return []
    out = [f"<h3>{t('notes', lang)}</h3>"]
    for group in notes:
        out.append(f"<p><strong>{esc(group.zone) if group.zone else t('loose_notes', lang)}</strong></p>")
        out += ["<ul>"] + [f"<li>{_lines(n)}</li>" for n in group.notes] + ["</ul>"]
    return out


def _comparison(roadmap: Roadmap, lang: Lang) -> list[str]:
    assert roadmap.comparison is not None
    columns = ("col_team", "col_cards", "col_cost", "col_days", "col_formal", "col_informal", "col_themes")
    out = [f"<h2>{t('comparison', lang)}</h2>", "<table><thead><tr>"]
    out.append("".join(f"<th>{t(c, lang)}</th>" for c in columns) + "</tr></thead><tbody>")
    for row in roadmap.comparison.rows:
        cells = [
            esc(row.team_name),
            str(row.cards),
            esc(L.euros(row.cost_eur_min, row.cost_eur_max, lang)),
            esc(L.number(row.days, lang)),
            str(row.formal),
            str(row.informal),
            f"{row.themes_covered}/{len(roadmap.themes)}",
        ]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    common = ", ".join(roadmap.comparison.common_cards) or t("none", lang)
    sep = " :" if lang == "fr" else ":"
    out += ["</tbody></table>", f"<p><strong>{t('common', lang)}{sep}</strong> {esc(common)}</p>"]
    return out
