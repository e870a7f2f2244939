"""Coverage-guided fuzzing of the dump and file reader (atheris/libFuzzer).

    python fuzz/fuzz_dump_reader.py [libFuzzer options] [CORPUS_DIR ...]

The first byte of an input picks how the rest is presented: under which file name (the
name decides some error messages), and whether it is first bz2- or gzip-compressed so that
the XML layer is fuzzed through the decompressors too.  Every page is read; the only
exceptions allowed are :class:`~extractor.errors.InputError` and
:class:`~extractor.errors.DumpDamaged` with a one-line message.
"""

from __future__ import annotations

import bz2
import gzip
import io
import sys

import atheris

with atheris.instrument_imports(include=["extractor"]):
    from extractor.errors import DumpDamaged, InputError
    from extractor.page import Page
    from extractor.sources.files import read_stream

#: (file name, how the rest of the input is packed) by the first byte, modulo its length.
MODES = (
    ("fuzz.xml", None),
    ("fuzz.xml.bz2", None),
    ("fuzz.xml.gz", None),
    ("fuzz.txt", None),
    ("fuzz", None),
    ("fuzz.xml.bz2", bz2.compress),
    ("fuzz.xml.gz", gzip.compress),
    ("fuzz.txt", bz2.compress),
)


def read_all(data: bytes) -> list[Page]:
    """Read every page of ``data`` presented as its first byte says."""
    if not data:
        return []
    name, pack = MODES[data[0] % len(MODES)]
    body = data[1:] if pack is None else pack(data[1:])
    pages = []
    try:
        for page in read_stream(io.BytesIO(body), name):
            assert isinstance(page, Page) and isinstance(page.text, str)
            pages.append(page)
    except (InputError, DumpDamaged) as exc:
        message = str(exc)
        assert message and "\n" not in message, repr(message)
        assert name in message, repr(message)
    return pages


def main() -> None:
    """Run the fuzzer."""
    atheris.Setup(sys.argv, read_all)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
