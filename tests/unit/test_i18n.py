"""The language check and the one table of words shared by the plan and the roadmap."""

from __future__ import annotations

import pytest

from gria_miro.errors import UserError
from gria_miro.i18n import LANGS, WORDS, label, parse_lang, t


def test_languages_are_french_and_english() -> None:
    assert LANGS == ("fr", "en")


@pytest.mark.parametrize(("given", "expected"), [("fr", "fr"), ("EN", "en"), (" en ", "en")])
def test_parse_lang_accepts_known_codes(given: str, expected: str) -> None:
    assert parse_lang(given) == expected


def test_parse_lang_refuses_others_naming_the_option() -> None:
    with pytest.raises(UserError) as caught:
        parse_lang("de")
    assert caught.value.one_line() == "option --lang : langue « de » inconnue ; langues possibles : fr, en"


def test_every_word_has_both_languages() -> None:
    for key, (french, english) in WORDS.items():
        assert french.strip() and english.strip(), key


def test_lookup_and_colon_spacing() -> None:
    assert t("stage_total", "fr") == "Total de l'étape"
    assert t("stage_total", "en") == "Stage total"
    assert label(t("stage_total", "en"), "en") == "Stage total:"
    assert label(t("stage_total", "fr"), "fr") == "Total de l'étape\u00a0:"


def test_plan_and_roadmap_words_come_from_the_one_table() -> None:
    from gria_miro.render.plan import NOTE_EN, NOTE_FR
    from gria_miro.render.roadmap import labels
    from gria_miro.sync.planner import Note

    assert labels.TEXT is WORDS
    assert NOTE_FR[Note.NEW] == t("note.new", "fr") == "nouveau"
    assert NOTE_EN[Note.MOVED_BY_PARTICIPANTS] == "moved by participants: left where they put it"
    assert set(NOTE_FR) == set(Note)
