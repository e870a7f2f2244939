"""Running the pipeline over many pages: units of work and per-page isolation
(:mod:`~extractor.run.batch`), local worker processes with a watchdog
(:mod:`~extractor.run.pool`) or Dask (:mod:`~extractor.run.dask_engine`), the resumable
JSONL sink (:mod:`~extractor.run.sinks`), and the runs that drive them
(:mod:`~extractor.run.runner`: ``extractor dump`` and :func:`extractor.extract_dump`)."""
