"""The command line in French: help pages, metavars in words, examples, and usage errors.

Why not a gettext catalog: typer (0.29 and later) ships its own copy of click whose messages
are plain English f-strings, not gettext calls, so a catalog would never be consulted. The
French therefore happens at the only two places those texts leave the program:

- **help pages**: every command of the tree is given :class:`FrenchCommand`/:class:`FrenchGroup`
  (:func:`french_tree`), which name each value in words (``--board TABLEAU``), add the command's
  examples, and translate the fixed English fragments of the page (:data:`HELP_CATALOG`);
- **usage errors** (unknown option, missing value, not a number…): :func:`usage_error_line` says
  them again in one French line from the exception's data (option name, value, bound).

Commands of every module get this without knowing about it: the tree is converted once, in
``cli.main``. A command added without an example is caught by the tests (``EXAMPLES``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

#: English fragments of click/typer help pages → French. Applied to the finished page, in order.
HELP_CATALOG: tuple[tuple[str, str], ...] = (
    ("Usage: ", "Utilisation : "),
    ("Show this message and exit.", "Affiche cette aide et quitte."),
    ("Install completion for the current shell.", "Installe la complétion des commandes dans votre shell."),
    (
        "Show completion for the current shell, to copy it or customize the installation.",
        "Affiche le script de complétion de votre shell, pour le copier ou l'adapter.",
    ),
    ("\nOptions:\n", "\nOptions :\n"),
    ("\nArguments:\n", "\nArguments :\n"),
    ("\nCommands:\n", "\nCommandes :\n"),
    ("[default: ", "[défaut : "),
    ("[required]", "[obligatoire]"),
    ("[env var: ", "[variable : "),
    ("\nExemples:\n", "\nExemples :\n"),
    ("\nExemple:\n", "\nExemple :\n"),
)

#: How a value is named in help pages and usage lines, by option (then by type below).
METAVARS: dict[str, str] = {
    "--board": "TABLEAU",
    "--deck": "DECK",
    "--layout": "DISPOSITION",
    "--teams": "NOMBRE",
    "--token": "JETON",
    "--api-url": "ADRESSE",
    "--state": "FICHIER",
    "--timeout": "SECONDES",
    "--output": "FICHIER",
    "--snapshot": "FICHIER",
    "--format": "FORMAT",
    "--lang": "LANGUE",
    "--new-board": "NOM",
    "--delimiter": "SÉPARATEUR",
    "--theme": "THÈME",
    "--kind": "NATURE",
    "--difficulty": "NIVEAU",
    "--max-cost": "NIVEAU",
    "--code": "CODE",
    "--port": "PORT",
    "--host": "ADRESSE",
    "--latency": "MS",
}

#: How an argument is named when its command did not say (by the function parameter's name).
_ARGUMENT_METAVARS: dict[str, str] = {"path": "FICHIER", "ref": "DECK", "source": "FICHIER"}

#: Fallback names by the option's Python type.
_TYPE_METAVARS: dict[Any, str] = {int: "NOMBRE", float: "NOMBRE", str: "TEXTE", Path: "FICHIER"}

#: Examples shown at the end of each command's help page, by command path (without "gria-miro").
EXAMPLES: dict[str, tuple[str, ...]] = {
    "": (
        "gria-miro push --board local:atelier.json --yes",
        "gria-miro pull --board local:atelier.json -o feuille-de-route.md",
        "gria-miro push --help",
    ),
    "deck": ("gria-miro deck validate decks/gria-fr.yaml", "gria-miro deck show gria-fr --theme gouvernance"),
    "deck validate": ("gria-miro deck validate decks/gria-fr.yaml", "gria-miro deck validate cartes.csv"),
    "deck show": (
        "gria-miro deck show gria-fr --theme gouvernance --kind informelle",
        "gria-miro deck show gria-fr --difficulty 1 --max-cost 2",
    ),
    "deck stats": ("gria-miro deck stats gria-fr",),
    "deck schema": ("gria-miro deck schema -o deck.schema.json",),
    "deck export-csv": ("gria-miro deck export-csv gria-fr -o cartes.csv",),
    "deck import-csv": ("gria-miro deck import-csv cartes.csv -o decks/mon-deck.yaml",),
    "layout": ("gria-miro layout preview -o plateau.svg",),
    "layout preview": (
        "gria-miro layout preview --deck gria-fr --layout randonnee -o plateau.svg",
        "gria-miro layout preview --layout atelier-multi-equipes --teams 4 -o atelier.svg --force",
    ),
    "layout validate": ("gria-miro layout validate layouts/randonnee.yaml",),
    "plan": (
        "gria-miro plan --board local:atelier.json",
        'gria-miro plan --board "https://miro.com/app/board/uXjVOD6LSME=/" --format json --detailed-exitcode',
    ),
    "push": (
        "gria-miro push --board local:atelier.json --yes",
        'gria-miro push --board "https://miro.com/app/board/uXjVOD6LSME=/" --layout atelier-multi-equipes --teams 3',
        'gria-miro push --new-board "Atelier IA — musée" --yes',
    ),
    "clean": ("gria-miro clean --board local:atelier.json --yes",),
    "pull": (
        "gria-miro pull --board local:atelier.json -o feuille-de-route.md",
        "gria-miro pull --board local:atelier.json --format csv -o feuille-de-route.csv --snapshot tableau.json",
    ),
    "export": (
        "gria-miro export --snapshot tableau.json --format html -o feuille-de-route.html",
        'gria-miro export --snapshot tableau.json --format odt -o carnet.odt --institution "Musée des Beaux-Arts"',
    ),
    "print": ("gria-miro print cards --backs -o cartes.pdf",),
    "print cards": (
        "gria-miro print cards --backs -o cartes.pdf",
        "gria-miro print cards --theme gouvernance --codes FORM-03,FORM-05 -o reimpression.pdf",
    ),
    "print board": (
        "gria-miro print board --paper a1 -o plateau.pdf",
        "gria-miro print board --paper a4 -o tuiles.pdf",
    ),
    "print carnet": ("gria-miro print carnet --layout randonnee -o carnet.pdf",),
    "serve": ("gria-miro serve atelier.db --port 8750",),
    "login": ("gria-miro login", "gria-miro whoami"),
    "logout": ("gria-miro logout",),
    "whoami": ("gria-miro whoami", "gria-miro whoami --token JETON"),
}


class _PlainBool:
    """Coerces a flag's value without typer's pydantic adapter (importing pydantic costs ~0.2 s per run)."""

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        return value if value is None else bool(value)


def translate_help(text: str) -> str:
    """A finished help page with the fixed English fragments said in French."""
    for english, french in HELP_CATALOG:
        text = text.replace(english, french)
    return _PYTHON_TYPE.sub(lambda m: " " * len(m.group()), text)  # "<path>": the name says it, columns stay


_PYTHON_TYPE = re.compile(r" <(?:str|int|float|path|bool)>(?= )")


def _write_examples(command_path: str, formatter: Any) -> None:
    path = command_path.partition(" ")[2]
    examples = EXAMPLES.get(path)
    if not examples:
        return
    formatter.write_paragraph()
    formatter.write_heading("Exemple" + ("s" if len(examples) > 1 else ""))
    with formatter.indentation():
        for line in examples:
            formatter.write(f"{'':>{formatter.current_indent}}{line}\n")


def _typer_class(command: Any) -> Any:
    return TyperGroup if isinstance(command, TyperGroup) else TyperCommand


def _get_help(self: Any, ctx: Any) -> str:
    return translate_help(_typer_class(self).get_help(self, ctx))


def _format_epilog(self: Any, ctx: Any, formatter: Any) -> None:
    _typer_class(self).format_epilog(self, ctx, formatter)
    _write_examples(ctx.command_path, formatter)


def _get_help_option(self: Any, ctx: Any) -> Any:
    return _french_help_option(_typer_class(self).get_help_option(self, ctx))


class FrenchCommand(TyperCommand):
    """A typer command whose help page is in French and ends with examples."""

    get_help = _get_help
    format_epilog = _format_epilog
    get_help_option = _get_help_option


class FrenchGroup(TyperGroup):
    """A typer group whose help page is in French and ends with examples."""

    get_help = _get_help
    format_epilog = _format_epilog
    get_help_option = _get_help_option


def _french_help_option(option: Any) -> Any:
    if option is not None:
        option.help = "Affiche cette aide et quitte."
        if getattr(option, "_runtime_param", None) is None:
            option._runtime_param = _PlainBool()
    return option


def _walk(command: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, command
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from _walk(sub, f"{path} {name}".strip())


def french_tree(app: typer.Typer) -> Any:
    """The click command tree of ``app``, every command made French (help, metavars, examples)."""
    root = typer.main.get_command(app)
    for _, command in _walk(root):
        command.__class__ = FrenchGroup if isinstance(command, TyperGroup) else FrenchCommand
        if isinstance(command, TyperGroup):
            command.subcommand_metavar = "COMMANDE [ARGUMENTS]..."
        for param in command.params:
            _name_value(param)
            if param.param_type_name == "option" and param.help:
                param.help = translate_help(param.help)
    return root


def command_paths(app: typer.Typer) -> list[str]:
    """Every command path of the tree ("" for the root, "deck show"…), for the tests."""
    return [path for path, _ in _walk(typer.main.get_command(app))]


def _name_value(param: Any) -> None:
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    if annotation is bool:
        if getattr(param, "_runtime_param", None) is None:
            param._runtime_param = _PlainBool()
        return
    if param.metavar is not None:
        return
    if param.param_type_name == "argument":
        param.metavar = _ARGUMENT_METAVARS.get(str(param.name), str(param.name).upper())
        return
    long_names = [opt for opt in param.opts if opt.startswith("--")]
    named = next((METAVARS[opt] for opt in long_names if opt in METAVARS), None)
    if named is None:
        inner = getattr(annotation, "__args__", None)
        named = _TYPE_METAVARS.get(inner[0] if inner else annotation, "VALEUR")
    param.metavar = named


# --- usage errors -----------------------------------------------------------------------------

#: click/typer usage messages (English) → French, one pattern per message click can produce.
_USAGE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"No such command '(.+?)'\.(?:\s*Did you mean (.+)\?)?"), "commande inconnue « {0} »"),
    (re.compile(r"Missing command\."), "commande manquante"),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)"), "argument en trop : {0}"),
    (re.compile(r"Option '(.+?)' requires an argument\."), "l'option {0} attend une valeur"),
    (re.compile(r"Option '(.+?)' requires (\d+) arguments\."), "l'option {0} attend {1} valeurs"),
    (re.compile(r"Option '(.+?)' does not take a value\."), "l'option {0} ne prend pas de valeur"),
    (re.compile(r"Argument '(.+?)' takes (\d+) values\."), "l'argument {0} attend {1} valeurs"),
)


def usage_error_line(exc: Exception) -> str:
    """A click usage error (exit 2) said in one French line, ending with where to find help."""
    from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption

    ctx = getattr(exc, "ctx", None)
    hint = f" (aide : {ctx.command_path} --help)" if ctx is not None else ""
    if isinstance(exc, NoSuchOption):
        close = sorted(exc.possibilities or ())
        suggestion = f" ; vouliez-vous dire {_either(close)} ?" if close else ""
        return f"option inconnue {exc.option_name}{suggestion}{hint}"
    if isinstance(exc, MissingParameter):
        param = exc.param
        if param is not None and param.param_type_name == "argument":
            return f"argument manquant : {_argument_name(param)}{hint}"
        names = " / ".join(param.opts) if param is not None else "?"
        return f"option obligatoire manquante : {names}{hint}"
    if isinstance(exc, BadParameter):
        where = _param_name(exc)
        return f"{where} : {_bad_value(exc)}{hint}"
    message = str(getattr(exc, "message", exc))
    for pattern, french in _USAGE_PATTERNS:
        match = pattern.fullmatch(message.strip())
        if match:
            groups = [group for group in match.groups() if group is not None]
            line = french.format(*groups)
            if "No such command" in message and len(groups) > 1:
                close = [name.strip("'\" ") for name in re.split(r",| or ", groups[1]) if name.strip("'\" ")]
                line += f" ; vouliez-vous dire {_either(close)} ?"
            return line + hint
    return message + hint


def _either(names: list[str]) -> str:
    """``a``, ``a ou b``, ``a, b ou c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} ou {names[-1]}"


def _argument_name(param: Any) -> str:
    return str(param.metavar or param.name.upper()).strip("[]")


def _param_name(exc: Any) -> str:
    param = exc.param
    if param is None:
        return "valeur invalide"
    if param.param_type_name == "argument":
        return f"argument {_argument_name(param)}"
    long_names = [opt for opt in param.opts if opt.startswith("--")]
    return f"option {(long_names or param.opts)[0]}"


#: pydantic error types typer's coercion produces → French reason.
_REASONS = {
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu (sans décimale)",
    "int_type": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "float_type": "nombre attendu",
    "bool_parsing": "oui/non attendu",
}


def _bad_value(exc: Any) -> str:
    cause = exc.__cause__
    errors = cause.errors() if hasattr(cause, "errors") else []
    if not errors:
        return str(exc.message)  # our own callbacks raise BadParameter in French
    error = errors[0]
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind in _REASONS:
        return f"{_REASONS[kind]}, reçu « {value} »"
    bounds = {
        "greater_than_equal": "au moins {}",
        "greater_than": "plus de {}",
        "less_than_equal": "au plus {}",
        "less_than": "moins de {}",
    }
    if kind in bounds:
        return f"{bounds[kind].format(next(iter(ctx.values()), ''))} attendu, reçu « {value} »"
    return f"valeur « {value} » invalide"
