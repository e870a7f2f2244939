"""Many pages: work units, per-page isolation, and an ordered process pool.

The run is a fixed, deterministic sequence of *units*, so that any number of workers (or a
Dask cluster) gives the same output as one, and an interrupted run can resume at a unit
boundary:

1. :func:`plan` turns the sources into units: a multistream dump becomes one
   :class:`RangeUnit` per range of whole bz2 streams (workers decompress and parse their own
   bytes); anything else is read here and cut into :class:`PagesUnit` batches.
2. :func:`process_unit` (in a worker) runs every page of a unit through the per-page
   pipeline, isolated: a page that raises, runs past the page timeout or the memory cap
   becomes an :class:`~extractor.records.ErrorRecord`; redirects and other namespaces are
   counted skips.  Pages read = records + skips + errors, per unit.
3. :func:`run_local` keeps a bounded window of units in flight on a process pool and yields
   their results in unit order.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from types import FrameType
from typing import Any

import attrs

from extractor.article import extract_page
from extractor.errors import DumpDamaged, InputError
from extractor.page import Page, Site
from extractor.records import SCHEMA_VERSION, Article, ErrorRecord, RedirectRecord
from extractor.sources import (
    Range,
    index_path_for,
    iter_source_files,
    multistream_ranges,
    read_pages,
    read_range,
    read_site,
)

#: A batch of pages read by the parent holds at most this many pages or this much text.
BATCH_PAGES = 64
BATCH_CHARS = 2 << 20
_MULTISTREAM = re.compile(r".*multistream\d*\.xml(-p\d+p\d+)?\.bz2")

Record = Article | RedirectRecord | ErrorRecord


@attrs.frozen
class Options:
    """What to do with each page.

    Attributes:
        namespaces: Namespaces to keep; empty keeps all (pages of unknown namespace are
            always kept).
        redirects: Write a :class:`RedirectRecord` for redirects instead of skipping them.
        page_timeout: Seconds one page may take; 0 disables the limit.
        memory_mb: Address-space cap of a worker process in MiB; 0 disables it.
        serialize: Workers return JSON lines (bytes) instead of record objects.
        range_bytes: Target compressed size of one multistream range; None picks one from
            the dump's size alone (1/64 of it, within 256 KiB..8 MiB), never from the number
            of workers, so that every ``-j`` cuts the same units.
        index: The multistream index to use (default: found beside the dump).
    """

    namespaces: frozenset[int] = frozenset({0})
    redirects: bool = False
    page_timeout: float = 60.0
    memory_mb: int = 4096
    serialize: bool = True
    range_bytes: int | None = None
    index: str | None = None


@attrs.frozen
class RangeUnit:
    """Whole bz2 streams of a multistream dump, read by the worker itself."""

    range: Range
    site: Site

    @property
    def size(self) -> int:
        """Compressed bytes, for progress."""
        return self.range.size


@attrs.frozen
class PagesUnit:
    """Pages the parent has read."""

    pages: tuple[Page, ...]
    size: int


@attrs.frozen
class FailedSource:
    """A source (or the rest of one) that could not be read: damage or an unreadable file."""

    source: str
    reason: str
    damaged: bool
    size: int = 0


Unit = RangeUnit | PagesUnit | FailedSource


@attrs.define
class UnitResult:
    """What one unit produced, in page order, and its counts."""

    records: list[Any] = attrs.Factory(list)
    errors: list[Any] = attrs.Factory(list)
    counts: Counter[str] = attrs.Factory(Counter)
    damage: str | None = None


def plan(sources: Iterable[str], options: Options) -> Iterator[Unit]:
    """The run's units, in order; deterministic for the same sources and options."""
    for source in sources:
        if source != "-" and os.path.isdir(source):
            for file in iter_source_files(source):
                yield from _plan_file(file, options)
        else:
            yield from _plan_file(source, options)


def _plan_file(source: str, options: Options) -> Iterator[Unit]:
    if source != "-" and (options.index or _MULTISTREAM.fullmatch(os.path.basename(source))):
        index = options.index or index_path_for(source)
        if os.path.exists(index):
            try:
                site = read_site(source)
                target = options.range_bytes or min(8 << 20, max(256 << 10, _size(source) // 64))
                ranges = multistream_ranges(source, index, target)
            except InputError as exc:
                yield FailedSource(source, str(exc), damaged=False)
                return
            for r in ranges:
                yield RangeUnit(r, site)
            return
    batch: list[Page] = []
    chars = 0
    try:
        for page in read_pages(source):
            batch.append(page)
            chars += len(page.text)
            if len(batch) >= BATCH_PAGES or chars >= BATCH_CHARS:
                yield PagesUnit(tuple(batch), chars)
                batch, chars = [], 0
    except (DumpDamaged, InputError) as exc:
        if batch:
            yield PagesUnit(tuple(batch), chars)
        yield FailedSource(source, str(exc), damaged=isinstance(exc, DumpDamaged))
        return
    if batch:
        yield PagesUnit(tuple(batch), chars)


def _size(path: str) -> int:
    return os.path.getsize(path)


# --- in the worker ----------------------------------------------------------------------


class PageTimeout(Exception):
    """A page ran past the page timeout."""


def init_worker(options: Options) -> None:
    """Set the worker's memory cap (so one huge page cannot take the machine down)."""
    if options.memory_mb > 0:
        cap = options.memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def process_unit(unit: Unit, options: Options) -> UnitResult:
    """Run every page of ``unit`` through the pipeline; never raises for a page."""
    result = UnitResult()
    if isinstance(unit, FailedSource):
        if unit.damaged:
            result.damage = unit.reason
        else:
            result.counts["errors"] += 1
            _add_error(ErrorRecord(None, None, unit.source, unit.reason), result, options)
        return result
    pages: Iterable[Page] = (
        unit.pages if isinstance(unit, PagesUnit) else read_range(unit.range, unit.site)
    )
    try:
        for page in pages:
            _process_page(page, options, result)
    except (DumpDamaged, InputError) as exc:
        result.damage = str(exc)
    return result


def _process_page(page: Page, options: Options, result: UnitResult) -> None:
    counts = result.counts
    counts["pages"] += 1
    counts["chars"] += len(page.text)
    if (
        options.namespaces
        and page.namespace is not None
        and page.namespace not in options.namespaces
    ):
        counts["skipped:namespace"] += 1
        return
    if page.redirect is not None:
        _redirect(page, page.redirect, options, result)
        return
    try:
        with _time_limit(options.page_timeout):
            article = extract_page(page)
            if article.redirect is not None:
                _redirect(page, article.redirect, options, result)
                return
            line = _emit(article, options)
    except PageTimeout:
        _error(
            page,
            f"timeout: extraction took longer than {options.page_timeout:g} s",
            result,
            options,
        )
    except MemoryError:
        _error(
            page, f"memory: extraction exceeded the {options.memory_mb} MiB cap", result, options
        )
    except Exception as exc:  # one bad page never stops a run
        _error(page, f"{type(exc).__name__}: {exc}", result, options)
    else:
        counts["records"] += 1
        counts["citations"] += len(article.citations)
        counts["dates"] += len(article.dates)
        result.records.append(line)


def _redirect(page: Page, target: str, options: Options, result: UnitResult) -> None:
    if not options.redirects:
        result.counts["skipped:redirect"] += 1
        return
    record = RedirectRecord(
        SCHEMA_VERSION, page.title, page.page_id, page.namespace, page.revision_id,
        page.timestamp, target,
    )  # fmt: skip
    result.counts["records"] += 1
    result.records.append(_emit(record, options))


def _error(page: Page, reason: str, result: UnitResult, options: Options) -> None:
    result.counts["errors"] += 1
    error = ErrorRecord(page.title, page.page_id, page.source, " ".join(reason.split())[:500])
    _add_error(error, result, options)


def _add_error(error: ErrorRecord, result: UnitResult, options: Options) -> None:
    """Serialized errors go to their own list (their own file); objects stay in page order."""
    if options.serialize:
        result.errors.append(_emit(error, options))
    else:
        result.records.append(error)


def _emit(record: Record, options: Options) -> Any:
    """The record as a JSON line when serializing, else the record itself."""
    return record.to_json() + b"\n" if options.serialize else record


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`PageTimeout` in the block after ``seconds``.

    Uses SIGALRM, so it only works on the main thread (the local engine's workers); under
    Dask, whose tasks run on worker threads, pages are not preempted.
    """
    armed = seconds > 0 and threading.current_thread() is threading.main_thread()
    if armed:
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise PageTimeout


# --- the local engine -------------------------------------------------------------------


def run_local(
    units: Iterable[Unit], options: Options, jobs: int, window: int | None = None
) -> Iterator[tuple[Unit, UnitResult]]:
    """Results of ``units`` in order, computed by ``jobs`` worker processes.

    At most ``window`` units (default ``2 * jobs + 1``) are in flight, so memory stays flat
    however long the input is.  When a worker dies (a crash in C code, the kernel's OOM
    killer), the pool is rebuilt and the unit at the head is redone one page per process,
    so only the page that kills its worker becomes an error record.
    """
    window = window or 2 * jobs + 1
    pool = _Pool(jobs, options)
    pending: deque[tuple[Unit, Future[UnitResult]]] = deque()
    try:
        for unit in units:
            pending.append((unit, pool.submit(unit)))
            if len(pending) >= window:
                yield _next_result(pending, pool, options)
        while pending:
            yield _next_result(pending, pool, options)
    finally:
        pool.shutdown()


class _Pool:
    """A process pool that can be rebuilt after a worker died."""

    def __init__(self, jobs: int, options: Options) -> None:
        self.jobs = jobs
        self.options = options
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, initializer=init_worker, initargs=(self.options,))

    def submit(self, unit: Unit) -> Future[UnitResult]:
        return self.executor.submit(process_unit, unit, self.options)

    def rebuild(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new()

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _next_result(
    pending: deque[tuple[Unit, Future[UnitResult]]], pool: _Pool, options: Options
) -> tuple[Unit, UnitResult]:
    """The head unit's result; after a worker death, redo it page by page."""
    unit, future = pending.popleft()
    try:
        return unit, future.result()
    except BrokenProcessPool:
        pool.rebuild()
        result = _isolated(unit, pool, options)
        for i, (other, _) in enumerate(pending):
            pending[i] = (other, pool.submit(other))
        return unit, result


def _isolated(unit: Unit, pool: _Pool, options: Options) -> UnitResult:
    """Process a unit one page per task; a page that kills its worker is an error record."""
    result = UnitResult()
    pages: Iterable[Page] = (
        unit.pages if isinstance(unit, PagesUnit) else
        read_range(unit.range, unit.site) if isinstance(unit, RangeUnit) else ()
    )  # fmt: skip
    try:
        for page in pages:
            try:
                one = pool.submit(PagesUnit((page,), len(page.text))).result()
            except BrokenProcessPool:
                pool.rebuild()
                one = UnitResult(counts=Counter(pages=1, chars=len(page.text)))
                _error(page, "crash: the worker process died on this page", one, options)
            result.records.extend(one.records)
            result.errors.extend(one.errors)
            result.counts.update(one.counts)
    except (DumpDamaged, InputError) as exc:
        result.damage = str(exc)
    return result


def default_jobs() -> int:
    """Worker processes by default: every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def extract_dump(
    source: str | Iterable[str],
    *,
    jobs: int | None = None,
    options: Options | None = None,
) -> Iterator[Record]:
    """Records of every page of one or more sources, in order, on ``jobs`` processes.

    The same path as ``extractor dump``: articles, redirect records (when asked for) and
    error records for pages that failed, in page order.  Damage raises
    :class:`DumpDamaged` after every record that could be made.
    """
    sources = [source] if isinstance(source, str) else list(source)
    options = attrs.evolve(options or Options(), serialize=False)
    damage: list[str] = []
    for _, result in run_local(plan(sources, options), options, jobs or default_jobs()):
        yield from result.records
        if result.damage:
            damage.append(result.damage)
    if damage:
        raise DumpDamaged(damage[0] + (f" (and {len(damage) - 1} more)" if len(damage) > 1 else ""))
