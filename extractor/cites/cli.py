"""``extractor cites``: summary, citation table and HTML report of what pages cite.

Argument parsing only; the work is in the other modules of :mod:`extractor.cites`.  Exit
codes follow the main command: 1 when pages could not be extracted (error records), 2 for
unusable input or options (a records line that is not a JSON object, an unknown ``--kind``
or ``-o`` suffix), 3 for damaged input (a dump, a cut or corrupt records ``.jsonl.gz``: what
came before is used).  ``-`` is stdin as an INPUT and stdout as ``-o``; a file given to
``-o`` is replaced only when the command gets to the end (also after damage or error
records, whose rows are written), never by a command that fails.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click
import orjson

from extractor.cites.filters import Filter
from extractor.cites.inputs import read_records
from extractor.cites.outputs import is_stdout, text_output
from extractor.cites.report import MAX_ROWS, report_row, write_report
from extractor.cites.rows import COLUMN_NAMES, citation_rows, error_fields, is_error, printable
from extractor.cites.summary import Summary
from extractor.cites.terminal import render_summary
from extractor.cites.writers import FORMATS, SUFFIX_FORMATS, TABLE_COLUMNS, visible, write_rows
from extractor.errors import DumpDamaged, ExtractorError
from extractor.facts.cs1 import CITATION_KINDS
from extractor.facts.identifiers import SUPPORTED_KINDS
from extractor.locales import CS1_KINDS
from extractor.run.runner import PROGRESS_INTERVAL
from extractor.run.sinks import check_outputs

#: Every citation kind records can hold: the CS1 kinds, the specific-source templates',
#: and those of refs without a template.
KINDS = tuple(sorted({*CITATION_KINDS.values(), *CS1_KINDS, "other", "bare", "short", "text"}))
#: The format a ``summary -o`` suffix stands for.
SUMMARY_SUFFIXES = {".json": "json", ".txt": "text"}
#: A language code as records hold it (``de``, ``pt-br``, ``zh-min-nan``).
_LANG_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]+)*")


def _common(command: Callable[..., Any]) -> Callable[..., Any]:
    """The INPUT arguments, -j and the row filters every subcommand takes."""
    options = [
        click.argument("inputs", nargs=-1, required=True, metavar="INPUT...",
                       type=click.Path(allow_dash=True)),
        click.option("-j", "--jobs", type=click.IntRange(min=1),
                     help="Worker processes when extracting on the fly  [default: all cores]"),
        click.option("-q", "--quiet", is_flag=True,
                     help="No progress on stderr while extracting on the fly."),
        click.option("--progress-interval", type=click.FloatRange(min=0, max=86400),
                     default=PROGRESS_INTERVAL, show_default=True,
                     help="Seconds between two progress lines when stderr is not a terminal."),
        click.option("--kind", multiple=True,
                     help="Citation kind (web, journal, bare, ...); case-insensitive."),
        click.option("--template", multiple=True, help="Template name (cite web, ...)."),
        click.option("--domain", multiple=True, help="URL domain; its subdomains match too."),
        click.option("--has", multiple=True, type=click.Choice(sorted(SUPPORTED_KINDS)),
                     help="Has an identifier of this kind; repeat to need several."),
        click.option("--invalid", is_flag=True,
                     help="Has an invalid identifier (of a --has kind, if given)."),
        click.option("--doi-prefix", help="DOI prefix: 10.1038, or 10.1038/nature."),
        click.option("--year-from", type=int, help="Publication year at least this."),
        click.option("--year-to", type=int, help="Publication year at most this."),
        click.option("--page", multiple=True, help="Page title (exact)."),
        click.option("--lang", multiple=True,
                     help="Page language, the records' lang (de, fr, ...); pages of others "
                          "are left out."),
        click.option("--problem", help="Text one of the citation's problems contains."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def _filter(o: dict[str, Any]) -> Filter:
    """The filter of the options; an unknown ``--kind`` or a ``--lang`` that is no language
    code is a one-line usage error."""
    unknown = sorted({k for k in o["kind"] if k.lower() not in KINDS})
    if unknown:
        _fail(f"--kind: unknown kind(s) {', '.join(map(repr, unknown))}; "
              f"the kinds are {', '.join(KINDS)}", 2)  # fmt: skip
    filter_ = Filter(
        kinds=frozenset(o["kind"]), templates=frozenset(o["template"]),
        domains=frozenset(o["domain"]), has=frozenset(o["has"]), invalid=o["invalid"],
        doi_prefix=o["doi_prefix"], year_from=o["year_from"], year_to=o["year_to"],
        pages=frozenset(o["page"]), langs=frozenset(o["lang"]), problem=o["problem"],
    )  # fmt: skip
    bad = sorted(lang for lang in filter_.langs if not _LANG_CODE.fullmatch(lang))
    if bad:
        _fail(f"--lang: {', '.join(map(repr, bad))} is no language code "
              "(de, pt-br, zh-min-nan, ...)", 2)  # fmt: skip
    return filter_


def _format(output: str | None, fmt: str | None, suffixes: dict[str, str], default: str) -> str:
    """``--format`` when given, else the one ``-o``'s suffix stands for (``default`` for
    stdout); an ``-o`` suffix that stands for none is a one-line usage error."""
    if fmt is not None:
        return fmt
    if is_stdout(output):
        return default
    suffix = Path(output or "").suffix
    if suffix.lower() not in suffixes:
        known = ", ".join(f"{s} ({f})" for s, f in suffixes.items())
        what = f"suffix {suffix!r}" if suffix else "no suffix"
        _fail(f"-o {output}: {what} names no format; use {known}, or --format", 2)
    return suffixes[suffix.lower()]


class _Input:
    """The records of the INPUTs.

    A source that cannot be read at all (empty, binary, not a dump, a line of a records
    file that is not a JSON object) raises :class:`InputError`; error records are reported
    on stderr and counted; damage ends the records early and is kept, so what came before
    is still used.
    """

    def __init__(self, inputs: tuple[str, ...], jobs: int | None, o: dict[str, Any]) -> None:
        self.inputs, self.jobs = inputs, jobs
        self.progress, self.interval = not o["quiet"], o["progress_interval"]
        self.errors = 0
        self.damage: str | None = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        try:
            records = read_records(self.inputs, jobs=self.jobs, progress=self.progress,
                                   progress_interval=self.interval)  # fmt: skip
            for record in records:
                if is_error(record):
                    self.errors += 1
                    line = orjson.dumps(error_fields(record)).decode()
                    click.echo(f"extractor: error: {line}", err=True)
                yield record
        except DumpDamaged as exc:
            self.damage = str(exc)


@contextmanager
def _outcome(source: _Input) -> Iterator[None]:
    """One line and the exit code: 3 after damage, 1 when pages became error records, and
    the error's own code (2 for unusable input) when the command could not run."""
    try:
        yield
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except ExtractorError as exc:
        _fail(str(exc), exc.exit_code)
    except OSError as exc:
        _fail(f"{exc.filename or 'output'}: {exc.strerror or exc}", 2)
    if source.damage:
        _fail(source.damage, 3)
    if source.errors:
        _fail(f"{source.errors} page(s) could not be extracted; see the messages above", 1)


def _fail(message: str, code: int) -> NoReturn:
    """Exit with ``message`` as one line any stderr can print (file names may hold newlines,
    control characters or lone surrogates)."""
    click.echo(f"extractor: {visible(printable(' '.join(message.split())))}", err=True)
    sys.exit(code)


@click.group("cites")
def cites() -> None:
    """What pages cite: summary, citation table (CSV, JSONL, Parquet) and HTML report.

    INPUT is a records file of `extractor extract --jsonl` or `extractor dump` (.jsonl or
    .jsonl.gz, - for stdin) or any source `extractor dump` reads, extracted on the fly on
    every core.  Every subcommand takes the same filters; see `extractor cites list --help`.

    \b
    Example:
        extractor cites summary enwiki.jsonl.gz
        extractor cites list enwiki.jsonl.gz --has doi -o dois.parquet
        extractor cites report enwiki.jsonl.gz -o report.html
    """


@cites.command()
@_common
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    help="Readable tables, or the same numbers as JSON  [default: from -o's suffix (.json, "
    ".txt), else text]",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write to this file (- for stdout)  [default: stdout]")  # fmt: skip
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="Entries in each top list.")  # fmt: skip
def summary(inputs: tuple[str, ...], jobs: int | None, fmt: str | None, output: str | None,
            top: int, **o: Any) -> None:  # fmt: skip
    """Counts over the citations of INPUT: kinds, templates, identifier coverage and validity,
    top domains, works and publishers, publication and access years, archived and dead
    links, common problems, the pages with most citations and the pages with none, and a
    table per language when the pages are of several (--lang keeps some).

    \b
    Example:
        extractor cites summary records.jsonl.gz
        extractor cites summary enwiki-sample.xml.bz2 -j 4 --format json
        extractor cites summary records.jsonl --kind journal --top 20
        extractor cites summary dewiki.jsonl.gz frwiki.jsonl.gz --lang de -o de.json
    """
    fmt = _format(output, fmt, SUMMARY_SUFFIXES, "text")
    source = _Input(inputs, jobs, o)
    counts = Summary(top, keep=_filter(o))
    with _outcome(source):
        check_outputs(inputs, [output])
        for record in source:
            counts.add(record)
        data = counts.to_dict()
        with text_output(output) as out:
            if fmt == "json":
                out.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")
            else:
                out.write(render_summary(data))


@cites.command("list")
@_common
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format  [default: from -o's suffix (.csv, .jsonl, .parquet, .txt), else table]",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write to this file (- for stdout)  [default: stdout]")  # fmt: skip
@click.option("--columns", help="Comma-separated columns  [default: all; a few for table]")
@click.option("--csv-guard/--no-csv-guard", default=True, show_default=True,
              help="Prefix ' to CSV cells starting with = + - @ tab or CR, which spreadsheets "
                   "would run as formulas.")  # fmt: skip
def list_(inputs: tuple[str, ...], jobs: int | None, fmt: str | None, output: str | None,
          columns: str | None, csv_guard: bool, **o: Any) -> None:  # fmt: skip
    """The citation table of INPUT: one row per citation passing every filter, with its page,
    section, ref, normalized fields and identifiers (doi, doi_valid, isbn, ...).

    Filters combine with AND.  --kind, --template, --domain, --page and --lang may repeat
    and then match any of their values; --has may repeat and then needs every kind.  --invalid alone
    keeps citations with any invalid identifier; with --has, those where a --has kind is
    invalid.  --year-from/--year-to leave out citations without a publication year.

    \b
    Example:
        extractor cites list records.jsonl --kind journal --has doi --year-from 2000
        extractor cites list records.jsonl --has isbn --invalid -o bad-isbns.csv
        extractor cites list dump.xml.bz2 --doi-prefix 10.1038 -o nature.parquet
        extractor cites list records.jsonl --domain nytimes.com --columns title,url,date
    """
    fmt = _format(output, fmt, SUFFIX_FORMATS, "table")
    names = TABLE_COLUMNS if fmt == "table" else COLUMN_NAMES
    if columns:
        names = tuple(c.strip() for c in columns.split(",") if c.strip())
        unknown = [c for c in names if c not in COLUMN_NAMES]
        if unknown:
            known = ", ".join(COLUMN_NAMES)
            _fail(f"--columns: unknown column(s) {', '.join(unknown)}; the columns are {known}", 2)
    keep = _filter(o)
    source = _Input(inputs, jobs, o)
    with _outcome(source):
        check_outputs(inputs, [output])
        rows = filter(keep, citation_rows(source))
        write_rows(rows, fmt, output, names, csv_guard=csv_guard)


@cites.command()
@_common
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The HTML file to write (- for stdout).",
)
@click.option("--title", default="Citation report", show_default=True, help="Page heading.")
@click.option(
    "--max-rows",
    type=click.IntRange(min=0),
    default=MAX_ROWS,
    show_default=True,
    help="Citations embedded in the table (the numbers count all).",
)
@click.option("--top", type=click.IntRange(min=1), default=15, show_default=True,
              help="Entries in each top list and chart.")  # fmt: skip
def report(inputs: tuple[str, ...], jobs: int | None, output: str, title: str, max_rows: int,
           top: int, **o: Any) -> None:  # fmt: skip
    """One self-contained HTML file about the citations of INPUT: the summary's numbers,
    charts (years, kinds, identifier coverage, top domains) and a searchable, sortable,
    paged table of the citations.  No network needed to view it.

    \b
    Example:
        extractor cites report records.jsonl.gz -o report.html
        extractor cites report enwiki-sample.xml.bz2 -o report.html --kind journal
    """
    source = _Input(inputs, jobs, o)
    counts = Summary(top, keep=_filter(o))
    kept: list[list[Any]] = []
    with _outcome(source):
        check_outputs(inputs, [output])
        for record in source:
            rows = counts.add(record)
            room = max_rows - len(kept)
            if room > 0:
                kept.extend(report_row(row) for row in rows[:room])
        write_report(output, counts.to_dict(), kept, title=title, inputs=inputs)
