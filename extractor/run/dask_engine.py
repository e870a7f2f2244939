"""The Dask engine: the same units and worker function as the local engine, on a
``dask.distributed`` cluster (a ``LocalCluster`` by default, or ``--scheduler ADDRESS``).

Install it from the checkout with ``pip install -e '.[dask]'``.  Units are submitted in
order with a bounded window and their results collected in order, so the output is identical
to the local engine's.  Workers read multistream ranges themselves, so every worker needs
the dump at the same path (a shared file system); page batches read by the client travel
with the task.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from extractor.errors import InputError
from extractor.run.batch import Options, Unit, UnitResult, process_unit


def run_dask(
    units: Iterator[Unit],
    options: Options,
    jobs: int,
    scheduler: str | None = None,
    window: int | None = None,
) -> Iterator[tuple[Unit, UnitResult]]:
    """Results of ``units`` in order, computed on a Dask cluster."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            "the dask engine needs dask.distributed: in the extractor checkout, "
            "pip install -e '.[dask]'"
        ) from None
    cluster: Any = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit=f"{options.memory_mb}MiB" if options.memory_mb else None,
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    window = window or 2 * len(client.scheduler_info()["workers"]) + 1
    try:
        pending: deque[tuple[Unit, Any]] = deque()
        for unit in units:
            pending.append((unit, client.submit(process_unit, unit, options, pure=False)))
            if len(pending) >= window:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
