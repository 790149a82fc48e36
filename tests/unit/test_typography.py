"""French typography at render time: one row per rule, what it must leave alone, idempotence, identity folding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gria_miro.typography import NBSP, NNBSP, french, identity_fold, typography_problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Qui vient ? (une personne)", f"Qui vient{NNBSP}? (une personne)"),  # ordinary space → narrow
        ("Qui vient?", f"Qui vient{NNBSP}?"),  # missing space added
        ("Vraiment ?!", f"Vraiment{NNBSP}?!"),  # one space before a run of marks
        ("a ; b", f"a{NNBSP}; b"),
        ("Bienvenue !", f"Bienvenue{NNBSP}!"),
        ("Nature : formelle", f"Nature{NBSP}: formelle"),  # colon: a full no-break space
        ("Nature: formelle", f"Nature{NBSP}: formelle"),
        ("Gains :", f"Gains{NBSP}:"),
        ("« bonjour »", f"«{NNBSP}bonjour{NNBSP}»"),
        ("«bonjour»", f"«{NNBSP}bonjour{NNBSP}»"),
        ("l'IA d'aujourd'hui", "l’IA d’aujourd’hui"),  # typographic apostrophe between letters
        ("x (a) ?", f"x (a){NNBSP}?"),
    ],
)
def test_rules(text: str, expected: str) -> None:
    assert french(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "GR:IA",  # a colon inside a name
        "10:30",  # a time
        "https://www.cnil.fr/fr/intelligence-artificielle?x=1&y=2",  # an address keeps its characters
        "'citation'",  # a quote, not an apostrophe between letters
        "",
        "a?b",  # not prose
    ],
)
def test_leaves_non_prose_alone(text: str) -> None:
    assert french(text) == text


def test_address_inside_prose_is_kept_but_the_sentence_is_fixed() -> None:
    assert french("voir https://a.fr/x?y=1 !") == f"voir https://a.fr/x?y=1{NNBSP}!"


_PIECES = st.sampled_from([*"ab :;!?«»' \u00a0\u202f.,()", "GR:IA", "http://x.fr/?a", "l'IA"])


@given(st.lists(_PIECES).map("".join))
def test_idempotent_and_identity_preserving(text: str) -> None:
    once = french(text)
    assert french(once) == once
    # What push compares to recognise an item is the same before and after the pass.
    assert identity_fold(once) == identity_fold(text)


def test_identity_fold_matches_a_label_pushed_before_the_pass() -> None:
    before = "Qui vient ? (l'équipe)"
    assert identity_fold(french(before)) == identity_fold(before)
    assert identity_fold("Qui vient ?") != identity_fold("Qui part ?")


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ('un "test"', "guillemets droits"),
        ("et puis...", "trois points"),
        ("deux  espaces", "deux espaces"),
        ("une oeuvre", "œ"),
    ],
)
def test_problems_the_pass_cannot_fix(text: str, advice: str) -> None:
    problems = typography_problems(text)
    assert len(problems) == 1 and advice in problems[0]


def test_clean_text_has_no_problem() -> None:
    assert typography_problems("Une œuvre « bien » écrite ; voir https://x.fr/a...b") == []


def _unguarded_french(text: str) -> str:
    """The rules applied without :func:`french`'s shortcuts (every regex, always): the reference."""
    from gria_miro import typography as t

    def prose(part: str) -> str:
        part = t._APOSTROPHE.sub(t.APOSTROPHE, part)
        part = t._HIGH_PUNCT.sub(NNBSP, part)
        part = t._COLON.sub(NBSP, part)
        part = t._AFTER_OPEN_QUOTE.sub("«" + NNBSP, part)
        return t._BEFORE_CLOSE_QUOTE.sub(NNBSP + "»", part)

    parts, urls = t._URL.split(text), t._URL.findall(text)
    return prose(parts[0]) + "".join(url + prose(rest) for url, rest in zip(urls, parts[1:], strict=True))


_PIECES = [*"ab é'’:;!?«»() \u00a0\u202f.,%€1/", "http://x.fr/a:b?c", "://"]


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_the_shortcuts_change_nothing(text: str) -> None:
    assert french(text) == _unguarded_french(text)
