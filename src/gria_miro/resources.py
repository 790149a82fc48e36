"""Where the decks and layouts shipped with gria-miro live, and resolving a name or a path."""

from __future__ import annotations

from pathlib import Path

from gria_miro.errors import InputFileError, Problem

_PACKAGE_DATA = Path(__file__).resolve().parent / "data"
_SOURCE_TREE = Path(__file__).resolve().parents[2]  # src/gria_miro/ -> repository root (editable installs)

DEFAULT_DECK = "gria-fr"
DEFAULT_LAYOUT = "randonnee"


def shipped_dir(kind: str) -> Path:
    """The folder of shipped ``decks`` or ``layouts``: inside the wheel, else the source tree."""
    for base in (_PACKAGE_DATA, _SOURCE_TREE):
        candidate = base / kind
        if candidate.is_dir():
            return candidate
    return _PACKAGE_DATA / kind


def shipped_names(kind: str) -> list[str]:
    folder = shipped_dir(kind)
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def resolve(ref: str | Path | None, kind: str, default: str) -> Path:
    """A path as given, or the shipped file named ``ref`` (``gria-fr``, ``randonnee``…).

    A value that looks like a path (has a suffix or a separator) is taken as a path even
    when missing, so the loader can say "file not found" about what the user typed.
    """
    text = str(ref) if ref is not None else default
    as_path = Path(text).expanduser()
    if as_path.is_file() or as_path.suffix or "/" in text or "\\" in text:
        return as_path
    named = shipped_dir(kind) / f"{text}.yaml"
    if named.exists():
        return named  # a bare name: the shipped file wins over a folder of the same name
    if as_path.exists():
        return as_path
    choices = ", ".join(shipped_names(kind)) or "aucun"
    label = "deck" if kind == "decks" else "disposition"
    raise InputFileError(
        label,
        text,
        [Problem(text, None, None, f"ni fichier ni {label} fourni de ce nom (fournis : {choices})")],
    )


def choose_inputs(
    deck: str | None,
    layout: str | None,
    teams: int | None,
    remembered: tuple[str | None, str | None, int | None] = (None, None, None),
) -> tuple[str, str, int | None]:
    """Deck, layout and team count: as given, else as remembered (state or snapshot), else the shipped ones."""
    saved_deck, saved_layout, saved_teams = remembered
    return (
        deck or saved_deck or DEFAULT_DECK,
        layout or saved_layout or DEFAULT_LAYOUT,
        teams if teams is not None else saved_teams,
    )
