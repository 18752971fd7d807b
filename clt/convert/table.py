"""CSV and TSV: one row per article, or per 款 / 项 with ``level``.

Columns (a header row first):

``article`` level
    law, path, label, num, sub, text
``paragraph`` level
    law, path, label, num, sub, paragraph, text — one row per 款 (its 项
    are lines of its text)
``item`` level
    law, path, label, num, sub, paragraph, item, text — one row per 款
    lead text and one per 项 / 目 (``item`` is the label chain, ``（二）3.``)

``path`` is the heading trail joined with `` / ``; ``text`` keeps its line
breaks (quoted, as Excel and every CSV reader expect).  Excel-safe: RFC
4180 quoting with CRLF row ends, every text field quoted, numbers bare,
and an optional UTF-8 BOM (``bom``) so Excel picks the encoding.  TSV is
tab-separated and quotes only the fields that need it (those holding a
tab, a quote or a line break).  Streams: one row out per record in.

``diff`` output gives one row per change: op, old, new, similarity,
old_text, new_text.
"""

import csv
import io

from clt.convert.markdown import side_labels, side_text
from clt.convert.tree import law_title, para_lines

LEVELS = ("article", "paragraph", "item")


class _Format:
    BINARY = False
    STREAMING = True
    CHANGES = True
    OPTIONS = ("level", "bom")

    def __init__(self, ext, delimiter):
        self.EXT = ext
        self.delimiter = delimiter

    def render(self, events, level="article", bom=False, **_):
        return render(events, delimiter=self.delimiter, level=level, bom=bom,
                      quoting=csv.QUOTE_NONNUMERIC if self.delimiter == "," else csv.QUOTE_MINIMAL)


CSV = _Format("csv", ",")
TSV = _Format("tsv", "\t")

HEADERS = {
    "article": ["law", "path", "label", "num", "sub", "text"],
    "paragraph": ["law", "path", "label", "num", "sub", "paragraph", "text"],
    "item": ["law", "path", "label", "num", "sub", "paragraph", "item", "text"],
}
CHANGE_HEADER = ["op", "old", "new", "similarity", "old_text", "new_text"]


def _rows(ev, title, level):
    trail = " / ".join(ev["trail"])
    head = [title, trail, ev["label"], ev["num"], ev["sub"]]
    paras = ev["paras"]
    if level == "article":
        yield head + ["\n".join(para_lines(paras))]
        return
    for i, p in enumerate(paras, 1):
        if level == "paragraph":
            yield head + [i, "\n".join(para_lines([p]))]
            continue
        if p["text"] or not p["items"]:
            yield head + [i, "", p["text"]]

        def walk(items, prefix):
            for it in items:
                label = prefix + (it.get("label") or "")
                yield head + [i, label.strip(), it.get("text") or ""]
                yield from walk(it.get("items") or (), label)

        yield from walk(p["items"], "")


def render(events, delimiter=",", level="article", bom=False, quoting=csv.QUOTE_NONNUMERIC):
    if level not in LEVELS:
        from clt.errors import UsageError

        raise UsageError(f"unknown --level {level!r}", hint="one of " + ", ".join(LEVELS))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    header_done = False
    title = ""

    def flush():
        s = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return s

    for ev in events:
        kind = ev["ev"]
        if kind == "law":
            title = law_title(ev["doc"]) or ""
        elif kind == "article":
            if not header_done:
                writer.writerow(HEADERS[level])
                header_done = True
            for row in _rows(ev, title, level):
                writer.writerow(["" if v is None else v for v in row])
        elif kind == "change":
            if not header_done:
                writer.writerow(CHANGE_HEADER)
                header_done = True
            rec = ev["rec"]
            sim = rec.get("similarity")
            if not isinstance(sim, (int, float)) or isinstance(sim, bool):
                sim = ""
            writer.writerow([str(rec.get("op") or ""), side_labels(rec.get("old")),
                             side_labels(rec.get("new")), sim,
                             side_text(rec.get("old")), side_text(rec.get("new"))])
        else:
            continue
        s = flush()
        if s:
            if bom:
                s = "\ufeff" + s
                bom = False
            yield s


__all__ = ["CSV", "TSV", "render"]
