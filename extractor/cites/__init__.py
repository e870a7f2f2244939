"""Citation data: what a set of pages cites, as a summary, a table and an HTML report.

Records (from a records file, or extracted on the fly from any dump source) flow one way:
:mod:`~extractor.cites.inputs` -> :mod:`~extractor.cites.rows` (one flat row per citation)
-> :mod:`~extractor.cites.filters` -> :mod:`~extractor.cites.summary`,
:mod:`~extractor.cites.writers` or :mod:`~extractor.cites.report`, which write through
:mod:`~extractor.cites.outputs` (stdout, or a file replaced only on success).  Everything
streams; :mod:`~extractor.cites.cli` is the ``extractor cites`` command group.
"""

from __future__ import annotations

from extractor.cites.filters import Filter
from extractor.cites.inputs import read_records
from extractor.cites.rows import COLUMNS, citation_rows
from extractor.cites.summary import summarize

__all__ = ["COLUMNS", "Filter", "citation_rows", "read_records", "summarize"]
