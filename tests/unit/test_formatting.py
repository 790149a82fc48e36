"""The one number formatter: French and English, one row per case."""

from __future__ import annotations

import pytest

from gria_miro import formatting as f

NB = "\u202f"  # narrow no-break space, the French thousands separator


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (0, "fr", "0"),
        (0.5, "fr", "0,5"),
        (0.5, "en", "0.5"),
        (19500, "fr", f"19{NB}500"),
        (19500, "en", "19,500"),
        (1234567.25, "fr", f"1{NB}234{NB}567,2"),  # one decimal by default, banker's rounding of .25
        (2000.0, "fr", f"2{NB}000"),  # an integral float shows no decimal part
        (-0.04, "fr", "0"),  # never "-0"
        (float("nan"), "fr", "—"),
    ],
)
def test_number(value: float, lang: f.Lang, expected: str) -> None:
    assert f.number(value, lang) == expected


def test_number_with_more_decimals() -> None:
    assert f.number(1.255, "fr", decimals=2) in ("1,25", "1,26")
    assert f.number(3.10, "en", decimals=2) == "3.1"


@pytest.mark.parametrize(
    ("seconds", "lang", "expected"),
    [
        (0.5, "fr", "0,5 s"),
        (0.5, "en", "0.5 s"),
        (3.0, "fr", "3 s"),
        (9.96, "fr", "10 s"),  # rounds up into the next style, not "10,0 s"
        (23.4, "fr", "23 s"),
        (65, "fr", "1 min 05 s"),
        (142.2, "fr", "2 min 22 s"),
        (3725, "fr", "1 h 02 min"),
        (-1, "fr", "0 s"),
    ],
)
def test_duration(seconds: float, lang: f.Lang, expected: str) -> None:
    assert f.duration(seconds, lang) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (0, "fr", "0 crédit"),
        (1, "fr", "1 crédit"),
        (19500, "fr", f"19{NB}500 crédits"),
        (1, "en", "1 credit"),
        (0, "en", "0 credits"),
        (19500, "en", "19,500 credits"),
    ],
)
def test_credits(value: int, lang: f.Lang, expected: str) -> None:
    assert f.credits(value, lang) == expected


def test_euros_and_days() -> None:
    assert f.euros(1200, "fr") == f"1{NB}200 €"
    assert f.euros(1200, "en") == "€1,200"
    assert f.euro_range(500, 2000, "fr") == f"500 à 2{NB}000 €"
    assert f.euro_range(500, 2000, "en") == "€500–2,000"
    assert f.euro_range(300, 300, "fr") == "300 €"
    assert f.days(0.5, "fr") == "0,5 jour"
    assert f.days(2.5, "fr") == "2,5 jours"
    assert f.days(1, "en") == "1 day"
    assert f.days(2.5, "en") == "2.5 days"


def test_count_and_percent() -> None:
    assert f.count(3, "carte") == "3 cartes"
    assert f.count(1, "élément", "éléments") == "1 élément"
    assert f.count(2, "travail", "travaux") == "2 travaux"
    assert f.percent(0.125, "fr") == "12,5\u00a0%"
    assert f.percent(0.125, "en") == "12.5%"
