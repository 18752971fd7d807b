"""Render ``clt diff`` records for people: unified text, a 修改前后对照表
(terminal table via tabulate, or Markdown), or a standalone HTML page.

Every renderer takes the records :func:`clt.diff.diff` yields (change,
heading_change, summary — other records are ignored) and yields ``str``
chunks.  Articles whose text did not change (``equal``, ``renumbered``) are
left out unless *all* is true — the summary counts them; a diff of two equal
versions still renders its summary.
"""

import html

from tabulate import tabulate

FORMATS = ("jsonl", "unified", "table", "md", "html")

OP_NAMES = {
    "equal": "未修改", "renumbered": "条序变化", "moved": "移动", "modified": "修改",
    "split": "拆分", "merged": "合并", "deleted": "删除", "inserted": "新增",
    "renamed": "标题修改",
}


def render(records, fmt, *, all=False, width=None, title=None, color=False, similarity=False):
    """Text chunks rendering *records* in *fmt* (``table``, ``md``, ``html``;
    ``unified`` is the inline text of the changes, for a real unified diff see
    :func:`clt.diff.unified.unified_diff`).

    *all*: unchanged articles too; *width*: columns of the terminal table;
    *title*: the report's title (default 《name of the law》修改前后对照表);
    *color*: ANSI colours in the terminal table; *similarity*: each pair's
    similarity with its change name.
    """
    fn = {"unified": render_unified, "table": render_table, "md": render_md,
          "html": render_html}.get(fmt)
    if fn is None:
        raise ValueError(f"unknown format {fmt!r}")
    opts = {"all": all, "width": width, "title": title, "similarity": similarity}
    if fmt == "table":
        opts["color"] = color
    return fn(records, **opts)


# --------------------------------------------------------------------------- shared

def _items(side):
    if side is None:
        return []
    return side if isinstance(side, list) else [side]


def _shown(rec, all):
    """Whether a change belongs in a human-readable report: text changes and
    references that followed the renumbering; everything with *all*."""
    if rec.get("type") not in ("change", "heading_change"):
        return False
    return all or rec.get("op") not in ("equal", "renumbered") or bool(rec.get("inline"))


def _marked(runs, side, mark):
    """The *side* ("old"/"new") of inline *runs* with changes wrapped by *mark*(text)."""
    out = []
    skip = "+" if side == "old" else "-"
    for tag, text in runs:
        if tag == skip:
            continue
        out.append(text if tag == "=" else _mark_lines(text, mark))
    return "".join(out)


def _mark_lines(text, mark):
    """*text* marked line by line, so a mark never spans a paragraph break."""
    return "\n".join(mark(seg) if seg else "" for seg in text.split("\n"))


def _split_marked(runs, side, lengths, mark):
    """Marked text of *side* of *runs*, cut into parts of the given *lengths*.

    The parts were joined by one newline each; that newline is dropped.
    """
    skip = "+" if side == "old" else "-"
    parts, cur, pos, k = [], [], 0, 0
    bounds = []  # offsets of the joining newlines
    acc = 0
    for n in lengths:
        acc += n
        bounds.append(acc)
        acc += 1  # the joining newline
    for tag, text in runs:
        if tag == skip:
            continue
        buf = []
        for ch in text:
            if k < len(bounds) - 1 and pos == bounds[k]:
                # the newline joining part k and k+1
                if buf:
                    cur.append("".join(buf) if tag == "=" else _mark_lines("".join(buf), mark))
                    buf = []
                parts.append("".join(cur))
                cur = []
                k += 1
                pos += 1
                continue
            buf.append(ch)
            pos += 1
        if buf:
            cur.append("".join(buf) if tag == "=" else _mark_lines("".join(buf), mark))
    parts.append("".join(cur))
    while len(parts) < len(lengths):
        parts.append("")
    return parts


def _parts(rec, mark_del, mark_ins):
    """([(label, marked text)] of the old side, the same of the new side) of a change."""
    if rec.get("type") == "heading_change":
        o, n = rec.get("old"), rec.get("new")
        runs = rec.get("inline")
        if runs and o and n:
            return ([(o["label"], _marked(runs, "old", mark_del))],
                    [(n["label"], _marked(runs, "new", mark_ins))])
        return ([(o["label"], mark_del(o["title"]) if not n else o["title"])] if o else [],
                [(n["label"], mark_ins(n["title"]) if not o else n["title"])] if n else [])
    olds, news = _items(rec.get("old")), _items(rec.get("new"))
    runs = rec.get("inline")
    if olds and news and runs:
        ot = _split_marked(runs, "old", [len(a.get("text", "")) for a in olds], mark_del)
        nt = _split_marked(runs, "new", [len(a.get("text", "")) for a in news], mark_ins)
    else:
        ot = [a.get("text", "") for a in olds]
        nt = [a.get("text", "") for a in news]
        if not news:
            ot = [_mark_lines(t, mark_del) for t in ot]
        if not olds:
            nt = [_mark_lines(t, mark_ins) for t in nt]
    return ([(a.get("label", ""), t) for a, t in zip(olds, ot)],
            [(a.get("label", ""), t) for a, t in zip(news, nt)])


#: deletion and insertion marks of the plain-text reports: [-…-] {+…+}
_BRACKETS = (lambda s: f"[-{s}-]", lambda s: f"{{+{s}+}}")
#: control characters that stand for <del>/<ins> until the text is escaped (Markdown, HTML)
_SENTINELS = (lambda s: f"\x01{s}\x02", lambda s: f"\x03{s}\x04")


def _tags(text):
    """*text* with the :data:`_SENTINELS` turned into <del>/<ins> tags."""
    return text.replace("\x01", "<del>").replace("\x02", "</del>") \
        .replace("\x03", "<ins>").replace("\x04", "</ins>")


def _joined(parts, heading=False, sep="\n"):
    """Parts as one text: 'label　text' per article, or 'label title' for a heading."""
    gap = " " if heading else "　"
    return sep.join(f"{label}{gap}{text}" if label else text for label, text in parts)


def _op_line(rec, similarity=False):
    """The change in Chinese: 修改, 删除, 新增, 移动, 拆分, 合并 … (similarity on request)."""
    op = rec.get("op", "")
    name = OP_NAMES.get(op, op)
    if rec.get("type") == "heading_change" and op in ("inserted", "deleted", "renamed"):
        name = {"inserted": "新增", "deleted": "删除", "renamed": "修改"}[op]
    extra = []
    if rec.get("references_only"):
        extra.append("仅引用条号随之变化")
    if rec.get("modified"):
        extra.append("内容修改")
    sim = rec.get("similarity")
    if similarity and sim is not None and rec.get("old") is not None and rec.get("new") is not None:
        extra.append(f"相似度 {sim:.2f}")
    return name + (f"（{'，'.join(extra)}）" if extra else "")


def _summary_lines(summary):
    if not summary:
        return []
    o, n = summary.get("old", {}), summary.get("new", {})
    lines = [f"修改前：{'；'.join(t for t in o.get('titles', []) if t) or o.get('source', '')}"
             f"（{o.get('articles', 0)} 条）",
             f"修改后：{'；'.join(t for t in n.get('titles', []) if t) or n.get('source', '')}"
             f"（{n.get('articles', 0)} 条）"]
    ch = summary.get("changes", {})
    parts = [f"{OP_NAMES.get(k, k)} {v}" for k, v in ch.items() if k != "references_only"]
    if ch.get("references_only"):
        parts.append(f"其中仅引用条号变化 {ch['references_only']}")
    lines.append("条文：" + ("，".join(parts) if parts else "无"))
    hs = summary.get("headings", {})
    if hs:
        lines.append("标题：" + "，".join(f"{OP_NAMES.get(k, k)} {v}" for k, v in hs.items()))
    if summary.get("identical"):
        lines.append("两个版本相同。")
    return lines


def law_name(summary):
    """The name of the law a diff compares: the new version's title (or the old's)."""
    if not summary:
        return ""
    for side in ("new", "old"):
        titles = [t for t in (summary.get(side) or {}).get("titles", []) if t]
        if titles:
            return "、".join(titles)
    return ""


def report_title(summary):
    """《name of the law》修改前后对照表, as law libraries title the table."""
    name = law_name(summary)
    return f"《{name}》修改前后对照表" if name else "修改前后对照表"


#: ANSI colours of the terminal table: deletions red, insertions green
_RED, _GREEN, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[0m"


def _colored(text):
    """Wrapped table *text* with its [-…-] runs red and {+…+} runs green, line by
    line (a run the wrap cut goes on coloured on the next line; tabulate does
    not count the colour codes as width)."""
    out = []
    mode = None  # None, "-" or "+"
    for line in text.split("\n"):
        buf = [_RED if mode == "-" else _GREEN if mode == "+" else ""]
        i = 0
        while i < len(line):
            two = line[i:i + 2]
            if mode is None and two == "[-":
                mode = "-"
                buf.append(_RED + two)
                i += 2
            elif mode is None and two == "{+":
                mode = "+"
                buf.append(_GREEN + two)
                i += 2
            elif (mode == "-" and two == "-]") or (mode == "+" and two == "+}"):
                buf.append(two + _RESET)
                mode = None
                i += 2
            else:
                buf.append(line[i])
                i += 1
        if mode is not None:
            buf.append(_RESET)
        out.append("".join(buf))
    return "\n".join(out)


def _rows(changes, all):
    """The changes a report shows: those :func:`_shown` keeps, each preceded
    by the unchanged headings above it (as context rows) since the last one."""
    pending = {}
    out = []
    for r in changes:
        if r.get("type") == "heading_change" and not _shown(r, all):
            side = r.get("new") or r.get("old")
            # a heading replaces any pending heading of its level or below
            levels = ("title", "part", "subpart", "chapter", "section")
            lv = side.get("level")
            if lv in levels:
                for deeper in levels[levels.index(lv):]:
                    pending.pop(deeper, None)
            pending[lv] = r
            continue
        if _shown(r, all):
            if r.get("type") == "heading_change":
                lv = (r.get("new") or r.get("old")).get("level")
                pending.pop(lv, None)
            else:
                out.extend(dict(h, context=True) for h in pending.values())
                pending = {}
            out.append(r)
    return out


def _collect(records):
    """(shown-able records in order, summary) — the summary comes last in the stream."""
    changes, summary = [], None
    for r in records:
        t = r.get("type")
        if t in ("change", "heading_change"):
            changes.append(r)
        elif t == "summary":
            summary = r
    return changes, summary


# --------------------------------------------------------------------------- unified

def render_unified(records, all=False, width=None, title=None, similarity=False):
    """A unified-diff-like text: one hunk per change, inline edits as [-…-]{+…+}."""
    summary = None
    header_done = False
    for r in records:
        t = r.get("type")
        if t == "summary":
            summary = r
            continue
        if not _shown(r, all):
            continue
        if not header_done:
            yield "--- 修改前\n+++ 修改后\n"
            header_done = True
        heading = t == "heading_change"
        olds, news = _parts(r, *_BRACKETS)
        ol = _joined(olds, heading, "、") if heading else "、".join(l for l, _ in olds)
        nl = _joined(news, heading, "、") if heading else "、".join(l for l, _ in news)
        yield f"@@ {ol or '—'} → {nl or '—'} @@ {_op_line(r, similarity)}\n"
        if heading:
            continue
        if r.get("op") in ("equal", "renumbered") and not r.get("inline"):
            continue  # same text: the hunk header says it all
        for label, text in olds:
            for k, line in enumerate(text.split("\n")):
                yield f"-{label}　{line}\n" if k == 0 else f"-{line}\n"
        for label, text in news:
            for k, line in enumerate(text.split("\n")):
                yield f"+{label}　{line}\n" if k == 0 else f"+{line}\n"
    for line in _summary_lines(summary):
        yield f"# {line}\n"


# --------------------------------------------------------------------------- table

def _note(r, similarity=False):
    if r.get("op") in ("moved", "renumbered", "split", "merged") or r.get("references_only") \
            or similarity:
        return _op_line(r, similarity)
    return None


def render_table(records, all=False, width=None, title=None, color=False, similarity=False):
    """A two-column 修改前后对照表 for the terminal (tabulate, grid format)."""
    changes, summary = _collect(records)
    col = max(8, ((width or 80) - 7) // 2)
    rows = []
    for r in _rows(changes, all):
        heading = r["type"] == "heading_change"
        olds, news = _parts(r, *_BRACKETS)
        ot = _joined(olds, heading) if olds else "（无）"
        nt = _joined(news, heading) if news else "（删除）"
        note = None if r.get("context") else _note(r, similarity)
        if note:
            nt = f"{nt}\n〔{note}〕"
        ot, nt = _wrap(ot, col), _wrap(nt, col)
        if color:
            ot, nt = _colored(ot), _colored(nt)
        rows.append([ot, nt])
    full = width or 80
    if title:
        yield _wrap(title, full) + "\n"
    for line in _summary_lines(summary):
        yield _wrap(line, full) + "\n"  # never wider than the table may be
    if rows:
        yield tabulate(rows, headers=["修改前", "修改后"], tablefmt="grid") + "\n"


#: punctuation Chinese typesetting never puts at the start of a line (避头)...
_NO_LINE_START = set("，。、；：？！）》〉」』】〕”’…—·%,.;:?!)]}")
#: ...and openers it never leaves at the end of one (避尾)
_NO_LINE_END = set("（《〈「『【〔“‘([{")


def _wrap(text, width):
    """Wrap *text* at *width* terminal columns (CJK characters count two),
    keeping closing punctuation off the start of a line and opening
    punctuation off its end, as Chinese typesetting does."""
    from wcwidth import wcwidth

    def cw(ch):
        return max(0, wcwidth(ch))

    out = []
    for para in text.split("\n"):
        line, w = [], 0
        for ch in para:
            c = cw(ch)
            if w + c > width and line:
                carry = []
                # take the character before a closing mark (and any openers) to the next line
                if ch in _NO_LINE_START and len(line) > 1:
                    carry.insert(0, line.pop())
                while len(line) > 1 and line[-1] in _NO_LINE_END:
                    carry.insert(0, line.pop())
                if len(line) > 2 and "".join(line[-2:]) in ("[-", "{+"):
                    carry[:0] = line[-2:]  # a change mark opens with its text, never at a line end
                    del line[-2:]
                out.append("".join(line))
                line, w = carry, sum(cw(x) for x in carry)
            line.append(ch)
            w += c
        out.append("".join(line))
    return "\n".join(out)


# --------------------------------------------------------------------------- markdown

def _md_escape(s):
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*") \
        .replace("~", "\\~").replace("_", "\\_").replace("<", "&lt;").replace(">", "&gt;")


def render_md(records, all=False, width=None, title=None, similarity=False):
    """A Markdown 修改前后对照表: deletions in <del>, insertions in <ins> (inline HTML)."""
    changes, summary = _collect(records)
    yield f"# {_md_escape(title or report_title(summary))}\n\n"
    for line in _summary_lines(summary):
        yield f"- {_md_escape(line)}\n"
    rows = _rows(changes, all)
    if not rows:
        return
    yield "\n| 修改前 | 修改后 |\n| --- | --- |\n"

    def cell(parts, heading, empty):
        if not parts:
            return empty
        text = _md_escape(_joined(parts, heading))
        # inline HTML rather than ~~/**: CommonMark's flanking rules do not
        # open emphasis next to CJK punctuation (本条例**，设区…**)
        text = _tags(text).replace("\n", "<br>")
        return f"<b>{text}</b>" if heading else text

    for r in rows:
        heading = r["type"] == "heading_change"
        olds, news = _parts(r, *_SENTINELS)
        o = cell(olds, heading, "（无）")
        n = cell(news, heading, "（删除）")
        note = None if r.get("context") else _note(r, similarity)
        if note:
            n += f"<br>〔{_md_escape(note)}〕"
        yield f"| {o} | {n} |\n"


# --------------------------------------------------------------------------- html

_CSS = """
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; margin: 2em auto;
       max-width: 72em; padding: 0 1em; line-height: 1.7; color: #222; }
h1 { font-size: 1.5em; text-align: center; }
.summary { background: #f6f6f4; border: 1px solid #ddd; padding: .6em 1.2em; margin-bottom: 1.5em; }
.summary p { margin: .2em 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #bbb; padding: .5em .8em; vertical-align: top; }
td p { margin: 0 0 .4em 0; white-space: pre-wrap; }
th { background: #eee; }
th.op, td.op { width: 8em; font-size: .85em; color: #555; text-align: center; }
tr.heading td { background: #fafaf0; font-weight: bold; }
tr.context td { background: #f4f4f4; color: #555; text-align: center; }
del { color: #a00; background: #fdd; text-decoration: line-through; }
ins { color: #060; background: #dfd; text-decoration: underline; }
.label { font-weight: bold; }
.none { color: #999; }
@page { size: A4; margin: 25mm 20mm 22mm 20mm;
        @bottom-center { content: "— " counter(page) " —"; font-size: 10pt; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; line-height: 1.55; color: #000; }
  h1 { font-size: 16pt; margin: 0 0 8pt 0; }
  .summary { background: none; border: 1px solid #999; page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  tr, td, th { page-break-inside: avoid; break-inside: avoid; }
  tr.heading { page-break-after: avoid; break-after: avoid; }
  th { background: none; }
  tr.heading td, tr.context td { background: none; }
  del { color: #000; background: none; text-decoration: line-through; }
  ins { color: #000; background: none; text-decoration: none; font-weight: bold; }
  th.op, td.op { width: 5em; }
  table { width: calc(100% - 2px); margin-left: 1px; }  /* the outer border inside the page */
}
"""


#: placeholders of a reference link until the text is escaped (HTML)
_LINK_OPEN, _LINK_CLOSE = "\x0e", "\x0f"


class _SideRefs:
    """The references :mod:`clt.refs` resolves in each article of one side of a diff
    (``old`` or ``new``), as ``[(start, end, target anchor, None)]``, and those to other
    laws as ``[(start, end, None, "law label")]``."""

    def __init__(self, changes, side, title):
        from clt.labels import match_label
        from clt.refs import LawIndex, anchor, resolve_article

        self.prefix = "old-" if side == "old" else ""
        index = LawIndex(title)
        arts = []
        for r in changes:
            for a in _items(r.get(side)):
                if r.get("type") == "heading_change":
                    lab = match_label(a.get("label") or "")
                    if lab is not None:
                        index.add_heading({"level": lab.kind, "num": lab.num})
                elif isinstance(a, dict):
                    index.add_article(a)
                    arts.append(a)
        self.links = {}
        for a in arts:
            if not isinstance(a.get("num"), int) or not isinstance(a.get("text"), str):
                continue
            try:
                found = resolve_article(a, index, title)
            except (TypeError, ValueError, KeyError, AttributeError, IndexError):
                found = []  # an odd record: no links, never a failed report
            out = []
            for ref in found:
                t = ref.get("target") or {}
                if ref.get("external") and t.get("law"):
                    out.append((ref["start"], ref["end"], None, f"{t['law']} {t.get('label') or ''}".strip()))
                    continue
                if ref.get("external") or ref.get("unresolved") or ref.get("warning") or t.get("level") \
                        or not isinstance(t.get("num"), int):
                    continue
                out.append((ref["start"], ref["end"], self.prefix + anchor(t["num"], t.get("sub")), None))
            self.links[id(a)] = out

    def anchor(self, a):
        from clt.refs import anchor

        return self.prefix + anchor(a["num"], a.get("sub")) if isinstance(a.get("num"), int) else None


def _with_links(marked, links, shown):
    """*marked* (an article's text with del/ins sentinels) with placeholders around each
    reference whose target is in the page (and each to another law); their (href, title)
    in order.  A reference a del/ins run enters or leaves is not marked (the tags would cross)."""
    if not links:
        return marked, []
    pos_of = []  # marked index of each character of the plain text
    for i, ch in enumerate(marked):
        if ch not in "\x01\x02\x03\x04":
            pos_of.append(i)
    pos_of.append(len(marked))
    cuts, hrefs = [], []
    for start, end, href, title in links:
        if (href is not None and href not in shown) or not 0 <= start < end < len(pos_of):
            continue
        a, b = pos_of[start], pos_of[end - 1] + 1
        inner = marked[a:b]
        if inner.count("\x01") != inner.count("\x02") or inner.count("\x03") != inner.count("\x04") \
                or (cuts and a < cuts[-1][1]):
            continue
        cuts.append((a, b))
        hrefs.append((href, title))
    out, pos = [], 0
    for a, b in cuts:
        out += [marked[pos:a], _LINK_OPEN, marked[a:b], _LINK_CLOSE]
        pos = b
    out.append(marked[pos:])
    return "".join(out), hrefs


def render_html(records, all=False, width=None, title=None, similarity=False):
    """A standalone HTML page: summary at the top, then old and new side by side.

    Each article shown has an anchor (``art-20`` on the new side, ``old-art-20`` on
    the old, as ``convert --to html`` names them), and the references ``clt refs``
    resolves inside the law are links to the article they cite when it is shown."""
    changes, summary = _collect(records)
    esc = html.escape
    page_title = title or report_title(summary)
    yield ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
           f"<title>{esc(page_title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
           f"<h1>{esc(page_title)}</h1>\n")
    yield "<div class=\"summary\">\n"
    for line in _summary_lines(summary):
        yield f"<p>{esc(line)}</p>\n"
    yield "</div>\n"
    rows = _rows(changes, all)
    if not rows:
        yield "</body>\n</html>\n"
        return
    name = law_name(summary) or None
    sides = {"old": _SideRefs(changes, "old", name), "new": _SideRefs(changes, "new", name)}
    shown, seen = set(), set()
    for r in rows:
        if r["type"] == "change":
            for side, refs_ in sides.items():
                shown.update(refs_.anchor(a) for a in _items(r.get(side)) if isinstance(a, dict))
    shown.discard(None)

    def linked(h, hrefs):
        """*h* with its placeholders as links, or (another law's) marked spans."""
        if not hrefs:
            return h
        it, closes, out = iter(hrefs), [], []
        for ch in h:
            if ch == _LINK_OPEN:
                href, title_ = next(it)
                out.append(f'<a class="ref" href="#{esc(href)}">' if href
                           else f'<span class="ref external" title="{esc(title_)}">')
                closes.append("</a>" if href else "</span>")
            elif ch == _LINK_CLOSE:
                out.append(closes.pop())
            else:
                out.append(ch)
        return "".join(out)

    def cell(parts, heading, empty, arts=(), side=None):
        if not parts:
            return f"<span class=\"none\">{esc(empty)}</span>"
        out = []
        for k, (label, text) in enumerate(parts):
            if heading:
                out.append(f"<p>{esc(label)} {_tags(esc(text))}</p>")
                continue
            a = arts[k] if k < len(arts) and isinstance(arts[k], dict) else {}
            refs_ = sides[side]
            text, hrefs = _with_links(text, refs_.links.get(id(a), ()), shown)
            aid = refs_.anchor(a) if a else None
            id_attr = ""
            if aid and aid not in seen:
                seen.add(aid)
                id_attr = f' id="{esc(aid)}"'
            paras = text.split("\n")
            first = f"<span class=\"label\">{esc(label)}</span>　" if label else ""
            html_paras = []
            for n, p in enumerate(paras):
                k_hrefs = [hrefs.pop(0) for _ in range(p.count(_LINK_OPEN))]
                html_paras.append(f"<p{id_attr if n == 0 else ''}>{first if n == 0 else ''}"
                                  f"{linked(_balanced(_tags(esc(p))), k_hrefs)}</p>")
            out.append("".join(html_paras))
        return "".join(out)

    yield ("<table>\n<thead><tr><th>修改前</th><th>修改后</th><th class=\"op\">变化</th></tr>"
           "</thead>\n<tbody>\n")
    for r in rows:
        heading = r["type"] == "heading_change"
        olds, news = _parts(r, *_SENTINELS)
        cls = (" class=\"heading context\"" if r.get("context") else " class=\"heading\"") \
            if heading else ""
        op = "" if r.get("context") else esc(_op_line(r, similarity))
        yield (f"<tr{cls}><td>{cell(olds, heading, '（无）', _items(r.get('old')), 'old')}</td>"
               f"<td>{cell(news, heading, '（删除）', _items(r.get('new')), 'new')}</td>"
               f"<td class=\"op\">{op}</td></tr>\n")
    yield "</tbody>\n</table>\n</body>\n</html>\n"


def _balanced(h):
    """Close and reopen <del>/<ins> runs that a paragraph break cut in two."""
    for tag in ("del", "ins"):
        opened = h.count(f"<{tag}>") - h.count(f"</{tag}>")
        if opened > 0:
            h += f"</{tag}>" * opened
        first_close = h.find(f"</{tag}>")
        first_open = h.find(f"<{tag}>")
        if first_close != -1 and (first_open == -1 or first_close < first_open):
            h = f"<{tag}>" + h
    return h
