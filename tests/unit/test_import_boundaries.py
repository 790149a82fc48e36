"""The pure core stays pure: what docs/architecture.md and docs/standards.md promise, checked on the source.

The deck model, the layout engine, the planner, identity, request bodies, pull's assignment and roadmap, and
every renderer are plain functions of typed values. Neither they nor anything they import (inside gria_miro,
followed transitively, lazy imports included) may import HTTP (``requests``), the terminal (``typer``,
``rich``) or a module that opens files, nor call ``open()`` or a ``Path`` read/write method themselves.
Imports are read with :mod:`ast`, so nothing is executed and a failure names the module and the chain.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = "gria_miro"

#: The pure core, as the architecture documents list it (a trailing ``.*`` means the whole package).
PURE = (
    "gria_miro.deck.model",
    "gria_miro.layout.engine",
    "gria_miro.sync.planner",
    "gria_miro.sync.identity",
    "gria_miro.sync.bodies",
    "gria_miro.pull.assign",
    "gria_miro.pull.roadmap",
    "gria_miro.render.*",
)

#: Outside modules a pure module may not import, and why (one line each).
FORBIDDEN_OUTSIDE = {
    "requests": "HTTP",
    "urllib3": "HTTP",
    "http": "HTTP",
    "socket": "network",
    "typer": "terminal (CLI)",
    "rich": "terminal",
    "click": "terminal (CLI)",
    "yaml": "file format parsing belongs to the file layer",
    "shutil": "file I/O",
    "tempfile": "file I/O",
    "sqlite3": "file I/O",
    "subprocess": "processes",
    "fcntl": "file locks",
}

#: gria_miro modules that do I/O (HTTP, files, terminal): a pure module may not reach them.
FORBIDDEN_INSIDE = {
    "gria_miro.sourcefile": "reads files",
    "gria_miro.atomicfile": "writes files",
    "gria_miro.resources": "finds files on disk",
    "gria_miro.connect": "opens a Miro connection",
    "gria_miro.miro": "HTTP",
    "gria_miro.localboard": "local board store and server",
    "gria_miro.cli": "terminal (CLI)",
    "gria_miro.sync.state": "state file",
    "gria_miro.sync.apply": "HTTP writes",
    "gria_miro.sync.push": "gathers files and the board",
    "gria_miro.pull.snapshot": "snapshot files",
    "gria_miro.deck.loading": "deck files",
    "gria_miro.deck.csvio": "CSV files",
    "gria_miro.layout.loading": "layout files",
}

#: Calls that touch the file system, whatever they are called on.
FILE_METHODS = {"open", "read_text", "write_text", "read_bytes", "write_bytes", "mkdir", "unlink", "rename", "touch"}


def _module_path(module: str) -> Path | None:
    base = SRC.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node that can run: ``if TYPE_CHECKING:`` blocks are left out."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    is_package = _module_path(module) == SRC.joinpath(*module.split("."), "__init__.py")
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


@cache
def _nodes(module: str) -> tuple[ast.AST, ...]:
    """The run-time nodes of ``module``'s source, parsed once per test session."""
    path = _module_path(module)
    return () if path is None else tuple(_runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))))


@cache
def _imports(module: str) -> tuple[str, ...]:
    """Every module ``module`` imports at run time (``from a import b`` gives ``a.b`` when that is a module)."""
    found: list[str] = []
    for node in _nodes(module):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            found.append(target)
            found += [f"{target}.{a.name}" for a in node.names if _module_path(f"{target}.{a.name}") is not None]
    return tuple(dict.fromkeys(found))


def _parents(module: str) -> list[str]:
    """``a.b.c`` → ``a``, ``a.b``: importing a module runs its packages' ``__init__`` first."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _closure(start: str) -> dict[str, list[str]]:
    """Every gria_miro module reached from ``start``, with the import chain that reaches it."""
    chains = {start: [start]}
    todo = [start]
    while todo:
        current = todo.pop()
        for imported in _imports(current):
            for reached in (*_parents(imported), imported):
                if reached.split(".")[0] == PACKAGE and reached not in chains and _module_path(reached):
                    chains[reached] = [*chains[current], reached]
                    todo.append(reached)
    return chains


def _pure_modules() -> list[str]:
    modules = []
    for entry in PURE:
        if entry.endswith(".*"):
            package = entry[:-2]
            folder = SRC.joinpath(*package.split("."))
            for path in sorted(folder.rglob("*.py")):
                relative = path.relative_to(SRC).with_suffix("")
                parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
                modules.append(".".join(parts))
        else:
            modules.append(entry)
    return modules


def _is_under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _violations(start: str) -> list[str]:
    problems = []
    for reached, chain in sorted(_closure(start).items()):
        for banned, why in FORBIDDEN_INSIDE.items():
            if _is_under(reached, banned):
                problems.append(f"{' → '.join(chain)} ({why})")
        for imported in _imports(reached):
            top = imported.split(".")[0]
            if top in FORBIDDEN_OUTSIDE:
                problems.append(f"{' → '.join([*chain, imported])} ({FORBIDDEN_OUTSIDE[top]})")
        for node in _nodes(reached):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Name) and node.func.id == "open":
                problems.append(f"{' → '.join(chain)} calls open() line {node.lineno}")
            if isinstance(node.func, ast.Attribute) and node.func.attr in FILE_METHODS:
                problems.append(f"{' → '.join(chain)} calls .{node.func.attr}() line {node.lineno}")
    return problems


def test_the_pure_core_is_all_there() -> None:
    modules = _pure_modules()
    missing = [m for m in modules if _module_path(m) is None]
    assert not missing, f"renamed or removed? update PURE: {missing}"
    assert {"gria_miro.render.plan", "gria_miro.render.svg"} <= set(modules)


@pytest.mark.parametrize("module", _pure_modules())
def test_pure_module_reaches_no_http_terminal_or_files(module: str) -> None:
    problems = _violations(module)
    assert not problems, "\n".join(problems)


def test_deck_csv_and_yaml_loading_do_not_import_each_other() -> None:
    assert "gria_miro.deck.loading" not in _closure("gria_miro.deck.csvio")
    assert "gria_miro.deck.csvio" in _closure("gria_miro.deck.loading")


def test_the_checker_sees_a_forbidden_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checker itself: a lazy import of requests, a Path write and an import under TYPE_CHECKING."""
    fake = tmp_path / "gria_miro" / "render"
    fake.mkdir(parents=True)
    (tmp_path / "gria_miro" / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "helper.py").write_text("def go(p):\n    import requests\n    p.write_text('x')\n")
    (fake / "bad.py").write_text(
        "from typing import TYPE_CHECKING\nfrom . import helper\nif TYPE_CHECKING:\n    import rich\n"
    )
    monkeypatch.setattr(f"{__name__}.SRC", tmp_path)
    _imports.cache_clear()
    _nodes.cache_clear()
    try:
        problems = _violations("gria_miro.render.bad")
    finally:
        _imports.cache_clear()
        _nodes.cache_clear()
    assert problems == [
        "gria_miro.render.bad → gria_miro.render.helper → requests (HTTP)",
        "gria_miro.render.bad → gria_miro.render.helper calls .write_text() line 3",
    ]
