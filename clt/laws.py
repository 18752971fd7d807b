"""One law out of a stream that holds several (a bulletin prints many).

:func:`select_law` is what ``--law`` does on every command that takes it
(``convert``, ``diff``, ``get``, ``refs``): it keeps the records of the one
law chosen by its title or its place in the stream.
"""

from clt.errors import UsageError

__all__ = ["select_law", "matches"]


def _norm(s):
    return "".join((s or "").split()).replace("（", "(").replace("）", ")")


def matches(title, wanted):
    """How *title* matches *wanted*: 2 the same title, 1 *wanted* is part of
    it (white space ignored, （） and () alike), 0 not at all."""
    t, w = _norm(title), _norm(wanted)
    if not w:
        return 0
    if t == w:
        return 2
    return 1 if w in t else 0


def select_law(records, law, source=None):
    """The records of the one law in *records* that *law* names.

    *law* is a title — the exact title, or a part of it (``网络安全法``) —
    or the law's place in the stream as a number (``2``: the second law).
    An exact title wins over partial matches.  The stream is ``split``
    output; text (``line`` or ``para`` records) is normalized and split on
    the fly.  Records outside every law (``source``, text before the first
    title) are left out.  The whole stream is read, one law held in memory
    at a time.  Raises :class:`~clt.errors.UsageError` (naming *source*,
    and listing the laws there are) when no law matches, when *law* is a
    part of several titles and none is exactly it, or when the number is
    past the last law.
    """
    from clt.convert import structured

    wanted = str(law).strip()
    index = int(wanted) if wanted.isdigit() else None
    titles = []          # every law's title, for the message
    best, best_rank, partial = None, 0, []
    current, current_rank = None, 0
    for rec in structured(records):
        t = rec.get("type")
        if t == "document":
            if current is not None:  # the law before ended without a document_end
                best, best_rank = current, current_rank
            title = rec.get("title") or ""
            titles.append(title)
            if index is not None:
                current_rank = 2 if len(titles) == index else 0
            else:
                current_rank = matches(title, wanted)
                if current_rank == 1:
                    partial.append(title)
            current = [rec] if current_rank > best_rank else None
            continue
        if current is not None:
            current.append(rec)
            if t == "document_end":
                best, best_rank = current, current_rank
                current = None
    if current is not None:  # a law with no document_end (a cut stream)
        best, best_rank = current, current_rank
    if best is None:
        listed = "; ".join(f"{i}. {t}" for i, t in enumerate(titles, 1)) or "none"
        if index is not None:
            raise UsageError(f"--law {wanted}: the input holds {len(titles)} law(s)", source=source,
                             hint=f"laws: {listed}")
        raise UsageError(f"--law {wanted!r}: no law with that title", source=source, hint=f"laws: {listed}")
    if best_rank == 1 and len(partial) > 1:
        raise UsageError(f"--law {wanted!r} is part of {len(partial)} titles", source=source,
                         hint="give more of the title, or its number: " + "; ".join(
                             f"{titles.index(t) + 1}. {t}" for t in partial))
    return iter(best)
