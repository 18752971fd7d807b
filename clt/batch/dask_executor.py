"""Run the per-file tasks on a Dask distributed cluster.

The tasks are exactly those the local executors run
(:func:`clt.batch.task.process_source`); each worker reads its source and
writes its outputs itself, so SRC and OUT must be visible to every worker at
the same absolute paths (a shared file system such as NFS), and every worker
needs the same clt version installed (a task on a worker with another
version fails, saying so, rather than writing different outputs).  The
client -- the ``clt batch`` process -- holds the lock and keeps the manifest.

``address`` is a scheduler address (``tcp://host:8786``) or ``local``, which
starts a LocalCluster of *jobs* single-threaded workers on this machine
(in-process threads when *jobs* is 1).
"""

import logging

from clt.batch.executors import crash_result
from clt.batch.task import process_source
from clt.errors import CltError, UsageError


def _client(address, jobs):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--dask needs the 'distributed' package",
                         hint="pip install 'clt[dask]' or 'dask[distributed]'") from None
    if address == "local":
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=jobs > 1,
                               dashboard_address=None, silence_logs=logging.ERROR)
        return Client(cluster), cluster
    try:
        return Client(address, timeout="30s"), None
    except (OSError, TimeoutError) as e:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {e}") from None


# A lambda is pickled by value (cloudpickle), so it runs even on a worker where
# clt cannot be imported, and then says so.
_probe_version = lambda: __import__("clt").__version__  # noqa: E731


def check_workers(client, wait=60):
    """Fail early, with a clear message, when the cluster cannot do the job:
    no worker within *wait* seconds, or a worker without clt or with another
    version (its outputs could differ)."""
    from clt import __version__

    if not client.nthreads():
        try:
            client.wait_for_workers(1, timeout=wait)
        except Exception:  # noqa: BLE001 - TimeoutError flavours differ between versions
            raise CltError(f"the Dask scheduler has no worker (waited {wait} s)") from None
    versions = client.run(_probe_version, on_error="return")
    bad = []
    for worker, version in sorted(versions.items()):
        if isinstance(version, BaseException):
            bad.append(f"{worker}: no clt ({type(version).__name__}: {version})")
        elif version != __version__:
            bad.append(f"{worker}: clt {version}")
    if bad:
        raise CltError(f"Dask workers cannot run this batch (clt {__version__} here): " + "; ".join(bad[:3])
                       + (f"; and {len(bad) - 3} more" if len(bad) > 3 else ""),
                       hint="install the same clt version on every worker")


class DaskExecutor:
    """Tasks on a Dask cluster, at most ``window`` in flight at a time."""

    def __init__(self, address, jobs=1, window=None):
        self.address = address
        self.jobs = max(1, int(jobs))
        self.window = window

    def __call__(self, tasks):
        from distributed import as_completed

        client, cluster = _client(self.address, self.jobs)
        try:
            if cluster is None:
                check_workers(client)
            window = self.window
            if window is None:
                try:
                    nthreads = sum(client.nthreads().values())
                except Exception:  # noqa: BLE001
                    nthreads = self.jobs
                window = max(4, 4 * nthreads)
            tasks = iter(tasks)
            pending = {}
            queue = as_completed()
            for task in tasks:
                fut = client.submit(process_source, task, pure=False)
                pending[fut.key] = task
                queue.add(fut)
                if len(pending) >= window:
                    break
            for fut in queue:
                task = pending.pop(fut.key)
                try:
                    yield fut.result()
                except Exception as e:  # noqa: BLE001 - KilledWorker and friends
                    yield crash_result(task, f"the Dask task failed: {type(e).__name__}: {e}")
                fut.release()
                nxt = next(tasks, None)
                if nxt is not None:
                    f2 = client.submit(process_source, nxt, pure=False)
                    pending[f2.key] = nxt
                    queue.add(f2)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
