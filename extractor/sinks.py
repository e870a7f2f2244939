"""Stage 5: where records go. JSONL (optionally gzip) with an error file beside it, written a
unit at a time with a journal, so that an interrupted run (even ``kill -9``) can resume and
end byte-identical to an uninterrupted one.

The journal (``OUT.journal``) gets one line per finished unit, after the unit's bytes are
flushed and fsynced: the unit's number, the sizes of the output and error files, and the
running counts.  Resuming truncates both files to the last journaled sizes (dropping any
torn tail) and skips the units already done.  A gzip output is a series of gzip members, one
per unit, each made with ``mtime=0``, so the same units give the same bytes.
"""

from __future__ import annotations

import gzip
import os
import sys
from collections import Counter
from typing import BinaryIO

import attrs
import orjson

from extractor.errors import ExtractorError


class SinkError(ExtractorError):
    """The output cannot be written (disk full, permission denied, ...)."""

    exit_code = 2


def default_errors_path(output: str) -> str:
    """``out.jsonl`` / ``out.jsonl.gz`` -> ``out.errors.jsonl`` (beside the output)."""
    base = output.removesuffix(".gz").removesuffix(".jsonl").removesuffix(".json")
    return base + ".errors.jsonl"


@attrs.frozen
class _Journaled:
    """One journal line: the last finished unit, the file sizes after it, running counts."""

    unit: int
    out: int
    err: int
    counts: dict[str, int]


class JsonlSink:
    """Writes each unit's record lines and error lines, in unit order."""

    def __init__(self, output: str, errors: str | None, *, resume: bool = False) -> None:
        self.to_stdout = output == "-"
        self.gzip = output.endswith(".gz")
        self.journal_path = None if self.to_stdout else output + ".journal"
        self.done_units = 0
        self.counts: Counter[str] = Counter()
        if errors is None and not self.to_stdout:
            errors = default_errors_path(output)
        state = self._resume_state(output, errors) if resume else None
        try:
            keep_out, keep_err = (state.out, state.err) if state else (None, None)
            self.out: BinaryIO = sys.stdout.buffer if self.to_stdout else _open(output, keep_out)
            self.err: BinaryIO | None = None if errors is None else _open(errors, keep_err)
            self.journal: BinaryIO | None = None
            if self.journal_path is not None:
                self.journal = open(self.journal_path, "ab" if state else "wb")  # noqa: SIM115
        except OSError as exc:
            raise SinkError(f"cannot write output: {exc.strerror or exc}: {exc.filename}") from None
        if state:
            self.done_units = state.unit + 1
            self.counts.update(state.counts)

    def _resume_state(self, output: str, errors: str | None) -> _Journaled | None:
        """The last complete journal line, or None to start from scratch (no journal, or
        files shorter than it says: they are not the files it describes)."""
        if self.journal_path is None or not os.path.exists(self.journal_path):
            return None
        last = None
        with open(self.journal_path, "rb") as f:
            for line in f:
                try:
                    last = _Journaled(**orjson.loads(line))
                except (orjson.JSONDecodeError, TypeError):
                    break  # a torn last line: the unit it describes is redone
        if last is None:
            return None
        for path, size in ((output, last.out), (errors, last.err)):
            if path is not None and (not os.path.exists(path) or os.path.getsize(path) < size):
                return None
        return last

    def write(
        self,
        unit: int,
        records: list[bytes],
        errors: list[bytes],
        counts: Counter[str],
        stderr_errors: bool = True,
    ) -> None:
        """Write one unit's lines, then journal it."""
        self.counts.update(counts)
        try:
            self._put(self.out, records)
            if self.err is not None:
                self._put(self.err, errors)
            elif stderr_errors:
                for line in errors:
                    sys.stderr.write("extractor: error: " + line.decode())
            if self.journal is not None:
                for f in (self.out, self.err):
                    if f is not None:
                        f.flush()
                        os.fsync(f.fileno())
                entry = {
                    "unit": unit,
                    "out": self.out.tell(),
                    "err": self.err.tell() if self.err else 0,
                    "counts": dict(self.counts),
                }
                self.journal.write(orjson.dumps(entry) + b"\n")
                self.journal.flush()
                os.fsync(self.journal.fileno())
        except OSError as exc:
            raise SinkError(f"cannot write output: {exc.strerror or exc}") from None

    def _put(self, f: BinaryIO, lines: list[bytes]) -> None:
        if not lines:
            return
        data = b"".join(lines)
        f.write(gzip.compress(data, mtime=0) if self.gzip and f is self.out else data)

    def close(self, *, complete: bool) -> None:
        """Close the files; a complete run removes its journal."""
        for f in (self.err, self.journal) if self.to_stdout else (self.out, self.err, self.journal):
            if f is not None:
                f.close()
        if self.to_stdout:
            sys.stdout.flush()
        if complete and self.journal_path and os.path.exists(self.journal_path):
            os.remove(self.journal_path)


def _open(path: str, keep: int | None) -> BinaryIO:
    """Open for writing; when resuming, keep the first ``keep`` bytes and drop the rest."""
    if keep is None:
        return open(path, "wb")
    f = open(path, "r+b")  # noqa: SIM115
    f.truncate(keep)
    f.seek(keep)
    return f
