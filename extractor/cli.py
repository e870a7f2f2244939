"""The ``extractor`` command: argument parsing only; the work is the library's.

Exit codes (also in the README):
  0  every page was extracted;
  1  some pages failed and became error records (the others were written);
  2  bad usage (one line: an unknown option, a bad value), or the input could not be read
     at all (missing file, empty or binary file, a folder with no pages);
  3  a damaged dump: the pages before the damage were written;
  130, 143  interrupted by Ctrl-C (SIGINT) or SIGTERM: one line says how far it got.
A reader of stdout that stops early (``| head``) ends the command quietly, exit 0.

Messages go to stderr as ``extractor: …`` lines; the library's log (``logging.getLogger
("extractor")``: warnings, and with ``-v`` skipped files, damage and worker restarts) as
``extractor: warning: …``, ``extractor: info: …``.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, BinaryIO, NoReturn

import attrs
import click
from tqdm import tqdm

from extractor import __version__
from extractor._compiled import build_summary
from extractor.article import DIALECTS, extract_page
from extractor.cites.cli import cites
from extractor.errors import DumpDamaged, ExtractorError, InputError
from extractor.locales import check_language
from extractor.page import Page
from extractor.records import Article, ErrorRecord, dumps
from extractor.run.batch import Options, default_jobs, tune_gc
from extractor.run.runner import PROGRESS_INTERVAL, Interrupted, pages_text, run_dump
from extractor.run.sinks import check_outputs
from extractor.sources import NotWikiFile, iter_source_files, read_pages

#: More worker processes than this on one machine is a typo, not a plan.
MAX_JOBS = 1024

log = logging.getLogger("extractor")


class _Cli(click.Group):
    """The command group, with this tool's conventions on top of click's: a usage error
    (an unknown option, a bad value) is one ``extractor: …`` line and exit 2, and a
    SIGINT or SIGTERM stops a command with one line and exit 130 or 143."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            _fail(_usage_line(exc), exc.exit_code)
        except click.Abort as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, KeyboardInterrupt):  # a signal as a command was ending
                stopped = cause if isinstance(cause, Interrupted) else Interrupted()
                _fail(stopped.message, stopped.exit_code)
            _fail("aborted", 1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        with _stop_signals(), _logging_to_stderr():
            try:
                return super().invoke(ctx)
            except Interrupted as exc:
                _fail(exc.message, exc.exit_code)
            except KeyboardInterrupt:
                stopped = Interrupted()
                _fail(stopped.message, stopped.exit_code)
            except BrokenPipeError:  # the reader stopped early (`| head`): not an error
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                sys.exit(0)


def _usage_line(exc: click.ClickException) -> str:
    """Click's message as one line, with where to find help."""
    message = " ".join(exc.format_message().split()).rstrip(".")
    if message[:2].istitle():
        message = message[0].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return message
    where = ctx.command_path.partition(" ")[2]
    return f"{where + ': ' if where else ''}{message} (see '{ctx.command_path} --help')"


@contextlib.contextmanager
def _stop_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` in the block (the first one: while a
    command cleans up after it, more are ignored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, signal.SIG_IGN)
        raise Interrupted(signum)

    before = {n: signal.signal(n, stop) for n in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


class _StderrHandler(logging.Handler):
    """The library's log as ``extractor: LEVEL: message`` lines on the stderr of the
    moment, written above a progress bar."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = f"extractor: {record.levelname.lower()}: {record.getMessage()}"
            tqdm.write(line, file=sys.stderr)
        except Exception:
            self.handleError(record)


@contextlib.contextmanager
def _logging_to_stderr() -> Iterator[None]:
    """In the block, the library's log goes to stderr (warnings and worse, until a command
    says otherwise with :func:`_configure_logging`); after it, the logger is as it was (a
    command run in-process leaves nothing behind)."""
    logger = logging.getLogger("extractor")
    handler = _StderrHandler()
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    _configure_logging(0)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def _configure_logging(verbosity: int) -> None:
    """Show the library's log from WARNING (``verbosity`` 0) down to INFO (1) and DEBUG
    (2), or only errors (-2 and less)."""
    level = logging.WARNING - 10 * verbosity
    logging.getLogger("extractor").setLevel(max(logging.DEBUG, min(logging.ERROR, level)))


def _verbosity(verbose: int, quiet: int) -> None:
    """Set the library's log: -v and -vv say more, -qq (without -v) hides warnings; a
    single -q is about progress and summary alone."""
    _configure_logging(verbose if verbose or quiet < 2 else -2)


_VERBOSE = click.option(
    "-v", "--verbose", count=True,
    help="Say more on stderr: -v skipped files, damage as met, worker restarts; -vv debug.",
)  # fmt: skip


class _Tally:
    """Pages read and pages that failed, for the exit code and an interruption's line."""

    def __init__(self) -> None:
        self.pages = 0
        self.count = 0


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__,
    prog_name="extractor",
    message=f"%(prog)s, version %(version)s ({build_summary()})",
)
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
    type=click.Path(allow_dash=True, path_type=str),
    help="Write to this file (- for stdout); or, for an existing folder or one ending in "
    "'/', one NAME.json per input file.",
)
@_VERBOSE
@click.option("-q", "--quiet", count=True, help="-qq: no warnings on stderr.")
def extract(
    path: str,
    dialect: str,
    title: str | None,
    lang: str | None,
    jsonl: bool,
    output: str | None,
    verbose: int,
    quiet: int,
) -> None:
    """Extract the record of every page in PATH (a file, a folder of files, or - for stdin).

    One page prints one JSON object; several print a JSON array, or one object per line
    with --jsonl.  In a folder, files of other formats (images, JSON, CSV) are skipped.

    \b
    Example:
        extractor extract page.wiki
        extractor extract corpus.txt --jsonl -o records.jsonl
        cat page.wiki | extractor extract - --dialect wikitext --title "Juno"
        extractor extract samples/ -o output/
    """
    _verbosity(verbose, quiet)
    tally = _Tally()
    tune_gc()
    how = _Overrides(None if dialect == "auto" else dialect, title, lang)
    if output == "-":
        output = None
    to_folder = output is not None and (Path(output).is_dir() or output.endswith(("/", "\\")))
    try:
        if lang is not None:
            check_language(lang)
        if output is not None and to_folder:
            if os.path.isdir(path) and os.path.isdir(output) and os.path.samefile(path, output):
                raise InputError(
                    f"{output}: is the input folder; its records would be read as pages "
                    "next time: name another folder"
                )
            exclude = frozenset({os.path.realpath(output)})
            _extract_to_folder(path, how, Path(output), tally, exclude)
        elif output is None:
            _write(_records(path, how, tally), sys.stdout.buffer, jsonl)
        else:
            exclude = check_outputs([path], [output])
            _write_file(output, _records(path, how, tally, exclude), jsonl)
    except ExtractorError as exc:
        _fail(str(exc), exc.exit_code)
    except BrokenPipeError:
        raise
    except OSError as exc:
        _fail(f"{exc.filename or path}: {exc.strerror or exc}", 2)
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        done = (
            f"the files of the inputs done are in {output}" if to_folder
            else f"{output} is left as it was" if output is not None
            else "their records were written to stdout"
        )  # fmt: skip
        raise Interrupted(
            signum, f"{Interrupted(signum).message} after {pages_text(tally.pages)}; {done}"
        ) from None
    if tally.count:
        _fail(f"{tally.count} page(s) failed; see the messages above", 1)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"extractor: {message}", err=True)
    sys.exit(code)


def _records(
    path: str,
    how: _Overrides,
    tally: _Tally,
    exclude: frozenset[str] = frozenset(),
) -> Iterator[Article]:
    """Articles of every page in ``path``; failures are reported on stderr and counted."""
    for page in _pages(path, tally, exclude):
        tally.pages += 1
        record = _extract_one(how.apply(page), tally)
        if record is not None:
            yield record
    if tally.pages == 0:
        raise _NoPages(f"{path}: no pages found")


class _NoPages(ExtractorError):
    exit_code = 2


def _pages(path: str, tally: _Tally, exclude: frozenset[str]) -> Iterator[Page]:
    """Pages of ``path``; in a folder, a file of another format is skipped (and logged),
    and one that cannot be read is an error (reported and counted, as ``dump`` makes it an
    error record) while the other files are read."""
    if path == "-" or not os.path.isdir(path):
        yield from read_pages(path)
        return
    for file in iter_source_files(path, exclude):
        try:
            yield from read_pages(file)
        except NotWikiFile as exc:
            log.info("skipped %s", exc)
        except InputError as exc:
            _report(ErrorRecord(None, None, file, str(exc)), tally)


def _report(error: ErrorRecord, tally: _Tally) -> None:
    tally.count += 1
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


def _extract_one(page: Page, tally: _Tally) -> Article | None:
    if page.error is not None:
        _report(ErrorRecord(page.title, page.page_id, page.source, page.error), tally)
        return None
    try:
        return extract_page(page)
    except Exception as exc:  # one bad page never stops a run
        reason = f"{type(exc).__name__}: {exc}"
        _report(ErrorRecord(page.title, page.page_id, page.source, reason), tally)
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


def _write_file(target: str, records: Iterator[Article], jsonl: bool) -> None:
    """Write to a temporary file beside ``target`` and move it into place once something
    was written and the input ended or was damaged (then with the records before the
    damage), so that unreadable input, a failed write or an interruption leave an
    existing ``target`` as it was.  What is not a regular file (``/dev/null``, a FIFO) is
    written in place; a symbolic link is followed."""
    real = os.path.realpath(target)
    try:
        mode: int | None = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(real, "wb") as sink:
            _write(records, sink, jsonl)
        return
    folder, name = os.path.split(real)
    fd, partial = tempfile.mkstemp(prefix=f".{name[:100]}.", suffix=".partial", dir=folder)
    written = 0
    try:
        with os.fdopen(fd, "wb") as sink:
            try:
                written = _write(records, sink, jsonl)
            except DumpDamaged:
                if sink.tell():
                    _move(sink, partial, real, mode)
                raise
        if written or mode is None:
            _move(None, partial, real, mode)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)


def _move(sink: BinaryIO | None, partial: str, target: str, mode: int | None) -> None:
    """Put the finished ``partial`` in the place of ``target``, with its permissions (a
    new file's: 0o666 less the umask)."""
    if sink is not None:
        sink.flush()
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(partial, stat.S_IMODE(mode) if mode is not None else 0o666 & ~umask)
    os.replace(partial, target)


def _extract_to_folder(
    path: str,
    how: _Overrides,
    folder: Path,
    tally: _Tally,
    exclude: frozenset[str],
) -> None:
    """One ``NAME.json`` per input file, at the file's path relative to ``path`` (so
    ``a/Page.wiki`` and ``b/Page.wiki`` stay apart), each written when its file ends (and,
    when a dump is damaged, with the pages before the damage; an interruption leaves out
    the file it came in)."""
    root = path if os.path.isdir(path) else os.path.dirname(path)
    source: str | None = None
    records: list[Article] = []

    def flush() -> None:
        if source is None:
            return
        name = os.path.relpath(source, root) if source != "stdin" else "stdin"
        target = folder / f"{name}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_file(str(target), iter(records), jsonl=False)

    try:
        for page in _pages(path, tally, exclude):
            tally.pages += 1
            if (page.source or "stdin") != source:
                flush()
                source, records = page.source or "stdin", []
            record = _extract_one(how.apply(page), tally)
            if record is not None:
                records.append(record)
    except ExtractorError:
        flush()
        raise
    flush()
    if tally.pages == 0:
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
@click.option(
    "--force",
    is_flag=True,
    help="Start over, though an interrupted run left a journal (its work is lost).",
)
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
@click.option(
    "--progress-interval",
    type=click.FloatRange(min=0, max=86400),
    default=PROGRESS_INTERVAL,
    show_default=True,
    help="Seconds between two progress lines when stderr is not a terminal (0: a line per unit).",
)
@_VERBOSE
@click.option(
    "-q", "--quiet", count=True,
    help="No progress and no summary on stderr; -qq: no warnings either.",
)  # fmt: skip
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
    force: bool,
    index: str | None,
    lang: str | None,
    engine: str,
    scheduler: str | None,
    progress_interval: float,
    verbose: int,
    quiet: int,
) -> None:
    """Extract every article of dumps, corpus files or folders into one JSONL file.

    SOURCES are MediaWiki XML exports (.xml, .bz2, .gz, .xz; a multistream .bz2 is split
    across workers by its index), flat-dialect corpus files, folders of such files, or -.
    Records come out in input order, identical for any -j.  Redirects and other namespaces
    are counted skips; pages that fail become error records.  Exit code: 0 all good,
    1 some pages failed, 2 unusable input, 3 a damaged dump (pages before the damage kept),
    130/143 interrupted by Ctrl-C/SIGTERM (--resume goes on).  In a folder, files of
    other formats (images, JSON, CSV) are counted skips.

    \b
    Example:
        extractor dump enwiki-pages-articles-multistream.xml.bz2 -o enwiki.jsonl.gz
        extractor dump dewiki.xml.bz2 -o de.jsonl -j 8 --stats de.stats.json
        extractor dump corpus/ -o corpus.jsonl --resume
        extractor dump dump.xml.bz2 -o out.jsonl --engine dask --scheduler tcp://host:8786
    """
    _verbosity(verbose, quiet)
    if resume and force:
        _fail("--resume goes on from the journal, --force starts over: give one of them", 2)
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
            force=force,
            progress=not quiet,
            progress_interval=progress_interval,
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
