"""Words of the roadmap in French and English: headings, scale labels, numbers, dates and warnings.

Scale and gain labels come from :mod:`gria_miro.deck.scales`, so the roadmap says what the
cards and the legend say. Pure functions; user text is returned as is (each renderer escapes).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

from gria_miro import formatting
from gria_miro.deck.scales import DIFFICULTY, GAIN_LABELS, IMPACT, KIND_LABELS, Gain, Kind
from gria_miro.i18n import WORDS
from gria_miro.pull.roadmap import CardPlace, OutsideCard, Roadmap, RoadmapCard, RoadmapWarning, Totals, WarningKind

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")

#: Every fixed text of the roadmap: key → (French, English), in the one table shared with the plan.
TEXT = WORDS


def t(key: str, lang: Lang) -> str:
    french, english = TEXT[key]
    return french if lang == "fr" else english


def number(value: float, lang: Lang) -> str:
    """``1 200`` / ``0,5`` in French (narrow no-break space, decimal comma); ``1,200`` / ``0.5`` in English."""
    return formatting.number(value, lang, decimals=2)


def euros(low: int, high: int, lang: Lang) -> str:
    if low == high:
        return f"{number(low, lang)} €"
    return (
        f"{number(low, lang)} à {number(high, lang)} €"
        if lang == "fr"
        else f"€{number(low, lang)}–{number(high, lang)}"
    )


def days(value: float, lang: Lang) -> str:
    if lang == "fr":
        return f"{number(value, lang)} jour{'s' if value >= 2 else ''}"
    return f"{number(value, lang)} day{'' if value == 1 else 's'}"


def date_text(iso: str, lang: Lang) -> str:
    """``2025-03-14`` → ``14/03/2025`` in French; ISO in English."""
    parts = iso.split("-")
    if lang == "fr" and len(parts) == 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    return iso


def kind(value: Kind | None, lang: Lang) -> str:
    if value is None:
        return ""
    french, english, _ = KIND_LABELS[value]
    return french if lang == "fr" else english


def difficulty(value: int | None, lang: Lang) -> str:
    if value is None:
        return ""
    level = DIFFICULTY.level(value)
    return f"{value}/4 · {level.fr if lang == 'fr' else level.en}"


def cost(card: RoadmapCard, lang: Lang) -> str:
    if card.cost_eur_min is None or card.cost_eur_max is None:
        return ""
    return euros(card.cost_eur_min, card.cost_eur_max, lang)


def duration(card: RoadmapCard, lang: Lang) -> str:
    return days(card.days, lang) if card.days is not None else ""


def impact(value: int | None, lang: Lang) -> str:
    if value is None:
        return ""
    sign = f"+{value}" if value > 0 else str(value)
    level = IMPACT.level(value)
    return f"{sign} · {level.fr if lang == 'fr' else level.en}"


def gains(values: tuple[Gain, ...], lang: Lang) -> str:
    return ", ".join(GAIN_LABELS[g][0 if lang == "fr" else 1] for g in values)


def theme(roadmap: Roadmap, theme_id: str | None) -> str:
    if theme_id is None:
        return ""
    return next((th.label for th in roadmap.themes if th.id == theme_id), theme_id)


def themes(roadmap: Roadmap, ids: tuple[str, ...], lang: Lang) -> str:
    return ", ".join(theme(roadmap, i) for i in ids) if ids else t("none", lang)


def difficulty_profile(totals: Totals, lang: Lang) -> str:
    """``Balade (facile) : 2 · Randonnée (moyenne) : 1``; levels with no card are left out."""
    parts = []
    for value, count in zip(DIFFICULTY.values, totals.difficulty, strict=True):
        if count:
            level = DIFFICULTY.level(value)
            parts.append(f"{level.fr} : {count}" if lang == "fr" else f"{level.en}: {count}")
    return " · ".join(parts) if parts else t("none", lang)


def balance(totals: Totals, lang: Lang) -> str:
    if lang == "fr":
        formal = f"{totals.formal} formelle{'s' if totals.formal > 1 else ''}"
        return f"{formal} / {totals.informal} informelle{'s' if totals.informal > 1 else ''}"
    return f"{totals.formal} formal / {totals.informal} informal"


def cards_count(count: int, lang: Lang) -> str:
    if lang == "fr":
        return f"{count} carte{'s' if count > 1 else ''}"
    return f"{count} card{'' if count == 1 else 's'}"


def totals_line(totals: Totals, lang: Lang) -> str:
    """One line: cards, cost range, days of work, formal/informal."""
    parts = [
        cards_count(totals.cards, lang),
        euros(totals.cost_eur_min, totals.cost_eur_max, lang),
        days(totals.days, lang) + (" de travail" if lang == "fr" else " of work"),
        balance(totals, lang),
    ]
    return " · ".join(parts)


def gantt_days(card: RoadmapCard) -> int:
    """Whole days a card takes on the indicative schedule (at least one)."""
    return max(1, math.ceil(card.days or 1))


def warning(w: RoadmapWarning, lang: Lang, esc: Callable[[str], str] = str) -> str:
    """A warning as a sentence; ``esc`` escapes the user text inside (card, stage and zone names)."""
    card, other, stage = esc(w.card or ""), esc(w.other or ""), esc(w.stage or "")
    names = [esc(z) for z in w.zones]
    zones = " et ".join(f"« {z} »" for z in names) if lang == "fr" else " and ".join(f"“{z}”" for z in names)
    fr = lang == "fr"
    match w.kind:
        case WarningKind.PREREQUISITE_MISSING:
            if fr:
                return f"{card} (« {stage} ») s'appuie sur {other}, qui n'est placée dans aucune étape."
            return f"{card} (“{stage}”) builds on {other}, which is in no stage."
        case WarningKind.PREREQUISITE_LATER:
            if fr:
                return f"{card} s'appuie sur {other}, placée plus tard (« {stage} »)."
            return f"{card} builds on {other}, placed in a later stage (“{stage}”)."
        case WarningKind.CARD_STRADDLING:
            if len(w.zones) == 1:
                if fr:
                    return f"{card} est à cheval sur le bord de {zones} : placez-la dans la zone."
                return f"{card} lies across the edge of {zones}: move it into the zone."
            if fr:
                return f"{card} est à cheval sur {zones} : placez-la dans une seule zone."
            return f"{card} lies across {zones}: move it into one zone."
        case WarningKind.CARD_OUTSIDE:
            return f"{card} est hors de toute zone." if fr else f"{card} is outside every zone."
        case WarningKind.CARD_ELSEWHERE:
            if fr:
                return f"{card} est posée dans « {stage} », qui n'est pas une étape."
            return f"{card} sits in “{stage}”, which is not a stage."
        case WarningKind.DUPLICATE_CARD:
            if fr:
                return f"{card} apparaît plusieurs fois (encore dans « {stage} »)."
            return f"{card} appears more than once (again in “{stage}”)."
        case WarningKind.STAGE_EMPTY:
            return f"L'étape « {stage} » est vide." if fr else f"Stage “{stage}” is empty."
        case WarningKind.ZONE_MISSING:
            if fr:
                return f"La zone « {stage} » est introuvable sur le tableau (supprimée ou renommée ?)."
            return f"Zone “{stage}” is not on the board (deleted or renamed?)."
        case WarningKind.CARD_MISSING:
            if fr:
                return f"La carte {card} est introuvable sur le tableau (supprimée ?)."
            return f"Card {card} is not on the board (deleted?)."
    return w.kind.value  # pragma: no cover - every kind is handled above


def outside_place(o: OutsideCard, lang: Lang, esc: Callable[[str], str] = str) -> str:
    """Where a card outside the stages lies and why it is not counted, as a phrase."""
    fr = lang == "fr"
    names = [esc(z) for z in o.zones]
    match o.place:
        case CardPlace.ZONE:
            zone = esc(o.zone or "")
            return f"dans « {zone} », qui n'est pas une étape" if fr else f"in “{zone}”, which is not a stage"
        case CardPlace.STRADDLING:
            zones = " et ".join(f"« {z} »" for z in names) if fr else " and ".join(f"“{z}”" for z in names)
            return f"à cheval sur {zones}" if fr else f"across {zones}"
    return "hors de toute zone" if fr else "outside every zone"


def card_extras(card: RoadmapCard, lang: Lang, esc: Callable[[str], str] = str) -> list[str]:
    """What the team attached to a card, as phrases: owner, due date, notes."""
    fr = lang == "fr"
    parts = []
    if card.owner:
        parts.append(("responsable : " if fr else "owner: ") + esc(card.owner))
    if card.due_date:
        parts.append(("échéance : " if fr else "due: ") + date_text(esc(card.due_date), lang))
    if card.notes:
        parts.append(("notes : " if fr else "notes: ") + " / ".join(esc(" ".join(n.split())) for n in card.notes))
    return parts


def outside_line(o: OutsideCard, lang: Lang, esc: Callable[[str], str] = str) -> str:
    """One card outside the stages: code, title, where it lies, owner, due date and notes."""
    card = o.card
    head = (f"{esc(card.code)} " if card.code else "") + esc(card.title)
    return " — ".join([head, outside_place(o, lang, esc), *card_extras(card, lang, esc)])
