"""Many pages: work units and per-page isolation.

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
3. an engine runs the units and yields their results in order: :mod:`extractor.run.pool`
   (local worker processes with a watchdog) or :mod:`extractor.run.dask_engine`.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import resource
import signal
import stat
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Any

import attrs

from extractor.article import extract_page
from extractor.errors import DumpDamaged, InputError
from extractor.facts.cs1 import citation_kind
from extractor.locales import (
    LocaleError,
    check_language,
    foreign_category_languages,
    foreign_template_languages,
)
from extractor.page import Page, Site
from extractor.records import SCHEMA_VERSION, Article, ErrorRecord, RedirectRecord
from extractor.sources import (
    NotWikiFile,
    Range,
    index_path_for,
    iter_source_files,
    multistream_ranges,
    read_file,
    read_pages,
    read_range,
    read_site,
)
from extractor.sources.compressed import ReadPosition
from extractor.sources.sniff import sniff_compression

log = logging.getLogger("extractor")

#: Count prefix of pages that use another language's category names than their
#: ``<siteinfo>``'s: ``"foreign:en>de"``.
FOREIGN = "foreign:"
#: The same for citation templates: ``foreign-templates:en>de``.
FOREIGN_TEMPLATES = "foreign-templates:"
#: Citation kinds that are no citation template read as one (a ref's text, its URL, a
#: short citation).
_NOT_TEMPLATE_KINDS = frozenset({"text", "bare", "short"})

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
            the dump's size alone (1/64 of it, within 256 KiB..2 MiB), never from the number
            of workers, so that every ``-j`` cuts the same units.
        index: The multistream index to use (default: found beside the dump).
        lang: The language of every page, over what the dumps' ``<siteinfo>`` says.
    """

    namespaces: frozenset[int] = frozenset({0})
    redirects: bool = False
    page_timeout: float = attrs.field(default=60.0, validator=lambda _, __, v: _timeout(v))
    memory_mb: int = attrs.field(default=4096, validator=lambda _, __, v: _memory(v))
    serialize: bool = True
    range_bytes: int | None = attrs.field(
        default=None, validator=lambda _, __, v: _positive("range_bytes", v)
    )
    index: str | None = None
    lang: str | None = attrs.field(default=None, validator=lambda _, __, v: _language(v))


def _language(value: str | None) -> None:
    if value is not None:
        try:
            check_language(value)
        except LocaleError as exc:
            raise ValueError(str(exc)) from None


#: The largest values the options take: a week for one page, 16 TiB of memory.
MAX_PAGE_TIMEOUT = 7 * 24 * 3600.0
MAX_MEMORY_MB = 16 << 20


def _timeout(value: float) -> None:
    if not (isinstance(value, (int, float)) and 0 <= value <= MAX_PAGE_TIMEOUT):
        raise ValueError(
            f"page timeout must be a number of seconds from 0 (none) to {MAX_PAGE_TIMEOUT:g}, "
            f"not {value!r}"
        )


def _memory(value: int) -> None:
    if not (isinstance(value, int) and (value == 0 or 64 <= value <= MAX_MEMORY_MB)):
        raise ValueError(
            f"memory limit must be 0 (none) or from 64 to {MAX_MEMORY_MB} MiB, not {value!r}"
        )


def _positive(name: str, value: int | None) -> None:
    if value is not None and not (isinstance(value, int) and value > 0):
        raise ValueError(f"{name} must be a positive number of bytes, not {value!r}")


# Every unit has ``end``: the bytes of the run's sources (compressed bytes of compressed
# files, the files of a folder one after another) read once the unit is done, for progress.


@attrs.frozen
class RangeUnit:
    """Whole bz2 streams of a multistream dump, read by the worker itself."""

    range: Range
    site: Site
    end: int = 0


@attrs.frozen
class PagesUnit:
    """Pages the parent has read."""

    pages: tuple[Page, ...]
    end: int = 0


@attrs.frozen
class FailedSource:
    """A source (or the rest of one) that could not be read: damage or an unreadable file."""

    source: str
    reason: str
    damaged: bool
    end: int = 0


@attrs.frozen
class SkippedSource:
    """A file of a folder that holds no pages: another format (``kind``, a key of
    :data:`~extractor.sources.sniff.OTHER_FORMATS`)."""

    source: str
    kind: str
    end: int = 0


Unit = RangeUnit | PagesUnit | FailedSource | SkippedSource
#: Units the parent makes the result of itself: nothing in them to extract.
PARENT_UNITS = (FailedSource, SkippedSource)


@attrs.define
class UnitResult:
    """What one unit produced, in page order, and its counts."""

    records: list[Any] = attrs.Factory(list)
    errors: list[Any] = attrs.Factory(list)
    counts: Counter[str] = attrs.Factory(Counter)
    damage: str | None = None


def plan(
    sources: Sequence[str],
    options: Options,
    exclude: Collection[str] = frozenset(),
    warn: Callable[[str], None] = log.warning,
) -> Iterator[Unit]:
    """The run's units, in order; deterministic for the same sources and options.

    Folders are read without the files in ``exclude`` (real paths: the run's outputs); a
    file of a folder that is of another format (an image, JSON, CSV, ...) is a
    :class:`SkippedSource`, given by name it is a :class:`FailedSource`.  A multistream
    dump is cut by its index (``options.index``, which belongs to the one bz2 file among
    ``sources``, or the index beside it); an index that cannot be used is said once
    through ``warn`` and the dump is read in sequence instead, so a bad index costs the
    index and never a page.
    """
    indexed = indexed_source(sources, options.index)
    base = 0
    for source in sources:
        if source != "-" and os.path.isdir(source):
            for file in iter_source_files(source, exclude):
                yield from _plan_file(file, options, None, warn, base, in_folder=True)
                base += file_size(file)
        else:
            yield from _plan_file(source, options, indexed, warn, base, in_folder=False)
            base += file_size(source)


def input_size(sources: Sequence[str], exclude: Collection[str] = frozenset()) -> int | None:
    """Bytes of all the files :func:`plan` reads (the ``end`` of its last unit), or None
    when a source is a stream (stdin, a pipe), whose size is not known in advance."""
    total = 0
    for source in sources:
        if source != "-" and os.path.isdir(source):
            total += sum(file_size(f) for f in iter_source_files(source, exclude))
        elif source == "-" or not os.path.isfile(source):
            return None
        else:
            total += file_size(source)
    return total


def file_size(path: str) -> int:
    """Size of a regular file; 0 for what has none (stdin, a pipe, a dangling link)."""
    if path == "-":
        return 0
    try:
        status = os.stat(path)
    except OSError:
        return 0
    return status.st_size if stat.S_ISREG(status.st_mode) else 0


def indexed_source(sources: Sequence[str], index: str | None) -> str | None:
    """The source ``--index`` belongs to: the one bz2 file among ``sources``; raises
    :class:`InputError` when there is none or more than one (the index fits only one)."""
    if index is None:
        return None
    bz2_files = [s for s in sources if s != "-" and os.path.isfile(s) and _is_bz2(s)]
    if len(bz2_files) != 1:
        found = "none" if not bz2_files else f"{len(bz2_files)}: {', '.join(bz2_files)}"
        raise InputError(
            f"--index {index}: an index belongs to one multistream .bz2 source, and the "
            f"bz2 files among the sources are {found}; give one dump with --index, or put "
            "each index beside its dump"
        )
    return bz2_files[0]


def _is_bz2(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return sniff_compression(f.read(10)) == "bz2"
    except OSError:
        return False


def _plan_file(
    source: str,
    options: Options,
    indexed: str | None,
    warn: Callable[[str], None],
    base: int,
    in_folder: bool,
) -> Iterator[Unit]:
    """The units of one file (or stdin); ``base`` is where it starts among the run's
    bytes, for the units' ``end``."""
    size = file_size(source)
    index = None
    if source == indexed:
        index = options.index
    elif source != "-" and _MULTISTREAM.fullmatch(os.path.basename(source)):
        index = index_path_for(source)
        if not os.path.exists(index):
            index = None  # no index beside it: read in sequence, as any bz2 dump
    if index is not None:
        try:
            site = read_site(source)
        except InputError as exc:
            yield FailedSource(source, str(exc), damaged=False, end=base + size)
            return
        target = options.range_bytes or min(2 << 20, max(256 << 10, size // 64))
        try:
            ranges = multistream_ranges(source, index, target, warn)
        except InputError as exc:
            warn(f"{exc}; reading {source} in sequence instead, without the index")
        else:
            for r in ranges:
                yield RangeUnit(r, site, base + r.end)
            return
    batch: list[Page] = []
    chars = 0
    position = ReadPosition()
    streamed = source == "-" or os.path.isdir(source)  # stdin, or a folder that cannot be listed
    pages = read_pages(source) if streamed else read_file(source, position)
    try:
        for page in pages:
            batch.append(page)
            chars += len(page.text)
            if len(batch) >= BATCH_PAGES or chars >= BATCH_CHARS:
                yield PagesUnit(tuple(batch), base + min(position.bytes, size))
                batch, chars = [], 0
    except NotWikiFile as exc:
        if not in_folder:
            yield FailedSource(source, str(exc), damaged=False, end=base + size)
            return
        log.info("skipped %s", exc)
        yield SkippedSource(source, exc.kind, base + size)
        return
    except (DumpDamaged, InputError) as exc:
        if batch:
            yield PagesUnit(tuple(batch), base + min(position.bytes, size))
        yield FailedSource(source, str(exc), damaged=isinstance(exc, DumpDamaged), end=base + size)
        return
    if batch:
        yield PagesUnit(tuple(batch), base + size)


# --- in the worker ----------------------------------------------------------------------


class PageTimeout(Exception):
    """A page ran past the page timeout."""


#: Allocations between two young-generation collections in a worker (Python's default is
#: 700).  A page allocates ~100k short-lived token objects per MB, freed by reference
#: counting, which made the cyclic collector run constantly for nothing: ~10% of the time.
WORKER_GC_THRESHOLD = 20_000


def tune_gc() -> None:
    """Tune the cyclic garbage collector of a process that extracts many pages: dump workers
    and the ``extract`` command.  ``extract()`` and the other library calls never do: the
    GC belongs to the caller's process."""
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


def init_worker(options: Options) -> None:
    """Set up one of our own worker processes: the memory cap (so one huge page cannot take
    the machine down) and the garbage collector (:func:`tune_gc`).

    The cap never exceeds a hard limit already in force (an unprivileged process may not
    raise it)."""
    tune_gc()
    if options.memory_mb > 0:
        cap = options.memory_mb << 20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


#: In a local-engine worker: the shared heartbeat array and this worker's slot in it.  The
#: slot holds the index (in its unit) of the page being extracted, -1 between pages, and
#: the monotonic time it was set.
_HEARTBEAT: tuple[Any, int] | None = None


def set_heartbeat(beats: Any, slot: int) -> None:
    """In a local-engine worker: report pages through slot ``slot`` of ``beats``."""
    global _HEARTBEAT
    _HEARTBEAT = (beats, slot)


def _beat(index: int) -> None:
    """Tell the parent's watchdog which page this worker is on, and since when."""
    if _HEARTBEAT is not None:
        beats, slot = _HEARTBEAT
        beats[2 * slot + 1] = time.monotonic()  # the time first: see _Pool.page_of
        beats[2 * slot] = float(index)


def process_unit(
    unit: Unit, options: Options, failed: Mapping[int, str] | None = None
) -> UnitResult:
    """Run every page of ``unit`` through the pipeline; never raises for a page.

    ``failed`` maps the index of a page in the unit to the reason it already failed (it
    hung or killed a worker before): that page becomes an error record without being tried
    again.
    """
    result = UnitResult()
    if isinstance(unit, SkippedSource):
        result.counts["pages"] += 1  # a file not read counts as one page read
        result.counts[f"skipped:file:{unit.kind}"] += 1
        return result
    if isinstance(unit, FailedSource):
        if unit.damaged:
            result.damage = unit.reason
        else:
            result.counts["pages"] += 1
            result.counts["errors"] += 1
            add_error(ErrorRecord(None, None, unit.source, unit.reason), result, options)
        return result
    pages: Iterable[Page] = (
        unit.pages if isinstance(unit, PagesUnit) else read_range(unit.range, unit.site)
    )
    try:
        for index, page in enumerate(pages):
            reason = failed.get(index) if failed else None
            if reason is not None:
                result.counts["pages"] += 1
                result.counts["chars"] += len(page.text)
                error_record(page, reason, result, options)
                continue
            _beat(index)
            _process_page(page, options, result)
            _beat(-1)
    except (DumpDamaged, InputError) as exc:
        result.damage = str(exc)
    finally:
        _beat(-1)
    return result


def timeout_reason(options: Options) -> str:
    return f"timeout: extraction took longer than {options.page_timeout:g} s"


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
    if page.error is not None:
        error_record(page, page.error, result, options)
        return
    if options.lang is not None and page.site.lang != options.lang:
        page = attrs.evolve(page, site=attrs.evolve(page.site, lang=options.lang))
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
        error_record(page, timeout_reason(options), result, options)
    except MemoryError:
        error_record(
            page, f"memory: extraction exceeded the {options.memory_mb} MiB cap", result, options
        )
    except Exception as exc:  # one bad page never stops a run
        error_record(page, f"{type(exc).__name__}: {exc}", result, options)
    else:
        counts["records"] += 1
        counts["citations"] += len(article.citations)
        counts["dates"] += len(article.dates)
        result.records.append(line)
        if page.site.lang and options.lang is None:
            _foreign(article, page, counts)


def _foreign(article: Article, page: Page, counts: Counter[str]) -> None:
    """Count a page whose <siteinfo> says one language while it links another's categories
    (and none of its own) or calls another's citation templates (and no citation template
    of its own language is read on it)."""
    lang = page.site.lang or ""
    if not article.categories:
        others = foreign_category_languages(page.text, lang)
        if others:
            counts[f"{FOREIGN}{lang}>{','.join(others)}"] += 1
    if not any(c.kind not in _NOT_TEMPLATE_KINDS for c in article.citations):
        others = foreign_template_languages(page.text, lang, _is_english_citation)
        if others:
            counts[f"{FOREIGN_TEMPLATES}{lang}>{','.join(others)}"] += 1


def _is_english_citation(name: str) -> bool:
    return citation_kind(name) is not None


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


def error_record(page: Page, reason: str, result: UnitResult, options: Options) -> None:
    result.counts["errors"] += 1
    error = ErrorRecord(page.title, page.page_id, page.source, " ".join(reason.split())[:500])
    add_error(error, result, options)


def add_error(error: ErrorRecord, result: UnitResult, options: Options) -> None:
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


def default_jobs() -> int:
    """Worker processes by default: every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
