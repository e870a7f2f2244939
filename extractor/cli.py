"""The ``extractor`` command: argument parsing only; the work is the library's.

Exit codes (also in the README):
  0  every page was extracted;
  1  some pages failed and became error records (the others were written);
  2  bad usage, or the input could not be read at all (missing file, empty or binary file,
     a folder with no pages);
  3  a damaged dump: the pages before the damage were written.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import attrs
import click

from extractor.article import DIALECTS, extract_page
from extractor.batch import Options, default_jobs, tune_gc
from extractor.cites.cli import cites
from extractor.errors import ExtractorError, InputError
from extractor.locales import check_language
from extractor.page import Page
from extractor.records import Article, ErrorRecord, dumps
from extractor.runner import run_dump
from extractor.sinks import check_outputs
from extractor.sources import iter_source_files, read_pages

#: More worker processes than this on one machine is a typo, not a plan.
MAX_JOBS = 1024


class _Failures:
    """Counts pages that failed, so the exit code can say so."""

    def __init__(self) -> None:
        self.count = 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="extractor")
def cli() -> None:
    """Extract categories, citations, sections and dates from MediaWiki pages as JSON.

    \b
    Example:
        extractor extract samples/Juno_soundtrack.flat.txt
        extractor extract samples/ -o output/
    """


@cli.command()
@click.argument("path", type=click.Path(allow_dash=True, path_type=str))
@click.option(
    "--dialect",
    type=click.Choice(["auto", *DIALECTS]),
    default="auto",
    show_default=True,
    help="Input dialect; auto-detected by default.",
)
@click.option("--title", help="Title of the page (single-page input).")
@click.option("--lang", help="Language of the pages (de, fr, …)  [default: from <siteinfo>]")
@click.option("--jsonl", is_flag=True, help="One compact JSON record per line.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=str),
    help="Write to this file; or, for an existing folder or one ending in '/', "
    "one NAME.json per input file.",
)
def extract(
    path: str, dialect: str, title: str | None, lang: str | None, jsonl: bool, output: str | None
) -> None:
    """Extract the record of every page in PATH (a file, a folder of files, or - for stdin).

    One page prints one JSON object; several print a JSON array, or one object per line
    with --jsonl.

    \b
    Example:
        extractor extract page.wiki
        extractor extract corpus.txt --jsonl -o records.jsonl
        cat page.wiki | extractor extract - --dialect wikitext --title "Juno"
        extractor extract samples/ -o output/
    """
    failures = _Failures()
    tune_gc()
    how = _Overrides(None if dialect == "auto" else dialect, title, lang)
    try:
        if lang is not None:
            check_language(lang)
        if output is not None and (Path(output).is_dir() or output.endswith(("/", "\\"))):
            if os.path.isdir(path) and os.path.samefile(path, output):
                raise InputError(
                    f"{output}: is the input folder; its records would be read as pages "
                    "next time: name another folder"
                )
            exclude = frozenset({os.path.realpath(output)})
            _extract_to_folder(path, how, Path(output), failures, exclude)
        elif output is None:
            _write(_records(path, how, failures), sys.stdout.buffer, jsonl)
        else:
            exclude = check_outputs([path], [output])
            _write_file(Path(output), _records(path, how, failures, exclude), jsonl)
    except ExtractorError as exc:
        _fail(str(exc), exc.exit_code)
    except OSError as exc:
        _fail(f"{exc.filename or path}: {exc.strerror or exc}", 2)
    if failures.count:
        _fail(f"{failures.count} page(s) failed; see the messages above", 1)


def _fail(message: str, code: int) -> None:
    click.echo(f"extractor: {message}", err=True)
    sys.exit(code)


def _records(
    path: str,
    how: _Overrides,
    failures: _Failures,
    exclude: frozenset[str] = frozenset(),
) -> Iterator[Article]:
    """Articles of every page in ``path``; failures are reported on stderr and counted."""
    count = 0
    for page in _pages(path, failures, exclude):
        count += 1
        record = _extract_one(how.apply(page), failures)
        if record is not None:
            yield record
    if count == 0:
        raise _NoPages(f"{path}: no pages found")


class _NoPages(ExtractorError):
    exit_code = 2


def _pages(path: str, failures: _Failures, exclude: frozenset[str]) -> Iterator[Page]:
    """Pages of ``path``; in a folder, a file that cannot be read is an error (reported and
    counted, as ``dump`` makes it an error record) and the other files are read."""
    if path == "-" or not os.path.isdir(path):
        yield from read_pages(path)
        return
    for file in iter_source_files(path, exclude):
        try:
            yield from read_pages(file)
        except InputError as exc:
            _report(ErrorRecord(None, None, file, str(exc)), failures)


def _report(error: ErrorRecord, failures: _Failures) -> None:
    failures.count += 1
    click.echo(f"extractor: error: {dumps(error.to_dict()).decode()}", err=True)


@attrs.frozen
class _Overrides:
    """What the command line says of every page, over what its source says."""

    dialect: str | None
    title: str | None
    lang: str | None

    def apply(self, page: Page) -> Page:
        if self.dialect is not None:
            page = attrs.evolve(page, dialect=self.dialect)
        if self.title is not None:
            page = attrs.evolve(page, title=self.title)
        if self.lang is not None:
            page = attrs.evolve(page, site=attrs.evolve(page.site, lang=self.lang))
        return page


def _extract_one(page: Page, failures: _Failures) -> Article | None:
    if page.error is not None:
        _report(ErrorRecord(page.title, page.page_id, page.source, page.error), failures)
        return None
    try:
        return extract_page(page)
    except Exception as exc:  # one bad page never stops a run
        reason = f"{type(exc).__name__}: {exc}"
        _report(ErrorRecord(page.title, page.page_id, page.source, reason), failures)
        return None


def _write(records: Iterator[Article], sink: BinaryIO, jsonl: bool) -> int:
    """JSONL, or one indented object for one record, or an indented array for several,
    written as records come (a damaged dump still leaves the records before the damage,
    in valid JSON).  Returns how many records were written."""
    if jsonl:
        count = 0
        for record in records:
            sink.write(record.to_json() + b"\n")
            count += 1
        return count
    first = next(records, None)
    if first is None:
        return 0
    try:
        second = next(records, None)
    except ExtractorError:
        sink.write(first.to_json(indent=True) + b"\n")
        raise
    if second is None:
        sink.write(first.to_json(indent=True) + b"\n")
        return 1
    sink.write(b"[\n" + _array_item(first))
    count = 1
    try:
        for record in itertools.chain([second], records):
            sink.write(b",\n" + _array_item(record))
            count += 1
    finally:
        sink.write(b"\n]\n")
    return count


def _array_item(record: Article) -> bytes:
    """A record indented as one member of an indented JSON array (JSON strings never hold a
    raw newline, so indenting every line is safe)."""
    return b"  " + record.to_json(indent=True).replace(b"\n", b"\n  ")


def _write_file(target: Path, records: Iterator[Article], jsonl: bool) -> None:
    """Write to a temporary file beside ``target`` and move it into place once something was
    written, so an input that cannot be read leaves an existing ``target`` alone."""
    partial = target.with_name(f".{target.name}.partial")
    written = 0
    try:
        with partial.open("wb") as sink:
            written = _write(records, sink, jsonl)
    except BaseException:
        if partial.exists() and partial.stat().st_size:
            partial.replace(target)
        else:
            partial.unlink(missing_ok=True)
        raise
    if written or not target.exists():
        partial.replace(target)
    else:
        partial.unlink()


def _extract_to_folder(
    path: str,
    how: _Overrides,
    folder: Path,
    failures: _Failures,
    exclude: frozenset[str],
) -> None:
    """One ``NAME.json`` per input file, at the file's path relative to ``path`` (so
    ``a/Page.wiki`` and ``b/Page.wiki`` stay apart), each written when its file ends (and,
    when a dump is damaged, with the pages before the damage)."""
    root = path if os.path.isdir(path) else os.path.dirname(path)
    source: str | None = None
    records: list[Article] = []
    count = 0

    def flush() -> None:
        if source is None:
            return
        name = os.path.relpath(source, root) if source != "stdin" else "stdin"
        target = folder / f"{name}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_file(target, iter(records), jsonl=False)

    try:
        for page in _pages(path, failures, exclude):
            count += 1
            if (page.source or "stdin") != source:
                flush()
                source, records = page.source or "stdin", []
            record = _extract_one(how.apply(page), failures)
            if record is not None:
                records.append(record)
    finally:
        flush()
    if count == 0:
        raise _NoPages(f"{path}: no pages found")


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Output JSONL file (.jsonl.gz to compress), or - for stdout.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1, max=MAX_JOBS),
    default=None,
    help="Worker processes  [default: all cores]",
)
@click.option(
    "--namespaces",
    default="0",
    show_default=True,
    help="Comma-separated namespace numbers to keep, or 'all'.",
)
@click.option(
    "--redirects",
    is_flag=True,
    help="Write a small record for each redirect instead of skipping it.",
)
@click.option(
    "--page-timeout",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds one page may take before it becomes an error record (0: none).",
)
@click.option(
    "--memory-limit",
    type=int,
    default=4096,
    show_default=True,
    help="Memory cap of each worker in MiB (0: none).",
)
@click.option(
    "--errors",
    "errors_path",
    help="Error records file  [default: OUT.errors.jsonl "
    "beside the output; stderr when writing to stdout]",
)
@click.option("--stats", "stats_path", help="Write run statistics as JSON to this file.")
@click.option("--resume", is_flag=True, help="Finish an interrupted run with the same command.")
@click.option("--index", help="Multistream index  [default: found beside the dump]")
@click.option("--lang", help="Language of the pages (de, fr, …)  [default: from <siteinfo>]")
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Run on local processes or on dask.distributed.",
)
@click.option("--scheduler", help="Dask scheduler address (default: a local cluster).")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary on stderr.")
def dump(
    sources: tuple[str, ...],
    output: str,
    jobs: int | None,
    namespaces: str,
    redirects: bool,
    page_timeout: float,
    memory_limit: int,
    errors_path: str | None,
    stats_path: str | None,
    resume: bool,
    index: str | None,
    lang: str | None,
    engine: str,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Extract every article of dumps, corpus files or folders into one JSONL file.

    SOURCES are MediaWiki XML exports (.xml, .bz2, .gz, .xz; a multistream .bz2 is split
    across workers by its index), flat-dialect corpus files, folders of such files, or -.
    Records come out in input order, identical for any -j.  Redirects and other namespaces
    are counted skips; pages that fail become error records.  Exit code: 0 all good,
    1 some pages failed, 2 unusable input, 3 a damaged dump (pages before the damage kept).

    \b
    Example:
        extractor dump enwiki-pages-articles-multistream.xml.bz2 -o enwiki.jsonl.gz
        extractor dump dewiki.xml.bz2 -o de.jsonl -j 8 --stats de.stats.json
        extractor dump corpus/ -o corpus.jsonl --resume
        extractor dump dump.xml.bz2 -o out.jsonl --engine dask --scheduler tcp://host:8786
    """
    try:
        keep = (
            frozenset()
            if namespaces == "all"
            else frozenset(int(n) for n in namespaces.split(",") if n.strip())
        )
    except ValueError:
        _fail(f"--namespaces takes numbers like 0,14 or 'all', not {namespaces!r}", 2)
    try:
        options = Options(
            namespaces=keep, redirects=redirects, page_timeout=page_timeout,
            memory_mb=memory_limit, index=index, lang=lang,
        )  # fmt: skip
    except ValueError as exc:
        message = str(exc)
        _fail(message if message.startswith("unknown language") else
              f"--{message.replace(' ', '-', 1)}", 2)  # fmt: skip
    try:
        summary = run_dump(
            list(sources),
            output,
            errors=errors_path,
            stats=stats_path,
            options=options,
            jobs=jobs or default_jobs(),
            engine=engine,
            scheduler=scheduler,
            resume=resume,
            progress=not quiet,
        )
    except ExtractorError as exc:
        _fail(str(exc), exc.exit_code)
    if not quiet:
        click.echo(f"extractor: {summary.line()}", err=True)
    elif summary.damage:
        click.echo(f"extractor: {summary.damage[0]}", err=True)
    sys.exit(summary.exit_code)


cli.add_command(cites)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="extractor")
