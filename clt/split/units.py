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
* in Markdown, a blank line always ends the paragraph;
* YAML front matter (``---`` / ``title: …`` / ``---`` at the top, as
  ``pandoc -s`` and Hugo write it) is metadata: one unit carrying its
  ``front_matter`` fields, then its ``title`` as the law's ``# title``;
* a Markdown heading that is a numbered 编/章/节 (``# 第一章 总则``: pandoc
  makes Word's Heading 1 an H1) is that heading, never a law's title.

Joining paragraphs is really ``clt normalize``'s work; this only keeps split
usable on raw text.  LawRefBook-style Markdown (``# 标题``, ``## 第一章 总则``)
is recognised here: the ``#`` marks are stripped and the depth kept as ``md``.
"""


from clt.labels import LABEL_START, SPACES, match_label
from clt.split.caption import CLOSE, OPEN, looks_like_caption
from clt import recache

#: a paragraph ending in one of these is complete
TERMINAL = "。；;：:！!？?…」』”\"）)】"
#: a line ending in one of these is certainly not a title or heading
SOFT_END = "，,、"

_MD_HEADING = recache.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+\{[#.][^{}]*\})?[ \t#]*$")  # pandoc's {#id} too
#: a line of YAML front matter: ``key: value`` (a list item, an indented continuation)
_FM_KEY = recache.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)$")
_FM_MAX = 200  # lines: front matter longer than this is not front matter
_HTML_COMMENT = recache.compile(r"^<!--.*-->$")
_BOLD = recache.compile(r"\*\*(.+?)\*\*")


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


#: a paragraph's first character (past the spaces) that no label starts with is none of these
_NO_START = LABEL_START | {""}


def _starts_unit(text, match=match_label):
    s = text.lstrip(" \u3000")
    if not s:
        return False
    if match(s):
        return True
    if s[0] in OPEN:
        return True
    return False


class LineJoiner:
    """Turns a run of ``line`` records into paragraph units (see module doc).

    *in_body* is a callable telling whether the splitter is inside an article
    body (the only place where wrapped lines are joined).  :meth:`feed` and
    :meth:`flush` return the units they complete, as a list (most often empty).
    """

    def __init__(self, in_body):
        self.in_body = in_body
        self.cur = None
        self.md_mode = False
        self.recent = []   # lengths of recent physical lines: how long a full line is
        self.full = 0      # max(self.recent), kept as lines come and go
        self.started = False  # a non-blank line was seen (front matter only opens a file)
        self.fm = None        # the records of YAML front matter being read
        self._memo = ((None, None), (None, None))  # the last two (text, match_label(text))

    def _label(self, text):
        """:func:`match_label` of *text*, remembered for the last two texts: the paragraph
        being built is asked about once per line, and a line is asked about again as the
        paragraph it opens."""
        (a, la), (b, lb) = self._memo
        if text is a:
            return la
        if text is b:
            return lb
        lab = match_label(text)
        self._memo = ((text, lab), (a, la))
        return lab

    def feed(self, r):
        """Feed one line record; returns the units it completes (an iterable: the lines held
        as possible front matter are fed one at a time, as the splitter takes each unit)."""
        if self.fm is None and self.started:
            return self._feed(r)
        return self._feed_start(r)

    def _feed_start(self, r):
        raw = (r.get("text") or "")
        if self.fm is not None:
            self.fm.append(r)
            line = raw.rstrip(" \t\r")
            if line in ("---", "...") and len(self.fm) > 1:
                yield from self._front_matter()
            elif len(self.fm) > _FM_MAX or not _fm_line(line):
                held, self.fm = self.fm, None
                for rec in held:  # not front matter after all: the lines as they are
                    yield from self._feed(rec)
            return
        if not self.started and raw.rstrip(" \t\r") == "---":
            self.started = True
            self.fm = [r]
            return
        yield from self._feed(r)

    def _front_matter(self):
        """The front matter read: a unit holding its fields, and its title as ``# title``."""
        recs, self.fm = self.fm, None
        fields = parse_front_matter([(x.get("text") or "") for x in recs[1:-1]])
        u = _line_unit(recs[0])
        u["text"] = "\n".join((x.get("text") or "").rstrip("\r") for x in recs)
        u["lines"] = [ln for x in recs for ln in _line_unit(x)["lines"]]
        u["front_matter"] = fields
        yield u
        title = fields.get("title")
        if isinstance(title, str) and title.strip():
            where = next((x for x in recs if _FM_KEY.match(x.get("text") or "")
                          and _FM_KEY.match(x.get("text") or "").group(1) == "title"), recs[0])
            t = _line_unit(where)
            t["text"] = title.strip()
            t["md"] = 1
            t["front_matter_title"] = True
            self.md_mode = True
            yield t

    def _feed(self, r):
        text = (r.get("text") or "").strip(" \u3000\t\r")
        if not text:
            if self.md_mode:
                # Markdown: a blank line ends the paragraph, whatever its last character
                return self.flush()
            return []
        self.started = True
        c = text[0]
        if c == "<" and _HTML_COMMENT.match(text):
            return []
        md = 0
        if c == "#":
            m = _MD_HEADING.match(text)
            if m and (self.md_mode or m.group(1) == "#"):
                self.md_mode = True
                md = len(m.group(1))
                text = m.group(2).strip()
        if self.md_mode and "**" in text:
            text = _BOLD.sub(r"\1", text)
        # the last 60 physical lines say how long a full line is (self.full: the longest)
        n = len(text)
        recent = self.recent
        recent.append(n)
        if n > self.full:
            self.full = n
        if len(recent) > 60:
            gone = recent.pop(0)
            if gone == self.full and n != gone:
                self.full = max(recent)  # the longest line left the window
        cur = self.cur
        if cur is not None and not md and not cur["md"] and self._continues(cur, text):
            old = cur["text"]
            (a, la), (b, lb) = memo = self._memo
            lab = la if old is a else lb if old is b else self._label(old)
            if lab is not None and lab.kind == "article" and not lab.rest:
                cur["text"] += "\u3000"  # keep the label apart from the text it now carries
            cur["text"] += text
            if lab is not None and lab.rest and len(old) >= lab.end + 2:
                # the label's patterns looked no further than a character past its end, and
                # text follows it: the longer paragraph opens with the same label
                self._memo = ((cur["text"], lab._replace(rest=lab.rest + text)), self._memo[0])
            elif lab is None and old.lstrip(SPACES)[:1] not in _NO_START:
                # no label starts with its first character (match_label looks at it first):
                # nor does one start the longer paragraph
                self._memo = ((cur["text"], None), self._memo[0])
            line = r.get("line")
            if line is not None:
                cur["lines"].append([r.get("page"), line])
            cur["last_len"] = n
            return []
        u = {"text": text, "source": r.get("source"), "page": r.get("page"),
             "lines": [[r.get("page"), r.get("line")]] if r.get("line") is not None else [],
             "raw": True, "md": md}  # _line_unit(r), with the text
        if "lineno" in r:
            u["lineno"] = r["lineno"]
        if md:
            lab = match_label(text)
            if lab is not None and lab.kind in ("part", "subpart", "chapter", "section"):
                u["md_heading"] = True  # # 第一章 总则: a heading at that depth, not a title
        u["last_len"] = n
        self.cur = u
        if cur is not None:
            cur.pop("caption_open", None)
            cur.pop("last_len", None)
            return [cur]
        return []

    def _continues(self, cur, text):
        prev = cur["text"]
        if "caption_open" in cur and cur["caption_open"]:
            if any(c in text for c in CLOSE):
                cur["caption_open"] = False
            return True
        if prev and prev[0] in OPEN and looks_like_caption(prev + ")") and not any(c in prev for c in CLOSE):
            # an open caption runs on to its closing parenthesis
            cur["caption_open"] = True
            if any(c in text for c in CLOSE):
                cur["caption_open"] = False
            return True
        if prev[-1:] in TERMINAL:
            return False  # (whatever its label)
        (a, la), (b, lb) = self._memo
        lab = la if prev is a else lb if prev is b else self._label(prev)
        if not (self.in_body() or (lab and lab.kind in ("article", "item", "subitem"))):
            return False
        label_only = lab is not None and not lab.rest and lab.kind == "article"
        if not label_only and cur["last_len"] < 0.7 * self.full:
            return False  # a short line ends its paragraph
        if _starts_unit(text, self._label):
            # a label standing alone on its line ("第二条") takes the next line as its text
            return bool(label_only and not self._label(text))
        return True

    def flush(self):
        if self.cur is not None:
            u, self.cur = self.cur, None
            u.pop("caption_open", None)
            u.pop("last_len", None)
            return [u]
        return []


def _fm_line(line):
    """Whether *line* can be a line of YAML front matter (or its end)."""
    return (not line.strip() or line.startswith((" ", "\t", "- ", "#")) or _FM_KEY.match(line) is not None
            or line in ("---", "..."))


def _fm_value(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
        v = v[1:-1]
        v = v.replace("''", "'") if v and "'" in v else v
    return v


def parse_front_matter(lines):
    """``{key: value}`` of the YAML front matter *lines* (between the ``---``): the
    subset documents use -- ``key: value`` (quoted or not), a list of ``- item``
    under a key, a ``|``/``>`` block or indented continuation joined by newlines
    (``|``) or spaces.  Values are strings (lists of strings)."""
    out = {}
    key = None
    block = None
    for line in lines:
        line = line.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            if block is not None and key is not None and not line.strip():
                pass
            continue
        m = _FM_KEY.match(line)
        if m and not line[:1].isspace():
            key, v = m.group(1), m.group(2).strip()
            block = v[:1] if v[:1] in "|>" else None
            out[key] = "" if block or not v else _fm_value(v)
            continue
        if key is None:
            continue
        item = line.strip()
        if item.startswith("- ") and not isinstance(out.get(key), str) or (item.startswith("- ") and out.get(key) == ""):
            lst = out[key] if isinstance(out.get(key), list) else []
            lst.append(_fm_value(item[2:]))
            out[key] = lst
        elif isinstance(out.get(key), str):
            sep = "\n" if block == "|" else " "
            out[key] = (out[key] + sep + item) if out[key] else item
    return out
