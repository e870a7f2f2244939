"""Coverage-guided fuzzing of ``extractor cites`` over a records file (atheris/libFuzzer).

    python fuzz/fuzz_records.py [libFuzzer options] [CORPUS_DIR ...]

The first byte of an input picks how the rest is written as a records file (plain JSONL,
gzip-compressed by the target, or taken as the bytes of a ``.jsonl.gz`` so that the fuzzer
mutates the compressed stream itself) and which table format the rows are written as.
Then, in-process as the commands do, the records are read, summarized (and the summary
rendered as text and as the HTML report) and turned into rows, which are written.  The
only exceptions allowed are :class:`~extractor.errors.ExtractorError` subclasses with a
one-line message naming the file; every row must hold its columns' types.
"""

from __future__ import annotations

import gzip
import os
import sys
import tempfile
from collections.abc import Callable

import atheris

with atheris.instrument_imports(include=["extractor"]):
    import orjson

    from extractor.cites.inputs import is_records_file, read_records
    from extractor.cites.report import render, report_row
    from extractor.cites.rows import COLUMN_NAMES, COLUMNS, error_fields, is_error
    from extractor.cites.summary import Summary
    from extractor.cites.terminal import render_summary
    from extractor.cites.writers import FORMATS, write_rows
    from extractor.errors import ExtractorError

#: (file name, how the rest of the input is packed) by the first byte, modulo its length.
MODES: tuple[tuple[str, Callable[[bytes], bytes] | None], ...] = (
    ("records.jsonl", None),
    ("records.jsonl.gz", gzip.compress),
    ("records.jsonl.gz", None),
)
_TYPES = {"int": int, "str": str, "bool": bool}
_FOLDER = tempfile.mkdtemp(prefix="fuzz-records-")


def run(data: bytes) -> None:
    """Write ``data`` as its first byte says, then read, summarize and list it."""
    if not data:
        return
    (name, pack), fmt = MODES[data[0] % len(MODES)], FORMATS[data[0] // len(MODES) % 4]
    path = os.path.join(_FOLDER, name)
    with open(path, "wb") as f:
        f.write(data[1:] if pack is None else pack(data[1:]))
    if not is_records_file(path):  # anything else would be extracted as pages
        return
    summary, rows = Summary(top=3), []
    try:
        for record in read_records([path]):
            if is_error(record):
                orjson.dumps(error_fields(record))
            rows += summary.add(record)
        for row in rows:
            for column, type_ in COLUMNS:
                value = row[column]
                assert value is None or type(value) is _TYPES[type_], (column, value)
        write_rows(iter(rows), fmt, os.path.join(_FOLDER, f"rows.{fmt}"), COLUMN_NAMES)
    except ExtractorError as exc:
        message = str(exc)
        assert message and "\n" not in message and path in message, repr(message)
    numbers = summary.to_dict()
    render_summary(numbers).encode()
    render(numbers, [report_row(row) for row in rows], title="fuzz", inputs=[path]).encode()


def main() -> None:
    """Run the fuzzer."""
    atheris.Setup(sys.argv, run)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
