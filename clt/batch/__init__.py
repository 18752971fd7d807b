"""``clt batch``: cron-safe conversion of whole archives, here or on a Dask cluster.

    from clt.batch import run_batch
    summary = run_batch(["archive/"], "out/", formats=["jsonl", "md"], jobs=4)

See :mod:`clt.batch.runner` (what is redone and when, the output tree),
:mod:`clt.batch.manifest` (the manifest), :mod:`clt.batch.lock`,
:mod:`clt.batch.task` (the per-file work, the library stages end to end),
:mod:`clt.batch.executors` and :mod:`clt.batch.dask_executor`.
"""

from clt.batch.lock import BatchLock, LockedError
from clt.batch.manifest import MANIFEST_NAME, Manifest
from clt.batch.runner import FORMAT_EXTENSIONS, SOURCE_EXTENSIONS, discover, output_paths, run_batch
from clt.batch.task import process_source

__all__ = ["BatchLock", "LockedError", "MANIFEST_NAME", "Manifest", "FORMAT_EXTENSIONS", "SOURCE_EXTENSIONS",
           "discover", "output_paths", "run_batch", "process_source"]
