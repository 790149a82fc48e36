"""What items say on the board: card titles and descriptions, zone titles, escaped for Miro's HTML.

Miro keeps only a few tags per field (notes §2, "HTML allowed"): card titles ``p, a, br``;
card descriptions ``p, a, strong, b, em, i, u, ol, ul, li, br``; shapes, texts and sticky
notes a few more. Every text from a deck or a layout is escaped (``<``, ``>``, ``&``) so it
shows as typed. :func:`card_code_from_title` and :func:`zone_title` are the inverse and the
rule push and pull use to recognise gria-miro's items on a board. Pure functions.
"""

from __future__ import annotations

import html
import re
from typing import Any

from gria_miro.board import Team
from gria_miro.deck.model import Card
from gria_miro.deck.scales import (
    COST,
    DIFFICULTY,
    DURATION,
    GAIN_LABELS,
    IMPACT,
    KIND_LABELS,
    impact_sign,
)

#: Between a card's code and its title, and between a team's name and a zone's label.
SEPARATOR = " · "

_TAG = re.compile(r"<[^>]*>")
_CODE_AT_START = re.compile(r"^([A-Z]{2,6}-[0-9]{2,3})(?![0-9A-Za-z-])")


def escape(text: str) -> str:
    """``text`` as Miro's HTML fields show it as typed (quotes need no escaping in content)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain_text(html_text: str) -> str:
    """The text a person reads in an HTML field: tags removed, entities decoded, spaces collapsed."""
    with_breaks = re.sub(r"(?i)<br\s*/?>|</p>|</li>", " ", html_text)
    text = html.unescape(_TAG.sub("", with_breaks))
    return " ".join(text.replace("\u00a0", " ").split())


def paragraphs(text: str) -> str:
    """Plain text (blank line = new paragraph, newline = line break) as escaped ``<p>`` HTML."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return "".join("<p>" + "<br>".join(escape(line.strip()) for line in b.splitlines()) + "</p>" for b in blocks)


def card_title(card: Card) -> str:
    """``GOV-03 · Recenser les chartes IA existantes``, escaped for a card title."""
    return escape(f"{card.code}{SEPARATOR}{card.title}")


def card_code_from_title(title_html: str) -> str | None:
    """The card code a card title starts with (tags stripped, entities decoded), or None."""
    match = _CODE_AT_START.match(plain_text(title_html))
    return match.group(1) if match else None


def zone_title(team: Team | None, label: str) -> str:
    """A frame's title, its identity on the board: the label, prefixed by the team's name on multi-team boards.

    ``team`` is None for zones drawn once for the whole board and on single-team boards.
    """
    return label if team is None else f"{team.name}{SEPARATOR}{label}"


def french_number(value: float) -> str:
    """``2 000``, ``0,5``: French digit grouping (narrow no-break space) and decimal comma."""
    if isinstance(value, int) or value == int(value):
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")


def days_text(days: float) -> str:
    return f"{french_number(days)} jour{'s' if days >= 2 else ''}"


def cost_text(card: Card) -> str:
    level = COST.level(card.cost.level)
    return f"{level.fr} ({french_number(card.cost.eur_min)} à {french_number(card.cost.eur_max)} €)"


def duration_text(card: Card) -> str:
    return f"{DURATION.level(card.duration.level).fr} (environ {days_text(card.duration.days)} de travail)"


# Labels that do not depend on the card, escaped once (a 10,000-card deck must lay out fast).
_KIND_HTML = {kind: escape(labels[0]) for kind, labels in KIND_LABELS.items()}
_DIFFICULTY_HTML = {lv.value: f"{lv.value}/4 · {escape(lv.fr)}" for lv in DIFFICULTY.levels}
_COST_HTML = {lv.value: escape(lv.fr) for lv in COST.levels}
_DURATION_HTML = {lv.value: escape(lv.fr) for lv in DURATION.levels}
_IMPACT_HTML = {lv.value: escape(f"{impact_sign(lv.value)} · {lv.fr}") for lv in IMPACT.levels}
_GAIN_HTML = {gain: escape(labels[0]) for gain, labels in GAIN_LABELS.items()}


def card_description(card: Card) -> str:
    """The card's description and attributes, readable in French, with card-description tags only."""
    cost, duration, gains, impact = card.cost, card.duration, card.gains, card.impact
    rows = [
        f"<li><strong>Nature :</strong> {_KIND_HTML[card.kind]}</li>",
        f"<li><strong>Difficulté :</strong> {_DIFFICULTY_HTML[card.difficulty]}</li>",
        f"<li><strong>Coût :</strong> {_COST_HTML[cost.level]} "
        f"({french_number(cost.eur_min)} à {french_number(cost.eur_max)} €)</li>",
        f"<li><strong>Durée :</strong> {_DURATION_HTML[duration.level]} "
        f"(environ {days_text(duration.days)} de travail)</li>",
        f"<li><strong>Gains :</strong> {', '.join(_GAIN_HTML[g] for g in gains.categories)} : "
        f"{escape(gains.text)}</li>",
        f"<li><strong>Impact environnemental et social :</strong> {_IMPACT_HTML[impact.score]} : "
        f"{escape(impact.text)}</li>",
    ]
    if card.prerequisites:
        rows.append(f"<li><strong>Prérequis :</strong> {escape(', '.join(card.prerequisites))}</li>")
    return f"<p>{escape(card.description)}</p><ul>{''.join(rows)}</ul>"


def text_colour_on(fill: str) -> str:
    """Dark or white text, whichever reads better on the ``#rrggbb`` fill."""
    r, g, b = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#1a1a1a" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def _chip(value: str, fill: str, tooltip: str) -> dict[str, str]:
    return {"value": value, "fillColor": fill, "textColor": text_colour_on(fill), "tooltip": tooltip}


def app_card_fields(card: Card) -> list[dict[str, str]]:
    """The app card's chips: difficulty, cost, duration, impact and kind, coloured like the legend."""
    difficulty = DIFFICULTY.level(card.difficulty)
    cost = COST.level(card.cost.level)
    duration = DURATION.level(card.duration.level)
    impact = IMPACT.level(card.impact.score)
    kind_label, _, kind_colour = KIND_LABELS[card.kind]
    return [
        _chip(f"Difficulté {card.difficulty}/4", difficulty.colour, f"Difficulté : {difficulty.fr}"),
        _chip("€" * card.cost.level, cost.colour, f"Coût : {cost_text(card)}"),
        _chip(f"≈ {days_text(card.duration.days)}", duration.colour, f"Durée : {duration_text(card)}"),
        _chip(f"Impact {impact_sign(card.impact.score)}", impact.colour, f"Impact : {impact.fr}"),
        _chip(kind_label, kind_colour, "Nature de l'action"),
    ]


def card_content(card: Card, colour: str, item_type: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(data, style)`` of a GR:IA card as a Miro ``card`` or ``app_card`` request; ``colour``: its theme's."""
    data: dict[str, Any] = {"title": card_title(card), "description": card_description(card)}
    if item_type == "app_card":
        data["fields"] = app_card_fields(card)
        return data, {"fillColor": colour}
    return data, {"cardTheme": colour}
