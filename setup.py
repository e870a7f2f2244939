"""Build step: compile the hot path with Cython, or install it as pure Python.

The metadata lives in ``pyproject.toml``; this file only adds the compiled modules.  Each
module in :data:`COMPILED` stays one ``.py`` source, which runs interpreted as well: Cython
compiles it in pure-Python mode, typed by the ``.pxd`` beside it where one exists.  The build
writes ``extractor/_compiled.json``: for each compiled module, the file it built and the
SHA-256 of the source it was built from (the ``.py`` and its ``.pxd``), which
:mod:`extractor._compiled` checks at import so that a source edited after the build runs
interpreted, never stale.  The C code is always generated anew (``force``): a reused ``.c``
older than its edited ``.py`` would be compiled under the new digest.

Set ``EXTRACTOR_PURE=1`` to install without compiling.  Without a working C compiler (or
Cython), or when compiling fails, the install goes on as pure Python and prints one line
saying so (the compiler's own output is kept back).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
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


def _digest(source: Path) -> str:
    """The SHA-256 of a module's source: its ``.py``, then its ``.pxd`` if there is one (as
    ``extractor._compiled`` computes it)."""
    digest = hashlib.sha256(source.read_bytes())
    pxd = source.with_suffix(".pxd")
    if pxd.is_file():
        digest.update(b"\0" + pxd.read_bytes())
    return digest.hexdigest()


@contextlib.contextmanager
def _quiet() -> Iterator[list[str]]:
    """Keep back what Cython and the compiler print (file descriptors 1 and 2); yields a
    list that holds it afterwards, for the first line of an error."""
    said: list[str] = []
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 1)
        os.dup2(held.fileno(), 2)
        try:
            yield said
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            held.seek(0)
            said.extend(held.read().decode("utf-8", "replace").splitlines())


class BuildExt(build_ext):
    """Compile what can be compiled; on any failure, fall back to pure Python."""

    def run(self) -> None:
        built: dict[str, dict[str, str]] = {}
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
                inplace = self.inplace
                digests = {_module(path): _digest(HERE / path) for path in COMPILED}
                try:
                    with _quiet() as said:
                        translated = cythonize(
                            extensions,
                            build_dir="build/cython",
                            compiler_directives={
                                "language_level": 3,
                                "annotation_typing": False,
                            },
                            force=True,
                            quiet=True,
                        )
                        for extension, c_code in zip(extensions, translated, strict=True):
                            extension.sources = c_code.sources  # (keeps what finalize set)
                        self.extensions = extensions
                        self.parallel = self.parallel or os.cpu_count() or 1
                        super().run()
                except Exception as error:  # any build failure: pure Python
                    errors = [line for line in said if "rror" in line] or [str(error)]
                    why = f"compiling failed at install ({errors[0].strip()[:160]})"
                    self.extensions = []
                else:
                    built = {
                        ext.name: {
                            "file": Path(self.get_ext_filename(ext.name)).name,
                            "source_sha256": digests[ext.name],
                        }
                        for ext in extensions
                    }
                finally:
                    self.inplace = inplace  # (setuptools leaves it off when a build fails)
        if not built:
            _say(f"{why}: installing the pure-Python modules (slower)")
        self._remove_other_builds(built)
        self._write_manifest(built, why)

    def _compiler_works(self) -> bool:
        """Whether the C compiler compiles a file that includes ``Python.h`` (checked before
        cythonizing, with what the build's own compiles get)."""
        from setuptools._distutils.ccompiler import new_compiler
        from setuptools._distutils.sysconfig import customize_compiler

        probe = Path(self.build_temp) / "extractor_probe.c"
        try:
            compiler = new_compiler(compiler=self.compiler)
            customize_compiler(compiler)
            probe.parent.mkdir(parents=True, exist_ok=True)
            probe.write_text("#include <Python.h>\nint extractor_probe(void) { return 0; }\n")
            with _quiet():
                compiler.compile(
                    [str(probe)], output_dir=self.build_temp, include_dirs=self.include_dirs
                )
        except Exception:  # (distutils' errors come from more than one module)
            return False
        return True

    def _in_place(self) -> bool:
        return bool(self.inplace or getattr(self, "editable_mode", False))

    def _remove_other_builds(self, built: dict[str, dict[str, str]]) -> None:
        """No compiled file of ours but this build's is left to shadow a ``.py``: those of
        a failed or pure build, of another Python, of modules no longer compiled (in the
        build's output, and in the source tree when built in place)."""
        roots = [Path(self.build_lib)] + ([HERE] if self._in_place() else [])
        for root in roots:
            keep = {root / self.get_ext_filename(name) for name in built}
            for path in sorted((root / "extractor").rglob("*")):
                if path.suffix in (".so", ".pyd") and path not in keep:
                    path.unlink()

    def _write_manifest(self, built: dict[str, dict[str, str]], why: str) -> None:
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


if __name__ == "__main__":  # (as setuptools' build backend runs it; tests import it)
    setup(
        ext_modules=[Extension(_module(path), [path]) for path in COMPILED],
        cmdclass={"build_ext": BuildExt},
    )
