"""What ``clt batch`` tells a person while it runs (on stderr).

:class:`Reporter` is silent (library use).  :class:`LineReporter` prints
one line per failed source and a final tally; with ``quiet`` only the
failures.  :class:`TtyReporter` (a terminal) adds a progress line
rewritten in place: done/total, files/s, an estimate of the time left.
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

    def result(self, key, entry, result):
        pass

    def finish(self, summary):
        pass


def failure_line(key, error):
    return f"clt: batch: {key}: failed in {error.get('stage')}: {error.get('message')}"


class LineReporter(Reporter):
    """Failures (and, unless quiet, warnings and a final tally) as lines on *stream*."""

    def __init__(self, stream=None, quiet=False, verbose=False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.verbose = verbose

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

    def result(self, key, entry, result):
        if entry.get("status") == "failed":
            self._write(failure_line(key, entry.get("error") or {}))
            if self.verbose and result and result.get("traceback"):
                self._write(result["traceback"].rstrip())

    def finish(self, summary):
        for f in summary.get("failures", ()):
            if not f.get("new"):
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
    """LineReporter plus a progress line on a terminal."""

    def __init__(self, stream=None, verbose=False, interval=0.1):
        super().__init__(stream, quiet=False, verbose=verbose)
        self.interval = interval
        self.total = self.done = self.failed = 0
        self.t0 = time.monotonic()
        self.last = 0.0
        self.shown = False

    def _clear(self):
        if self.shown:
            try:
                self.stream.write("\r\x1b[K")
            except (OSError, ValueError):
                pass
            self.shown = False

    def _write(self, text):
        self._clear()
        super()._write(text)

    def _draw(self, force=False):
        now = time.monotonic()
        if not force and now - self.last < self.interval:
            return
        self.last = now
        elapsed = now - self.t0
        rate = self.done / elapsed if elapsed > 0 else 0.0
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        eta = ""
        if rate > 0 and self.done < self.total:
            left = int((self.total - self.done) / rate)
            eta = f" ETA {left // 60}:{left % 60:02d}"
        fail = f" {self.failed} failed" if self.failed else ""
        try:
            self.stream.write(f"\r\x1b[K[{bar}] {self.done}/{self.total} {rate:.1f} files/s{eta}{fail}")
            self.stream.flush()
        except (OSError, ValueError):
            return
        self.shown = True

    def start(self, total, todo, out):
        self.total = todo
        self.t0 = time.monotonic()
        if todo:
            self._draw(force=True)

    def result(self, key, entry, result):
        self.done += 1
        if entry.get("status") == "failed":
            self.failed += 1
        super().result(key, entry, result)
        if self.total:
            self._draw(force=self.done == self.total)

    def finish(self, summary):
        self._clear()
        super().finish(summary)
