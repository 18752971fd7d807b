"""The law being amended: articles, their 款, 项 and 目, and the headings above them.

The model keeps every unit of the OLD law in a *slot* that remembers its old
number, because a 修改决定 names every existing article, 款 and 项 by its number
in the OLD law, also after an earlier item added or removed one, while what
it adds gets its number in the NEW text.  Additions wait with their target
number and are placed only when every instruction has been applied
(:meth:`Seq.values`).
"""

import re

from clt.labels import ARTICLE_RE, ITEM_RE, SUBITEM_RE, ENUM_RE, HEADING_RE, HEADING_UNITS, SPACES
from clt.numerals import int2cn, to_int
from clt import recache

_ITEM_LABEL = recache.compile(r"^(?P<open>[（(])(?P<num>[零〇一二三四五六七八九十百]+)(?P<close>[）)])")
_ENUM_LABEL = recache.compile(r"^(?P<num>[零〇一二三四五六七八九十百]+)、")


class Slot:
    __slots__ = ("key", "content", "deleted")

    def __init__(self, key, content):
        self.key = key
        self.content = content      # a list of values (a replaced 款 may become two)
        self.deleted = False


class Seq:
    """Units in order, each in a slot with its OLD number; additions wait for
    their NEW number (or an anchor) until :meth:`values`."""

    def __init__(self, values, keys=None):
        keys = keys if keys is not None else list(range(1, len(values) + 1))
        self.slots = [Slot(k, [v]) for k, v in zip(keys, values)]
        self.adds = []        # (target position or None, anchor key or None, after, [values])
        self.changed = False

    def slot(self, key):
        for s in self.slots:
            if s.key == key:
                return s
        return None

    def live(self):
        return [s for s in self.slots if not s.deleted]

    def add(self, values, target=None, anchor=None, after=True):
        self.adds.append((target, anchor, after, list(values)))
        self.changed = True

    def values(self):
        """The units in their new order; additions placed at their NEW number."""
        out = []     # [(slot key or None, value)]
        for s in self.slots:
            if not s.deleted:
                out.extend((s.key, v) for v in s.content)
        pending = []
        for target, anchor, after, vals in self.adds:
            if target is None and anchor is not None:
                idx = [i for i, (k, _) in enumerate(out) if k == anchor]
                if idx:
                    at = idx[-1] + 1 if after else idx[0]
                    # after earlier additions anchored to the same place
                    while after and at < len(out) and out[at][0] == ("added", anchor):
                        at += 1
                    out[at:at] = [(("added", anchor), v) for v in vals]
                    continue
                out.extend((None, v) for v in vals)
            elif target is None:
                out.extend((None, v) for v in vals)
            else:
                pending.append((target, vals))
        pending.sort(key=lambda x: x[0])
        for target, vals in pending:
            at = max(0, min(len(out), target - 1))
            out[at:at] = [(None, v) for v in vals]
        return [v for _, v in out]


class Item:
    """A 项 (with its 目 lines): ``lines[0]`` opens with its label （一）."""

    def __init__(self, lines, new=False):
        self.lines = list(lines)
        self.new = new
        self.origins = []           # [(article key, 款, 项)] of the OLD law this 项 carries

    def texts(self):
        return self.lines


class Kuan:
    """A 款: its lead sentence (None when the article opens with a 项) and its 项."""

    def __init__(self, lead, items, new=False):
        self.lead = lead
        self.items = Seq(items)
        self.new = new
        self.lead_new = new
        self.relabel = False
        self.origins = []           # [(article key, 款)] of the OLD law this 款 carries (two when merged)

    def item_values(self):
        return self.items.values()


class Heading:
    def __init__(self, level, num, title, parent=None, new=False):
        self.level = level
        self.num = num
        self.title = title
        self.parent = parent
        self.new = new
        self.deleted = False
        self.new_num = num
        self.unit = {"part": "编", "subpart": "分编", "chapter": "章", "section": "节"}[level]
        self.arabic = False

    def label(self, renumbered=True):
        n = self.new_num if renumbered else self.num
        return f"第{n if self.arabic else int2cn(n)}{self.unit}"


class Article:
    def __init__(self, num, sub, kuans, path=None, new=False, label=None):
        self.num = num
        self.sub = sub
        self.kuans = Seq(kuans)
        self.path = path            # [Heading], None for an addition until placed
        self.new = new
        self.old_label = label
        self.anchor = None          # the article an addition follows (在第X条后)
        self.moved = False
        self.deleted_text = None    # 修正案: （删去）
        self.new_num = num
        self.new_sub = sub
        self.arabic = bool(label and re.match(r"^第[0-9０-９]", label))

    @property
    def key(self):
        return (self.num, self.sub)

    def label(self, renumbered):
        if renumbered:
            n, s = self.new_num, self.new_sub
        else:
            n, s = self.num, self.sub
        if self.arabic:
            return f"第{n}条" + (f"之{s}" if s else "")
        return f"第{int2cn(n)}条" + (f"之{int2cn(s)}" if s else "")

    def lines(self):
        """The article's paragraphs (款 and 项 lines) in order."""
        out = []
        for k in self.kuans.values():
            if k.lead is not None:
                out.append(k.lead)
            for it in k.item_values():
                out.extend(it.lines)
        return out


def classify(lines, new=False):
    """款 from an article's lines: a 项 line （一） (or 一、 after a lead that
    announces a list) joins the 款 before it, a 目 line 1. joins its 项."""
    kuans = []
    cur = None
    for line in lines:
        kind = line_kind(line, cur)
        if kind == "item":
            if cur is None:
                cur = Kuan(None, [], new=new)
                kuans.append(cur)
            cur.items.slots.append(Slot(len(cur.items.slots) + 1, [Item([line], new=new)]))
        elif kind == "subitem" and cur is not None and cur.items.slots:
            cur.items.slots[-1].content[-1].lines.append(line)
        else:
            cur = Kuan(line, [], new=new)
            kuans.append(cur)
    return kuans


def line_kind(line, cur):
    s = line.lstrip(SPACES)
    if ITEM_RE.match(s):
        return "item"
    if SUBITEM_RE.match(s) and cur is not None and cur.items.slots:
        return "subitem"
    if ENUM_RE.match(s) and cur is not None and (
            cur.items.slots and _ENUM_LABEL.match(cur.items.slots[-1].content[-1].lines[0])
            or not cur.items.slots and cur.lead and cur.lead.rstrip().endswith(("：", ":"))):
        return "item"
    return "kuan"


def relabel_items(items, style_from=None):
    """Number the 项 of a 款 in order, in the style the 款 already uses: （一） or (一) or 一、."""
    style = None
    for it in (style_from or []) + items:
        m = _ITEM_LABEL.match(it.lines[0])
        if m:
            style = (m.group("open"), m.group("close"))
            break
        if _ENUM_LABEL.match(it.lines[0]):
            style = ("", "、")
            break
    if style is None:
        style = ("（", "）")
    for n, it in enumerate(items, 1):
        first = it.lines[0]
        m = _ITEM_LABEL.match(first) or _ENUM_LABEL.match(first)
        body = first[m.end():] if m else first
        it.lines[0] = f"{style[0]}{int2cn(n)}{style[1]}{body}"


def split_quote_articles(paragraphs):
    """[(num, sub, label, [paragraphs])] of quoted paragraphs that open with
    article labels (增加两条：“第十一条　…”), or one unlabelled group."""
    groups = []
    for p in paragraphs:
        m = ARTICLE_RE.match(p)
        if m and (p[m.end():m.end() + 1] in SPACES or p[m.end():m.end() + 1] == ""):
            num = to_int(m.group("num"))
            sub = to_int(m.group("sub")) if m.group("sub") else None
            groups.append([num, sub, p[:m.end()].replace(" ", "").replace("\u3000", ""),
                           [p[m.end():].lstrip(SPACES)]])
        elif groups:
            groups[-1][3].append(p)
        else:
            groups.append([None, None, None, [p]])
    return groups


def split_heading_line(p):
    """(level, num, title) of a quoted heading line 第五章　审查标准, or None."""
    m = HEADING_RE.match(p)
    if not m:
        return None
    rest = p[m.end():]
    if rest and rest[0] not in SPACES:
        return None
    return HEADING_UNITS[m.group("unit")], to_int(m.group("num")), rest.strip(SPACES)
