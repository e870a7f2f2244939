"""Where ``extractor cites`` writes: stdout for ``-`` (or no ``-o``), else a file that only
ever appears whole.

A file is written to a temporary file beside it, which replaces it once everything was
written: a command that fails half-way (unreadable input, Ctrl-C, a full disk) leaves an
existing file as it was, and no partial one.  What is not a regular file (``/dev/null``, a
FIFO) is written in place; a symbolic link is followed, so the file it points to is
replaced and the link kept.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, BinaryIO

#: Longest part of the output's name kept in the temporary file's name.
_NAME = 100


def is_stdout(output: str | None) -> bool:
    """Whether ``output`` (an ``-o`` value) means stdout: none given, or ``-``."""
    return output is None or output == "-"


@contextmanager
def binary_output(output: str | None) -> Iterator[BinaryIO]:
    """A binary stream to ``output`` (see :func:`is_stdout`), replaced only on success."""
    if is_stdout(output):
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    assert output is not None
    with _replacing(output) as f:
        yield f


@contextmanager
def text_output(output: str | None) -> Iterator[IO[str]]:
    """A UTF-8 text stream without newline translation (for csv) to ``output``; what was
    written reaches stdout even when the block fails."""
    with binary_output(output) as raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        try:
            yield stream
        finally:
            stream.detach()  # flushes first


@contextmanager
def _replacing(path: str) -> Iterator[BinaryIO]:
    """A temporary file beside ``path`` that replaces it when the block ends without an
    exception, and is removed otherwise."""
    target = os.path.realpath(path) if os.path.islink(path) else path
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, path) from None
    if mode is not None and not stat.S_ISREG(mode):
        with open(target, "wb") as f:
            yield f
        return
    folder, name = os.path.split(target)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{name[:_NAME]}.", suffix=".tmp", dir=folder or ".")
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, path) from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, _permissions(mode))
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _permissions(mode: int | None) -> int:
    """The permissions of the file replaced, or for a new file what ``open`` gives
    (``0o666`` less the umask)."""
    if mode is not None:
        return stat.S_IMODE(mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
