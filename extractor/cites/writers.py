"""Citation rows out: an aligned terminal table, JSONL, CSV or Parquet, all streaming.

CSV cells that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) get a leading ``'``, as OWASP advises, unless asked not
to; the numbers and booleans of the table's own columns are left as they are.  The terminal
table shows control characters as escapes (``\\x1b``) and pads by display width (CJK text
takes two columns).  Parquet goes through pyarrow (the ``extractor[parquet]`` extra),
imported only when asked for, in batches with the fixed schema of
:data:`extractor.cites.rows.COLUMNS`; :data:`~extractor.cites.rows.LIST_COLUMNS` are
``list<struct>`` there, and the file's metadata says the records' schema version.
"""

from __future__ import annotations

import csv
import itertools
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import orjson

from extractor.cites.outputs import binary_output, is_stdout, text_output
from extractor.cites.rows import COLUMNS, LIST_COLUMNS, Row
from extractor.cites.summary import problem_type
from extractor.errors import ExtractorError

FORMATS = ("table", "jsonl", "csv", "parquet")
#: The format an ``-o`` suffix stands for.
SUFFIX_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet", ".txt": "table"}
#: Columns the terminal table shows unless ``--columns`` says otherwise.
TABLE_COLUMNS = ("page_title", "kind", "title", "work", "domain", "year", "doi", "isbn")
#: Widest a table cell gets (in terminal columns) before it is cut with an ellipsis.
MAX_WIDTH = 40
#: The key of the Parquet file metadata that holds the records' schema version(s).
SCHEMA_VERSION_KEY = "extractor.schema_version"
#: Rows the table measures column widths on, and rows per Parquet batch.
_CHUNK = 500
_BATCH = 10_000
#: What a spreadsheet takes for the start of a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: C0 and C1 control characters and DEL, and the bidirectional overrides and isolates that
#: reorder a terminal's text; whitespace is collapsed before this applies.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class OutputError(ExtractorError):
    """The output cannot be written as asked (pyarrow missing, Parquet to a terminal)."""

    exit_code = 2


def write_rows(
    rows: Iterable[Row],
    fmt: str,
    output: str | None,
    columns: Sequence[str],
    *,
    csv_guard: bool = True,
) -> None:
    """Write ``rows`` (only ``columns``) as ``fmt`` to the file ``output``, or stdout for
    None or ``-``; ``csv_guard`` prefixes a ``'`` to CSV text cells that would start a
    formula."""
    if fmt == "parquet":
        write_parquet(rows, output, columns)
        return
    with text_output(output) as sink:
        if fmt == "jsonl":
            for row in rows:
                sink.write(orjson.dumps({name: row[name] for name in columns}).decode() + "\n")
        elif fmt == "csv":
            _write_csv(sink, rows, columns, csv_guard)
        else:
            for line in table_lines(([row[name] for name in columns] for row in rows), columns):
                sink.write(line + "\n")


def _write_csv(sink: IO[str], rows: Iterable[Row], columns: Sequence[str], guard: bool) -> None:
    writer = csv.writer(sink)
    writer.writerow(columns)
    texts = [dict(COLUMNS).get(name) == "str" and guard for name in columns]
    writer.writerows(
        [_csv_cell(row[name], text) for name, text in zip(columns, texts, strict=True)]
        for row in rows
    )


def table_lines(
    rows: Iterable[Sequence[Any]], headers: Sequence[str], *, max_width: int = MAX_WIDTH
) -> Iterator[str]:
    """Aligned lines: a header, a rule, then the rows; numbers right-aligned.

    Column widths are measured (in terminal columns: see :func:`display_width`) on the
    first rows only, so any number of rows streams through; longer cells are cut with
    ``…``.  Control characters are shown as escapes (:func:`visible`).
    """
    iterator = iter(rows)
    first = [[_cell(value) for value in row] for row in itertools.islice(iterator, _CHUNK)]
    if not first:
        return
    widths = [
        max(display_width(header), *(min(display_width(row[i]), max_width) for row in first))
        for i, header in enumerate(headers)
    ]
    numeric = [all(_is_number(row[i]) for row in first) for i in range(len(headers))]
    yield "  ".join(
        _fit(h, w, r) for h, w, r in zip(headers, widths, numeric, strict=True)
    ).rstrip()
    yield "  ".join("-" * w for w in widths)
    rest = ([_cell(value) for value in row] for row in iterator)
    for row in itertools.chain(first, rest):
        cells = (_fit(c, w, right) for c, w, right in zip(row, widths, numeric, strict=True))
        yield "  ".join(cells).rstrip()


def visible(text: str) -> str:
    """``text`` with control characters (ESC, BEL, C1, bidi overrides) written as escapes
    (``\\x1b``, ``\\u202e``), so that printing it cannot move the cursor, retitle the
    terminal or reorder the line."""
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: two for wide and full-width characters (CJK), none
    for combining marks and format characters, one for the rest."""
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def write_parquet(rows: Iterable[Row], output: str | None, columns: Sequence[str]) -> None:
    """Rows to a Parquet file (or to stdout that is no terminal, for ``-``) in batches, with
    the table's fixed column types; the list columns are ``list<struct>``."""
    if output is None:
        raise OutputError("parquet output needs a file: -o FILE.parquet (or -o - for stdout)")
    if is_stdout(output) and sys.stdout.isatty():
        raise OutputError("parquet is binary: not to a terminal; use -o FILE.parquet")
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise OutputError(
            "parquet output needs pyarrow: in the extractor checkout, pip install -e '.[parquet]' "
            "(the wikitext-extractor[parquet] extra), or use --format csv"
        ) from None
    arrow = {"int": pa.int64(), "str": pa.string(), "bool": pa.bool_()}
    types = dict(COLUMNS)

    def type_of(name: str) -> Any:
        if name not in LIST_COLUMNS:
            return arrow[types[name]]
        fields = LIST_COLUMNS[name] or ("type", "text")
        return pa.list_(pa.struct([(f, pa.bool_() if f == "valid" else pa.string())
                                   for f in fields]))  # fmt: skip

    schema = pa.schema([(name, type_of(name)) for name in columns])
    lists = [name for name in columns if name in LIST_COLUMNS]
    versions: set[str] = set()
    iterator = iter(rows)
    # A file object: pyarrow cannot take a name that is not UTF-8 (lone surrogates).
    with binary_output(output) as f, pq.ParquetWriter(f, schema) as writer:
        while batch := list(itertools.islice(iterator, _BATCH)):
            versions.update(row.schema_version for row in batch if row.schema_version)
            records = [_parquet_row(row, columns, lists) for row in batch]
            writer.write_batch(pa.RecordBatch.from_pylist(records, schema=schema))
        if versions:
            writer.add_key_value_metadata({SCHEMA_VERSION_KEY: ",".join(sorted(versions))})


def _parquet_row(row: Row, columns: Sequence[str], lists: Sequence[str]) -> dict[str, Any]:
    """``row`` with each list column as its items (problems as their type and text), or
    null for none."""
    record = {name: row[name] for name in columns}
    for name in lists:
        items = row.lists[name]
        if name == "problems":
            items = [{"type": problem_type(p), "text": p} for p in items]
        record[name] = items or None
    return record


def _csv_cell(value: Any, guard: bool) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if guard and isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return visible(" ".join(str(value).split()))


def _is_number(text: str) -> bool:
    return not text or text.replace(",", "").replace(".", "").replace("%", "").isdigit()


def _fit(text: str, width: int, right: bool) -> str:
    """``text`` padded (or cut with ``…``) to ``width`` terminal columns."""
    used = display_width(text)
    if used > width:
        text, used = _cut(text, width - 1)
        return text + "…" + " " * (width - 1 - used)
    pad = " " * (width - used)
    return pad + text if right else text + pad


def _cut(text: str, width: int) -> tuple[str, int]:
    """The longest start of ``text`` that takes at most ``width`` columns, and its width."""
    if text.isascii():
        return text[:width], min(len(text), width)
    used = 0
    for i, ch in enumerate(text):
        size = _char_width(ch)
        if used + size > width:
            return text[:i], used
        used += size
    return text, used
