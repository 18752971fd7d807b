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
from clt.amend.instrument import parse_instrument, same_law
from clt.errors import UsageError
from clt.amend.law import (Article, Heading, Item, Kuan, Seq, classify, relabel_items, split_heading_line,
                           split_quote_articles)
from clt.labels import ARTICLE_RE, SPACES
from clt.numerals import NUM_RE, int2cn
from clt.records import record, text_line_records
from clt import recache

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
        self.old_articles = []     # the articles of the OLD law, with their 款 and 项 counts
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
            _tag_origins(a)
            law.entries.append(a)
            law.old_articles.append(a)
        elif t == "block" and not law.entries and r.get("text"):
            law.preface.append(r["text"])
        elif t == "document_end" and seen_doc:
            break
    return law


def _tag_origins(a):
    """Each 款 and 项 of an OLD article remembers its place (for the cross-references to it)."""
    a.kuans_count = len(a.kuans.slots)
    a.items_count = {s.key: sum(len(t.content) for k in s.content for t in k.items.slots) for s in a.kuans.slots}
    for s in a.kuans.slots:
        for k in s.content:
            k.origins = [(a.key, s.key)]
            for t in k.items.slots:
                for it in t.content:
                    it.origins = [(a.key, s.key, t.key)]


def _carry(old, new, whole=False):
    """Replacement units *new* take the places of *old* (款 or 项): one by one when
    the count is the same; else the first new one carries the place of the unit the
    instrument named (a 款 rewritten as two is cited as the first) — but an article
    rewritten with another number of 款 has no place to give (*whole*): citations of
    its 款 are then left as printed and listed as unresolved."""
    if not old or not new:
        return
    if len(old) == len(new):
        pairs = list(zip(old, new))
    else:
        if not whole:
            new[0].origins = [o for u in old for o in u.origins]
        pairs = []
    for o, n in pairs:
        n.origins = list(o.origins)
        if isinstance(o, Kuan) and isinstance(n, Kuan):
            oi = [it for s in o.items.slots for it in s.content]
            ni = [it for s in n.items.slots for it in s.content]
            if len(oi) == len(ni):
                for a, b in zip(oi, ni):
                    b.origins = list(a.origins)


# --------------------------------------------------------------------------- lookups

def _art(law, ref, added, place=False):
    """The article *ref* names: one added earlier in the same item (a sentence
    going on with it), else the OLD law's article of that number, else one an
    earlier item added (a 修正案's 第X条之一).  *place*: only its place is wanted
    (在第X条后增加一条): a 修正案's 第X条　（删去） still holds one."""
    if ref is None or ref.art is None:
        raise AmendFailure("names no article")
    key = (ref.art, ref.sub)
    a = added.item.get(key) or law.article(ref.art, ref.sub) or added.get(key)
    if a is None:
        raise AmendFailure(f"{ref.label() or 'the article'}: no such article in the old law")
    if a.deleted_text and not place:
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
        if ref.ju is not None:
            out.append(_SentenceHandle(_ju_line(law, ref, added), ref))
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


#: a sentence deleted (kept as a sentence until the text is rendered, so that 第N句 of later
#: instructions still counts the OLD sentences) and the 。 inside a sentence an instruction wrote
_GONE, _STOP = "\ue900", "\ue901"


def _protect(text):
    return text.replace("。", _STOP)


def _unprotect(line):
    return line.replace(_GONE + "。", "").replace(_STOP, "。")


def _sentences_of(line):
    """The sentences of a line, each with its 。 (the last one may have none)."""
    return re.findall(r"[^。]*。|[^。]+$", line)


def _ju_line(law, ref, added):
    """The handle of the line whose sentences 第N句 counts: the 项's, the 款's, or the only 款's."""
    a = _art(law, ref.copy(ju=None), added)
    if ref.xiang is not None:
        _, s = _item_slot(a, ref)
        return _ListHandle(s.content[0].lines, 0)
    if ref.kuan is not None:
        k = _kuan_slot(a, ref).content[0]
    else:
        kuans = a.kuans.values()
        if len(kuans) != 1:
            raise AmendFailure(f"{ref.label()}: the article has {len(kuans)} 款 and the instrument names none")
        k = kuans[0]
    if k.lead is None:
        raise AmendFailure(f"{ref.label()}: the 款 opens with its 项, it has no sentence of its own")
    return _AttrHandle(k, "lead")


class _SentenceHandle:
    """第N句 of a line: its text, and the line with it replaced."""

    def __init__(self, base, ref):
        self.base, self.n, self.ref = base, ref.ju, ref
        if self.n < 1 or self.n > len(_sentences_of(base.get())):
            raise AmendFailure(f"{ref.label()}: the unit has {len(_sentences_of(base.get()))} sentence(s)")

    def get(self):
        return _sentences_of(self.base.get())[self.n - 1]

    def set(self, v):
        parts = _sentences_of(self.base.get())
        parts[self.n - 1] = v
        self.base.set("".join(parts))


def _op_add_sentence(law, ins, added):
    """在第X条第Y款第一句后增加一句：“…”: the sentence at its place (the end when none is named)."""
    paras = _quote_paras(ins)
    if len(paras) != 1:
        raise AmendFailure("a sentence added must be one quoted paragraph")
    h = _ju_line(law, ins.targets[0].copy(ju=1), added)
    parts = _sentences_of(h.get())
    at = ins.new_numbers[0] if ins.new_numbers else len(parts) + 1
    if at < 1 or at > len(parts) + 1:
        raise AmendFailure(f"{ins.targets[0].label()}: no place for a 第{int2cn(at)}句 (it has {len(parts)})")
    new = _protect(paras[0])
    # joined to the sentence before it (or the first one): later 第N句 still count the OLD ones
    if at == 1:
        parts[0] = new + parts[0]
    else:
        tail = parts[at - 2]
        if tail.endswith("。"):
            tail = tail[:-1] + _STOP
        parts[at - 2] = tail + (new[:-1] + "。" if new.endswith(_STOP) else new)
    h.set("".join(parts))


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
    """Nothing to mark: a phrase changed inside a 项 leaves the numbering of its 款
    as the other instructions left it (a 项 deleted before still renumbers the rest)."""
    return None


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
        if ref.ju is not None:
            if len(paras) != 1:
                raise AmendFailure(f"{ref.label()}: a sentence replaced by {len(paras)} paragraphs")
            new = _protect(paras[0])
            if new.endswith(_STOP):
                new = new[:-1] + "。"
            _SentenceHandle(_ju_line(law, ref, added), ref).set(new)
            continue
        a = _art(law, ref, added)
        if ref.kuan is None and ref.xiang is None:
            before = a.kuans.values()
            a.kuans = Seq(classify(_strip_label(paras), new=True))
            _carry(before, a.kuans.values(), whole=True)
        elif ref.xiang is None:
            s = _kuan_slot(a, ref)
            before = s.content
            s.content = classify(paras, new=True)
            _carry(before, s.content)
        elif ref.mu is None:
            k, s = _item_slot(a, ref)
            before = s.content
            s.content = _items_from(paras)
            _carry(before, s.content)
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
            if not getattr(ins, "extra", {}).get("heading_only"):
                # 删去第五章: the chapter with its articles (删去第五章的章名: the heading only)
                i = law.entries.index(h) + 1
                while i < len(law.entries) and not (isinstance(law.entries[i], Heading)
                                                    and _rank(law.entries[i]) <= _rank(h)):
                    e = law.entries[i]
                    if isinstance(e, Heading):
                        e.deleted = True
                    elif amendment_style:
                        e.deleted_text = "（删去）"
                    else:
                        e.gone = True
                    i += 1
            continue
        if ref.ju is not None:
            _SentenceHandle(_ju_line(law, ref, added), ref).set(_GONE + "。")
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
    if len(groups) != ins.count or len(nums) > len(groups):
        raise AmendFailure(f"{ins.count} article(s) announced"
                           + (f" as {len(nums)} number(s)" if nums else "") + f", {len(groups)} quoted")
    differ = [f"quoted {g[2]}, numbered 第{int2cn(n[0])}条" + (f"之{int2cn(n[1])}" if n[1] else "")
              for g, n in zip(groups, nums) if g[0] is not None and (g[0], g[1]) != n]
    if differ:
        ins.extra["note"] = "numbered as the instrument says (作为…), not as quoted: " + "; ".join(differ)
    anchor = None
    if ins.anchor is not None:
        anchor = _art(law, ins.anchor, added, place=True)
    arts = []
    for k, (num, sub, label, lines) in enumerate(groups):
        if k < len(nums):
            num, sub = nums[k]
        elif num is None:
            if anchor is not None:
                # 在第X条后增加一条: the next 之N (a 修改决定 that gives no number: its place is
                # after X all the same, and renumbering numbers it)
                taken = [a.new_sub or 0 for a, *_ in law.added if a.anchor is anchor]
                num, sub = anchor.num, (max(taken) if taken else (anchor.sub or 0)) + 1
                if not amendment_style:
                    ins.extra["note"] = (f"no number given: placed after {anchor.label(False)}, "
                                         f"numbered {int2cn(num)}条之{int2cn(sub)} unless the law is renumbered")
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
    if any(r.kuan is not None or r.xiang is not None for r in ins.targets):
        return _merge_units(law, ins, added)
    arts = [_art(law, r, added) for r in ins.targets]
    first = arts[0]
    paras = _quote_paras(ins)
    if paras:
        first.kuans = Seq(classify(_strip_label(paras), new=True))
    else:
        lines = [ln for a in arts for ln in a.lines()]
        first.kuans = Seq(classify(lines))
    for a in arts[1:]:
        a.gone = True
        a.merged_into = first
    if ins.new_numbers:
        _move(law, first, ins.new_numbers[0][0])


def _merge_units(law, ins, added):
    """将第X条第二款、第三款合并为一款[，修改为：“…”]: the quoted text (or, with none, the
    款 joined as printed) in the first one's place; the 项 likewise (合并为一项)."""
    refs = ins.targets
    if len({(r.art, r.sub) for r in refs}) != 1:
        raise AmendFailure("the units merged are in different articles")
    a = _art(law, refs[0], added)
    paras = _quote_paras(ins)
    if all(r.xiang is None for r in refs):
        slots = [_kuan_slot(a, r) for r in refs]
        olds = [k for sl in slots for k in sl.content]
        if paras:
            new = classify(paras, new=True)
        elif any(k.items.slots for k in olds):
            raise AmendFailure("款 with 项 merged without the new text")
        else:
            new = [Kuan("".join(k.lead or "" for k in olds), [])]
        new[0].origins = [o for k in olds for o in k.origins]
        slots[0].content = new
    elif all(r.xiang is not None and r.mu is None for r in refs):
        found = [_item_slot(a, r) for r in refs]
        if len({id(k) for k, _ in found}) != 1:
            raise AmendFailure("the 项 merged are in different 款")
        k = found[0][0]
        slots = [sl for _, sl in found]
        olds = [it for sl in slots for it in sl.content]
        if not paras:
            raise AmendFailure("项 merged without the new text")
        new = _items_from(paras)
        new[0].origins = [o for it in olds for o in it.origins]
        slots[0].content = new
        k.relabel = True
    else:
        raise AmendFailure("merging units of different kinds")
    for sl in slots[1:]:
        sl.deleted = True


def _op_move_paragraph(law, ins, added):
    """将第X条第Y款移至第Z条，作为第W款: the 款 leaves X and is W-th in Z (W in the NEW text)."""
    src = ins.targets[0]
    a = _art(law, src, added)
    dest = _art(law, ins.anchor, added)
    if not ins.new_numbers:
        raise AmendFailure("the instrument names no 款 number in the article it moves to")
    if dest is a:
        raise AmendFailure("a 款 moved within its own article: name the place with 作为第W款 of that article")
    s = _kuan_slot(a, src)
    content = s.content
    paras = _quote_paras(ins)
    if paras:
        new = classify(paras, new=True)
        _carry(content, new)
        content = new
    s.deleted = True
    dest.kuans.add(content, target=ins.new_numbers[0])


def _op_paragraph_to_article(law, ins, added):
    """将第X条第Y款改为第Z条: the 款 leaves X and is article Z of the NEW text."""
    a = _art(law, ins.targets[0], added)
    s = _kuan_slot(a, ins.targets[0])
    content = s.content
    paras = _quote_paras(ins)
    if paras:
        new = classify(_strip_label(paras), new=True)
        _carry(content, new)
        content = new
    num, sub = ins.new_numbers[0]
    b = Article(num, sub, [], new=True)
    b.kuans = Seq(content)
    b.arabic = a.arabic
    b.from_paragraph = True
    s.deleted = True
    added[(num, sub)] = b
    added.item[(num, sub)] = b
    law.added.append((b, None, True, num))


def _op_split(law, ins, added):
    """将第X条分为两条，作为第X条、第Y条：“第X条　…”“第Y条　…”: X holds the first, the
    others follow it (numbers in the NEW text)."""
    a = _art(law, ins.targets[0], added)
    paras = _quote_paras(ins)
    groups = split_quote_articles(paras) if paras else []
    if len(groups) < 2 or any(g[0] is None for g in groups):
        raise AmendFailure("the quotation does not hold the articles, each opening with its label")
    if ins.count and len(groups) != ins.count:
        raise AmendFailure(f"{ins.count} articles announced, {len(groups)} quoted")
    nums = list(ins.new_numbers) or [(g[0], g[1]) for g in groups]
    a.kuans = Seq(classify(groups[0][3], new=True))
    for k, (_, _, _, lines) in enumerate(groups[1:], 1):
        num, sub = nums[k] if k < len(nums) else (groups[k][0], groups[k][1])
        b = Article(num, sub, classify(lines, new=True), new=True)
        b.anchor = a
        b.arabic = a.arabic
        added[(num, sub)] = b
        added.item[(num, sub)] = b
        law.added.append((b, a, True, None))


def _move(law, a, target):
    a.moved = True
    a.move_target = target


def _op_move(law, ins, added):
    a = _art(law, ins.targets[0], added)
    paras = _quote_paras(ins)
    if paras:
        a.kuans = Seq(classify(_strip_label(paras), new=True))
    if ins.anchor is not None:
        # 将第X条移至第Y条后: its place is after Y (Y an OLD number)
        dest = _art(law, ins.anchor, added)
        if dest is a:
            raise AmendFailure("an article moved after itself")
        a.moved = True
        a.move_anchor, a.move_after = dest, ins.after
        a.move_target = None
        return
    if not ins.new_numbers:
        raise AmendFailure("the instrument names neither the new number nor the place")
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
    for a in moved:
        dest = getattr(a, "move_anchor", None)
        if dest is not None and dest in entries:
            i = entries.index(dest) + (1 if a.move_after else 0)
            entries.insert(i, a)
        elif dest is not None:
            targets.append((dest.num + 1, a))
        else:
            targets.append((a.move_target, a))
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
    for a in law.old_articles:
        into = getattr(a, "merged_into", None)
        if getattr(a, "gone", False) and into is not None and a.key not in mapping:
            mapping[a.key] = (into.new_num, None)   # 将第X条和第Y条合并: a citation of Y follows it
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


_UNIT_TOKEN_RE = recache.compile(rf"第?[ \u3000]*(?P<open>[（(])?[ \u3000]*(?P<n>{NUM_RE})[ \u3000]*(?P<close>[）)])?"
                            r"[ \u3000]*(?P<u>款|项|項)")


def _numeral(new, printed):
    """*new* written as *printed* writes its number (Arabic or Chinese)."""
    return str(new) if re.match(r"[0-9０-９]", printed) else int2cn(new)


def _update_refs(law, mapping, units=("条",), renumbered=True):
    """Each internal cross-reference follows its article — and, when the instrument
    says the 款 (项) numbers are adjusted too (*units*), its 款 and 项: 第X条第Y款 names
    the 款 where it now is.  Returns (remapped, unresolved): the citations changed
    (``{"in", "from", "to"}``) and those naming a unit the amendments removed."""
    kmap, imap, old_kuans, old_items = {}, {}, {}, {}
    for a in law.old_articles:
        old_kuans[a.key] = a.kuans_count
        old_items[a.key] = a.items_count
    do_units = bool(set(units) & {"款", "项"})
    if do_units:
        for a in law.articles():
            if a.deleted_text:
                continue
            nk = (a.new_num, a.new_sub) if renumbered else (a.num, a.sub)
            kuans = a.kuans.values()
            for p, k in enumerate(kuans, 1):
                for o in k.origins:
                    # a 款 made an article of its own is cited as that article
                    kmap.setdefault(o, (nk, None if getattr(a, "from_paragraph", False) and len(kuans) == 1 else p))
                for q, it in enumerate(k.item_values(), 1):
                    for o in it.origins:
                        imap.setdefault(o, (nk, p, q))
    remapped, unresolved = [], []

    old_order = [a.key for a in law.old_articles]
    shifted = law.shifted = []

    def fix(s, art, own):
        """*s*, a line of article *art*, whose 款 was OLD (key, 款) *own* (or None)."""
        reps = []
        for ref in citations.find(s):
            if not ref.internal:
                continue
            here = []
            for start, end, num, sub in ref.art_spans:
                new = mapping.get((num, sub))
                if "条" in units and new is not None and new != (num, sub):
                    here.append((start, end, f"第{_numeral(new[0], s[start:end].lstrip('第 　'))}条"
                                 + (f"之{int2cn(new[1])}" if new[1] else "")))
            prev = ref.levels.get("article")
            if "条" in units and renumbered and isinstance(prev, tuple) and prev[0] == "prev" and not art.new:
                note = _prev_articles(ref, art, prev[1], old_order, mapping)
                if note:
                    shifted.append(record("warning", stage="amend", code="prev-article-shifted",
                                          message=f"{art.label(renumbered)}: {note}; left as printed",
                                          label=art.label(renumbered), citation=ref.text))
            if do_units:
                bad = _unit_reps(ref, s, art, own, kmap, imap, old_kuans, old_items, units, mapping, here)
                if bad:
                    unresolved.append({"in": art.label(renumbered), "citation": ref.text, "reason": bad})
            if here:
                txt = ref.text
                for start, end, rep in sorted(here, reverse=True):
                    txt = txt[:start - ref.start] + rep + txt[end - ref.start:]
                if txt != ref.text:
                    remapped.append({"in": art.label(renumbered), "from": ref.text, "to": txt})
                reps.extend(here)
        out = s
        for start, end, rep in sorted(set(reps), reverse=True):
            out = out[:start] + rep + out[end:]
        return out

    for a in law.articles():
        if a.deleted_text or a.new and not getattr(a, "from_paragraph", False):
            continue     # an added article's quoted text is the NEW text: it cites by NEW numbers
        for k in a.kuans.values():
            own = k.origins[0] if k.origins and not a.new else None
            if k.lead is not None and not k.lead_new:
                k.lead = fix(k.lead, a, own)
            for it in k.item_values():
                if not it.new:
                    it.lines[:] = [fix(x, a, own) for x in it.lines]
    return remapped, unresolved


def _old_lines(law):
    """(article, line) of every line still holding the OLD law's words (not quoted new text)."""
    for a in law.articles():
        if a.deleted_text or a.new or getattr(a, "gone", False):
            continue
        for k in a.kuans.values():
            if k.lead is not None and not k.lead_new:
                yield a, k.lead
            for it in k.item_values():
                if not it.new:
                    for x in it.lines:
                        yield a, x


def _other_law(inst, law):
    """A warning when the instrument names a law other than OLD's title."""
    named = inst.law_title
    if named is None and inst.style == "amendment":
        m = re.match(r"^(?:中华人民共和国)?(.+?)修正案", inst.title or "")
        named = m.group(1) if m else None
    if not named or not law.title or same_law(named, law.title):
        return []
    if inst.style == "amendment" and law.title.endswith(named):
        return []
    return [record("warning", stage="amend", code="other-law",
                   message=f"the instrument amends 《{named}》, OLD is 《{law.title}》: applied all the same")]


def _cited_deleted(law):
    """Warnings for the citations, in what is left of the OLD text, of an article the
    instrument deleted (left as printed: the instrument should have amended them)."""
    gone = {}
    for a in law.old_articles:
        if a.deleted_text or getattr(a, "gone", False) and getattr(a, "merged_into", None) is None:
            gone[a.key] = a
    if not gone:
        return []
    out = []
    for a, line in _old_lines(law):
        for ref in citations.find(line):
            if not ref.internal:
                continue
            for start, end, num, sub in ref.art_spans:
                if (num, sub) in gone and (num, sub) != a.key:
                    out.append(record("warning", stage="amend", code="cites-deleted",
                                      message=f"{a.label(False)} (old numbering) still cites {_old_label((num, sub))}, "
                                              f"which the instrument deletes: “{ref.text}” left as printed",
                                      label=a.label(False), citation=ref.text))
    return out


def _unit_reps(ref, s, art, own, kmap, imap, old_kuans, old_items, units, mapping, here):
    """The 款 / 项 numbers of citation *ref* that move (appended to *here* as
    (start, end, text)); a reason when it names a 款 or 项 that is gone."""
    lv = ref.levels
    para, item = lv.get("para"), lv.get("item")
    if para is None and item is None:
        return None
    a = lv.get("article")
    if isinstance(a, int):
        key = (a, ref.sub)
    elif a in (None, "this") and own is not None:
        key = own[0]               # 第二款, 本条第二款: the article the line is in
    else:
        return None
    if key not in old_kuans:
        return None                # an article the old law does not have (or a new one)
    toks = list(_UNIT_TOKEN_RE.finditer(s, ref.start, ref.end))
    ktoks = [t for t in toks if t.group("u") == "款"]
    itoks = [t for t in toks if t.group("u") != "款"]
    kuan = para
    if isinstance(para, int):
        if para > old_kuans[key]:
            return None            # no such 款 in the old law either: not ours to judge
        if "款" in units and ktoks and "para" in ref.printed:
            hit = kmap.get((key, para))
            if hit is None:
                return f"第{int2cn(para)}款 of {_old_label(key)} is gone"
            (nart, npara) = hit
            t = ktoks[0]
            if npara is None:
                # 第X条第Y款 is now an article: 第Z条
                if not ref.art_spans or "article" not in ref.printed:
                    return f"第{int2cn(para)}款 of {_old_label(key)} is now an article"
                st, en, _, _ = ref.art_spans[0]
                here[:] = [h for h in here if h[0] != st]
                here.append((st, t.end(), f"第{_numeral(nart[0], s[st:en].lstrip('第 　'))}条"
                             + (f"之{int2cn(nart[1])}" if nart[1] else "")))
                return None
            if npara != para:
                here.append((t.start("n"), t.end("n"), _numeral(npara, t.group("n"))))
            to = (ref.to or {}).get("para")
            if isinstance(to, int) and len(ktoks) >= 2 and to <= old_kuans[key]:
                end_hit = kmap.get((key, to))
                if end_hit is not None and end_hit[1] != to:
                    t2 = ktoks[-1]
                    here.append((t2.start("n"), t2.end("n"), _numeral(end_hit[1], t2.group("n"))))
            if nart != mapping.get(key, key):
                if not ref.art_spans:
                    return f"第{int2cn(para)}款 of {_old_label(key)} moved to another article"
                st, en, _, _ = ref.art_spans[0]
                here[:] = [h for h in here if h[0] != st]
                here.append((st, en, f"第{_numeral(nart[0], s[st:en].lstrip('第 　'))}条"
                             + (f"之{int2cn(nart[1])}" if nart[1] else "")))
    elif para == "this" and own is not None:
        kuan = own[1]
    elif isinstance(para, tuple) and own is not None:
        if para[1] == 1:
            kuan = own[1] - 1          # 前款
        if "款" in units:
            bad = _prev_kuans(ref, s, own, para[1], kmap, here)
            if bad:
                return bad
    else:
        kuan = None
    if isinstance(item, int) and "项" in units and itoks:
        if kuan is None or not isinstance(kuan, int):
            with_items = [k for k, n in old_items.get(key, {}).items() if n]
            if len(with_items) != 1:
                return None
            kuan = with_items[0]
        if item > old_items.get(key, {}).get(kuan, 0):
            return None
        hit = imap.get((key, kuan, item))
        if hit is None:
            return f"第{int2cn(item)}项 of {_old_label(key)} is gone"
        t = itoks[0]
        if hit[2] != item:
            here.append((t.start("n"), t.end("n"), _numeral(hit[2], t.group("n"))))
    return None


def _prev_articles(ref, art, n, old_order, mapping):
    """前条, 前两条 in article *art*: what to say when the articles before it in the OLD law
    are no longer the ones right before it (an article added, moved or deleted between).
    The words stay as printed — a republished law keeps them unless the instrument
    amends them — and the change of meaning is reported."""
    if art.key not in old_order:
        return None
    i = old_order.index(art.key)
    cited = old_order[max(0, i - n):i]
    if len(cited) != n:
        return None
    new = [mapping.get(k) for k in cited]
    if any(x is None for x in new):
        return f"“{ref.text}” meant an article the instrument deletes"
    nums = [x[0] for x in new]
    if nums == list(range(art.new_num - n, art.new_num)):
        return None
    return f"“{ref.text}” meant {'、'.join(f'第{int2cn(x)}条' for x in nums)}, no longer the one(s) right before it"


_PREV_RE = recache.compile(r"前(?P<n>[一二两三四五六七八九十]*)款")


def _prev_kuans(ref, s, own, n, kmap, here):
    """前款, 前两款 in 款 *own* (OLD key, 款): the 款 before it in the OLD law, named again
    where they are now — 前两款 stays when they are still the two before it, else they
    are named (第一款、第三款; 第一款至第三款).  A reason when one of them is gone."""
    key, p_old = own
    cited = list(range(p_old - n, p_old))
    if not cited or cited[0] < 1:
        return None
    here_new = kmap.get(own)
    if here_new is None:
        return None
    nart, p_new = here_new
    hits = [kmap.get((key, c)) for c in cited]
    word = "前款" if n == 1 else f"前{int2cn(n).replace('二', '两') if n == 2 else int2cn(n)}款"
    if any(h is None for h in hits):
        return f"{word} of {_old_label(key)} names a 款 the amendments removed"
    if any(h[0] != nart or h[1] is None for h in hits):
        return f"{word} of {_old_label(key)} names a 款 now in another article"
    pos = sorted({h[1] for h in hits})
    if pos == list(range(p_new - len(pos), p_new)) and len(pos) == n:
        return None
    m = _PREV_RE.search(s, ref.start, ref.end)
    if m is None:
        return None
    if pos == list(range(p_new - len(pos), p_new)):
        text = "前款" if len(pos) == 1 else f"前{'两' if len(pos) == 2 else int2cn(len(pos))}款"
    elif len(pos) >= 3 and pos == list(range(pos[0], pos[-1] + 1)):
        text = f"第{int2cn(pos[0])}款至第{int2cn(pos[-1])}款"
    else:
        text = "、".join(f"第{int2cn(x)}款" for x in pos)
    here.append((m.start(), m.end(), text))
    return None


def _old_label(key):
    return f"第{int2cn(key[0])}条" + (f"之{int2cn(key[1])}" if key[1] else "")


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
    return [_unprotect(x) for x in lines]


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


def _renumber_record(inst, units, remapped, unresolved):
    """The ``amendment`` record of the closing's renumbering: which citations it remapped,
    and those it could not (a 款 or 项 cited elsewhere that the amendments removed)."""
    d = {"item": None, "item_index": None, "text": inst.renumber_text or (inst.closing[-1] if inst.closing else ""),
         "op": "renumber_refs", "units": [u for u in "条款项" if u in units], "remapped": remapped}
    if unresolved:
        d["unresolved"] = unresolved
        d["status"] = "failed"
        d["reason"] = (f"{len(unresolved)} citation(s) name a 款 or 项 the amendments removed, left as printed: "
                       + "; ".join(f"{u['in']}: {u['citation']}" for u in unresolved[:5]))
    else:
        d["status"] = "applied"
    return record("amendment", **d)


def _history_line(inst, law):
    """The 题注 event of the instrument: ``2024年3月23日 第十四届…会议通过的《…修正案（十三）》``
    for a 修正案, ``…会议《关于修改〈…〉的决定》第二次修正`` for a 修改决定 (the
    ordinal counts the 修正 the 题注 already records since the law was adopted or revised)."""
    title = (inst.title or "").replace("《", "〈").replace("》", "〉")
    if inst.style == "amendment":
        return f"{inst.date_text} {inst.body}通过的《{title}》"
    if title.startswith("国务院"):
        # a 行政法规's 题注: 根据2016年2月6日《国务院关于修改部分行政法规的决定》第二次修订
        return f"{inst.date_text} 《{title}》{_ordinal_revision(law.caption_lines)}"
    if "修订" in title:
        return f"{inst.date_text} {inst.body}《{title}》修订"
    if inst.approval:
        return (f"{inst.date_text} {inst.body}通过\u3000{inst.approval[0]} {inst.approval[1]}批准的"
                f"《{title}》{_ordinal_correction(law.caption_lines)}")
    return f"{inst.date_text} {inst.body}《{title}》{_ordinal_correction(law.caption_lines)}"


def _ordinal_correction(lines):
    """修正, 第二次修正, …: this one's place among the 修正 since the last 修订 or 通过."""
    text = "".join(lines)
    text = re.split(r"修订|重新公布", text)[-1]
    n = len(re.findall(r"(?:第[一二三四五六七八九十]+次)?修正", text))
    return "修正" if n == 0 else f"第{int2cn(n + 1)}次修正"


def _ordinal_revision(lines):
    """修订, 第二次修订, …: the State Council's decisions revise a 行政法规."""
    n = len(re.findall(r"(?:第[一二三四五六七八九十]+次)?修订", "".join(lines)))
    return "修订" if n == 0 else f"第{int2cn(n + 1)}次修订"


def _add_history(law, event, amendment_style=False):
    """Add *event* to the 题注 as it is printed: inside its parentheses, after the
    U+3000 the 题注 puts between its events (``（…通过　根据…修正）``), or, for a 修正案
    joining a 根据…、…修正 list, after ``、``; else as one more line, one event a line."""
    lines = list(law.caption_lines)
    if lines and lines[0].startswith(("（", "(")) and lines[-1].endswith(("）", ")")):
        close = lines[-1][-1]
        last = lines[-1][:-1]
        ev = event.replace(" ", "")
        if amendment_style and re.search(r"根据[^　]*》修正$", last):
            body = last[:-2]
            cut = body.rfind("》和")
            if cut >= 0 and "　" not in body[cut:]:
                body = body[:cut] + "》、" + body[cut + 2:]
            lines[-1] = f"{body}和{ev}修正{close}"
        else:
            lines[-1] = f"{last}\u3000根据{ev}" + ("修正" if amendment_style else "") + close
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
    if inst.law_missing:
        laws = "、".join(f"《{x}》" for x in inst.laws) or "no law by name"
        raise UsageError(f"the instrument amends {laws}; "
                         + (f"《{law.title}》 is not one of them" if law.title else "OLD has no title to choose by")
                         + " (choose one with --title)", source=instrument_name)
    pre_warnings = _other_law(inst, law)
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
            elif op == "add_sentence":
                _op_add_sentence(law, ins, added)
            elif op == "add_paragraph":
                _op_add_paragraph(law, ins, added)
            elif op == "merge":
                _op_merge(law, ins, added)
            elif op == "move":
                _op_move(law, ins, added)
            elif op == "move_paragraph":
                _op_move_paragraph(law, ins, added)
            elif op == "split":
                _op_split(law, ins, added)
            elif op == "paragraph_to_article":
                _op_paragraph_to_article(law, ins, added)
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
    warnings = pre_warnings + _cited_deleted(law)
    renumbered = bool(renumber and not amendment_style and (inst.reorder or inst.republish))
    if renumber and not renumbered and not amendment_style:
        labels = [a.label(False) for a in law.articles() if not getattr(a, "gone", False)]
        twice = sorted({x for x in labels if labels.count(x) > 1}, key=labels.index)
        if twice:
            # articles added at NEW numbers the old ones still hold: the numbers follow the order
            renumbered = True
            warnings.append(record("warning", stage="amend", code="renumbered-unasked",
                                   message=f"the instrument adds {'、'.join(twice)} where old articles of those "
                                           "numbers stay and does not say the order is adjusted: renumbered in order"))
    remap = None
    units = set(inst.renumber_units) if not amendment_style else set()
    if "款" in units:
        units.add("项")   # 条款: the provisions, their 项 with their 款
    if renumbered:
        units.add("条")
    else:
        units.discard("条")
    if renumbered or units & {"款", "项"}:
        mapping = _renumber(law) if renumbered else {}
        remapped, unresolved = _update_refs(law, mapping, units=units, renumbered=renumbered)
        remap = _renumber_record(inst, units, remapped, unresolved)
        warnings.extend(getattr(law, "shifted", []))
    if inst.date_text:
        _add_history(law, _history_line(inst, law), amendment_style)
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
            if remap is not None:
                yield remap
            yield from warnings
            statuses = [s for _, s, _ in results] + ([remap["status"]] if remap is not None else [])
            failed = statuses.count("failed")
            yield record("amend_summary", instrument=inst.title, style=inst.style, date=inst.date,
                         instructions=len(statuses), applied=len(statuses) - failed, failed=failed,
                         renumbered=renumbered)
        yield r
