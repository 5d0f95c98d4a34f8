"""Benchmark: a mixed batch of simulated devices prepared by one station (issue 7).

Measures, for N devices (half iOS behind the simulated usbmuxd, half Galaxy behind a real adb
server), with latencies scaled from real devices by ``--speed``:

* overhead ratio: the batch's wall time / the wall time of the slowest device prepared alone;
* station CPU per device (ms) and peak RSS of the station process;
* event-loop stall: a probe coroutine sleeps ``--probe-ms`` and records how late it wakes up
  (p50, p99, max) for the whole batch;
* the log writer: for every kind of call the pipeline makes, how long the coroutine waited for it
  (queued behind other devices' writes + running on the writer thread; count, p50, max) and how
  long it ran on the writer thread (``--log-waits``);
* with ``--slow-callbacks MS``: asyncio's debug mode names every callback that held the loop
  longer than MS (a diagnostic run: debug mode itself costs CPU);
* with ``--callback-cpu MS``: the loop thread's CPU time (``time.thread_time``) of every callback
  the loop runs, and the callbacks over MS named -- CPU, so a busy machine's waits for a core do
  not count; the loop's iterations (one ``select`` and the callbacks it made ready) are timed
  too; with ``--profile-callbacks`` as well, every iteration runs under cProfile (thread CPU
  timer) and the functions of those over MS are summed (a diagnostic run: the profiler roughly
  doubles the CPU of Python code, so its iterations are longer than an unprofiled run's); and
  the loop thread's CPU and wall time inside the suspects (plist codec, TLS, certificates, the
  slot board, sockets, executor submits; ``loop_calls``);
* versus the usual alternative: the same devices prepared one after another by a shell loop of
  ``pymobiledevice3`` / ``adb`` commands (``--sequential``).

The simulators run in a separate process (``kitstation simulate``), so the station's CPU and RSS
are the station's own. Run ``python benchmarks/bench_batch.py --help`` for the options; the figures
and the exact commands are in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import json
import logging
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kitstation.blueprints import load_blueprint  # noqa: E402
from kitstation.core.bench import BenchConfig  # noqa: E402
from kitstation.core.protocols import DictSecrets  # noqa: E402
from kitstation.domain.model import Platform  # noqa: E402
from kitstation.station import Station  # noqa: E402

KITSTATION = str(Path(sys.executable).with_name("kitstation"))


class Simulators:
    """``kitstation simulate`` in its own process; parses the environment it prints."""

    def __init__(
        self, ios: int, android: int, speed: float, workdir: Path, jitter: float = 0.0, cpus: set[int] | None = None
    ) -> None:
        self.ios, self.android = ios, android
        sock = workdir / "usbmux.sock"
        cmd = [KITSTATION, "simulate", "--speed", str(speed), "--jitter", str(jitter)]
        if cpus:
            # Started on its own cores (taskset, so that every thread it makes inherits them).
            cmd = ["taskset", "-c", ",".join(map(str, sorted(cpus))), *cmd]
        if ios:
            cmd += ["--ios", str(ios), "--usbmux", str(sock)]
        if android:
            cmd += ["--android", str(android)]
        env = dict(os.environ, HOME=str(workdir / "sim-home"))
        (workdir / "sim-home").mkdir(exist_ok=True)
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True
        )
        self.env: dict[str, str] = {}
        self.lines: list[str] = []
        want = {k for k, n in (("USBMUXD_SOCKET_ADDRESS", ios), ("ANDROID_ADB_SERVER_PORT", android)) if n}
        if ios:
            want |= {"KITSTATION_ACTIVATION_URL", "KITSTATION_ACTIVATION_CA"}
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 300
        while want - set(self.env):
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("simulator exited:\n" + "".join(self.lines))
            self.lines.append(line)
            # Every variable another shell needs: usbmuxd, adb, the activation stand-in (URL, CA).
            m = re.match(r"^(USBMUXD_SOCKET_ADDRESS|ANDROID_ADB_SERVER_PORT|KITSTATION_ACTIVATION_\w+)=(.+)$", line.strip())
            if m:
                self.env[m.group(1)] = m.group(2)
            if time.monotonic() > deadline:
                raise RuntimeError("simulator did not start")

    def cpu_s(self) -> float:
        """The simulator process's CPU time so far (user + system, all its threads; Linux /proc)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


class LogWaits:
    """Times every call of the log's writer (``AsyncKitLog.call``), by the writer function's name.

    Wraps the class's ``call`` for the benchmark process only, so the same script measures any
    tree whose log methods go through ``call`` (the before tree of an A/B included).
    """

    def __init__(self) -> None:
        self.waits: dict[str, list[float]] = {}
        self.runs: dict[str, list[float]] = {}

    def install(self) -> None:
        from kitstation.log.writer import AsyncKitLog

        original = AsyncKitLog.call
        waits, runs = self.waits, self.runs

        async def call(alog: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
            name = getattr(fn, "__name__", "?")

            def timed(*a: Any, **k: Any) -> Any:
                t = time.perf_counter()
                try:
                    return fn(*a, **k)
                finally:
                    runs.setdefault(name, []).append(time.perf_counter() - t)

            t0 = time.perf_counter()
            try:
                return await original(alog, timed, *args, **kwargs)
            finally:
                waits.setdefault(name, []).append(time.perf_counter() - t0)

        setattr(AsyncKitLog, "call", call)  # noqa: B010 - the benchmark times every call, mypy need not check it

    def summary(self) -> dict[str, Any]:
        def ms(values: list[float]) -> dict[str, float]:
            return {
                "p50_ms": round(1000 * statistics.median(values), 1),
                "p90_ms": round(1000 * _percentile(values, 0.9), 1),
                "max_ms": round(1000 * max(values), 1),
            }

        out: dict[str, Any] = {}
        for name, values in sorted(self.waits.items()):
            out[name] = {"n": len(values), "wait": ms(values), "run": ms(self.runs.get(name) or [0.0])}
        every = [v for values in self.waits.values() for v in values]
        if every:
            out["all"] = {"n": len(every), "wait": ms(every), "wait_sum_s": round(sum(every), 2)}
        return out


class SlowCallbacks(logging.Handler):
    """Collects asyncio's debug-mode "Executing <callback> took N seconds" warnings."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[tuple[float, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        m = re.match(r"Executing (.*) took ([0-9.]+) seconds", message, re.S)
        if m:
            self.seen.append((float(m.group(2)), m.group(1)[:300]))

    def summary(self, top: int = 15) -> list[str]:
        return [f"{1000 * t:.0f} ms {what}" for t, what in sorted(self.seen, reverse=True)[:top]]


class CallbackCPU:
    """The loop thread's CPU and wall time per callback and per loop iteration.

    Every callback the loop runs (a task's step, a transport's read, a timer) is a ``Handle``;
    the wrapper of ``asyncio.events.Handle._run`` reads ``time.thread_time()`` and
    ``time.perf_counter()`` around it, on the loop's own thread only (the iOS adapter's worker
    threads run loops of their own). CPU is load-independent: on a loaded machine a callback's wall
    time includes waiting for a core or for the GIL, its CPU time does not. The callbacks whose
    CPU or wall time is over the threshold are named, with the thread's voluntary and involuntary
    context switches meanwhile (``RUSAGE_THREAD``: voluntary = it blocked, on a system call or
    on the GIL; involuntary = the scheduler took the core away). The loop's iterations
    (``_run_once``, less the time in ``select``) are timed too: a probe's late wake-up is one
    iteration's callbacks together, however short each is.

    With ``profile``, each iteration runs under its own ``cProfile.Profile`` timed by the thread's
    CPU clock, and the profiles of the iterations whose CPU is over the threshold are summed, so
    that the functions the loop's thread spends its CPU in when it is busiest are named.
    """

    def __init__(self, threshold_ms: float, profile: bool) -> None:
        self.threshold = threshold_ms / 1000
        self.profile = profile
        self.cpu: list[float] = []
        self.wall: list[float] = []
        # (CPU s, wall s, voluntary, involuntary switches, callback)
        self.long: list[tuple[float, float, int, int, str]] = []
        self.profiled_iterations = 0
        self.iterations: list[tuple[float, float, int]] = []  # (busy wall s, busy CPU s, callbacks run)
        self.stats: Any = None  # pstats.Stats summed over the long callbacks
        self._undo: list[Any] = []

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        import pstats
        from asyncio import events

        original = events.Handle._run
        ident = threading.get_ident()
        thread_time, perf, rusage, who = time.thread_time, time.perf_counter, resource.getrusage, resource.RUSAGE_THREAD
        cpu, wall, long, threshold, profile = self.cpu, self.wall, self.long, self.threshold, self.profile
        owner = self

        def _run(handle: Any) -> None:
            if threading.get_ident() != ident:
                original(handle)
                return
            r0 = rusage(who)
            t, w = thread_time(), perf()
            try:
                original(handle)
            finally:
                dt, dw = thread_time() - t, perf() - w
                cpu.append(dt)
                wall.append(dw)
                if dt > threshold or dw > threshold:
                    r1 = rusage(who)
                    long.append((dt, dw, r1.ru_nvcsw - r0.ru_nvcsw, r1.ru_nivcsw - r0.ru_nivcsw, _describe(handle)))

        events.Handle._run = _run  # type: ignore[method-assign]
        self._undo.append(lambda: setattr(events.Handle, "_run", original))

        # One iteration: select, then every ready callback. Time spent in select is waiting, not work.
        run_once = loop._run_once  # type: ignore[attr-defined]
        selector = loop._selector  # type: ignore[attr-defined]
        select = selector.select
        in_select = [0.0, 0.0]
        iterations = self.iterations

        def timed_select(timeout: Any = None) -> Any:
            w, t = perf(), thread_time()
            try:
                return select(timeout)
            finally:
                in_select[0] += perf() - w
                in_select[1] += thread_time() - t

        def timed_run_once() -> None:
            in_select[0] = in_select[1] = 0.0
            n0 = len(cpu)
            # CPU-time timer: a function's figure is what the loop's thread spent in it, whatever the load.
            prof = cProfile.Profile(thread_time) if profile else None
            w, t = perf(), thread_time()
            if prof is not None:
                prof.enable()
            run_once()
            if prof is not None:
                prof.disable()
            busy_cpu = thread_time() - t - in_select[1]
            iterations.append((perf() - w - in_select[0], busy_cpu, len(cpu) - n0))
            if prof is not None and busy_cpu > threshold:
                st = pstats.Stats(prof)
                if owner.stats is None:
                    owner.stats = st
                else:
                    owner.stats.add(st)
                owner.profiled_iterations += 1

        selector.select = timed_select
        loop._run_once = timed_run_once  # type: ignore[attr-defined]
        self._undo.append(lambda: (delattr(loop, "_run_once"), delattr(selector, "select")))

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()

    def dump(self, path: str) -> None:
        """The summed profile, for ``python -m pstats`` (callers, callees)."""
        if self.stats is not None:
            self.stats.dump_stats(path)

    def summary(self, top: int = 25) -> dict[str, Any]:
        def dist(values: list[float]) -> dict[str, float]:
            values = values or [0.0]
            return {
                "sum_s": round(sum(values), 3),
                "p50_ms": round(1000 * statistics.median(values), 3),
                "p99_ms": round(1000 * _percentile(values, 0.99), 2),
                "p999_ms": round(1000 * _percentile(values, 0.999), 2),
                "max_ms": round(1000 * max(values), 1),
                "over_5ms": sum(1 for v in values if v > 0.005),
                "over_20ms": sum(1 for v in values if v > 0.020),
                "over_50ms": sum(1 for v in values if v > 0.050),
            }

        long_cpu = [x for x in self.long if x[0] > self.threshold]
        out: dict[str, Any] = {
            "threshold_ms": round(1000 * self.threshold, 1),
            "profiled": self.profile,
            "callbacks": len(self.cpu),
            "callback_cpu": dist(self.cpu),
            "callback_wall": dist(self.wall),
            "over_threshold_cpu": len(long_cpu),
            "over_threshold_wall": len(self.long) - len(long_cpu),
            "iterations": len(self.iterations),
            "iteration_busy_wall": dist([i[0] for i in self.iterations]),
            "iteration_busy_cpu": dist([i[1] for i in self.iterations]),
            "longest_iterations": [
                f"wall {1000 * w:.1f} ms cpu {1000 * c:.1f} ms callbacks {n}"
                for w, c, n in sorted(self.iterations, key=lambda x: -x[0])[:10]
            ],
            "longest": [
                f"cpu {1000 * t:.1f} ms wall {1000 * w:.1f} ms vcsw {v} ivcsw {iv} {what}"
                for t, w, v, iv, what in sorted(self.long, key=lambda x: -max(x[0], x[1]))[:top]
            ],
        }
        if self.stats is not None:
            out["profiled_iterations"] = self.profiled_iterations
            for key in ("tottime", "cumulative"):
                buf = io.StringIO()
                self.stats.stream = buf
                self.stats.sort_stats(key).print_stats(top)
                out[f"functions_by_{key}"] = [
                    line.rstrip() for line in buf.getvalue().splitlines() if re.match(r"\s*\d", line)
                ]
        return out


class LoopCalls:
    """The loop thread's CPU and wall time inside chosen functions (``--callback-cpu`` runs).

    The suspects for a long loop iteration, each wrapped for this process only and timed on the
    loop's thread only, outermost call only: the plist codec (lockdown, usbmuxd), the TLS
    handshakes and record reads/writes (``ssl.SSLObject``, the loop's TLS), certificate signing
    (pairing), the slot board's fan-out to subscribers, the sockets' send/recv (a system call
    releases the GIL: wall over CPU there is the wait to take it back), ``json.dumps``, and a
    ``ThreadPoolExecutor.submit`` by executor and by whether it started a thread (``Thread.start``
    waits for the new thread to run).
    """

    def __init__(self) -> None:
        self.stats: dict[str, list[float]] = {}  # label -> [calls, CPU s, wall s, max wall s]
        self._undo: list[Any] = []

    def _record(self, label: str, cpu: float, wall: float) -> None:
        st = self.stats.setdefault(label, [0, 0.0, 0.0, 0.0])
        st[0] += 1
        st[1] += cpu
        st[2] += wall
        st[3] = max(st[3], wall)

    def _wrap(self, owner: Any, name: str, label: str, ident: int) -> None:
        original = getattr(owner, name)
        inside = [False]
        record = self._record

        def timed(*args: Any, **kwargs: Any) -> Any:
            if inside[0] or threading.get_ident() != ident:
                return original(*args, **kwargs)
            inside[0] = True
            t, w = time.thread_time(), time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                inside[0] = False
                record(label, time.thread_time() - t, time.perf_counter() - w)

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def install(self) -> None:
        import plistlib
        import socket
        import ssl
        from concurrent.futures import ThreadPoolExecutor

        from cryptography import x509

        from kitstation.core.slots import SlotBoard

        ident = threading.get_ident()
        for owner, name, label in (
            (plistlib, "dumps", "plistlib.dumps"),
            (plistlib, "loads", "plistlib.loads"),
            (ssl.SSLObject, "do_handshake", "TLS handshake"),
            (ssl.SSLObject, "read", "TLS read"),
            (ssl.SSLObject, "write", "TLS write"),
            (x509.CertificateBuilder, "sign", "x509 sign"),
            (SlotBoard, "emit", "SlotBoard.emit (+ subscribers)"),
            (socket.socket, "send", "socket.send"),
            (socket.socket, "recv", "socket.recv"),
            (socket.socket, "recv_into", "socket.recv_into"),
            (json, "dumps", "json.dumps"),
        ):
            self._wrap(owner, name, label, ident)
        submit = ThreadPoolExecutor.submit
        record = self._record

        def timed_submit(pool: Any, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            if threading.get_ident() != ident:
                return submit(pool, fn, *args, **kwargs)
            before = len(pool._threads)
            t, w = time.thread_time(), time.perf_counter()
            try:
                return submit(pool, fn, *args, **kwargs)
            finally:
                prefix = re.sub(r"_\d+$", "", pool._thread_name_prefix or "?")
                started = "starting a thread" if len(pool._threads) > before else "to an idle thread"
                record(f"submit {prefix} {started}", time.thread_time() - t, time.perf_counter() - w)

        ThreadPoolExecutor.submit = timed_submit  # type: ignore[method-assign]
        self._undo.append(lambda: setattr(ThreadPoolExecutor, "submit", submit))

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()

    def summary(self) -> list[str]:
        return [
            f"{label}: {int(n)} calls, CPU {1000 * c:.1f} ms, wall {1000 * w:.1f} ms, max wall {1000 * m:.1f} ms"
            for label, (n, c, w, m) in sorted(self.stats.items(), key=lambda kv: -kv[1][2])
        ]


class ThreadCPU:
    """CPU time per thread of this process, grouped by name (a pool's threads together).

    Reads each live thread's CPU clock (``pthread_getcpuclockid``; a system call per thread, no
    /proc parsing), so the probe can say which threads ran -- and so held the GIL -- while the
    loop's thread waited.
    """

    def snapshot(self) -> dict[int, tuple[str, float]]:
        out: dict[int, tuple[str, float]] = {}
        for t in threading.enumerate():
            if t.ident is None:
                continue
            try:
                out[t.ident] = (re.sub(r"[_-]?\d+$", "", t.name), time.clock_gettime(time.pthread_getcpuclockid(t.ident)))
            except (OSError, ProcessLookupError):
                continue
        return out

    @staticmethod
    def delta(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> dict[str, float]:
        """CPU seconds per thread group between two snapshots (threads made since count from 0)."""
        groups: dict[str, float] = {}
        for ident, (name, cpu) in after.items():
            spent = cpu - before.get(ident, (name, 0.0))[1]
            if spent > 0:
                groups[name] = groups.get(name, 0.0) + spent
        return groups


def _describe(handle: Any) -> str:
    """A callback's name: for a task's step, the task's coroutine (where it is suspended)."""
    cb = getattr(handle, "_callback", None)
    owner = getattr(cb, "__self__", None)
    if isinstance(owner, asyncio.Task):
        coro = owner.get_coro()
        frame = getattr(coro, "cr_frame", None)
        where = f" at {Path(frame.f_code.co_filename).name}:{frame.f_lineno}" if frame is not None else ""
        return f"task {getattr(coro, '__qualname__', coro)}{where}"
    name = getattr(cb, "__qualname__", None) or repr(cb)
    return str(name)[:200]


async def _probe(
    stop: asyncio.Event,
    interval: float,
    lags: list[float],
    times: list[float],
    long: list[dict[str, Any]],
    threads: ThreadCPU | None = None,
    t0: float = 0.0,
    where: Callable[[], dict[str, int]] | None = None,
    near: list[dict[str, Any]] | None = None,
) -> None:
    """Sleeps ``interval`` again and again and records how late it wakes up.

    A late wake-up (over 50 ms) is noted with the CPU the loop's thread and the whole process
    used meanwhile: the loop's thread busy that long is a callback (or many) holding the loop; the
    other threads busy is the GIL held elsewhere; neither is the process waiting for a CPU (the
    machine's other load) -- three causes with three different fixes. With ``threads``, the other
    threads' CPU is also given by thread group.

    With ``near``, every wake-up over 25 ms after the batch's first second is noted too, with
    its time from ``t0`` and ``where()``: how many devices were in which step (with jitter 0 the
    iPhones move in step, so the time and the step say which burst of work it was).
    """
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        snap = threads.snapshot() if threads is not None else None
        t, own, proc = loop.time(), time.thread_time(), time.process_time()
        await asyncio.sleep(interval)
        lag = max(0.0, loop.time() - t - interval)
        lags.append(lag)
        now = time.perf_counter()
        times.append(now)
        if near is not None and lag > 0.025 and now - t0 >= 1.0 and len(near) < 50:
            near.append({"at_s": round(now - t0, 2), "lag_ms": round(1000 * lag, 1), **({"steps": where()} if where else {})})
        if lag > 0.05:
            loop_cpu = time.thread_time() - own
            entry: dict[str, Any] = {
                "at_s": round(now - t0, 2),
                "lag_ms": round(1000 * lag, 1),
                "loop_thread_cpu_ms": round(1000 * loop_cpu, 1),
                "other_threads_cpu_ms": round(1000 * (time.process_time() - proc - loop_cpu), 1),
            }
            if threads is not None and snap is not None:
                groups = threads.delta(snap, threads.snapshot())
                entry["threads_cpu_ms"] = {k: round(1000 * v, 1) for k, v in sorted(groups.items(), key=lambda kv: -kv[1])}
            long.append(entry)


def _after(times: list[float], values: list[float], start: float) -> list[float]:
    """The values recorded after ``start`` (perf_counter), or [0.0]."""
    return [v for t, v in zip(times, values, strict=True) if t >= start] or [0.0]


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class GCPauses:
    """Every garbage collection during the batch: its generation and wall time (``gc.callbacks``).

    A collection holds the GIL, so every thread waits for it, the loop included; this
    tells whether the stalls over 50 ms are collections (the station freezes its start-up objects,
    ``Station.freeze_startup_objects``, but what a batch allocates is walked).
    """

    def __init__(self) -> None:
        self.pauses: list[tuple[float, float, int]] = []  # (start, seconds, generation)
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append((self._start, time.perf_counter() - self._start, int(info["generation"])))

    def install(self) -> None:
        gc.callbacks.append(self)

    def uninstall(self) -> None:
        gc.callbacks.remove(self)

    def summary(self, t0: float) -> dict[str, Any]:
        by_gen = {g: [d for _s, d, gen in self.pauses if gen == g] for g in (0, 1, 2)}
        return {
            "collections": {str(g): len(v) for g, v in by_gen.items()},
            "max_ms": {str(g): round(1000 * max(v), 2) if v else 0.0 for g, v in by_gen.items()},
            "total_ms": round(1000 * sum(d for _s, d, _g in self.pauses), 1),
            "over_10ms": [
                {"at_s": round(start - t0, 2), "ms": round(1000 * d, 1), "generation": g}
                for start, d, g in self.pauses
                if d > 0.010
            ][:20],
        }


async def run_batch(
    sims: Simulators,
    n: int,
    blueprints: dict[Platform, Any],
    db: str,
    probe_ms: float,
    slow_ms: float | None = None,
    callback_cpu: CallbackCPU | None = None,
    profile_out: str | None = None,
) -> dict[str, Any]:
    env = sims.env
    waits = LogWaits()
    waits.install()
    slow: SlowCallbacks | None = None
    os.environ.update(env)
    station = Station(
        db=db,
        usbmux_address=env.get("USBMUXD_SOCKET_ADDRESS"),
        adb_port=int(env["ANDROID_ADB_SERVER_PORT"]) if "ANDROID_ADB_SERVER_PORT" in env else None,
        platforms=tuple(p for p in blueprints),
    )
    await station.start()
    station.freeze_startup_objects()  # as kitstation prepare and the GUI do
    if slow_ms is not None:
        loop = asyncio.get_running_loop()
        loop.set_debug(True)
        loop.slow_callback_duration = slow_ms / 1000
        slow = SlowCallbacks()
        logging.getLogger("asyncio").addHandler(slow)
    # The simulated usbmuxd has no 28-device limit; give every device a place so that the
    # ratio measures the station, not the cap (the cap is tested elsewhere).
    config = BenchConfig(
        blueprints=blueprints,
        limits={"erase": 1000, "apk_download": 1000, "install": 1000},
        max_active={Platform.IOS: 1000, Platform.ANDROID: 1000},
    )
    bench = station.bench(config, secrets=DictSecrets({"kitting_wifi": "bench-password"}))
    stop = asyncio.Event()
    lags: list[float] = []
    lag_times: list[float] = []
    long_lags: list[dict[str, Any]] = []
    threads = ThreadCPU() if callback_cpu is not None else None
    threads0 = threads.snapshot() if threads is not None else {}
    cpu0 = time.process_time()
    sim_cpu0 = sims.cpu_s()
    calls = LoopCalls() if callback_cpu is not None else None
    if callback_cpu is not None and calls is not None:
        callback_cpu.install(asyncio.get_running_loop())
        calls.install()
    pauses = GCPauses()
    pauses.install()
    t0 = time.perf_counter()
    near: list[dict[str, Any]] = []

    def where() -> dict[str, int]:
        steps: dict[str, int] = {}
        for v in bench.slots.values():
            key = f"{v.platform.value}:{v.step_id or v.state.value}"
            steps[key] = steps.get(key, 0) + 1
        return dict(sorted(steps.items(), key=lambda kv: -kv[1])[:4])

    probe = asyncio.create_task(
        _probe(stop, probe_ms / 1000, lags, lag_times, long_lags, threads, t0=t0, where=where, near=near)
    )
    await bench.start()
    ok = await bench.wait_until(lambda b: sum(1 for v in b.slots.values() if v.state.is_final) >= n, 3600)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    sim_cpu = sims.cpu_s() - sim_cpu0
    threads_batch = ThreadCPU.delta(threads0, threads.snapshot()) if threads is not None else {}
    stop.set()
    await probe
    pauses.uninstall()
    if callback_cpu is not None and calls is not None:
        calls.uninstall()
        callback_cpu.uninstall()
    states: dict[str, int] = {}
    failures: dict[str, int] = {}  # why devices failed, by code: a benchmark of failures measures nothing
    for v in bench.slots.values():
        states[v.state.value] = states.get(v.state.value, 0) + 1
        if v.state.value == "failed":
            key = f"{v.platform.value}:{v.code or ''}:{(v.reason.en if v.reason else '')[:80]}"
            failures[key] = failures.get(key, 0) + 1
    await bench.stop()
    await station.aclose()
    extra: dict[str, Any] = {
        "log_waits": waits.summary(),
        "stalls_over_50ms": sorted(long_lags, key=lambda d: -d["lag_ms"])[:10],
        "stalls_over_50ms_count": len(long_lags),
        "stalls_over_25ms_after_1s": near,
        "gc": pauses.summary(t0),
    }
    if slow is not None:
        logging.getLogger("asyncio").removeHandler(slow)
        extra["slow_callbacks"] = slow.summary()
    if callback_cpu is not None:
        extra["callback_cpu"] = callback_cpu.summary()
        extra["loop_calls"] = calls.summary() if calls is not None else []
        if profile_out:
            callback_cpu.dump(profile_out)
        extra["threads_cpu_s"] = {k: round(v, 3) for k, v in sorted(threads_batch.items(), key=lambda kv: -kv[1])}
    return {
        "devices": n,
        "finished": ok,
        "states": states,
        "failures": failures,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "cpu_ms_per_device": round(1000 * cpu / max(n, 1), 1),
        "simulator_cpu_s": round(sim_cpu, 2),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "loop_lag_p50_ms": round(1000 * statistics.median(lags), 2) if lags else 0.0,
        "loop_lag_p99_ms": round(1000 * _percentile(lags, 0.99), 2),
        "loop_lag_max_ms": round(1000 * max(lags), 2) if lags else 0.0,
        # The batch's first second (station start-up's pairing and key work) apart from the rest.
        "loop_lag_max_after_1s_ms": round(1000 * max(_after(lag_times, lags, t0 + 1.0)), 2) if lags else 0.0,
        **extra,
    }


SEQUENTIAL_SCRIPT = r"""#!/usr/bin/env bash
# What a technician without a station does: one device after another, by hand-written loops.
set -euo pipefail
PMD3="$1"; ADB="$2"; APK="$3"; COMPONENT="$4"; KEYBAG="$5"; CLOUD="$6"; shift 6
for udid in $IOS_UDIDS; do
  "$PMD3" profile erase-device --udid "$udid" >/dev/null
  sleep 0.2
  until "$PMD3" usbmux list 2>/dev/null | grep -q "$udid"; do sleep 0.2; done
  "$PMD3" profile cloud-configuration --udid "$udid" "$CLOUD" >/dev/null
  "$PMD3" profile install-wifi-profile --udid "$udid" --keybag "$KEYBAG" WPA2 KitBench bench-password >/dev/null
done
for serial in $ANDROID_SERIALS; do
  "$ADB" -s "$serial" install "$APK" >/dev/null
  "$ADB" -s "$serial" shell dpm set-device-owner "$COMPONENT" >/dev/null
done
"""


def run_sequential(env: dict[str, str], work: Path) -> float:
    """Prepare the simulated devices one by one with pymobiledevice3 / adb commands; wall seconds."""
    import plistlib

    from pymobiledevice3.ca import create_keybag_file

    from kitstation.simulator.android import demo_agent_apk

    pmd3 = str(Path(sys.executable).with_name("pymobiledevice3"))
    adb = shutil.which("adb") or "adb"
    keybag = work / "keybag.pem"
    create_keybag_file(keybag, "KitStation Bench")
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    cert = x509.load_pem_x509_certificate(keybag.read_bytes())
    cloud = work / "cloud.plist"
    cloud.write_bytes(
        plistlib.dumps(
            {
                "IsSupervised": True,
                "AllowPairing": True,
                "IsMandatory": True,
                "OrganizationName": "KitStation Bench",
                "ConfigurationURL": "https://mdm.example.jp/enroll",
                "SkipSetup": ["Siri", "Diagnostics"],
                "SupervisorHostCertificates": [cert.public_bytes(Encoding.DER)],
            }
        )
    )
    apk = work / "agent.apk"
    apk.write_bytes(demo_agent_apk())
    script = work / "sequential.sh"
    script.write_text(SEQUENTIAL_SCRIPT)
    full_env = dict(os.environ, **env)
    udids = ""
    if "USBMUXD_SOCKET_ADDRESS" in env:
        out = subprocess.run([pmd3, "usbmux", "list"], env=full_env, capture_output=True, text=True, check=True).stdout
        udids = " ".join(d["UniqueDeviceID"] for d in json.loads(out))
    serials = ""
    if "ANDROID_ADB_SERVER_PORT" in env:
        out = subprocess.run([adb, "devices"], env=full_env, capture_output=True, text=True, check=True).stdout
        serials = " ".join(line.split()[0] for line in out.splitlines()[1:] if line.strip().endswith("device"))
    full_env.update(IOS_UDIDS=udids, ANDROID_SERIALS=serials)
    t0 = time.perf_counter()
    subprocess.run(
        ["bash", str(script), pmd3, adb, str(apk), "jp.kitstation.demoagent/.AdminReceiver", str(keybag), str(cloud)],
        env=full_env,
        check=True,
    )
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ios", type=int, default=32)
    ap.add_argument("--android", type=int, default=32)
    ap.add_argument("--speed", type=float, default=20.0, help="simulated latency factor (20 = 20x faster than real)")
    ap.add_argument("--ios-blueprint", default=str(ROOT / "examples/ios-supervised-dep.toml"))
    ap.add_argument("--android-blueprint", default=str(ROOT / "examples/android-device-owner.toml"))
    ap.add_argument("--probe-ms", type=float, default=5.0)
    ap.add_argument("--sequential", action="store_true", help="also time the one-by-one shell loop")
    ap.add_argument(
        "--scale", metavar="N,N,...", help="instead: batches of N devices (half iOS, half Galaxy), e.g. 1,8,32,64,128"
    )
    ap.add_argument(
        "--jitter",
        type=float,
        default=0.0,
        help="spread of the simulated iPhones' latencies (kitstation simulate --jitter; default 0: every device"
        " alike, so that the slowest device of the batch is the one timed alone)",
    )
    ap.add_argument(
        "--pin",
        action="store_true",
        help="run the station on CPU 0 and the simulators on the other CPUs (their CPU is not the station's)",
    )
    ap.add_argument(
        "--slow-callbacks",
        type=float,
        metavar="MS",
        help="diagnostic: asyncio debug mode, list the callbacks that held the loop longer than MS",
    )
    ap.add_argument(
        "--callback-cpu",
        type=float,
        metavar="MS",
        help="diagnostic: the loop thread's CPU per callback (thread_time), naming the callbacks over MS",
    )
    ap.add_argument(
        "--profile-callbacks",
        action="store_true",
        help="with --callback-cpu: run each callback under cProfile and sum the functions of those over MS",
    )
    ap.add_argument("--profile-out", metavar="FILE", help="with --profile-callbacks: write the summed profile (pstats)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.profile_callbacks and args.callback_cpu is None:
        ap.error("--profile-callbacks needs --callback-cpu MS")

    def callbacks() -> CallbackCPU | None:
        return None if args.callback_cpu is None else CallbackCPU(args.callback_cpu, args.profile_callbacks)
    sim_cpus: set[int] | None = None
    if args.pin:
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            ap.error("--pin needs at least two CPUs")
        os.sched_setaffinity(0, {cpus[0]})  # before the station makes any thread: they all inherit it
        sim_cpus = set(cpus[1:])

    blueprints: dict[Platform, Any] = {}
    if args.ios:
        blueprints[Platform.IOS] = load_blueprint(args.ios_blueprint)
    if args.android:
        blueprints[Platform.ANDROID] = load_blueprint(args.android_blueprint)
    work = Path(tempfile.mkdtemp(prefix="kitstation-bench-"))
    os.environ["HOME"] = str(work / "home")
    os.environ["KITSTATION_DATA_DIR"] = str(work / "data")
    (work / "home").mkdir()
    if args.ios:
        # The example blueprint signs with the station identity "acme-kitting": make one here.
        from kitstation.ios.identities import IdentityStore

        bp = blueprints[Platform.IOS]
        ident = bp.ios.supervision_identity if bp.ios is not None else None
        if ident is not None and ident.name:
            IdentityStore().generate(ident.name, "KitStation Bench")
    results: dict[str, Any] = {"speed": args.speed, "jitter": args.jitter, "pinned": args.pin}
    if args.scale:
        try:
            for n in (int(x) for x in args.scale.split(",")):
                ios, android = (n + 1) // 2, n // 2
                bps = {
                    p: b
                    for p, b in blueprints.items()
                    if (p == Platform.IOS and ios) or (p == Platform.ANDROID and android)
                }
                sims = Simulators(ios, android, speed=args.speed, workdir=work, jitter=args.jitter, cpus=sim_cpus)
                try:
                    r = asyncio.run(
                        run_batch(
                            sims,
                            n,
                            bps,
                            f"sqlite:///{work}/scale-{n}.sqlite3",
                            args.probe_ms,
                            args.slow_callbacks,
                            callbacks(),
                        )
                    )
                finally:
                    sims.stop()
                results[f"n={n}"] = r
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(json.dumps(results, indent=2) if args.json else "\n".join(f"{k}: {v}" for k, v in results.items()))
        return 0
    try:
        # The slowest device alone: one of each platform, each by itself.
        alone: dict[str, float] = {}
        for platform, counts in (("ios", (1, 0)), ("android", (0, 1))):
            if (platform == "ios" and not args.ios) or (platform == "android" and not args.android):
                continue
            sims = Simulators(*counts, speed=args.speed, workdir=work, jitter=args.jitter, cpus=sim_cpus)
            try:
                bps = {p: b for p, b in blueprints.items() if p.value == platform}
                r = asyncio.run(
                    run_batch(sims, 1, bps, f"sqlite:///{work}/alone-{platform}.sqlite3", args.probe_ms)
                )
                alone[platform] = r["wall_s"]
            finally:
                sims.stop()
        results["alone_wall_s"] = alone
        sims = Simulators(args.ios, args.android, speed=args.speed, workdir=work, jitter=args.jitter, cpus=sim_cpus)
        try:
            n = args.ios + args.android
            r = asyncio.run(
                run_batch(
                    sims,
                    n,
                    blueprints,
                    f"sqlite:///{work}/batch.sqlite3",
                    args.probe_ms,
                    args.slow_callbacks,
                    callbacks(),
                    args.profile_out,
                )
            )
        finally:
            sims.stop()
        r["overhead_ratio"] = round(r["wall_s"] / max(alone.values()), 3) if alone else None
        results["batch"] = r
        if args.sequential:
            sims = Simulators(args.ios, args.android, speed=args.speed, workdir=work, jitter=args.jitter, cpus=sim_cpus)
            try:
                seq = run_sequential(sims.env, work)
            finally:
                sims.stop()
            results["sequential_wall_s"] = round(seq, 3)
            results["sequential_vs_station"] = round(seq / r["wall_s"], 2)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for k, v in results.items():
            print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
