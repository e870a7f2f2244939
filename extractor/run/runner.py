"""A whole dump job: plan the units, run them on an engine, write them in order, report.

:func:`run_dump` is what ``extractor dump`` calls: sources -> :func:`extractor.run.batch.plan`
-> the local process pool or Dask -> :class:`extractor.run.sinks.JsonlSink`, with progress on
stderr, a summary, ``--stats`` JSON, ``--resume``, and an interruption (a signal) that
stops the workers and says how far the run got.  Warnings, skipped files, damage and
worker restarts go to ``logging.getLogger("extractor")``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import orjson
from tqdm import tqdm

from extractor._compiled import build_summary
from extractor.errors import DumpDamaged, InputError
from extractor.records import SCHEMA_VERSION
from extractor.run.batch import (
    FOREIGN,
    FOREIGN_TEMPLATES,
    Options,
    Record,
    Unit,
    UnitResult,
    default_jobs,
    indexed_source,
    input_size,
    plan,
)
from extractor.run.pool import run_local
from extractor.run.sinks import (
    JournalError,
    JsonlSink,
    SinkError,
    check_outputs,
    default_errors_path,
    write_whole,
)
from extractor.sources import iter_source_files, probe_source

log = logging.getLogger("extractor")

#: Seconds between two progress lines when stderr is not a terminal.
PROGRESS_INTERVAL = 5.0


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal (Ctrl-C's SIGINT, or SIGTERM); the message says how
    far it got.  ``exit_code`` is the shell's for that signal: 128 + its number."""

    def __init__(self, signum: int = signal.SIGINT, message: str | None = None) -> None:
        self.signum = signum
        self.message = message or f"interrupted ({signal.Signals(signum).name})"
        super().__init__(self.message)

    @property
    def exit_code(self) -> int:
        """130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


@attrs.frozen
class Resumed:
    """What earlier runs had done when ``--resume`` went on: units, pages, page text."""

    units: int = 0
    pages: int = 0
    chars: int = 0


@attrs.frozen
class Summary:
    """How a run went: counts (of the whole output, earlier runs' included after
    ``--resume``), damage, this run's time and the input bytes it went through, and what
    earlier runs had done; ``exit_code`` follows the CLI's rules."""

    counts: dict[str, int]
    damage: tuple[str, ...]
    seconds: float
    input_bytes: int
    warnings: tuple[str, ...] = ()
    read_bytes: int = 0
    resumed: Resumed = Resumed()

    @property
    def exit_code(self) -> int:
        """3 when a dump was damaged, 1 when pages failed, else 0."""
        if self.damage:
            return 3
        return 1 if self.counts.get("errors", 0) else 0

    def stats(self) -> dict[str, object]:
        """The ``--stats`` JSON: pages read = records + skipped + errors (a file that was
        not read, skipped or an error record, counts as one page).  The counts and
        ``text_mb`` are the whole output's; ``seconds`` and the rates this run's alone."""
        c = self.counts
        skipped = {k.split(":", 1)[1]: v for k, v in sorted(c.items()) if k.startswith("skipped:")}
        run_mb = (c.get("chars", 0) - self.resumed.chars) / 1e6
        return {
            "pages": c.get("pages", 0),
            "records": c.get("records", 0),
            "skipped": skipped,
            "errors": c.get("errors", 0),
            "citations": c.get("citations", 0),
            "dates": c.get("dates", 0),
            "text_mb": round(c.get("chars", 0) / 1e6, 3),
            "input_mb": round(self.input_bytes / 1e6, 3),
            "seconds": round(self.seconds, 3),
            "mb_per_s": round(run_mb / self.seconds, 3) if self.seconds else None,
            "input_mb_per_s": round(self.read_bytes / 1e6 / self.seconds, 3)
            if self.seconds
            else None,
            "resumed": {
                "units": self.resumed.units,
                "pages": self.resumed.pages,
                "text_mb": round(self.resumed.chars / 1e6, 3),
            },
            "damage": list(self.damage),
            "warnings": list(self.warnings),
            "build": build_summary(),  # compiled or interpreted: what the figures ran on
        }

    def line(self) -> str:
        """The one-line summary printed at the end."""
        s = self.stats()
        skipped = s["skipped"]
        assert isinstance(skipped, dict)
        skips = ", ".join(f"{k} {v:,}" for k, v in skipped.items())
        run = f"{s['seconds']} s at {s['mb_per_s'] or 0} MB/s"
        if self.resumed.units:
            run_mb = round((self.counts.get("chars", 0) - self.resumed.chars) / 1e6, 3)
            run = (
                f"({run_mb} MB of it in this run's {run}; {self.resumed.pages:,} pages were "
                "done before --resume)"
            )
        else:
            run = f"in {run}"
        text = (
            f"{s['pages']:,} pages read: {s['records']:,} records, "
            f"{sum(skipped.values()):,} skipped{f' ({skips})' if skips else ''}, "
            f"{s['errors']:,} errors; {s['citations']:,} citations, {s['dates']:,} dates; "
            f"{s['text_mb']} MB of text {run}"
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
    force: bool = False,
    progress: bool = True,
    progress_interval: float = PROGRESS_INTERVAL,
) -> Summary:
    """Extract every page of ``sources`` into ``output`` (``-`` for stdout).

    Raises :class:`~extractor.errors.InputError` before writing anything when a source
    does not exist or a file given is unusable from its first bytes (empty, binary, not a
    dump, a DOCTYPE); :class:`~extractor.run.sinks.SinkError` when the output cannot be written
    (the units written before stay complete and journaled, for ``--resume``);
    :class:`~extractor.run.sinks.JournalError` when a journal is there and neither ``resume``
    (go on from it) nor ``force`` (start over) is given.  A ``KeyboardInterrupt`` (Ctrl-C,
    or :class:`Interrupted` raised by a signal handler) stops the workers, cuts the output
    back to its last journaled unit and is raised again as :class:`Interrupted`, whose
    message says how far the run got.  Progress (``progress``) goes to stderr: a bar on a
    terminal, else a line every ``progress_interval`` seconds.
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
    bar = _Progress(input_size(sources, own), progress, progress_interval)
    sink: JsonlSink | None = None
    try:
        sink = JsonlSink(output, errors, resume=resume, force=force, run=run)
        summary = _run(sources, options, own, sink, bar, jobs, engine, scheduler, started)
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        raise Interrupted(signum, _how_far(signum, sink, output)) from None
    finally:
        bar.close()
    nothing = not summary.counts.get("pages") and not summary.counts.get("errors")
    if nothing and not summary.damage and not resume:
        raise InputError(f"{', '.join(sources)}: no pages found")
    if stats:
        try:
            write_whole(stats, orjson.dumps(summary.stats(), option=orjson.OPT_INDENT_2) + b"\n")
        except OSError as exc:
            raise SinkError(f"cannot write {stats}: {exc.strerror or exc}") from None
    return summary


def _run(
    sources: Sequence[str],
    options: Options,
    own: frozenset[str],
    sink: JsonlSink,
    bar: _Progress,
    jobs: int,
    engine: str,
    scheduler: str | None,
    started: float,
) -> Summary:
    """Run the units not journaled yet into ``sink``; the summary."""
    warnings: list[str] = []

    def warn(message: str) -> None:
        if message not in warnings:
            warnings.append(message)
            log.warning("%s", message)

    resumed = Resumed(sink.done_units, sink.counts["pages"], sink.counts["chars"])
    bar.pages = resumed.pages
    units = _skip(plan(sources, options, own, warn), sink.done_units, sink.journal_path, bar.start)
    results = _engine(units, options, jobs, engine, scheduler)
    damage: list[str] = []
    complete = False
    try:
        for number, (unit, result) in enumerate(results, start=sink.done_units):
            sink.write(number, result.records, result.errors, result.counts)
            if result.damage:
                log.info("%s", result.damage)
                damage.append(result.damage)
            bar.advance(unit, result)
        complete = True
        bar.finish()
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stop the workers now, not when the generator is collected
        sink.close(complete=complete)
    for key, pages in sorted(sink.counts.items()):
        if key.startswith(FOREIGN):
            said, others = key[len(FOREIGN) :].split(">")
            warn(
                f"{pages:,} page(s) without a category of the <siteinfo>'s language ({said}) "
                f"link categories of {others.replace(',', ', ')}: give --lang to read them so"
            )
        elif key.startswith(FOREIGN_TEMPLATES):
            said, others = key[len(FOREIGN_TEMPLATES) :].split(">")
            warn(
                f"{pages:,} page(s) without a citation of the <siteinfo>'s language ({said}) "
                f"call citation templates of {others.replace(',', ', ')}: give --lang to read "
                "them so"
            )
    return Summary(
        dict(sink.counts), tuple(damage), time.monotonic() - started, bar.total or 0,
        tuple(warnings), bar.read_bytes, resumed,
    )  # fmt: skip


def pages_text(count: int) -> str:
    """``1 page``, ``2,048 pages``."""
    return f"{count:,} page{'' if count == 1 else 's'}"


def _how_far(signum: int, sink: JsonlSink | None, output: str) -> str:
    """The line an interrupted run ends with: what is written and how to go on."""
    name = signal.Signals(signum).name
    if sink is None:
        return f"interrupted ({name}) before anything was written"
    pages = sink.counts["pages"]
    if sink.journal_path is None:
        return f"interrupted ({name}): the records of {pages_text(pages)} were written to stdout"
    return (
        f"interrupted ({name}): {output} holds the records of {pages_text(pages)} "
        f"({sink.units} unit(s)); run the same command with --resume to continue"
    )


def _skip(
    units: Iterator[Unit], done: int, journal: str | None, start: Callable[[int], None]
) -> Iterator[Unit]:
    """``units`` after the first ``done`` (journaled by an earlier run), which must exist;
    ``start`` is told where the first unit to do begins (the ``end`` of the last skipped)."""
    count, end = 0, 0
    for unit in units:
        count += 1
        if count > done:
            if count == done + 1:
                start(end)
            yield unit
        else:
            end = unit.end
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
        from extractor.run.dask_engine import run_dask

        return run_dask(units, options, jobs, scheduler)
    if engine != "local":
        raise InputError(f"unknown engine {engine!r}: use local or dask")
    return run_local(units, options, jobs)


class _Progress:
    """Progress on stderr.  When every source has a size (files, folders): the bytes of
    input read (compressed bytes of a compressed file) with a percentage and an ETA, and
    pages as a count; else pages.  One rate: input MB/s, or pages/s.  A tqdm bar on a
    terminal; elsewhere (a log file, a pipe) a plain line every ``interval`` seconds.  After
    ``--resume`` it starts where the journal ends, and the rate counts this run only."""

    def __init__(self, total: int | None, enabled: bool, interval: float) -> None:
        self.total = total
        self.enabled = enabled
        self.interval = interval
        self.bar: tqdm[Any] | None = None
        #: Pages done (earlier runs' included) and input bytes read, and where this run
        #: began.
        self.pages = self.first_pages = 0
        self.position = self.first = 0
        self.started = self.said = time.monotonic()
        #: Whether this run had a unit to do (and so began).
        self.begun = False

    @property
    def read_bytes(self) -> int:
        """Input bytes this run went through (known only when the sources have a size)."""
        return self.position - self.first

    def start(self, position: int) -> None:
        """The first unit of this run begins at input byte ``position``."""
        self.position = self.first = position
        self.first_pages = self.pages
        self.begun = True
        self.started = self.said = time.monotonic()
        if self.enabled and sys.stderr.isatty():
            by_bytes = self.total is not None
            self.bar = tqdm(
                total=self.total,
                initial=position if by_bytes else self.pages,
                unit="B" if by_bytes else " pages",
                unit_scale=by_bytes,
                unit_divisor=1000,
                file=sys.stderr,
                mininterval=0.5,
                dynamic_ncols=True,
            )

    def advance(self, unit: Unit, result: UnitResult) -> None:
        """One more unit done."""
        pages = result.counts["pages"]
        self.pages += pages
        self.position = max(self.position, min(unit.end, self.total or 0))
        if self.bar is not None:
            if self.total is not None:
                self.bar.set_postfix_str(f"{self.pages:,} pages", refresh=False)
                self.bar.update(self.position - self.bar.n)
            else:
                self.bar.update(pages)
        elif self.enabled and time.monotonic() - self.said >= self.interval:
            self.said = time.monotonic()
            sys.stderr.write(f"extractor: progress: {self.line()}\n")
            sys.stderr.flush()

    def finish(self) -> None:
        """Every unit is done: the whole input was read (to the end of its last page's
        unit, and past the closing bytes after it)."""
        if self.total is not None and self.begun:
            self.position = max(self.position, self.total)
            if self.bar is not None:
                self.bar.update(self.position - self.bar.n)

    def line(self) -> str:
        """How far the run is, as words."""
        seconds = max(time.monotonic() - self.started, 1e-9)
        if self.total is None:
            return f"{self.pages:,} pages, {(self.pages - self.first_pages) / seconds:,.0f} pages/s"
        rate = self.read_bytes / seconds
        share = self.position / self.total if self.total else 1.0
        left = ""
        if rate:
            left = f", {timedelta(seconds=round((self.total - self.position) / rate))} left"
        return (
            f"{share:.0%} of {self.total / 1e6:,.1f} MB read, {self.pages:,} pages, "
            f"{rate / 1e6:,.2f} MB/s{left}"
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def extract_dump(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    options: Options | None = None,
    progress: bool = False,
    progress_interval: float = PROGRESS_INTERVAL,
) -> Iterator[Record]:
    """Records of the pages of one or more sources, in order, on ``jobs`` processes.

    The same path as ``extractor dump``, with its defaults: articles of namespace 0 (pages
    of other namespaces and redirects are skipped, ``Options(namespaces=frozenset(),
    redirects=True)`` keeps them), redirect records when asked for, and error records for
    pages that failed, in page order.  This is the whole-dump job, where talk, user and
    other pages are noise; :func:`extractor.extract_file`, which reads one file and
    isolates nothing, yields an :class:`Article` for every page instead, redirects too.
    Damage raises :class:`DumpDamaged` after every record that could be made; skipped
    files, damage and worker restarts are logged to ``logging.getLogger("extractor")``.
    ``progress`` shows on stderr how far it is, as ``extractor dump`` does (a bar on a
    terminal, else a line every ``progress_interval`` seconds).
    """
    if isinstance(source, (str, os.PathLike)):
        sources = [os.fspath(source)]
    else:
        sources = [os.fspath(s) for s in source]
    options = attrs.evolve(options or Options(), serialize=False)
    indexed_source(sources, options.index)
    damage: list[str] = []
    bar = _Progress(input_size(sources) if progress else None, progress, progress_interval)
    try:
        bar.start(0)
        for unit, result in run_local(plan(sources, options), options, jobs or default_jobs()):
            yield from result.records
            bar.advance(unit, result)
            if result.damage:
                log.info("%s", result.damage)
                damage.append(result.damage)
        bar.finish()
    finally:
        bar.close()
    if damage:
        raise DumpDamaged(damage[0] + (f" (and {len(damage) - 1} more)" if len(damage) > 1 else ""))
