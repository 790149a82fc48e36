"""Reading the user's input files safely, keeping where every value came from.

The one place that opens deck, layout and CSV files: size, encoding and binary
checks, safe YAML with line/column marks for every value, duplicate keys, and the
translation of pydantic validation errors into located, French :class:`Problem` s.
"""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gria_miro.atomicfile import write_atomic
from gria_miro.errors import InputFileError, Loc, Problem

MAX_BYTES = 5 * 1024 * 1024  # a 10,000-card deck is about 8 MB of YAML; 5 MB is plenty for real decks


def closest_file(path: Path) -> Path | None:
    """The existing file of the same folder and suffix whose name is closest to ``path``'s, if one is close."""
    import difflib

    folder = path.parent if str(path.parent) else Path(".")
    try:
        names = [p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() == path.suffix.lower()]
    except OSError:
        return None
    found = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    return path.with_name(found[0]) if found else None


def read_text(path: Path, kind: str, *, max_bytes: int = MAX_BYTES, allow_empty: bool = False) -> str:
    """The file's text, or an :class:`InputFileError` that says exactly what is wrong with it."""
    shown = str(path)

    def fail(message: str) -> InputFileError:
        return InputFileError(kind, shown, [Problem(shown, None, None, message)])

    if not path.exists():
        close = closest_file(path)
        hint = f" ; vouliez-vous dire {close} ?" if close is not None else ""
        raise fail(f"fichier introuvable ; vérifiez le chemin ({kind}){hint}")
    if path.is_dir():
        raise fail(f"c'est un dossier, pas un fichier ({kind} attendu)")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise fail(f"fichier trop gros ({size / 1e6:.1f} Mo ; au plus {max_bytes / 1e6:.0f} Mo)")
        raw = path.read_bytes()
    except PermissionError:
        raise fail("lecture refusée (droits du fichier)") from None
    except OSError as exc:
        raise fail(f"lecture impossible ({exc.strerror or exc})") from None
    if b"\x00" in raw[:8192]:
        raise fail(f"fichier binaire ; un fichier texte ({kind}) est attendu")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputFileError(
            kind, shown, [Problem(shown, line, None, "texte non UTF-8 ; réenregistrez le fichier en UTF-8")]
        ) from None
    if not text.strip() and not allow_empty:
        raise fail(f"fichier vide ({kind} attendu)")
    return text


def write_text_atomic(path: Path, text: str, kind: str, *, force: bool = False, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` all at once (see :func:`write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode(encoding), kind, force=force)


def write_bytes_atomic(path: Path, data: bytes, kind: str, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` all at once: a temporary file in the same folder, then a rename.

    An existing file is replaced only with ``force`` (the CLI's ``--force``); on any failure
    the previous file, if any, is left untouched and no temporary file remains.
    """
    check_writable(path, kind, force=force)
    shown = str(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        write_atomic(path, data)
    except OSError as exc:
        problem = Problem(shown, None, None, f"écriture impossible dans « {folder} » ({exc.strerror or exc})")
        raise InputFileError(kind, shown, [problem]) from None


def check_writable(path: Path, kind: str, *, force: bool = False) -> None:
    """Refuse, before any work, an output path that cannot or must not be written (no ``--force``)."""
    shown = str(path)

    def fail(message: str) -> InputFileError:
        return InputFileError(kind, shown, [Problem(shown, None, None, message)])

    if path == Path(".") or not path.name:
        raise InputFileError(kind, "-o", [Problem("-o", None, None, "nom de fichier vide ; exemple : -o plateau.svg")])
    if path.is_dir():
        raise fail("c'est un dossier ; indiquez un nom de fichier à écrire")
    if path.exists() and not force:
        raise fail("le fichier existe déjà ; ajoutez --force pour le remplacer")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise fail(f"dossier introuvable « {folder} » ; créez-le d'abord")
    _refuse_read_only(path, folder, fail)


def check_state_location(path: Path) -> None:
    """Refuse, before anything is written to a board, a state file that could not be saved afterwards.

    The state's folder is created when missing, so the first folder that exists up the path must be
    writable; an existing state file must be writable too (a read-only one is never silently replaced).
    """
    shown = str(path)

    def fail(message: str) -> InputFileError:
        return InputFileError("état", shown, [Problem(shown, None, None, message + " (ou choisissez --state FICHIER)")])

    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if path.is_dir():
        raise fail("c'est un dossier ; le fichier d'état doit être un fichier")
    _refuse_read_only(path, folder, fail)


def _read_only(path: Path) -> bool:
    """No write permission, for this user or by the file's own mode (which even an administrator should respect)."""
    return not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222


def _refuse_read_only(path: Path, folder: Path, fail: Callable[[str], InputFileError]) -> None:
    if path.exists() and _read_only(path):
        raise fail("fichier en lecture seule ; rendez-le modifiable pour qu'il soit remplacé")
    if _read_only(folder):
        raise fail(f"dossier « {folder} » en lecture seule ; impossible d'y écrire")


def read_spreadsheet_text(path: Path, kind: str, *, max_bytes: int = MAX_BYTES) -> str:
    """Like :func:`read_text`, but a file that is not UTF-8 is read as Windows-1252: what
    French Excel writes for « CSV (séparateur : point-virgule) »."""
    try:
        return read_text(path, kind, max_bytes=max_bytes)
    except InputFileError as exc:
        if not (len(exc.problems) == 1 and exc.problems[0].message.startswith("texte non UTF-8")):
            raise
        try:
            return path.read_bytes().decode("cp1252")
        except (OSError, UnicodeDecodeError):
            raise exc from None


@dataclass
class YamlDocument:
    """Plain Python data of a YAML file, and the (line, column) of every value in it."""

    path: str
    data: Any
    marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    #: Where each mapping key itself is written (an unknown field is reported at its name).
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Iterable[str | int]) -> tuple[int | None, int | None]:
        """Line and column of ``loc``, or of its closest located ancestor."""
        parts = tuple(loc)
        while parts:
            if parts in self.marks:
                return self.marks[parts]
            parts = parts[:-1]
        return self.marks.get((), (None, None))

    def problem(self, loc: Iterable[str | int], message: str) -> Problem:
        line, column = self.where(loc)
        return Problem(self.path, line, column, message)


def load_yaml(path: Path, kind: str) -> YamlDocument:
    """Parse ``path`` with the safe loader; every YAML problem becomes a located :class:`Problem`.

    The file is read every time; only its parse is remembered, keyed by its exact text, so an edited
    file is parsed again. Each caller gets its own copy of the data (callers may change it).
    """
    text = read_text(path, kind)
    parsed = _parse_remembered(text, str(path), kind)
    return YamlDocument(parsed.path, copy.deepcopy(parsed.data), dict(parsed.marks), dict(parsed.key_marks))


@functools.lru_cache(maxsize=8)
def _parse_remembered(text: str, shown: str, kind: str) -> YamlDocument:
    """:func:`parse_yaml`, remembered: a process that loads the same deck or layout again (``serve``,
    a push that plans then re-plans under its lock, the test suite's 500 command runs) parses it once.
    A deck's parse is about 40 ms; copying its data about 3 ms."""
    return parse_yaml(text, shown, kind)


#: libyaml's loader when PyYAML was built with it (about 8x faster on a deck), else the pure-Python one.
#: Both give the same data and the same line:column marks (tests/unit/test_sourcefile_yaml.py).
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Deepest nesting a deck or layout may have (a real deck uses 5 levels).
MAX_DEPTH = 64

#: How many values aliases (``*name``) and merge keys (``<<``) may add beyond those written in the file:
#: generous for real files, and a "billion laughs" file of a few hundred bytes is stopped before it expands.
ALIAS_ALLOWANCE = 100_000


def parse_yaml(text: str, shown: str, kind: str, *, loader_class: type[yaml.SafeLoader] | None = None) -> YamlDocument:
    """Parse ``text`` safely: located problems for syntax, depth, alias bombs, duplicate keys and bad values."""
    loader = (loader_class or SafeLoader)(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
            what = _yaml_problem(exc.problem or "", text[mark.index :] if mark else "")
            raise InputFileError(kind, shown, [Problem(shown, line, col, f"YAML invalide : {what}")]) from None
        except yaml.YAMLError as exc:
            raise InputFileError(kind, shown, [Problem(shown, None, None, f"YAML invalide : {exc}")]) from None
        except RecursionError:
            message = f"structure trop profonde (plus de {MAX_DEPTH} niveaux imbriqués)"
            raise InputFileError(kind, shown, [Problem(shown, None, None, message)]) from None
        if node is None:
            raise InputFileError(kind, shown, [Problem(shown, None, None, f"fichier vide ({kind} attendu)")])
        too_big = _expansion_problem(node, shown)
        if too_big is not None:
            raise InputFileError(kind, shown, [too_big])
        doc = YamlDocument(shown, None)
        problems: list[Problem] = []
        doc.data = _build(loader, node, (), doc, problems, depth=0)
    finally:
        loader.dispose()
    if problems:
        raise InputFileError(kind, shown, sorted(set(problems)))
    return doc


#: The YAML syntax problems people meet, in French (PyYAML and libyaml word some differently).
_YAML_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("exceeded maximum nesting depth", "structure trop profonde (plus de 1 000 niveaux imbriqués)"),
    ("mapping values are not allowed", "« : » inattendu (mettez entre guillemets un texte qui contient « : »)"),
    ("found character that cannot start any token", "caractère inattendu en début de valeur"),
    ("could not find expected ':'", "« : » attendu après une clé"),
    ("did not find expected key", "clé attendue : vérifiez l'indentation"),
    ("did not find expected '-' indicator", "« - » attendu : vérifiez l'indentation de la liste"),
    ("found undefined alias", "alias inconnu (aucune ancre « & » de ce nom plus haut)"),
    ("found unexpected end of stream", "fin du fichier inattendue (guillemet ou crochet non fermé ?)"),
    ("did not find expected node content", "valeur attendue"),
    ("found unknown escape character", "échappement inconnu après « \\ » dans un texte entre guillemets"),
)


def _yaml_problem(problem: str, text_at_mark: str = "") -> str:
    if text_at_mark.startswith("\t") and "cannot start any token" in problem:
        return "tabulation : indentez avec des espaces"
    for english, french in _YAML_PROBLEMS:
        if problem.startswith(english):
            return french
    return problem or "syntaxe invalide"


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _expansion_problem(root: yaml.Node, shown: str) -> Problem | None:
    """A problem if aliases make the document recursive, too deep, or much bigger than the file.

    One walk over the node graph (each shared node once, without recursion) computes how many
    values every node stands for once its aliases are expanded; the document is refused before
    anything is built when that exceeds what is written by more than :data:`ALIAS_ALLOWANCE`.
    """
    expanded: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[yaml.Node, bool, int]] = [(root, False, 0)]
    while stack:
        node, finished, depth = stack.pop()
        key = id(node)
        if finished:
            expanded[key] = 1 + sum(expanded[id(child)] for child in _children(node))
            if expanded[key] > len(expanded) + ALIAS_ALLOWANCE:
                return Problem(
                    shown,
                    *_mark(node),
                    f"alias YAML trop imbriqués : ce passage se déploierait en plus de {expanded[key]:,} valeurs ; "
                    "écrivez les valeurs au lieu de les répéter par des alias".replace(",", "\u202f"),
                )
            continue
        if key in expanded:
            continue
        if key in entered:  # reached again inside itself: an alias to one of its own parents
            return Problem(shown, *_mark(node), "alias récursif : une valeur se contient elle-même")
        if depth > MAX_DEPTH:
            return Problem(shown, *_mark(node), f"structure trop profonde (plus de {MAX_DEPTH} niveaux imbriqués)")
        entered.add(key)
        stack.append((node, True, depth))
        stack.extend((child, False, depth + 1) for child in _children(node))
    return None


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(
    loader: yaml.SafeLoader, node: yaml.Node, loc: Loc, doc: YamlDocument, problems: list[Problem], depth: int
) -> Any:
    if depth > MAX_DEPTH:
        problems.append(Problem(doc.path, *_mark(node), "structure trop profonde (alias récursif ?)"))
        return None
    doc.marks.setdefault(loc, _mark(node))
    if isinstance(node, yaml.MappingNode):
        written = {id(key_node) for key_node, _ in node.value}
        loader.flatten_mapping(node)  # YAML merge keys (<<): merged pairs first, then the mapping's own
        result: dict[Any, Any] = {}
        own_keys: set[Any] = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int) or isinstance(key, bool):
                problems.append(Problem(doc.path, *_mark(key_node), f"clé invalide « {key} » (texte attendu)"))
                continue
            is_own = id(key_node) in written
            if key in own_keys and is_own:
                problems.append(Problem(doc.path, *_mark(key_node), f"clé « {key} » répétée"))
                continue
            if is_own:
                own_keys.add(key)
            child = (*loc, key)
            is_block = isinstance(value_node, yaml.MappingNode | yaml.SequenceNode)
            doc.marks[child] = _mark(key_node) if is_block else _mark(value_node)
            doc.key_marks[child] = _mark(key_node)
            result[key] = _build(loader, value_node, child, doc, problems, depth + 1)  # a later pair wins, as in YAML
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            items.append(_build(loader, item, (*loc, i), doc, problems, depth + 1))
        return items
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        problems.append(Problem(doc.path, *_mark(node), f"valeur invalide : {exc}"))
        return None


# --- pydantic errors, in French -------------------------------------------------------------

_EXPECTED = {
    "string_type": "texte attendu",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu (sans décimale)",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
    "bool_type": "vrai/faux attendu",
    "bool_parsing": "vrai/faux attendu (true ou false)",
    "list_type": "liste attendue",
    "tuple_type": "liste attendue",
    "dict_type": "objet (clé: valeur) attendu",
    "model_type": "objet (clé: valeur) attendu",
    "model_attributes_type": "objet (clé: valeur) attendu",
}


def describe_error(error: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) said in French, without its location."""
    return _describe(error)


def _describe(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    name = error["loc"][-1] if error["loc"] else ""
    if kind == "missing":
        return f"champ obligatoire manquant : « {name} »"
    if kind == "extra_forbidden":
        return f"champ inconnu « {name} » (vérifiez l'orthographe ; les champs permis sont décrits dans le schéma)"
    if kind in _EXPECTED:
        return f"{_EXPECTED[kind]}, reçu « {_short(value)} »"
    if kind in ("enum", "literal_error"):
        return f"valeur « {_short(value)} » invalide ; valeurs possibles : {_choices(ctx.get('expected', ''))}"
    if kind == "string_too_long":
        return f"trop long ({len(str(value))} caractères ; au plus {ctx.get('max_length')})"
    if kind == "string_too_short":
        return "ne doit pas être vide"
    if kind in ("too_short",):
        return f"au moins {ctx.get('min_length')} élément(s) attendu(s)"
    if kind in ("too_long",):
        return f"au plus {ctx.get('max_length')} élément(s)"
    if kind == "string_pattern_mismatch":
        expected = _PATTERN_WORDS.get(str(ctx.get("pattern")), "")
        return f"format invalide « {_short(value)} »" + (f" ; attendu : {expected}" if expected else "")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()), "")
        return f"valeur {_short(value)} hors de l'échelle (doit être {sign} {bound})"
    if kind == "value_error":
        message = str(ctx.get("error", error.get("msg", "")))
        return message
    return str(error.get("msg", kind))


#: What each format (a regular expression in the models) means, in words: a user never reads a regex.
_PATTERN_WORDS = {
    r"^[A-Z]{2,6}-[0-9]{2,3}$": "2 à 6 lettres majuscules, un tiret, 2 ou 3 chiffres (ex. GOV-03)",
    r"^[a-z0-9][a-z0-9-]{0,39}$": "minuscules sans accent, chiffres et tirets, 40 au plus (ex. gouvernance)",
    r"^#[0-9a-fA-F]{6}$": "une couleur #rrggbb (ex. #1e3a8a)",
    r"^[a-z]{2}$": "un code de langue de deux lettres (ex. fr)",
}


def _choices(expected: Any) -> str:
    """pydantic's ``'a', 'b' or 'c'`` as ``a, b, c``."""
    return str(expected).replace(" or ", ", ").replace("'", "")


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "…"


def validation_problems(doc: YamlDocument, exc: ValidationError, prefix: Loc = ()) -> list[Problem]:
    """Located, French problems for every error pydantic found under ``prefix``."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = (*prefix, *error["loc"])
        if error["type"] == "missing":
            line, col = doc.where(loc[:-1])
        elif error["type"] == "extra_forbidden" and loc in doc.key_marks:
            line, col = doc.key_marks[loc]
        else:
            line, col = doc.where(loc)
        problems.append(Problem(doc.path, line, col, f"{_dotted(loc)} : {_describe(error)}"))
    return problems


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(racine)"
