"""Run the compiled hot path only where it was built from the source that is there now.

``setup.py`` compiles some modules with Cython (pure-Python mode: the ``.py`` is the one
source) and writes ``_compiled.json``: for each compiled module, the file it built and the
SHA-256 of its source (the ``.py``, then its ``.pxd`` if any).  Python would import a
compiled module in preference to its ``.py`` even after the source changed (an editable
install being worked on), or one left by another build, so :class:`_Guard`, first on
``sys.meta_path``, imports the ``.py`` instead unless the compiled file Python would load is
the manifest's and the source's digest is the manifest's; it says so once, on standard
error.  A compiled file of ours without its ``.py`` is an :class:`ImportError`, never run.

``EXTRACTOR_COMPILED=0`` in the environment imports every module interpreted (the
reference the compiled build is checked against).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

__all__ = ["build_summary", "compiled_modules", "stale_modules"]

_PACKAGE = "extractor"
_MANIFEST = Path(__file__).with_name("_compiled.json")
_SAID = "EXTRACTOR_STALE_SAID"  # set once said: processes started from this one stay quiet


def _manifest(path: Path) -> tuple[dict[str, tuple[str, str]], str]:
    """Each compiled module's name -> (the file built, the digest of its source), and why
    the build compiled none (or why the manifest cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        compiled, why = data["compiled"], str(data.get("why", ""))
    except (OSError, ValueError, KeyError, TypeError):
        return {}, "no readable build manifest (installed without setup.py's build?)"
    if not isinstance(compiled, dict) or not all(
        isinstance(entry, dict) and isinstance(entry.get("file"), str)
        for entry in compiled.values()
    ):
        return {}, "a build manifest of another shape (rebuild)"
    found = {
        str(name): (entry["file"], str(entry.get("source_sha256")))
        for name, entry in compiled.items()
    }
    return found, why


def _digest(source: str) -> str:
    """The SHA-256 of a module's source as ``setup.py`` records it: its ``.py``, then its
    ``.pxd`` if there is one."""
    with open(source, "rb") as file:
        digest = hashlib.sha256(file.read())
    pxd = source[: -len(".py")] + ".pxd"
    if os.path.isfile(pxd):
        with open(pxd, "rb") as file:
            digest.update(b"\0" + file.read())
    return digest.hexdigest()


class _Guard:
    """A meta path finder for the package's modules (see the module docstring)."""

    def __init__(self, package: str = _PACKAGE, manifest: Path = _MANIFEST) -> None:
        self.package = package
        self.manifest, self.why = _manifest(manifest)
        self.disabled = os.environ.get("EXTRACTOR_COMPILED", "") == "0"
        self.stale: list[str] = []

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        """The ``.py``'s spec when a compiled file beside it must not run; else None (the
        usual finders then import the compiled module, or the ``.py`` when there is none)."""
        if not fullname.startswith(self.package + ".") or not path:
            return None
        name = fullname.rpartition(".")[2]
        for directory in path:
            compiled = next(  # the file Python would load: the first suffix found
                (
                    name + suffix
                    for suffix in importlib.machinery.EXTENSION_SUFFIXES
                    if os.path.isfile(os.path.join(directory, name + suffix))
                ),
                None,
            )
            source = os.path.join(directory, name + ".py")
            if os.path.isfile(source):
                break
            if compiled is not None:
                raise ImportError(
                    f"extractor: {os.path.join(directory, compiled)} has no source beside it:"
                    " remove it or reinstall",
                    name=fullname,
                )
        else:
            return None
        if compiled is None:
            return None
        if self.disabled:
            return importlib.util.spec_from_file_location(fullname, source)
        if self.manifest.get(fullname) == (compiled, _digest(source)):
            return None
        self.stale.append(fullname)
        if not os.environ.get(_SAID):
            os.environ[_SAID] = "1"
            reason = (
                "changed since it was compiled"
                if fullname in self.manifest
                else f"has a compiled file the build did not make ({self.why or compiled})"
            )
            print(
                f"extractor: {fullname} {reason}: running it interpreted"
                " (rebuild with `pip install -e .`)",
                file=sys.stderr,
            )
        return importlib.util.spec_from_file_location(fullname, source)


_guard = _Guard()
sys.meta_path.insert(0, _guard)  # before any module it guards


def compiled_modules() -> tuple[str, ...]:
    """The package's modules running compiled in this process, sorted."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    found = []
    for name in _guard.manifest:
        where = getattr(sys.modules.get(name), "__file__", None)
        if isinstance(where, str) and where.endswith(suffixes):
            found.append(name)
    return tuple(sorted(found))


def stale_modules() -> tuple[str, ...]:
    """The modules that were compiled but changed since, so run interpreted here."""
    return tuple(sorted(set(_guard.stale)))


def build_summary() -> str:
    """How the package runs, in a few words (``extractor --version`` ends with it)."""
    if _guard.disabled:
        return "interpreted (EXTRACTOR_COMPILED=0)"
    compiled, stale = compiled_modules(), stale_modules()
    if compiled and stale:
        return (
            f"{len(compiled)} modules compiled, {len(stale)} interpreted: changed since the build"
        )
    if compiled:
        return f"{len(compiled)} modules compiled"
    if stale:
        return "interpreted: every compiled module changed since the build"
    return f"interpreted: {_guard.why or 'nothing compiled'}"
