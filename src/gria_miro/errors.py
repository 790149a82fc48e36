"""Exception types that carry data, and the one exit-status enum of the CLI.

Every error a user can cause or meet is a :class:`GriaError`. It knows its exit
status and how to say itself in one line (:meth:`GriaError.one_line`); the CLI
turns it into words and an exit code in exactly one place (``cli/_errors.py``).
Nothing here performs I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitStatus(IntEnum):
    """Exit codes of ``gria-miro``; documented in README.md ("Codes de sortie")."""

    SUCCESS = 0
    #: An unexpected bug in gria-miro itself (a traceback is shown only with --debug).
    INTERNAL_ERROR = 1
    #: Bad input: a deck, layout, snapshot, option or board id to fix.
    USER_ERROR = 2
    #: Miro (or the local board) answered with an error: auth, permission, not found, rate limit, 5xx.
    API_ERROR = 3
    #: The network could not be reached (DNS, connection refused, timeout).
    NETWORK_ERROR = 4
    #: A push left conflicts (edited on the board and in the deck) unresolved.
    CONFLICT = 5
    #: ``plan --detailed-exitcode``: the plan has changes to apply.
    CHANGES_PENDING = 6
    #: Interrupted by the user (Ctrl-C); what was done so far is saved.
    INTERRUPTED = 130


class GriaError(Exception):
    """Base of every error gria-miro raises on purpose."""

    exit_status: ExitStatus = ExitStatus.INTERNAL_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def one_line(self) -> str:
        """The message a user reads: one line, no traceback."""
        return " ".join(self.message.split())

    def detail_lines(self) -> list[str]:
        """Extra lines shown under the one-line message (e.g. every problem of a file)."""
        return []


class UserError(GriaError):
    """Something the user gave (file, option, id) must be fixed."""

    exit_status = ExitStatus.USER_ERROR


#: Where a value sits in a parsed input file: keys and list indexes from the root, e.g. ``("cards", 3, "cost")``.
Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in an input file, located as precisely as possible."""

    path: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class InputFileError(UserError):
    """A deck, layout, CSV or snapshot file has one or more problems; all are carried."""

    def __init__(self, kind: str, path: str, problems: list[Problem]) -> None:
        self.kind = kind
        self.path = path
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.message))
        count = len(self.problems)
        first = str(self.problems[0]) if self.problems else path
        if count == 1:
            message = first
        else:
            message = f"{path}: {count} problèmes dans ce fichier ({kind}) ; le premier : {first}"
        super().__init__(message)

    def detail_lines(self) -> list[str]:
        return [str(p) for p in self.problems] if len(self.problems) > 1 else []


class ConflictError(GriaError):
    """A push finished but left conflicts that need a decision (``--force``)."""

    exit_status = ExitStatus.CONFLICT
