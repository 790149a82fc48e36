"""Process-wide CLI settings (the --debug flag), shared by the command modules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CliState:
    debug: bool = False


STATE = CliState()
