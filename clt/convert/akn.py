"""Akoma Ntoso 3.0 XML: one ``<akomaNtoso><act>`` per law, built with lxml.

* ``meta/identification`` carries the FRBR Work / Expression / Manifestation
  from the document record: ``FRBRthis``/``FRBRuri`` as
  ``/akn/cn/act/<date>/<name>`` (``<name>`` from the document's ``id`` or
  ``name`` field, else derived from the title); the Work's ``FRBRdate`` is
  the date of the document record (``date``/``adopted``/``promulgated``) or
  the first date of its 题注, the Expression's the date of the latest
  修正/修订 in the 题注 (``zho@<date>`` when the text was amended); ``FRBRname`` the title,
  ``FRBRlanguage`` ``zho``.
* ``preface`` holds the title (``docTitle``) and the 题注; ``notice`` blocks go
  to ``preface`` too, a ``preamble`` block to ``preamble``.
* ``body`` nests ``part``/``subpart``/``chapter``/``section`` (anything else,
  e.g. ``annex``, as ``hcontainer``) → ``article`` → ``paragraph`` (款) →
  ``list`` with ``intro`` and ``point`` (项, 目 as nested lists); every
  element carries ``num``/``heading`` and an ``eId`` after the naming
  convention: ``chp_1__art_3__para_2__list_1__point_4``; an inserted article
  第二百八十七条之一 is ``art_287-1``.  Unnumbered text inside the body becomes
  ``hcontainer name="block"``.

The XML is well-formed by construction; one law per file (several laws in
one stream need ``-o DIR``).
"""

import datetime
import re

from lxml import etree

from clt import __version__
from clt.convert.tree import caption_display, caption_lines, law_title, laws
from clt.errors import UsageError
from clt.numerals import cn2int
from clt import recache

EXT = "xml"
BINARY = False
STREAMING = False
CHANGES = False
OPTIONS = ()

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
E = "{%s}" % NS
LEVEL_ELEMENTS = {"part": "part", "subpart": "subpart", "chapter": "chapter", "section": "section"}

_DATE_AR = recache.compile(r"([0-9０-９]{4})\s*年\s*([0-9０-９]{1,2})\s*月\s*([0-9０-９]{1,2})\s*日")
_DATE_CN = recache.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def _iso(y, m, d):
    try:
        return datetime.date(y, m, d).isoformat()
    except ValueError:
        return None


def dated_events(text):
    """``[(iso date, what)]`` for the dates written in *text* (2020年10月27日 or
    二〇二〇年十月二十七日), in order; *what* is the text up to the next date
    (``…会议通过``, ``…第一次修正``)."""
    found = []
    for m in _DATE_AR.finditer(text or ""):
        found.append((m.start(), m.end(), _iso(*(cn2int(g) for g in m.groups()))))
    for m in _DATE_CN.finditer(text or ""):
        try:
            found.append((m.start(), m.end(), _iso(*(cn2int(g) for g in m.groups()))))
        except ValueError:
            continue
    found.sort()
    out = []
    for i, (start, end, iso) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(text)
        if iso:
            out.append((iso, text[end:stop]))
    return out


def find_date(text):
    """The first date written in *text*, ISO, or None."""
    events = dated_events(text)
    return events[0][0] if events else None


_AMENDED = recache.compile(r"修正|修订|修改")


def work_dates(doc):
    """(work date, expression date) of a document record, ISO, or (None, None).

    The work is dated by the document's ``date``/``adopted``/``promulgated``
    field or the first date of its 题注 (adoption); the expression — this
    version of the text — by the latest 修正/修订 (amendment) the 题注 records,
    else it is the work's own date (an approval, 批准, does not change the text).
    """
    events = dated_events("\n".join(caption_lines(doc)))
    work = None
    for key in ("date", "adopted", "promulgated"):
        v = doc.get(key)
        if isinstance(v, str):
            if re.match(r"^\d{4}-\d{2}-\d{2}$", v):
                work = v
            else:
                work = find_date(v)
            if work:
                break
    work = work or (events[0][0] if events else None)
    amended = [d for d, what in events if _AMENDED.search(what)]
    expr = amended[-1] if amended else work
    if expr and work and expr < work:
        expr = work
    return work, expr


def work_name(doc, index):
    for key in ("id", "name", "slug"):
        v = doc.get(key)
        if isinstance(v, str) and re.match(r"^[A-Za-z0-9._-]+$", v):
            return v
    title = law_title(doc) or f"law-{index}"
    # FRBR names are URI components: keep CJK characters, drop separators
    name = re.sub(r"[\s/\\?#%&:;'\"<>()（）《》【】\[\]{}|,，、。.]+", "", title)
    return name or f"law-{index}"


def _sub(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, E + tag, {k.rstrip("_"): str(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = text
    return el


def _p(parent, text):
    return _sub(parent, "p", text)


class _Builder:
    def __init__(self, tree, today):
        self.tree = tree
        self.today = today
        self.eids = set()

    def eid(self, base):
        e = base
        n = 1
        while e in self.eids:
            n += 1
            e = f"{base}-{n}"
        self.eids.add(e)
        return e

    def meta(self, act, doc, index):
        date, expr_date = work_dates(doc)
        date_name = "enactment" if date else "unknown"
        date = date or self.today
        expr_date = expr_date or date
        expr_name = "amendment" if expr_date != date else date_name
        name = work_name(doc, index)
        work = f"/akn/cn/act/{date}/{name}"
        expr = f"{work}/zho@{expr_date if expr_date != date else ''}"
        manif = f"{expr}/!main.xml"
        meta = _sub(act, "meta")
        ident = _sub(meta, "identification", source="#clt")
        w = _sub(ident, "FRBRWork")
        _sub(w, "FRBRthis", value=f"{work}/!main")
        _sub(w, "FRBRuri", value=work)
        _sub(w, "FRBRdate", date=date, name=date_name)
        _sub(w, "FRBRauthor", href="#author")
        _sub(w, "FRBRcountry", value="cn")
        title = law_title(doc)
        if title:
            _sub(w, "FRBRname", value=title)
        e = _sub(ident, "FRBRExpression")
        _sub(e, "FRBRthis", value=f"{expr}/!main")
        _sub(e, "FRBRuri", value=expr)
        _sub(e, "FRBRdate", date=expr_date, name=expr_name)
        _sub(e, "FRBRauthor", href="#author")
        _sub(e, "FRBRlanguage", language="zho")
        m = _sub(ident, "FRBRManifestation")
        _sub(m, "FRBRthis", value=manif)
        _sub(m, "FRBRuri", value=f"{expr}.akn")
        _sub(m, "FRBRdate", date=self.today, name="transform")
        _sub(m, "FRBRauthor", href="#clt")
        refs = _sub(meta, "references", source="#clt")
        notice = doc.get("notice") if isinstance(doc.get("notice"), dict) else {}
        author = doc.get("issuer") or doc.get("author") or doc.get("authority") or notice.get("issuer")
        _sub(refs, "TLCOrganization", eId="author", href="/ontology/organization/cn/author",
             showAs=author if isinstance(author, str) and author else "unknown")
        _sub(refs, "TLCOrganization", eId="clt", href="/ontology/organization/clt",
             showAs=f"clt {__version__}")

    def article(self, parent, ev, prefix):
        art = _sub(parent, "article", eId=self.eid(ev["eid"]))
        art_eid = art.get("eId")
        if ev["label"]:
            _sub(art, "num", ev["label"])
        for pi, p in enumerate(ev["paras"], 1):
            para = _sub(art, "paragraph", eId=self.eid(f"{art_eid}__para_{pi}"))
            if p["items"]:
                self.items(para, p["text"], p["items"], f"{art_eid}__para_{pi}")
            else:
                _p(_sub(para, "content"), p["text"])

    def items(self, parent, intro, items, base):
        lst = _sub(parent, "list", eId=self.eid(f"{base}__list_1"))
        list_eid = lst.get("eId")
        if intro:
            _p(_sub(lst, "intro"), intro)
        for n, it in enumerate(items, 1):
            point = _sub(lst, "point", eId=self.eid(f"{list_eid}__point_{it.get('num') or n}"))
            if it.get("label"):
                _sub(point, "num", it["label"])
            if it.get("items"):
                self.items(point, it.get("text") or "", it["items"], point.get("eId"))
            else:
                _p(_sub(point, "content"), it.get("text") or "")

    def block(self, parent, rec, n):
        text = rec.get("text") or ""
        hc = _sub(parent, "hcontainer", name=str(rec.get("kind") or "block"),
                  eId=self.eid(f"{parent.get('eId') + '__' if parent.get('eId') else ''}hcontainer_{n}"))
        content = _sub(hc, "content")
        for line in text.split("\n") or [""]:
            _p(content, line)

    def children(self, parent, nodes):
        nblock = 0
        for n in nodes:
            kind = n["ev"]
            if kind == "heading":
                rec = n["rec"]
                tag = LEVEL_ELEMENTS.get(rec.get("level"))
                attrs = {"eId": self.eid(n["eid"])}
                if tag is None:
                    tag = "hcontainer"
                    attrs["name"] = str(rec.get("level") or "heading")
                el = _sub(parent, tag, **attrs)
                if rec.get("label") and rec.get("label") != rec.get("title"):
                    _sub(el, "num", rec["label"])
                if rec.get("title"):
                    _sub(el, "heading", rec["title"])
                if not n["children"]:
                    # an empty division still needs content to be valid
                    _p(_sub(el, "content"), "")
                self.children(el, n["children"])
            elif kind == "article":
                self.article(parent, n, "")
            elif kind == "block":
                if n["rec"].get("kind") == "toc":
                    continue
                nblock += 1
                self.block(parent, n["rec"], nblock)

    def build(self):
        law = self.tree["law"]
        doc = law["doc"]
        root = etree.Element(E + "akomaNtoso", nsmap={None: NS})
        act = _sub(root, "act", name=work_name(doc, law["index"]))
        self.meta(act, doc, law["index"])
        preface = _sub(act, "preface")
        for b in law["front"]:
            _p(_sub(preface, "container", name="notice", eId=self.eid("notice")), b.get("text") or "")
        title = law_title(doc)
        if title:
            lt = _sub(preface, "longTitle", eId="longTitle")
            dt = _sub(_p(lt, None), "docTitle")
            dt.text = title
        for line in caption_display(doc):
            _p(preface, line).set("class", "caption")
        children = self.tree["children"]
        lead = []
        while children and children[0]["ev"] == "block" and children[0]["rec"].get("kind") == "preamble":
            lead.append(children.pop(0))
        if lead:
            pre = _sub(act, "preamble")
            for b in lead:
                for line in (b["rec"].get("text") or "").split("\n"):
                    _p(pre, line)
        body = _sub(act, "body")
        self.children(body, children)
        if len(body) == 0:
            _sub(body, "hcontainer", name="empty", eId="hcontainer_1")
        return root


def render_tree(tree, today=None):
    """The Akoma Ntoso XML (str) of one law tree."""
    today = today or datetime.date.today().isoformat()
    root = _Builder(tree, today).build()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def render(events, today=None, **_):
    held = None
    for tree in laws(events):
        if held is not None:
            raise UsageError("Akoma Ntoso holds one law per document and the stream holds several",
                             hint="write one file per law with -o DIR")
        held = render_tree(tree, today)
    if held is not None:
        yield held
