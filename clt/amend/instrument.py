"""Reading an amending instrument: its title, 题注, items and their instructions.

Two kinds of instrument change a law in China, and both are written in one
regular, official grammar:

* a 修改决定 (``全国人民代表大会常务委员会关于修改《…》的决定``, a local
  人大常委会's, the State Council's ``国务院关于修改《…》的决定``, a ministry's or
  the Supreme People's Court's), whose items name the OLD law's articles,
  款 and 项 and close with ``…根据本决定作相应修改并对条文顺序作相应调整，重新公布``;
* a 修正案 (``中华人民共和国刑法修正案（十一）``), which keeps the law's numbering:
  ``在刑法第X条后增加一条，作为第X条之一``.

An item (``一、…``) holds one or more sentences; each is an instruction such
as ``将第X条修改为：“…”``, ``将第X条、第Y条中的“A”修改为“B”``, ``删去第X条第二款``,
``在第X条中增加一款，作为第二款：“…”`` or ``增加一章，作为第五章：“…”``.
Quoted text follows the printing convention: every quoted paragraph opens with
``“`` on its own line and only the last one closes; a quotation's own double
quotes are printed ``‘’`` and are ``“”`` again in the law.

:func:`parse_instrument` turns the paragraphs of an instrument into an
:class:`Instrument` with :class:`Instruction` objects; it never raises on a
sentence it does not understand: that sentence becomes an instruction with
``op == "unknown"``, which the applier reports as failed.
"""

import re
from typing import List, Optional

from clt.numerals import CN_NUM_CHARS, to_int
from clt import recache

N = rf"(?:[{CN_NUM_CHARS}]+|[0-9０-９]+)"
#: placeholder characters standing for the quotations of a sentence
Q0 = 0xE000
QC = "[\ue000-\ue8ff]"

ITEM_NO_RE = recache.compile(rf"^(?P<no>[{CN_NUM_CHARS}]{{1,5}})、(?P<rest>.*)$", re.S)
DATE_RE = recache.compile(r"(?P<y>[0-9０-９]{4}|[〇零○一二三四五六七八九]{4})年(?P<m>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})月"
                     r"(?:(?P<d>[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})日)?")
COMMENCE_RE = recache.compile(r"^本(?:决定|修正案|修改决定|规定|解释)自(?P<when>.+?)起(?:施行|实施|生效)")
REPUBLISH_RE = recache.compile(r"重新公布|重新发布|重新印发")
#: how a law names itself in its own text (本法中的“A”修改为“B”)
SELF_NAMES = ("本法", "本条例", "本规定", "本办法", "本细则", "本规则", "本解释", "本决定", "本准则",
              "本实施办法", "本实施细则", "本法典", "本通则", "本章程", "本标准", "本意见", "本规范")
SELF_RE = "(?:" + "|".join(sorted(SELF_NAMES, key=len, reverse=True)) + ")"
UNIT_RE = recache.compile(rf"第[（(]?(?P<n>{N})[）)]?(?P<u>条|款|项|目|章|节|编|分编|句)(?:之(?P<sub>{N}))?")
SEP_RE = recache.compile(r"^(?:、|和|及|以及|与|，|,)$")


class Ref:
    """A place in the law: an article (num, sub) and optionally its 款 / 项 / 目,
    or a heading (level, num), as the instrument names it."""

    __slots__ = ("art", "sub", "kuan", "xiang", "mu", "level", "hnum", "parent", "ju")

    def __init__(self, art=None, sub=None, kuan=None, xiang=None, mu=None, level=None, hnum=None, parent=None,
                 ju=None):
        self.art, self.sub, self.kuan, self.xiang, self.mu = art, sub, kuan, xiang, mu
        self.level, self.hnum, self.parent = level, hnum, parent
        self.ju = ju              # 第二句: a sentence (up to its 。) of the unit named

    def copy(self, **kw):
        r = Ref(self.art, self.sub, self.kuan, self.xiang, self.mu, self.level, self.hnum, self.parent, self.ju)
        for k, v in kw.items():
            setattr(r, k, v)
        return r

    @property
    def unit(self):
        """The finest unit named: article, kuan, item, subitem or a heading level."""
        if self.level:
            return self.level
        if self.ju is not None:
            return "sentence"
        if self.mu is not None:
            return "subitem"
        if self.xiang is not None:
            return "item"
        if self.kuan is not None:
            return "paragraph"
        return "article"

    def label(self):
        from clt.numerals import int2cn

        if self.level:
            unit = {"part": "编", "subpart": "分编", "chapter": "章", "section": "节"}[self.level]
            own = f"第{int2cn(self.hnum)}{unit}"
            return (self.parent.label() if self.parent else "") + own
        s = ""
        if self.art is not None:
            s = f"第{int2cn(self.art)}条" + (f"之{int2cn(self.sub)}" if self.sub else "")
        if self.kuan is not None:
            s += f"第{int2cn(self.kuan)}款"
        if self.xiang is not None:
            s += f"第{int2cn(self.xiang)}项"
        if self.mu is not None:
            s += f"第{int2cn(self.mu)}目"
        if self.ju is not None:
            s += f"第{int2cn(self.ju)}句"
        return s

    def as_dict(self):
        d = {"label": self.label(), "unit": self.unit}
        for k in ("art", "sub", "kuan", "xiang", "mu", "ju"):
            v = getattr(self, k)
            if v is not None:
                d[{"art": "article", "sub": "sub", "kuan": "paragraph", "xiang": "item", "mu": "subitem",
                   "ju": "sentence"}[k]] = v
        if self.level:
            d["num"] = self.hnum
        return d

    def __repr__(self):
        return f"Ref({self.label()})"


_LEVEL = {"章": "chapter", "节": "section", "编": "part", "分编": "subpart"}


def parse_refs(s, context=None):
    """The places a target phrase names (``第七条、第八十条``, ``第三条第二款、第三款``,
    ``第十条至第十二条``, ``第四章第二节``), or None when *s* is not only that.

    A 款 or 项 after a separator belongs to the article before it; *context*
    (a :class:`Ref`) supplies the article of a phrase that names none
    (``第二款中的…``)."""
    s = s.strip()
    if not s:
        return None
    refs: List[Ref] = []
    pos = 0
    cur: Optional[Ref] = None
    pending_range = False
    adjacent = False
    while pos < len(s):
        m = UNIT_RE.match(s, pos)
        if m:
            n = to_int(m.group("n"))
            u = m.group("u")
            sub = to_int(m.group("sub")) if m.group("sub") else None
            if n is None:
                return None
            if u == "条":
                new = Ref(art=n, sub=sub)
            elif u in _LEVEL:
                level = _LEVEL[u]
                if adjacent and cur is not None and cur.level:
                    new = Ref(level=level, hnum=n, parent=cur)
                    refs.pop()
                else:
                    new = Ref(level=level, hnum=n)
            else:
                field = {"款": "kuan", "项": "xiang", "目": "mu", "句": "ju"}[u]
                base = cur if cur is not None else context
                if base is None or base.level:
                    base = Ref()
                if adjacent and cur is not None:
                    new = cur.copy(**{field: n})
                    refs.pop()
                else:
                    # after a separator: same article (and 款 for a 项), this unit
                    keep = {"kuan": ("art", "sub"), "xiang": ("art", "sub", "kuan"), "mu": ("art", "sub", "kuan", "xiang"),
                            "ju": ("art", "sub", "kuan", "xiang", "mu")}[field]
                    new = Ref(**{k: getattr(base, k) for k in keep}) if base else Ref()
                    setattr(new, field, n)
            if pending_range and refs:
                start = refs[-1]
                refs.extend(_expand(start, new))
                pending_range = False
            else:
                refs.append(new)
            cur = new
            pos = m.end()
            adjacent = True
            continue
        for sep in ("以及", "、", "和", "及", "与", "，", ",", "至", "到", "或者", "或"):
            if s.startswith(sep, pos):
                if sep in ("至", "到"):
                    pending_range = True
                pos += len(sep)
                adjacent = False
                break
        else:
            return None
    if pending_range or not refs:
        return None
    return refs


def _expand(start, end):
    """The places after *start* up to *end* in a range (第十条至第十二条)."""
    for field in ("ju", "mu", "xiang", "kuan", "art", "hnum"):
        a, b = getattr(start, field), getattr(end, field)
        if a is not None and b is not None and a != b:
            if b < a or b - a > 2000:
                return [end]
            return [end.copy(**{field: k}) for k in range(a + 1, b + 1)]
    return [end]


class Quote:
    """One quotation: its paragraphs, inner ‘’ turned back into “”."""

    def __init__(self, paragraphs):
        self.paragraphs = paragraphs

    @property
    def text(self):
        return "\n".join(self.paragraphs)


class Instruction:
    """One instruction of an item: ``op`` and its operands.

    ops: replace (a unit's text), phrase_replace, phrase_delete, phrase_insert,
    delete (a unit), add_article, add_paragraph (款/项/目), add_heading,
    rename_heading, merge (articles, 款 or 项), move, move_paragraph (a 款 to another
    article), paragraph_to_article (a 款 made an article), split (an article into
    several), title, note (a sentence that only describes
    the consequence of another, 原第一项至第二项相应改为第二项至第三项),
    commence, republish, unknown."""

    def __init__(self, op, item=None, text="", **kw):
        self.op = op
        self.item = item          # the item's number in the instrument ("一"), or None
        self.item_index = None    # 1-based position of the item
        self.text = text          # the instrument's own words for this instruction
        self.targets: List[Ref] = kw.pop("targets", [])
        self.quotes: List[Quote] = kw.pop("quotes", [])
        self.pairs = kw.pop("pairs", [])         # [(old, new)] for phrase_replace
        self.phrases = kw.pop("phrases", [])     # for phrase_delete
        self.anchor: Optional[Ref] = kw.pop("anchor", None)
        self.after = kw.pop("after", True)
        self.new_numbers = kw.pop("new_numbers", [])   # [(num, sub)] of added articles / headings
        self.unit = kw.pop("unit", None)          # kuan / item / subitem / chapter ... of an addition
        self.count = kw.pop("count", 1)
        self.law_wide = kw.pop("law_wide", False)
        self.extra = kw

    def as_dict(self):
        d = {"op": self.op}
        if self.targets:
            d["target"] = [t.as_dict() for t in self.targets]
        if self.anchor is not None and self.op == "move_paragraph":
            d["to"] = self.anchor.as_dict()
        elif self.anchor is not None:
            d["anchor"] = self.anchor.as_dict()
            d["position"] = "after" if self.after else "before"
        if self.law_wide:
            d["scope"] = "law"
        if self.pairs:
            d["old"] = [a for a, _ in self.pairs]
            d["new"] = [b for _, b in self.pairs]
        if self.phrases:
            d["old"] = list(self.phrases)
        if self.quotes and not self.pairs:
            d["new"] = [p for q in self.quotes for p in q.paragraphs]
        if self.new_numbers:
            d["new_numbers"] = [list(x) if isinstance(x, tuple) else x for x in self.new_numbers]
        if self.unit:
            d["unit"] = self.unit
        d.update(self.extra)
        return d


class Instrument:
    def __init__(self):
        self.title = ""
        self.caption = ""
        self.date = None            # "2024-05-07"
        self.date_text = ""         # "2024年5月7日"
        self.body = ""              # the body that adopted it (…会议, 国务院…)
        self.style = "decision"     # or "amendment"
        self.law_title = None       # the law it amends, from 《…》 in its title / enacting words
        self.enacting = ""
        self.items = []             # [(number, text)]
        self.instructions: List[Instruction] = []
        self.closing = []
        self.republish = False
        self.reorder = False        # …并对条文顺序作相应调整
        #: the units whose numbers the closing says are adjusted (对条款序号作相应调整: 条 and 款),
        #: and the words that say so
        self.renumber_units = set()
        self.renumber_text = ""
        self.effective = None
        self.approval = None        # (date text, body) of the 批准 a city's decision records
        self.laws = []              # every law an instrument amending several names
        self.multi = False
        self.law_missing = False    # the law given is none of them


# --------------------------------------------------------------------------- reading

def _date_iso(m):
    y, mo = to_int(m.group("y")), to_int(m.group("m"))
    d = to_int(m.group("d")) if m.group("d") else None
    if y is None or mo is None:
        return None
    return f"{y:04d}-{mo:02d}" + (f"-{d:02d}" if d else "")


_CORNER = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’", "﹁": "“", "﹂": "”", "﹃": "‘", "﹄": "’"})


def normalize_quotes(paras):
    """The paragraphs with the quotation marks real instruments print: corner
    brackets 「」『』 and straight quotes ``"`` ``＂`` (typed or from a PDF) become
    “” and ‘’.  A straight quote opens when no quotation is open, and also at the
    start of a paragraph (the next paragraph of an open quotation, which only the
    last one closes); else it closes.  A straight single quote inside a
    quotation is its own quotation mark (‘’)."""
    out = []
    open_ = False
    inner = False
    for p in paras:
        p = p.translate(_CORNER)
        if '"' not in p and "＂" not in p and "'" not in p:
            for ch in p:
                if ch == "“":
                    open_ = True
                elif ch == "”":
                    open_ = False
            out.append(p)
            continue
        buf = []
        for i, ch in enumerate(p):
            if ch in '"＂':
                if not open_ or i == 0:
                    ch, open_ = "“", True
                else:
                    ch, open_ = "”", False
                inner = False
            elif ch == "'" and open_:
                ch = "’" if inner else "‘"
                inner = not inner
            elif ch == "“":
                open_ = True
            elif ch == "”":
                open_ = False
            buf.append(ch)
        out.append("".join(buf))
    return out


def _quotes_balance(text):
    """Whether a quotation is still open at the end of *text*."""
    open_ = False
    for i, ch in enumerate(text):
        if ch == "“":
            if open_ and (i == 0 or text[i - 1] == "\n"):
                continue  # a new paragraph of the same quotation
            open_ = True
        elif ch == "”":
            open_ = False
    return open_


def parse_instrument(paragraphs, law_title=None, pick=None):
    """An :class:`Instrument` from its paragraphs (one string each).

    *law_title* (the title of the law being amended) and *pick* (``--title``)
    choose the decision when the text holds several documents."""
    paras = [p.strip() for p in paragraphs]
    paras = [p for p in paras if p]
    paras = normalize_quotes(paras)
    paras = _select(paras, law_title, pick)
    inst = Instrument()
    if not paras:
        return inst
    i = 0
    # a title and its 题注 joined in one paragraph (a PDF's centred lines through normalize)
    m = re.match(r"^(?P<t>.*(?:决定|修正案(?:[（(][^）)]*[）)])?))(?P<c>[（(][^（()）]*(?:[0-9０-９]{4}|[〇零○一二三四五六七八九]{4})年.*[）)])$",
                 paras[0])
    if m and len(m.group("t")) >= 6:
        paras[0:1] = [m.group("t"), m.group("c")]
    # title: up to the 题注, the enacting words or the first item; a title may wrap over lines
    title_parts = []
    while i < len(paras) and not _starts_body(paras[i]) and not paras[i].startswith(("（", "(")) \
            and not ITEM_NO_RE.match(paras[i]) and not (title_parts and _enacting(paras[i])):
        title_parts.append(paras[i])
        i += 1
        last = title_parts[-1]
        if len(title_parts) >= 3 or last.endswith("的决定") or re.search(r"修正案(?:[（(][^）)]*[）)])?$", last):
            break
    inst.title = "".join(title_parts)
    if "修正案" in inst.title and "决定" not in inst.title:
        inst.style = "amendment"
    m = _LAW_NAME_RE.search(inst.title)
    if m:
        inst.law_title = m.group(1)
    if i < len(paras) and paras[i].startswith(("（", "(")) and not SUB_NO_RE.match(paras[i]):
        cap = paras[i]
        while not cap.endswith(("）", ")")) and i + 1 < len(paras) and not _starts_body(paras[i + 1]):
            i += 1
            cap += paras[i]
        inst.caption = cap
        i += 1
        dm = DATE_RE.search(cap)
        if dm:
            inst.date = _date_iso(dm)
            inst.date_text = dm.group(0)
            rest = cap[dm.end():].strip("（）() \u3000")
            bm = re.match(r"(.+?会议)", rest) or re.match(r"(.+?(?:国务院|委员会|人民法院|人民检察院|部|局|署|总局))", rest)
            if bm:
                inst.body = bm.group(1)
            # a city's regulation: …会议通过　2026年12月20日…省…会议批准
            for am in DATE_RE.finditer(cap, dm.end()):
                rest2 = cap[am.end():]
                pm = re.match(r"[ \u3000]*(?P<b>[^　（）()]+?会议)批准", rest2)
                if pm:
                    inst.approval = (am.group(0), pm.group("b"))
                    break
    # enacting words: "…决定对《…》作如下修改：", "…通过…决定："
    while i < len(paras) and not _starts_body(paras[i]) and not ITEM_NO_RE.match(paras[i]) \
            and not SUB_NO_RE.match(paras[i]) and not _closing(paras[i]):
        if re.search(r"(作如下修改|修改如下|决定[:：]|如下[:：])\s*$", paras[i]) or inst.enacting == "" and \
                re.search(r"决定|修改", paras[i]) and paras[i].endswith(("：", ":")):
            inst.enacting = paras[i]
            i += 1
            break
        inst.enacting += paras[i]
        i += 1
    if inst.law_title is None:
        m = _LAW_NAME_RE.search(inst.enacting)
        if m:
            inst.law_title = m.group(1)
    # items: 一、…; an instrument numbering them （一） (a ministry's) when none is 一、
    items, closing = _split_items(paras[i:], ITEM_NO_RE)
    if all(no is None for no, _ in items) and any(SUB_NO_RE.match(p) for p in paras[i:]):
        items, closing = _split_items(paras[i:], SUB_NO_RE)
    inst.closing.extend(closing)
    items = _law_parts(inst, items, law_title, pick)
    inst.items = items
    for k, (no, text) in enumerate(items, 1):
        for ins in parse_item(text, inst, law_title or inst.law_title):
            ins.item = no
            ins.item_index = k
            inst.instructions.append(ins)
    for p in inst.closing:
        _closing_facts(inst, p)
    return inst


#: a sub-item of an item (（一）将第七条修改为…) or an item a ministry numbers so
SUB_NO_RE = recache.compile(rf"^(?:[（(](?P<no>[{CN_NUM_CHARS}]{{1,5}})[）)]|(?P<ar>[0-9０-９]{{1,3}})[.．、])(?P<rest>.*)$", re.S)
#: an item that only names the law its sub-items amend (一、对《…》作出修改)
LAW_HEAD_RE = recache.compile(r"^(?:对|修改|关于)?《(?P<law>.+)》(?:的修改|修改如下|作(?:出|如下|以下)?(?:如下)?修改|的有关条款作出修改|)[：:。]?$")
#: what follows the items and is none of them: the date and the signature of a decree
_TAIL_RE = recache.compile(r"^(?:(?:国务院)?(?:总理|主席|部长|院长|主任|局长|署长|委员长|省长|市长)[ \u3000]*\S{1,4}|"
                      r"[0-9０-９〇零○一二三四五六七八九]{4}年[0-9０-９一二三四五六七八九十]{1,3}月"
                      r"[0-9０-９一二三四五六七八九十]{1,3}日)$")


def _split_items(paras, num_re):
    """[(number, text)] of the items and the closing paragraphs, items numbered by *num_re*."""
    items, closing = [], []
    cur_no, cur = None, None
    for p in paras:
        m = num_re.match(p)
        if cur is not None and _quotes_balance(cur):
            # inside a quotation — unless the paragraph opens the next item by number (a
            # quotation that lost its closing mark must not swallow the items after it)
            nxt = m.group("no") or m.group("ar") if m and not p.startswith("“") else None
            if nxt is None or cur_no is None or to_int(nxt) != (to_int(cur_no) or -9) + 1:
                cur += "\n" + p
                continue
        if m and not p.startswith("“"):
            if cur is not None:
                items.append((cur_no, cur))
            cur_no, cur = m.group("no") or m.group("ar"), m.group("rest")
            continue
        tail = _TAIL_RE.match(p) and items
        if cur is None or _closing(p) or tail:
            if cur is not None:
                items.append((cur_no, cur))
                cur_no, cur = None, None
            if _closing(p) or tail:
                closing.append(p)
            else:
                cur_no, cur = None, p  # an instrument of a single, unnumbered item
            continue
        cur += "\n" + p
    if cur is not None:
        items.append((cur_no, cur))
    return items, closing


def same_law(a, b):
    """Whether two printed names are the same law (spaces, 《》 and a leading
    中华人民共和国 aside)."""
    def norm(t):
        t = re.sub(r"[\s《》〈〉]", "", t or "")
        return re.sub(r"^中华人民共和国", "", t)
    return bool(a and b) and norm(a) == norm(b)


def _item_law(text):
    """The law an item names outside its quotations (将《A条例》第三条修改为…), or None."""
    frame, _ = _frame(text)
    m = re.search(r"《([^》\ue000-\ue8ff]+)》(?=第|中的|中|的|全文|$)", frame.split("\n")[0])
    return m.group(1) if m else None


def _law_parts(inst, items, law_title, pick):
    """The items of an instrument amending several laws (关于修改《A法》等八部法律的决定)
    that amend *law_title*: an item naming the law and holding its sub-items
    (``一、对《A法》作出修改`` then ``（一）…``), or items naming it in their own words
    (``一、将《A条例》第三条修改为…``).  ``inst.laws`` lists every law named,
    ``inst.law_missing`` is set when *law_title* is none of them."""
    parts = []           # (law, number, text)
    law = None
    for no, text in items:
        first, _, body = text.partition("\n")
        m = LAW_HEAD_RE.match(first.strip())
        if m:
            law = m.group("law")
            subs, _ = _split_items(body.split("\n"), SUB_NO_RE) if body else ([], [])
            if not subs:
                parts.append((law, no, ""))
            for sno, stext in subs:
                parts.append((law, f"{no}（{sno}）" if no and sno else (no or sno), stext))
            continue
        named = _item_law(text)
        if named is not None:
            law = named
        parts.append((law, no, text))
    laws = []
    for lw, _, _ in parts:
        if lw and not any(same_law(lw, x) for x in laws):
            laws.append(lw)
    inst.laws = laws
    inst.law_missing = False
    if len(laws) < 2 and not any(LAW_HEAD_RE.match(t.partition("\n")[0].strip()) for _, t in items):
        return items
    want = pick or law_title
    inst.multi = True
    if not want:
        inst.law_missing = True
        return []
    mine = [(no, text) for lw, no, text in parts if lw and (same_law(lw, want) or (pick and pick in lw))]
    if not mine:
        inst.law_missing = True
        return []
    inst.law_title = next(lw for lw in laws if same_law(lw, want) or (pick and pick in lw))
    return [(no, text) for no, text in mine if text]


def _closing(p):
    """The closing words: 本决定自…起施行, …重新公布, and the State Council's 此外，对相关行政法规的
    条文顺序作相应调整 after the last item."""
    if p.startswith("“"):
        return False
    return bool(COMMENCE_RE.match(p) or REPUBLISH_RE.search(p)
                or len(p) < 80 and ADJUST_RE.search(p) and not re.match(r"^(?:将|删去|在|增加)", p))


def _closing_facts(inst, p):
    m = COMMENCE_RE.match(p)
    if m:
        inst.effective = m.group("when")
    for sent in re.split(r"(?<=。)", p):
        if not sent.strip():
            continue
        if inst.multi:
            # 《A法》、《B法》根据本决定作相应修改并对条文顺序作相应调整，重新公布: for the laws it names
            named = re.findall(r"《([^《》]+(?:《[^《》]*》[^《》]*)*)》", sent)
            if named and not any(same_law(x, inst.law_title) for x in named):
                continue
        if REPUBLISH_RE.search(sent):
            inst.republish = True
            if re.search(r"条文顺序|顺序作相应调整|条文序号", sent):
                inst.reorder = True
        m = ADJUST_RE.search(sent)
        if m:
            what = m.group("what")
            units = {u for u in "条款项" if u in what}
            if "条文" in what or not units:
                units.add("条")
            inst.renumber_units |= units
            inst.renumber_text = sent
            if "条" in units:
                inst.reorder = True


#: 对条文顺序作相应调整, 对条款序号作相应调整, 对条、款、项序号作相应调整, 相关条款序号相应调整
ADJUST_RE = recache.compile(r"(?P<what>[条款项文、和及与]{1,8})(?:的)?(?:顺序|序号|次序)(?:作|做|进行)?相应(?:的)?调整")


#: a law's name in 《》, one level of 《》 inside it (《最高人民法院关于适用《…》若干问题的规定》)
_LAW_NAME_RE = recache.compile(r"《([^《》]+(?:《[^《》]*》[^《》]*)*)》")


def _enacting(p):
    """The enacting words: …会议决定对《…》作如下修改：, 现决定：."""
    return bool(re.search(r"(?:决定|修改|如下)[：:]?$", p) and re.search(r"决定|会议|修改", p) and len(p) > 8
                and not re.search(r"的决定$", p))


def _starts_body(p):
    return bool(re.match(r"^(?:将|删去|在|增加)", p))


def _select(paras, law_title, pick):
    """The paragraphs of the one instrument *pick* (or the law's title) names,
    when several documents are printed together (a bulletin)."""
    heads = [k for k, p in enumerate(paras)
             if len(p) < 120 and (re.search(r"关于修改.*的决定$", p) or re.search(r"修正案(?:（[^）]*）)?$", p))]
    if len(heads) <= 1 and not pick:
        return paras[heads[0]:] if heads else paras
    want = None
    for k in heads:
        if pick and pick in paras[k]:
            want = k
            break
    if want is None and pick and len(heads) != 1:
        # (one instrument: --title names the law of its part, see _law_parts)
        for k, p in enumerate(paras):
            if pick in p and not ITEM_NO_RE.match(p) and not SUB_NO_RE.match(p) and not p.startswith("“") \
                    and not LAW_HEAD_RE.match(p):
                want = k
                break
    if want is None and law_title:
        for k in heads:
            if law_title in paras[k] or _short(law_title) in paras[k]:
                want = k
                break
    if want is None:
        want = heads[0] if heads else 0
    later = [k for k in heads if k > want]
    end = later[0] if later else len(paras)
    return paras[want:end]


def _short(title):
    return re.sub(r"^中华人民共和国", "", title or "")


# --------------------------------------------------------------------------- sentences

def _frame(text):
    """(*frame*, quotes): *text* with each quotation replaced by one placeholder
    character, and the quotations."""
    out, quotes = [], []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch != "“":
            out.append(ch)
            i += 1
            continue
        # a quotation: paragraphs until ”; "\n“" continues it
        paras, buf = [], []
        i += 1
        closed = False
        while i < n:
            c = text[i]
            if c == "”":
                # a closing mark; but ”“ or ” followed by more text inside? take it as the end
                closed = True
                i += 1
                break
            if c == "\n":
                if i + 1 < n and text[i + 1] == "“":
                    paras.append("".join(buf))
                    buf = []
                    i += 2
                    continue
                # a paragraph that does not open with “ (typed or pasted so): the same
                # quotation when the next quotation mark closes it
                nxt = re.search("[“”]", text[i + 1:])
                if nxt is not None and nxt.group(0) == "”":
                    paras.append("".join(buf))
                    buf = []
                    i += 1
                    continue
                # a quotation that does not close before a new sentence: end it here
                break
            buf.append(c)
            i += 1
        paras.append("".join(buf))
        paras = [p.replace("‘", "“").replace("’", "”") for p in paras]
        quotes.append(Quote(paras))
        out.append(chr(Q0 + len(quotes) - 1))
        if not closed and i < n and text[i] == "\n":
            out.append("\n")
            i += 1
    return "".join(out), quotes


def _strip_law_names(frame, names):
    for name in sorted(names, key=len, reverse=True):
        if name:
            frame = re.sub(re.escape(name) + r"(?=第|中的)", "", frame)
    # 《…》第X条 inside a target
    return frame


def law_names(title):
    names = set()
    if title:
        names |= {title, f"《{title}》", _short(title), f"《{_short(title)}》"}
    return names


def parse_item(text, inst, law_title=None):
    """The instructions of one item (its number removed)."""
    frame, quotes = _frame(text)
    names = law_names(law_title) | law_names(inst.law_title)
    m = re.search(r"^(?:中华人民共和国)?(.+?)修正案", inst.title or "")
    if m:
        names |= law_names(m.group(1)) | law_names("中华人民共和国" + m.group(1))
    frame = _strip_law_names(frame.translate(_PUNCT), names)
    frame = re.sub(r"\n(?=" + QC + ")", "", frame)
    sentences = _sentences(frame)
    out = []
    ctx = None
    prev = None
    for s, raw in sentences:
        words = _unframe(raw, quotes)
        ins = parse_sentence(s, quotes, ctx, prev)
        ins.text = words
        if ins.op in ("phrase_replace", "phrase_delete", "phrase_insert"):
            prev = ins
        if ins.targets:
            ctx = ins.targets[-1]
        elif ins.anchor is not None:
            ctx = ins.anchor
        if ins.op == "add_article" and ins.new_numbers:
            num, sub = ins.new_numbers[-1]
            ctx = Ref(art=num, sub=sub)
        out.append(ins)
    return out


#: half-width punctuation and spaces in an instruction's own words (a PDF, a typed text)
_PUNCT = str.maketrans({":": "：", ",": "，", ";": "；", "(": "（", ")": "）", " ": None, "\u3000": None,
                        "\t": None, "\u00a0": None})


def _unframe(s, quotes):
    def q(m):
        qq = quotes[ord(m.group(0)) - Q0]
        return "“" + "\n“".join(p.replace("“", "‘").replace("”", "’") for p in qq.paragraphs) + "”"
    return re.sub(QC, q, s).strip()


_VERB = rf"(?:将|删去|删除|在第|在{QC}|增加|(?:并|同时)(?:将|删去|删除|在第|在{QC}|增加)|原第)"


def _sentences(frame):
    """(normalized sentence, raw sentence) pairs: split at 。；, line breaks and a
    comma that opens a new instruction (…修改为“B”，删去…)."""
    parts = []
    for line in frame.split("\n"):
        for piece in re.split(r"[。；;]", line):
            for sub in re.split(rf"，(?={_VERB})", piece):
                parts.extend(re.split(rf"(?<={QC})(?={_VERB})(?!(?:予以)?(?:删去|删除)$)", sub))
    out = []
    for p in parts:
        raw = p
        s = p.strip(" \u3000，,")
        s = re.sub(r"^(?:并|同时|另外|此外)，?", "", s)
        if not s:
            continue
        out.append((s, raw))
    return out


def _targets(s, ctx):
    return parse_refs(s, ctx)


def _qs(s, quotes):
    return [quotes[ord(c) - Q0] for c in s if Q0 <= ord(c) < Q0 + 0x900]


_SELF = rf"(?:{SELF_RE})"
_NUMLIST = rf"第{N}(?:条|款|项|目|章|节)(?:之{N})?(?:[、和及至]第{N}(?:条|款|项|目|章|节)(?:之{N})?)*"


def parse_sentence(s, quotes, ctx=None, prev=None):
    """One :class:`Instruction` from one sentence of an item (its quotations
    replaced by placeholders, see :func:`_frame`).  *prev*, the phrase
    instruction before it in the item, supplies the units of a phrase
    instruction that names none (``…修改为“B”，并删去“C”``)."""
    q = QC
    s = re.sub(r"^(?:并且|并|同时|再)(?=将|删去|删除|在)", "", s)
    m = COMMENCE_RE.match(s)
    if m:
        return Instruction("commence", when=m.group("when"))
    if REPUBLISH_RE.search(s):
        return Instruction("republish")
    # 原第一项至第二项相应改为第二项至第三项: a consequence, stated for the reader
    m = re.match(rf"^原(?P<a>.+?)(?:相应|依次|顺延)?(?:改为|调整为|顺延为|变为)(?P<b>.+)$", s) or \
        re.match(rf"^(?P<a>第.+?)(?:相应|依次|顺延)(?:改为|调整为|顺延为|变为)(?P<b>第.+)$", s)
    if m and parse_refs(m.group("a"), ctx) and parse_refs(m.group("b"), ctx):
        return Instruction("note", targets=parse_refs(m.group("a"), ctx),
                           renumbered_to=[r.label() for r in parse_refs(m.group("b"), ctx)])
    # titles and heading names
    m = re.match(rf"^将(?P<t>.*?)的?(?P<what>章名|节名|编名|分编名|标题|名称|题目){q}?(?:修改为|改为)：?(?P<q>{q})$", s)
    if m:
        t = m.group("t")
        refs = parse_refs(t, ctx) if t else None
        if refs and all(r.level for r in refs):
            return Instruction("rename_heading", targets=refs, quotes=_qs(m.group("q"), quotes))
        if m.group("what") in ("标题", "名称", "题目") and (not t or re.fullmatch(rf"(?:{_SELF[3:-1]}|《.*》|.*(?:法|条例|规定|办法|细则|决定))?", t)):
            return Instruction("title", quotes=_qs(m.group("q"), quotes))
    # phrase replacement: 将T中的“A”修改为“B”[，“C”修改为“D”]
    m = re.match(rf"^将?(?P<t>.*?)(?:中的|中|里的)(?P<rest>{q}.*)$", s)
    if m:
        pairs = _pairs(m.group("rest"), quotes)
        if pairs is not None:
            ins = _phrase_instruction("phrase_replace", m.group("t"), ctx, ("全文", "本法全文", "条文"), pairs=pairs)
            if ins:
                return ins
    # 删去T中的“A”[、“B”]; 将T中的“A”删去
    m = re.match(rf"^(?:删去|删除)(?P<t>.*?)(?:中的|中)(?P<q>{q}(?:[、和及]{q})*)(?:等字|字样|等内容)?$", s) or \
        re.match(rf"^将(?P<t>.*?)(?:中的|中)(?P<q>{q}(?:[、和及]{q})*)(?:等字|字样|等内容)?(?:予以)?(?:删去|删除)$", s)
    if m:
        phrases = [x.text for x in _qs(m.group("q"), quotes)]
        ins = _phrase_instruction("phrase_delete", m.group("t"), ctx, phrases=phrases)
        if ins:
            return ins
    # 在T中的“A”后增加“B”
    m = re.match(rf"^在(?P<t>.*?)(?:中的|中)(?P<a>{q})(?P<pos>之?后|之?前)(?:面)?(?:增加|增写|加上|插入|添加)(?P<b>{q})$", s)
    if m:
        a, b = _qs(m.group("a"), quotes)[0].text, _qs(m.group("b"), quotes)[0].text
        ins = _phrase_instruction("phrase_insert", m.group("t"), ctx, pairs=[(a, b)], after="后" in m.group("pos"))
        if ins:
            return ins
    # a phrase instruction naming no unit: the units of the phrase instruction before
    # it in the item (将第五条中的“A”修改为“B”，“C”修改为“D”；删去“E”)
    bare = None
    m = re.match(rf"^将?(?P<rest>{q}.*)$", s)
    if m:
        pairs = _pairs(m.group("rest"), quotes)
        if pairs is not None:
            bare = ("phrase_replace", {"pairs": pairs})
    m = re.match(rf"^(?:删去|删除)(?P<q>{q}(?:[、和及]{q})*)(?:等字|字样)?$", s) or \
        re.match(rf"^将(?P<q>{q}(?:[、和及]{q})*)(?:等字|字样)?(?:予以)?(?:删去|删除)$", s)
    if m:
        bare = ("phrase_delete", {"phrases": [x.text for x in _qs(m.group("q"), quotes)]})
    m = re.match(rf"^在(?P<a>{q})(?P<pos>之?后|之?前)(?:面)?(?:增加|增写|加上|插入|添加)(?P<b>{q})$", s)
    if m:
        a, b = _qs(m.group("a"), quotes)[0].text, _qs(m.group("b"), quotes)[0].text
        bare = ("phrase_insert", {"pairs": [(a, b)], "after": "后" in m.group("pos")})
    if bare is not None:
        if prev is None:
            return Instruction("unknown", reason="a phrase instruction that names no article, and no instruction "
                                                 "before it in the item to go on with")
        return Instruction(bare[0], targets=list(prev.targets), law_wide=prev.law_wide, **bare[1])
    # split: 将第X条分为两条，作为第X条、第Y条[，修改为]：“第X条　…”“第Y条　…”
    m = re.match(rf"^将(?P<t>第{N}条(?:之{N})?)(?:分为|拆分为|拆分成|分成|修改为|改为)(?P<c>{N})条(?:，?作为(?P<n>{_NUMLIST}))?"
                 rf"(?:，?(?:并)?修改为)?：?(?P<q>{q}+)$", s)
    if m:
        refs = parse_refs(m.group("t"), ctx)
        if refs:
            return Instruction("split", targets=refs, count=to_int(m.group("c")) or 2,
                               new_numbers=_numbers(m.group("n")) if m.group("n") else [],
                               quotes=_qs(m.group("q"), quotes))
    # a 款 made an article of its own: 将第X条第Y款改为第Z条[，修改为：“…”] (Z in the NEW text)
    m = re.match(rf"^将(?P<t>第{N}条(?:之{N})?第{N}款)(?:改为|调整为|单列为|作为)(?P<n>第{N}条(?:之{N})?)"
                 rf"(?:，?(?:并)?修改为：?(?P<q>{q}+))?$", s)
    if m:
        src = parse_refs(m.group("t"), ctx)
        if src:
            return Instruction("paragraph_to_article", targets=src, new_numbers=_numbers(m.group("n")),
                               quotes=_qs(m.group("q") or "", quotes))
    # a 款 moved: 将第X条第Y款移至第Z条，作为第W款 / 将第X条第Y款移作第Z条第W款
    m = re.match(rf"^将(?P<t>第{N}条(?:之{N})?第{N}款)(?:移至|移到|调至|调到|移作|调整为|作为)(?P<z>第{N}条(?:之{N})?)"
                 rf"(?:，?作为)?(?P<w>第{N}款)?(?:，?(?:并)?修改为：?(?P<q>{q}+))?$", s)
    if m:
        src = parse_refs(m.group("t"), ctx)
        dest = parse_refs(m.group("z"), ctx)
        if src and dest:
            w = re.match(rf"第({N})款", m.group("w") or "")
            return Instruction("move_paragraph", targets=src, anchor=dest[0], unit="paragraph",
                               new_numbers=[to_int(w.group(1))] if w else [], quotes=_qs(m.group("q") or "", quotes))
    # merge: 将第X条和第Y条合并[，作为第Z条][，修改为：“…”]; 将第X条第二款、第三款合并为一款
    m = re.match(rf"^将(?P<t>.+?)合并(?:为一条|为一款|为一项|成一条|成一款|成一项)?(?:，?(?:作为|为)(?P<n>第{N}条(?:之{N})?))?"
                 rf"(?:(?:，?(?:并)?修改为)?：?(?P<q>{q}+))?$", s)
    if m:
        refs = parse_refs(m.group("t"), ctx)
        if refs and len(refs) >= 2:
            nn = _numbers(m.group("n")) if m.group("n") else []
            return Instruction("merge", targets=refs, new_numbers=nn,
                               quotes=_qs(m.group("q") or "", quotes))
    # move: 将第X条改为第Y条 (调整为, 移作) or 将第X条移至第Y条后[，作为第Z条], [，并修改为：“…”]
    m = re.match(rf"^将?(?P<t>第{N}条(?:之{N})?)(?:(?:改为|调整为|移作|作为|改作|顺延为)(?P<n>第{N}条(?:之{N})?)|"
                 rf"(?:移至|移到|调至|调到|调整至|调整到|移动至|移于)(?P<a>第{N}条(?:之{N})?)(?P<pos>之?后|之?前)"
                 rf"(?:，?作为(?P<n2>第{N}条(?:之{N})?))?)(?:，?(?:并|同时)?修改为：?(?P<q>{q}+))?$", s)
    if m:
        refs = parse_refs(m.group("t"), ctx)
        dest = parse_refs(m.group("a"), ctx) if m.group("a") else None
        if refs and (dest or not m.group("a")):
            return Instruction("move", targets=refs, anchor=dest[0] if dest else None,
                               after="后" in (m.group("pos") or "后"),
                               new_numbers=_numbers(m.group("n") or m.group("n2")),
                               quotes=_qs(m.group("q") or "", quotes))
    # whole unit replaced: 将T修改为：“…”
    m = re.match(rf"^将?(?P<t>.+?)(?:修改为|修改成)：?(?P<q>{q}+)$", s)
    if m:
        refs = parse_refs(m.group("t"), ctx)
        if refs:
            return Instruction("replace", targets=refs, quotes=_qs(m.group("q"), quotes))
    # a heading only: 删去第五章的章名 (its articles join the heading before)
    m = re.match(r"^(?:删去|删除)(?P<t>.+?)的?(?:章名|节名|编名|分编名|标题)$", s) or \
        re.match(r"^将(?P<t>.+?)的?(?:章名|节名|编名|分编名|标题)(?:予以)?(?:删去|删除)$", s)
    if m:
        refs = parse_refs(m.group("t"), ctx)
        if refs and all(r.level for r in refs):
            return Instruction("delete", targets=refs, heading_only=True)
    # delete a unit: 删去T
    m = re.match(r"^(?:删去|删除)(?P<t>.+)$", s) or re.match(r"^将(?P<t>.+?)(?:予以)?(?:删去|删除)$", s)
    if m:
        refs = parse_refs(m.group("t"), ctx)
        if refs:
            return Instruction("delete", targets=refs)
    # add articles: [在第X条后]增加一条，作为第Y条：“…”
    m = re.match(rf"^(?:在(?P<a>.+?)(?P<pos>之?后|之?前))?增加(?P<c>{N})条(?:条文)?(?:，?作为(?P<n>{_NUMLIST}))?：?(?P<q>{q}*)$", s)
    if m:
        anchor = parse_refs(m.group("a"), ctx) if m.group("a") else None
        if not m.group("a") or anchor:
            nn = _numbers(m.group("n")) if m.group("n") else []
            return Instruction("add_article", anchor=anchor[0] if anchor else None,
                               after="后" in (m.group("pos") or "后"), new_numbers=nn,
                               count=to_int(m.group("c")) or 1, quotes=_qs(m.group("q"), quotes))
    # add headings: [在第X章后]增加一章，作为第五章：“第五章　…”
    m = re.match(rf"^(?:在(?P<a>.+?)(?P<pos>之?后|之?前|中))?增加(?P<c>{N})(?P<u>章|节|编|分编)(?:，?作为(?P<n>(?:第{N}(?:章|编|分编))?(?:第{N}(?:章|节|编|分编))?))?：?(?P<q>{q}*)$", s)
    if m:
        anchor = parse_refs(m.group("a"), ctx) if m.group("a") else None
        nn = parse_refs(m.group("n"), None) if m.group("n") else None
        return Instruction("add_heading", anchor=anchor[0] if anchor else None, after="前" not in (m.group("pos") or ""),
                           unit=_LEVEL[m.group("u")], targets=nn or [], quotes=_qs(m.group("q"), quotes),
                           count=to_int(m.group("c")) or 1)
    # add a sentence: 在第X条第Y款第一句后增加一句：“…”, 在第X条第Y款中增加一句，作为第二句：“…”
    m = re.match(rf"^(?:在)?(?P<t>第.*?)(?P<pos>中|之?后|之?前|的?末尾|的?最后|句末)?增加(?:一句|内容)(?:，?作为(?P<n>第{N}句))?：?(?P<q>{q})$", s)
    if m:
        refs = parse_refs(m.group("t"), ctx)
        if not refs:
            return Instruction("unknown", reason="cannot read the place named")
        ref = refs[0]
        n = re.match(rf"第({N})句", m.group("n") or "")
        pos = m.group("pos") or ""
        if n:
            at = to_int(n.group(1))
        elif ref.ju is not None:
            at = ref.ju + 1 if "前" not in pos else ref.ju
        else:
            at = None             # 在第二款后增加一句 / 第二款中增加一句: at its end
        return Instruction("add_sentence", targets=[ref.copy(ju=None)], new_numbers=[at] if at else [],
                           quotes=_qs(m.group("q"), quotes))
    # add 款/项/目: [在]T[中][后]增加一款，作为第N款：“…”
    m = re.match(rf"^(?:在)?(?P<t>第.*?)?(?:中|后|之后)?增加(?P<c>{N})(?P<u>款|项|目)(?:，?作为(?P<n>第{N}(?:款|项|目)(?:[、至]第{N}(?:款|项|目))*))?：?(?P<q>{q}*)$", s)
    if m:
        t = m.group("t")
        refs = parse_refs(t, ctx) if t else None
        if t and not refs:
            return Instruction("unknown", reason="cannot read the place named")
        base = refs[0] if refs else (ctx.copy() if ctx is not None else None)
        unit = {"款": "paragraph", "项": "item", "目": "subitem"}[m.group("u")]
        nums = [to_int(x) for x in re.findall(rf"第({N})(?:款|项|目)", m.group("n") or "")]
        after_unit = None
        if refs and "后" in s[:s.find("增加")]:
            after_unit = refs[0]
        if base is None:
            return Instruction("unknown", reason="an addition that names no article")
        if unit == "paragraph":
            base = base.copy(kuan=None, xiang=None, mu=None)
        elif unit == "item":
            base = base.copy(xiang=None, mu=None)
        return Instruction("add_paragraph", targets=[base], unit=unit, new_numbers=nums,
                           count=to_int(m.group("c")) or 1, quotes=_qs(m.group("q"), quotes),
                           anchor=after_unit)
    return Instruction("unknown", reason="an instruction this grammar does not know")


def _phrase_instruction(op, t, ctx, whole=(), **kw):
    """A phrase instruction on T: the whole law when T names it (本法, or one of *whole*),
    else the units T cites; None when T is neither."""
    # (nothing before 中的: the law's own name, taken out — 将《某条例》中的“A”修改为“B”)
    if re.fullmatch(rf"(?:{_SELF}|《[^》]+》)?(?:的)?(?:全文|各条|条文|有关条款|相关条款)?", t) or t in whole:
        return Instruction(op, law_wide=True, **kw)
    refs = parse_refs(t, ctx)
    return Instruction(op, targets=refs, **kw) if refs else None


def _pairs(rest, quotes):
    """[(old, new)] from ``“A”修改为“B”，“C”修改为“D”`` or ``“A”、“B”分别修改为“C”、“D”``."""
    q = QC
    pairs = []
    pos = 0
    verb = r"(?:分别|统一|均|一律|全部|都)?(?:修改为|改为|替换为|修改成|改成)"
    pat = recache.compile(rf"(?P<a>{q}(?:[、和]{q})*)(?P<each>分别)?(?:统一|均|一律|全部|都)?(?:修改为|改为|替换为|修改成|改成)"
                     rf"(?P<b>{q}(?:[、和]{q}(?!{verb}))*)")
    while pos < len(rest):
        m = pat.match(rest, pos)
        if not m:
            return None
        olds = [x.text for x in _qs(m.group("a"), quotes)]
        news = [x.text for x in _qs(m.group("b"), quotes)]
        if len(news) == 1:
            pairs.extend((a, news[0]) for a in olds)
        elif len(news) == len(olds):
            pairs.extend(zip(olds, news))
        else:
            return None
        pos = m.end()
        if pos < len(rest):
            if rest[pos] in "，,、":
                pos += 1
                if rest.startswith("将", pos):
                    pos += 1
            else:
                return None
    return pairs or None


def _numbers(s):
    """[(num, sub)] of the article labels in *s* (第十一条、第十二条之一)."""
    out = []
    for m in re.finditer(rf"第(?P<n>{N})条(?:之(?P<s>{N}))?", s or ""):
        out.append((to_int(m.group("n")), to_int(m.group("s")) if m.group("s") else None))
    return out
