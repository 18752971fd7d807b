"""Paragraph units: what :mod:`clt.split.structure` reads.

``para`` records (from ``clt normalize``) are taken as they are: one printed
paragraph each.  Raw ``line`` records — plain text read by
:func:`clt.records.read_records`, or ``clt extract`` output that skipped
normalize — are turned into paragraphs here, conservatively:

* a blank line or a page break ends nothing by itself (PDF text puts blank
  lines inside paragraphs), but every non-blank line of a file whose
  paragraphs are one line each stays one paragraph;
* a line continues the paragraph before it only inside an article body, when
  that paragraph does not end in terminal punctuation and the line does not
  start a unit of its own (a label, a 项, a heading, a caption);
* a caption opened by ``（`` continues until its ``）``;
* in Markdown, a blank line always ends the paragraph.

Joining paragraphs is really ``clt normalize``'s work; this only keeps split
usable on raw text.  LawRefBook-style Markdown (``# 标题``, ``## 第一章 总则``)
is recognised here: the ``#`` marks are stripped and the depth kept as ``md``.
"""

import re

from clt.labels import match_label
from clt.split.caption import CLOSE, OPEN, looks_like_caption

#: a paragraph ending in one of these is complete
TERMINAL = "。；;：:！!？?…」』”\"）)】"
#: a line ending in one of these is certainly not a title or heading
SOFT_END = "，,、"

_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_HTML_COMMENT = re.compile(r"^<!--.*-->$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def unit_from_para(r):
    u = {"text": r.get("text") or "", "source": r.get("source"), "page": r.get("page"),
         "lines": list(r.get("lines") or []), "raw": False, "md": 0}
    for k in ("align", "indent", "size", "bold"):
        if k in r:
            u[k] = r[k]
    return u


def _line_unit(r):
    text = r.get("text") or ""
    u = {"text": text, "source": r.get("source"), "page": r.get("page"),
         "lines": [[r.get("page"), r.get("line")]] if r.get("line") is not None else [],
         "raw": True, "md": 0}
    if "lineno" in r:
        u["lineno"] = r["lineno"]
    return u


def _starts_unit(text):
    s = text.lstrip(" \u3000")
    if not s:
        return False
    if match_label(s):
        return True
    if s[0] in OPEN:
        return True
    return False


class LineJoiner:
    """Turns a run of ``line`` records into paragraph units (see module doc).

    *in_body* is a callable telling whether the splitter is inside an article
    body (the only place where wrapped lines are joined).
    """

    def __init__(self, in_body):
        self.in_body = in_body
        self.cur = None
        self.md_mode = False
        self.recent = []   # lengths of recent physical lines: how long a full line is

    def feed(self, r):
        """Feed one line record; yields the units it completes."""
        text = (r.get("text") or "").strip(" \u3000\t\r")
        if not text:
            if self.md_mode:
                # Markdown: a blank line ends the paragraph, whatever its last character
                yield from self.flush()
            return
        if _HTML_COMMENT.match(text):
            return
        md = 0
        m = _MD_HEADING.match(text)
        if m and (self.md_mode or m.group(1) == "#"):
            self.md_mode = True
            md = len(m.group(1))
            text = m.group(2).strip()
        if self.md_mode:
            text = _BOLD.sub(r"\1", text)
        u = _line_unit(r)
        u["text"] = text
        u["md"] = md
        u["last_len"] = len(text)
        self.recent.append(len(text))
        if len(self.recent) > 60:
            del self.recent[0]
        cur = self.cur
        if cur is not None and not md and not cur["md"] and self._continues(cur, text):
            lab = match_label(cur["text"])
            if lab is not None and lab.kind == "article" and not lab.rest:
                cur["text"] += "\u3000"  # keep the label apart from the text it now carries
            cur["text"] += text
            cur["lines"].extend(u["lines"])
            cur["last_len"] = len(text)
            return
        if cur is not None:
            cur.pop("caption_open", None)
            cur.pop("last_len", None)
            yield cur
        self.cur = u

    def _continues(self, cur, text):
        prev = cur["text"]
        if cur.get("caption_open"):
            if any(c in text for c in CLOSE):
                cur["caption_open"] = False
            return True
        if prev and prev[0] in OPEN and looks_like_caption(prev + ")") and not any(c in prev for c in CLOSE):
            # an open caption runs on to its closing parenthesis
            cur["caption_open"] = True
            if any(c in text for c in CLOSE):
                cur["caption_open"] = False
            return True
        lab = match_label(prev)
        if not (self.in_body() or (lab and lab.kind in ("article", "item", "subitem"))):
            return False
        if prev[-1:] in TERMINAL:
            return False
        full = max(self.recent) if self.recent else 0
        label_only = bool(lab and not lab.rest and lab.kind == "article")
        if not label_only and cur.get("last_len", 0) < 0.7 * full:
            return False  # a short line ends its paragraph
        if _starts_unit(text):
            # a label standing alone on its line ("第二条") takes the next line as its text
            return bool(lab and not lab.rest and lab.kind == "article" and not match_label(text))
        return True

    def flush(self):
        if self.cur is not None:
            u, self.cur = self.cur, None
            u.pop("caption_open", None)
            u.pop("last_len", None)
            yield u
