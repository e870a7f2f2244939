"""Stage 5: where records go. JSONL (optionally gzip) with an error file beside it, written a
unit at a time with a journal, so that an interrupted run (even ``kill -9``) can resume and
end byte-identical to an uninterrupted one.

The journal (``OUT.journal``) gets one line per finished unit, after the unit's bytes are
written and fsynced: the unit's number, the sizes of the output and error files, and the
running counts.  Resuming truncates both files to the last journaled sizes (dropping any
torn tail) and skips the units already done.  A gzip output is a series of gzip members, one
per unit, each made with ``mtime=0``, so the same units give the same bytes.

A failed write (a full disk) cuts the files back to the last journaled unit before it says
so: the output never ends in a torn line, and ``--resume`` finishes the run later.
"""

from __future__ import annotations

import contextlib
import errno
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
    """Writes each unit's record lines and error lines, in unit order.

    A unit is all or nothing: when a write fails (disk full, I/O error) both files are cut
    back to the end of the last journaled unit, so they hold complete records only and the
    journal describes them; :class:`SinkError` says so in one line, and ``--resume`` goes
    on from there once the cause is fixed.
    """

    def __init__(self, output: str, errors: str | None, *, resume: bool = False) -> None:
        self.to_stdout = output == "-"
        self.gzip = output.endswith(".gz")
        self.output = output
        self.journal_path = None if self.to_stdout else output + ".journal"
        self.done_units = 0
        self.counts: Counter[str] = Counter()
        if errors is None and not self.to_stdout:
            errors = default_errors_path(output)
        self.errors_path = errors
        state, journal_keep = self._resume_state(output, errors) if resume else (None, 0)
        keep_out, keep_err = (state.out, state.err) if state else (None, None)
        self.out: BinaryIO | None = None
        self.err: BinaryIO | None = None
        self.journal: BinaryIO | None = None
        try:
            self.out = sys.stdout.buffer if self.to_stdout else _open(output, keep_out)
            self.err = None if errors is None else _open(errors, keep_err)
            if self.journal_path is not None:
                self.journal = _open(self.journal_path, journal_keep if state else None)
        except OSError as exc:
            self._close_files()
            raise SinkError(f"cannot write output: {exc.strerror or exc}: {exc.filename}") from None
        #: Sizes of the output, error and journal files after the last journaled unit.
        self._good = (keep_out or 0, keep_err or 0, journal_keep if state else 0)
        if state:
            self.done_units = state.unit + 1
            self.counts.update(state.counts)
        self._units = self.done_units

    def _resume_state(self, output: str, errors: str | None) -> tuple[_Journaled | None, int]:
        """The last complete journal line and where it ends in the journal, or None to start
        from scratch (no journal, or files shorter than it says: they are not the files it
        describes)."""
        if self.journal_path is None or not os.path.exists(self.journal_path):
            return None, 0
        last, end = None, 0
        with open(self.journal_path, "rb") as f:
            for line in f:
                try:
                    entry = _Journaled(**orjson.loads(line))
                except (orjson.JSONDecodeError, TypeError):
                    break  # a torn last line: the unit it describes is redone
                if not line.endswith(b"\n"):
                    break
                last, end = entry, end + len(line)
        if last is None:
            return None, 0
        for path, size in ((output, last.out), (errors, last.err)):
            if path is not None and (not os.path.exists(path) or os.path.getsize(path) < size):
                return None, 0
        return last, end

    def write(
        self,
        unit: int,
        records: list[bytes],
        errors: list[bytes],
        counts: Counter[str],
        stderr_errors: bool = True,
    ) -> None:
        """Write one unit's lines, then journal it; on failure, undo the unit and raise
        :class:`SinkError`."""
        out = self.out
        assert out is not None, "the sink is closed"
        try:
            _write_all(out, self._pack(records))
            if self.err is not None:
                _write_all(self.err, b"".join(errors))
            elif stderr_errors:
                for line in errors:
                    sys.stderr.write("extractor: error: " + line.decode())
            if self.journal is not None:
                for f in (out, self.err):
                    if f is not None:
                        os.fsync(f.fileno())
                sizes = (out.tell(), self.err.tell() if self.err else 0)
                after = self.counts.copy()
                after.update(counts)
                entry = {
                    "unit": unit,
                    "out": sizes[0],
                    "err": sizes[1],
                    "counts": dict(after),
                }
                _write_all(self.journal, orjson.dumps(entry) + b"\n")
                os.fsync(self.journal.fileno())
                self._good = (*sizes, self.journal.tell())
                self._units = unit + 1
        except OSError as exc:
            self._undo()
            raise SinkError(self._failure(exc)) from None
        self.counts.update(counts)

    def _pack(self, records: list[bytes]) -> bytes:
        data = b"".join(records)
        return gzip.compress(data, mtime=0) if self.gzip and data else data

    def _undo(self) -> None:
        """Cut the files back to the last journaled unit (which needs no free space)."""
        if self.journal is None:
            return
        for f, size in zip((self.out, self.err, self.journal), self._good, strict=True):
            if f is not None:
                with contextlib.suppress(OSError):
                    f.truncate(size)
                    f.seek(size)

    def _failure(self, exc: OSError) -> str:
        what = exc.strerror or str(exc)
        if exc.errno == errno.ENOSPC:
            what = "disk full (no space left on device)"
        if self.journal is None:
            return f"cannot write output: {what}"
        units = self._units
        return (
            f"cannot write {self.output}: {what}; it holds the complete records of the first "
            f"{units} unit(s); free some space and run the same command with --resume"
        )

    def close(self, *, complete: bool) -> None:
        """Close the files; a complete run removes its journal."""
        self._close_files()
        if self.to_stdout:
            with contextlib.suppress(OSError):
                sys.stdout.flush()
        if complete and self.journal_path and os.path.exists(self.journal_path):
            os.remove(self.journal_path)

    def _close_files(self) -> None:
        for f in (self.err, self.journal) if self.to_stdout else (self.out, self.err, self.journal):
            if f is not None:
                with contextlib.suppress(OSError):
                    f.close()


def _write_all(f: BinaryIO, data: bytes) -> None:
    """Write all of ``data``: an unbuffered file may take it in pieces."""
    view = memoryview(data)
    while view:
        written = f.write(view)
        if not written:
            raise OSError(errno.EIO, "the write made no progress")
        view = view[written:]


def _open(path: str, keep: int | None) -> BinaryIO:
    """Open unbuffered for writing (a unit is written whole, so nothing is left in a buffer
    when a write fails); when resuming, keep the first ``keep`` bytes and drop the rest."""
    if keep is None:
        return open(path, "wb", buffering=0)
    f = open(path, "r+b", buffering=0)  # noqa: SIM115
    f.truncate(keep)
    f.seek(keep)
    return f
