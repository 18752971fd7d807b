"""HTML -> records, with lxml.

Law databases and government sites publish regulations as web pages: the
law sits in one container among navigation bars, breadcrumbs, share buttons
and footers.  This module

* decodes the bytes (``<meta charset>``, with GB2312/GBK read as their
  superset GB18030; otherwise the foundation's detector);
* drops ``script``, ``style``, ``noscript``, ``template``, forms, comments
  and the ``head``;
* picks the main body: the deepest element that still holds at least
  :data:`MAIN_SHARE` of the page's text outside links (so menus, link lists
  and footers around the law fall away) — or, for a short law among a long
  footer, every article label of the page and :data:`LABEL_SHARE` of its text; what is left out is counted in a
  ``warning`` record, never dropped silently;
* writes one ``line`` per block element (``p``, ``div``, ``h1``…, ``li``…)
  and per ``<br>``, one per line of a ``<pre>`` (its spaces kept), a table
  row as one line with ``cells``; ``tag`` names
  the block, ``align`` comes from ``align=``/``text-align``, ``bold`` is
  set when the whole line is in ``b``/``strong``/``h1``–``h6``.

Whitespace follows HTML: runs of ASCII white space collapse to one space,
and a space that only comes from a source line break between two CJK
characters is dropped (browsers do not show it either); ``&nbsp;`` and
U+3000 are real characters and stay.
"""

import re

from clt.extract.layout import is_cjk
from clt.records import record, source_record
from clt.textio import decode_bytes
from clt import recache

MAIN_SHARE = 0.8
DROP = {"script", "style", "noscript", "template", "head", "form", "button", "select", "option", "textarea",
        "iframe", "object", "embed", "svg", "canvas", "input", "nav"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table",
         "tbody", "thead", "tfoot", "section", "article", "main", "header", "footer", "aside", "blockquote",
         "pre", "center", "address", "figure", "figcaption", "hr", "body", "html", "caption", "fieldset",
         "legend", "details", "summary", "tr", "td", "th"}
BOLD = {"b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "th"}
CHARSET_RE = recache.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
ALIGN_RE = recache.compile(r"text-align\s*:\s*(left|right|center|justify)", re.IGNORECASE)
WS_RE = recache.compile(r"[ \t\r\n\f\v]+")
WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
         "big5": "big5hkscs", "iso-8859-1": None, "ascii": None, "us-ascii": None}


def _decode(data, name, encoding=None):
    if encoding:
        return decode_bytes(data, encoding, source=name)
    m = CHARSET_RE.search(data[:8192])
    if m:
        cs = m.group(1).decode("ascii", "replace").lower()
        cs = WIDEN.get(cs, cs)
        if cs:
            try:
                return data.decode(cs), cs
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_bytes(data, None, source=name)


def _text_len(el):
    """Characters of text in *el* outside links (ASCII white space ignored)."""
    n = 0
    for t in el.itertext():
        n += len(WS_RE.sub("", t))
    for a in el.iter("a"):
        n -= sum(len(WS_RE.sub("", t)) for t in a.itertext())
    return max(n, 0)


#: a container holding every article label (第一条…) needs this share of the page's text
LABEL_SHARE = 0.5
_LABEL_RE = recache.compile(r"^[ \t\r\n\u3000\u00a0]*第[一二三四五六七八九十百千零〇两]+条")


def _labels(el):
    """Text pieces of *el* that open with an article label (第一条)."""
    return sum(1 for t in el.itertext() if _LABEL_RE.match(t))


CONTAINERS = {"div", "section", "article", "main", "table", "tbody", "tr", "td", "center", "body", "html",
              "font", "span", "form"}
HEADINGS = ("h1", "h2", "h3")


def _main(body):
    """The main body: the deepest container holding at least MAIN_SHARE of the page's non-link text.

    Only containers (``div``, ``td``, ``article``...) are candidates — never a
    single paragraph — and a container is not entered when a heading
    (``h1``–``h3``) would be left outside it (that is likely the law's title).
    Returns ``(element, characters left outside)``.
    """
    total = _text_len(body)
    node = body
    if not total:
        return body, 0
    while True:
        best = None
        for child in node:
            if not isinstance(child.tag, str) or child.tag.lower() not in CONTAINERS:
                continue
            if _text_len(child) >= MAIN_SHARE * total:
                best = child
                break
        if best is None:
            # a short law among a site's footer and menus: the container that holds every
            # article label of the page and at least half of its text
            labels = _labels(node)
            for child in node if labels >= 2 else ():
                if isinstance(child.tag, str) and child.tag.lower() in CONTAINERS \
                        and _text_len(child) >= LABEL_SHARE * total and _labels(child) == labels:
                    best = child
                    break
        if best is not None:
            inside = set(best.iter(*HEADINGS))
            if any(h not in inside and _text_len(h) for h in node.iter(*HEADINGS)):
                best = None
        if best is None:
            return node, total - _text_len(node)
        node = best


def _align(el):
    a = (el.get("align") or "").lower()
    m = ALIGN_RE.search(el.get("style") or "")
    if m:
        a = m.group(1).lower()
    return a if a in ("left", "right", "center", "justify") else None


class _Lines:
    """Collects inline text into lines, one per block / <br>."""

    def __init__(self):
        self.lines = []
        self.cur = []  # (text, bold)
        self.attrs = {}
        self.blocks = []  # tags of the open block elements

    def add(self, text, bold):
        if text:
            self.cur.append((text, bold))

    def flush(self, **attrs):
        text = _collapse("".join(t for t, _ in self.cur))
        if text.strip(" "):
            ink = [(t, b) for t, b in self.cur if t.strip()]
            rec = {"text": text, "bold": bool(ink) and all(b for _, b in ink)}
            rec.update({k: v for k, v in (self.attrs or attrs).items() if v is not None})
            self.lines.append(rec)
        self.cur = []
        self.attrs = {}


def _collapse(text):
    """HTML white space: runs -> one space, none between CJK, none at the ends."""
    parts = WS_RE.split(text)
    out = parts[0] if parts else ""
    for p in parts[1:]:
        if out and p and is_cjk(out[-1]) and is_cjk(p[0]):
            out += p
        elif out and p:
            out += " " + p
        else:
            out += p
    return out.strip(" ")


def _walk(el, lines, bold=False, block_attrs=None):
    tag = el.tag.lower() if isinstance(el.tag, str) else None
    if tag is None:  # comment / processing instruction
        if el.tail:
            lines.add(el.tail, bold)
        return
    if tag in DROP:
        if el.tail:
            lines.add(el.tail, bold)
        return
    if tag == "br":
        lines.flush()
        if lines.blocks:  # the block goes on after the break
            lines.attrs = {"tag": lines.blocks[-1], "continued": True}
        if el.tail:
            lines.add(el.tail, bold)
        return
    if tag == "tr" and _data_row(el):
        lines.flush()
        cells = []
        for cell in el:
            if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th"):
                sub = _Lines()
                for x in _iter_inline(cell, cell.tag.lower() == "th"):
                    sub.add(*x)
                sub.flush()
                cells.append(" ".join(l["text"] for l in sub.lines))
        if any(c for c in cells):
            lines.lines.append({"text": "\t".join(cells), "tag": "tr", "cells": cells})
        if el.tail:
            lines.add(el.tail, bold)
        return
    if tag == "pre":  # preformatted: its own line breaks and spaces are the text
        lines.flush()
        text = "".join(t for t in _pre_text(el))
        for line in text.split("\n"):
            if line.strip():
                lines.lines.append({"text": line.rstrip(), "bold": False, "tag": "pre"})
        if el.tail:
            lines.add(el.tail, bold)
        return
    is_block = tag in BLOCK
    b = bold or tag in BOLD
    if is_block:
        lines.flush()
        lines.attrs = {"tag": tag, "align": _align(el)}
        lines.blocks.append(tag)
    if el.text:
        lines.add(el.text, b)
    for child in el:
        _walk(child, lines, b)
        if is_block and not lines.cur and not lines.attrs:
            lines.attrs = {"tag": tag, "align": _align(el)}
    if is_block:
        lines.flush()
        lines.blocks.pop()
    if el.tail:
        lines.add(el.tail, bold)


def _pre_text(el):
    """Text of a <pre>, <br> as a line break, dropped elements left out."""
    if el.text:
        yield el.text
    for child in el:
        t = child.tag.lower() if isinstance(child.tag, str) else None
        if t == "br":
            yield "\n"
        elif t and t not in DROP:
            yield from _pre_text(child)
        if child.tail:
            yield child.tail


def _data_row(tr):
    """True for a row of data cells; False for a layout row whose cells hold blocks (a whole law)."""
    for cell in tr:
        if not isinstance(cell.tag, str):
            continue
        for d in cell.iterdescendants():
            if isinstance(d.tag, str) and (d.tag.lower() in BLOCK or d.tag.lower() == "br"):
                return False
    return True


def _iter_inline(el, bold):
    """(text, bold) pieces of a table cell, <br> and blocks as spaces."""
    if el.text:
        yield el.text, bold
    for child in el:
        t = child.tag.lower() if isinstance(child.tag, str) else None
        if t and t not in DROP:
            if t == "br" or t in BLOCK:
                yield " ", bold
            yield from _iter_inline(child, bold or t in BOLD)
        if child.tail:
            yield child.tail, bold


def extract_html(data, name, encoding=None):
    """Records of one HTML page given as bytes."""
    import lxml.html

    text, enc = _decode(data, name, encoding)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text or "<html></html>")
    except Exception as e:
        from clt.errors import ExtractError

        raise ExtractError(f"not a readable HTML page: {e}", source=name) from None
    title = root.findtext(".//title")
    body = root.find("body")
    if body is None:
        body = root
    main, outside = _main(body)
    src = source_record(name, "html", encoding=enc)
    if title and title.strip():
        src["title"] = title.strip()
    yield src
    yield record("page", source=name, page=1)
    lines = _Lines()
    _walk(main, lines)
    lines.flush()
    for n, l in enumerate(lines.lines, 1):
        rec = record("line", source=name, page=1, line=n, text=l.pop("text"))
        rec.update(l)
        yield rec
    if outside:
        yield record("warning", stage="extract", source=name, code="html-outside-main",
                     message=f"{outside} characters outside the main text (navigation, footers) left out")
