"""Articles fetched by their citation: ``第十条``, ``第十条第二款``, ``10.2.3``, ``第十条至第十二条``.

:func:`lookup` reads ``split`` output and yields the records a citation
names: the ``article`` record, or for a 款 / 项 a ``paragraph`` / ``item``
record shaped as ``clt split --level item`` writes them.  :func:`render_text`
prints them as the law prints them (``第十条　…``).
"""

from clt.citations import parse
from clt.convert.tree import article_lines, article_paragraphs, item_lines, para_lines
from clt.errors import CltError, UsageError
from clt.labels import article_label
from clt.numerals import int2cn

__all__ = ["lookup", "render_text", "NotFound"]


class NotFound(CltError):
    """The citation names nothing in the law (exit status 1)."""


def _query(citation, para=None, item=None):
    ref = parse(citation)
    if ref is None:
        raise UsageError(f"not a citation: {citation!r}", hint="e.g. 第十条, 第十条第二款, 10, 10.2, 10-12")
    lv = ref.levels
    if any(not isinstance(v, int) for v in lv.values()) or ref.law not in (None, "self"):
        raise UsageError(f"{citation!r} is not a citation of an article of this law",
                         hint="relative citations (前款, 本条) and other laws cannot be looked up")
    if "article" not in lv:
        raise UsageError(f"{citation!r} names no article", hint="e.g. 第十条第二款")
    if para is not None:
        if "para" in lv:
            raise UsageError("--para given twice (in the citation and as an option)")
        lv = dict(lv, para=para)
    if item is not None:
        if "item" in lv:
            raise UsageError("--item given twice (in the citation and as an option)")
        lv = dict(lv, item=item)
    if "item" in lv and "para" not in lv:
        lv = dict(lv, para=None)  # the 项 in whichever 款 has it
    if ref.to is not None and (para is not None or item is not None or set(ref.to) - {"article"}
                               or set(lv) - {"article"}):
        raise UsageError("a range of articles cannot name a 款 or 项")
    return ref, lv


def lookup(records, citation, para=None, item=None, source=None):
    """The records *citation* names in the law of *records*, in order.

    *para* / *item* (1-based) narrow an article citation to one 款 / 项
    (``lookup(recs, "10", para=2, item=3)`` is ``第十条第二款第（三）项``).
    A range (``第十条至第十二条``, ``10-12``) yields every article from the
    first to the last in the order of the law.  Raises
    :class:`~clt.errors.UsageError` for what is not a citation of an
    article, and :class:`NotFound` when the law holds no such unit, or when
    *records* hold several laws (pick one with :func:`clt.laws.select_law`).
    """
    ref, lv = _query(citation, para, item)
    want = (lv["article"], ref.sub)
    last = (ref.to["article"], ref.to_sub) if ref.to is not None else None
    laws = []
    found = []
    inside = last is None
    for rec in records:
        t = rec.get("type")
        if t == "document":
            laws.append(rec.get("title") or "")
            continue
        if t != "article":
            continue
        key = (rec.get("num"), rec.get("sub") or None)
        if last is not None:
            if key == want:
                inside = True
            if inside:
                found.append((len(laws), rec))
            if key == last and inside:
                inside = False
            continue
        if key == want:
            found.append((len(laws), rec))
    where = f" in {laws[0]}" if len(laws) == 1 and laws[0] else ""
    label = article_label(*want)
    if not found:
        raise NotFound(f"no {label}{where}", source=source)
    if len({n for n, _ in found}) > 1:
        raise NotFound(f"{label} is in {len({n for n, _ in found})} laws of the input", source=source,
                       hint="choose one with --law TITLE or --law N: " + "; ".join(
                           f"{i}. {t}" for i, t in enumerate(laws, 1)))
    if last is not None:
        if (found[-1][1].get("num"), found[-1][1].get("sub") or None) != last:
            raise NotFound(f"no {article_label(*last)} after {label}{where}", source=source)
        for _, rec in found:
            yield rec
        return
    rec = found[0][1]
    if lv.get("para", "absent") == "absent" and "item" not in lv:
        yield rec
        return
    yield _unit(rec, lv, label, where, source)


def _unit(rec, lv, label, where, source):
    paras = article_paragraphs(rec)
    p = lv.get("para")
    it = lv.get("item")
    if p is None:  # a 项 of whichever 款 has it (the first that has that many)
        p = next((i for i, x in enumerate(paras, 1) if len(x["items"]) >= it), None)
        if p is None:
            raise NotFound(f"{label} has no 第（{int2cn(it)}）项{where}", source=source)
    if not 1 <= p <= len(paras):
        raise NotFound(f"{label} has no 第{int2cn(p)}款{where}", source=source)
    paragraph = paras[p - 1]
    base = {"article": rec.get("label"), "num": rec.get("num"), "sub": rec.get("sub")}
    if it is None:
        return dict({"type": "paragraph"}, **base, index=p, text=paragraph["text"],
                    items=paragraph["items"], path=rec.get("path") or [])
    if not 1 <= it <= len(paragraph["items"]):
        raise NotFound(f"{label}第{int2cn(p)}款 has no 第（{int2cn(it)}）项{where}", source=source)
    node = paragraph["items"][it - 1]
    out = {"type": "item", "article": rec.get("label"), "paragraph": p, "label": node.get("label"),
           "num": node.get("num"), "text": node.get("text"), "items": node.get("items") or [],
           "path": rec.get("path") or []}
    sub = lv.get("subitem")
    if sub is not None:
        if not 1 <= sub <= len(out["items"]):
            raise NotFound(f"{label} has no such 目{where}", source=source)
    return out


def render_text(rec):
    """The printed lines of a record :func:`lookup` yields, as one string."""
    t = rec.get("type")
    if t == "article":
        return "\n".join(article_lines({"label": rec.get("label"), "paras": article_paragraphs(rec)}))
    if t == "paragraph":
        return "\n".join(para_lines([{"text": rec.get("text") or "", "items": rec.get("items") or []}]))
    return "\n".join(item_lines(rec))
