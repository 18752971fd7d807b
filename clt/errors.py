"""Exceptions raised by the clt library.

The command line turns a :class:`CltError` into one line on stderr
(``clt: FILE:LINE: message``) and a non-zero exit status; library users can
catch them like any other exception.
"""


class CltError(Exception):
    """Base class of every error clt raises on purpose."""

    exit_code = 1

    def __init__(self, message, source=None, line=None, page=None, hint=None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.page = page
        self.hint = hint

    def where(self):
        parts = []
        if self.source:
            parts.append(str(self.source))
        if self.line is not None:
            parts.append(str(self.line))
        where = ":".join(parts)
        if self.page is not None:
            where = f"{where} page {self.page}" if where else f"page {self.page}"
        return where

    def __str__(self):
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text = f"{text} ({self.hint})"
        return text


class InputError(CltError):
    """The input is not what the stage can read (bad JSON, bad file type...)."""


class DecodeError(InputError):
    """Bytes that cannot be decoded as text in any supported encoding."""


class ExtractError(CltError):
    """A source document (PDF, DOCX, HTML...) cannot be read."""


class OutputError(CltError):
    """An output cannot be written (read-only place, disk full...).  A path that
    names a missing directory or a directory is a :class:`UsageError`."""


class UsageError(CltError):
    """Options that contradict each other or name something that does not exist."""

    exit_code = 2
