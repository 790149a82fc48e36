"""What items say on the board: card titles and descriptions, zone titles, escaped for Miro's HTML.

Miro keeps only a few tags per field (notes §2, "HTML allowed"): card titles ``p, a, br``;
card descriptions ``p, a, strong, b, em, i, u, ol, ul, li, br``; shapes, texts and sticky
notes a few more. Every text from a deck or a layout is escaped (``<``, ``>``, ``&``) so it
shows as typed. :func:`card_code_from_title` and :func:`zone_title` are the inverse and the
rule push and pull use to recognise gria-miro's items on a board. Pure functions.
"""

from __future__ import annotations

import functools
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
    IMPACT_ON_LABELS,
    KIND_LABELS,
    ImpactOn,
)
from gria_miro.formatting import number
from gria_miro.typography import french

#: Between a card's code and its title, and between a team's name and a zone's label.
SEPARATOR = " · "

_TAG = re.compile(r"<[^>]*>")
_CODE_AT_START = re.compile(r"^([A-Z]{2,6}-[0-9]{2,3})(?![0-9A-Za-z-])")


def escape(text: str) -> str:
    """``text`` as Miro's HTML fields show it as typed (quotes need no escaping in content)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shown(text: str) -> str:
    """Text a person reads on the board: French typography, then escaped for Miro's HTML."""
    return escape(french(text))


#: Where a line ends in Miro's HTML: the text on each side must not be glued together.
_LINE_END = re.compile(r"(?i)<br\s*/?>|</p>|</li>")


@functools.lru_cache(maxsize=16384)
def plain_text(html_text: str) -> str:
    """The text a person reads in an HTML field: tags removed, entities decoded, spaces collapsed.

    Remembered: planning a 10-team board asks for the same few thousand texts several times (seals,
    fingerprints, card codes), and each answer is a function of the text alone."""
    with_breaks = _LINE_END.sub(" ", html_text)
    text = html.unescape(_TAG.sub("", with_breaks))
    return " ".join(text.replace("\u00a0", " ").split())


def paragraphs(text: str) -> str:
    """Plain text (blank line = new paragraph, newline = line break) as ``<p>`` HTML, with French typography."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return "".join("<p>" + "<br>".join(shown(line.strip()) for line in b.splitlines()) + "</p>" for b in blocks)


def card_title(card: Card) -> str:
    """``GOV-03 · Recenser les chartes IA existantes`` and, below, the card's scales at a glance."""
    return f"<p>{shown(f'{card.code}{SEPARATOR}{card.title}')}</p><p>{escape(glance_text(card))}</p>"


def card_code_from_title(title_html: str) -> str | None:
    """The card code a card title starts with (tags stripped, entities decoded), or None."""
    match = _CODE_AT_START.match(plain_text(title_html))
    return match.group(1) if match else None


def zone_title(team: Team | None, label: str) -> str:
    """A frame's title, its identity on the board: the label, prefixed by the team's name on multi-team boards.

    ``team`` is None for zones drawn once for the whole board and on single-team boards.
    """
    return french(label if team is None else f"{team.name}{SEPARATOR}{label}")


def days_text(days: float) -> str:
    """``3 jours-personne``: a workload estimate with its unit."""
    assert DURATION.unit is not None
    return DURATION.unit.of(days)


def short_days(days: float) -> str:
    """``3 j``: a workload on a card's glance line (the legend says these are person-days)."""
    return f"{number(days, 'fr')}\u00a0j"


def cost_text(card: Card) -> str:
    """``€€ (800 à 4 000 €)``, ``€ (gratuit)``: the cost level and its estimate, one phrase."""
    return f"{COST.show(card.cost.level)} ({COST.estimate_fr(card.cost.eur_min, card.cost.eur_max)})"


def duration_text(card: Card) -> str:
    """``Quelques jours (environ 3 jours-personne)``."""
    return f"{DURATION.level(card.duration.level).fr} (environ {days_text(card.duration.days)})"


def impact_dimension(card: Card) -> str:
    """``surtout humain``, or empty when the card does not say what its score weighs."""
    dimension = card.impact.dimension
    return IMPACT_ON_LABELS[dimension][0] if dimension is not None else ""


def impact_text(card: Card) -> str:
    """``+1 · Plutôt positif (surtout humain)``."""
    score = card.impact.score
    dimension = impact_dimension(card)
    return f"{IMPACT.show(score)} · {IMPACT.level(score).fr}" + (f" ({dimension})" if dimension else "")


def gains_text(card: Card) -> str:
    return ", ".join(GAIN_LABELS[g][0] for g in card.gains.categories)


#: How the dominant dimension of an impact reads on the glance line (short: a card is 320 wide).
_GLANCE_DIMENSION = {ImpactOn.ENVIRONMENT: "planète", ImpactOn.PEOPLE: "humain", ImpactOn.BOTH: "planète + humain"}


def glance_text(card: Card) -> str:
    """The scales on one short line under the title: ``Diff. 2/4 · €€ · 3 j · impact +1 humain``."""
    dimension = card.impact.dimension
    impact = f"impact {IMPACT.show(card.impact.score)}"
    if dimension is not None:
        impact += f" {_GLANCE_DIMENSION[dimension]}"
    parts = (
        f"Diff. {DIFFICULTY.show(card.difficulty)}",
        COST.show(card.cost.level),
        short_days(card.duration.days),
        impact,
    )
    return SEPARATOR.join(parts)


# Labels that do not depend on the card, shown once (a 10,000-card deck must lay out fast).
_KIND_HTML = {kind: shown(labels[0]) for kind, labels in KIND_LABELS.items()}
_DIFFICULTY_HTML = {lv.value: shown(f"{DIFFICULTY.show(lv.value)} · {lv.fr}") for lv in DIFFICULTY.levels}
_GAIN_HTML = {gain: shown(labels[0]) for gain, labels in GAIN_LABELS.items()}
_LABEL_HTML = {
    name: f"<strong>{shown(name + ' :')}</strong>"
    for name in ("Nature", "Difficulté", "Coût", DURATION.fr, "Gains", "Impact", "Prérequis", "Ressources")
}


def resource_links(card: Card) -> str:
    """The card's references as links (title, address kept as is)."""
    return ", ".join(
        f'<a href="{escape(r.url).replace(chr(34), "&quot;")}">{shown(r.title)}</a>' for r in card.ressources
    )


def card_description(card: Card) -> str:
    """The card's description and attributes, readable in French, with card-description tags only.

    One colon per line: the label's. Gains and impact say their categories and level before a dash.
    """
    gains, impact = card.gains, card.impact
    label = _LABEL_HTML
    gain_names = ", ".join(_GAIN_HTML[g] for g in gains.categories)
    rows = [
        f"<li>{label['Nature']} {_KIND_HTML[card.kind]}</li>",
        f"<li>{label['Difficulté']} {_DIFFICULTY_HTML[card.difficulty]}</li>",
        f"<li>{label['Coût']} {shown(cost_text(card))}</li>",
        f"<li>{label[DURATION.fr]} {shown(duration_text(card))}</li>",
        f"<li>{label['Gains']} {gain_names} — {shown(gains.text)}</li>",
        f"<li>{label['Impact']} {shown(impact_text(card))} — {shown(impact.text)}</li>",
    ]
    if card.prerequisites:
        rows.append(f"<li>{label['Prérequis']} {escape(', '.join(card.prerequisites))}</li>")
    if card.ressources:
        rows.append(f"<li>{label['Ressources']} {resource_links(card)}</li>")
    return f"<p>{shown(card.description)}</p><ul>{''.join(rows)}</ul>"


def text_colour_on(fill: str) -> str:
    """Dark or white text, whichever reads better on the ``#rrggbb`` fill."""
    r, g, b = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return "#1a1a1a" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def _chip(value: str, fill: str, tooltip: str) -> dict[str, str]:
    return {"value": value, "fillColor": fill, "textColor": text_colour_on(fill), "tooltip": french(tooltip)}


def app_card_fields(card: Card) -> list[dict[str, str]]:
    """The app card's chips: difficulty, cost, workload, impact and kind, coloured like the legend."""
    difficulty = DIFFICULTY.level(card.difficulty)
    cost = COST.level(card.cost.level)
    duration = DURATION.level(card.duration.level)
    impact = IMPACT.level(card.impact.score)
    kind_label, _, kind_colour = KIND_LABELS[card.kind]
    return [
        _chip(f"Difficulté {DIFFICULTY.show(card.difficulty)}", difficulty.colour, f"Difficulté : {difficulty.fr}"),
        _chip(COST.show(card.cost.level), cost.colour, f"Coût : {cost_text(card)}"),
        _chip(f"≈ {short_days(card.duration.days)}", duration.colour, f"{DURATION.fr} : {duration_text(card)}"),
        _chip(f"Impact {IMPACT.show(card.impact.score)}", impact.colour, f"Impact : {impact_text(card)}"),
        _chip(kind_label, kind_colour, "Nature de l'action"),
    ]


def card_content(card: Card, colour: str, item_type: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(data, style)`` of a GR:IA card as a Miro ``card`` or ``app_card`` request; ``colour``: its theme's."""
    data: dict[str, Any] = {"title": card_title(card), "description": card_description(card)}
    if item_type == "app_card":
        data["fields"] = app_card_fields(card)
        return data, {"fillColor": colour}
    return data, {"cardTheme": colour}
