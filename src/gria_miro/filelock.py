"""A cross-platform inter-process lock, named by a key, that leaves nothing beside users' files.

One responsibility: let one process (and one thread of it) at a time into a critical section named by
a string key, on every platform gria-miro supports. Used by the local board store (one writer of a
board file at a time) and by ``push`` (one push at a time per board).

Usage::

    from gria_miro.filelock import InterProcessLock, path_key

    with InterProcessLock(path_key(board_file), label=f"le tableau local {board_file}"):
        ...  # read-modify-write the file

Design, and why:

- **OS locks, not lock files that exist or not.** The lock is ``fcntl.flock`` on POSIX and
  ``msvcrt.locking`` on Windows, taken on a small file. The OS releases it when the process dies
  (even on ``SIGKILL``), so a crash never leaves a stale lock to clean by hand. Each platform's module
  is imported only on that platform (:func:`_os_lock`), so every module of gria-miro imports on both.
- **Lock files live in a lock directory, never beside the user's files.** A facilitator's folder
  holds ``atelier.json``, not ``atelier.json.lock``. The directory is ``$GRIA_MIRO_LOCK_DIR`` if set,
  else ``<temp dir>/gria-miro-locks-<uid>`` on POSIX (created ``0700`` and checked to be ours, since
  ``/tmp`` is shared) and ``<temp dir>\\gria-miro-locks`` on Windows (whose temp dir is per user).
  A lock file is named by a hash of the key (for a file: of its resolved path, see :func:`path_key`),
  so two spellings of one path share one lock. It is kept after release: deleting a lock file
  that another process has open and waits on would let a third process lock a fresh file at the same
  name while the waiter locks the deleted one. Its date is refreshed at each use, so a temp cleaner
  that removes old files leaves it alone while it is in use; should one be removed anyway, a waiter
  checks after locking that the file it holds is still the one at that name, and starts again.
- **Limits.** Processes must agree on the lock directory: the same user and the same
  ``GRIA_MIRO_LOCK_DIR``/temp dir (``HOME`` and the state directory do not matter). Two *users* of one
  machine writing the same board file are not serialised by it; two machines never are (``push``
  serialises on the board itself for that).
- **Threads.** Within one process a per-key re-entrant thread lock is taken first: another thread
  waits like another process would, and the thread that holds the key may enter it again (nested
  ``with``) without deadlocking. Two different keys never block each other.
- **Who holds it.** The holder writes ``<hash>.holder`` (pid, host, program, label, since) next to its
  lock file; a waiter that times out names it in the French message of :class:`LockTimeout`.
  ``on_wait`` is called once, when the lock is found busy, so a command can print a one-line
  "waiting for…" message.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from gria_miro.errors import UserError

#: Default wait before giving up (seconds). A local board write takes milliseconds; a push takes minutes
#: and should pass its own timeout (or ``None``: wait for as long as it takes).
DEFAULT_TIMEOUT = 60.0
_POLL_SECONDS = 0.02
_LOCK_DIR_ENV = "GRIA_MIRO_LOCK_DIR"


@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock, as the holder wrote it (advisory: read without the lock)."""

    pid: int
    host: str
    program: str
    label: str
    since: float

    def describe(self) -> str:
        """French, e.g. « gria-miro push (processus 1234 sur portable, depuis 10:32:05) »."""
        when = datetime.fromtimestamp(self.since).strftime("%H:%M:%S")
        where = f"processus {self.pid} sur {self.host}" if self.host else f"processus {self.pid}"
        return f"{self.program} ({where}, depuis {when})"


class LockTimeout(UserError):
    """The lock stayed held by someone else for longer than the timeout."""

    def __init__(self, label: str, waited: float, holder: LockHolder | None) -> None:
        who = f" par {holder.describe()}" if holder is not None else " par un autre programme gria-miro"
        super().__init__(
            f"{label} est occupé{who} ; attente abandonnée après {waited:.0f} s. "
            "Attendez que l'autre commande se termine, puis relancez."
        )
        self.label = label
        self.waited = waited
        self.holder = holder


class LockUnavailable(UserError):
    """The lock directory cannot be used (permissions, owned by another user…)."""

    def __init__(self, directory: Path, detail: str) -> None:
        super().__init__(
            f"{directory} : dossier des verrous de gria-miro inutilisable ({detail}). "
            f"Donnez un dossier à vous dans la variable d'environnement {_LOCK_DIR_ENV}."
        )
        self.directory = directory
        self.detail = detail


def path_key(path: Path | str) -> str:
    """The lock key of a file: its resolved absolute path (case-folded on Windows), whether it exists or not."""
    resolved = str(Path(path).expanduser().resolve())
    return "file:" + os.path.normcase(resolved)


_checked_directories: dict[tuple[str | None, str], Path] = {}


def lock_directory() -> Path:
    """Where lock files live (created and checked on first use); see the module docstring."""
    explicit = os.environ.get(_LOCK_DIR_ENV)
    cache_key = (explicit, tempfile.gettempdir())
    found = _checked_directories.get(cache_key)
    if found is None or not found.is_dir():
        found = _checked_directories[cache_key] = _make_lock_directory(explicit)
    return found


def _make_lock_directory(explicit: str | None) -> Path:
    if explicit:
        directory = Path(explicit)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LockUnavailable(directory, exc.strerror or type(exc).__name__) from None
        return directory
    base = Path(tempfile.gettempdir())
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: the temp dir is already the user's own
        directory = base / "gria-miro-locks"
        try:
            directory.mkdir(exist_ok=True)
        except OSError as exc:
            raise LockUnavailable(directory, exc.strerror or type(exc).__name__) from None
        return directory
    uid = getuid()
    directory = base / f"gria-miro-locks-{uid}"
    try:
        directory.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(directory)
    except OSError as exc:
        raise LockUnavailable(directory, exc.strerror or type(exc).__name__) from None
    import stat  # local: only this branch needs it

    if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid:  # a shared /tmp: someone else planted it
        raise LockUnavailable(directory, "il appartient à un autre utilisateur ou n'est pas un dossier")
    return directory


# --- the OS lock, one implementation per platform ---------------------------------------------------


class _OsLock:
    """Non-blocking exclusive lock of an open file (the OS frees it when the process ends)."""

    def try_lock(self, handle: IO[bytes]) -> bool:
        raise NotImplementedError

    def unlock(self, handle: IO[bytes]) -> None:
        raise NotImplementedError


class _PosixLock(_OsLock):
    def __init__(self, fcntl_module: Any) -> None:
        self._fcntl = fcntl_module

    def try_lock(self, handle: IO[bytes]) -> bool:
        try:
            self._fcntl.flock(handle.fileno(), self._fcntl.LOCK_EX | self._fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def unlock(self, handle: IO[bytes]) -> None:
        self._fcntl.flock(handle.fileno(), self._fcntl.LOCK_UN)


class _WindowsLock(_OsLock):
    """``msvcrt.locking`` of the file's first byte (a region may lie beyond the end of the file)."""

    def __init__(self, msvcrt_module: Any) -> None:
        self._msvcrt = msvcrt_module

    def try_lock(self, handle: IO[bytes]) -> bool:
        handle.seek(0)
        try:
            self._msvcrt.locking(handle.fileno(), self._msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def unlock(self, handle: IO[bytes]) -> None:
        handle.seek(0)
        self._msvcrt.locking(handle.fileno(), self._msvcrt.LK_UNLCK, 1)


def _os_lock() -> _OsLock:
    """The lock primitive of this platform; the platform's module is imported only here."""
    if sys.platform == "win32":
        import msvcrt

        return _WindowsLock(msvcrt)
    import fcntl

    return _PosixLock(fcntl)


# --- in-process part: one re-entrant thread lock per key -------------------------------------------

_registry_guard = threading.Lock()
_thread_locks: dict[str, threading.RLock] = {}
#: key → (open lock file, nesting depth) for keys this process holds at the OS level
_held: dict[str, tuple[IO[bytes], int]] = {}


def _thread_lock(key: str) -> threading.RLock:
    with _registry_guard:
        lock = _thread_locks.get(key)
        if lock is None:
            lock = _thread_locks[key] = threading.RLock()
        return lock


def _program() -> str:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    command = " ".join(arg for arg in sys.argv[1:2] if not arg.startswith("-"))
    return f"{name} {command}".strip()


def read_holder(path: Path) -> LockHolder | None:
    """The holder recorded in ``path`` (a ``.holder`` file), or None if absent or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return LockHolder(
            pid=int(raw["pid"]),
            host=str(raw["host"]),
            program=str(raw["program"]),
            label=str(raw["label"]),
            since=float(raw["since"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


class InterProcessLock:
    """An exclusive lock named by ``key``, across processes and threads; a context manager.

    ``timeout``: seconds to wait (``None``: no limit, ``0``: one try) before :class:`LockTimeout`.
    ``label``: what is locked, in French, for messages (« le tableau local atelier.json »).
    ``on_wait``: called once with the current holder (if known) when the lock is found busy.
    """

    def __init__(
        self,
        key: str,
        *,
        label: str,
        timeout: float | None = DEFAULT_TIMEOUT,
        on_wait: Callable[[LockHolder | None], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.key = key
        self.label = label
        self.timeout = timeout
        self.on_wait = on_wait
        self._clock = clock
        self._sleep = sleep
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        self._name = digest

    def __repr__(self) -> str:
        return f"InterProcessLock({self.key!r})"

    @property
    def lock_path(self) -> Path:
        """The lock file (in :func:`lock_directory`)."""
        return lock_directory() / f"{self._name}.lock"

    @property
    def holder_path(self) -> Path:
        """The file naming the current holder."""
        return lock_directory() / f"{self._name}.holder"

    def holder(self) -> LockHolder | None:
        """Who holds the lock now, as far as can be told."""
        return read_holder(self.holder_path)

    def acquire(self) -> None:
        """Wait for the lock (see ``timeout``), then hold it."""
        self._notified = False
        start = self._clock()
        deadline = None if self.timeout is None else start + self.timeout
        thread_lock = _thread_lock(self.key)
        if not thread_lock.acquire(blocking=False):
            self._notify_wait()
            remaining = -1.0 if deadline is None else max(0.0, deadline - self._clock())
            if not thread_lock.acquire(timeout=remaining):
                raise LockTimeout(self.label, self._clock() - start, self.holder())
        try:
            with _registry_guard:
                held = _held.get(self.key)
                if held is not None:  # this thread holds it already: nest
                    _held[self.key] = (held[0], held[1] + 1)
                    return
            handle = self._lock_file(start, deadline)
            with _registry_guard:
                _held[self.key] = (handle, 1)
            self._write_holder()
        except BaseException:
            thread_lock.release()
            raise

    def release(self) -> None:
        """Let the next process or thread in."""
        with _registry_guard:
            handle, depth = _held[self.key]
            if depth > 1:
                _held[self.key] = (handle, depth - 1)
            else:
                del _held[self.key]
        try:
            if depth == 1:
                with contextlib.suppress(OSError):
                    self.holder_path.unlink()
                try:
                    _os_lock().unlock(handle)
                finally:
                    handle.close()
        finally:
            _thread_lock(self.key).release()

    def __enter__(self) -> InterProcessLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()

    # --- internals ---------------------------------------------------------------------------------

    _notified = False

    def _notify_wait(self) -> None:
        if self.on_wait is not None and not self._notified:
            self._notified = True
            self.on_wait(self.holder())

    def _lock_file(self, start: float, deadline: float | None) -> IO[bytes]:
        primitive = _os_lock()
        path = self.lock_path
        while True:
            try:
                handle = open(path, "a+b")  # kept open while the lock is held
            except OSError as exc:
                raise LockUnavailable(path.parent, exc.strerror or type(exc).__name__) from None
            if primitive.try_lock(handle):
                if self._still_at_path(handle, path):
                    with contextlib.suppress(OSError):
                        os.utime(path)  # in use: not "old" for a temp cleaner
                    return handle
                primitive.unlock(handle)  # removed or replaced under us: lock the current file instead
                handle.close()
                continue
            handle.close()
            self._notify_wait()
            if deadline is not None and self._clock() >= deadline:
                raise LockTimeout(self.label, self._clock() - start, self.holder())
            self._sleep(_POLL_SECONDS)

    @staticmethod
    def _still_at_path(handle: IO[bytes], path: Path) -> bool:
        try:
            here, there = os.fstat(handle.fileno()), os.stat(path)
        except OSError:
            return False
        if not here.st_ino:  # some Windows file systems report no inode: nothing to compare
            return True
        return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)

    def _write_holder(self) -> None:
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "program": _program(),
            "label": self.label,
            "since": time.time(),
        }
        tmp = self.holder_path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        with contextlib.suppress(OSError):
            tmp.write_text(json.dumps(record), encoding="utf-8")
            os.replace(tmp, self.holder_path)
