"""The one way gria-miro writes a file: all at once, never half.

Every writer (output files of the CLI, the state store, the local board file) goes through
:func:`write_atomic`: the bytes go to a temporary file in the same folder, are ``fsync``-ed,
then ``os.replace``-d over the target. A reader, or a process killed mid-write, sees the old
file or the new one, never a mix, and no temporary file is left behind on failure.

Errors are plain :class:`OSError` s: each caller knows which file it was writing and says
so in French (an output file, the state, a local board).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, mode: int | None = None, sync_folder: bool = False) -> None:
    """Replace ``path`` by ``data`` atomically.

    ``mode``: the new file's permission bits; by default an existing file keeps its own and
    a new file gets what ``open()`` would give it (0o666 minus the umask). ``sync_folder``
    also ``fsync`` s the folder, so the rename itself survives a power cut.
    """
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, _mode_for(path) if mode is None else mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if sync_folder and hasattr(os, "O_DIRECTORY"):  # folders cannot be opened (nor fsync-ed) on Windows
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder_fd)
        finally:
            os.close(folder_fd)


def _mode_for(path: Path) -> int:
    """The permission bits a plain ``open(path, "w")`` would leave: the existing file's, or the umask's."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
