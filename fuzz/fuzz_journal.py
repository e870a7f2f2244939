"""Coverage-guided fuzzing of ``--resume``'s journal reading (atheris/libFuzzer).

    python fuzz/fuzz_journal.py [libFuzzer options] [CORPUS_DIR ...]

An input is a journal and the output it goes with: its first two bytes (big-endian) say
how many of the rest are the journal.  Both are written to a fresh folder and a sink is
opened on them with ``resume=True``, for the run :data:`RUN` describes.  Allowed: a
:class:`~extractor.run.sinks.JournalError` or :class:`~extractor.run.sinks.SinkError` with a
one-line message, leaving both files as they were; or a resume whose output was cut to a
size the journal vouches for, and whose journal then ends after its last whole entry.
Seeds: :func:`seeds`, real journals of a few units, whole, torn and cut.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter

import atheris

with atheris.instrument_imports(include=["extractor"]):
    import orjson

    from extractor.run.sinks import JournalError, JsonlSink, SinkError

#: The run the fuzzed journals are resumed for (as ``extractor.run.runner.describe_run`` would
#: describe one).
RUN = {"sources": [["/in.xml", 1234, 5678]], "redirects": False}
_FOLDER = tempfile.mkdtemp(prefix="fuzz-journal-")
_OUT = os.path.join(_FOLDER, "out.jsonl")


def split(data: bytes) -> tuple[bytes, bytes]:
    """(journal, output) of an input."""
    size = int.from_bytes(data[:2], "big")
    return data[2 : 2 + size], data[2 + size :]


def pack(journal: bytes, output: bytes) -> bytes:
    """The input that :func:`split` takes apart again."""
    return len(journal).to_bytes(2, "big") + journal + output


def seeds() -> list[bytes]:
    """Journals of one to four units as a real sink writes them, whole, with a torn last
    line, with the output cut inside a record, and with a torn unit appended."""
    found = []
    for units in range(1, 5):
        sink = JsonlSink(_OUT, None, run=RUN, force=True)  # start over each time
        for unit in range(units):
            lines = [b'{"title":"p%d-%d"}\n' % (unit, i) for i in range(unit + 2)]
            sink.write(unit, lines, [], Counter(pages=len(lines)))
        sink.close(complete=False)
        with open(_OUT + ".journal", "rb") as f:
            journal = f.read()
        with open(_OUT, "rb") as f:
            output = f.read()
        found += [
            pack(journal, output),
            pack(journal[:-7], output),
            pack(journal, output[:-5]),
            pack(journal + b'{"unit": 9, "ou', output + b'{"title":"torn'),
        ]
    return found


def resume(data: bytes) -> None:
    """Open a resuming sink on the journal and output of ``data``; check the outcome."""
    journal, output = split(data)
    with open(_OUT, "wb") as f:
        f.write(output)
    with open(_OUT + ".journal", "wb") as f:
        f.write(journal)
    try:
        sink = JsonlSink(_OUT, None, resume=True, run=RUN)
    except (JournalError, SinkError) as exc:
        message = str(exc)
        assert message and "\n" not in message, repr(message)
        with open(_OUT, "rb") as f:
            assert output == f.read(), "a refused resume changed the output"
        return
    try:
        assert sink.done_units >= 0
        size = os.path.getsize(_OUT)
        assert size <= len(output) and output.startswith(_read(_OUT)), "output not a prefix"
        kept = _read(_OUT + ".journal")
        last = kept.splitlines()[-1] if sink.done_units else None
        if last is not None:
            assert size == orjson.loads(last)["out"], "output not cut to the journaled size"
        assert journal.startswith(kept) or not sink.done_units, "journal not a prefix"
    finally:
        sink.close(complete=False)


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def main() -> None:
    """Run the fuzzer."""
    atheris.Setup(sys.argv, resume)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
