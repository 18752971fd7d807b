"""Cross-references resolved: what each article of a law cites, and where that is.

:func:`refs` reads ``split`` output and gives every ``article`` a ``refs``
list — each citation in its ``text`` (found by :mod:`clt.citations`) with its
span, its words as printed and its resolved ``target``: the law (this one, or
another named by 《…》 or its short name, as printed), the article's label and
number, its 款/项/目.  What cannot be resolved says why (``unresolved``); a
target missing from the law (第九十条 in a law of 80 articles) is a
``warning`` on the reference and a ``warning`` record after the article.

References are resolved in their article: 前款 is the 款 before the one it
is printed in, 本条 the article itself, a bare 第二款 a 款 of the same
article, a bare 第（三）项 a 项 of its own 款 or of the nearest 款 before it
that has one, 前条 the article before, 本章/本节 the headings above it.  In an
amending instrument (…修正案, 关于修改《…》的决定) the articles named without a
law are those of the law it amends.

A law is held from its ``document`` to its ``document_end`` (a reference may
point forward), then written; memory stays that of one law.  With
``graph=True`` only ``ref`` records are written: one edge per cited article
(a range gives one per article in it).
"""


from clt.citations import HEADING_LEVELS, RANKS, find
from clt.convert.tree import article_paragraphs, item_lines
from clt.labels import article_label, heading_label
from clt import recache

__all__ = ["refs", "resolve_article", "article_positions", "LawIndex", "anchor"]

STAGE = "refs"
#: an amending instrument and the law it amends
_AMENDS_RE = [recache.compile(r"^(?P<law>.+?)修正案(?:[（(][^）)]*[）)])?$"),
              recache.compile(r"关于修改《(?P<law>[^《》]+)》(?:等[^的]*)?的决定")]
_QUOTE_OPEN, _QUOTE_CLOSE = "“", "”"


def amended_law(title):
    """The title of the law an amending instrument amends, or None."""
    for rx in _AMENDS_RE:
        m = rx.search(title or "")
        if m:
            return m.group("law")
    return None


def anchor(num, sub=None, para=None, item=None):
    """The citation anchor ``clt convert --to html`` gives a unit: art-20, art-287-1, art-20-p2-i3."""
    a = f"art-{num}" + (f"-{sub}" if sub else "")
    if para:
        a += f"-p{para}"
        if item:
            a += f"-i{item}"
    return a


class LawIndex:
    """What a law holds, for resolving references: its articles in order,
    their 款 and 项, its headings."""

    def __init__(self, title=None):
        self.title = title
        self.order = []      # (num, sub) in the order of the law
        self.articles = {}   # (num, sub) -> article record
        self.paras = {}      # (num, sub) -> normalised 款
        self.headings = set()  # (level, num) of every numbered heading, and ("chapter", num) paths

    def add_article(self, rec):
        num, sub = rec.get("num"), rec.get("sub")
        if not isinstance(num, int):
            return
        key = (num, sub or None)
        if key not in self.articles:
            self.order.append(key)
            self.articles[key] = rec
            self.paras[key] = article_paragraphs(rec)

    def add_heading(self, rec):
        if isinstance(rec.get("num"), int) and rec.get("level") in HEADING_LEVELS:
            self.headings.add((rec["level"], rec["num"]))

    def previous(self, key, n=1):
        try:
            i = self.order.index(key)
        except ValueError:
            return None
        return self.order[i - n] if i - n >= 0 else None


def article_positions(rec, paras=None):
    """For each line of an article's ``text``: ``(start offset, 款 index,
    项 index or None, 目 index or None, offset of the unit's own text)``,
    1-based indexes; the lines of ``text`` are those of its 款 and 项."""
    paras = paras if paras is not None else article_paragraphs(rec)
    out = []
    pos = 0
    for pi, p in enumerate(paras, 1):
        if p["text"] or not p["items"]:
            out.append((pos, pi, None, None, pos))
            pos += len(p["text"]) + 1
        for ii, item in enumerate(p["items"], 1):
            label = item.get("label") or ""
            out.append((pos, pi, ii, None, pos + len(label)))
            pos += len(label) + len(item.get("text") or "") + 1
            for si, subitem in enumerate(item.get("items") or (), 1):
                for line in item_lines(subitem):
                    out.append((pos, pi, ii, si, pos + len(subitem.get("label") or "")))
                    pos += len(line) + 1
    return out


def _where(positions, offset):
    """(款, 项, 目) the character at *offset* is in."""
    here = (1, None, None)
    for start, pi, ii, si, _ in positions:
        if start > offset:
            break
        here = (pi, ii, si)
    return here


def _quoted(text, offset):
    """True when *offset* is inside “…” (an amending instrument's new text;
    a quotation whose paragraphs open with “ and only the last closes)."""
    depth = 0
    for ch in text[:offset]:
        if ch == _QUOTE_OPEN:
            depth = 1
        elif ch == _QUOTE_CLOSE:
            depth = 0
    return depth > 0


def _target(index, law, num, sub, para=None, item=None, subitem=None, heading=None, external=False):
    t = {"law": law}
    if heading is not None:
        level, hnum = heading
        t.update(level=level, num=hnum, label=heading_label(level, hnum) if isinstance(hnum, int) else None)
        return t
    if num is not None:
        rec = None if external else index.articles.get((num, sub))
        t.update(label=(rec or {}).get("label") or article_label(num, sub), num=num, sub=sub)
    if para is not None:
        t["para"] = para
    if item is not None:
        t["item"] = item
    if subitem is not None:
        t["subitem"] = subitem
    return t


def resolve_article(rec, index, title=None, base_law=None):
    """The ``refs`` list of article *rec* of the law *index* describes.

    *title* is the law's title; *base_law* the law an amending instrument
    amends (the articles it names without a law are that law's)."""
    text = rec.get("text") or ""
    if not text:
        return []
    key = (rec.get("num"), rec.get("sub") or None)
    paras = index.paras.get(key) or article_paragraphs(rec)
    positions = article_positions(rec, paras)
    out = []
    last_external = None
    last_article = None  # the last ref that named an article by its number
    for ref in find(text, title):
        outer = _outer_article(text, ref, last_article, base_law)
        if outer is not None:
            _take_outer(ref, outer)
        if isinstance(ref.levels.get("article"), int) and not _quoted(text, ref.start):
            last_article = ref
        if base_law and ref.start and text[ref.start - 1] == _QUOTE_OPEN and ref.printed == ("article",) \
                and text[ref.end:ref.end + 1] in ("\u3000", " "):
            continue  # “第十条　… : the label of the article an instrument puts in, not a reference
        entry = {"start": ref.start, "end": ref.end, "text": ref.text, "kind": ref.kind}
        if base_law and ref.law == "self" and ref.law_form == "self" and _quoted(text, ref.start):
            ref.law, ref.law_form = None, None  # 本法 in the amended law's new text is that law
        if ref.law not in (None, "self") or (ref.law_form == "anaphora"):
            law = ref.law if ref.law_form != "anaphora" else last_external
            if law is None:
                entry["unresolved"] = "该法 with no law named before it"
                out.append(entry)
                continue
            last_external = law
            entry["external"] = True
            _external_targets(entry, ref, law)
            out.append(entry)
            continue
        if base_law and ref.law is None and _quoted(text, ref.start):
            _in_new_text(text, ref, last_article)
        if base_law and (ref.law is None):
            entry["external"] = True
            if any(isinstance(v, (str, tuple)) for v in ref.levels.values()) or "article" not in ref.levels \
                    and not set(ref.levels) & set(HEADING_LEVELS):
                entry["unresolved"] = ("a relative reference inside the amended law's new text"
                                       if _quoted(text, ref.start) else "a relative reference in an amending instrument")
                out.append(entry)
                continue
            _external_targets(entry, ref, base_law)
            out.append(entry)
            continue
        here = _where(positions, ref.start)
        _internal(entry, ref, rec, key, index, paras, here, title)
        out.append(entry)
    return out


def _outer_article(text, ref, last, base_law):
    """The ref whose article (and 款) a bare 款/项 *ref* is of, or None.

    违反第三十条第一、七项规定的，…；违反第二、三、四项规定的 — a bare 项 printed after a citation
    of another article's 项, in the same line and sentence, is a 项 of that article.  In an
    amending instrument a bare 款 or 项 outside the quoted new text (增加一款，作为第三款;
    原第一项至第二项相应改为第二项至第三项) is one of the article the item last named."""
    if last is None or not ref.printed or "article" in ref.levels:
        return None
    first = ref.printed[0]
    if first not in ("para", "item") or not isinstance(ref.levels[first], int):
        return None
    between = text[last.end:ref.start]
    if base_law and ref.law is None and not _quoted(text, ref.start):
        return last
    if first == "item" and "item" in last.levels and "\n" not in between and "。" not in between:
        return last
    return None


_ITEM_OPEN_RE = recache.compile(r"[（(][一二三四五六七八九十]+[）)]|[0-9０-９]+[.．、]")


def _in_new_text(text, ref, last):
    """Resolve a relative 款 (前款, 前两款, 第二款) in an instrument's quoted new text.

    The quotation is the article, or the 款, that the instruction before it named
    (将刑法第三百二十五条第二款修改为：“… — the quotation opens with 款 2; 增加一款，作为第三款：“…
    with 款 3; a whole article with 款 1); each quoted paragraph that opens with “ and is no
    项 is the next 款.  *ref* gets the article and 款 numbers; left as it is when the
    quotation follows no article named or the unit is no 款."""
    lv = ref.levels
    if last is None or set(lv) - {"para", "item", "subitem"}:
        return
    if "para" not in lv:  # 有第一项规定情形的: a 项 of the article, its 款 not known here
        if isinstance(lv.get("item"), int):
            ref.levels = dict(lv, article=last.levels["article"])
            ref.sub = last.sub
        return
    q = text.find(_QUOTE_OPEN, text.rfind(_QUOTE_CLOSE, 0, ref.start) + 1, ref.start)
    if q < 0 or last.end > q:
        return
    para = last.levels.get("para") if isinstance(last.levels.get("para"), int) else 1
    pos = q
    while True:
        nl = text.find("\n" + _QUOTE_OPEN, pos + 1, ref.start)
        if nl < 0:
            break
        if not _ITEM_OPEN_RE.match(text, nl + 2):
            para += 1
        pos = nl + 1
    value = lv["para"]
    if isinstance(value, tuple):
        first = para - value[1]
        if first < 1:
            return
        ref.levels = {"article": last.levels["article"], "para": first}
        ref.to = {"article": last.levels["article"], "para": para - 1} if value[1] > 1 else None
        ref.to_sub = last.sub
    elif value == "this":
        ref.levels = dict(lv, article=last.levels["article"], para=para)
    else:
        ref.levels = dict(lv, article=last.levels["article"])
    ref.sub = last.sub


def _take_outer(ref, outer):
    """Give *ref* the levels outside its own first level (and the law) of *outer*."""
    rank = RANKS[ref.printed[0]]
    levels = {k: v for k, v in outer.levels.items() if RANKS[k] < rank}
    levels.update(ref.levels)
    ref.levels = levels
    ref.sub = outer.sub
    ref.law, ref.law_form = outer.law, outer.law_form
    if ref.to is not None:
        ref.to = dict({k: v for k, v in levels.items() if RANKS[k] < rank}, **ref.to)
        ref.to_sub = outer.sub


def _external_targets(entry, ref, law):
    lv = ref.levels
    heading = next(((l, lv[l]) for l in reversed(HEADING_LEVELS) if l in lv and "article" not in lv), None)
    entry["target"] = _target(None, law, lv.get("article"), ref.sub, lv.get("para"), lv.get("item"),
                              lv.get("subitem"), heading=heading, external=True)
    if ref.to is not None:
        entry["to"] = _target(None, law, ref.to.get("article", lv.get("article")), ref.to_sub,
                              ref.to.get("para"), ref.to.get("item"), ref.to.get("subitem"), external=True)


def _internal(entry, ref, rec, key, index, paras, here, title):
    """Resolve an internal reference in article *key* printed in (款, 项, 目) *here*."""
    lv = dict(ref.levels)
    law = title
    p_here, i_here, _ = here
    if not lv:  # the law named by its own title in 《》, no unit (同时废止 of its earlier version)
        entry["target"] = {"law": law}
        return
    # headings: 第三章, 本章, 本节
    if not any(l in lv for l in ("article", "para", "item", "subitem")):
        level = max(lv, key=RANKS.__getitem__)
        value = lv[level]
        if value == "this":
            path = rec.get("path") or []
            num = _heading_num_in_path(path, level)
            if num is None:
                entry["unresolved"] = f"本{_UNIT[level]} outside any {_UNIT[level]}"
                return
            entry["target"] = _target(index, law, None, None, heading=(level, num))
            return
        if isinstance(value, int):
            entry["target"] = _target(index, law, None, None, heading=(level, value))
            if index.headings and (level, value) not in index.headings:
                entry["warning"] = f"the law has no {heading_label(level, value)}"
            if ref.to is not None and isinstance(ref.to.get(level), int):
                entry["to"] = _target(index, law, None, None, heading=(level, ref.to[level]))
            return
        entry["unresolved"] = "a heading named relative to another"
        return
    # the article
    art = lv.get("article")
    sub = ref.sub
    span = None  # (first, last) article keys of 前两条
    if art is None or art == "this":
        akey = key
    elif isinstance(art, tuple):
        akey = index.previous(key, art[1])
        if akey is None:
            entry["unresolved"] = "前条 in the first article"
            return
        if art[1] > 1:
            span = (akey, index.previous(key, 1))
    else:
        akey = (art, sub)
    a_rel = akey == key and (art is None or art == "this")
    # the 款
    para = lv.get("para")
    para_to = None
    if isinstance(para, tuple):
        if not a_rel:
            entry["unresolved"] = "前款 of another article"
            return
        n = para[1]
        first = p_here - n
        if first < 1:
            entry["unresolved"] = f"{ref.text} in the {'first' if p_here == 1 else 'too early a'} 款"
            return
        para, para_to = first, (p_here - 1 if n > 1 else None)
    elif para == "this":
        para = p_here if a_rel else None
    # the 项
    item = lv.get("item")
    if isinstance(item, tuple):
        if i_here is None or i_here - item[1] < 1:
            entry["unresolved"] = "前项 outside a 项 with one before it"
            return
        para = para or p_here
        item = i_here - item[1]
    elif item == "this":
        para, item = p_here, i_here
    elif isinstance(item, int) and para is None and a_rel:
        para = _para_with_item(paras, p_here, item)
    subitem = lv.get("subitem") if isinstance(lv.get("subitem"), int) else None

    if span:
        entry["target"] = _target(index, law, *span[0])
        entry["to"] = _target(index, law, *span[1])
        return
    entry["target"] = _target(index, law, akey[0], akey[1], para, item, subitem)
    if para_to is not None:
        entry["to"] = _target(index, law, akey[0], akey[1], para_to)
    elif ref.to is not None:
        to = ref.to
        t_art = to.get("article", art if isinstance(art, int) else akey[0])
        t_sub = ref.to_sub if "article" in to else akey[1]
        t_para = to.get("para", para if "article" not in to else None)
        t_item = to.get("item") if "item" in to else None
        entry["to"] = _target(index, law, t_art, t_sub, t_para if isinstance(t_para, int) else None, t_item)
    _check(entry, index)


def _para_with_item(paras, p_here, item):
    """The 款 a bare 第（N）项 printed in 款 *p_here* means: its own when it has
    that 项, else the nearest 款 before it that has."""
    for p in range(p_here, 0, -1):
        if p - 1 < len(paras) and len(paras[p - 1]["items"]) >= item:
            return p
    return p_here


_UNIT = {"part": "编", "subpart": "分编", "chapter": "章", "section": "节"}


def _heading_num_in_path(path, level):
    from clt.labels import match_label

    for entry in path:
        lab = match_label(str(entry).split(" ")[0])
        if lab and lab.kind == level:
            return lab.num
    return None


def _check(entry, index):
    """A target the law does not hold: say so on the reference."""
    for k in ("target", "to"):
        t = entry.get(k)
        if not t or "num" not in t or t.get("level"):
            continue
        akey = (t["num"], t.get("sub"))
        if akey not in index.articles:
            entry["warning"] = f"the law has no {t['label']}"
            return
        paras = index.paras[akey]
        if t.get("para") is not None:
            if t["para"] > len(paras):
                entry["warning"] = f"{t['label']} has no 第{_cn(t['para'])}款"
                return
            if t.get("item") is not None and t["item"] > len(paras[t["para"] - 1]["items"]):
                entry["warning"] = f"{t['label']}第{_cn(t['para'])}款 has no 第（{_cn(t['item'])}）项"
                return
        elif t.get("item") is not None:
            if not any(len(p["items"]) >= t["item"] for p in paras):
                entry["warning"] = f"{t['label']} has no 第（{_cn(t['item'])}）项"
                return


def _cn(n):
    from clt.numerals import int2cn

    return int2cn(n)


def _edges(rec, title, index):
    """``ref`` records (edges) for the references of article *rec*."""
    frm = {"label": rec.get("label"), "num": rec.get("num"), "sub": rec.get("sub")}
    for r in rec.get("refs") or ():
        t = r.get("target")
        if not t:
            continue
        base = {"type": "ref", "law": title, "from": frm, "kind": r["kind"], "text": r["text"],
                "start": r["start"], "end": r["end"]}
        if r.get("external"):
            base["external"] = True
        to = r.get("to")
        if to and "num" in t and "num" in to and not t.get("level") and not r.get("external") \
                and (t["num"], t.get("sub")) != (to["num"], to.get("sub")):
            keys = index.order
            a, b = (t["num"], t.get("sub")), (to["num"], to.get("sub"))
            if a in keys and b in keys and keys.index(a) <= keys.index(b):
                for k in keys[keys.index(a):keys.index(b) + 1]:
                    yield dict(base, to=_target(index, title, *k))
                continue
        if to and t.get("para") and to.get("para") and "item" not in t:
            for p in range(t["para"], to["para"] + 1):
                yield dict(base, to=dict(t, para=p))
            continue
        yield dict(base, to=t)


def refs(records, graph=False):
    """*records* (split output) with a ``refs`` list on every article, and a
    ``warning`` record after an article that cites what its law does not
    hold; with *graph*, only the ``ref`` edge records.  Records outside a law
    pass through (not with *graph*)."""
    held = None
    title = None
    for rec in records:
        t = rec.get("type")
        if t == "document":
            if held is not None:
                yield from _flush(held, title, graph)
            held = [rec]
            title = rec.get("title")
            continue
        if held is None:
            if not graph:
                yield rec
            continue
        held.append(rec)
        if t == "document_end":
            yield from _flush(held, title, graph)
            held = None
    if held is not None:
        yield from _flush(held, title, graph)


def _flush(held, title, graph):
    index = LawIndex(title)
    for rec in held:
        if rec.get("type") == "article":
            index.add_article(rec)
        elif rec.get("type") == "heading":
            index.add_heading(rec)
    base = amended_law(title)
    for rec in held:
        if rec.get("type") != "article":
            if not graph:
                yield rec
            continue
        rec = dict(rec)
        rec["refs"] = resolve_article(rec, index, title, base)
        if graph:
            yield from _edges(rec, title, index)
            continue
        yield rec
        for r in rec["refs"]:
            if r.get("warning"):
                yield {"type": "warning", "stage": STAGE, "code": "missing-target",
                       "message": f"{rec.get('label')}: {r['text']}: {r['warning']}",
                       "label": rec.get("label"), "text": r["text"], "source": rec.get("source"),
                       "page": rec.get("page")}
