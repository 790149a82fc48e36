"""Output that survives any console encoding (Windows cp1252/cp850, a C locale, a redirected file).

gria-miro writes French with typographic characters (« », —, …, the narrow no-break space of
``19 500``) and rich draws tables with box characters. Python encodes ``print`` with the
stream's encoding, and on Windows a redirected stdout is cp1252, where ``\\u202f`` does not exist:
without care, ``gria-miro pull > feuille.md`` stopped with ``UnicodeEncodeError``.

The rule (:func:`setup_streams`, called once by ``cli.main``):

- a stream already in UTF-8 is left alone;
- a redirected stream (file, pipe) whose encoding was not chosen by the user is switched to
  UTF-8, the encoding every editor and spreadsheet reads;
- otherwise (a console in a legacy code page, or ``PYTHONIOENCODING`` set on purpose) the
  encoding is kept and each character it cannot show is replaced by a readable equivalent
  (:func:`readable`: ``«`` → ``"``, ``—`` → ``-``, ``é`` → ``e`` when even that is missing),
  never by an exception.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata
from typing import TextIO

ERRORS = "gria-readable"

#: Characters that have a readable ASCII stand-in (the rest fall back to their unaccented letter, or "?").
_STAND_INS = {
    "\u202f": " ",  # narrow no-break space (French thousands)
    "\u00a0": " ",
    "\u2009": " ",
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2014": "-",
    "\u2013": "-",
    "\u2026": "...",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2192": "->",
    "\u2190": "<-",
    "\u20ac": "EUR",
    "\u00b7": ".",
    "\u2022": "*",
    "\u2713": "v",
    "\u2717": "x",
}


def readable(char: str) -> str:
    """An ASCII stand-in for ``char``: typographic signs by table, box drawing as ``-|+``, accents dropped."""
    if char in _STAND_INS:
        return _STAND_INS[char]
    name = unicodedata.name(char, "")
    if name.startswith("BOX DRAWINGS"):
        return _box(name)
    if name.endswith("BLOCK") or "SHADE" in name:
        return "#"
    folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return folded or "?"


def _box(name: str) -> str:
    """``-`` for a horizontal line, ``|`` for a vertical one, ``+`` for corners and crossings."""
    lines = name.removeprefix("BOX DRAWINGS ")
    if "AND" in lines or ("HORIZONTAL" in lines) == ("VERTICAL" in lines):
        return "+"
    return "-" if "HORIZONTAL" in lines else "|"


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(readable(char) for char in bad), error.end


codecs.register_error(ERRORS, _replace)


def _is_utf8(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None) or ""
    return codecs.lookup(encoding).name == "utf-8" if encoding else False


def setup_stream(stream: TextIO, *, chosen_by_user: bool) -> None:
    """Make ``stream`` able to print any text (see the module docstring for the rule)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None or _is_utf8(stream):
        return
    try:
        interactive = stream.isatty()
    except (ValueError, OSError):
        interactive = False
    if not interactive and not chosen_by_user:
        reconfigure(encoding="utf-8", errors=ERRORS)
    else:
        reconfigure(errors=ERRORS)


def setup_streams() -> None:
    """Apply :func:`setup_stream` to stdout and stderr."""
    chosen = bool(os.environ.get("PYTHONIOENCODING"))
    for stream in (sys.stdout, sys.stderr):
        setup_stream(stream, chosen_by_user=chosen)
