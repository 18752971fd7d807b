"""One standalone, semantic HTML page (``lang="zh-CN"``, inline print-friendly CSS).

Structure of a law::

    <article class="law" id="law-1">
      <header><p class="notice">…</p><h1>title</h1><p class="caption">（…）</p></header>
      <nav class="toc"><h2>目录</h2><ol><li><a href="#chp-1">第一章 总则</a><ol>…</ol></li></ol></nav>
      <section class="chapter" id="chp-1"><h2><span class="label">第一章</span> 总则</h2>
        <section class="article" id="art-1" data-label="第一条">
          <p><a class="label" href="#art-1">第一条</a>　…</p>          ← 款
          <ol class="items"><li id="art-1-p1-i1"><span class="label">（一）</span>…</li></ol>
        </section>
      </section>
    </article>

Article ids are stable citation anchors: ``art-12``, ``art-287-1`` (第二百八十七条之一);
headings ``chp-1``, ``part-2-chp-1``, ``chp-3-sec-2``.  In a stream of
several laws the second and later laws prefix their ids with ``law2-`` … so
every id on the page is unique.

References (those on the records, from ``clt refs``, or found by
:mod:`clt.refs` as the page is built) resolved inside the law are links to
the most precise anchor there is — ``<a class="ref" href="#art-20">本法第二十条</a>``,
``#art-3-p1-i2`` for 第三条第一款第（二）项, a heading's id for 本章; a
reference to another law is ``<span class="ref external" title="law label">``;
one the law cannot hold (a missing article) stays plain text.  A law without headings gets a table of
contents of its articles.  Built one law at a time (the page head is
written with the first law, whose title names the page).

``diff`` output renders as a table of changes with the old and new text,
insertions and deletions marked with ``<ins>``/``<del>``.
"""

import difflib
from html import escape

from clt.convert.markdown import OP_NAMES, side_labels, side_text, summary_text
from clt.convert.tree import caption_display, heading_text, law_title, laws, notice_lines

EXT = "html"
BINARY = False
STREAMING = False
CHANGES = True
OPTIONS = ()

CSS = """
:root { --ink: #1a1a1a; --muted: #666; --rule: #ddd; --accent: #8b0000; }
html { font-size: 17px; }
body { margin: 0 auto; max-width: 46em; padding: 2em 1.5em 4em; color: var(--ink); background: #fff;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, "WenQuanYi Zen Hei", serif;
  line-height: 1.9; text-align: justify; }
h1, h2, h3, h4, h5, h6 { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  SimHei, "WenQuanYi Zen Hei", sans-serif; text-align: center; font-weight: bold; line-height: 1.5; }
h1 { font-size: 1.6rem; margin: 1.2em 0 0.4em; }
h2 { font-size: 1.2rem; margin: 1.6em 0 0.6em; }
h3, h4, h5, h6 { font-size: 1.05rem; margin: 1.2em 0 0.5em; }
.law + .law { border-top: 1px solid var(--rule); margin-top: 3em; }
.caption { text-align: center; font-family: KaiTi, STKaiti, "AR PL UKai CN", serif; margin: 0 2em 1.2em; }
.notice p, .block p { text-indent: 2em; margin: 0.3em 0; }
.notice p.head { text-indent: 0; text-align: center; font-size: 1.1rem; }
.notice p.sign { text-indent: 0; text-align: right; }
.notice { margin-bottom: 1.5em; }
.article { margin: 0.2em 0; }
.article p, .article li { text-indent: 2em; margin: 0.15em 0; }
.article .label { font-weight: bold; color: inherit; text-decoration: none;
  font-family: "Noto Sans CJK SC", SimHei, "WenQuanYi Zen Hei", sans-serif; }
.article a.label:hover { color: var(--accent); }
.article a.ref { color: inherit; text-decoration: underline dotted var(--muted); }
.article a.ref:hover { color: var(--accent); }
ol.items { list-style: none; margin: 0; padding: 0; }
ol.items ol.items { padding: 0; }
.article:target { background: #fff8dc; }
nav.toc { margin: 1em 0 2em; padding: 0.6em 1.2em; border: 1px solid var(--rule); font-size: 0.95rem; }
nav.toc h2 { margin: 0.2em 0 0.4em; font-size: 1rem; }
nav.toc ol { list-style: none; margin: 0; padding-left: 1.5em; line-height: 1.7; }
nav.toc > ol { padding-left: 0; }
nav.toc a { color: inherit; text-decoration: none; }
nav.toc a:hover { color: var(--accent); text-decoration: underline; }
nav.toc.articles ol { display: flex; flex-wrap: wrap; gap: 0 1em; }
table.diff { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
table.diff th, table.diff td { border: 1px solid var(--rule); padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
table.diff td.text { white-space: pre-wrap; }
table.diff th:nth-child(3n+1), table.diff td:nth-child(3n+1) { white-space: nowrap; width: 1%; }
table.diff th:nth-child(-n+3):nth-child(n+2), table.diff td:nth-child(-n+3):nth-child(n+2) { width: 9%; }
table.diff th:nth-child(n+5), table.diff td.text { width: 40%; }
section.diff { width: min(94vw, 72em); position: relative; left: 50%; transform: translateX(-50%); }
tr.op-equal { color: var(--muted); }
tr.op-deleted td.old, del { background: #fde2e2; text-decoration: line-through; }
tr.op-inserted td.new, ins { background: #e2f5e2; text-decoration: none; }
footer { margin-top: 3em; color: var(--muted); font-size: 0.8rem; text-align: center; }
@media print {
  html { font-size: 12pt; }
  body { max-width: none; padding: 0; }
  nav.toc { border: none; }
  nav.toc.articles { display: none; }  /* a list of article numbers helps on screen only */
  nav.toc a::after { content: none; }
  h1, h2, h3, h4 { page-break-after: avoid; break-after: avoid; }
  .article { break-inside: avoid-page; page-break-inside: avoid; }
  .law + .law { border: none; page-break-before: always; }
  .article:target { background: none; }
  footer { display: none; }
}
@page { size: A4; margin: 2.5cm 2.2cm; }
"""


def _page_head(title):
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"clt convert\">\n"
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n")


PAGE_TAIL = "<footer>clt convert</footer>\n</body>\n</html>\n"


def _text_ps(text, cls=None):
    attr = f' class="{cls}"' if cls else ""
    return "".join(f"<p{attr}>{escape(l)}</p>\n" for l in (text or "").split("\n") if l.strip())


def _items_html(items, base, text_html=None):
    if not items:
        return ""
    text_html = text_html or (lambda it: escape(it.get("text") or ""))
    out = ['<ol class="items">\n']
    for n, it in enumerate(items, 1):
        iid = f"{base}-i{n}"
        label = it.get("label") or ""
        out.append(f'<li id="{iid}">' + (f'<span class="label">{escape(label)}</span>' if label else "")
                   + text_html(it))
        if it.get("items"):
            out.append("\n" + _items_html(it["items"], iid, text_html))
        out.append("</li>\n")
    out.append("</ol>\n")
    return "".join(out)


# --------------------------------------------------------------------------- references as links

def _text_offsets(paras):
    """Where the text of each 款 and 项 starts in the article's ``text`` (the
    offsets ``refs`` spans count in): ({para index: offset}, {id(item): offset})."""
    pos = 0
    para_at, item_at = {}, {}

    def walk(items):
        nonlocal pos
        for it in items:
            label = it.get("label") or ""
            item_at[id(it)] = pos + len(label)
            pos += len(label) + len(it.get("text") or "") + 1
            walk(it.get("items") or ())

    for pi, p in enumerate(paras, 1):
        if p["text"] or not p["items"]:
            para_at[pi] = pos
            pos += len(p["text"]) + 1
        walk(p["items"])
    return para_at, item_at


def _linked(text, start, refs):
    """*text* (starting at offset *start* of the article text) escaped, with the
    references inside it as links: ``[(ref start, ref end, href, title)]``."""
    end = start + len(text)
    out, pos = [], 0
    for rs, re_, href, title in refs:
        if rs < start + pos or re_ > end or rs >= re_:
            continue
        out.append(escape(text[pos:rs - start]))
        inner = escape(text[rs - start:re_ - start])
        if href:
            out.append(f'<a class="ref" href="#{escape(href)}">{inner}</a>')
        else:
            out.append(f'<span class="ref external" title="{escape(title)}">{inner}</span>')
        pos = re_ - start
    out.append(escape(text[pos:]))
    return "".join(out)


class _Law:
    def __init__(self, tree, prefix):
        self.tree = tree
        self.prefix = prefix
        self._index_refs()

    def _index_refs(self):
        """The law's references (those on the records, or found now by
        :mod:`clt.refs`), and the ids of what they may point at."""
        from clt.refs import LawIndex, amended_law, resolve_article

        title = law_title(self.tree["law"]["doc"])
        index = LawIndex(title)
        self.article_ids = {}   # (num, sub) -> (html id, paras)
        self.heading_ids = {}   # (level, num) -> [html ids]
        arts = []
        self.ancestors = {}     # id(article node) -> the html ids of the headings above it

        def collect(nodes, above=()):
            for n in nodes:
                if n["ev"] == "article":
                    arts.append(n)
                    self.ancestors[id(n)] = above
                    index.add_article(n["rec"])
                    if n["num"] is not None:
                        self.article_ids.setdefault((n["num"], n["sub"] or None), (n["hid"], n["paras"]))
                elif n["ev"] == "heading":
                    index.add_heading(n["rec"])
                    num = n["rec"].get("num")
                    self.heading_ids.setdefault((n["rec"].get("level"), num), []).append(n["hid"])
                    collect(n["children"], above + (n["hid"],))

        collect(self.tree["children"])
        base = amended_law(title)
        self.refs = {}
        for n in arts:
            rec = n["rec"]
            found = rec.get("refs")
            if not isinstance(found, list):
                try:
                    found = resolve_article(rec, index, title, base) if isinstance(rec.get("text"), str) else []
                except (TypeError, ValueError, KeyError, AttributeError):
                    found = []  # a record of an odd shape: no links, never a failed page
            self.refs[id(n)] = sorted(
                (x for x in (self._link(r, n) for r in found if isinstance(r, dict)) if x is not None),
                key=lambda x: x[0])

    def _link(self, ref, node):
        """(start, end, href, title) for a reference worth marking, or None."""
        start, end = ref.get("start"), ref.get("end")
        target = ref.get("target")
        if not isinstance(start, int) or not isinstance(end, int) or not isinstance(target, dict):
            return None
        if ref.get("external"):
            label = target.get("label") or ""
            law = target.get("law") or ""
            return (start, end, None, f"{law} {label}".strip()) if law else None
        if ref.get("unresolved") or ref.get("warning"):
            return None
        if target.get("level"):
            hids = self.heading_ids.get((target["level"], target.get("num")), [])
            if len(hids) > 1:  # 第一章 of each 编: the one above this article, when it is
                hids = [h for h in hids if h in self.ancestors.get(id(node), ())][:1]
            return (start, end, self.id(hids[0]), None) if len(hids) == 1 else None
        found = self.article_ids.get((target.get("num"), target.get("sub") or None))
        if not found:
            return None
        aid, paras = found
        href = aid
        para, item = target.get("para"), target.get("item")
        if isinstance(para, int) and 1 <= para <= len(paras):
            p = paras[para - 1]
            if isinstance(item, int) and 1 <= item <= len(p["items"]):
                href = f"{aid}-p{para}-i{item}"
            elif item is None and (p["text"] or not p["items"] or para == 1):
                href = f"{aid}-p{para}"
        return start, end, self.id(href), None

    def id(self, hid):
        return self.prefix + hid

    def toc(self):
        heads = [c for c in self.tree["children"] if c["ev"] == "heading"]
        if heads:
            def ol(nodes):
                items = []
                for n in nodes:
                    if n["ev"] != "heading":
                        continue
                    sub = ol(n["children"])
                    items.append(f'<li><a href="#{self.id(n["hid"])}">{escape(heading_text(n["rec"]))}</a>'
                                 + sub + "</li>")
                return "<ol>" + "".join(items) + "</ol>" if items else ""

            return f'<nav class="toc" aria-label="目录"><h2>目录</h2>{ol(heads)}</nav>\n'
        arts = [c for c in self.tree["children"] if c["ev"] == "article"]
        if len(arts) < 2:
            return ""
        items = "".join(f'<li><a href="#{self.id(a["hid"])}">{escape(a["label"] or a["hid"])}</a></li>'
                        for a in arts)
        return f'<nav class="toc articles" aria-label="目录"><h2>目录</h2><ol>{items}</ol></nav>\n'

    def node(self, n, out):
        kind = n["ev"]
        if kind == "heading":
            rec = n["rec"]
            level = rec.get("level") or "heading"
            h = min(n["depth"] + 1, 6)
            label, title = rec.get("label") or "", rec.get("title") or ""
            if title == label:
                label = ""
            inner = (f'<span class="label">{escape(label)}</span>' if label else "")
            if label and title:
                inner += "\u3000"
            inner += escape(title)
            out.append(f'<section class="{escape(str(level))}" id="{self.id(n["hid"])}">\n'
                       f"<h{h}>{inner}</h{h}>\n")
            for c in n["children"]:
                self.node(c, out)
            out.append("</section>\n")
        elif kind == "article":
            aid = self.id(n["hid"])
            label = n["label"]
            refs = self.refs.get(id(n)) or []
            para_at, item_at = _text_offsets(n["paras"]) if refs else ({}, {})

            def text_html(it):
                t = it.get("text") or ""
                return _linked(t, item_at[id(it)], refs) if id(it) in item_at else escape(t)

            out.append(f'<section class="article" id="{aid}" data-label="{escape(label)}">\n')
            first = True
            for pi, p in enumerate(n["paras"], 1):
                pid = f"{aid}-p{pi}"
                lead = ""
                if first and label:
                    lead = f'<a class="label" href="#{aid}">{escape(label)}</a>\u3000'
                if p["text"] or not p["items"] or lead:
                    body = _linked(p["text"], para_at[pi], refs) if pi in para_at else escape(p["text"])
                    out.append(f'<p id="{pid}">{lead}{body}</p>\n')
                out.append(_items_html(p["items"], pid, text_html if refs else None))
                first = False
            out.append("</section>\n")
        elif kind == "block":
            rec = n["rec"]
            if rec.get("kind") == "toc":
                return
            kind_cls = escape(str(rec.get("kind") or "text"))
            out.append(f'<div class="block {kind_cls}">\n{_text_ps(rec.get("text"))}</div>\n')

    def render(self):
        law = self.tree["law"]
        doc = law["doc"]
        lid = f"law-{law['index']}"
        out = [f'<article class="law" id="{lid}">\n<header>\n']
        for b in law["front"]:
            out.append('<div class="notice">\n' + "".join(
                f'<p class="{role}">{escape(line)}</p>\n' for line, role in notice_lines(b)) + "</div>\n")
        title = law_title(doc)
        if title:
            out.append(f"<h1>{escape(title)}</h1>\n")
        for line in caption_display(doc):
            out.append(f'<p class="caption">{escape(line)}</p>\n')
        out.append("</header>\n")
        out.append(self.toc())
        for c in self.tree["children"]:
            self.node(c, out)
        out.append("</article>\n")
        return "".join(out)


def _marked(a, b):
    """(old html, new html) with the characters that differ in <del>/<ins>."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    old, new = [], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            old.append(escape(a[i1:i2]))
            new.append(escape(b[j1:j2]))
        else:
            if i2 > i1:
                old.append(f"<del>{escape(a[i1:i2])}</del>")
            if j2 > j1:
                new.append(f"<ins>{escape(b[j1:j2])}</ins>")
    return "".join(old), "".join(new)


def _change_row(rec):
    op = str(rec.get("op") or "")
    old_t, new_t = side_text(rec.get("old")), side_text(rec.get("new"))
    inline = rec.get("inline")
    if isinstance(inline, list) and inline and all(isinstance(r, list) and len(r) == 2 for r in inline):
        old_h = "".join(escape(str(t)) if o == "=" else f"<del>{escape(str(t))}</del>"
                        for o, t in inline if o in ("=", "-"))
        new_h = "".join(escape(str(t)) if o == "=" else f"<ins>{escape(str(t))}</ins>"
                        for o, t in inline if o in ("=", "+"))
    elif op not in ("equal", "renumbered", "moved") and old_t and new_t and len(old_t) + len(new_t) < 20000:
        old_h, new_h = _marked(old_t, new_t)
    else:
        old_h, new_h = escape(old_t), escape(new_t)
    sim = rec.get("similarity")
    sim = f"{sim:.3f}" if isinstance(sim, (int, float)) and not isinstance(sim, bool) else ""
    return (f'<tr class="op-{escape(op)}"><td>{escape(OP_NAMES.get(op, op))}</td>'
            f'<td>{escape(side_labels(rec.get("old")))}</td><td>{escape(side_labels(rec.get("new")))}</td>'
            f'<td>{sim}</td><td class="text old">{old_h}</td><td class="text new">{new_h}</td></tr>\n')


def render(events, **_):
    started = False
    changes = []
    summary = []

    def law_events():
        for ev in events:
            if ev["ev"] == "change":
                changes.append(ev["rec"])
            elif ev["ev"] == "summary":
                summary.append(ev["rec"])
            else:
                yield ev

    for tree in laws(law_events()):
        idx = tree["law"]["index"]
        if not started:
            yield _page_head(law_title(tree["law"]["doc"]) or "clt")
            started = True
        yield _Law(tree, "" if idx == 1 else f"law{idx}-").render()
    if changes:
        if not started:
            yield _page_head("条文对照")
            started = True
        out = ['<section class="diff">\n<h1>条文对照</h1>\n<table class="diff">\n<thead><tr>'
               "<th>变动</th><th>原条文</th><th>新条文</th><th>相似度</th><th>原文</th><th>新文</th>"
               "</tr></thead>\n<tbody>\n"]
        out.extend(_change_row(c) for c in changes)
        out.append("</tbody>\n</table>\n")
        for s in summary:
            out.append(f'<p class="summary">{escape(summary_text(s))}</p>\n')
        out.append("</section>\n")
        yield "".join(out)
    if started:
        yield PAGE_TAIL
