"""The one documented definition of every GR:IA scale, with French and English labels.

The card model, the JSON Schema, the deck file's header comment, the board legend and
the roadmap all read their labels, colours and bands from here, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gria_miro.formatting import number


@dataclass(frozen=True)
class Level:
    """One step of an ordinal scale."""

    value: int
    fr: str
    en: str
    colour: str
    #: For cost (euros) and workload (person-days): the band an estimate of this level falls in.
    low: float | None = None
    high: float | None = None  # None = no upper bound


@dataclass(frozen=True)
class Unit:
    """What a scale's estimates count, in French: ``€``, or ``jour-personne`` / ``jours-personne``."""

    singular: str
    plural: str

    def of(self, amount: float) -> str:
        """``1 jour-personne``, ``0,5 jour-personne``, ``3 jours-personne``, ``2 000 €`` (French: plural from 2)."""
        return f"{number(amount, 'fr')} {self.singular if abs(amount) < 2 else self.plural}"


@dataclass(frozen=True)
class Scale:
    """A scale and everything needed to show it: its levels, the unit of its estimates, its sign."""

    name: str
    fr: str
    en: str
    description_fr: str
    levels: tuple[Level, ...]
    #: The unit of the estimate behind a level (cost: euros; workload: person-days); None: no estimate.
    unit: Unit | None = None
    #: Signed scales (impact) write ``+1``; the others write ``1``.
    signed: bool = False
    #: Shown after a level's number (``2/4``); empty for signed scales.
    out_of: str = ""
    #: A level written as this symbol repeated (cost: ``€€``) instead of its number.
    symbol: str = ""

    def level(self, value: int) -> Level:
        for level in self.levels:
            if level.value == value:
                return level
        raise KeyError(value)

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(level.value for level in self.levels)

    def show(self, value: int) -> str:
        """How a level reads at a glance: ``+2``, ``0``, ``-1`` (signed), ``€€`` (symbol), else ``3/4``."""
        if self.symbol:
            return self.symbol * value
        if self.signed:
            return f"+{value}" if value > 0 else str(value)
        return f"{value}{self.out_of}"

    def key_part(self, value: int) -> str:
        """A level in an item key (no sign characters): ``p1``, ``0``, ``m2`` on a signed scale, else ``3``."""
        if not self.signed or value == 0:
            return str(value)
        return ("p" if value > 0 else "m") + str(abs(value))

    def band_fr(self, value: int) -> str:
        """The estimates a level covers, in French: ``jusqu’à 500 €``, ``1 à 5 jours-personne``; empty without."""
        level = self.level(value)
        if self.unit is None or level.low is None:
            return ""
        if level.high is None:
            return f"plus de {self.unit.of(level.low)}"
        if level.low == 0:
            return f"jusqu’à {self.unit.of(level.high)}"
        return f"{number(level.low, 'fr')} à {self.unit.of(level.high)}"

    def estimate_fr(self, low: float, high: float) -> str:
        """An estimate in the scale's unit: ``gratuit``, ``environ 300 €``, ``jusqu’à 300 €``, ``800 à 4 000 €``."""
        assert self.unit is not None
        if high == 0:
            return "gratuit" if self.unit.singular == "€" else "aucune charge"
        if low == high:
            return f"environ {self.unit.of(high)}"
        if low == 0:
            return f"jusqu’à {self.unit.of(high)}"
        return f"{number(low, 'fr')} à {self.unit.of(high)}"

    def legend_fr(self, value: int) -> str:
        """A level as the legend shows it: ``+1 · Plutôt positif``, ``€€ · Modeste (500 à 5 000 €)``."""
        band = self.band_fr(value)
        return f"{self.show(value)} · {self.level(value).fr}" + (f" ({band})" if band else "")


# Colours: every ramp reads in greyscale and for the common colour-vision deficiencies
# (no red/green pair; ordinal scales get one hue from light to dark, impact diverges orange ↔ blue).

#: Difficulty, graded like the waymarked trails of a hike (from a stroll to high mountain): light to dark grey.
DIFFICULTY = Scale(
    name="difficulty",
    fr="Difficulté",
    en="Difficulty",
    description_fr="Effort et savoir-faire nécessaires, gradués comme les sentiers d'une randonnée.",
    levels=(
        Level(1, "Balade (facile)", "Stroll (easy)", "#e4e7eb"),
        Level(2, "Randonnée (moyenne)", "Hike (moderate)", "#9aa5b1"),
        Level(3, "Sentier sportif (difficile)", "Demanding trail (hard)", "#52606d"),
        Level(4, "Haute montagne (très difficile)", "High mountain (very hard)", "#1f2933"),
    ),
    out_of="/4",
)

#: Cost, with the band (in euros, all-inclusive estimate) each level covers: light yellow to dark brown.
COST = Scale(
    name="cost",
    fr="Coût",
    en="Cost",
    description_fr="Coût estimé en euros (prestations, licences, matériel), hors temps des équipes.",
    levels=(
        Level(1, "Gratuit ou presque", "Free or nearly", "#fff7bc", 0, 500),
        Level(2, "Modeste", "Modest", "#fec44f", 500, 5000),
        Level(3, "Important", "Significant", "#d95f0e", 5000, 30000),
        Level(4, "Très important", "Major", "#7f2704", 30000, None),
    ),
    unit=Unit("€", "€"),
    symbol="€",
)

#: Workload in person-days (effort summed over everyone involved, not calendar time): light to dark purple.
DURATION = Scale(
    name="duration",
    fr="Charge de travail",
    en="Workload",
    description_fr=(
        "Charge de travail estimée en jours-personne : les journées de toutes les personnes mobilisées, "
        "additionnées (pas le délai calendaire). Action récurrente : la charge d'une année."
    ),
    levels=(
        Level(1, "Quelques heures", "A few hours", "#efedf5", 0, 1),
        Level(2, "Quelques jours", "A few days", "#bcbddc", 1, 5),
        Level(3, "Quelques semaines", "A few weeks", "#807dba", 5, 20),
        Level(4, "Plusieurs mois", "Several months", "#4a1486", 20, None),
    ),
    unit=Unit("jour-personne", "jours-personne"),
)

#: Environmental and social impact, signed: negative is a cost to the planet or to people (orange ↔ blue).
IMPACT = Scale(
    name="impact",
    fr="Impact environnemental et social",
    en="Environmental and social impact",
    description_fr=(
        "Effet de l'action sur l'environnement et sur les personnes, de -2 (fortement négatif) "
        "à +2 (fortement positif) ; la carte dit lequel des deux domine."
    ),
    levels=(
        Level(-2, "Fortement négatif", "Strongly negative", "#b35806"),
        Level(-1, "Plutôt négatif", "Rather negative", "#f1a340"),
        Level(0, "Neutre", "Neutral", "#f0f0f0"),
        Level(1, "Plutôt positif", "Rather positive", "#92c5de"),
        Level(2, "Fortement positif", "Strongly positive", "#2166ac"),
    ),
    signed=True,
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
    ACCESSIBILITY = "accessibilite"
    TRUST = "confiance"
    MEANING = "sens"


GAIN_LABELS: dict[Gain, tuple[str, str]] = {
    Gain.TIME: ("Temps", "Time"),
    Gain.SKILLS: ("Compétences", "Skills"),
    Gain.QUALITY: ("Qualité", "Quality"),
    Gain.SOBRIETY: ("Sobriété", "Sobriety"),
    Gain.TRANSPARENCY: ("Transparence", "Transparency"),
    Gain.COHESION: ("Cohésion d'équipe", "Team cohesion"),
    Gain.COMPLIANCE: ("Conformité", "Compliance"),
    Gain.SOVEREIGNTY: ("Autonomie et souveraineté", "Autonomy and sovereignty"),
    Gain.ACCESSIBILITY: ("Accessibilité et inclusion", "Accessibility and inclusion"),
    Gain.TRUST: ("Confiance des publics", "Public trust"),
    Gain.MEANING: ("Sens du travail", "Meaning of work"),
}


class ImpactOn(StrEnum):
    """What an impact score mostly weighs: the planet, people, or both (shown beside the score)."""

    ENVIRONMENT = "environnement"
    PEOPLE = "personnes"
    BOTH = "les-deux"


IMPACT_ON_LABELS: dict[ImpactOn, tuple[str, str, str]] = {
    # what the score weighs: (French label, English label, symbol shown on the card)
    ImpactOn.ENVIRONMENT: ("surtout environnemental", "mostly environmental", "🌱"),
    ImpactOn.PEOPLE: ("surtout humain", "mostly human", "👥"),
    ImpactOn.BOTH: ("environnemental et humain", "environmental and human", "🌱👥"),
}


def impact_sign(value: int) -> str:
    """``+2``, ``0``, ``-1``: how an impact score is written on a card."""
    return IMPACT.show(value)


def header_comment() -> str:
    """The scales as a YAML comment block; the shipped deck file starts with exactly this."""
    lines = ["# Échelles GR:IA (générées depuis gria_miro/deck/scales.py ; ne pas modifier à la main)"]
    for scale in SCALES:
        lines.append(f"# {scale.fr} ({scale.name}) — {scale.description_fr}")
        for level in scale.levels:
            band = scale.band_fr(level.value)
            number = f"+{level.value}" if scale.signed and level.value > 0 else str(level.value)
            shown = f" ({scale.show(level.value)})" if scale.symbol else ""
            lines.append(f"#   {number}{shown} : {level.fr} / {level.en}" + (f" [{band}]" if band else ""))
    lines.append("# Nature (kind) : " + ", ".join(f"{k.value} = {v[0]} / {v[1]}" for k, v in KIND_LABELS.items()))
    lines.append("# Gains (gains.categories) : " + ", ".join(f"{g.value} = {v[0]}" for g, v in GAIN_LABELS.items()))
    dimensions = ", ".join(f"{i.value} = {v[0]}" for i, v in IMPACT_ON_LABELS.items())
    lines.append(f"# Impact dominant (impact.dimension) : {dimensions}")
    return "\n".join(lines) + "\n"
