"""Applying an instrument's instructions to the old law.

:func:`amend` reads the OLD law's records (``clt split`` output, or the
paragraphs ``split`` accepts), parses the instrument
(:func:`clt.amend.instrument.parse_instrument`), applies every instruction to
a model of the law (:mod:`clt.amend.law`) that keeps each unit's OLD number,
then places the additions at their NEW numbers, renumbers the law when the
instrument re-publishes it (a 修改决定 closing ``…并对条文顺序作相应调整，重新公布``),
updates its internal cross-references through :func:`clt.citations.article_spans`,
and emits the new law as the records ``clt split`` emits (it renders the new
text and splits it), followed by one ``amendment`` record per instruction and
an ``amend_summary`` record.

An instruction that cannot be applied exactly is never guessed: its
``amendment`` record says ``failed`` and why; the rest is still applied.
"""

import re

from clt import citations
from clt.amend.instrument import parse_instrument
from clt.amend.law import (Article, Heading, Item, Kuan, Seq, classify, relabel_items, split_heading_line,
                           split_quote_articles)
from clt.labels import ARTICLE_RE, SPACES
from clt.numerals import int2cn
from clt.records import record, text_line_records

__all__ = ["amend", "AmendFailure"]


class AmendFailure(Exception):
    """An instruction that cannot be applied exactly (the reason is the message)."""


class _Added(dict):
    """The articles added so far, by NEW number; ``item``: those of the current item."""

    def __init__(self):
        super().__init__()
        self.item = {}


class Law:
    """The law being amended: its title, 题注 lines, and an ordered list of
    entries, each a :class:`Heading` or an :class:`Article`."""

    def __init__(self):
        self.title = ""
        self.caption_lines = []
        self.preface = []          # unnumbered text between the 题注 and the first heading/article
        self.entries = []
        self.added = []            # [(Article, anchor key or None, after, target num or None)]
        self.moved_keys = {}

    def articles(self):
        return [e for e in self.entries if isinstance(e, Article)]

    def article(self, num, sub=None):
        for a in self.articles():
            if not a.new and a.key == (num, sub) and not getattr(a, "gone", False):
                return a
        return None

    def headings(self, level, num):
        return [e for e in self.entries if isinstance(e, Heading) and e.level == level and e.num == num
                and not e.new and not e.deleted]


def _law_from_records(records):
    """A :class:`Law` from ``clt split`` records (document, heading, article)."""
    law = Law()
    seen_doc = False
    for r in records:
        t = r.get("type")
        if t == "document":
            if seen_doc:
                break      # the first law only
            seen_doc = True
            law.title = r.get("title") or ""
            cap = r.get("caption")
            if cap:
                law.caption_lines = cap.split("\n")
        elif t == "heading":
            law.entries.append(Heading(r.get("level"), r.get("num"), r.get("title") or "", new=False))
            law.entries[-1].label_text = r.get("label")
        elif t == "article":
            lines = (r.get("text") or "").split("\n")
            a = Article(r.get("num"), r.get("sub"), classify(lines), label=r.get("label"))
            law.entries.append(a)
        elif t == "block" and not law.entries and r.get("text"):
            law.preface.append(r["text"])
        elif t == "document_end" and seen_doc:
            break
    return law


# --------------------------------------------------------------------------- lookups

def _art(law, ref, added):
    """The article *ref* names: one added earlier in the same item (a sentence
    going on with it), else the OLD law's article of that number, else one an
    earlier item added (a 修正案's 第X条之一)."""
    if ref is None or ref.art is None:
        raise AmendFailure("names no article")
    key = (ref.art, ref.sub)
    a = added.item.get(key) or law.article(ref.art, ref.sub) or added.get(key)
    if a is None:
        raise AmendFailure(f"{ref.label() or 'the article'}: no such article in the old law")
    if a.deleted_text:
        raise AmendFailure(f"{ref.label()}: already deleted")
    return a


def _kuan_slot(art, ref):
    s = art.kuans.slot(ref.kuan)
    if s is None or s.deleted:
        raise AmendFailure(f"{ref.label()}: the article has no such 款")
    return s


def _items_kuan(art, ref):
    """The 款 holding the 项 *ref* names: the one named, else the only 款 with 项."""
    if ref.kuan is not None:
        return _kuan_slot(art, ref).content[0]
    with_items = [k for s in art.kuans.live() for k in s.content if k.items.slots]
    if len(with_items) == 1:
        return with_items[0]
    if not with_items:
        raise AmendFailure(f"{ref.label()}: the article has no 项")
    raise AmendFailure(f"{ref.label()}: the article has 项 in more than one 款 and the instrument names none")


def _item_slot(art, ref):
    k = _items_kuan(art, ref)
    s = k.items.slot(ref.xiang)
    if s is None or s.deleted:
        raise AmendFailure(f"{ref.label()}: no such 项")
    return k, s


def _strip_label(paras):
    """Quoted article text without its own label (“第十条　…”)."""
    if paras:
        m = ARTICLE_RE.match(paras[0])
        if m and (paras[0][m.end():m.end() + 1] in SPACES):
            paras = [paras[0][m.end():].lstrip(SPACES)] + paras[1:]
    return paras


# --------------------------------------------------------------------------- text of units

def _unit_texts(law, ins, added):
    """[(getter, setter)] over the lines of the units *ins* targets."""
    out = []
    if ins.law_wide:
        for a in law.articles():
            if not a.deleted_text:
                out.extend(_art_line_handles(a))
        for e in law.entries:
            if isinstance(e, Heading) and not e.deleted:
                out.append(_AttrHandle(e, "title"))
        return out
    for ref in ins.targets:
        if ref.level:
            hs = _find_heading(law, ref)
            out.append(_AttrHandle(hs, "title"))
            continue
        a = _art(law, ref, added)
        if ref.kuan is None and ref.xiang is None:
            out.extend(_art_line_handles(a))
        elif ref.xiang is None:
            s = _kuan_slot(a, ref)
            for k in s.content:
                out.extend(_kuan_line_handles(k))
        else:
            _, s = _item_slot(a, ref)
            for it in s.content:
                if ref.mu is not None:
                    if ref.mu >= len(it.lines):
                        raise AmendFailure(f"{ref.label()}: no such 目")
                    out.append(_ListHandle(it.lines, ref.mu))
                else:
                    out.extend(_ListHandle(it.lines, i) for i in range(len(it.lines)))
    return out


class _ListHandle:
    def __init__(self, lst, i):
        self.lst, self.i = lst, i

    def get(self):
        return self.lst[self.i]

    def set(self, v):
        self.lst[self.i] = v


class _AttrHandle:
    def __init__(self, obj, attr):
        self.obj, self.attr = obj, attr

    def get(self):
        return getattr(self.obj, self.attr) or ""

    def set(self, v):
        setattr(self.obj, self.attr, v)


def _kuan_line_handles(k):
    out = []
    if k.lead is not None:
        out.append(_AttrHandle(k, "lead"))
    for s in k.items.live():
        for it in s.content:
            out.extend(_ListHandle(it.lines, i) for i in range(len(it.lines)))
    for _, _, _, vals in k.items.adds:
        for it in vals:
            out.extend(_ListHandle(it.lines, i) for i in range(len(it.lines)))
    return out


def _art_line_handles(a):
    out = []
    for s in a.kuans.live():
        for k in s.content:
            out.extend(_kuan_line_handles(k))
    for _, _, _, vals in a.kuans.adds:
        for k in vals:
            out.extend(_kuan_line_handles(k))
    return out


def _find_heading(law, ref):
    hs = law.headings(ref.level, ref.hnum)
    if ref.parent is not None and len(hs) > 1:
        # 第四章第二节: the 节 under that chapter
        want = []
        cur = None
        for e in law.entries:
            if isinstance(e, Heading) and e.level == ref.parent.level:
                cur = e
            if e in hs and cur is not None and cur.num == ref.parent.hnum:
                want.append(e)
        hs = want
    if not hs:
        raise AmendFailure(f"{ref.label()}: no such heading in the old law")
    if len(hs) > 1:
        raise AmendFailure(f"{ref.label()}: more than one heading of that number; the instrument names no 章")
    return hs[0]


# --------------------------------------------------------------------------- operations

def _phrase(law, ins, added, pairs, mode):
    handles = _unit_texts(law, ins, added)
    for old, new in pairs:
        if not old:
            raise AmendFailure("an empty phrase")
        hits = sum(h.get().count(old) for h in handles)
        if hits == 0:
            raise AmendFailure(f"“{old}” not found in {_where(ins)}")
        for h in handles:
            s = h.get()
            if old in s:
                if mode == "replace":
                    s = s.replace(old, new)
                elif mode == "after":
                    s = s.replace(old, old + new)
                else:
                    s = s.replace(old, new + old)
                h.set(s)
    _mark_changed(law, ins, added)


def _where(ins):
    if ins.law_wide:
        return "the law"
    return "、".join(r.label() for r in ins.targets)


def _mark_changed(law, ins, added):
    if ins.law_wide:
        return
    for ref in ins.targets:
        if ref.level:
            continue
        a = _art(law, ref, added)
        if ref.xiang is not None:
            try:
                _items_kuan(a, ref).relabel = False
            except AmendFailure:
                pass


def _quote_paras(ins):
    return [p for q in ins.quotes for p in q.paragraphs]


def _items_from(paras):
    """项 from quoted paragraphs: a 目 line (1.) joins the 项 before it."""
    items = []
    for k in classify(paras):
        if k.lead is not None:
            items.append(Item([k.lead], new=True))
        for s in k.items.slots:
            items.extend(s.content)
    return items


def _op_replace(law, ins, added):
    paras = _quote_paras(ins)
    if not paras:
        raise AmendFailure("no quoted text")
    targets = list(ins.targets)
    if len(targets) > 1 and all(not r.level for r in targets):
        # 将第三条第二款、第三款修改为：“…” — one text for the units named together
        first, rest = targets[0], targets[1:]
        _op_delete(law, _Targets(rest), added, False)
        targets = [first]
    for ref in targets:
        if ref.level:
            h = _find_heading(law, ref)
            hl = split_heading_line(paras[0])
            h.title = hl[2] if hl else paras[0]
            continue
        a = _art(law, ref, added)
        if ref.kuan is None and ref.xiang is None:
            a.kuans = Seq(classify(_strip_label(paras), new=True))
        elif ref.xiang is None:
            s = _kuan_slot(a, ref)
            s.content = classify(paras, new=True)
        elif ref.mu is None:
            k, s = _item_slot(a, ref)
            s.content = _items_from(paras)
            k.relabel = True
        else:
            it = _mu_item(a, ref)
            it.lines[ref.mu:ref.mu + 1] = paras


def _mu_item(a, ref):
    """The 项 whose lines hold 目 *ref.mu* of article *a* (AmendFailure when it has no such 目)."""
    _, s = _item_slot(a, ref)
    it = s.content[0]
    if ref.mu >= len(it.lines):
        raise AmendFailure(f"{ref.label()}: no such 目")
    return it


class _Targets:
    def __init__(self, targets):
        self.targets = targets


def _op_delete(law, ins, added, amendment_style):
    for ref in ins.targets:
        if ref.level:
            h = _find_heading(law, ref)
            h.deleted = True
            continue
        a = _art(law, ref, added)
        if ref.kuan is None and ref.xiang is None:
            if amendment_style:
                a.deleted_text = "（删去）"
            else:
                a.gone = True
        elif ref.xiang is None:
            s = _kuan_slot(a, ref)
            s.deleted = True
        elif ref.mu is None:
            k, s = _item_slot(a, ref)
            s.deleted = True
            k.relabel = True
        else:
            del _mu_item(a, ref).lines[ref.mu]


def _op_add_article(law, ins, added, amendment_style):
    paras = _quote_paras(ins)
    if not paras:
        raise AmendFailure("no quoted text")
    groups = split_quote_articles(paras)
    nums = list(ins.new_numbers)
    if len(groups) == 1 and groups[0][0] is None and ins.count > 1:
        raise AmendFailure(f"{ins.count} articles announced but the quotation holds no article labels")
    anchor = None
    if ins.anchor is not None:
        anchor = _art(law, ins.anchor, added)
    arts = []
    for k, (num, sub, label, lines) in enumerate(groups):
        if k < len(nums):
            num, sub = nums[k]
        elif num is None:
            if anchor is not None and amendment_style:
                # 在第X条后增加一条: the next 之N
                taken = [a.new_sub or 0 for a, *_ in law.added if a.anchor is anchor]
                num, sub = anchor.num, (max(taken) if taken else (anchor.sub or 0)) + 1
            else:
                raise AmendFailure("an added article with no number")
        a = Article(num, sub, classify(lines, new=True), new=True)
        a.anchor = anchor
        a.arabic = bool(anchor and anchor.arabic)
        arts.append(a)
        added[(num, sub)] = a
        added.item[(num, sub)] = a
        law.added.append((a, anchor, ins.after, None if anchor is not None else num))
    return arts


def _op_add_paragraph(law, ins, added):
    paras = _quote_paras(ins)
    if not paras:
        raise AmendFailure("no quoted text")
    ref = ins.targets[0]
    a = _art(law, ref, added)
    nums = ins.new_numbers
    target = nums[0] if nums else None
    if ins.unit == "paragraph":
        anchor = ins.anchor.kuan if ins.anchor is not None and ins.anchor.kuan is not None else None
        if anchor is not None and a.kuans.slot(anchor) is None:
            raise AmendFailure(f"{ins.anchor.label()}: the article has no such 款")
        a.kuans.add(classify(paras, new=True), target=target if anchor is None else None, anchor=anchor)
    elif ins.unit == "item":
        k = _items_kuan(a, ref) if (ref.kuan is not None or any(
            kk.items.slots for s in a.kuans.live() for kk in s.content)) else None
        if k is None:
            raise AmendFailure(f"{ref.label()}: the article has no 项 to add to")
        anchor = ins.anchor.xiang if ins.anchor is not None and ins.anchor.xiang is not None else None
        if anchor is not None and k.items.slot(anchor) is None:
            raise AmendFailure(f"{ins.anchor.label()}: no such 项")
        k.items.add(_items_from(paras), target=target if anchor is None else None, anchor=anchor)
        k.relabel = True
    else:
        _, s = _item_slot(a, ref)
        it = s.content[0]
        at = target if target is not None else len(it.lines)
        it.lines[at:at] = paras


def _op_merge(law, ins, added):
    arts = [_art(law, r, added) for r in ins.targets]
    if any(r.kuan is not None or r.xiang is not None for r in ins.targets):
        raise AmendFailure("merging 款 or 项 is not supported")
    first = arts[0]
    paras = _quote_paras(ins)
    if paras:
        first.kuans = Seq(classify(_strip_label(paras), new=True))
    else:
        lines = [ln for a in arts for ln in a.lines()]
        first.kuans = Seq(classify(lines, new=True))
    for a in arts[1:]:
        a.gone = True
        a.merged_into = first
    if ins.new_numbers:
        _move(law, first, ins.new_numbers[0][0])


def _move(law, a, target):
    a.moved = True
    a.move_target = target


def _op_move(law, ins, added):
    a = _art(law, ins.targets[0], added)
    paras = _quote_paras(ins)
    if paras:
        a.kuans = Seq(classify(_strip_label(paras), new=True))
    _move(law, a, ins.new_numbers[0][0])


def _op_rename_heading(law, ins, added):
    paras = _quote_paras(ins)
    for ref in ins.targets:
        h = _find_heading(law, ref)
        hl = split_heading_line(paras[0]) if paras else None
        h.title = hl[2] if hl else (paras[0] if paras else h.title)


def _op_add_heading(law, ins, added):
    """增加一章[，作为第五章]：“第五章　… ”: the heading, and the articles quoted with it."""
    paras = _quote_paras(ins)
    if not paras:
        raise AmendFailure("no quoted text")
    hl = split_heading_line(paras[0])
    if hl is None:
        raise AmendFailure("the quotation does not open with the heading")
    level, num, title = hl
    h = Heading(level, num, title, new=True)
    rest = paras[1:]
    arts = []
    for n, sub, label, lines in split_quote_articles(rest) if rest else []:
        if n is None:
            raise AmendFailure("text after the heading that is no article")
        a = Article(n, sub, classify(lines, new=True), new=True)
        added[(n, sub)] = a
        arts.append(a)
    # place: after the anchor (a heading or an article), else before the heading now numbered num
    entries = law.entries
    at = None
    if ins.anchor is not None:
        if ins.anchor.level:
            ah = _find_heading(law, ins.anchor)
            i = entries.index(ah)
            j = i + 1
            while j < len(entries) and not (isinstance(entries[j], Heading) and _rank(entries[j]) <= _rank(ah)):
                j += 1
            at = j if ins.after else i
        else:
            aa = _art(law, ins.anchor, added)
            i = entries.index(aa)
            at = i + 1 if ins.after else i
    else:
        same = [e for e in entries if isinstance(e, Heading) and e.level == level and not e.new]
        later = [e for e in same if e.num >= num]
        if later:
            at = entries.index(later[0])
        elif same:
            at = len(entries)
            # after the end of the last heading of that level
        else:
            raise AmendFailure(f"nowhere to put the new {h.unit}")
    entries[at:at] = [h] + arts


_RANK = {"part": 1, "subpart": 2, "chapter": 3, "section": 4}


def _rank(h):
    return _RANK.get(h.level, 9)


# --------------------------------------------------------------------------- finishing

def _place_additions(law):
    """Put the added and moved articles in the entries: an anchored one after its
    anchor (and the additions before it there), then the others at their NEW number."""
    entries = [e for e in law.entries if not (isinstance(e, Article) and getattr(e, "gone", False))]
    moved = [e for e in entries if isinstance(e, Article) and e.moved]
    entries = [e for e in entries if not (isinstance(e, Article) and e.moved)]
    targets = []
    for a, anchor, after, target in law.added:
        if anchor is not None:
            if anchor in entries:
                i = entries.index(anchor)
                if after:
                    i += 1
                    while i < len(entries) and isinstance(entries[i], Article) and entries[i].new \
                            and entries[i].anchor is anchor:
                        i += 1
                entries.insert(i, a)
            else:
                # the anchor was deleted or moved: after where it was is unknown, use the number
                targets.append((a.num, a))
        else:
            targets.append((target, a))
    targets.extend((a.move_target, a) for a in moved)
    targets.sort(key=lambda x: x[0])
    for target, a in targets:
        arts = [i for i, e in enumerate(entries) if isinstance(e, Article)]
        if target - 1 <= 0 or not arts:
            i = arts[0] if arts else len(entries)
        elif target - 1 <= len(arts):
            i = arts[target - 2] + 1
        else:
            i = arts[-1] + 1
        entries.insert(i, a)
    # headings deleted: their articles join the heading before
    law.entries = [e for e in entries if not (isinstance(e, Heading) and e.deleted)]


def _renumber(law):
    """Number the articles 第一条… in order and the headings within their parents;
    return {old key: new key} of the articles of the old law."""
    mapping = {}
    n = 0
    for a in law.articles():
        n += 1
        if not a.new:
            mapping[a.key] = (n, None)
        a.new_num, a.new_sub = n, None
    counters = {}
    for e in law.entries:
        if isinstance(e, Heading) and e.num is not None:
            r = _rank(e)
            for lvl in list(counters):
                if _RANK.get(lvl, 9) > r:
                    del counters[lvl]
            counters[e.level] = counters.get(e.level, 0) + 1
            e.new_num = counters[e.level]
    return mapping


def _update_refs(law, mapping):
    """Each internal cross-reference follows its article."""
    def fix(s):
        spans = list(citations.article_spans(s))
        out = s
        for start, end, num, sub in reversed(spans):
            new = mapping.get((num, sub))
            if new is None or new == (num, sub):
                continue
            arabic = bool(re.match(r"第[ \u3000]*[0-9]", s[start:end]))
            lab = f"第{new[0] if arabic else int2cn(new[0])}条"
            out = out[:start] + lab + out[end:]
        return out
    for a in law.articles():
        for h in _art_line_handles(a):
            h.set(fix(h.get()))


def _article_lines(a):
    lines = []
    for k in a.kuans.values():
        items = k.item_values()
        if k.relabel:
            relabel_items(items)
        if k.lead is not None:
            lines.append(k.lead)
        for it in items:
            lines.extend(it.lines)
    return lines


def render(law, renumbered):
    """The new law as text, one paragraph a line, as ``clt split`` reads it."""
    out = [law.title, ""]
    if law.caption_lines:
        out.extend(law.caption_lines)
        out.append("")
    out.extend(law.preface)
    for e in law.entries:
        if isinstance(e, Heading) and e.num is None:
            # an unnumbered heading (附则): printed as it was
            lt = getattr(e, "label_text", None) or ""
            out.extend(["", e.title if not lt or lt == e.title else f"{lt}　{e.title}", ""])
        elif isinstance(e, Heading):
            lab = e.label(renumbered) if (renumbered or e.new) else (getattr(e, "label_text", None) or e.label(False))
            out.extend(["", f"{lab}　{e.title}" if e.title else lab, ""])
        else:
            label = e.label(renumbered)
            if e.deleted_text:
                out.append(f"{label}　{e.deleted_text}")
                continue
            lines = _article_lines(e) or [""]
            out.append(f"{label}　{lines[0]}")
            out.extend(lines[1:])
    return "\n".join(out) + "\n"


def _history_line(inst, law):
    """The 题注 event of the instrument: ``2024年3月23日 第十四届…会议通过的《…修正案（十三）》``
    for a 修正案, ``…会议《关于修改〈…〉的决定》修正`` for a 修改决定."""
    title = (inst.title or "").replace("《", "〈").replace("》", "〉")
    if inst.style == "amendment":
        return f"{inst.date_text} {inst.body}通过的《{title}》"
    act = "修订" if "修订" in title else "修正"
    return f"{inst.date_text} {inst.body}《{title}》{act}"


def _add_history(law, event):
    """Add *event* to the 题注 as it is printed: inside its parentheses
    (``（…通过　根据…修正）``) or as one more line."""
    lines = list(law.caption_lines)
    if lines and lines[0].startswith(("（", "(")) and lines[-1].endswith(("）", ")")):
        close = lines[-1][-1]
        lines[-1] = lines[-1][:-1]
        lines.append("根据" + event.replace(" ", "") + close)
    else:
        lines.append(event)
    law.caption_lines = lines


# --------------------------------------------------------------------------- the stage

def amend(old_records, instrument_paragraphs, *, renumber=True, title=None, name="-", instrument_name="-"):
    """The new law's records (as ``clt split`` emits them), then one
    ``amendment`` record per instruction and an ``amend_summary``."""
    from clt.split import split

    recs = list(old_records)
    if not any(r.get("type") == "article" for r in recs):
        recs = list(split(iter(recs)))
    law = _law_from_records(recs)
    inst = parse_instrument(instrument_paragraphs, law_title=law.title, pick=title)
    amendment_style = inst.style == "amendment"
    added = _Added()
    results = []
    item = object()
    for ins in inst.instructions:
        if ins.item_index != item:
            item = ins.item_index
            added.item = {}
        status, reason = "applied", None
        try:
            op = ins.op
            if op == "replace":
                _op_replace(law, ins, added)
            elif op == "phrase_replace":
                _phrase(law, ins, added, ins.pairs, "replace")
            elif op == "phrase_delete":
                _phrase(law, ins, added, [(p, "") for p in ins.phrases], "replace")
            elif op == "phrase_insert":
                _phrase(law, ins, added, ins.pairs, "after" if ins.after else "before")
            elif op == "delete":
                _op_delete(law, ins, added, amendment_style)
            elif op == "add_article":
                _op_add_article(law, ins, added, amendment_style)
            elif op == "add_paragraph":
                _op_add_paragraph(law, ins, added)
            elif op == "merge":
                _op_merge(law, ins, added)
            elif op == "move":
                _op_move(law, ins, added)
            elif op == "rename_heading":
                _op_rename_heading(law, ins, added)
            elif op == "add_heading":
                _op_add_heading(law, ins, added)
            elif op == "title":
                law.title = _quote_paras(ins)[0]
            elif op in ("note", "commence", "republish"):
                pass
            else:
                raise AmendFailure(ins.extra.get("reason") or "an instruction this grammar does not know")
        except AmendFailure as e:
            status, reason = "failed", str(e)
        results.append((ins, status, reason))
    _place_additions(law)
    renumbered = bool(renumber and not amendment_style and (inst.reorder or inst.republish))
    if renumbered:
        mapping = _renumber(law)
        _update_refs(law, mapping)
    if inst.date_text:
        _add_history(law, _history_line(inst, law))
    text = render(law, renumbered)
    for r in split(text_line_records(text, name)):
        if r.get("type") == "source":
            continue
        if r.get("type") == "document_end":
            for ins, status, reason in results:
                d = {"item": ins.item, "item_index": ins.item_index, "text": ins.text}
                d.update(ins.as_dict())
                d["status"] = status
                if reason:
                    d["reason"] = reason
                yield record("amendment", **d)
            failed = sum(1 for _, s, _ in results if s == "failed")
            yield record("amend_summary", instrument=inst.title, style=inst.style, date=inst.date,
                         instructions=len(results), applied=len(results) - failed, failed=failed,
                         renumbered=renumbered)
        yield r
