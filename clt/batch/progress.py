"""What ``clt batch`` tells a person while it runs (on stderr).

:class:`Reporter` is silent (library use).  :class:`LineReporter` prints
one line per failed source and a final tally; with ``quiet`` only the
failures, and with ``quiet`` and not ``strict`` only the failures not
reported before (a source that fails again the same way, unchanged, is
left out: it is in the manifest and the summary).  :class:`TtyReporter`
(a terminal) adds a progress bar (tqdm) that moves with every page read,
not only with every file done: files done/total, pages/s, an estimate of
the time left.
"""

import sys
import time


class Reporter:
    """Receives the events of a run; this one ignores them."""

    def waiting(self, holder):
        pass

    def warn(self, message):
        pass

    def start(self, total, todo, out):
        pass

    def page(self, key, page, pages):
        """Source *key* has read page *page* (1-based) of *pages* (None when unknown)."""

    def result(self, key, entry, result, known=False):
        """Source *key* is done: *entry* is its manifest entry; *known*: it failed as before."""

    def finish(self, summary):
        pass


def failure_line(key, error):
    return f"clt: batch: {key}: failed in {error.get('stage')}: {error.get('message')}"


class LineReporter(Reporter):
    """Failures (and, unless quiet, warnings and a final tally) as lines on *stream*."""

    def __init__(self, stream=None, quiet=False, verbose=False, strict=True):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.verbose = verbose
        self.strict = strict  # with quiet: False leaves out the failures reported before

    def _write(self, text):
        try:
            self.stream.write(text + "\n")
            self.stream.flush()
        except (OSError, ValueError):
            pass

    def waiting(self, holder):
        if not self.quiet:
            self._write("clt: batch: waiting for another run to finish" + (f" ({holder})" if holder else ""))

    def warn(self, message):
        if not self.quiet:
            self._write(f"clt: warning: {message}")

    def _silent(self, known):
        return known and self.quiet and not self.strict

    def result(self, key, entry, result, known=False):
        if self._silent(known):
            return
        if entry.get("status") == "failed":
            self._write(failure_line(key, entry.get("error") or {}))
            if self.verbose and result and result.get("traceback"):
                self._write(result["traceback"].rstrip())

    def finish(self, summary):
        for f in summary.get("failures", ()):
            if not f.get("new") and not self._silent(f.get("known", True)):
                self._write(f"clt: batch: {f['source']}: failed earlier in {f.get('stage')}: {f.get('message')} "
                            "(unchanged since, not retried; --retry-failed retries)")
        if self.quiet:
            return
        parts = [f"{summary['sources']} sources", f"{summary['converted']} converted",
                 f"{summary['skipped']} unchanged"]
        if summary["failed"]:
            parts.append(f"{summary['failed']} failed")
        if summary["failed_before"]:
            parts.append(f"{summary['failed_before']} failed earlier and unchanged (--retry-failed)")
        if summary["vanished"]:
            parts.append(f"{summary['vanished']} no longer found (--prune)")
        if summary["pruned"]:
            parts.append(f"{summary['pruned']} pruned")
        self._write(f"clt: batch: {', '.join(parts)} in {summary['elapsed']:.1f} s")


class TtyReporter(LineReporter):
    """LineReporter plus a progress bar (tqdm) on a terminal.

    The bar counts files, a file being read counting for the share of its
    pages done, so it moves while a long PDF or a scan is read; the text
    after it says files done/total, pages, pages/s, failures.
    """

    def __init__(self, stream=None, verbose=False, interval=0.1):
        super().__init__(stream, quiet=False, verbose=verbose)
        self.interval = interval
        self.total = self.done = self.failed = self.pages = 0
        self.partial = {}  # key -> (pages read, pages) of the sources being read
        self.finished = set()  # a worker's last page event may come after its result
        self.t0 = time.monotonic()
        self.bar = None

    def _write(self, text):
        if self.bar is not None:
            try:
                self.bar.clear()
                super()._write(text)
                self.bar.refresh()
            except (OSError, ValueError):
                pass
            return
        super()._write(text)

    def _update(self, force=False):
        if self.bar is None:
            return
        n = self.done + sum(min(1.0, read / pages) for read, pages in self.partial.values() if pages)
        elapsed = time.monotonic() - self.t0
        rate = self.pages / elapsed if elapsed > 0 else 0.0
        fail = f", {self.failed} failed" if self.failed else ""
        try:
            self.bar.info = f"{self.done}/{self.total} files, {self.pages} pages, {rate:.1f} pages/s{fail}"
            self.bar.n = round(min(n, self.total), 3)
            if force or self.interval == 0:
                self.bar.refresh()
            else:
                self.bar.update(0)  # redraws at most every mininterval
        except (OSError, ValueError):
            pass

    def start(self, total, todo, out):
        self.total = todo
        self.t0 = time.monotonic()
        if not todo:
            return
        self.bar = _bar_class()(total=todo, file=self.stream, unit="file", dynamic_ncols=True, leave=False,
                                mininterval=self.interval, smoothing=0.1, info=f"0/{todo} files",
                                bar_format="{percentage:3.0f}%|{bar}| {info} [{elapsed}<{remaining}]")
        self._update(force=True)

    def page(self, key, page, pages):
        if key in self.finished:
            return
        self.pages += 1
        read, _ = self.partial.get(key, (0, pages))
        self.partial[key] = (read + 1, pages)
        self._update(force=read == 0)  # a file's first page shows at once, the rest every interval

    def result(self, key, entry, result, known=False):
        self.done += 1
        self.finished.add(key)
        seen, _ = self.partial.pop(key, (0, None))
        if entry.get("status") == "failed":
            self.failed += 1
        # pages that no page event announced (a Dask worker): counted when the file is done
        self.pages += max(0, ((result or {}).get("stats") or {}).get("pages", 0) - seen)
        super().result(key, entry, result, known=known)
        self._update(force=self.done == self.total)

    def finish(self, summary):
        if self.bar is not None:
            try:
                self.bar.close()
            except (OSError, ValueError):
                pass
            self.bar = None
        super().finish(summary)


def _bar_class():
    """tqdm with an ``{info}`` field for the bar format (files done, pages, pages/s)."""
    from tqdm import tqdm

    class Bar(tqdm):
        def __init__(self, *args, info="", **kwargs):
            self.info = info
            super().__init__(*args, **kwargs)

        @property
        def format_dict(self):
            d = super().format_dict
            d["info"] = self.info
            return d

    return Bar
