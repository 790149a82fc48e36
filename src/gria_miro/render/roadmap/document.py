"""The roadmap as a sequence of document blocks, the one plan that the PDF, ODT and DOCX writers follow.

Pure. :func:`blocks` decides what an institution's document says and in which order: a title
block, then per team the Bilan first, the stages (a table of five columns that fits A4 portrait,
each card's details in a block under it), the cordée as two lists (participants, roles), an
indicative timeline (a picture), points to check, notes, and the cards left in the pile as a
compact annex grouped by theme. Writers turn each block into their format and nothing else, so
the three documents always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from gria_miro.pull.roadmap import OutsideCard, Person, Roadmap, RoadmapCard, Stage, TeamRoadmap, ZoneNotes
from gria_miro.render.roadmap import labels as L
from gria_miro.render.roadmap.labels import Lang, t
from gria_miro.render.roadmap.timeline import Timeline, caption, timeline


@dataclass(frozen=True)
class Heading:
    level: int  # 1 title, 2 team or part, 3 section
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    style: str = "normal"  # normal, muted, warning, caption
    label: str | None = None  # a bold lead-in ("Coût estimé :")


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    style: str = "normal"


@dataclass(frozen=True)
class Fields:
    """Label/value pairs shown as a small two-column table (the title block, the Bilan)."""

    rows: tuple[tuple[str, str], ...]
    style: str = "normal"  # normal, title


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # fractions of the text width, summing to 1
    numeric: tuple[bool, ...] = ()  # right-aligned columns


@dataclass(frozen=True)
class CardDetail:
    """One card under its stage's table: its name, then label/value lines (only those with a value)."""

    title: str
    lines: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Picture:
    data: Timeline
    caption: str


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Para | Bullets | Fields | Table | CardDetail | Picture | PageBreak


STAGE_COLUMNS = ("col_rank", "col_title", "col_difficulty", "col_cost", "col_days")
STAGE_WIDTHS = (0.07, 0.47, 0.16, 0.17, 0.13)


def card_name(card: RoadmapCard) -> str:
    return f"{card.code} · {card.title}" if card.code else card.title


def title_block(roadmap: Roadmap, lang: Lang) -> Fields:
    """Institution, session, date, facilitator (those given), then the board, deck and layout as shown."""
    info = roadmap.session
    rows: list[tuple[str, str]] = []
    if info.institution:
        rows.append((t("institution", lang), info.institution))
    if info.session:
        rows.append((t("session", lang), info.session))
    rows.append((t("date", lang), L.date_text(info.date or roadmap.date, lang)))
    if info.facilitator:
        rows.append((t("facilitator", lang), info.facilitator))
    rows.append((t("board", lang), roadmap.board.name or roadmap.board.id))
    rows.append((t("deck", lang), roadmap.deck_title))
    rows.append((t("layout", lang), layout_label(roadmap)))
    if info.date and info.date != roadmap.date:
        rows.append((t("pulled_on", lang), L.date_text(roadmap.date, lang)))
    return Fields(tuple(rows), "title")


def layout_label(roadmap: Roadmap) -> str:
    """The layout as the board names it (its title), not its file id."""
    return roadmap.layout_title or roadmap.layout_name


def summary(roadmap: Roadmap, team: TeamRoadmap, lang: Lang) -> Fields:
    totals = team.totals
    rows = [
        (t("chosen", lang), L.cards_count(totals.cards, lang)),
        (t("cost", lang), L.euros(totals.cost_eur_min, totals.cost_eur_max, lang)),
        (t("work", lang), L.days(totals.days, lang)),
        (t("difficulty_profile", lang), L.difficulty_profile(totals, lang)),
        (t("balance", lang), L.balance(totals, lang)),
        (t("themes_covered", lang), L.themes(roadmap, totals.themes, lang)),
        (t("themes_missing", lang), L.themes(roadmap, team.themes_not_covered, lang)),
    ]
    if totals.not_from_deck:
        rows.append(("", f"{totals.not_from_deck} {t('not_from_deck', lang)}"))
    return Fields(tuple(rows))


def stage_table(stage: Stage, lang: Lang) -> Table:
    rows = tuple(
        (
            str(rank),
            card_name(card),
            L.difficulty(card.difficulty, lang),
            L.cost(card, lang),
            L.duration(card, lang),
        )
        for rank, card in enumerate(stage.cards, start=1)
    )
    return Table(tuple(t(c, lang) for c in STAGE_COLUMNS), rows, STAGE_WIDTHS, (True, False, False, True, True))


def card_detail(rank: int, card: RoadmapCard, lang: Lang) -> CardDetail:
    lines: list[tuple[str, str]] = []
    if card.description:
        lines.append((t("col_description", lang), card.description))
    if card.kind is not None:
        lines.append((t("col_kind", lang), L.kind(card.kind, lang)))
    if card.gains or card.gains_text:
        gains = L.gains(card.gains, lang)
        lines.append((t("col_gains", lang), f"{gains} — {card.gains_text}" if card.gains_text else gains))
    if card.impact is not None:
        impact = L.impact(card.impact, lang)
        lines.append((t("col_impact", lang), f"{impact} · {card.impact_text}" if card.impact_text else impact))
    if card.prerequisites:
        lines.append((t("prerequisites", lang), ", ".join(card.prerequisites)))
    lines.append((t("col_owner", lang), card.owner or t("to_define", lang)))
    lines.append((t("col_due", lang), L.date_text(card.due_date, lang) if card.due_date else t("to_define", lang)))
    if card.tags:
        lines.append((t("col_tags", lang), ", ".join(card.tags)))
    for note in card.notes:
        lines.append((t("col_notes", lang), " ".join(note.split())))
    for ref in card.ressources:
        lines.append((t("resources", lang), f"{ref.title} — {ref.url}"))
    return CardDetail(card_name(card), tuple(lines))


def cordee(people: tuple[Person, ...], lang: Lang) -> list[Block]:
    """Two lists: who comes (every name once) and who carries what (the roles written)."""
    names = list(dict.fromkeys(" ".join(p.name.split()) for p in people))
    roles = [f"{' '.join(p.role.split())} — {' '.join(p.name.split())}" for p in people if p.role]
    out: list[Block] = [Heading(3, t("cordee", lang))]
    if not people:
        return [*out, Para(t("nobody", lang), "muted")]
    out.append(Para(t("participants", lang) + (" :" if lang == "fr" else ":"), "label"))
    out.append(Bullets(tuple(names)))
    out.append(Para(t("roles", lang) + (" :" if lang == "fr" else ":"), "label"))
    out.append(Bullets(tuple(roles)) if roles else Para(t("no_role", lang), "muted"))
    return out


def notes(groups: tuple[ZoneNotes, ...], lang: Lang) -> list[Block]:
    if not groups:
        return []
    out: list[Block] = [Heading(3, t("notes", lang))]
    for group in groups:
        out.append(Para(group.zone or t("loose_notes", lang), "label"))
        out.append(Bullets(tuple(" ".join(n.split()) for n in group.notes)))
    return out


def annex(roadmap: Roadmap, pile: tuple[RoadmapCard, ...], lang: Lang) -> list[Block]:
    """The cards left in the pile, grouped by theme in deck order, one compact line per theme."""
    out: list[Block] = [Heading(3, t("pile", lang))]
    if not pile:
        return [*out, Para(t("pile_empty", lang), "muted")]
    order = {th.id: i for i, th in enumerate(roadmap.themes)}
    groups: dict[str | None, list[RoadmapCard]] = {}
    for card in sorted(pile, key=lambda c: (order.get(c.theme or "", len(order)), c.code or c.title)):
        groups.setdefault(card.theme, []).append(card)
    rows = tuple(
        (L.theme(roadmap, theme) or t("other_cards", lang), "; ".join(_annexed(c, lang) for c in cards))
        for theme, cards in groups.items()
    )
    out.append(Fields(rows, "annex"))
    return out


def team_blocks(roadmap: Roadmap, team: TeamRoadmap, lang: Lang, heading: str | None) -> list[Block]:
    out: list[Block] = []
    if heading:
        out.append(Heading(2, heading))
    out += [Heading(3, t("summary", lang)), summary(roadmap, team, lang)]
    for number, stage in enumerate(team.stages, start=1):
        out.append(Heading(3, f"{t('stage', lang)} {number} · {stage.label}"))
        if not stage.cards:
            out.append(Para(t("empty_stage", lang), "muted"))
            continue
        out.append(stage_table(stage, lang))
        out.append(Para(L.totals_line(stage.totals, lang), "normal", t("stage_total", lang)))
        out += [card_detail(rank, card, lang) for rank, card in enumerate(stage.cards, start=1)]
        if stage.notes:
            out.append(Para(t("stage_notes", lang), "label"))
            out.append(Bullets(tuple(" ".join(n.split()) for n in stage.notes)))
    if team.renounced:
        out.append(Heading(3, t("renounced", lang)))
        out.append(Para(t("renounced_intro", lang), "muted"))
        out.append(Bullets(tuple(_with_notes(card) for card in team.renounced)))
    out += cordee(team.participants, lang)
    data = timeline(team)
    if data.stages:
        out += [Heading(3, t("gantt", lang)), Picture(data, caption(data, lang))]
    out.append(Heading(3, t("warnings", lang)))
    if team.warnings:
        out.append(Bullets(tuple(L.warning(w, lang) for w in team.warnings), "warning"))
    else:
        out.append(Para(t("no_warning", lang), "muted"))
    out += notes(team.notes, lang)
    out += outside(team.outside_stages, lang)
    out += annex(roadmap, team.pile, lang)
    return out


def _with_notes(card: RoadmapCard) -> str:
    """A card's name followed by the notes the team left beside it (a reason, an owner…)."""
    notes = " / ".join(" ".join(n.split()) for n in card.notes)
    return f"{card_name(card)} — {notes}" if notes else card_name(card)


def _annexed(card: RoadmapCard, lang: Lang) -> str:
    """A card of the annex, with what the team attached to it in the pile (owner, date, notes), if anything."""
    extras = L.card_extras(card, lang)
    return f"{card_name(card)} ({', '.join(extras)})" if extras else card_name(card)


def outside(cards: tuple[OutsideCard, ...], lang: Lang) -> list[Block]:
    """Every card in no stage and not in the pile: where it lies, why it is not counted, owner, date, notes."""
    if not cards:
        return []
    return [Heading(3, t("outside_stages", lang)), Bullets(tuple(L.outside_line(o, lang) for o in cards))]


def team_heading(roadmap: Roadmap, team: TeamRoadmap, lang: Lang) -> str | None:
    """No heading for the only team of a board; else its name, prefixed with "Équipe" only when the name
    does not already say it (no "Équipe · Équipe A")."""
    if len(roadmap.teams) == 1:
        return None
    word = t("team", lang)
    return team.team_name if team.team_name.lower().startswith(word.lower()) else f"{word} · {team.team_name}"


def blocks(roadmap: Roadmap, lang: Lang) -> list[Block]:
    out: list[Block] = [
        Heading(1, f"{t('roadmap', lang)} · {roadmap.title}"),
        title_block(roadmap, lang),
    ]
    if roadmap.comparison is not None:
        out.append(Heading(2, t("comparison", lang)))
        columns = ("col_team", "col_cards", "col_cost", "col_days", "col_themes")
        rows = tuple(
            (
                r.team_name,
                str(r.cards),
                L.euros(r.cost_eur_min, r.cost_eur_max, lang),
                L.number(r.days, lang),
                f"{r.themes_covered}/{len(roadmap.themes)}",
            )
            for r in roadmap.comparison.rows
        )
        out.append(
            Table(
                tuple(t(c, lang) for c in columns), rows, (0.3, 0.12, 0.3, 0.13, 0.15), (False, True, True, True, True)
            )
        )
        common = ", ".join(roadmap.comparison.common_cards) or t("none", lang)
        out.append(Para(common, "normal", t("common", lang)))
    for index, team in enumerate(roadmap.teams):
        if index:
            out.append(PageBreak())
        out += team_blocks(roadmap, team, lang, team_heading(roadmap, team, lang))
    if roadmap.participants or roadmap.notes or roadmap.outside_stages:
        out.append(Heading(2, t("board_wide", lang)))
        if roadmap.participants:
            out += cordee(roadmap.participants, lang)
        out += notes(roadmap.notes, lang)
        out += outside(roadmap.outside_stages, lang)
    return out


def prose(text: str, lang: Lang) -> str:
    """Text as a French reader expects it (no-break spaces before : ; ! ?, typographic apostrophe)."""
    from gria_miro.typography import french

    return french(text) if lang == "fr" else text


def colon(lang: Lang) -> str:
    """The colon after a label: with a no-break space before it in French."""
    return "\u00a0:" if lang == "fr" else ":"
