"""Tasks run side by side for one operation, and abandoned together when it stops early.

A :class:`CallGroup` submits tasks to an executor. Leaving its ``with`` block cancels the tasks not
started and marks the group abandoned: code running in a member task asks :func:`current_group` and
stops at its next step (the HTTP transport does so before each attempt and during each wait), raising
:class:`CallAbandoned`, a result nobody reads. A group created inside a member task of another group is
abandoned with it. This is why a failed or interrupted read leaves no thread retrying behind it.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Executor, Future
from types import TracebackType
from typing import Any, TypeVar

from gria_miro.errors import GriaError

T = TypeVar("T")


class CallAbandoned(GriaError):
    """A call stopped before its next attempt because its group was left or the transport closed.

    Raised in a pool thread whose result the stopped operation no longer reads: no command shows it.
    """

    def __init__(self) -> None:
        super().__init__("appel abandonné : l'opération dont il faisait partie s'est arrêtée")


#: The group of the call running in this thread (set by :meth:`CallGroup.submit` for the task's duration).
_CURRENT_GROUP: contextvars.ContextVar[CallGroup | None] = contextvars.ContextVar("gria_miro_call_group", default=None)


class CallGroup:
    """Tasks started together on a pool for one operation; leaving the ``with`` block abandons them.

    Abandoning cancels the tasks not started and makes the calls still running stop at their next
    attempt or wait (:class:`CallAbandoned`). A group started inside a task of another group is
    abandoned with it. Leaving the block normally, every task is done already, so nothing changes.
    """

    def __init__(self, pool: Executor, *, on_exit: Callable[[CallGroup], None] | None = None) -> None:
        self._pool = pool
        self._on_exit = on_exit
        self._abandoned = threading.Event()
        self._futures: list[Future[Any]] = []
        self._children: list[CallGroup] = []
        self._lock = threading.Lock()
        parent = _CURRENT_GROUP.get()
        if parent is not None:
            parent._adopt(self)

    def __enter__(self) -> CallGroup:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.abandon()
        if self._on_exit is not None:
            self._on_exit(self)

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """Run ``fn`` on the pool as a member of this group."""
        future = self._pool.submit(self._run, fn)
        with self._lock:
            self._futures.append(future)
        return future

    @staticmethod
    def result(future: Future[T]) -> T:
        """A member task's result; one cancelled before it started raises :class:`CallAbandoned`, as one
        stopped midway does."""
        try:
            return future.result()
        except CancelledError:
            raise CallAbandoned from None

    def _run(self, fn: Callable[[], T]) -> T:
        token = _CURRENT_GROUP.set(self)
        try:
            if self.abandoned:
                raise CallAbandoned
            return fn()
        finally:
            _CURRENT_GROUP.reset(token)

    def _adopt(self, child: CallGroup) -> None:
        with self._lock:
            self._children.append(child)
        if self.abandoned:
            child.abandon()

    @property
    def abandoned(self) -> bool:
        return self._abandoned.is_set()

    def abandon(self) -> None:
        """Cancel what has not started; what runs stops at its next attempt or wait."""
        self._abandoned.set()
        with self._lock:
            futures, children = list(self._futures), list(self._children)
        for future in futures:
            future.cancel()
        for child in children:
            child.abandon()

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds`` in a member task, waking at once if the group is abandoned."""
        self._abandoned.wait(seconds)


def current_group() -> CallGroup | None:
    """The group of the task running in this thread, if any."""
    return _CURRENT_GROUP.get()
