"""The lock that keeps two ``clt batch`` runs out of the same output tree.

``OUT/.clt-batch.lock`` is held with ``fcntl.flock`` for the whole run.  The
kernel drops the lock when the holder dies, however it dies (``kill -9``
included), so a stale lock file never blocks the next run: the file itself
is left in place and only its lock matters.  While held, the file names the
holder (pid, host, start time) so that a second run can say who is in its way.
"""

import fcntl
import os
import socket
import time

from clt.errors import CltError

LOCK_NAME = ".clt-batch.lock"


class LockedError(CltError):
    """Another ``clt batch`` run holds the output tree's lock."""

    exit_code = 75  # EX_TEMPFAIL (sysexits.h): try again later


class BatchLock:
    """An exclusive lock on an output directory.

    ``wait=False`` (the default) raises :class:`LockedError` at once when
    another run holds the lock; ``wait=True`` waits for it (for at most
    *timeout* seconds when given), calling *on_wait(holder)* once when it
    starts waiting.  Use as a context manager.
    """

    def __init__(self, out_dir, wait=False, timeout=None, on_wait=None, poll=0.2):
        self.path = os.path.join(out_dir, LOCK_NAME)
        self.wait = wait
        self.timeout = timeout
        self.on_wait = on_wait
        self.poll = poll
        self.fd = None

    def holder(self):
        """What the lock file says about its holder ('' when unknown)."""
        try:
            with open(self.path, encoding="utf-8", errors="replace") as fp:
                return fp.read(200).strip()
        except OSError:
            return ""

    def acquire(self):
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        start = time.monotonic()
        told = False
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    holder = self.holder()
                    if not self.wait:
                        who = f" ({holder})" if holder else ""
                        raise LockedError(f"another clt batch is running on this output directory{who}",
                                          source=os.path.dirname(self.path),
                                          hint="use --wait to wait for it") from None
                    if self.timeout is not None and time.monotonic() - start >= self.timeout:
                        raise LockedError(f"still locked after {self.timeout:g} s"
                                          + (f" ({holder})" if holder else ""),
                                          source=os.path.dirname(self.path)) from None
                    if not told and self.on_wait:
                        self.on_wait(holder)
                        told = True
                    time.sleep(self.poll)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        info = (f"pid {os.getpid()} on {socket.gethostname()} since "
                f"{time.strftime('%Y-%m-%d %H:%M:%S %Z', time.localtime())}\n").encode()
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, info, 0)
        except OSError:
            pass
        return self

    def release(self):
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
        except OSError:
            pass
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)
            self.fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
        return False
