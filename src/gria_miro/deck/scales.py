"""The one documented definition of every GR:IA scale, with French and English labels.

The card model, the JSON Schema, the deck file's header comment, the board legend and
the roadmap all read their labels, colours and bands from here, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Level:
    """One step of an ordinal scale."""

    value: int
    fr: str
    en: str
    colour: str
    #: For cost (euros) and duration (days of work): the band an estimate of this level falls in.
    low: float | None = None
    high: float | None = None  # None = no upper bound

    def band_fr(self, unit: str) -> str:
        if self.low is None:
            return ""
        if self.high is None:
            return f"plus de {_n(self.low)} {unit}"
        return f"{_n(self.low)} à {_n(self.high)} {unit}"


def _n(x: float) -> str:
    text = f"{x:,.1f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"
    return text.replace(",", "\u202f")


@dataclass(frozen=True)
class Scale:
    name: str
    fr: str
    en: str
    description_fr: str
    levels: tuple[Level, ...]

    def level(self, value: int) -> Level:
        for level in self.levels:
            if level.value == value:
                return level
        raise KeyError(value)

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(level.value for level in self.levels)


#: Difficulty, graded like the waymarked trails of a hike (from a stroll to high mountain).
DIFFICULTY = Scale(
    name="difficulty",
    fr="Difficulté",
    en="Difficulty",
    description_fr="Effort et savoir-faire nécessaires, gradués comme les sentiers d'une randonnée.",
    levels=(
        Level(1, "Balade (facile)", "Stroll (easy)", "#3f9c35"),
        Level(2, "Randonnée (moyenne)", "Hike (moderate)", "#2d7dd2"),
        Level(3, "Sentier sportif (difficile)", "Demanding trail (hard)", "#d7263d"),
        Level(4, "Haute montagne (très difficile)", "High mountain (very hard)", "#1b1b1e"),
    ),
)

#: Cost, with the band (in euros, all-inclusive estimate) each level covers.
COST = Scale(
    name="cost",
    fr="Coût",
    en="Cost",
    description_fr="Coût estimé en euros (prestations, licences, matériel), hors temps des équipes.",
    levels=(
        Level(1, "€ : gratuit ou presque", "€: free or nearly", "#e8f5e9", 0, 500),
        Level(2, "€€ : modeste", "€€: modest", "#c8e6c9", 500, 5000),
        Level(3, "€€€ : important", "€€€: significant", "#81c784", 5000, 30000),
        Level(4, "€€€€ : très important", "€€€€: major", "#388e3c", 30000, None),
    ),
)

#: Duration, as days of work for the team (effort, not calendar time).
DURATION = Scale(
    name="duration",
    fr="Durée",
    en="Duration",
    description_fr="Temps de travail estimé pour l'équipe, en jours (effort, pas délai calendaire).",
    levels=(
        Level(1, "Quelques heures", "A few hours", "#fff3e0", 0, 1),
        Level(2, "Quelques jours", "A few days", "#ffe0b2", 1, 5),
        Level(3, "Quelques semaines", "A few weeks", "#ffb74d", 5, 20),
        Level(4, "Plusieurs mois", "Several months", "#f57c00", 20, None),
    ),
)

#: Environmental and social impact, signed: negative is a cost to the planet or to people.
IMPACT = Scale(
    name="impact",
    fr="Impact environnemental et social",
    en="Environmental and social impact",
    description_fr=(
        "Effet de l'action sur l'environnement et sur les personnes, de -2 (fortement négatif) "
        "à +2 (fortement positif)."
    ),
    levels=(
        Level(-2, "Fortement négatif", "Strongly negative", "#b71c1c"),
        Level(-1, "Plutôt négatif", "Rather negative", "#ef9a9a"),
        Level(0, "Neutre", "Neutral", "#e0e0e0"),
        Level(1, "Plutôt positif", "Rather positive", "#a5d6a7"),
        Level(2, "Fortement positif", "Strongly positive", "#1b5e20"),
    ),
)

SCALES: tuple[Scale, ...] = (DIFFICULTY, COST, DURATION, IMPACT)


class Kind(StrEnum):
    """Formal actions change rules and tools; informal ones change habits and understanding."""

    FORMAL = "formelle"
    INFORMAL = "informelle"


KIND_LABELS: dict[Kind, tuple[str, str, str]] = {
    # kind: (French label, English label, colour)
    Kind.FORMAL: ("Action formelle", "Formal action", "#37474f"),
    Kind.INFORMAL: ("Action informelle", "Informal action", "#8e24aa"),
}


class Gain(StrEnum):
    """What an institution can expect from an action."""

    TIME = "temps"
    SKILLS = "competences"
    QUALITY = "qualite"
    SOBRIETY = "sobriete"
    TRANSPARENCY = "transparence"
    COHESION = "cohesion"
    COMPLIANCE = "conformite"
    SOVEREIGNTY = "souverainete"


GAIN_LABELS: dict[Gain, tuple[str, str]] = {
    Gain.TIME: ("Temps", "Time"),
    Gain.SKILLS: ("Compétences", "Skills"),
    Gain.QUALITY: ("Qualité", "Quality"),
    Gain.SOBRIETY: ("Sobriété", "Sobriety"),
    Gain.TRANSPARENCY: ("Transparence", "Transparency"),
    Gain.COHESION: ("Cohésion d'équipe", "Team cohesion"),
    Gain.COMPLIANCE: ("Conformité", "Compliance"),
    Gain.SOVEREIGNTY: ("Autonomie et souveraineté", "Autonomy and sovereignty"),
}


def impact_sign(value: int) -> str:
    """``+2``, ``0``, ``-1``: how an impact score is written on a card."""
    return f"+{value}" if value > 0 else str(value)


def header_comment() -> str:
    """The scales as a YAML comment block; the shipped deck file starts with exactly this."""
    lines = ["# Échelles GR:IA (générées depuis gria_miro/deck/scales.py ; ne pas modifier à la main)"]
    for scale in SCALES:
        lines.append(f"# {scale.fr} ({scale.name}) — {scale.description_fr}")
        unit = "€" if scale is COST else "jours" if scale is DURATION else ""
        for level in scale.levels:
            band = f" [{level.band_fr(unit)}]" if level.low is not None else ""
            shown = impact_sign(level.value) if scale is IMPACT else str(level.value)
            lines.append(f"#   {shown} : {level.fr} / {level.en}{band}")
    lines.append("# Nature (kind) : " + ", ".join(f"{k.value} = {v[0]} / {v[1]}" for k, v in KIND_LABELS.items()))
    lines.append("# Gains (gains.categories) : " + ", ".join(f"{g.value} = {v[0]}" for g, v in GAIN_LABELS.items()))
    return "\n".join(lines) + "\n"
