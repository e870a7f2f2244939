"""Where tests find their data: samples/ in the repository, and ../shared/ beside it.

The shared corpus is part of this project's layout (CI clones the repository with shared/
beside it).  Outside CI, tests that need it are skipped when it is absent; under CI
(``CI=true``) its absence is an error, so a broken layout cannot pass as green.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"


def require_shared() -> Path:
    """The shared folder; skip (or, under CI, fail) when it is not beside the repository."""
    if not SHARED.is_dir():
        message = f"the shared corpus is not at {SHARED}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message, allow_module_level=True)
    return SHARED
