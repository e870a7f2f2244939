"""A whole dump job: plan the units, run them on an engine, write them in order, report.

:func:`run_dump` is what ``extractor dump`` calls: sources -> :func:`extractor.batch.plan`
-> the local process pool or Dask -> :class:`extractor.sinks.JsonlSink`, with progress on
stderr, a summary, ``--stats`` JSON and ``--resume``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import orjson
from tqdm import tqdm

from extractor.batch import (
    _MULTISTREAM,
    FOREIGN,
    Options,
    RangeUnit,
    Record,
    Unit,
    UnitResult,
    default_jobs,
    indexed_source,
    plan,
)
from extractor.errors import DumpDamaged, InputError
from extractor.pool import run_local
from extractor.records import SCHEMA_VERSION
from extractor.sinks import JournalError, JsonlSink, SinkError, check_outputs, default_errors_path
from extractor.sources import iter_source_files, probe_source


@attrs.frozen
class Summary:
    """How a run went: counts, damage, time; ``exit_code`` follows the CLI's rules."""

    counts: dict[str, int]
    damage: tuple[str, ...]
    seconds: float
    input_bytes: int
    warnings: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        """3 when a dump was damaged, 1 when pages failed, else 0."""
        if self.damage:
            return 3
        return 1 if self.counts.get("errors", 0) else 0

    def stats(self) -> dict[str, object]:
        """The ``--stats`` JSON: pages read = records + skipped + errors."""
        c = self.counts
        skipped = {k.split(":", 1)[1]: v for k, v in sorted(c.items()) if k.startswith("skipped:")}
        megabytes = c.get("chars", 0) / 1e6
        return {
            "pages": c.get("pages", 0),
            "records": c.get("records", 0),
            "skipped": skipped,
            "errors": c.get("errors", 0),
            "citations": c.get("citations", 0),
            "dates": c.get("dates", 0),
            "text_mb": round(megabytes, 3),
            "input_mb": round(self.input_bytes / 1e6, 3),
            "seconds": round(self.seconds, 3),
            "mb_per_s": round(megabytes / self.seconds, 3) if self.seconds else None,
            "input_mb_per_s": round(self.input_bytes / 1e6 / self.seconds, 3)
            if self.seconds
            else None,
            "damage": list(self.damage),
            "warnings": list(self.warnings),
        }

    def line(self) -> str:
        """The one-line summary printed at the end."""
        s = self.stats()
        skipped = s["skipped"]
        assert isinstance(skipped, dict)
        skips = ", ".join(f"{k} {v:,}" for k, v in skipped.items())
        text = (
            f"{s['pages']:,} pages read: {s['records']:,} records, "
            f"{sum(skipped.values()):,} skipped{f' ({skips})' if skips else ''}, "
            f"{s['errors']:,} errors; {s['citations']:,} citations, {s['dates']:,} dates; "
            f"{s['text_mb']} MB of text in {s['seconds']} s"
        )
        if self.damage:
            text += f"; DAMAGED: {self.damage[0]}"
        return text


def run_dump(
    sources: Sequence[str],
    output: str,
    *,
    errors: str | None = None,
    stats: str | None = None,
    options: Options | None = None,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = True,
) -> Summary:
    """Extract every page of ``sources`` into ``output`` (``-`` for stdout).

    Raises :class:`~extractor.errors.InputError` before writing anything when a source
    does not exist or a file given is unusable from its first bytes (empty, binary, not a
    dump, a DOCTYPE); :class:`~extractor.sinks.SinkError` when the output cannot be written
    (the units written before stay complete and journaled, for ``--resume``).
    """
    for source in sources:
        if source != "-" and not os.path.exists(source):
            raise InputError(f"{source}: no such file or directory")
        if source != "-" and os.path.isfile(source):
            probe_source(source)  # not a pipe or FIFO: its first bytes would be gone
    if resume and output == "-":
        raise InputError("--resume needs an output file (-o OUT.jsonl), not stdout")
    streams = [s for s in sources if s == "-" or not (os.path.isfile(s) or os.path.isdir(s))]
    if resume and streams:
        raise InputError(
            f"{streams[0]}: a pipe gives its pages once, so --resume cannot check that it "
            "gives the same ones again; write it to a file first"
        )
    options = options or Options()
    if options.index is not None and not os.path.isfile(options.index):
        raise InputError(f"--index {options.index}: no such file")
    indexed_source(sources, options.index)
    started = time.monotonic()
    journal = None if output == "-" else output + ".journal"
    errors_file = default_errors_path(output) if errors is None and output != "-" else errors
    own = check_outputs(sources, [output, errors_file, journal, stats])
    run = describe_run(sources, options, errors_file, own) if journal else None
    sink = JsonlSink(output, errors, resume=resume, run=run)
    warnings: list[str] = []
    bar = _Progress(sources, sum(_size(s) for s in sources), progress)

    def warn(message: str) -> None:
        if message not in warnings:
            warnings.append(message)
            bar.write(f"extractor: warning: {message}")

    units = _skip(plan(sources, options, own, warn), sink.done_units, sink.journal_path)
    results = _engine(units, options, jobs, engine, scheduler)
    damage: list[str] = []
    complete = False
    try:
        for number, (unit, result) in enumerate(results, start=sink.done_units):
            sink.write(number, result.records, result.errors, result.counts)
            if result.damage:
                damage.append(result.damage)
            bar.advance(unit, result)
        complete = True
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stop the workers now, not when the generator is collected
        bar.close()
        sink.close(complete=complete)
    for key, pages in sorted(sink.counts.items()):
        if key.startswith(FOREIGN):
            said, others = key[len(FOREIGN) :].split(">")
            warn(
                f"{pages:,} page(s) without a category of the <siteinfo>'s language ({said}) "
                f"link categories of {others.replace(',', ', ')}: give --lang to read them so"
            )
    summary = Summary(
        dict(sink.counts), tuple(damage), time.monotonic() - started, bar.input_bytes,
        tuple(warnings),
    )  # fmt: skip
    nothing = not summary.counts.get("pages") and not summary.counts.get("errors")
    if nothing and not damage and not resume:
        raise InputError(f"{', '.join(sources)}: no pages found")
    if stats:
        try:
            with open(stats, "wb") as f:
                f.write(orjson.dumps(summary.stats(), option=orjson.OPT_INDENT_2) + b"\n")
        except OSError as exc:
            raise SinkError(f"cannot write {stats}: {exc.strerror or exc}") from None
    return summary


def _skip(units: Iterator[Unit], done: int, journal: str | None) -> Iterator[Unit]:
    """``units`` after the first ``done`` (journaled by an earlier run), which must exist."""
    count = 0
    for unit in units:
        count += 1
        if count > done:
            yield unit
    if count < done:
        raise JournalError(f"{journal}: journals {done} units, the sources have {count}")


def describe_run(
    sources: Sequence[str], options: Options, errors: str | None, own: frozenset[str]
) -> dict[str, Any]:
    """What makes a run's output what it is, for the journal: the sources (each file's
    size and modification time; a folder's listing as a digest), every option that changes
    a record, the error file, and the code.  ``--resume`` goes on only under the same."""
    return {
        "sources": [_fingerprint(s, own) for s in sources],
        "namespaces": sorted(options.namespaces),
        "redirects": options.redirects,
        "page_timeout": options.page_timeout,
        "memory_mb": options.memory_mb,
        "range_bytes": options.range_bytes,
        "index": None if options.index is None else _fingerprint(options.index, own),
        "lang": options.lang,
        "errors": None if errors is None else os.path.abspath(errors),
        "code": _code_digest(),
    }


def _fingerprint(source: str, own: frozenset[str]) -> list[Any]:
    path = os.path.abspath(source)
    if source != "-" and os.path.isdir(source):
        listing = hashlib.sha256()
        for file in iter_source_files(source, own):
            size, mtime = _stat(file)
            name = os.fsencode(os.path.relpath(file, source))
            listing.update(b"%s\0%d\0%d\n" % (name, size, mtime))
        return [path, "folder", listing.hexdigest()]
    if source == "-" or not os.path.isfile(source):
        return [path, "stream"]  # --resume is refused for it (run_dump)
    return [path, *_stat(source)]


def _stat(path: str) -> tuple[int, int]:
    try:
        status = os.stat(path)
    except OSError:
        return -1, -1  # unreadable: read as an error record, the same on every run
    return status.st_size, status.st_mtime_ns


@functools.cache
def _code_digest() -> str:
    """A digest of this package's source, so a journal is only resumed by the same code."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _engine(
    units: Iterator[Unit], options: Options, jobs: int, engine: str, scheduler: str | None
) -> Iterator[tuple[Unit, UnitResult]]:
    if engine == "dask":
        from extractor.dask_engine import run_dask

        return run_dask(units, options, jobs, scheduler)
    if engine != "local":
        raise InputError(f"unknown engine {engine!r}: use local or dask")
    return run_local(units, options, jobs)


def _size(source: str) -> int:
    """Bytes of a source for progress; what cannot be sized (a pipe, a dangling link, an
    unreadable folder) counts 0 here and is reported where it is read."""
    if source == "-":
        return 0
    if os.path.isdir(source):
        return sum(_size(os.path.join(d, f)) for d, _, files in os.walk(source) for f in files)
    try:
        status = os.stat(source)
    except OSError:
        return 0
    return status.st_size if stat.S_ISREG(status.st_mode) else 0


class _Progress:
    """Progress on stderr: bytes with an ETA for multistream dumps, else pages; with
    pages/s and MB/s of page text."""

    def __init__(self, sources: Sequence[str], input_bytes: int, enabled: bool) -> None:
        self.by_bytes = all(_MULTISTREAM.fullmatch(os.path.basename(s)) for s in sources)
        self.bar = tqdm(
            total=input_bytes if self.by_bytes else None,
            unit="B" if self.by_bytes else " pages",
            unit_scale=self.by_bytes,
            disable=not enabled,
            file=sys.stderr,
            mininterval=0.5,
            dynamic_ncols=True,
        )
        self.input_bytes = input_bytes
        self.started = time.monotonic()
        self.pages = 0
        self.chars = 0

    def write(self, line: str) -> None:
        """A line on stderr, above the bar (printed whether or not the bar is shown)."""
        self.bar.write(line, file=sys.stderr)

    def advance(self, unit: Unit, result: UnitResult) -> None:
        pages, chars = result.counts["pages"], result.counts["chars"]
        self.pages += pages
        self.chars += chars
        self.bar.update(unit.size if self.by_bytes and isinstance(unit, RangeUnit) else pages)
        seconds = max(time.monotonic() - self.started, 1e-9)
        self.bar.set_postfix_str(
            f"{self.pages / seconds:,.0f} pages/s, {self.chars / 1e6 / seconds:.2f} MB/s",
            refresh=False,
        )

    def close(self) -> None:
        self.bar.close()


def extract_dump(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    options: Options | None = None,
) -> Iterator[Record]:
    """Records of every page of one or more sources, in order, on ``jobs`` processes.

    The same path as ``extractor dump``: articles, redirect records (when asked for) and
    error records for pages that failed, in page order.  Damage raises
    :class:`DumpDamaged` after every record that could be made.
    """
    if isinstance(source, (str, os.PathLike)):
        sources = [os.fspath(source)]
    else:
        sources = [os.fspath(s) for s in source]
    options = attrs.evolve(options or Options(), serialize=False)
    indexed_source(sources, options.index)
    damage: list[str] = []
    for _, result in run_local(plan(sources, options), options, jobs or default_jobs()):
        yield from result.records
        if result.damage:
            damage.append(result.damage)
    if damage:
        raise DumpDamaged(damage[0] + (f" (and {len(damage) - 1} more)" if len(damage) > 1 else ""))
