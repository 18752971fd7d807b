"""Where the per-file tasks run: in this process, in local worker processes.

An executor is a callable ``run(tasks) -> iterator of results`` (results in
any order; each is what :func:`clt.batch.task.process_source` returns).
The Dask executor is in :mod:`clt.batch.dask_executor`.
"""

import collections
import multiprocessing
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from clt.batch.task import process_source
from clt.errors import CltError


def default_jobs():
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def run_inline(tasks, on_page=None):
    """Every task in this process, one after the other (*on_page*: see
    :func:`clt.batch.task.process_source`)."""
    for task in tasks:
        yield process_source(task, on_page=on_page)


def _watch_parent(parent):
    # A worker whose batch process died (kill -9) stops within half a second
    # instead of running on unsupervised.
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


#: in a worker process: the queue page events go to (set by _worker_init), or None
_PAGES = None


def _worker_init(parent, pages=None):
    global _PAGES
    _PAGES = pages
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="clt-batch-watch").start()


def _send_page(key, page, pages):
    try:
        _PAGES.put((key, page, pages))
    except Exception:  # noqa: BLE001 - progress is never worth failing a file for
        pass


def _process(task):
    """process_source in a worker, its page events sent to the batch process."""
    return process_source(task, on_page=_send_page if _PAGES is not None else None)


def crash_result(task, message):
    """The result of a *task* whose worker died (a process, a Dask worker): *message* says how."""
    return {"key": task["key"], "ok": False, "outputs": {}, "sha256": None, "size": None,
            "stats": {"pages": 0, "documents": 0, "articles": 0, "warnings": 0}, "mode": "full",
            "elapsed": 0.0,
            "error": {"stage": "worker", "kind": "crash", "message": message}}


class ProcessExecutor:
    """Tasks on *jobs* local worker processes (a ProcessPoolExecutor).

    At most ``2 * jobs`` tasks are in flight, so a huge archive does not
    queue every task at once.  When a worker dies (a crash in a PDF library,
    the OOM killer), the tasks that were in flight are run again one at a
    time in a fresh single-worker pool, so that only the file that kills its
    worker is recorded as failed.
    """

    def __init__(self, jobs):
        self.jobs = max(1, int(jobs))
        self.pages = None

    def _pool(self, n):
        ctx = multiprocessing.get_context()
        return ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_worker_init,
                                   initargs=(os.getpid(), self.pages))

    def _drain(self, on_page):
        """Hand the page events the workers sent so far to *on_page* (in this thread)."""
        if self.pages is None:
            return
        import queue

        while True:
            try:
                event = self.pages.get_nowait()
            except (queue.Empty, OSError, ValueError, EOFError):
                return
            try:
                on_page(*event)
            except Exception:  # noqa: BLE001 - a progress display never stops the batch
                pass

    def __call__(self, tasks, on_page=None):
        """Results of *tasks*, in the order they finish; *on_page* (key, page, pages) is
        called in this thread, between results, as the workers read pages."""
        if on_page is not None and self.pages is None:
            self.pages = multiprocessing.get_context().Queue()
        tick = 0.2 if on_page is not None else None
        tasks = iter(tasks)
        unstarted = collections.deque()  # refused by a pool that broke before they ran
        suspects = []
        pool = self._pool(self.jobs)
        inflight = {}
        idle_breaks = 0  # pools in a row that broke with nothing in flight
        try:
            while True:
                broken = False
                known_suspects = len(suspects)
                while len(inflight) < 2 * self.jobs:
                    task = unstarted.popleft() if unstarted else next(tasks, None)
                    if task is None:
                        break
                    try:
                        inflight[pool.submit(_process, task)] = task
                    except BrokenProcessPool:
                        unstarted.appendleft(task)
                        broken = True
                        break
                if not inflight and not broken:
                    break
                if inflight:
                    done, _ = wait(inflight, timeout=tick, return_when=FIRST_COMPLETED)
                    if on_page is not None:
                        self._drain(on_page)
                    for fut in done:
                        task = inflight.pop(fut)
                        try:
                            res = fut.result()
                        except BrokenProcessPool:
                            broken = True
                            suspects.append(task)
                            continue
                        yield res
                if broken:
                    # the tasks in flight are suspects, to be run again one by one below
                    idle_breaks = 0 if inflight or len(suspects) > known_suspects else idle_breaks + 1
                    if idle_breaks > 3:
                        raise CltError("worker processes die before doing any work",
                                       hint="check memory and process limits, or use --jobs 1")
                    suspects.extend(inflight.values())
                    inflight.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._pool(self.jobs)
        finally:
            pool.shutdown(wait=not inflight, cancel_futures=True)
        # one at a time: the task that breaks its worker here is the culprit
        queue = collections.deque(suspects)
        while queue:
            task = queue.popleft()
            pool = self._pool(1)
            try:
                try:
                    yield pool.submit(_process, task).result()
                except BrokenProcessPool as e:
                    yield crash_result(task, f"the worker process died while converting this file ({e})")
            finally:
                pool.shutdown(wait=False, cancel_futures=True)
