"""The GUI's one way to do work off the GUI thread (in the spirit of Anki's ``QueryOp``/``CollectionOp``).

``Op(parent, work).success(show).failure(explain).run()`` runs ``work`` on an executor and calls
``show(result)`` or ``explain(exc)`` on the GUI thread; ``Op.coroutine(parent, coro)`` does the
same for a coroutine on the qasync loop (bench start/stop). Nothing else in ``kitstation.ui``
starts a thread, a task or a future.

Why one mechanism: the GUI thread also drives every device (qasync), so a blocking call there
stalls the whole bench, and each private mechanism got the corner cases differently (the window
closed before the result, an exception lost in a thread). Here:

* the result is delivered through a Qt signal of a relay object owned by ``parent``: if the
  dialog that asked is gone, the result is dropped instead of touching a deleted widget;
* an exception without a ``failure`` handler goes to :data:`unhandled` (the window's error
  banner), never silently nowhere;
* database reads go to :func:`database_executor` (one thread: the log is read in order, and
  a guard in the tests asserts no SQL runs on the GUI thread); files and network go to
  :func:`background_executor`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from kitstation.ui.qt import QObject, Signal

T = TypeVar("T")
log = logging.getLogger(__name__)


def _log_unhandled(exc: BaseException) -> None:
    log.error("background operation failed", exc_info=(type(exc), exc, exc.__traceback__))


# The window points this at its error reporter (banner + log file).
unhandled: Callable[[BaseException], None] = _log_unhandled

_lock = threading.Lock()
_executors: dict[str, ThreadPoolExecutor] = {}
_running: set[Op[Any]] = set()  # keeps an op (and its relay) alive until its callback ran


def _executor(name: str, workers: int) -> ThreadPoolExecutor:
    with _lock:
        ex = _executors.get(name)
        if ex is None:
            ex = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"gui-{name}")
            _executors[name] = ex
        return ex


def background_executor() -> Executor:
    """For files and network (certificate fetch, blueprint writes, report export)."""
    return _executor("background", 4)


def database_executor(kitlog: object | None = None) -> Executor:
    """For log reads: the log's own executor when it offers one, else the GUI's single reader thread."""
    ex = getattr(kitlog, "executor", None)
    if isinstance(ex, Executor):
        return ex
    return _executor("database", 1)


def shutdown() -> None:
    """Stop the GUI's worker threads (the app at exit; tests between cases). Running work is not waited for."""
    with _lock:
        executors = list(_executors.values())
        _executors.clear()
    for ex in executors:
        ex.shutdown(wait=False, cancel_futures=True)


def pending() -> int:
    """How many operations have not delivered their result yet (tests wait for 0)."""
    return len(_running)


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from a worker arrives here through Qt's queue."""

    done = Signal(object)


class Op(Generic[T]):
    """One piece of work off the GUI thread, with its callbacks on the GUI thread."""

    def __init__(self, parent: QObject, work: Callable[[], T], executor: Executor | None = None) -> None:
        self._work = work
        self._executor = executor
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._relay = _Relay(parent)
        self._relay.done.connect(self._deliver)
        self._relay.destroyed.connect(lambda *_: _running.discard(self))
        self._coro: Coroutine[Any, Any, T] | None = None
        self.task: asyncio.Task[T] | None = None

    @classmethod
    def coroutine(cls, parent: QObject, coro: Coroutine[Any, Any, T]) -> Op[T]:
        """The same for a coroutine: it runs on the qasync loop; callbacks as for a function."""
        op: Op[T] = cls(parent, lambda: None)  # type: ignore[arg-type, return-value]
        op._coro = coro
        return op

    def success(self, fn: Callable[[T], None]) -> Op[T]:
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], None]) -> Op[T]:
        self._failure = fn
        return self

    def run(self) -> Op[T]:
        _running.add(self)
        if self._coro is not None:
            self.task = asyncio.get_event_loop().create_task(self._coro)
            self.task.add_done_callback(self._relay_done)
            return self
        ex = self._executor or background_executor()
        fut = ex.submit(self._work)
        fut.add_done_callback(self._relay_done)
        return self

    def _relay_done(self, fut: Future[T] | asyncio.Future[T]) -> None:
        try:
            self._relay.done.emit(fut)
        except RuntimeError:  # the relay's owner was deleted meanwhile: nobody wants the result
            _running.discard(self)

    def _deliver(self, fut: Future[T] | asyncio.Future[T]) -> None:
        _running.discard(self)
        if fut.cancelled():
            return
        exc = fut.exception()
        if exc is not None:
            (self._failure or unhandled)(exc)
            return
        if self._success is not None:
            self._success(fut.result())
