"""French typography for every text a person reads: no-break spaces and the typographic apostrophe.

One pure function, :func:`french`, applied at render time (Miro items, SVG preview, printed
cards, roadmaps) to plain text, *before* any HTML or XML escaping (``&amp;`` holds a ``;``):

- a narrow no-break space (U+202F) before ``;``, ``!`` and ``?``, after ``«`` and before ``»``;
- a no-break space (U+00A0) before ``:``;
- the typographic apostrophe ``’`` for the straight one between two letters (``l'IA`` → ``l’IA``).

It only adds what is missing or turns an ordinary space into the right one: it is idempotent,
never changes words, and leaves alone what is not prose — ``GR:IA``, ``10:30``, ``https://…``,
``?`` inside a word or an address. :func:`identity_fold` undoes the differences (for comparing
a text pushed before this pass with the same text after it). :func:`typography_problems`
lists what the pass cannot fix in a source text (straight double quotes…), for the content lint.
"""

from __future__ import annotations

import re

NNBSP = "\u202f"  # narrow no-break space (espace fine insécable)
NBSP = "\u00a0"  # no-break space (espace insécable)
APOSTROPHE = "\u2019"

_SPACES = f" \t{NBSP}{NNBSP}"

# A letter (any script), as regex classes cannot say "letter" directly.
_LETTER = r"[^\W\d_]"

# Spaces (or none, after a word) before a run of ; ! ? that ends the word: "vient ?", "vient?", "Vraiment ?!".
_HIGH_PUNCT = re.compile(rf"(?:[{_SPACES}]+|(?<=[\w)\]»’%€]))(?=[;!?]+(?:[\s)\]»,.…]|$))")
# Spaces (or none, after a word) before a colon that ends the word: "Nature :", "Nature:", not "GR:IA" nor "10:30".
_COLON = re.compile(rf"(?:[{_SPACES}]+|(?<=[\w)\]»’%€]))(?=:(?:[\s)\]»]|$))")
_AFTER_OPEN_QUOTE = re.compile(rf"«[{_SPACES}]*")
_BEFORE_CLOSE_QUOTE = re.compile(rf"[{_SPACES}]*»")
_APOSTROPHE = re.compile(rf"(?<={_LETTER})'(?={_LETTER})")
# Addresses keep their characters: they are copied, not read.
_URL = re.compile(r"https?://\S+")


def french(text: str) -> str:
    """``text`` with French typography (see the module docstring); idempotent."""
    if not text:
        return text
    if "://" not in text:  # no address to keep as is (most texts): no split
        return _french_prose(text)
    parts = _URL.split(text)
    urls = _URL.findall(text)
    out = [_french_prose(parts[0])]
    for url, prose in zip(urls, parts[1:], strict=True):
        out.append(url)
        out.append(_french_prose(prose))
    return "".join(out)


def _french_prose(text: str) -> str:
    # Each rule needs its own character: test for it first (a 10,000-card deck shows 70,000 texts).
    if "'" in text:
        text = _APOSTROPHE.sub(APOSTROPHE, text)
    if "?" in text or "!" in text or ";" in text:
        text = _HIGH_PUNCT.sub(NNBSP, text)
    if ":" in text:
        text = _COLON.sub(NBSP, text)
    if "«" in text:
        text = _AFTER_OPEN_QUOTE.sub("«" + NNBSP, text)
    if "»" in text:
        text = _BEFORE_CLOSE_QUOTE.sub(NNBSP + "»", text)
    return text


_FOLD_SPACE_BEFORE = re.compile(r"\s+(?=[;:!?»])")
_FOLD_SPACE_AFTER = re.compile(r"(?<=«)\s+")


def identity_fold(text: str) -> str:
    """``text`` with the differences :func:`french` makes removed (for identity comparisons only).

    Before this pass, gria-miro pushed ``Qui vient ? (l'équipe)``; after it, the same label reads
    ``Qui vient ? (l’équipe)`` with a narrow no-break space. Both fold to the same string.
    """
    text = text.replace(APOSTROPHE, "'").replace(NBSP, " ").replace(NNBSP, " ")
    text = _FOLD_SPACE_BEFORE.sub("", text)
    return " ".join(_FOLD_SPACE_AFTER.sub("", text).split())


#: What the pass cannot fix, as (pattern, French advice); the content lint reports them.
_TYPO_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r'"'), "guillemets droits : écrire « … »"),
    (re.compile(r"\.\.\."), "trois points : écrire le caractère « … »"),
    (re.compile(r"\S  +\S"), "deux espaces de suite"),
    (re.compile(r" [,.](?!\d)"), "espace avant une virgule ou un point"),
    (re.compile(r"\boe(?=uvre|il|ur)", re.IGNORECASE), "écrire « œ » (œuvre, œil, cœur)"),
)


def typography_problems(text: str) -> list[str]:
    """What :func:`french` cannot fix in a source text, one French message per kind of problem."""
    prose = _URL.sub("adresse", text)
    return [advice for pattern, advice in _TYPO_RULES if pattern.search(prose)]
