"""题注 (the caption under a law's title) and the notice that published it.

A caption records the law's history in dated events::

    （2020年10月27日杭州市第十三届人民代表大会常务委员会第三十次会议通过
      2020年11月27日浙江省第十三届人民代表大会常务委员会第二十五次会议批准）

Each event is a date, the body that acted (``…会议``, ``国务院``), the act
(通过, 批准, 修正 with its ordinal 第二次修正, 修订, 公布, 发布, 施行) and,
for amendments, the instrument named in 《》.  :func:`parse_caption` splits
the caption at every date and reads each segment; the raw text is always
kept alongside, so nothing the parser does not understand is lost.

Notices (``中华人民共和国主席令 第九号``, ``杭州市人民代表大会常务委员会公告
第十四号``, ``国家市场监督管理总局令 第43号``) are read by :func:`parse_notice`.
"""

import re

from clt.numerals import CN_NUM_CHARS, NUM_RE, cn2int, to_int
from clt import recache

_YEAR = r"(?:[0-9０-９]{4}|[〇零○一二三四五六七八九]{4})"
_MD = r"(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})"
DATE_RE = recache.compile(rf"(?P<y>{_YEAR})[ \u3000]*年[ \u3000]*(?P<m>{_MD})[ \u3000]*月"
                     rf"(?:[ \u3000]*(?P<d>{_MD})[ \u3000]*日)?")

#: the acts a caption records, longest first so 第一次修正 wins over 修正
ACTS = ("修正", "修订", "通过", "批准", "公布", "发布", "施行", "实施", "废止", "颁布")
_ACT_RE = recache.compile(rf"(?:第(?P<ord>[{CN_NUM_CHARS}0-9]+)次)?(?P<act>{'|'.join(ACTS)})")


def _instrument(s):
    """The first 《…》 title in *s* (nested 〈〉/<> allowed) as a match-like (start, text), or None."""
    i = s.find("《")
    if i < 0:
        i = s.find("<")
    if i < 0:
        return None
    depth = 0
    for j in range(i, len(s)):
        c = s[j]
        if c in "《〈<":
            depth += 1
        elif c in "》〉>":
            depth -= 1
            if depth == 0:
                return i, s[i:j + 1]
    return None

OPEN = "（("
CLOSE = "）)"


def _date(m):
    y, mo = to_int(m.group("y")), to_int(m.group("m"))
    d = to_int(m.group("d")) if m.group("d") else None
    if y is None or mo is None:
        return None
    if d is None:
        return f"{y:04d}-{mo:02d}"
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _opens(s):
    """*s* opens with a parenthesis — or, misread by OCR, with 《〈[【 before a date."""
    return s[0] in OPEN or (s[0] in "《〈[【" and bool(DATE_RE.match(s[1:].lstrip(" \u3000"))))


def strip_parens(text):
    s = text.strip()
    if s and _opens(s):
        s = s[1:]
    if s and s[-1] in CLOSE:
        s = s[:-1]
    return s.strip()


def looks_like_caption(text, after_title=False):
    """True when *text* reads as a 题注: a parenthesised history, or (right
    after a title) bare dated events such as ``2020年10月27日 …会议通过``."""
    s = text.strip()
    if not s or len(s) > 1500:
        return False
    if _opens(s):
        # （2020年… — or, misread by OCR, 《2020年…
        inner = s[1:].lstrip(" \u3000")
        if DATE_RE.match(inner):
            return True
        # （国务院令第643号公布…） / （最高人民法院审判委员会第1382次会议通过）
        return bool(_ACT_RE.search(s[:200])) and s[-1] in CLOSE and "。" not in s[:-2]
    if after_title and DATE_RE.match(s) and _ACT_RE.search(s) and s[-1] not in "。；":
        return True
    return False


def parse_caption(text):
    """Events of a 题注: a list of dicts {date, act, ordinal?, body?, instrument?, text}."""
    s = strip_parens(text)
    s = re.sub(r"[\n\r]+", " ", s)
    starts = [m for m in DATE_RE.finditer(s)]
    events = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(s)
        seg = re.sub(r"(?:自|根据|并经|经)$", "", s[m.start():end].strip(" \u3000；;，,")).strip(" \u3000")
        rest = s[m.end():end]
        ev = {"date": _date(m)}
        acts = list(_ACT_RE.finditer(rest))
        if acts:
            last = acts[-1]
            ev["act"] = last.group("act")
            if last.group("ord"):
                try:
                    ev["ordinal"] = cn2int(last.group("ord"))
                except ValueError:
                    pass
            if len(acts) > 1:
                ev["acts"] = [a.group("act") for a in acts]
            first = acts[0]
            inst = _instrument(rest)
            cut = min(first.start(), inst[0]) if inst else first.start()
            body = rest[:cut].strip(" \u3000，,的")
            body = re.sub(r"^(?:由|经|起)", "", body).strip(" \u3000")
            if body:
                ev["body"] = body
            if inst:
                ev["instrument"] = inst[1]
        ev["text"] = seg
        events.append(ev)
    if not events and s:
        m = _ACT_RE.search(s)
        ev = {"date": None, "text": s}
        if m:
            ev["act"] = m.group("act")
            body = s[:m.start()].strip()
            if body:
                ev["body"] = body
        events.append(ev)
    return events


# --------------------------------------------------------------------------- notices

NOTICE_HEAD_RE = recache.compile(r"^(?P<issuer>.{0,40}?)(?P<kind>主席令|国务院令|公告|通告|令)"
                            rf"(?:[ \u3000]*[（(]?(?P<number>第[ \u3000]*{NUM_RE}[ \u3000]*号)[）)]?)?$")
NUMBER_RE = recache.compile(rf"^[（(]?第[ \u3000]*(?P<num>{NUM_RE})[ \u3000]*号[）)]?$")
DOC_NUMBER_RE = recache.compile(r"^\S{0,12}[〔\[［(（][0-9０-９]{4}[〕\]］)）][ \u3000]*[0-9０-９]+[ \u3000]*号$")


def is_notice_head(text):
    s = re.sub(r"[ \u3000]+", "", text.strip())
    return bool(s) and len(s) <= 50 and bool(NOTICE_HEAD_RE.match(s)) and "条例" not in s[-6:]


def is_number_line(text):
    s = text.strip()
    return bool(NUMBER_RE.match(s) or DOC_NUMBER_RE.match(s))


def parse_notice(texts):
    """A summary {kind, issuer, number, num, date?} of the notice paragraphs *texts*."""
    out = {}
    for t in texts:
        s = re.sub(r"[ \u3000]+", "", t.strip())
        m = NOTICE_HEAD_RE.match(s) if len(s) <= 50 else None
        if m and "kind" not in out:
            out["kind"] = m.group("kind")
            if m.group("issuer"):
                out["issuer"] = m.group("issuer")
            out["title"] = s if not m.group("number") else s[:m.start("number")].rstrip("（(")
            if m.group("number"):
                out["number"] = m.group("number")
            continue
        m = NUMBER_RE.match(s)
        if m and "number" not in out:
            out["number"] = f"第{m.group('num')}号"
            continue
        m = DATE_RE.fullmatch(s)
        if m:
            out["date"] = _date(m)
    if "number" in out:
        n = re.sub(r"^第|号$", "", out["number"])
        try:
            out["num"] = cn2int(n)
        except ValueError:
            pass
    return out
