"""Group a ``split`` record stream into laws, headings and articles.

Every output format walks the same normalised view of the stream, made here
once: :func:`walk` turns records into *events* (plain dicts with an ``ev``
key) in document order, and :func:`laws` collects the events of one law at a
time into a nested tree for the formats that need the whole law (HTML, Akoma
Ntoso, DOCX, JSON).  Both stream: :func:`walk` holds one record (plus the
notice blocks waiting for their law), :func:`laws` one law.

Events:

``{"ev": "law", "doc": <document record>, "index": n, "front": [blocks]}``
    opens law *n* (1-based); ``front`` holds the ``notice`` blocks printed
    before its title (公告, 主席令).  A stream of articles with no
    ``document`` record gets a synthetic one (``title`` None).
``{"ev": "heading", "rec": <heading>, "depth": d, "hid": "part-1-chp-2", "eid": "part_1__chp_2"}``
    *depth* is the nesting depth (1 for the outermost heading of the law),
    so a 章 is depth 1 in a law without 编 and depth 2 in one with them.
``{"ev": "article", "rec": <article>, "depth": d, "paras": [...], "hid": "art-12", "eid": "chp_1__art_12"}``
    ``paras`` is the article's 款 as ``[{"text", "items": [{"label", "text", "items"}]}]``,
    checked against the article's ``text`` (the authoritative field): when
    the record's ``paragraphs`` do not reproduce ``text`` exactly, they are
    rebuilt from ``text`` (one 款 per line, ``（一）`` lines as 项).
``{"ev": "block", "rec": <block>, "depth": d}``
    unnumbered text in place (preamble, closing text, annex ...).
``{"ev": "end", "doc": ..., "index": n, "articles": k}`` closes a law.
``{"ev": "change", "rec": ...}`` / ``{"ev": "summary", "rec": ...}``
    ``diff`` output (``change`` and ``heading_change`` records, the
    ``summary``), passed on for the formats that can show it.

Document trees written by ``convert --to json`` are read back too
(:func:`expand_trees`), so a saved tree converts to every other format.

Records of other types (``source``, ``page``, ``line``, ``para``,
``removed``, ``warning`` and unknown ones) are skipped; they are counted in
:attr:`Walk.skipped` so an error can say what the stream held instead.
"""

import logging

from clt.errors import InputError
from clt.labels import LEVEL_ORDER, SPACES, match_label
from clt.numerals import to_int

log = logging.getLogger("clt.convert")

#: short names used in ids and eIds, after the Akoma Ntoso naming convention
LEVEL_ABBR = {"part": "part", "subpart": "subpart", "chapter": "chp", "section": "sec",
              "annex": "annex", "title": "title", "book": "book"}

STRUCTURE_TYPES = {"document", "heading", "article", "block", "change", "summary"}


# --------------------------------------------------------------------------- articles

def _as_int(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str) and v.strip():
        return to_int(v.strip())
    return None


def item_lines(item):
    """The printed lines of one 项 and its 目: label + text, then its sub-items."""
    yield (item.get("label") or "") + (item.get("text") or "")
    for sub in item.get("items") or ():
        yield from item_lines(sub)


def para_lines(paras):
    """The printed lines of an article's 款 (the lines of ``text``)."""
    for p in paras:
        if p["text"] or not p["items"]:
            yield p["text"]
        for item in p["items"]:
            yield from item_lines(item)


def article_lines(ev):
    """The printed lines of an ``article`` event, its label opening the first (第一条　…)."""
    lines = list(para_lines(ev["paras"]))
    label = ev["label"]
    lines[0] = f"{label}\u3000{lines[0]}" if label and lines[0] else (label or lines[0])
    return lines


def _norm_item(item):
    if isinstance(item, str):
        lab = match_label(item, kinds=("item", "subitem", "enum"))
        if lab:
            return {"label": item[:lab.end], "num": lab.num, "text": item[lab.end:], "items": []}
        return {"label": "", "num": None, "text": item, "items": []}
    if not isinstance(item, dict):
        raise TypeError("item is not an object")
    text = item.get("text") or ""
    label = item.get("label") or ""
    if not isinstance(text, str) or not isinstance(label, str):
        raise TypeError("item text/label is not a string")
    if label and text.startswith(label):
        text = text[len(label):]
    elif not label:
        lab = match_label(text, kinds=("item", "subitem", "enum"))
        if lab:
            label, text = text[:lab.end], text[lab.end:]
    num = _as_int(item.get("num"))
    if num is None and label:
        lab = match_label(label, kinds=("item", "subitem", "enum"))
        num = lab.num if lab else None
    return {"label": label, "num": num, "text": text,
            "items": [_norm_item(i) for i in item.get("items") or ()]}


def _norm_para(p):
    if isinstance(p, str):
        return {"text": p, "items": []}
    if not isinstance(p, dict):
        raise TypeError("paragraph is not an object")
    text = p.get("text") or ""
    if not isinstance(text, str):
        raise TypeError("paragraph text is not a string")
    return {"text": text, "items": [_norm_item(i) for i in p.get("items") or ()]}


def _item_node(line, lab):
    """A 项/目 of *line* cut at the end of its label *lab*."""
    return {"label": line[:lab.end], "num": lab.num, "text": line[lab.end:], "items": []}


def paragraphs_from_text(text):
    """An article body (款 joined by newlines, 项 on their own lines) as 款 with 项 and 目.

    A ``（一）`` line is a 项 of the 款 before it; a ``1.`` line is a 目 of the
    项 before it (or a 项 when the 款 has none).  Labels and text are cut
    exactly, so :func:`para_lines` gives back the very same lines.
    """
    paras = []
    for line in text.split("\n"):
        # a 项 belongs to the 款 before it, unless that 款 is an empty line of its own
        # (para_lines prints a 款's text only when it has some or has no 项)
        can_hold = bool(paras) and bool(paras[-1]["text"] or paras[-1]["items"])
        lab = match_label(line, kinds=("item", "subitem")) if can_hold else None
        if lab and lab.kind == "item":
            paras[-1]["items"].append(_item_node(line, lab))
        elif lab and lab.kind == "subitem":
            items = paras[-1]["items"]
            (items[-1]["items"] if items else items).append(_item_node(line, lab))
        else:
            lab = match_label(line, kinds=("item",))
            if lab:  # an article that opens with a 项
                paras.append({"text": "", "items": [_item_node(line, lab)]})
            else:
                paras.append({"text": line, "items": []})
    return paras


def article_paragraphs(rec):
    """The 款 of an article record, normalised and faithful to its ``text``."""
    text = rec.get("text")
    paras = rec.get("paragraphs")
    if isinstance(paras, list) and paras:
        try:
            norm = [_norm_para(p) for p in paras]
        except TypeError:
            norm = None
        if norm is not None:
            if not isinstance(text, str) or list(para_lines(norm)) == text.split("\n"):
                return norm
            log.debug("%s: paragraphs do not match text; using text", rec.get("label"))
    if not isinstance(text, str):
        text = ""
    return paragraphs_from_text(text)


def article_label(rec):
    from clt.labels import article_label as canon

    label = rec.get("label")
    if isinstance(label, str) and label:
        return label
    num = _as_int(rec.get("num"))
    if num is not None:
        return canon(num, _as_int(rec.get("sub")))
    return ""


def article_numbers(rec):
    """(num, sub) of an article record, from its fields or its label."""
    num, sub = _as_int(rec.get("num")), _as_int(rec.get("sub"))
    if num is None:
        lab = match_label(article_label(rec), kinds=("article",))
        if lab:
            num, sub = lab.num, lab.sub
    return num, sub


def heading_text(rec, sep=" "):
    """``第一章 总则``: label and title with *sep* between them."""
    label = rec.get("label") or ""
    title = rec.get("title") or ""
    if label and title and title != label:
        return f"{label}{sep}{title}"
    return label or title  # an unnumbered heading (附则) may carry its name in both


def caption_lines(doc):
    """The 题注 of a document record as printed: a list of lines.

    Accepts ``caption``/``captions``/``preamble``/``history`` as a string or a
    list of strings.  Lines that do not carry their parentheses get one pair
    around the whole, the way the caption is printed under the title.
    """
    for key in ("caption", "captions", "preamble", "history"):
        v = doc.get(key)
        if isinstance(v, str) and v.strip():
            lines = [v]
            break
        if isinstance(v, list) and any(isinstance(x, str) and x.strip() for x in v):
            lines = [x for x in v if isinstance(x, str) and x.strip()]
            break
    else:
        return []
    joined = "".join(lines).strip()
    if joined[:1] in "（(" and joined[-1:] in "）)":
        return lines
    return ["（" + "　".join(l.strip() for l in lines) + "）"]


def caption_display(doc):
    """The 题注 for typeset output (HTML, DOCX, AKN): the line breaks a page
    layout put inside one caption line are dropped (a browser would show them
    as spaces between Chinese characters)."""
    return [l.replace("\r", "").replace("\n", "") for l in caption_lines(doc)]


_SENTENCE_END = tuple("。；：，、！？.;:,!?")


def notice_lines(block):
    """The lines of a notice block (公告, 主席令) with their print role.

    Returns ``[(line, role)]``: ``"head"`` for the short leading lines
    (``杭州市人民代表大会常务委员会公告``, ``第十四号``), ``"sign"`` for the short
    closing lines (issuer, date), ``"body"`` for the text in between — the way
    notices are printed: head centred, signature and date to the right.
    A short line is at most 40 characters and ends without sentence punctuation.
    """
    lines = [l for l in (block.get("text") or "").split("\n") if l.strip()]

    def short(l):
        t = l.strip(SPACES)
        return len(t) <= 40 and not t.endswith(_SENTENCE_END)

    roles = ["body"] * len(lines)
    i = 0
    while i < len(lines) and short(lines[i]):
        roles[i] = "head"
        i += 1
    if i < len(lines):  # there is a body: its short closing lines are the signature
        j = len(lines) - 1
        while j > i and short(lines[j]):
            roles[j] = "sign"
            j -= 1
    return list(zip(lines, roles))


def law_title(doc):
    t = doc.get("title")
    return t if isinstance(t, str) and t.strip() else None


# --------------------------------------------------------------------------- reading trees back

def expand_trees(records):
    """Records with any ``convert --to json`` trees flattened back into split records.

    A ``document`` record carrying ``children`` becomes the ``document``, its
    ``front`` notice blocks and the ``heading``/``article``/``block`` records
    in document order, each heading and article with its ``path`` restored.
    Other records pass as they are.
    """
    for rec in records:
        if rec.get("type") == "document" and isinstance(rec.get("children"), list):
            doc = {k: v for k, v in rec.items() if k not in ("children", "front")}
            yield doc
            for b in rec.get("front") or ():
                if isinstance(b, dict):
                    yield dict(b, type="block")
            yield from _expand_children(rec["children"], [])
        else:
            yield rec


def _expand_children(children, path):
    for c in children:
        if not isinstance(c, dict):
            continue
        t = c.get("type")
        out = {k: v for k, v in c.items() if k not in ("children", "id")}
        if t == "heading":
            out["path"] = list(path)
            yield out
            yield from _expand_children(c.get("children") or [], path + [heading_text(c)])
        elif t == "article":
            out["path"] = list(path)
            yield out
        else:
            yield out


# --------------------------------------------------------------------------- walking

class Walk:
    """Iterate the events of a record stream; counts what it saw."""

    def __init__(self, records):
        self.records = records
        self.articles = 0
        self.laws = 0
        self.changes = 0
        self.skipped = {}

    # ids ------------------------------------------------------------------
    def _unique(self, ident):
        n = self._ids.get(ident, 0) + 1
        self._ids[ident] = n
        return ident if n == 1 else f"{ident}-{n}"

    def _heading_ids(self, level, num, depth):
        abbr = LEVEL_ABBR.get(level, level if isinstance(level, str) and level.isalnum() else "h")
        n = str(num) if num is not None else str(self._anon + 1)
        if num is None:
            self._anon += 1
        parent = self._stack[depth - 2][1] if depth > 1 else None
        hid = f"{parent['hid']}-{abbr}-{n}" if parent else f"{abbr}-{n}"
        hid = self._unique(hid)
        eid = f"{parent['eid']}__{abbr}_{n}" if parent else f"{abbr}_{n}"
        return hid, eid

    # stack ----------------------------------------------------------------
    @staticmethod
    def _rank(level):
        try:
            return LEVEL_ORDER.index(level)
        except ValueError:
            return -1  # annex and unknown levels sit at the top

    def _push_heading(self, rec):
        level = rec.get("level")
        num = _as_int(rec.get("num"))
        if num is None:
            lab = match_label(rec.get("label") or "", kinds=LEVEL_ORDER)
            num = lab.num if lab else None
        rank = self._rank(level)
        while self._stack and self._stack[-1][0] >= rank and rank >= 0:
            self._stack.pop()
        if rank < 0:
            self._stack = []
        depth = len(self._stack) + 1
        ev = {"ev": "heading", "rec": rec, "depth": depth}
        self._stack.append((rank, ev))
        ev["hid"], ev["eid"] = self._heading_ids(level, num, depth)
        self._trail = [heading_text(e["rec"]) for _, e in self._stack]
        return ev

    def _headings_from_path(self, path):
        """Heading events for an article path when the stream carries no heading records."""
        path = [p for p in path if isinstance(p, str)]
        if path == self._trail:
            return []
        common = 0
        while common < min(len(path), len(self._trail)) and path[common] == self._trail[common]:
            common += 1
        self._stack = self._stack[:common]
        out = []
        for p in path[common:]:
            lab = match_label(p, kinds=LEVEL_ORDER)
            if lab:
                rec = {"type": "heading", "level": lab.kind, "label": lab.label, "num": lab.num,
                       "title": lab.rest}
            else:
                rec = {"type": "heading", "level": "part", "label": "", "num": None,
                       "title": p.strip(SPACES)}
            # keep every level the path lists, however its labels rank
            depth = len(self._stack) + 1
            ev = {"ev": "heading", "rec": rec, "depth": depth}
            self._stack.append((self._rank(rec["level"]), ev))
            ev["hid"], ev["eid"] = self._heading_ids(rec["level"], rec["num"], depth)
            out.append(ev)
        self._trail = path
        return out

    # laws -----------------------------------------------------------------
    def _open(self, doc, front):
        self.laws += 1
        self._stack = []
        self._trail = []
        self._ids = {}
        self._anon = 0
        self._law_articles = 0
        self._law_headings = 0
        self._open_doc = doc
        return {"ev": "law", "doc": doc, "index": self.laws, "front": front}

    def _close(self):
        ev = {"ev": "end", "doc": self._open_doc, "index": self.laws, "articles": self._law_articles}
        self._open_doc = None
        return ev

    def __iter__(self):
        self._open_doc = None
        held = None    # the law event, held back while notice blocks may still join its front
        pending = []   # notice blocks seen after a law's content: they introduce the next law
        for rec in expand_trees(self.records):
            t = rec.get("type")
            if t == "document":
                if held is not None:
                    yield held
                    held = None
                if self._open_doc is not None:
                    yield self._close()
                held = self._open(rec, pending)
                pending = []
                continue
            if t in ("change", "heading_change", "summary"):
                if t != "summary":
                    self.changes += 1
                yield {"ev": "summary" if t == "summary" else "change", "rec": rec}
                continue
            if t not in ("heading", "article", "block"):
                self.skipped[t] = self.skipped.get(t, 0) + 1
                continue
            if t == "block" and held is not None and rec.get("kind") == "notice":
                held["front"].append(rec)  # 公告 printed with (split: right after) the document
                continue
            if t == "block" and (rec.get("kind") == "notice" or self._open_doc is None):
                pending.append(rec)
                continue
            if self._open_doc is None:
                held = self._open({"type": "document", "title": None}, pending)
                pending = []
            if held is not None:
                yield held
                held = None
            for b in pending:  # notices that turned out to be inside this law
                yield {"ev": "block", "rec": b, "depth": len(self._stack)}
            pending = []
            if t == "heading":
                self._law_headings += 1
                yield self._push_heading(rec)
            elif t == "article":
                path = rec.get("path")
                if not self._law_headings and isinstance(path, list):
                    yield from self._headings_from_path(path)
                self.articles += 1
                self._law_articles += 1
                num, sub = article_numbers(rec)
                base = f"art-{num}" + (f"-{sub}" if sub else "") if num is not None \
                    else f"art-x{self._law_articles}"
                hid = self._unique(base)
                own = hid.replace("art-", "art_", 1)
                eid = f"{self._stack[-1][1]['eid']}__{own}" if self._stack else own
                yield {"ev": "article", "rec": rec, "depth": len(self._stack),
                       "paras": article_paragraphs(rec), "hid": hid, "eid": eid,
                       "label": article_label(rec), "num": num, "sub": sub,
                       "trail": list(self._trail)}
            else:
                yield {"ev": "block", "rec": rec, "depth": len(self._stack)}
        if pending and self._open_doc is None:
            held = self._open({"type": "document", "title": None}, [])
        if held is not None:
            yield held
        for b in pending:
            yield {"ev": "block", "rec": b, "depth": len(self._stack)}
        if self._open_doc is not None:
            yield self._close()

    def describe_skipped(self):
        if not self.skipped:
            return "the input is empty"
        kinds = ", ".join(f"{n} {t}" for t, n in sorted(self.skipped.items(), key=lambda kv: -kv[1]))
        return f"the input holds {kinds} records"


def walk(records):
    """The events of a record stream (see the module docstring)."""
    return iter(Walk(records))


# --------------------------------------------------------------------------- trees

def build_law(events):
    """Nest the events of one law (``law`` … ``end``) into a tree.

    Returns ``{"law": law event, "children": [...], "end": end event}`` where
    each child is a heading / article / block event; a heading event gets a
    ``children`` list of its own.
    """
    root = None
    stack = []
    for ev in events:
        kind = ev["ev"]
        if kind == "law":
            root = {"law": ev, "children": [], "end": None}
            stack = []
        elif kind == "end":
            root["end"] = ev
        elif kind == "heading":
            node = dict(ev, children=[])
            del stack[ev["depth"] - 1:]
            (stack[-1]["children"] if stack else root["children"]).append(node)
            stack.append(node)
        elif kind in ("article", "block"):
            del stack[ev["depth"]:]
            (stack[-1]["children"] if stack else root["children"]).append(ev)
    return root


def per_law(events):
    """Split an event stream (from :class:`Walk`) into one lazy iterator per law.

    Yields ``(law event, iterator)`` where the iterator runs from the ``law``
    event to its ``end`` event; whatever the caller leaves of it is drained
    before the next law.  Events outside a law (diff output) are skipped.
    """
    events = iter(events)

    def body(first):
        yield first
        for ev in events:
            yield ev
            if ev["ev"] == "end":
                return

    for ev in events:
        if ev["ev"] != "law":
            continue
        it = body(ev)
        yield ev, it
        for _ in it:
            pass


def laws(events):
    """One tree (see :func:`build_law`) per law of the event stream."""
    for _, evs in per_law(events):
        yield build_law(evs)


def no_articles_error(w):
    return InputError(f"no articles to convert: {w.describe_skipped()}",
                      hint="convert reads the output of 'clt split' or the text of a law")
