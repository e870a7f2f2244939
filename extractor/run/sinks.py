"""Stage 5: where records go. JSONL (optionally gzip) with an error file beside it, written a
unit at a time with a journal, so that an interrupted run (even ``kill -9``) can resume and
end byte-identical to an uninterrupted one.

The journal (``OUT.journal``) opens with a line describing the run (its sources and every
option that changes the output), then gets one line per finished unit, after the unit's
bytes are written and fsynced: the unit's number, the sizes of the output and error files,
their CRC-32 up to those sizes, and the running counts.  Resuming checks that the run and
the files are still the ones the journal describes (else it refuses, and changes nothing),
truncates both files to the last journaled sizes (dropping any torn tail) and skips the
units already done.  Each file is locked while it is written.  A gzip output is a series
of gzip members, one per unit, each made with ``mtime=0``, so the same units give the same
bytes.

A failed write (a full disk) cuts the files back to the last journaled unit before it says
so: the output never ends in a torn line, and ``--resume`` finishes the run later.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gzip
import os
import stat
import sys
import tempfile
import zlib
from collections import Counter
from collections.abc import Sequence
from typing import Any, BinaryIO

import attrs
import orjson

from extractor.errors import ExtractorError, InputError
from extractor.records import dumps
from extractor.sources.sniff import sniff_json_object


class SinkError(ExtractorError):
    """The output cannot be written (disk full, permission denied, ...)."""

    exit_code = 2


def check_outputs(sources: Sequence[str], outputs: Sequence[str | None]) -> frozenset[str]:
    """Refuse outputs that would destroy an input; return the real paths of the outputs,
    for the folder reader to leave out (a run never reads what it writes).

    Raises :class:`~extractor.errors.InputError` (nothing written yet) when an output is
    one of the sources, two outputs are the same file, or an output would write over a
    file inside a source folder that is not one of our outputs (records, errors, journal or
    stats: JSON objects, plain or gzip).
    """
    files = [s for s in sources if s != "-" and not os.path.isdir(s) and os.path.exists(s)]
    folders = [os.path.realpath(s) for s in sources if s != "-" and os.path.isdir(s)]
    seen: dict[str, str] = {}
    for out in outputs:
        if out is None or out == "-" or not _is_regular(out):
            continue
        real = os.path.realpath(out)
        if real in seen:
            raise InputError(f"{out}: given as two outputs ({seen[real]} too); name two files")
        seen[real] = out
        if not os.path.exists(out):
            continue
        for source in files:
            if os.path.samefile(out, source):
                raise InputError(f"{out}: is the input {source}; refusing to write over it")
        inside = next((f for f in folders if real.startswith(f.rstrip(os.sep) + os.sep)), None)
        if inside is not None and not _ours(out):
            raise InputError(
                f"{out}: a file of the input folder {inside}, not an output of extractor; "
                "refusing to write over it"
            )
    return frozenset(seen)


def _ours(path: str) -> bool:
    """Whether the file at ``path`` is empty or a JSON file of the kind we write."""
    try:
        with open(path, "rb") as f:
            head = f.read(1 << 12)
    except OSError:
        return False
    if head[:3] == b"\x1f\x8b\x08":
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 1 << 12)
        except zlib.error:
            return False
    return not head or sniff_json_object(head)


def default_errors_path(output: str) -> str:
    """``out.jsonl`` / ``out.jsonl.gz`` -> ``out.errors.jsonl`` (beside the output)."""
    base = output.removesuffix(".gz").removesuffix(".jsonl").removesuffix(".json")
    return base + ".errors.jsonl"


#: Format of the journal; a journal of another format is refused, not guessed at.
JOURNAL_FORMAT = 2


@attrs.frozen
class _Journaled:
    """One journal line: the last finished unit, the file sizes after it, the CRC-32 of each
    file up to that size (so that a resume knows the files are still the ones described),
    and the running counts."""

    unit: int
    out: int
    err: int
    crcs: tuple[int, int]
    counts: dict[str, int]

    @classmethod
    def parse(cls, line: bytes) -> _Journaled | None:
        """The entry on ``line``, or None when it is not one (a torn or foreign line)."""
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError:
            return None
        if not (isinstance(data, dict) and data.keys() == _ENTRY_KEYS):
            return None
        unit, out, err, crcs, counts = (data[k] for k in _ENTRY_ORDER)
        numbers = (unit, out, err, *crcs) if isinstance(crcs, list) and len(crcs) == 2 else ()
        if not (numbers and all(_count(n) for n in numbers) and isinstance(counts, dict)):
            return None
        if not all(isinstance(k, str) and _count(v) for k, v in counts.items()):
            return None
        return cls(unit, out, err, (crcs[0], crcs[1]), counts)


_ENTRY_ORDER = ("unit", "out", "err", "crcs", "counts")
_ENTRY_KEYS = frozenset(_ENTRY_ORDER)


def _count(value: object) -> bool:
    return type(value) is int and 0 <= value < 1 << 63


class JournalError(ExtractorError):
    """``--resume`` cannot continue exactly: the journal does not describe this run or
    these files."""

    exit_code = 2


class JsonlSink:
    """Writes each unit's record lines and error lines, in unit order.

    A unit is all or nothing: when a write fails (disk full, I/O error) both files are cut
    back to the end of the last journaled unit, so they hold complete records only and the
    journal describes them; :class:`SinkError` says so in one line, and ``--resume`` goes
    on from there once the cause is fixed.

    ``run`` describes the run (its sources and every option that changes the output); it
    heads the journal, and ``--resume`` refuses a journal made for another run
    (:class:`JournalError`), as it refuses one whose files were changed since.  A journal
    left by an interrupted run is refused without ``resume`` too, unless ``force`` says to
    start over.  Every file is locked while it is written, so a second run on the same
    output is refused too.  The error file is created with the first error record.
    """

    def __init__(
        self,
        output: str,
        errors: str | None,
        *,
        resume: bool = False,
        force: bool = False,
        run: dict[str, Any] | None = None,
    ) -> None:
        self.to_stdout = output == "-"
        self.gzip = output.endswith(".gz")
        self.output = output
        self.journal_path = None if self.to_stdout else output + ".journal"
        self.done_units = 0
        self.counts: Counter[str] = Counter()
        if errors is None and not self.to_stdout:
            errors = default_errors_path(output)
        self.errors_path = errors
        self.header = dumps({"journal": JOURNAL_FORMAT, "run": run or {}}) + b"\n"
        self.out: BinaryIO | None = None
        self.err: BinaryIO | None = None
        self.journal: BinaryIO | None = None
        try:
            self.out = sys.stdout.buffer if self.to_stdout else _open_locked(output)
            if self.journal_path is not None:
                self.journal = _open_locked(self.journal_path)
                if not (resume or force):
                    self._refuse_leftover_journal()
            if errors is not None and _is_regular(errors) and os.path.exists(errors):
                self.err = _open_locked(errors)  # to check it, and to lock it
            state, journal_keep = self._resume_state() if resume else (None, 0)
            keep_out, keep_err = (state.out, state.err) if state else (0, 0)
            if not self.to_stdout:
                _cut(self.out, keep_out)
            if self.err is not None and keep_err:
                _cut(self.err, keep_err)
            elif self.err is not None:
                self._drop_errors()  # no error record yet: the file is made with the first
            if self.journal is not None:
                _cut(self.journal, journal_keep)
                if not state:
                    _write_all(self.journal, self.header)
                    journal_keep = len(self.header)
        except OSError as exc:
            self._close_files()
            raise SinkError(f"cannot write output: {exc.strerror or exc}: {exc.filename}") from None
        except ExtractorError:
            self._close_files()
            raise
        #: Sizes of the output, error and journal files after the last journaled unit.
        self._good = (keep_out, keep_err, journal_keep)
        self._crcs = state.crcs if state else (0, 0)
        if state:
            self.done_units = state.unit + 1
            self.counts.update(state.counts)
        self._units = self.done_units

    @property
    def units(self) -> int:
        """Units the output holds as journaled, earlier runs' included."""
        return self._units

    def _refuse_leftover_journal(self) -> None:
        """Raise :class:`JournalError` when an interrupted run left its journal: starting
        over would throw its work away, so that takes ``--force``."""
        assert self.journal is not None
        self.journal.seek(0)
        entries = self.journal.read().count(b"\n") - 1
        if entries <= 0:
            return  # no unit was done: starting over loses nothing
        raise JournalError(
            f"{self.journal_path}: left by an interrupted run ({entries} unit(s) of "
            f"{self.output} done); run the same command with --resume to continue, or with "
            "--force to start over"
        )

    def _resume_state(self) -> tuple[_Journaled | None, int]:
        """The last complete journal entry and where it ends in the journal; (None, 0) to
        start from scratch when there is no journal entry yet.  Raises
        :class:`JournalError` when the journal is not this run's or its files changed."""
        journal = self.journal
        assert journal is not None and self.journal_path is not None
        journal.seek(0)
        data = journal.read()
        if not data:
            return None, 0
        name = self.journal_path
        lines = data.splitlines(keepends=True)
        if lines[0] != self.header:
            if not lines[0].endswith(b"\n") and self.header.startswith(lines[0]):
                return None, 0  # torn while it was being written: nothing was done yet
            raise JournalError(_header_mismatch(name, lines[0], self.header))
        last, end = None, len(lines[0])
        for number, line in enumerate(lines[1:], start=2):
            entry = _Journaled.parse(line) if line.endswith(b"\n") else None
            if entry is None:
                if number == len(lines):
                    break  # a torn last line: the unit it describes is redone
                raise JournalError(f"{name}: line {number} is not a journal entry; cannot resume")
            expected = 0 if last is None else last.unit + 1
            if entry.unit != expected or (last and (entry.out, entry.err) < (last.out, last.err)):
                raise JournalError(
                    f"{name}: line {number} journals unit {entry.unit} after unit "
                    f"{expected - 1}; cannot resume"
                )
            last, end = entry, end + len(line)
        if last is not None:
            files = ((self.out, self.output, last.out, last.crcs[0]),
                     (self.err, self.errors_path, last.err, last.crcs[1]))  # fmt: skip
            for f, path, size, crc in files:
                if size and (f is None or not _crc_matches(f, size, crc)):
                    raise JournalError(
                        f"{path}: not the file {name} describes (changed, cut or gone "
                        "since); cannot resume: run without --resume and with --force to "
                        "start over"
                    )
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
        packed, error_data = self._pack(records), b"".join(errors)
        try:
            _write_all(out, packed)
            if self.err is None and error_data and self.errors_path is not None:
                self.err = _open_locked(self.errors_path)
            if self.err is not None:
                _write_all(self.err, error_data)
            elif stderr_errors:
                for line in errors:
                    sys.stderr.write("extractor: error: " + line.decode())
            if self.journal is not None:
                for f in (out, self.err):
                    if f is not None:
                        os.fsync(f.fileno())
                sizes = (out.tell(), self.err.tell() if self.err else 0)
                crcs = (zlib.crc32(packed, self._crcs[0]), zlib.crc32(error_data, self._crcs[1]))
                after = self.counts.copy()
                after.update(counts)
                entry = {
                    "unit": unit,
                    "out": sizes[0],
                    "err": sizes[1],
                    "crcs": list(crcs),
                    "counts": dict(after),
                }
                _write_all(self.journal, orjson.dumps(entry) + b"\n")
                os.fsync(self.journal.fileno())
                self._good = (*sizes, self.journal.tell())
                self._crcs = crcs
                self._units = unit + 1
        except OSError as exc:
            self._undo()
            if self.to_stdout and exc.errno == errno.EPIPE:
                raise  # the reader of stdout is gone: for the caller to end quietly
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
        """Close the files; a complete run removes its journal, an incomplete one (an
        interruption) first cuts the files back to the last journaled unit."""
        if not complete:
            self._undo()
        if self.err is not None and _size_of(self.err) == 0:
            self._drop_errors()
        self._close_files()
        if self.to_stdout:
            with contextlib.suppress(OSError):
                sys.stdout.flush()
        if complete and self.journal_path and os.path.exists(self.journal_path):
            os.remove(self.journal_path)

    def _drop_errors(self) -> None:
        """Close and remove the error file, which holds no error record."""
        assert self.err is not None and self.errors_path is not None
        with contextlib.suppress(OSError):
            self.err.close()
            if _is_regular(self.errors_path):
                os.remove(self.errors_path)
        self.err = None

    def _close_files(self) -> None:
        for f in (self.err, self.journal) if self.to_stdout else (self.out, self.err, self.journal):
            if f is not None:
                with contextlib.suppress(OSError):
                    f.close()


def write_whole(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it that replaces it, so
    that ``path`` never holds a part of it (what is not a regular file, ``/dev/stdout``,
    is written in place)."""
    if not _is_regular(path):
        with open(path, "wb") as f:
            f.write(data)
        return
    folder, name = os.path.split(os.path.realpath(path))
    fd, temp = tempfile.mkstemp(prefix=f".{name[:100]}.", suffix=".partial", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, os.path.realpath(path))
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _write_all(f: BinaryIO, data: bytes) -> None:
    """Write all of ``data``: an unbuffered file may take it in pieces."""
    view = memoryview(data)
    while view:
        written = f.write(view)
        if not written:
            raise OSError(errno.EIO, "the write made no progress")
        view = view[written:]


def _open_locked(path: str) -> BinaryIO:
    """Open ``path`` unbuffered for writing without cutting it yet (a unit is written whole,
    so nothing is left in a buffer when a write fails), locked against a second run."""
    f = open(path, "ab+" if _is_regular(path) else "wb", buffering=0)  # noqa: SIM115
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.close()
        raise SinkError(f"{path}: another run is writing it; wait for it to end") from None
    except OSError:
        pass  # a file system without locks (or a pipe): nothing to lock
    return f


def _is_regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # it does not exist yet: it will be a regular file


def _size_of(f: BinaryIO) -> int | None:
    """The size of a regular file, None for anything else (a pipe, a device)."""
    try:
        status = os.fstat(f.fileno())
    except OSError:
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _cut(f: BinaryIO, keep: int) -> None:
    """Keep the first ``keep`` bytes of a regular file and write on from there."""
    if stat.S_ISREG(os.fstat(f.fileno()).st_mode):
        f.truncate(keep)
        f.seek(keep)


def _crc_matches(f: BinaryIO, size: int, crc: int) -> bool:
    """Whether the file holds at least ``size`` bytes and those have the CRC-32 ``crc``."""
    if os.fstat(f.fileno()).st_size < size:
        return False
    f.seek(0)
    value, left = 0, size
    while left:
        chunk = f.read(min(left, 1 << 20))
        if not chunk:
            return False
        value, left = zlib.crc32(chunk, value), left - len(chunk)
    return value == crc


def _header_mismatch(name: str, found: bytes, expected: bytes) -> str:
    """Say in one line which part of the run differs from the one the journal is for."""
    try:
        old = orjson.loads(found)
    except orjson.JSONDecodeError:
        old = None
    new = orjson.loads(expected)
    if not (isinstance(old, dict) and old.get("journal") == JOURNAL_FORMAT):
        return (
            f"{name}: not a journal this version can resume from; run without --resume and "
            "with --force to start over"
        )
    old_run, new_run = old.get("run"), new["run"]
    if not isinstance(old_run, dict):
        return (
            f"{name}: the journal's run is unreadable; run without --resume and with --force "
            "to start over"
        )
    differ = sorted(k for k in {*old_run, *new_run} if old_run.get(k) != new_run.get(k))
    return (
        f"{name}: made for another run ({', '.join(differ)} changed since); --resume would "
        "mix two runs: run without --resume and with --force to start over, or with the "
        "same sources and options"
    )
