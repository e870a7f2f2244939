"""Citation rows out: an aligned terminal table, JSONL, CSV or Parquet, all streaming.

Parquet goes through pyarrow (the ``extractor[parquet]`` extra), imported only when asked
for, in batches with the fixed schema of :data:`extractor.cites.rows.COLUMNS`.
"""

from __future__ import annotations

import csv
import io
import itertools
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

import orjson

from extractor.cites.rows import COLUMNS, Row
from extractor.errors import ExtractorError

FORMATS = ("table", "jsonl", "csv", "parquet")
#: Columns the terminal table shows unless ``--columns`` says otherwise.
TABLE_COLUMNS = ("page_title", "kind", "title", "work", "domain", "year", "doi", "isbn")
#: Widest a table cell gets before it is cut with an ellipsis.
MAX_WIDTH = 40
#: Rows the table measures column widths on, and rows per Parquet batch.
_CHUNK = 500
_BATCH = 10_000


class OutputError(ExtractorError):
    """The output cannot be written as asked (pyarrow missing, Parquet to a terminal)."""

    exit_code = 2


def write_rows(rows: Iterable[Row], fmt: str, output: str | None, columns: Sequence[str]) -> None:
    """Write ``rows`` (only ``columns``) as ``fmt`` to the file ``output`` or stdout."""
    if fmt == "parquet":
        if output is None:
            raise OutputError("parquet output needs a file: -o FILE.parquet")
        write_parquet(rows, output, columns)
        return
    with _text_sink(output) as sink:
        if fmt == "jsonl":
            for row in rows:
                sink.write(orjson.dumps({name: row[name] for name in columns}).decode() + "\n")
        elif fmt == "csv":
            writer = csv.writer(sink)
            writer.writerow(columns)
            writer.writerows([_csv_cell(row[name]) for name in columns] for row in rows)
        else:
            for line in table_lines(([row[name] for name in columns] for row in rows), columns):
                sink.write(line + "\n")


def table_lines(
    rows: Iterable[Sequence[Any]], headers: Sequence[str], *, max_width: int = MAX_WIDTH
) -> Iterator[str]:
    """Aligned lines: a header, a rule, then the rows; numbers right-aligned.

    Column widths are measured on the first rows only, so any number of rows streams
    through; longer cells are cut with ``…``.
    """
    iterator = iter(rows)
    first = [[_cell(value) for value in row] for row in itertools.islice(iterator, _CHUNK)]
    if not first:
        return
    widths = [
        max(len(header), *(min(len(row[i]), max_width) for row in first))
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


def write_parquet(rows: Iterable[Row], path: str, columns: Sequence[str]) -> None:
    """Rows to a Parquet file in batches, with the table's fixed column types."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise OutputError(
            "parquet output needs pyarrow: pip install 'extractor[parquet]' (or use --format csv)"
        ) from None
    arrow = {"int": pa.int64(), "str": pa.string(), "bool": pa.bool_()}
    types = dict(COLUMNS)
    schema = pa.schema([(name, arrow[types[name]]) for name in columns])
    iterator = iter(rows)
    # Opened here: pyarrow cannot take a name that is not UTF-8 (lone surrogates).
    with open(path, "wb") as f, pq.ParquetWriter(f, schema) as writer:
        while batch := list(itertools.islice(iterator, _BATCH)):
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))


@contextmanager
def _text_sink(output: str | None) -> Iterator[IO[str]]:
    """A UTF-8 text stream (no newline translation, for csv) to ``output`` or stdout."""
    if output is not None:
        with open(output, "w", encoding="utf-8", newline="") as f:
            yield f
        return
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield stream
    finally:
        stream.flush()
        stream.detach()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return " ".join(str(value).split())


def _is_number(text: str) -> bool:
    return not text or text.replace(",", "").replace(".", "").replace("%", "").isdigit()


def _fit(text: str, width: int, right: bool) -> str:
    if len(text) > width:
        return text[: width - 1] + "…"
    return text.rjust(width) if right else text.ljust(width)
