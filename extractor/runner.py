"""A whole dump job: plan the units, run them on an engine, write them in order, report.

:func:`run_dump` is what ``extractor dump`` calls: sources -> :func:`extractor.batch.plan`
-> the local process pool or Dask -> :class:`extractor.sinks.JsonlSink`, with progress on
stderr, a summary, ``--stats`` JSON and ``--resume``.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence

import attrs
import orjson
from tqdm import tqdm

from extractor.batch import (
    _MULTISTREAM,
    Options,
    RangeUnit,
    Record,
    Unit,
    UnitResult,
    default_jobs,
    plan,
)
from extractor.errors import DumpDamaged, InputError
from extractor.pool import run_local
from extractor.sinks import JsonlSink, SinkError
from extractor.sources import probe_source


@attrs.frozen
class Summary:
    """How a run went: counts, damage, time; ``exit_code`` follows the CLI's rules."""

    counts: dict[str, int]
    damage: tuple[str, ...]
    seconds: float
    input_bytes: int

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
        if source != "-" and not os.path.isdir(source):
            probe_source(source)
    if resume and output == "-":
        raise InputError("--resume needs an output file (-o OUT.jsonl), not stdout")
    options = options or Options()
    started = time.monotonic()
    sink = JsonlSink(output, errors, resume=resume)
    units = itertools.islice(plan(sources, options), sink.done_units, None)
    results = _engine(units, options, jobs, engine, scheduler)
    damage: list[str] = []
    input_bytes = sum(_size(s) for s in sources)
    bar = _Progress(sources, input_bytes, progress)
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
    summary = Summary(dict(sink.counts), tuple(damage), time.monotonic() - started, input_bytes)
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
    if source == "-" or not os.path.exists(source):
        return 0
    if os.path.isdir(source):
        return sum(
            os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(source) for f in files
        )
    return os.path.getsize(source)


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
        self.started = time.monotonic()
        self.pages = 0
        self.chars = 0

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
    damage: list[str] = []
    for _, result in run_local(plan(sources, options), options, jobs or default_jobs()):
        yield from result.records
        if result.damage:
            damage.append(result.damage)
    if damage:
        raise DumpDamaged(damage[0] + (f" (and {len(damage) - 1} more)" if len(damage) > 1 else ""))
