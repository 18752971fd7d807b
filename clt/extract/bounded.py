"""Pages read in worker processes that are killed when they overrun.

A hostile PDF can make either engine work without end on one page (a
content stream that inflates to gigabytes, form XObjects that draw each
other, a 3,000,000-glyph string): no check inside pdfminer or PDFium stops
that.  So each page is read in a forked worker whose resident memory the parent
watches (``max_mb`` above what the parent held when the workers started;
``OCR_MB`` more while the page is OCR'd) under a wall-clock budget (``max_seconds``, not counting the time spent in OCR, which is
bounded by its own timeout).  A worker that overruns is killed, its page
becomes a ``warning`` record with code ``page-over-limit`` (the page is
skipped and the warning says so) and a fresh worker goes on with the next
page.  Output stays in page order.  A worker that dies for any other
reason (a crash in PDFium) is reported the same way, never waited on.

With several workers, pages go out in runs of consecutive pages (see
:func:`runs`), one run per worker at a time; a worker that has finished its
run and finds none left takes the later half of the longest run another
worker has not yet begun, so that all of them finish together.  Output is
held back only as far as page order needs.

Workers reset SIGINT/SIGTERM to their defaults, so stopping the parent
never leaves one behind, and every wait has a timeout.
"""

import collections
import logging
import os
import signal
import time

from clt.errors import CltError, ExtractError, UsageError
from clt.records import record

log = logging.getLogger("clt.extract")

#: warning code of a page skipped because it overran a limit (or killed its worker)
PAGE_OVER_LIMIT = "page-over-limit"
#: warning code of a page not OCR'd because its raster would be over the limits (see ocr_dpi)
OCR_OVER_LIMIT = "ocr-over-limit"
#: defaults of --max-page-seconds and --max-page-mb
MAX_PAGE_SECONDS = 8.0
MAX_PAGE_MB = 300
#: how long OCR of one page may take on top of the page's budget
OCR_SECONDS = 300.0


#: glyphs one page may hold (a dense A3 page of small type holds about 10,000; a
#: 3 MB PDF can draw 3,000,000 on one page, which pdfminer takes minutes and
#: gigabytes over): a page with more is skipped, a page-over-limit warning says so
MAX_PAGE_GLYPHS = 100_000


class PageOverLimit(ExtractError):
    """A page over a limit found while reading it (its glyph count): skipped, with a
    ``page-over-limit`` warning."""

    code = PAGE_OVER_LIMIT


def too_many_glyphs(name, pageno):
    return PageOverLimit(f"page {pageno} skipped: it holds more than {MAX_PAGE_GLYPHS:,} glyphs "
                         "(no printed page holds so many)", source=name, page=pageno)


class Overrun(BaseException):
    """Raised by :func:`time_limit` (a BaseException: an engine's ``except
    Exception`` around its parser must not swallow it)."""


import contextlib  # noqa: E402
import threading  # noqa: E402


@contextlib.contextmanager
def time_limit(seconds):
    """Raise :class:`Overrun` in this (main) thread after *seconds* of wall
    clock; Python code only (pdfminer), C code (PDFium) is interrupted when it
    returns.  A no-op off the main thread, with 0, or when SIGALRM is taken."""
    usable = (seconds and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread()
              and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None))
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise Overrun()

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def can_fork():
    """True where pages can go to forked workers (POSIX, not inside a daemonic process)."""
    if not hasattr(os, "fork"):
        return False
    import multiprocessing as mp

    return not mp.current_process().daemon


def rss_bytes(pid="self"):
    """Resident memory of process *pid* (Linux /proc), 0 when unknown."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


#: how often the parent looks at its workers' memory (seconds)
POLL = 0.05
#: extra memory a page may use while it is OCR'd (the OCR engine and its models)
OCR_MB = 1024


#: in a worker: the connection to the parent (see :func:`ocr_budget`)
_to_parent = None


@contextlib.contextmanager
def ocr_budget():
    """Around OCR of a page: in a worker, tell the parent, which gives OCR its
    own time (:data:`OCR_SECONDS`) on top of the page's; elsewhere nothing."""
    conn = _to_parent
    if conn is None:
        yield
        return
    conn.send(("ocr",))
    try:
        yield
    finally:
        conn.send(("ocr-done",))


def _worker(conn, read_page):
    """A worker process: read the pages asked for on *conn*, one at a time."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops us
    global _to_parent
    _to_parent = conn

    class ToParent(logging.Handler):  # the parent's stderr may not be ours (a test runner's)
        def emit(self, rec):
            try:
                conn.send(("log", rec.name, rec.levelno, rec.getMessage()))
            except Exception:  # noqa: BLE001 - never let logging kill a page
                pass

    clt_log = logging.getLogger("clt")
    clt_log.handlers[:] = [ToParent()]
    clt_log.propagate = False
    while True:
        try:
            p = conn.recv()
        except (EOFError, OSError):
            break
        if p is None:
            break
        try:
            result = ("ok", read_page(p))
        except CltError as e:
            result = ("clt", type(e).__name__, e.message, e.source, e.line, e.page, e.hint)
        except MemoryError:
            result = ("memory",)
        except Exception as e:  # noqa: BLE001 - sent back as data
            result = ("exc", e if _picklable(e) else RuntimeError(f"{type(e).__name__}: {e}"))
        try:
            conn.send(result)
        except MemoryError:
            os._exit(99)
        except (OSError, ValueError):
            break
    os._exit(0)


def _picklable(e):
    import pickle

    try:
        pickle.loads(pickle.dumps(e))
        return True
    except Exception:  # noqa: BLE001
        return False


#: pages a worker holds at once: the one it reads and the next, sent ahead so that it
#: never waits for the parent to take a result and hand it more work (what kept
#: ``--jobs 2`` well short of twice as fast on light pages)
AHEAD = 2
#: the longest run of consecutive pages a worker is given at once (see :func:`runs`): a
#: worker parses the fonts and resources of the pages it reads, so the longer its runs
#: the less two workers parse twice (1,000 pages, --jobs 2: 5.8 CPU-s with runs of 64, 5.4
#: with 256, as --jobs 1); what the parent holds back for page order grows with it (runs
#: of 256: about 3 MB more at 1,000 pages)
RUN = 256


def runs(items, jobs):
    """*items* cut into runs of consecutive items for *jobs* workers: one run with
    one worker, else runs of ``ceil(n / jobs)`` items, :data:`RUN` at most, so
    each worker starts on its own stretch of the document and the rest is dealt
    out as runs come back (a worker reads the pages of a stretch one after
    another, as the document draws them, sharing their fonts and resources)."""
    items = list(items)
    if not items:
        return []
    if jobs <= 1:
        return [collections.deque(items)]
    size = max(1, min(RUN, -(-len(items) // jobs)))
    return [collections.deque(items[i:i + size]) for i in range(0, len(items), size)]


class _Slot:
    def __init__(self, ctx, read_page):
        parent, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, read_page), daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent
        self.queue = collections.deque()  # (index, page) sent, in the order the worker reads them
        self.run = collections.deque()  # (index, page) of its run, not yet sent
        self.deadline = None  # of the page at the head of the queue (the one being read)
        self.ocr = False

    def send(self, item, max_seconds):
        if not self.queue:
            self.start_head(max_seconds)
        self.queue.append(item)
        try:
            self.conn.send(item[1])
        except OSError:
            # the worker died before it was sent its next page (a crash on the page
            # it is reading): the loop finds it dead and reports that page
            pass

    def start_head(self, max_seconds):
        self.deadline = time.monotonic() + max_seconds if max_seconds else None
        self.ocr = False

    def kill(self):
        try:
            self.proc.kill()
        except (OSError, AttributeError):
            pass
        self.proc.join(5)
        self.conn.close()

    def stop(self):
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


def over_limit(name, pageno, why):
    return [record("page", source=name, page=pageno),
            record("warning", stage="extract", source=name, page=pageno, code=PAGE_OVER_LIMIT,
                   message=f"page {pageno} skipped: {why}")]


def bounded_pages(read_page, pages, name, jobs=1, max_seconds=MAX_PAGE_SECONDS, max_mb=MAX_PAGE_MB):
    """``read_page(p)`` (a list of records) for each of *pages*, in order, each
    in a worker process bounded by *max_seconds* and *max_mb* (see the module).

    ``read_page`` runs in a forked child: it may raise; a
    :class:`~clt.errors.CltError` is raised again here, any other exception
    becomes a ``page-unreadable``-style warning of the page.

    Pages are dealt out in :func:`runs`; each worker is sent up to
    :data:`AHEAD` pages of its run at a time, and when it has none left it takes
    the next run, else the later half of the longest run another worker has not
    begun.  A page's time budget starts when the worker begins it (when the
    page before it came back).  A worker that is killed hands the pages it had
    not begun back to the others, first in line."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    ctx = mp.get_context("fork")
    pages = list(pages)
    jobs = max(1, min(int(jobs or 1), len(pages)))
    todo = collections.deque(runs(enumerate(pages), jobs))
    done = {}
    nxt = 0
    slots = []
    base = rss_bytes()  # a worker starts as a copy of this process

    def more():
        return bool(todo) or any(s.run for s in slots)

    def next_page(s):
        """The next (index, page) for slot *s*: of its run, else of the next run,
        else the later half of the longest run not yet begun; None when none is left."""
        if not s.run:
            if todo:
                if todo[0][0][0] >= nxt + RUN * (jobs + 1):
                    return None  # no further ahead of the output than that (memory stays flat)
                s.run = todo.popleft()
            else:
                victim = max((o for o in slots if o is not s), key=lambda o: len(o.run), default=None)
                if victim is None or not victim.run:
                    return None
                k = (len(victim.run) + 1) // 2
                s.run = collections.deque(victim.run.pop() for _ in range(k))
                s.run.reverse()
        return s.run.popleft()

    def retire(s):
        """Kill slot *s*'s worker; the pages it had not begun go back first in line."""
        s.queue.popleft()
        back = collections.deque(s.queue)
        back.extend(s.run)
        if back:
            todo.appendleft(back)
        s.queue.clear()
        s.run = collections.deque()
        s.kill()
        slots.remove(s)

    try:
        while nxt < len(pages):
            while len(slots) < jobs and more():
                slots.append(_Slot(ctx, read_page))
            # keep every worker supplied: first one page each, then a page ahead each
            for depth in range(1, AHEAD + 1):
                for slot in slots:
                    if len(slot.queue) < depth:
                        item = next_page(slot)
                        if item is not None:
                            slot.send(item, max_seconds)
            busy = [s for s in slots if s.queue]
            now = time.monotonic()
            deadlines = [s.deadline for s in busy if s.deadline is not None]
            timeout = max(0.0, min(deadlines) - now) if deadlines else None
            if max_mb:
                timeout = POLL if timeout is None else min(timeout, POLL)
            ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout)
            now = time.monotonic()
            for s in busy:
                i, p = s.queue[0]
                msg = None
                if s.conn in ready or s.proc.sentinel in ready:
                    try:
                        if s.conn.poll():
                            msg = s.conn.recv()
                    except (EOFError, OSError):
                        msg = None
                    if msg is None and not s.proc.is_alive():
                        code = s.proc.exitcode
                        why = ("its worker was killed by signal %d" % -code if code and code < 0
                               else "its worker exited with status %s" % code)
                        if code in (-signal.SIGABRT, -signal.SIGSEGV, 99):
                            why += " (out of memory, or a crash reading it)"
                        done[i] = over_limit(name, p, why)
                        retire(s)
                        continue
                if msg is not None:
                    if msg[0] == "ocr":
                        s.ocr = True
                        if s.deadline is not None:
                            s.deadline += OCR_SECONDS
                        continue
                    if msg[0] == "ocr-done":
                        continue
                    if msg[0] == "log":
                        logging.getLogger(msg[1]).log(msg[2], "%s", msg[3])
                        continue
                    if msg[0] == "memory":
                        done[i] = over_limit(name, p, f"reading it needs more than --max-page-mb {max_mb} MB")
                        # the worker may be left fragmented: start afresh
                        retire(s)
                        continue
                    s.queue.popleft()
                    if s.queue:
                        s.start_head(max_seconds)
                    if msg[0] == "ok":
                        done[i] = msg[1]
                    elif msg[0] == "clt":
                        _, kind, message, source, line, page, hint = msg
                        cls = {"ExtractError": ExtractError, "UsageError": UsageError}.get(kind, CltError)
                        raise cls(message, source=source, line=line, page=page, hint=hint)
                    else:
                        e = msg[1]
                        done[i] = [record("page", source=name, page=p),
                                   record("warning", stage="extract", source=name, page=p,
                                          code="page-unreadable",
                                          message=f"page {p} could not be read ({type(e).__name__}: {e})")]
                    continue
                if max_mb and rss_bytes(s.proc.pid) > base + (max_mb + (OCR_MB if s.ocr else 0)) * 2 ** 20:
                    done[i] = over_limit(name, p, f"reading it needed more than --max-page-mb {max_mb} MB")
                    retire(s)
                    continue
                if s.deadline is not None and now >= s.deadline:
                    done[i] = over_limit(name, p, f"reading it took more than --max-page-seconds "
                                                  f"{max_seconds:g} s")
                    retire(s)
            while nxt in done:
                yield from done.pop(nxt)
                nxt += 1
    finally:
        for s in slots:
            if s.queue:
                s.kill()
            else:
                s.stop()


# --------------------------------------------------------------------------- OCR rasters

#: an image on a page to be OCR'd may decode to at most this many megabytes
#: (width x height x bits per pixel; a 40000 x 40000 grey image in a 4 KB PDF
#: decodes to 1.5 GB): a page with a larger one is not OCR'd
MAX_OCR_IMAGE_MB = 256
#: the page raster OCR reads holds at most this many million pixels (an A3 page at
#: 300 dpi holds 17): a larger page is rendered at a lower resolution, ...
MAX_OCR_RASTER_MPX = 18
#: ... but never below this resolution (text is no longer legible): such a page is not OCR'd
MIN_OCR_DPI = 100
#: image and form objects looked at on one page (form XObjects nest)
MAX_OCR_OBJECTS = 10000


class RasterOverLimit(Exception):
    """A page cannot be rasterised for OCR within the limits (see :func:`ocr_dpi`)."""


def ocr_dpi(page, dpi, width=None, height=None):
    """``(dpi, note)``: the resolution at which to render PDFium page *page* for OCR
    (*dpi*, or lower when the raster would exceed :data:`MAX_OCR_RASTER_MPX`; *note*
    then says so, else None).  Raises :class:`RasterOverLimit` for an image that would
    decode to more than :data:`MAX_OCR_IMAGE_MB`, or a page that would need less than
    :data:`MIN_OCR_DPI`.  Nothing is decoded: image sizes come from their dictionaries."""
    import pypdfium2.raw as raw

    n = 0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=8):
        n += 1
        if n > MAX_OCR_OBJECTS:
            raise RasterOverLimit(f"it draws more than {MAX_OCR_OBJECTS} images")
        try:
            w, h = obj.get_px_size()
        except Exception:  # noqa: BLE001 - an image PDFium cannot size is left to the renderer
            continue
        bpp = 8
        try:
            bpp = obj.get_metadata().bits_per_pixel or 8
        except Exception:  # noqa: BLE001
            pass
        mb = w * h * max(bpp, 1) / 8 / 2 ** 20
        if mb > MAX_OCR_IMAGE_MB:
            raise RasterOverLimit(f"image {n} on it is {w} x {h} pixels of {bpp} bit{'s' if bpp != 1 else ''}, {mb:,.0f} MB decoded "
                                  f"(an image to OCR may take {MAX_OCR_IMAGE_MB} MB)")
    if width is None or height is None:
        width, height = page.get_size()
    px = (width * dpi / 72.0) * (height * dpi / 72.0)
    if px <= MAX_OCR_RASTER_MPX * 1e6:
        return dpi, None
    lower = int(dpi * (MAX_OCR_RASTER_MPX * 1e6 / px) ** 0.5)
    size = f"{width:.0f} x {height:.0f} pt"
    if lower < MIN_OCR_DPI:
        raise RasterOverLimit(f"the page is {size}: at {MIN_OCR_DPI} dpi its raster would exceed "
                              f"{MAX_OCR_RASTER_MPX} million pixels")
    return lower, f"the page is {size}: OCR read it at {lower} dpi, not {dpi:g} ({MAX_OCR_RASTER_MPX} million pixels at most)"
