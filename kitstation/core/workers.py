"""A thread pool whose threads are started ahead of demand, by a thread of its own, not the loop.

``ThreadPoolExecutor.submit`` starts a new thread when no worker is idle, and ``Thread.start``
waits until the new thread runs: on the caller's thread, which for the adapters' pools is the
bench's event loop. On a loaded 2-core machine that wait is the scheduler's and the GIL's, not
the station's: in a 64-device batch (``benchmarks/bench_batch.py --callback-cpu``, load 1.7-2.5)
the adb pool's 34 thread starts and the activation pool's 33 held the loop 122 ms in all, up to
30 ms for one ``submit`` -- and they come in bursts (32 Galaxy phones attach at once, 32 iPhones
reach activation at once), so several add up in one loop iteration: a stall of the whole bench.

:class:`WarmPool` starts its first ``ahead`` threads on a warmer thread when told to (``warm``,
when the station's device stream starts, before any device is seen), and
whenever the work in flight comes within ``ahead`` of the threads it has, the warmer starts more
(up to ``max_workers``), so a ``submit`` from the loop finds an idle worker. It uses only the
executor's public API: the warmer submits placeholder items; one that runs on a new thread waits
until all of its round have run, which makes the executor start another thread for the next
(one on a thread that already existed returns at once, so idle workers stay free); then it lets
them go, and the threads stay as idle workers (a ``ThreadPoolExecutor`` never ends its threads
before shutdown).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

# How long a placeholder waits for the rest of its round before it lets its thread go (the pool
# may be at max_workers, or busy with real work, so that a round never completes).
_ROUND_WAIT_S = 2.0


class WarmPool(ThreadPoolExecutor):
    """A :class:`ThreadPoolExecutor` keeping ``ahead`` idle threads started before they are needed."""

    def __init__(self, max_workers: int, thread_name_prefix: str, ahead: int) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=thread_name_prefix)
        self._limit = max_workers
        self._ahead = max(0, min(ahead, max_workers))
        self._lock = threading.Lock()
        self._in_flight = 0  # real work items submitted and not yet finished
        self._seen: set[int] = set()  # the worker threads known to exist (they ran an item)
        self._want = threading.Event()
        self._closed = False
        self._warmer: threading.Thread | None = None
        self._warmer_name = f"{thread_name_prefix}-warmer"

    def warm(self) -> None:
        """Start the warmer (once): from now on ``ahead`` idle threads are kept started.

        Called when a station goes live (its device streams start), not when the pool is made, so
        that a one-off command or a test that never uses the pool starts no threads.
        """
        with self._lock:
            if self._warmer is not None or self._closed or not self._ahead:
                return
            self._warmer = threading.Thread(target=self._warm, name=self._warmer_name, daemon=True)
        self._warmer.start()
        self._want.set()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        seen = self._seen

        def run() -> T:
            seen.add(threading.get_ident())
            return fn(*args, **kwargs)

        with self._lock:
            self._in_flight += 1
            if self._warmer is not None and self._in_flight + self._ahead > len(seen):
                self._want.set()
        try:
            future = super().submit(run)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future[Any] | None) -> None:
        with self._lock:
            self._in_flight -= 1

    def threads_started(self) -> int:
        """How many worker threads are known to have started (for tests and diagnostics)."""
        return len(self._seen)

    def _warm(self) -> None:
        while True:
            self._want.wait()
            self._want.clear()
            with self._lock:
                if self._closed:
                    return
                target = min(self._limit, self._in_flight + self._ahead)
                missing = target - len(self._seen)
            if missing <= 0:
                continue
            if not self._round(missing):
                return

    def _round(self, missing: int) -> bool:
        """Start up to ``missing`` new threads with placeholders; False once the pool is shut down."""
        started = threading.Semaphore(0)
        release = threading.Event()
        seen = self._seen

        def placeholder() -> None:
            me = threading.get_ident()
            new = me not in seen
            seen.add(me)
            started.release()
            if new:  # hold a new thread, so that the next placeholder needs one more
                release.wait(_ROUND_WAIT_S)

        submitted = 0
        try:
            for _ in range(missing):
                super().submit(placeholder)
                submitted += 1
        except RuntimeError:  # shut down meanwhile
            return False
        finally:
            for _ in range(submitted):
                if not started.acquire(timeout=_ROUND_WAIT_S):
                    break
            release.set()
        return True

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
        self._want.set()
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
