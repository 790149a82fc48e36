"""How numbers, amounts and durations are written, in French and in English: the one formatter of every output.

French groups digits with a narrow no-break space (U+202F) and uses a decimal comma
(``19 500 crédits``, ``0,5 s``); English groups with a comma and uses a decimal point
(``19,500 credits``, ``0.5 s``). Every command, renderer and card text calls these
functions instead of formatting numbers itself, so a facilitator never sees two styles.
Pure functions of their arguments: no I/O, no dependency beyond the standard library.
"""

from __future__ import annotations

import math
from typing import Literal

Lang = Literal["fr", "en"]

#: French thousands separator (typographic rule: narrow no-break space).
FR_GROUP = "\u202f"


def number(value: float, lang: Lang = "fr", *, decimals: int = 1) -> str:
    """``value`` rounded to at most ``decimals`` places, without trailing zeros: ``1 234,5`` / ``1,234.5``.

    Integral values never show a decimal part (``2 000``, not ``2 000,0``); ``-0`` is written ``0``.
    """
    if not math.isfinite(value):
        return "—"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    if rounded == int(rounded):
        text = f"{int(rounded):,}"
    else:
        text = f"{rounded:,.{decimals}f}".rstrip("0").rstrip(".")
    if lang == "fr":
        return text.replace(",", FR_GROUP).replace(".", ",")
    return text


def count(value: int, singular: str, plural: str | None = None, lang: Lang = "fr") -> str:
    """``value`` followed by the noun, singular or plural: ``1 carte``, ``0 carte``, ``19 500 crédits``.

    French takes the singular for 0 and 1, English only for 1. ``plural`` defaults to ``singular + "s"``.
    """
    one = value in (0, 1) if lang == "fr" else value == 1
    noun = singular if one else (plural if plural is not None else singular + "s")
    return f"{number(value, lang)} {noun}"


def credits(value: int, lang: Lang = "fr") -> str:
    """Miro rate-limit credits: ``19 500 crédits`` / ``19,500 credits``."""
    return count(value, "crédit", lang=lang) if lang == "fr" else count(value, "credit", lang=lang)


def duration(seconds: float, lang: Lang = "fr") -> str:
    """A wall-clock duration: ``0,5 s``, ``23 s``, ``2 min 05 s``, ``1 h 02 min``.

    Tenths of a second are shown under 10 s only, where they matter; longer durations are
    rounded to the second, then to the minute above an hour.
    """
    seconds = max(0.0, seconds) if math.isfinite(seconds) else 0.0
    if round(seconds, 1) < 10:
        return f"{number(seconds, lang)} s"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} min {rest:02d} s"
    hours, rest = divmod(round(whole / 60), 60)
    return f"{hours} h {rest:02d} min"


def euros(value: float, lang: Lang = "fr") -> str:
    """An amount in euros, without cents: ``1 200 €`` / ``€1,200``."""
    return f"{number(value, lang, decimals=0)} €" if lang == "fr" else f"€{number(value, lang, decimals=0)}"


def euro_range(low: float, high: float, lang: Lang = "fr") -> str:
    """A band of euros: ``500 à 2 000 €`` / ``€500–2,000``; a single amount when both ends are equal."""
    if low == high:
        return euros(low, lang)
    if lang == "fr":
        return f"{number(low, lang, decimals=0)} à {number(high, lang, decimals=0)} €"
    return f"€{number(low, lang, decimals=0)}–{number(high, lang, decimals=0)}"


def days(value: float, lang: Lang = "fr") -> str:
    """Days of work: ``0,5 jour``, ``1 jour``, ``2,5 jours`` / ``0.5 day``, ``2.5 days`` (French plural from 2)."""
    if lang == "fr":
        return f"{number(value, lang)} jour{'s' if value >= 2 else ''}"
    return f"{number(value, lang)} day{'' if value == 1 else 's'}"


def percent(value: float, lang: Lang = "fr") -> str:
    """A ratio in 0..1 as a percentage: ``12,5 %`` (French puts a no-break space before %) / ``12.5%``."""
    shown = number(value * 100, lang)
    return f"{shown}\u00a0%" if lang == "fr" else f"{shown}%"
