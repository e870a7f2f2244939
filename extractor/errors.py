"""Errors with a one-line message and the process exit code that goes with them."""

from __future__ import annotations


class ExtractorError(Exception):
    """Base class: a clear one-line message; ``exit_code`` is what the CLI exits with."""

    exit_code: int = 1


class InputError(ExtractorError):
    """The input cannot be read at all: missing file, empty file, binary data, no pages."""

    exit_code = 2


class DumpDamaged(ExtractorError):
    """A dump is damaged part-way; pages before the damage were already yielded."""

    exit_code = 3
