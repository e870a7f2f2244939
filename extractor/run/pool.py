"""The local engine: units on a pool of worker processes, results in unit order.

:func:`run_local` keeps a bounded window of units in flight on its own worker processes and
yields their results in unit order.  A watchdog in the parent sees, through a heartbeat in
shared memory, which page each worker is on and since when: a worker that dies (a crash in
C code, the OOM killer) or stays on one page past the page timeout (a hang in C code, where
SIGALRM cannot reach) is killed and replaced, and its unit is redone with that page recorded
as an error, so only that page is lost and the run goes on.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

import attrs

from extractor.errors import ExtractorError
from extractor.records import ErrorRecord
from extractor.run.batch import (
    PARENT_UNITS,
    Options,
    PagesUnit,
    RangeUnit,
    Unit,
    UnitResult,
    add_error,
    error_record,
    init_worker,
    process_unit,
    set_heartbeat,
    timeout_reason,
)

log = logging.getLogger("extractor")

#: Times a unit is redone after its worker died outside any one page before it is given up.
MAX_UNIT_DEATHS = 2
#: Seconds between two looks of the watchdog at the heartbeats.
WATCH_INTERVAL = 0.2
#: Workers (beyond one per slot) that may die idle in a row before the run is given up.
MAX_IDLE_DEATHS = 3
#: Signals that stop a run: the parent's to handle, never a worker's.
_STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


class WorkerStartError(ExtractorError):
    """Worker processes die before they take any work, so the run cannot go on."""

    exit_code = 2


def watchdog_limit(page_timeout: float) -> float | None:
    """Seconds a worker may stay on one page before the parent kills it: the page timeout
    (which SIGALRM enforces inside the worker whenever Python code runs) plus a grace for
    the alarm to take effect; None when there is no page timeout."""
    if page_timeout <= 0:
        return None
    return page_timeout + max(1.0, page_timeout / 4)


def run_local(
    units: Iterable[Unit], options: Options, jobs: int, window: int | None = None
) -> Iterator[tuple[Unit, UnitResult]]:
    """Results of ``units`` in order, computed by ``jobs`` worker processes.

    At most ``window`` units (default ``2 * jobs + 1``) are in flight, so memory stays flat
    however long the input is.  A page that kills its worker, or keeps it past the page
    timeout even where SIGALRM cannot interrupt it (inside C code), costs that page only:
    the worker is replaced and the unit redone with the page as an error record
    (``crash: …`` or ``timeout: …``).
    """
    window = window or 2 * jobs + 1
    source = iter(units)
    units_by_number: dict[int, Unit] = {}
    waiting: deque[_Task] = deque()
    done: dict[int, UnitResult] = {}
    head = read = 0
    exhausted = False
    pool = _Pool(jobs, options)
    try:
        while True:
            while not exhausted and read - head < window:
                unit = next(source, None)
                if unit is None:
                    exhausted = True
                    break
                units_by_number[read] = unit
                if isinstance(unit, PARENT_UNITS):
                    done[read] = process_unit(unit, options)
                else:
                    waiting.append(_Task(read, unit))
                read += 1
            if head in done:
                result = done.pop(head)
                yield units_by_number.pop(head), result
                head += 1
            elif exhausted and head == read:
                return
            else:
                pool.step(waiting, done)
    finally:
        pool.close()


@attrs.define
class _Task:
    """A unit on its way through the pool, with what its earlier attempts left behind."""

    number: int
    unit: Unit
    failed: dict[int, str] = attrs.Factory(dict)
    deaths: int = 0


class _Worker:
    """One worker process, the parent's end of its pipe, and the task it is on."""

    def __init__(
        self, context: Any, slot: int, beats: Any, options: Options, others: list[Connection]
    ) -> None:
        self.slot = slot
        self.conn, child = context.Pipe()
        # The child closes the parent's ends it inherits (its own and its siblings'), so
        # that it sees EOF when the parent is gone instead of waiting forever.
        inherited = [self.conn, *others]
        self.process = context.Process(
            target=_worker_main, args=(child, inherited, beats, slot, options), daemon=True
        )
        # Blocked until the worker ignores them (a forked child starts with the parent's
        # handlers); the parent gets any that came meanwhile once they are unblocked.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        child.close()
        self.task: _Task | None = None
        self.served = 0

    def stop(self, *, kill: bool) -> None:
        """End the process: at once with ``kill``, else by asking it to stop."""
        if kill and self.process.is_alive():
            self.process.kill()
        elif not kill:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.conn.close()


class _Pool:
    """Worker processes the parent watches; one that dies or hangs is replaced."""

    def __init__(self, jobs: int, options: Options) -> None:
        self.options = options
        self.limit = watchdog_limit(options.page_timeout)
        self.context = multiprocessing.get_context()
        self.beats = self.context.RawArray("d", [-1.0, 0.0] * jobs)
        self.workers = [self._spawn(slot) for slot in range(jobs)]
        #: Workers that died before finishing any work, since the last result.
        self.idle_deaths = 0

    def _spawn(self, slot: int) -> _Worker:
        self.beats[2 * slot] = -1.0
        others = [w.conn for w in getattr(self, "workers", ()) if w.slot != slot]
        return _Worker(self.context, slot, self.beats, self.options, others)

    def _replace(self, worker: _Worker) -> None:
        worker.stop(kill=True)
        worker.process.join()
        self.workers[worker.slot] = self._spawn(worker.slot)

    def _replace_idle(self, worker: _Worker) -> None:
        """Replace a worker that died without a task."""
        worker.process.join()
        how = _how(worker.process.exitcode)
        log.info("worker %d died idle (%s); starting another", worker.process.pid, how)
        self._count_start_failure(how)
        self._replace(worker)

    def _count_start_failure(self, how: str) -> None:
        """Count a worker that died before finishing any work; give up when they keep
        dying so (they cannot start: a memory cap too small for the interpreter, ...)."""
        self.idle_deaths += 1
        if self.idle_deaths > MAX_IDLE_DEATHS + len(self.workers):
            raise WorkerStartError(
                f"worker processes die before finishing any work ({self.idle_deaths} "
                f"in a row, last {how}); see the messages above"
            )

    def page_of(self, worker: _Worker) -> tuple[int, float]:
        """(index of the page the worker is on or -1, since when)."""
        index = int(self.beats[2 * worker.slot])  # the index first: see _beat
        return index, self.beats[2 * worker.slot + 1]

    def step(self, waiting: deque[_Task], done: dict[int, UnitResult]) -> None:
        """Hand waiting tasks to idle workers, then wait a little for results and deaths."""
        for worker in list(self.workers):
            if worker.task is None and waiting:
                if not worker.process.is_alive():
                    self._replace_idle(worker)
                    worker = self.workers[worker.slot]
                task = waiting.popleft()
                try:
                    worker.conn.send((task.number, task.unit, task.failed))
                except OSError:  # it died while idle: redo with a new one
                    waiting.appendleft(task)
                    self._replace_idle(worker)
                    continue
                worker.task = task
        busy = [w for w in self.workers if w.task is not None]
        if not busy:
            return
        handles: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
        ready = wait(handles, timeout=WATCH_INTERVAL)
        for worker in busy:
            if worker.conn in ready:
                try:
                    number, result, failure = worker.conn.recv()
                except (EOFError, OSError):
                    self._died(worker, waiting, done)
                    continue
                finished, worker.task = worker.task, None
                assert finished is not None
                self.idle_deaths = 0
                worker.served += 1
                done[number] = (
                    result if failure is None else _given_up(finished, failure, self.options)
                )
            elif worker.process.sentinel in ready:
                self._died(worker, waiting, done)
        self._watch(waiting)

    def _died(self, worker: _Worker, waiting: deque[_Task], done: dict[int, UnitResult]) -> None:
        """The worker died: blame the page it was on, or count a death of the unit."""
        task = worker.task
        index, _ = self.page_of(worker)
        worker.process.join()
        how = _how(worker.process.exitcode)
        pid = worker.process.pid
        self._replace(worker)
        if task is None:
            return
        if index >= 0:
            log.info(
                "worker %d died on page %d of unit %d (%s); the page is an error record, "
                "the unit is redone on a new worker", pid, index, task.number, how,
            )  # fmt: skip
            task.failed[index] = f"crash: the worker process died on this page ({how})"
            waiting.appendleft(task)
            return
        if not worker.served:
            self._count_start_failure(how)
        task.deaths += 1
        if task.deaths > MAX_UNIT_DEATHS:
            log.info("worker %d died on unit %d (%s); given up", pid, task.number, how)
            reason = f"crash: the worker process died {task.deaths} times on this unit ({how})"
            done[task.number] = _given_up(task, reason, self.options)
        else:
            log.info("worker %d died on unit %d (%s); retrying it", pid, task.number, how)
            waiting.appendleft(task)

    def _watch(self, waiting: deque[_Task]) -> None:
        """Kill a worker that has been on one page for longer than the limit."""
        if self.limit is None:
            return
        now = time.monotonic()
        for worker in list(self.workers):
            task = worker.task
            if task is None:
                continue
            index, since = self.page_of(worker)
            if index < 0 or now - since <= self.limit or worker.conn.poll():
                continue
            log.info(
                "worker %d stayed on page %d of unit %d past %g s; killed, the page is an "
                "error record, the unit is redone on a new worker",
                worker.process.pid, index, task.number, self.limit,
            )  # fmt: skip
            task.failed[index] = timeout_reason(self.options)
            self._replace(worker)
            waiting.appendleft(task)

    def close(self) -> None:
        """Stop every worker: idle ones by asking them to, busy ones at once."""
        for worker in self.workers:
            worker.stop(kill=worker.task is not None)
        deadline = time.monotonic() + 5
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()


def _worker_main(
    conn: Connection, inherited: list[Connection], beats: Any, slot: int, options: Options
) -> None:
    """A worker process: take a task from the pipe, send its result back, until told to
    stop or the parent is gone.  Anything unexpected is one line on stderr, no traceback
    (the parent then counts the worker's death against its unit)."""
    try:
        for other in inherited:
            other.close()
        _die_with_parent()
        # Ctrl-C and SIGTERM are for the parent to handle: it stops the workers itself, so
        # a signal sent to the whole process group does not pass for a crash of a page.
        for number in _STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        init_worker(options)
        set_heartbeat(beats, slot)
        _serve(conn, options)
    except BaseException as exc:
        sys.stderr.write(f"extractor: worker {os.getpid()}: {type(exc).__name__}: {exc}\n")
        sys.stderr.flush()
        os._exit(70)


def _serve(conn: Connection, options: Options) -> None:
    """Answer tasks ``(number, unit, failed)`` with ``(number, result, failure)``."""
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        number, unit, failed = task
        message: tuple[int, UnitResult | None, str | None]
        try:
            message = (number, process_unit(unit, options, failed), None)
        except Exception as exc:  # not a page's failure: the parent gives the unit up
            message = (number, None, f"{type(exc).__name__}: {exc}")
        try:
            conn.send(message)
        except (EOFError, OSError):  # the parent is gone
            return
        except Exception as exc:  # the result could not be sent (memory): say so, briefly
            try:
                conn.send((number, None, f"{type(exc).__name__} sending the result: {exc}"))
            except Exception:
                return


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when its parent dies (even by ``kill -9``),
    so that no orphan goes on with a page nobody waits for."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # it died before the prctl
        os._exit(0)


_PR_SET_PDEATHSIG = 1


def _how(code: int | None) -> str:
    """How a process ended, from its exit code."""
    return f"killed by {signal.Signals(-code).name}" if code and code < 0 else f"exit {code}"


def _given_up(task: _Task, reason: str, options: Options) -> UnitResult:
    """The result of a unit that cannot be processed: every page of it (or, for a range
    whose pages are unknown, the range) is an error record with ``reason``."""
    result = UnitResult()
    unit = task.unit
    if isinstance(unit, PagesUnit):
        for page in unit.pages:
            result.counts["pages"] += 1
            result.counts["chars"] += len(page.text)
            error_record(page, reason, result, options)
    elif isinstance(unit, RangeUnit):
        r = unit.range
        label = f"{r.path} (range {r.start}-{r.end})"
        result.counts["errors"] += 1
        add_error(ErrorRecord(None, None, label, reason[:500]), result, options)
    return result
