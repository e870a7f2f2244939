"""Build step: compile the hot path with Cython, or install it as pure Python.

The metadata lives in ``pyproject.toml``; this file only adds the compiled modules.  Each
module in :data:`COMPILED` stays one ``.py`` source, which runs interpreted as well: Cython
compiles it in pure-Python mode, typed by the ``.pxd`` beside it where one exists.  The build
writes ``extractor/_compiled.json`` (each compiled module and the SHA-256 of the source it was
built from), which :mod:`extractor.compiled` checks at import so that a ``.py`` edited after
the build runs interpreted, never stale.

Set ``EXTRACTOR_PURE=1`` to install without compiling.  Without a working C compiler (or
Cython) the install goes on as pure Python and prints one line saying so.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
#: The hot path, compiled: the token walk, CS1 folding, claims, date scanning.
COMPILED = (
    "extractor/parse/walk_tokens.py",
    "extractor/parse/document.py",
    "extractor/parse/plaintext.py",
    "extractor/facts/citations.py",
    "extractor/facts/claims.py",
    "extractor/facts/cs1.py",
    "extractor/facts/shortcites.py",
    "extractor/facts/identifiers.py",
    "extractor/facts/dates.py",
    "extractor/facts/datevalues.py",
    "extractor/facts/localdates.py",
)
MANIFEST = "extractor/_compiled.json"


def _say(line: str) -> None:
    print(f"extractor: {line}", file=sys.stderr, flush=True)


def _module(path: str) -> str:
    return path[: -len(".py")].replace("/", ".")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class BuildExt(build_ext):
    """Compile what can be compiled; on any failure, fall back to pure Python."""

    def run(self) -> None:
        built: dict[str, str] = {}
        extensions, self.extensions = self.extensions, []  # built only once all checks pass
        why = ""
        if os.environ.get("EXTRACTOR_PURE", "") not in ("", "0"):
            why = "EXTRACTOR_PURE was set at install"
        elif not self._compiler_works():
            why = "no working C compiler at install"
        else:
            try:
                from Cython.Build import cythonize
            except ImportError:
                why = "Cython was not installed at install"
            else:
                digests = {_module(path): _digest(HERE / path) for path in COMPILED}
                try:
                    translated = cythonize(
                        extensions,
                        build_dir="build/cython",
                        compiler_directives={"language_level": 3, "annotation_typing": False},
                        quiet=True,
                    )
                    for extension, c_code in zip(extensions, translated, strict=True):
                        extension.sources = c_code.sources  # (keeps what finalize set)
                    self.extensions = extensions
                    self.parallel = self.parallel or os.cpu_count() or 1
                    super().run()
                except Exception as error:  # any build failure: pure Python
                    first = str(error).strip().splitlines()[:1] or [type(error).__name__]
                    why = f"compiling failed at install ({first[0]})"
                    self.extensions = []
                else:
                    built = {ext.name: digests[ext.name] for ext in self.extensions}
        if not built:
            _say(f"{why}: installing the pure-Python modules (slower)")
            self._remove_built(extensions)
        self._write_manifest(built, why)

    def _compiler_works(self) -> bool:
        """Whether the C compiler compiles a trivial file (checked before cythonizing)."""
        from setuptools._distutils.ccompiler import new_compiler
        from setuptools._distutils.sysconfig import customize_compiler

        probe = Path(self.build_temp) / "extractor_probe.c"
        try:
            compiler = new_compiler(compiler=self.compiler)
            customize_compiler(compiler)
            probe.parent.mkdir(parents=True, exist_ok=True)
            probe.write_text("int extractor_probe(void) { return 0; }\n")
            compiler.compile([str(probe)], output_dir=self.build_temp)
        except Exception:  # (distutils' errors come from more than one module)
            return False
        return True

    def _in_place(self) -> bool:
        return bool(self.inplace or getattr(self, "editable_mode", False))

    def _remove_built(self, extensions: list[Extension]) -> None:
        """No compiled module of an earlier build is left to shadow the pure ones."""
        for ext in extensions:
            name = self.get_ext_filename(ext.name)
            (Path(self.build_lib) / name).unlink(missing_ok=True)
            if self._in_place():
                (HERE / name).unlink(missing_ok=True)

    def _write_manifest(self, built: dict[str, str], why: str) -> None:
        """The manifest beside the built modules (and in the source tree when in place)."""
        data: dict[str, object] = {"compiled": dict(sorted(built.items()))}
        if not built:
            data["why"] = why
        text = json.dumps(data, indent=1) + "\n"
        targets = [Path(self.build_lib) / MANIFEST]
        if self._in_place():
            targets.append(HERE / MANIFEST)
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        if built:
            _say(f"compiled {len(built)} modules with Cython")


setup(
    ext_modules=[Extension(_module(path), [path]) for path in COMPILED],
    cmdclass={"build_ext": BuildExt},
)
