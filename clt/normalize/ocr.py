"""Repairs of what OCR misreads, proven by how Chinese legal text is printed.

These rules run only on lines that extract marks ``ocr: true``: a text
layer or a typed file says what its author wrote, and a ``○`` or a spaced
digit there is kept.  Each change is an ``edit`` of its rule, and none of
them guesses a word: they undo what an OCR engine does to forms the law's
typography fixes.

* ``ocr-zero``: a year written in Chinese numerals (二〇一四年) is four
  numerals from 〇一二三四五六七八九 before 年; OCR reads its 〇 as the Latin
  letter O/o, the digit 0 or the circle ○ (U+25CB).  Such a character
  inside a run of four with at least two real Chinese numerals, before 年,
  is 〇.
* ``ocr-digit-space``: Chinese text never separates the digits of one
  number with spaces (2 024年, 1 80天); Tesseract splits digit runs.  Spaces
  inside a run of digits that stands next to a Chinese character are closed
  up (a single-digit run with single spaces is already ``cjk-space``'s).

* ``ocr-lead-noise``: a printed line never starts with a punctuation mark
  before an article or heading label; a speck of dirt read as ``.`` or ``，``
  (in the margin, joined to the line by its baseline) would hide the label
  (``.第二条”本规定…``).  One to three such marks before 第X条/章/节/编 are
  removed.

* ``ocr-item-paren``: a 项 label whose （ OCR lost at a line's start (``二）``
  after ``（一）``) gets it back when the numbering proves the label (see
  :class:`ItemParen`).

* ``ocr-end-mark``: PP-OCR's text detector can draw a line's box short of
  a mark standing alone after the last character (the 。 that ends a 款, a
  small ring with paper around it), so the mark is never read.  extract
  looks at the cell after such a line's last character and, when it holds
  ink, reads the line again over it; a mark read there with high confidence
  is the line's ``end_mark`` evidence (text, confidence, box).  This rule
  writes it at the line's end — pixel evidence, not a guess from the words.
  A body paragraph of OCR'd text that still ends without a closing mark is
  reported (warning ``ocr-no-final-mark``), never completed by guess.

The rules are registered in :data:`clt.normalize.rules.RULES`.  All are idempotent: what they write they never match again.
"""


from clt.normalize.chars import IDEO, sub
from clt import recache

_CN = "〇一二三四五六七八九"
_ZERO_LIKE = "Oo0○◯О"  # Latin O/o, digit 0, white circle, large circle, Cyrillic O
_YEAR_RE = recache.compile(rf"(?<![{_CN}{_ZERO_LIKE}0-9十百])[{_CN}{_ZERO_LIKE}]{{4}}(?=[ \u3000]?年)")
_DIGIT_RUN_RE = recache.compile(rf"(?<=[{IDEO}])[ \u3000]*[0-9]+(?: [0-9]+)+(?![0-9A-Za-z.])"
                           rf"|(?<![0-9A-Za-z.])[0-9]+(?: [0-9]+)+(?=[ \u3000]*[{IDEO}%])")

def _zero(m):
    s = m.group(0)
    if sum(1 for c in s if c in _CN and c != "〇") < 2 or not any(c in _ZERO_LIKE for c in s):
        return None
    return "".join("〇" if c in _ZERO_LIKE else c for c in s)


def ocr_zero(text, edits):
    return sub(text, "ocr-zero", _YEAR_RE, _zero, edits)


def ocr_digit_space(text, edits):
    def close(m):
        s = m.group(0)
        lead = len(s) - len(s.lstrip(" \u3000"))
        return s[:lead] + s[lead:].replace(" ", "")

    return sub(text, "ocr-digit-space", _DIGIT_RUN_RE, close, edits)


_LEAD_NOISE_RE = recache.compile(r"^[.,，。、·'`_\-:：;；|丨]{1,3}[ \u3000]*(?=第[〇零一二三四五六七八九十百千0-9]+[条章节编])")


def lead_noise(text, edits):
    return sub(text, "ocr-lead-noise", _LEAD_NOISE_RE, lambda m: "", edits)


_ITEM_RE = recache.compile(r"^[(（][ \u3000]*([一二三四五六七八九十]{1,3})[ \u3000]*[)）]")
_ITEM_OPEN_LOST_RE = recache.compile(r"^([一二三四五六七八九十]{1,3})[)）]")
_ARTICLE_RE = recache.compile(r"^第[〇零一二三四五六七八九十百千0-9]+条")


class ItemParen:
    """``ocr-item-paren``: OCR loses the （ of a 项 label at a line's start (``二）无饮酒后…``).

    A line of OCR'd text that starts with ``N）`` (N in Chinese numerals, no opening
    parenthesis) gets its （ back when the numbering proves it is a 项 label: the
    last 项 label seen since the last article label was N−1 (or N is 一 and the
    line before ended with a colon, the lead-in of a list).  Fed the lines in order;
    idempotent (what it writes is a whole label)."""

    def __init__(self):
        self.last = 0
        self.prev_end = ""

    def __call__(self, text, edits):
        from clt.numerals import cn2int

        head = text.lstrip(" \u3000")
        if _ARTICLE_RE.match(head):
            self.last = 0
        m = _ITEM_RE.match(head)
        if m:
            self.last = _num(m.group(1), cn2int)
        else:
            m = _ITEM_OPEN_LOST_RE.match(head)
            n = _num(m.group(1), cn2int) if m else None
            if n and (n == self.last + 1 and self.last or n == 1 and self.prev_end in ":："
                      and self.prev_end):
                at = len(text) - len(head)
                edits.append({"rule": "ocr-item-paren", "before": "", "after": "（", "at": at})
                text = text[:at] + "（" + head
                self.last = n
        stripped = text.rstrip(" \u3000")
        self.prev_end = stripped[-1:] if stripped else self.prev_end
        return text


def _num(s, cn2int):
    try:
        return cn2int(s)
    except (ValueError, KeyError):
        return None


#: marks that close a printed line of Chinese text (what an end mark may be)
END_MARKS = "。；，、：？！）”…"
#: marks a paragraph of a law's body may end with (a 款, a 项, a list's lead-in)
FINAL_MARKS = "。；：！？…）”」』"


def end_mark(text, evidence, edits):
    """*text* with the mark extract found after it (a line's ``end_mark``) written at its end."""
    if not isinstance(evidence, dict):
        return text
    mark = evidence.get("text")
    if not (isinstance(mark, str) and len(mark) == 1 and mark in END_MARKS) or not text \
            or text[-1] in END_MARKS:
        return text
    e = {"rule": "ocr-end-mark", "before": "", "after": mark, "at": len(text)}
    if isinstance(evidence.get("conf"), (int, float)):
        e["conf"] = evidence["conf"]
    edits.append(e)
    return text + mark


def repairs(text, disabled=frozenset()):
    """The OCR rules on one OCR'd line: ``(text, edits)``."""
    edits = []
    if "ocr-zero" not in disabled:
        text = ocr_zero(text, edits)
    if "ocr-digit-space" not in disabled:
        text = ocr_digit_space(text, edits)
    return text, edits
